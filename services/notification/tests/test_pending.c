//  test_pending: the pending reminders' heap keeps (due time, id) order
//  through random pushes, removals and reschedules, and every reminder's
//  heap_index stays true.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "notification_pending.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_COUNT 2000

static void
s_check (const notification_pending_t *heap)
{
    for (size_t i = 0; i < heap->count; i++) {
        assert_int_equal (heap->items [i].reminder->heap_index, i);
        //  The copy of the due time the heap orders by is the reminder's.
        assert_int_equal (heap->items [i].due_at, heap->items [i].reminder->due_at);
        if (i > 0)
            assert_true (notification_pending_compare (heap->items [(i - 1) / 2].reminder,
                                                       heap->items [i].reminder)
                         <= 0);
    }
}

static void
test_order (void **state)
{
    (void) state;
    srand (42);
    notification_pending_t heap = { 0 };
    notification_reminder_t *reminders = calloc (S_COUNT, sizeof *reminders);
    char (*ids) [16] = calloc (S_COUNT, sizeof *ids);
    assert_non_null (reminders);
    assert_non_null (ids);
    for (size_t i = 0; i < S_COUNT; i++) {
        snprintf (ids [i], sizeof ids [i], "r/%05zu", i);
        reminders [i].id = ids [i];
        //  Few distinct due times: ties are the rule, decided by id.
        reminders [i].due_at = rand () % 50;
        reminders [i].heap_index = NOTIFICATION_NOT_PENDING;
        notification_pending_push (&heap, &reminders [i]);
    }
    s_check (&heap);
    for (size_t round = 0; round < 3000; round++) {
        notification_reminder_t *reminder = &reminders [rand () % S_COUNT];
        int action = rand () % 3;
        if (reminder->heap_index == NOTIFICATION_NOT_PENDING) {
            reminder->due_at = rand () % 50;
            notification_pending_push (&heap, reminder);
        } else if (action == 0)
            notification_pending_remove (&heap, reminder);
        else {
            reminder->due_at = rand () % 50;
            notification_pending_update (&heap, reminder);
        }
    }
    s_check (&heap);
    //  Popping gives a non-decreasing (due, id) sequence.
    notification_reminder_t *last = NULL;
    size_t popped = 0;
    while (notification_pending_first (&heap)) {
        notification_reminder_t *first = notification_pending_first (&heap);
        if (last)
            assert_true (notification_pending_compare (last, first) < 0);
        notification_pending_remove (&heap, first);
        assert_int_equal (first->heap_index, NOTIFICATION_NOT_PENDING);
        last = first;
        popped++;
    }
    assert_true (popped > 0);
    notification_pending_clear (&heap);
    free (reminders);
    free (ids);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_order),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
