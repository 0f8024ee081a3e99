//  test_report_gateway: the report's figures from the gateway's stream
//  (cf_report_gateway, docs/report.md) on a scripted stream, at two
//  moments: the decision backlog (pending since the request, by law, the
//  median age), phone reachability (offered, answered of the calls with
//  an outcome, the median time to answer), folded on the events'
//  occurred_at only (a publisher's late `time` changes nothing), null
//  where no such event came in, and the same figures every time.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_report.h"

#include "caseflow/v1/gateway.pb-c.h"
#include "cf_time.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX 16

//  A scripted gateway stream: the events and their bodies.
typedef struct {
    Caseflow__V1__Event events [S_MAX];
    Caseflow__V1__Gateway__InboundAccepted accepted [S_MAX];
    Caseflow__V1__Gateway__Decision decisions [S_MAX];
    Caseflow__V1__Gateway__Call calls [S_MAX];
    const Caseflow__V1__Event *list [S_MAX];
    cf_fold_stream_t stream;
} s_script_t;

static int64_t
s_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static Caseflow__V1__Gateway__InboundAccepted *
s_event (s_script_t *self, const char *occurred_at)
{
    size_t i = self->stream.count++;
    assert_true (i < S_MAX);
    Caseflow__V1__Event *event = &self->events [i];
    caseflow__v1__event__init (event);
    event->stream = "gateway";
    event->seq = i + 1;
    event->occurred_at = s_time (occurred_at);
    event->body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    Caseflow__V1__Gateway__InboundAccepted *accepted = &self->accepted [i];
    caseflow__v1__gateway__inbound_accepted__init (accepted);
    //  A publisher's own clock, far off: never folded.
    accepted->ce_time = s_time ("2030-01-01T00:00");
    event->inbound_accepted = accepted;
    self->list [i] = event;
    self->stream.events = self->list;
    self->stream.available = true;
    return accepted;
}

static void
s_decision (s_script_t *self, const char *at, const char *id, Caseflow__V1__Gateway__Law law,
            bool issued)
{
    Caseflow__V1__Gateway__InboundAccepted *accepted = s_event (self, at);
    Caseflow__V1__Gateway__Decision *decision = &self->decisions [self->stream.count - 1];
    caseflow__v1__gateway__decision__init (decision);
    decision->decision_id = (char *) id;
    decision->law = law;
    decision->issued = issued;
    accepted->source = "urn:nld:backoffice";
    accepted->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION;
    accepted->decision = decision;
}

static void
s_call (s_script_t *self, const char *at, const char *id, Caseflow__V1__Gateway__CallStage stage,
        const char *queued, const char *answered)
{
    Caseflow__V1__Gateway__InboundAccepted *accepted = s_event (self, at);
    Caseflow__V1__Gateway__Call *call = &self->calls [self->stream.count - 1];
    caseflow__v1__gateway__call__init (call);
    call->call_id = (char *) id;
    call->stage = stage;
    call->queued_at = s_time (queued);
    call->answered_at = answered ? s_time (answered) : 0;
    accepted->source = "urn:nld:telefonie";
    accepted->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_CALL;
    accepted->call = call;
}

