//  test_domain: the rules every service shares (common/cf_id,
//  cf_resident, cf_words): the id grammar and its refusal at every edge,
//  the BSN eleven-test, birth dates, phone numbers, the resident identity
//  key, and every enum word in both directions. The calendar has its own
//  test (test_calendar).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_id.h"
#include "cf_resident.h"
#include "cf_words.h"

#include <stdio.h>
#include <string.h>

//  Runs a check through a fresh reply; returns its verdict and copies the
//  refusal's field and message (empty when accepted).
typedef struct {
    Caseflow__V1__Reply reply;
    char field [256];
    char message [256];
} s_refusal_t;

static void
s_begin (s_refusal_t *self)
{
    memset (self, 0, sizeof *self);
    cf_api_reply_init (&self->reply, "r1");
}

static void
s_end (s_refusal_t *self, bool accepted)
{
    if (self->reply.status) {
        assert_false (accepted);
        assert_int_equal (self->reply.status->code, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
        snprintf (self->field, sizeof self->field, "%s", self->reply.status->field);
        snprintf (self->message, sizeof self->message, "%s", self->reply.status->message);
    } else
        assert_true (accepted);
    cf_api_reply_clear (&self->reply);
}

//  ----------------------------------------------------------------- ids

static void
test_id_grammar (void **state)
{
    (void) state;
    assert_true (cf_id_valid ("team:north"));
    assert_true (cf_id_valid ("L-noord"));
    assert_true (cf_id_valid ("T1.a_b:c"));
    assert_true (cf_id_valid ("C000001"));
    assert_true (cf_id_valid ("x"));
    assert_true (cf_id_valid ("0"));
    assert_true (cf_id_valid (":"));
    assert_false (cf_id_valid (""));
    assert_false (cf_id_valid (NULL));
    //  Edges of the length: 64 yes, 65 no.
    char id [80];
    memset (id, 'a', sizeof id);
    id [64] = 0;
    assert_true (cf_id_valid (id));
    id [64] = 'a';
    id [65] = 0;
    assert_false (cf_id_valid (id));
    //  Every byte outside the grammar is refused, alone and inside an id.
    for (int c = 1; c < 256; c++) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                       || c == '.' || c == '_' || c == ':' || c == '-';
        char alone [2] = { (char) c, 0 };
        char inside [4] = { 'a', (char) c, 'b', 0 };
        if (cf_id_valid (alone) != allowed || cf_id_valid (inside) != allowed)
            fail_msg ("byte 0x%02x: expected %s", c, allowed ? "accepted" : "refused");
    }
    //  Case-sensitive and never trimmed.
    assert_false (cf_id_valid (" team:north"));
    assert_false (cf_id_valid ("team:north "));
    assert_false (cf_id_valid ("team north"));
    assert_false (cf_id_valid ("team/north"));
    assert_false (cf_id_valid ("zoë"));
}

static void
test_reminder_ids (void **state)
{
    (void) state;
    assert_true (cf_id_valid_reminder ("callback/C000001/2"));
    assert_true (cf_id_valid_reminder ("handover-deadline/H000001/14d"));
    assert_true (cf_id_valid_reminder ("handover-deadline/H000001/overdue"));
    assert_true (cf_id_valid_reminder ("no-worker/team:north:C1/9"));
    assert_true (cf_id_valid_reminder ("plain"));
    assert_false (cf_id_valid_reminder (""));
    assert_false (cf_id_valid_reminder (NULL));
    assert_false (cf_id_valid_reminder ("/callback/C1"));
    assert_false (cf_id_valid_reminder ("callback//C1"));
    assert_false (cf_id_valid_reminder ("callback/C1/"));
    assert_false (cf_id_valid_reminder ("callback/C 1/2"));
    assert_false (cf_id_valid_reminder ("callback/C1/2\n"));
    //  A part is an id: at most 64; the whole at most 200.
    char id [260];
    memset (id, 'a', 65);
    id [65] = 0;
    assert_false (cf_id_valid_reminder (id));
    id [64] = 0;
    assert_true (cf_id_valid_reminder (id));
    size_t len = 0;
    while (len + 50 <= 200) {
        memset (id + len, 'b', 49);
        id [len + 49] = '/';
        len += 50;
    }
    id [len - 1] = 0;  //  199 bytes: four parts of 49
    assert_true (cf_id_valid_reminder (id));
    id [len - 1] = 'c';
    id [len] = 0;  //  200
    assert_true (cf_id_valid_reminder (id));
    id [len] = 'c';
    id [len + 1] = 0;  //  201
    assert_false (cf_id_valid_reminder (id));
}

