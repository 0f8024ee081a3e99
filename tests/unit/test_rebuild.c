//  test_rebuild: cf_arena (the bump allocator for decoded messages) and
//  cf_rebuild (a journal replayed on two threads) against a real store.
#include "cf_arena.h"
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_log.h"
#include "cf_rebuild.h"
#include "cf_test.h"

#include "caseflow/v1/event.pb-c.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

//  ---------------------------------------------------------------- arena

static void
test_arena_alignment_and_growth (void **state)
{
    (void) state;
    cf_arena_t *arena = cf_arena_new (1024);
    ProtobufCAllocator *allocator = cf_arena_allocator (arena);
    //  Many small and a few oversized allocations, all aligned, all
    //  writable, none overlapping (each is filled with its own byte).
    unsigned char *pointers [300];
    size_t sizes [300];
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < 300; i++) {
            sizes [i] = i % 50 == 49 ? 5000 : i % 37;
            pointers [i] = allocator->alloc (allocator->allocator_data, sizes [i]);
            assert_non_null (pointers [i]);
            assert_int_equal ((uintptr_t) pointers [i] % alignof (max_align_t), 0);
            memset (pointers [i], (int) i, sizes [i]);
        }
        for (size_t i = 0; i < 300; i++)
            for (size_t byte = 0; byte < sizes [i]; byte++)
                assert_int_equal (pointers [i][byte], (unsigned char) i);
        allocator->free (allocator->allocator_data, pointers [0]);
        cf_arena_reset (arena);
    }
    cf_arena_destroy (&arena);
    assert_null (arena);
    cf_arena_destroy (&arena);
}

static void
test_arena_decodes_protobuf (void **state)
{
    (void) state;
    Caseflow__V1__Testing__NoteRecorded note = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
    note.text = "a note";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01ARENA";
    event.stream = "test";
    event.seq = 7;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
    event.note_recorded = &note;
    uint8_t buffer [256];
    size_t size = caseflow__v1__event__pack (&event, buffer);
    cf_arena_t *arena = cf_arena_new (0);
    for (int i = 0; i < 1000; i++) {
        Caseflow__V1__Event *copy =
            caseflow__v1__event__unpack (cf_arena_allocator (arena), size, buffer);
        assert_non_null (copy);
        assert_string_equal (copy->id, "01ARENA");
        assert_int_equal (copy->seq, 7);
        assert_string_equal (copy->note_recorded->text, "a note");
        if (i % 10 == 9)
            cf_arena_reset (arena);
    }
    //  Garbage fails to decode and leaves nothing to free but the arena.
    assert_null (caseflow__v1__event__unpack (cf_arena_allocator (arena), 3,
                                              (const uint8_t *) "\xff\xff\xff"));
    cf_arena_destroy (&arena);
}

//  -------------------------------------------------------------- rebuild

typedef struct {
    size_t count;
    uint64_t last_position;
    bool in_order;
} seen_t;

static void
s_seen (void *ctx, uint64_t position, const Caseflow__V1__Event *event, const void *data,
        size_t size)
{
    seen_t *seen = ctx;
    //  Positions 1, 2, 3...; each event carries its position as its seq,
    //  and comes with the bytes it was decoded from.
    Caseflow__V1__Event *again = caseflow__v1__event__unpack (NULL, size, data);
    if (position != seen->last_position + 1 || event->seq != position || !again
        || again->seq != position)
        seen->in_order = false;
    if (again)
        caseflow__v1__event__free_unpacked (again, NULL);
    seen->last_position = position;
    seen->count++;
}

//  A store with `count` events (NoteRecorded, seq = position), then
//  `garbage` undecodable entries.
static cf_journal_t *
s_store (char **dir_p, size_t count, size_t garbage)
{
    *dir_p = cf_test_tmpdir ("test-rebuild");
    int rc = 0;
    cf_journal_t *journal = cf_journal_open (*dir_p, "test", 0, &rc);
    assert_non_null (journal);
    MDB_txn *txn = NULL;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    for (size_t seq = 1; seq <= count + garbage; seq++) {
        uint8_t buffer [256];
        size_t size;
        if (seq <= count) {
            char text [32];
            snprintf (text, sizeof text, "note %zu", seq);
            Caseflow__V1__Testing__NoteRecorded note = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
            note.text = text;
            Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
            event.id = "01REBUILD";
            event.stream = "test";
            event.seq = seq;
            event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
            event.note_recorded = &note;
            size = caseflow__v1__event__pack (&event, buffer);
        } else {
            memset (buffer, 0xff, 16);
            size = 16;
        }
        assert_int_equal (cf_journal_append_produced (journal, txn, seq, buffer, size, NULL), 0);
    }
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    return journal;
}

static void
s_rebuild_case (size_t count, size_t garbage, int expected_rc)
{
    char *dir;
    cf_journal_t *journal = s_store (&dir, count, garbage);
    seen_t seen = { 0, 0, true };
    assert_int_equal (cf_rebuild (journal, s_seen, &seen), expected_rc);
    //  Every entry before the first undecodable one, in order, once.
    assert_int_equal (seen.count, count);
    assert_true (seen.in_order);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_rebuild_empty (void **state)
{
    (void) state;
    s_rebuild_case (0, 0, 0);
}

static void
test_rebuild_in_order (void **state)
{
    (void) state;
    //  Less than a batch, exactly one, and enough to go round the ring
    //  several times.
    s_rebuild_case (5, 0, 0);
    s_rebuild_case (1024, 0, 0);
    s_rebuild_case (10000, 0, 0);
}

static void
test_rebuild_undecodable (void **state)
{
    (void) state;
    s_rebuild_case (0, 1, CF_ESTORE);
    s_rebuild_case (3000, 2, CF_ESTORE);
    //  In the first batch, where the decoder decodes the first three
    //  quarters and leaves the last to the applier: found by either.
    s_rebuild_case (4, 1, CF_ESTORE);
    s_rebuild_case (999, 3, CF_ESTORE);
}

int
main (void)
{
    cf_log_init ("test_rebuild", CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_arena_alignment_and_growth),
        cmocka_unit_test (test_arena_decodes_protobuf),
        cmocka_unit_test (test_rebuild_empty),
        cmocka_unit_test (test_rebuild_in_order),
        cmocka_unit_test (test_rebuild_undecodable),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
