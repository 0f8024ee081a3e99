//  console_query: the console's queries (see console_query.h).
#include "console_query.h"
#include "console_report.h"
#include "console_timeline.h"
#include "console_view.h"

#include "cf_api.h"
#include "cf_decider.h"
#include "cf_id.h"

#include <assert.h>
#include <stdlib.h>

#define S_PREFIX "query.console."

static Caseflow__V1__Console__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *outer = cf_api_reply_query (reply);
    if (!outer->console) {
        Caseflow__V1__Console__QueryResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__console__query_result__init (result);
        outer->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_CONSOLE;
        outer->console = result;
    }
    return outer->console;
}

static void
s_waiting (console_state_t *state, cf_service_t *service,
           const Caseflow__V1__Console__Waiting *query, Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, S_PREFIX "waiting.location", query->location, false))
        return;
    if (query->domain < 0 || query->domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER) {
        cf_api_reply_invalid (reply, S_PREFIX "waiting.domain", "is not a domain");
        return;
    }
    //  The list now, as the streams have it: never one the console is
    //  still catching up to.
    const char *behind = console_view_behind (service, cf_service_now (service));
    if (behind) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, S_PREFIX "waiting",
                             behind);
        return;
    }
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_WAITING;
    result->waiting = console_view_waiting (state, cf_service_now (service), query);
}

static void
s_callbacks_today (console_state_t *state, cf_service_t *service,
                   const Caseflow__V1__Console__CallbacksToday *query, Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, S_PREFIX "callbacks_today.location", query->location, false))
        return;
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_CALLBACKS_TODAY;
    result->callbacks_today =
        console_view_callbacks_today (state, cf_service_now (service), query->location);
}

//  The moment a fold is asked for: `at`, or the console's clock for 0. False
//  (the reply says why) when the console cannot answer for it yet.
static bool
s_moment (cf_service_t *service, int64_t at, const char *field, Caseflow__V1__Reply *reply,
          int64_t *moment_p)
{
    if (at < 0) {
        cf_api_reply_invalid (reply, field, "is before 1970");
        return false;
    }
    *moment_p = at ? at : cf_service_now (service);
    const char *behind = console_view_behind (service, *moment_p);
    if (behind) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, field, behind);
        return false;
    }
    return true;
}

static void
s_report (console_state_t *state, cf_service_t *service, const Caseflow__V1__Console__Report *query,
          Caseflow__V1__Reply *reply)
{
    int64_t at = 0;
    if (!s_moment (service, query->at, S_PREFIX "report.at", reply, &at))
        return;
    const char *why = NULL;
    Caseflow__V1__Console__ReportResult *report = console_report_new (state, at, &why);
    if (!report) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                             S_PREFIX "report", why);
        return;
    }
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_REPORT;
    result->report = report;
}

static void
s_case_timeline (console_state_t *state, cf_service_t *service,
                 const Caseflow__V1__Console__CaseTimeline *query, Caseflow__V1__Reply *reply)
{
    int64_t at = 0;
    if (!cf_id_check (reply, S_PREFIX "case_timeline.case_id", query->case_id, true)
        || !s_moment (service, query->at, S_PREFIX "case_timeline.at", reply, &at))
        return;
    Caseflow__V1__Console__CaseTimelineResult *timeline =
        console_timeline_new (state, query->case_id, at);
    if (!timeline) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_PREFIX "case_timeline.case_id",
                             "no such case was registered by that moment");
        return;
    }
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_CASE_TIMELINE;
    result->case_timeline = timeline;
}

void
console_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                    Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__Console__Query *own = (const void *) cf_decider_query_body (
        query, CASEFLOW__V1__QUERY__BODY_CONSOLE, "console", reply);
    if (!own)
        return;
    console_state_t *self = state;
    Caseflow__V1__Console__QueryResult *result = NULL;
    switch (own->body_case) {
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_REPORT:
            s_report (self, service, own->report, reply);
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_CASE_TIMELINE:
            s_case_timeline (self, service, own->case_timeline, reply);
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_WAITING:
            s_waiting (self, service, own->waiting, reply);
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_CALLBACKS_TODAY:
            s_callbacks_today (self, service, own->callbacks_today, reply);
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_URGENT_UNASSIGNED:
            result = s_result (reply);
            result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_URGENT_UNASSIGNED;
            result->urgent_unassigned =
                console_view_urgent_unassigned (self, cf_service_now (service));
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_CASELOAD:
            result = s_result (reply);
            result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_CASELOAD;
            result->caseload = console_view_caseload (self, cf_service_now (service));
            break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "query.console", "not a console query");
    }
}