static void
test_id_refusal (void **state)
{
    (void) state;
    s_refusal_t r;
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.assignment.add_location.location_id", "team:north",
                            true));
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.intake.register.location", "", false));
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.intake.register.location", NULL, false));

    //  One message, naming the field's last part; the value is never quoted.
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.assignment.add_location.location_id", "team north",
                            true));
    assert_string_equal (r.field, "command.assignment.add_location.location_id");
    assert_string_equal (r.message, "location_id is not an id: " CF_ID_RULE);
    assert_null (strstr (r.message, "team north"));
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.intake.register.location", "team north", false));
    assert_string_equal (r.message, "location is not an id: " CF_ID_RULE);
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "command.handover.add_provider.provider_id", "", true));
    assert_string_equal (r.field, "command.handover.add_provider.provider_id");
    assert_string_equal (r.message, "provider_id is required");
    s_begin (&r);
    s_end (&r, cf_id_check (&r.reply, "worker_id", NULL, true));
    assert_string_equal (r.message, "worker_id is required");

    s_begin (&r);
    s_end (&r, cf_id_check_reminder (&r.reply, "command.notification.acknowledge.reminder_id",
                                     "callback/C000001/2", true));
    s_begin (&r);
    s_end (&r, cf_id_check_reminder (&r.reply, "command.notification.acknowledge.reminder_id",
                                     "callback C000001", true));
    assert_string_equal (r.message, "reminder_id is not a reminder id: " CF_REMINDER_ID_RULE);
    s_begin (&r);
    s_end (&r, cf_id_check_reminder (&r.reply, "command.intake.record_callback.reminder_id", "",
                                     false));
}

//  ------------------------------------------------------------ residents

static void
test_bsn (void **state)
{
    (void) state;
    assert_true (cf_resident_bsn_valid ("111222333"));
    assert_true (cf_resident_bsn_valid ("123456782"));
    assert_false (cf_resident_bsn_valid ("123456789"));   //  fails the eleven-test
    assert_false (cf_resident_bsn_valid ("000000000"));   //  all zeros pass the sum, not the rule
    assert_false (cf_resident_bsn_valid ("11122233"));    //  8 digits
    assert_false (cf_resident_bsn_valid ("1112223330"));  //  10 digits
    assert_false (cf_resident_bsn_valid ("11122233a"));
    assert_false (cf_resident_bsn_valid (" 11222333"));
    assert_false (cf_resident_bsn_valid ("11122233-"));
    assert_false (cf_resident_bsn_valid (""));
    assert_false (cf_resident_bsn_valid (NULL));
    //  Every single-digit change of a valid number is caught.
    char bsn [10] = "111222333";
    for (int i = 0; i < 9; i++) {
        char saved = bsn [i];
        for (char digit = '0'; digit <= '9'; digit++) {
            if (digit == saved)
                continue;
            bsn [i] = digit;
            assert_false (cf_resident_bsn_valid (bsn));
        }
        bsn [i] = saved;
    }
    s_refusal_t r;
    s_begin (&r);
    s_end (&r, cf_resident_check_bsn (&r.reply, "command.intake.register.resident.bsn", ""));
    s_begin (&r);
    s_end (&r,
           cf_resident_check_bsn (&r.reply, "command.intake.register.resident.bsn", "123456789"));
    assert_string_equal (r.field, "command.intake.register.resident.bsn");
    assert_string_equal (r.message, "bsn is not a BSN (9 digits passing the eleven-test)");
}

