//  console_query: the console's queries (see console_query.h).
#include "console_query.h"
#include "console_report.h"
#include "console_timeline.h"
#include "console_view.h"
#include "console_whatif.h"

#include "cf_api.h"
#include "cf_decider.h"
#include "cf_id.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

//  The sandbox's changes from the query's (borrowed). False (the reply
//  says why) for a bad one the sandbox's check does not see.
static bool
s_changes (const Caseflow__V1__Console__WhatIfChanges *in, const char *field,
           Caseflow__V1__Reply *reply, assignment_whatif_changes_t *out)
{
    char name [128];
    memset (out, 0, sizeof *out);
    if (!in)
        return true;
    out->from = in->from;
    out->to = in->to;
    out->add_workers = in->add_workers;
    out->add_fte_milli = in->add_fte_milli;
    out->add_location = in->add_location;
    for (size_t i = 0; i < in->n_add_expertise; i++) {
        if (in->add_expertise [i] <= 0
            || in->add_expertise [i] > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER) {
            snprintf (name, sizeof name, "%s.add_expertise", field);
            cf_api_reply_invalid (reply, name, "is not a domain");
            return false;
        }
        out->add_expertise_mask |= 1u << in->add_expertise [i];
    }
    out->add_starting = in->add_starting;
    out->remove_absences = (const char *const *) in->remove_absences;
    out->n_remove_absences = in->n_remove_absences;
    out->max_caseload = in->max_caseload;
    out->set_continuity_margin = in->set_continuity_margin;
    out->continuity_margin = in->continuity_margin;
    return true;
}

static void
s_what_if (console_state_t *state, cf_service_t *service,
           const Caseflow__V1__Console__WhatIf *query, Caseflow__V1__Reply *reply)
{
    assignment_whatif_changes_t changes;
    int64_t to = 0;
    if (!s_changes (query->changes, S_PREFIX "what_if.changes", reply, &changes)
        || !s_moment (service, changes.to, S_PREFIX "what_if.changes.to", reply, &to))
        return;
    changes.to = to;
    assignment_config_t config =
        assignment_config_read (cf_service_config (service), "assignment-");
    const char *why = NULL;
    char error [256] = "";
    Caseflow__V1__Console__WhatIfResult *answer =
        console_whatif_new (state, &config, &changes, &why, error, sizeof error);
    if (!answer) {
        if (why)
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                                 S_PREFIX "what_if", why);
        else
            cf_api_reply_invalid (reply, S_PREFIX "what_if.changes", "%s", error);
        return;
    }
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_WHAT_IF;
    result->what_if = answer;
}

static void
s_forecast (console_state_t *state, cf_service_t *service,
            const Caseflow__V1__Console__Forecast *query, Caseflow__V1__Reply *reply)
{
    assignment_whatif_changes_t changes;
    if (!s_changes (query->changes, S_PREFIX "forecast.changes", reply, &changes))
        return;
    //  A forecast starts now, by the console's clock, with the changes
    //  in force from then on.
    assignment_whatif_changes_t none = { 0 };
    bool changed = memcmp (&changes, &none, sizeof none) != 0;
    changes.from = changes.to = cf_service_now (service);
    if (changes.add_starting && changes.add_starting < changes.from)
        changes.add_starting = changes.from;
    assignment_config_t config =
        assignment_config_read (cf_service_config (service), "assignment-");
    const char *why = NULL;
    char error [256] = "";
    Caseflow__V1__Console__ForecastResult *answer = console_forecast_new (
        state, &config, &changes, changed, query->weeks, query->window, &why, error, sizeof error);
    if (!answer) {
        if (why)
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                                 S_PREFIX "forecast", why);
        else
            cf_api_reply_invalid (reply, S_PREFIX "forecast", "%s", error);
        return;
    }
    Caseflow__V1__Console__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__CONSOLE__QUERY_RESULT__BODY_FORECAST;
    result->forecast = answer;
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
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_WHAT_IF:
            s_what_if (self, service, own->what_if, reply);
            break;
        case CASEFLOW__V1__CONSOLE__QUERY__BODY_FORECAST:
            s_forecast (self, service, own->forecast, reply);
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
