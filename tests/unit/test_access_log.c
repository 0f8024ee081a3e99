//  test_access_log: the access log's pieces on their own (docs/privacy.md,
//  "Accountability").
//
//  The access table of a real store in a temporary directory: records read
//  back in time order whatever order they were written in, a period is a
//  range, an aborted batch leaves none, they survive a reopen, and they are
//  no part of the journal (no entry, no seq, nothing a rebuild reads, an
//  intact --verify). The filters of the AccessLog query. The check of a
//  request's on_behalf_of. The runtime's use of them (who, when, durable
//  with the batch, never published) is integration/test_access.
#include "caseflow/v1/api.pb-c.h"
#include "cf_access.h"
#include "cf_api.h"
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_journal_check.h"
#include "cf_log.h"
#include "cf_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct {
    size_t count;
    int64_t at [16];
    uint64_t number [16];
    char text [16][16];
    size_t stop_after;  //  return 7 after this many (0: never)
} s_seen_t;

static int
s_collect (void *ctx, int64_t at, uint64_t number, const void *record, size_t size)
{
    s_seen_t *seen = ctx;
    assert_true (seen->count < 16 && size < 16);
    seen->at [seen->count] = at;
    seen->number [seen->count] = number;
    memcpy (seen->text [seen->count], record, size);
    seen->text [seen->count][size] = 0;
    seen->count++;
    return seen->stop_after && seen->count == seen->stop_after ? 7 : 0;
}

static void
s_put (cf_journal_t *journal, MDB_txn *txn, int64_t at, uint64_t number, const char *text)
{
    assert_int_equal (cf_journal_access_put (journal, txn, at, number, text, strlen (text)), 0);
}

static s_seen_t
s_read (cf_journal_t *journal, int64_t from, int64_t to)
{
    s_seen_t seen = { 0 };
    assert_int_equal (cf_journal_access_read (journal, from, to, s_collect, &seen), 0);
    return seen;
}

static void
test_table_in_time_order (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("access");
    cf_journal_t *journal = cf_journal_open (dir, "intake", 0, NULL);
    assert_non_null (journal);
    uint64_t last = 99;
    assert_int_equal (cf_journal_access_last (journal, &last), 0);
    assert_int_equal (last, 0);

    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_put (journal, txn, 200, 1, "b");
    s_put (journal, txn, 100, 2, "a1");
    s_put (journal, txn, 100, 3, "a2");
    s_put (journal, txn, 300, 4, "c");
    assert_int_equal (cf_journal_access_put (journal, txn, -1, 5, "x", 1), CF_EINVAL);
    assert_int_equal (cf_journal_commit (journal, txn), 0);

    s_seen_t all = s_read (journal, 0, INT64_MAX);
    assert_int_equal (all.count, 4);
    const char *order [] = { "a1", "a2", "b", "c" };
    for (size_t i = 0; i < 4; i++)
        assert_string_equal (all.text [i], order [i]);
    assert_int_equal (all.at [0], 100);
    assert_int_equal (all.number [1], 3);
    //  A period is a range, both ends included.
    s_seen_t period = s_read (journal, 150, 300);
    assert_int_equal (period.count, 2);
    assert_string_equal (period.text [0], "b");
    assert_string_equal (period.text [1], "c");
    assert_int_equal (s_read (journal, 301, INT64_MAX).count, 0);
    //  The callback stops the read with its own value.
    s_seen_t stopped = { .stop_after = 2 };
    assert_int_equal (cf_journal_access_read (journal, 0, INT64_MAX, s_collect, &stopped), 7);
    assert_int_equal (stopped.count, 2);
    assert_int_equal (cf_journal_access_last (journal, &last), 0);
    assert_int_equal (last, 4);

    //  An aborted batch leaves no record.
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    s_put (journal, txn, 400, 5, "gone");
    cf_journal_abort (journal, txn);
    assert_int_equal (s_read (journal, 0, INT64_MAX).count, 4);

    //  No part of the journal: no entry, no seq, and the check of the
    //  whole store finds it intact.
    assert_int_equal (cf_journal_entries (journal), 0);
    assert_int_equal (cf_journal_last_seq (journal, NULL), 0);
    cf_journal_destroy (&journal);
    FILE *out = tmpfile ();
    assert_non_null (out);
    assert_int_equal (cf_journal_check_store (dir, "intake", out), 0);
    fclose (out);

    //  Durable: there after a reopen.
    journal = cf_journal_open (dir, "intake", 0, NULL);
    assert_non_null (journal);
    assert_int_equal (s_read (journal, 0, INT64_MAX).count, 4);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
}