static void
test_birth_dates (void **state)
{
    (void) state;
    const char *today = "2022-01-03";
    assert_null (cf_resident_birth_date_problem ("1980-05-17", today));
    assert_null (cf_resident_birth_date_problem ("1900-01-01", today));
    assert_null (cf_resident_birth_date_problem ("2022-01-03", today));  //  born today
    assert_null (cf_resident_birth_date_problem ("2000-02-29", today));
    assert_string_equal (cf_resident_birth_date_problem ("2022-01-04", today), "is in the future");
    assert_string_equal (cf_resident_birth_date_problem ("1899-12-31", today),
                         "is not a date (YYYY-MM-DD, from 1900-01-01)");
    assert_string_equal (cf_resident_birth_date_problem ("1800-06-01", today),
                         "is not a date (YYYY-MM-DD, from 1900-01-01)");
    assert_string_equal (cf_resident_birth_date_problem ("1999-02-29", today),
                         "is not a date (YYYY-MM-DD, from 1900-01-01)");
    assert_string_equal (cf_resident_birth_date_problem ("17-05-1980", today),
                         "is not a date (YYYY-MM-DD, from 1900-01-01)");
    assert_string_equal (cf_resident_birth_date_problem ("", today),
                         "is not a date (YYYY-MM-DD, from 1900-01-01)");
    //  No clock: no upper bound.
    assert_null (cf_resident_birth_date_problem ("2999-01-01", NULL));

    s_refusal_t r;
    s_begin (&r);
    s_end (&r, cf_resident_check_birth_date (&r.reply, "x.resident.birth_date", "", today));
    s_begin (&r);
    s_end (&r,
           cf_resident_check_birth_date (&r.reply, "x.resident.birth_date", "2022-02-01", today));
    assert_string_equal (r.field, "x.resident.birth_date");
    assert_string_equal (r.message, "birth_date is in the future (today is 2022-01-03)");
    s_begin (&r);
    s_end (&r,
           cf_resident_check_birth_date (&r.reply, "x.resident.birth_date", "1850-02-01", today));
    assert_string_equal (r.message, "birth_date is not a date (YYYY-MM-DD, from 1900-01-01)");
}

static void
test_phone (void **state)
{
    (void) state;
    assert_true (cf_resident_phone_valid ("+31 (0)492 123456"));
    assert_true (cf_resident_phone_valid ("0492-123456"));
    assert_true (cf_resident_phone_valid ("14 0492"));  //  six digits
    assert_false (cf_resident_phone_valid ("12345"));   //  five digits
    assert_false (cf_resident_phone_valid ("0492 12345x"));
    assert_false (cf_resident_phone_valid ("0492/123456"));
    assert_false (cf_resident_phone_valid (""));
    assert_false (cf_resident_phone_valid (NULL));
    assert_true (cf_resident_phone_valid ("0000000000 0000000000 0000000000"));     //  32
    assert_false (cf_resident_phone_valid ("0000000000 0000000000 0000000000 0"));  //  34
    s_refusal_t r;
    s_begin (&r);
    s_end (&r, cf_resident_check_phone (&r.reply, "a.resident.phone", "12345"));
    assert_string_equal (r.message, "phone is not a phone number (up to 32 digits, spaces, '+', "
                                    "'-', '(' and ')', at least 6 digits)");
}

static void
s_assert_key (const char *name, const char *birth_date, const char *expected)
{
    char key [CF_RESIDENT_KEY_SIZE];
    size_t len = cf_resident_name_key (name, birth_date, key, sizeof key);
    assert_string_equal (key, expected);
    assert_int_equal (len, strlen (expected));
}

static void
test_identity_key (void **state)
{
    (void) state;
    s_assert_key ("Jan Jansen", "1980-05-17", "jan jansen\n1980-05-17");
    //  Case, runs of white space, leading and trailing white space.
    s_assert_key ("  JAN \t  Jansen\n", "1980-05-17", "jan jansen\n1980-05-17");
    s_assert_key ("jan\r\njansen", "1980-05-17", "jan jansen\n1980-05-17");
    //  Accents are kept (and not lower-cased by byte).
    s_assert_key ("Zoë ÉLISE", "2010-01-01", "zoë Élise\n2010-01-01");
    s_assert_key ("Zoe", "2010-01-01", "zoe\n2010-01-01");
    //  No key without both parts, or with a blank name.
    s_assert_key ("Jan Jansen", "", "");
    s_assert_key ("Jan Jansen", NULL, "");
    s_assert_key ("", "1980-05-17", "");
    s_assert_key (NULL, "1980-05-17", "");
    s_assert_key (" \t ", "1980-05-17", "");
    //  A small buffer cuts the key and stays terminated.
    char small [8];
    cf_resident_name_key ("Jan Jansen", "1980-05-17", small, sizeof small);
    assert_string_equal (small, "jan jan");
}

//  ---------------------------------------------------------------- words