//  The figures at `at` as compact JSON (free it).
static char *
s_figures (const s_script_t *self, const char *at)
{
    json_t *figures = json_object ();
    cf_report_gateway (figures, &self->stream, s_time (at));
    char *text = json_dumps (figures, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref (figures);
    return text;
}

static void
s_expect (const s_script_t *self, const char *at, const char *fragment)
{
    char *text = s_figures (self, at);
    if (!strstr (text, fragment))
        fail_msg ("at %s: \"%s\" not in %s", at, fragment, text);
    free (text);
}

static void
test_two_moments (void **state)
{
    (void) state;
    s_script_t *s = calloc (1, sizeof *s);
    assert_non_null (s);
    const Caseflow__V1__Gateway__Law wmo = CASEFLOW__V1__GATEWAY__LAW__LAW_WMO;
    const Caseflow__V1__Gateway__Law youth = CASEFLOW__V1__GATEWAY__LAW__LAW_JEUGDWET;
    const Caseflow__V1__Gateway__CallStage offered =
        CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_OFFERED;
    const Caseflow__V1__Gateway__CallStage answered =
        CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ANSWERED;
    const Caseflow__V1__Gateway__CallStage abandoned =
        CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ABANDONED;
    s_decision (s, "2022-01-03T09:00", "B1", wmo, false);
    s_decision (s, "2022-01-05T09:00", "B2", youth, false);
    s_decision (s, "2022-01-10T09:00", "B3", wmo, false);
    s_call (s, "2022-01-10T09:00", "c1", offered, "2022-01-10T09:00", NULL);
    s_call (s, "2022-01-10T09:01", "c1", answered, "2022-01-10T09:00", "2022-01-10T09:01:30");
    s_call (s, "2022-01-10T09:05", "c2", offered, "2022-01-10T09:05", NULL);
    s_call (s, "2022-01-10T09:09", "c2", abandoned, "2022-01-10T09:05", NULL);
    s_call (s, "2022-01-10T09:10", "c3", answered, "2022-01-10T09:08", "2022-01-10T09:10");
    s_call (s, "2022-01-10T09:20", "c4", offered, "2022-01-10T09:20", NULL);
    s_decision (s, "2022-01-12T09:00", "B1", wmo, true);

    //  Before anything came in: null, not zero.
    s_expect (s, "2022-01-01", "\"decisions_pending\":null");
    s_expect (s, "2022-01-01", "\"decisions_pending_days_median\":null");
    s_expect (s, "2022-01-01", "\"calls_offered\":null");
    s_expect (s, "2022-01-01", "\"calls_answered_pct\":null");
    s_expect (s, "2022-01-01", "\"call_answer_seconds_median\":null");

    //  At 11 January 09:00: B1 (8 days), B2 (6), B3 (1) pending; four
    //  calls, two answered (90 s, 120 s) and one abandoned of the three
    //  with an outcome, one still waiting.
    const char *first = "2022-01-11T09:00";
    s_expect (s, first, "\"decisions_pending\":3");
    s_expect (s, first, "\"decisions_pending_days_median\":6,");
    s_expect (s, first,
              "\"decisions_pending_by_law\":{\"jeugdwet\":1,\"other\":0,"
              "\"participatiewet\":0,\"wmo\":2}");
    s_expect (s, first, "\"decisions_issued\":0");
    s_expect (s, first, "\"calls_offered\":4");
    s_expect (s, first, "\"calls_answered\":2");
    s_expect (s, first, "\"calls_abandoned\":1");
    s_expect (s, first, "\"calls_waiting\":1");
    s_expect (s, first, "\"calls_answered_pct\":66.7");
    s_expect (s, first, "\"call_answer_seconds_median\":90,");

    //  At 13 January 09:00: B1 issued; B2 (8 days) and B3 (3) pending.
    const char *second = "2022-01-13T09:00";
    s_expect (s, second, "\"decisions_pending\":2");
    s_expect (s, second, "\"decisions_pending_days_median\":3,");
    s_expect (s, second, "\"decisions_issued\":1");
    s_expect (s, second, "\"decisions_requested\":3");

    //  The same stream and moment give the same figures, every time; a
    //  past moment is not changed by what came in after it.
    char *once = s_figures (s, first), *again = s_figures (s, first);
    assert_string_equal (once, again);
    free (once);
    free (again);
    //  An unreadable stream: every figure null.
    s->stream.available = false;
    s_expect (s, second, "\"decisions_pending\":null");
    s_expect (s, second, "\"calls_offered\":null");
    json_t *none = json_object ();
    cf_report_gateway (none, NULL, s_time (second));
    assert_true (json_is_null (json_object_get (none, "calls_answered_pct")));
    json_decref (none);
    free (s);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_two_moments),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