static Caseflow__V1__AccessRecord
s_record (int64_t at, const char *who, const char *on_behalf_of, const char *case_id)
{
    Caseflow__V1__AccessRecord record = CASEFLOW__V1__ACCESS_RECORD__INIT;
    record.at = at;
    record.who = (char *) who;
    record.on_behalf_of = (char *) on_behalf_of;
    record.action = "get_case";
    record.case_id = (char *) case_id;
    record.subject = "S01M98TAYR43XNSQTTXGSMACQMS";
    return record;
}

static void
test_filters (void **unused)
{
    (void) unused;
    Caseflow__V1__AccessRecord local = s_record (100, "local", "", "C000001");
    Caseflow__V1__AccessRecord console = s_record (200, "console", "j.devries", "C000002");
    Caseflow__V1__AccessLogQuery query = CASEFLOW__V1__ACCESS_LOG_QUERY__INIT;
    assert_true (cf_access_matches (&query, &local));
    assert_true (cf_access_matches (&query, &console));
    //  By reader: the key, or the person a proxy read for.
    query.by = "j.devries";
    assert_false (cf_access_matches (&query, &local));
    assert_true (cf_access_matches (&query, &console));
    query.by = "console";
    assert_true (cf_access_matches (&query, &console));
    query.by = "";
    query.case_id = "C000001";
    assert_true (cf_access_matches (&query, &local));
    assert_false (cf_access_matches (&query, &console));
    query.case_id = "";
    query.subject = "S01M98TAYR43XNSQTTXGSMACQMS";
    assert_true (cf_access_matches (&query, &local));
    query.handover_id = "H000001";
    assert_false (cf_access_matches (&query, &local));
    query.handover_id = "";
    //  A period, both ends included; 0 is no bound.
    query.from = 100;
    query.to = 150;
    assert_true (cf_access_matches (&query, &local));
    assert_false (cf_access_matches (&query, &console));
    query.from = 101;
    query.to = 0;
    assert_false (cf_access_matches (&query, &local));
    assert_true (cf_access_matches (&query, &console));
}

//  Decodes a request carrying `on_behalf_of`; returns the reply's code and
//  field in *field_p (a static copy).
static Caseflow__V1__Status__Code
s_decode (const char *on_behalf_of, const char **field_p)
{
    Caseflow__V1__ClockQuery clock = CASEFLOW__V1__CLOCK_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_CLOCK;
    query.clock = &clock;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "r1";
    request.on_behalf_of = (char *) on_behalf_of;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__request__pack (&request, data);
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, NULL);
    Caseflow__V1__Request *decoded = cf_api_decode_request (data, size, &reply);
    free (data);
    static char field [64];
    snprintf (field, sizeof field, "%s", reply.status ? reply.status->field : "");
    *field_p = field;
    Caseflow__V1__Status__Code code = cf_api_reply_code (&reply);
    if (decoded) {
        assert_string_equal (decoded->on_behalf_of, on_behalf_of);
        caseflow__v1__request__free_unpacked (decoded, NULL);
    }
    cf_api_reply_clear (&reply);
    return code;
}

static void
test_on_behalf_of_checked (void **unused)
{
    (void) unused;
    const char *field = NULL;
    assert_int_equal (s_decode ("", &field), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (s_decode ("j.devries@gemeente-voorbeeld.nl", &field),
                      CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (s_decode ("Jan de Vries", &field),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (field, "on_behalf_of");
    char long_id [70];
    memset (long_id, 'a', 65);
    long_id [65] = 0;
    assert_int_equal (s_decode (long_id, &field), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (field, "on_behalf_of");
}

int
main (void)
{
    cf_log_init ("test_access_log", CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_table_in_time_order),
        cmocka_unit_test (test_filters),
        cmocka_unit_test (test_on_behalf_of_checked),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