static void
s_assert_table (const cf_words_t *table, const char *const *expected, int count)
{
    assert_int_equal (table->count, count + 1);
    assert_null (cf_words_find (table, 0));
    assert_string_equal (cf_words_name (table, 0), "unspecified");
    assert_null (cf_words_find (table, count + 1));
    assert_null (cf_words_find (table, -1));
    assert_string_equal (cf_words_name (table, count + 1), "unknown");
    assert_int_equal (cf_words_parse (table, NULL), -1);
    assert_int_equal (cf_words_parse (table, ""), -1);
    assert_int_equal (cf_words_parse (table, "unspecified"), -1);
    for (int value = 1; value <= count; value++) {
        //  No holes, the expected word, and back.
        const char *word = cf_words_find (table, value);
        assert_non_null (word);
        assert_string_equal (word, expected [value - 1]);
        assert_string_equal (cf_words_name (table, value), word);
        assert_int_equal (cf_words_parse (table, word), value);
        //  Lower case with '-', never '_' or upper case.
        for (const char *c = word; *c; c++)
            assert_true ((*c >= 'a' && *c <= 'z') || *c == '-');
        //  Exact: no prefix, no other case.
        char upper [64];
        snprintf (upper, sizeof upper, "%s", word);
        upper [0] = (char) (upper [0] - 'a' + 'A');
        assert_int_equal (cf_words_parse (table, upper), -1);
        char longer [64];
        snprintf (longer, sizeof longer, "%s ", word);
        assert_int_equal (cf_words_parse (table, longer), -1);
    }
}

#define S_ASSERT_TABLE(table, ...)                                         \
    do {                                                                   \
        static const char *const words_ [] = { __VA_ARGS__ };              \
        s_assert_table (&(table), words_, sizeof words_ / sizeof *words_); \
    } while (0)

static void
test_words (void **state)
{
    (void) state;
    //  The words of shared/CLI.md and of caseflowctl's output.
    S_ASSERT_TABLE (cf_words_domain, "youth", "support", "work-income", "debt", "housing",
                    "mental-health", "other");
    S_ASSERT_TABLE (cf_words_urgency, "regular", "urgent");
    S_ASSERT_TABLE (cf_words_channel, "phone", "walk-in", "web", "partner", "municipality",
                    "handover");
    S_ASSERT_TABLE (cf_words_case_status, "registered", "waiting", "urgent", "assigned", "active",
                    "closed");
    S_ASSERT_TABLE (cf_words_callback_outcome, "reached", "not-reached", "changed",
                    "no-longer-needed");
    S_ASSERT_TABLE (cf_words_closure, "advised", "withdrawn", "closed", "no-longer-needed",
                    "completed");
    S_ASSERT_TABLE (cf_words_location_kind, "neighbourhood", "school", "partner-site");
    S_ASSERT_TABLE (cf_words_assignment_rule, "continuity", "best-match", "manual");
    S_ASSERT_TABLE (cf_words_assignment_trigger, "urgent", "waiting-list", "absence", "leave",
                    "manual");
    S_ASSERT_TABLE (cf_words_history_kind, "queued", "assigned", "unassigned", "escalated",
                    "started", "completed", "closed");
    S_ASSERT_TABLE (cf_words_handover_state, "announced", "meeting-planned", "meeting-held",
                    "decided", "completed", "cancelled");
    S_ASSERT_TABLE (cf_words_next_step, "continue", "stay", "end", "refer");
    S_ASSERT_TABLE (cf_words_reminder_kind, "callback", "callback-overdue", "urgent", "no-worker",
                    "handover-deadline", "waiting-too-long", "webhook-parked", "stream-diverged");
    S_ASSERT_TABLE (cf_words_reminder_status, "pending", "due", "acknowledged", "cancelled");
    S_ASSERT_TABLE (cf_words_publisher_channel, "partner", "municipality", "provider", "telephony");
    S_ASSERT_TABLE (cf_words_inbound_state, "accepted", "applied", "rejected");
    S_ASSERT_TABLE (cf_words_law, "wmo", "jeugdwet", "participatiewet", "other");
    S_ASSERT_TABLE (cf_words_subscription_state, "active", "paused", "retired", "removed",
                    "verifying");
    //  The values are the proto's.
    assert_int_equal (cf_words_parse (&cf_words_channel, "walk-in"),
                      CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN);
    assert_int_equal (cf_words_parse (&cf_words_handover_state, "meeting-planned"),
                      CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_PLANNED);
    assert_int_equal (cf_words_parse (&cf_words_handover_state, "meeting_planned"), -1);

    char list [160];
    assert_string_equal (cf_words_list (&cf_words_urgency, list, sizeof list), "regular, urgent");
    assert_string_equal (cf_words_list (&cf_words_domain, list, sizeof list),
                         "youth, support, work-income, debt, housing, mental-health, other");
    char small [10];
    assert_string_equal (cf_words_list (&cf_words_domain, small, sizeof small), "youth, su");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_id_grammar),   cmocka_unit_test (test_reminder_ids),
        cmocka_unit_test (test_id_refusal),   cmocka_unit_test (test_bsn),
        cmocka_unit_test (test_birth_dates),  cmocka_unit_test (test_phone),
        cmocka_unit_test (test_identity_key), cmocka_unit_test (test_words),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
