//  cf_report_gateway: the report's figures from the gateway's stream
//  (see cf_report.h and docs/report.md): the decision backlog of the
//  municipality's back office and the telephone platform's reachability.
//
//  Both are folded from the InboundAccepted events with occurred_at <= at
//  (the moment the gateway committed them), never from the publisher's
//  own `time`: a publisher's late clock cannot rewrite a past report. A
//  decision is pending from the request that reached caseflow until its
//  issue did; a call counts once by its id whatever stages arrived, and
//  its time to answer is the platform's own (answered_at - queued_at),
//  recorded in the event.
#include "cf_report.h"

#include "caseflow/v1/gateway.pb-c.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <czmq.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t requested_at;  //  0: no request came in by `at`
    bool issued;
    Caseflow__V1__Gateway__Law law;
} s_decision_t;

typedef struct {
    bool answered, abandoned;
    int64_t wait;  //  answered: microseconds from queued to answered
} s_call_t;

static void
s_free (void **item)
{
    free (*item);
    *item = NULL;
}

//  The item of `key` in `table`, made (zeroed) when missing.
static void *
s_item (zhashx_t *table, const char *key, size_t size)
{
    void *item = zhashx_lookup (table, key);
    if (!item) {
        item = calloc (1, size);
        assert (item);
        zhashx_insert (table, key, item);
    }
    return item;
}

//  The decision backlog: decisions_pending (null when no decision came
//  in), decisions_pending_days_median, by law, requested and issued.
static void
s_decisions (json_t *figures, zhashx_t *decisions, int64_t at)
{
    size_t count = zhashx_size (decisions), pending = 0, requested = 0, issued = 0;
    double *days = calloc (count + 1, sizeof *days);
    assert (days);
    json_t *by_law = json_object ();
    for (int law = CASEFLOW__V1__GATEWAY__LAW__LAW_WMO;
         law <= CASEFLOW__V1__GATEWAY__LAW__LAW_OTHER; law++)
        json_object_set_new (by_law, cf_words_name (&cf_words_law, law), json_integer (0));
    for (s_decision_t *decision = zhashx_first (decisions); decision;
         decision = zhashx_next (decisions)) {
        requested += decision->requested_at != 0;
        issued += decision->issued;
        if (!decision->requested_at || decision->issued)
            continue;
        days [pending++] = (double) (at - decision->requested_at) / (double) CF_USEC_PER_DAY;
        const char *law = cf_words_name (&cf_words_law, decision->law);
        json_t *slot = json_object_get (by_law, law ? law : "");
        if (slot)
            json_integer_set (slot, json_integer_value (slot) + 1);
    }
    bool any = count > 0;
    json_object_set_new (figures, "decisions_pending",
                         any ? json_integer ((json_int_t) pending) : json_null ());
    json_object_set_new (figures, "decisions_pending_days_median",
                         cf_fold_json_round1 (cf_fold_percentile (days, pending, 50)));
    json_object_set_new (figures, "decisions_requested",
                         any ? json_integer ((json_int_t) requested) : json_null ());
    json_object_set_new (figures, "decisions_issued",
                         any ? json_integer ((json_int_t) issued) : json_null ());
    if (any)
        json_object_set_new (figures, "decisions_pending_by_law", by_law);
    else {
        json_decref (by_law);
        json_object_set_new (figures, "decisions_pending_by_law", json_null ());
    }
    free (days);
}

//  Phone reachability: calls_offered (null when no call came in),
//  calls_answered_pct of the calls with an outcome, the median time to
//  answer, and the counts behind them.
static void
s_calls (json_t *figures, zhashx_t *calls)
{
    size_t count = zhashx_size (calls), answered = 0, abandoned = 0;
    double *seconds = calloc (count + 1, sizeof *seconds);
    assert (seconds);
    for (s_call_t *call = zhashx_first (calls); call; call = zhashx_next (calls)) {
        if (call->answered)
            seconds [answered++] = (double) call->wait / 1e6;
        else if (call->abandoned)
            abandoned++;
    }
    bool any = count > 0;
    json_object_set_new (figures, "calls_offered",
                         any ? json_integer ((json_int_t) count) : json_null ());
    json_object_set_new (
        figures, "calls_answered_pct",
        cf_fold_json_round1 (answered + abandoned
                                 ? 100.0 * (double) answered / (double) (answered + abandoned)
                                 : NAN));
    json_object_set_new (figures, "call_answer_seconds_median",
                         cf_fold_json_round1 (cf_fold_percentile (seconds, answered, 50)));
    json_object_set_new (figures, "calls_answered",
                         any ? json_integer ((json_int_t) answered) : json_null ());
    json_object_set_new (figures, "calls_abandoned",
                         any ? json_integer ((json_int_t) abandoned) : json_null ());
    json_object_set_new (figures, "calls_waiting",
                         any ? json_integer ((json_int_t) (count - answered - abandoned))
                             : json_null ());
    free (seconds);
}

void
cf_report_gateway (json_t *figures, const cf_fold_stream_t *gateway, int64_t at)
{
    zhashx_t *decisions = zhashx_new ();  //  "source decision_id" -> s_decision_t
    zhashx_t *calls = zhashx_new ();      //  "source call_id" -> s_call_t
    zhashx_set_destructor (decisions, s_free);
    zhashx_set_destructor (calls, s_free);
    for (size_t i = 0; gateway && gateway->available && i < gateway->count; i++) {
        const Caseflow__V1__Event *event = gateway->events [i];
        if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED
            || event->occurred_at > at)
            continue;
        const Caseflow__V1__Gateway__InboundAccepted *in = event->inbound_accepted;
        char key [512];
        if (in->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION) {
            snprintf (key, sizeof key, "%s %s", in->source, in->decision->decision_id);
            s_decision_t *decision = s_item (decisions, key, sizeof *decision);
            if (in->decision->issued)
                decision->issued = true;
            else if (!decision->requested_at) {
                decision->requested_at = event->occurred_at;
                decision->law = in->decision->law;
            }
        } else if (in->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_CALL) {
            snprintf (key, sizeof key, "%s %s", in->source, in->call->call_id);
            s_call_t *call = s_item (calls, key, sizeof *call);
            if (in->call->stage == CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ANSWERED
                && !call->answered && !call->abandoned) {
                call->answered = true;
                call->wait = in->call->answered_at > in->call->queued_at
                                 ? in->call->answered_at - in->call->queued_at
                                 : 0;
            } else if (in->call->stage == CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ABANDONED
                       && !call->answered)
                call->abandoned = true;
        }
    }
    s_decisions (figures, decisions, at);
    s_calls (figures, calls);
    zhashx_destroy (&calls);
    zhashx_destroy (&decisions);
}
