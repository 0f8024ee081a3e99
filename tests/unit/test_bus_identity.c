//  Unit tests for stream identity: the rule that judges a cursor against
//  its producer (cf_bus_identity), and the identity a store keeps (its
//  epoch, made once and kept by a copy; each cursor's event id, written
//  with the cursor, and its epoch).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "caseflow/v1/event.pb-c.h"
#include "cf_bus_identity.h"
#include "cf_journal.h"
#include "cf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MIB ((size_t) 1 << 20)

static void
test_rule (void **unused)
{
    (void) unused;
    //  Nothing known: nothing to disagree with.
    assert_int_equal (cf_bus_identity_check (0, 0, NULL, 0, 0, NULL), CF_BUS_AGREES);
    assert_int_equal (cf_bus_identity_check (0, 5, "", 7, 9, NULL), CF_BUS_AGREES);
    //  Another epoch, whatever else agrees.
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 8, 9, "e5"), CF_BUS_EPOCH_CHANGED);
    //  A producer that sends no epoch is judged by head and event.
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 0, 9, "e5"), CF_BUS_AGREES);
    //  A head behind the cursor; at the cursor is fine.
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 7, 4, NULL), CF_BUS_HEAD_BEHIND);
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 7, 5, "e5"), CF_BUS_AGREES);
    //  Another event at the cursor (a restored backup that went on).
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 7, 9, "x5"), CF_BUS_OTHER_EVENT);
    //  Ids are compared only when both are known.
    assert_int_equal (cf_bus_identity_check (7, 5, "", 7, 9, "x5"), CF_BUS_AGREES);
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 7, 9, NULL), CF_BUS_AGREES);
    assert_int_equal (cf_bus_identity_check (7, 5, "e5", 7, 9, ""), CF_BUS_AGREES);
    assert_string_equal (cf_bus_verdict_text (CF_BUS_HEAD_BEHIND), "producer behind cursor");
    assert_string_equal (cf_bus_verdict_word (CF_BUS_OTHER_EVENT), "other-event");
    assert_string_equal (cf_bus_verdict_word (CF_BUS_AGREES), "");
    char text [17];
    cf_bus_epoch_text (UINT64_C (0x00ab), text);
    assert_string_equal (text, "00000000000000ab");
}

//  An encoded event with `id` (protobuf-c puts field 1 first).
static uint8_t *
s_event (const char *id, uint64_t seq, size_t *size_p)
{
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = (char *) id;
    event.stream = "upstream";
    event.seq = seq;
    *size_p = caseflow__v1__event__get_packed_size (&event);
    uint8_t *data = malloc (*size_p);
    assert_non_null (data);
    caseflow__v1__event__pack (&event, data);
    return data;
}

static void
s_consume (cf_journal_t *journal, const char *id, uint64_t seq)
{
    size_t size;
    uint8_t *data = s_event (id, seq, &size);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_append_consumed (journal, txn, "upstream", seq, data, size, NULL),
                      0);
    //  The open transaction sees its own move.
    uint64_t at, epoch;
    char seen [CF_JOURNAL_EVENT_ID_MAX + 1];
    assert_int_equal (
        cf_journal_cursor_identity (journal, txn, "upstream", &at, &epoch, seen, sizeof seen), 0);
    assert_int_equal (at, seq);
    assert_string_equal (seen, id);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    free (data);
}

static void
test_store (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("bus_identity");
    cf_journal_t *journal = cf_journal_open (dir, "intake", 8 * S_MIB, NULL);
    assert_non_null (journal);
    uint64_t epoch = cf_journal_epoch (journal);
    assert_true (epoch != 0);

    //  No cursor: nothing known.
    uint64_t seq = 9, cursor_epoch = 9;
    char id [CF_JOURNAL_EVENT_ID_MAX + 1];
    assert_int_equal (
        cf_journal_cursor_identity (journal, NULL, "upstream", &seq, &cursor_epoch, id, sizeof id),
        0);
    assert_int_equal (seq, 0);
    assert_int_equal (cursor_epoch, 0);
    assert_string_equal (id, "");

    s_consume (journal, "01ID-ONE", 1);
    s_consume (journal, "01ID-TWO", 2);
    char key [600];
    assert_int_equal (cf_journal_cursor_epoch_key ("upstream", key, sizeof key), 0);
    assert_string_equal (key, "cursor-epoch.upstream");
    MDB_txn *txn;
    uint64_t theirs = UINT64_C (0x1234567890abcdef);
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    assert_int_equal (cf_journal_meta_put (journal, txn, key, &theirs, sizeof theirs), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
    assert_int_equal (
        cf_journal_cursor_identity (journal, NULL, "upstream", &seq, &cursor_epoch, id, sizeof id),
        0);
    assert_int_equal (seq, 2);
    assert_int_equal (cursor_epoch, theirs);
    assert_string_equal (id, "01ID-TWO");
    cf_journal_destroy (&journal);

    //  Reopened, and copied elsewhere: the same epoch.
    journal = cf_journal_open (dir, "intake", 8 * S_MIB, NULL);
    assert_non_null (journal);
    assert_int_equal (cf_journal_epoch (journal), epoch);
    cf_journal_destroy (&journal);
    char copy [700], command [1600];
    snprintf (copy, sizeof copy, "%s/copy", dir);
    snprintf (command, sizeof command, "mkdir -p %s && mdb_copy %s %s", copy, dir, copy);
    assert_int_equal (system (command), 0);
    journal = cf_journal_open_readonly (copy, "intake", NULL);
    assert_non_null (journal);
    assert_int_equal (cf_journal_epoch (journal), epoch);
    cf_journal_destroy (&journal);

    //  Another store, another epoch.
    char other [700];
    snprintf (other, sizeof other, "%s/other", dir);
    journal = cf_journal_open (other, "intake", 8 * S_MIB, NULL);
    assert_non_null (journal);
    assert_true (cf_journal_epoch (journal) != epoch);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_rule),
        cmocka_unit_test (test_store),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
