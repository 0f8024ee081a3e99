//  console_web_source: the web page over the console's projections (see
//  console_web_source.h).
#include "console_web_source.h"

#include "console_report.h"
#include "console_state.h"
#include "console_strings.h"
#include "console_view.h"
#include "console_web.h"
#include "console_web_act.h"

#include "handover_progress_json.h"
#include "handover_query.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  The source's context: the state and the service it answers for.
typedef struct {
    console_state_t *state;
    cf_service_t *service;
    console_web_t *web;
    console_web_act_t *act;
} s_context_t;

static json_t *
s_time (int64_t at)
{
    char text [40];
    return at ? json_string (cf_time_format_local (at, text, sizeof text)) : json_null ();
}

static int64_t
s_now (void *ctx)
{
    return cf_service_now (((s_context_t *) ctx)->service);
}

//  The council report at each of `ats` (docs/console.md, GET /api/report,
//  and the report page's week ends): the document of
//  `caseflowctl --json report --at`, made by the same code
//  (console_report_documents: cf_report_figures, handover_progress_embed),
//  the logs decoded once for all the moments. A moment the console has
//  not caught up to is UNAVAILABLE; without intake's stream there are no
//  figures at all (CF_ESTATE).
static int
s_report (void *ctx, const int64_t *ats, size_t count, json_t **results)
{
    s_context_t *self = ctx;
    for (size_t i = 0; i < count; i++)
        if (console_view_behind (self->service, ats [i]))
            return CF_EUNAVAILABLE;
    const char *why = NULL;
    if (console_report_documents (self->state, ats, count, results, &why) != 0) {
        cf_log_warn ("report: %s", why);
        return CF_ESTATE;
    }
    return 0;
}

//  Handover progress now, per provider and in all (GET /api/handovers):
//  handover's own progress report over the console's handover state, as
//  `caseflowctl --json handover progress` prints it. NOT_FOUND when the
//  handover stream is not followed.
static int
s_handovers (void *ctx, json_t **result_p)
{
    s_context_t *self = ctx;
    int64_t now = cf_service_now (self->service);
    if (console_view_behind (self->service, now))
        return CF_EUNAVAILABLE;
    if (!self->state->followed [CONSOLE_HANDOVER])
        return CF_ENOTFOUND;
    Caseflow__V1__Handover__ProgressReport *report =
        handover_progress_report_new (self->state->handovers, NULL, now);
    *result_p = handover_progress_json (report);
    caseflow__v1__handover__progress_report__free_unpacked (report, NULL);
    return 0;
}

//  The locations of the whole waiting list, each once, in the order first
//  seen: the choices of the page's location filter.
static json_t *
s_waiting_locations (const console_state_t *state)
{
    json_t *seen = json_object ();
    json_t *locations = json_array ();
    for (size_t i = 0; i < state->waiting_count; i++) {
        const char *its = state->waiting [i]->location;
        if (its && *its && !json_object_get (seen, its)) {
            json_object_set_new (seen, its, json_true ());
            json_array_append_new (locations, json_string (its));
        }
    }
    json_decref (seen);
    return locations;
}

static int
s_waiting (void *ctx, const console_waiting_ask_t *ask, json_t **result_p)
{
    s_context_t *self = ctx;
    //  A filter word that is not an urgency or a domain keeps nobody.
    int urgency = 0, domain = 0;
    bool none = false;
    if (ask->urgency && *ask->urgency)
        none |= (urgency = cf_words_parse (&cf_words_urgency, ask->urgency)) < 0;
    if (ask->domain && *ask->domain)
        none |= (domain = cf_words_parse (&cf_words_domain, ask->domain)) < 0;
    Caseflow__V1__Console__Waiting filter = CASEFLOW__V1__CONSOLE__WAITING__INIT;
    filter.limit = (uint32_t) ask->limit;
    filter.location = (char *) (ask->location ? ask->location : "");
    filter.domain = none ? 0 : (Caseflow__V1__Domain) domain;
    size_t matched = 0;
    Caseflow__V1__Console__WaitingList *list = console_view_waiting_page (
        self->state, cf_service_now (self->service), &filter, none ? 0 : urgency,
        none ? SIZE_MAX : (ask->page - 1) * ask->limit, &matched);
    if (none)
        matched = 0;
    json_t *entries = json_array ();
    for (size_t i = 0; i < list->n_entries; i++) {
        const Caseflow__V1__Console__WaitingEntry *entry = list->entries [i];
        json_t *domains = json_array ();
        for (size_t d = 0; d < entry->n_domains; d++)
            json_array_append_new (
                domains, json_string (cf_words_name (&cf_words_domain, entry->domains [d])));
        json_array_append_new (
            entries,
            json_pack ("{s:s, s:i, s:s, s:o, s:i, s:o, s:s}", "case_id", entry->case_id, "position",
                       (int) entry->position, "urgency",
                       cf_words_name (&cf_words_urgency, entry->urgency), "registered_at",
                       s_time (entry->registered_at), "waiting_days", (int) entry->waiting_days,
                       "domains", domains, "location", entry->location));
    }
    *result_p = json_pack ("{s:o, s:i, s:i, s:i, s:i, s:o, s:o}", "at", s_time (list->now), "total",
                           (int) list->total, "matched", (int) matched, "page", (int) ask->page,
                           "limit", (int) ask->limit, "locations",
                           s_waiting_locations (self->state), "waiting", entries);
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    return 0;
}

static int
s_callbacks (void *ctx, json_t **result_p)
{
    s_context_t *self = ctx;
    int64_t now = cf_service_now (self->service);
    Caseflow__V1__Console__CallbackList *list =
        console_view_callbacks_today (self->state, now, NULL);
    json_t *callbacks = json_array ();
    for (size_t i = 0; i < list->n_entries; i++) {
        const Caseflow__V1__Console__CallbackEntry *entry = list->entries [i];
        //  With notification's claim: who holds it and until when (the
        //  Today page's "claimed by"), or parked for a team lead.
        json_array_append_new (
            callbacks,
            json_pack ("{s:s, s:s, s:s, s:o, s:o, s:s, s:I, s:o, s:o, s:b}", "reminder_id",
                       entry->reminder_id, "kind", "callback", "case_id", entry->case_id, "due_at",
                       s_time (entry->due_at), "answer_by", s_time (entry->answer_by), "location",
                       entry->location, "number", (json_int_t) entry->number, "claimed_by",
                       entry->claimed_by && *entry->claimed_by ? json_string (entry->claimed_by)
                                                               : json_null (),
                       "lease_until", s_time (entry->lease_until), "parked", entry->parked));
    }
    Caseflow__V1__Console__UrgentList *urgent = console_view_urgent_unassigned (self->state, now);
    json_t *alerts = json_array ();
    for (size_t i = 0; i < urgent->n_entries; i++) {
        const Caseflow__V1__Console__UrgentEntry *entry = urgent->entries [i];
        json_array_append_new (alerts,
                               json_pack ("{s:s, s:s, s:o, s:s}", "kind",
                                          entry->escalated ? "no-worker" : "urgent", "case_id",
                                          entry->case_id, "due_at", s_time (entry->urgent_since),
                                          "location", entry->location));
    }
    *result_p = json_pack ("{s:o, s:o, s:o, s:o}", "at", s_time (now), "until",
                           s_time (list->until), "callbacks", callbacks, "alerts", alerts);
    caseflow__v1__console__callback_list__free_unpacked (list, NULL);
    caseflow__v1__console__urgent_list__free_unpacked (urgent, NULL);
    return 0;
}

//  A case as the console knows it: what it is now and its events across
//  the streams, in the order applied (docs/console.md, GET /api/cases/{id}).
//  The summaries of caseflowctl's `case show` are its own fold's; here
//  each event's is its kind in English words (console_event_summary; the
//  page shows it in the reader's language).
static int
s_case_show (void *ctx, const char *case_id, json_t **result_p)
{
    s_context_t *self = ctx;
    if (console_view_behind (self->service, cf_service_now (self->service)))
        return CF_EUNAVAILABLE;
    const console_case_t *kase = console_state_case (self->state, case_id);
    if (!kase)
        return CF_ENOTFOUND;
    json_t *domains = json_array ();
    for (int domain = 0; domain < 16; domain++)
        if (kase->domains & (1u << domain))
            json_array_append_new (domains, json_string (cf_words_name (&cf_words_domain, domain)));
    json_t *timeline = json_array ();
    for (uint32_t i = 0; i < kase->events.count; i++) {
        console_ref_t ref = kase->events.refs [i];
        console_stream_t stream = CONSOLE_REF_STREAM (ref);
        Caseflow__V1__Event *event =
            console_log_decode (self->state->logs [stream], CONSOLE_REF_INDEX (ref), NULL);
        json_array_append_new (
            timeline,
            json_pack ("{s:s, s:I, s:s, s:o, s:s}", "stream", cf_fold_stream_name (stream), "seq",
                       (json_int_t) event->seq, "type", cf_event_type_name (event), "occurred_at",
                       s_time (event->occurred_at), "summary",
                       console_event_summary (CONSOLE_LANG_EN, cf_event_type_name (event))));
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    *result_p = json_pack ("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "case_id", kase->id,
                           "status", cf_words_name (&cf_words_case_status, kase->status), "urgency",
                           cf_words_name (&cf_words_urgency, kase->urgency), "domains", domains,
                           "registered_at", s_time (kase->registered_at), "worker_id",
                           *kase->worker ? json_string (kase->worker) : json_null (), "location",
                           *kase->location ? json_string (kase->location) : json_null (),
                           "timeline", timeline);
    return 0;
}

static int
s_act (void *ctx, const console_web_action_t *action, console_web_done_fn *done, void *done_ctx)
{
    return console_web_act (((s_context_t *) ctx)->act, action, done, done_ctx);
}

static void
s_answer (void *ctx, cf_http_request_t *request, unsigned status, const char *content_type,
          const char *body, size_t size)
{
    s_context_t *self = ctx;
    cf_service_http_answer (self->service, request, 0, status, content_type, body, size);
}

static void
s_route (void *state, cf_service_t *service, cf_http_request_t *request)
{
    (void) service;
    s_context_t *self = ((console_state_t *) state)->web;
    console_web_handle (self->web, request, cf_time_system_now () / CF_USEC_PER_SEC);
}

const cf_service_route_t console_web_routes [CONSOLE_WEB_ROUTE_COUNT] = {
    { "/", "web-max-body", s_route },        { "/today", "web-max-body", s_route },
    { "/waiting", "web-max-body", s_route }, { "/handovers", "web-max-body", s_route },
    { "/report", "web-max-body", s_route },  { "/case", "web-max-body", s_route },
    { "/static", "web-max-body", s_route },  { "/api", "web-max-body", s_route },
};

void *
console_web_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    uint8_t secret [CONSOLE_AUTH_SECRET_SIZE];
    if (console_auth_secret_load (cf_config_string (config, "data-dir"), secret) != 0)
        return NULL;
    char error [256];
    console_auth_t *auth = console_auth_new (
        cf_config_string (config, "web-trusted-proxies"), cf_config_string (config, "web-users"),
        cf_config_string (config, "web-user-header"), cf_config_string (config, "web-local-user"),
        secret, error, sizeof error);
    sodium_memzero (secret, sizeof secret);
    if (!auth) {
        cf_log_error ("%s (CASEFLOW_CONSOLE_*)", error);
        return NULL;
    }
    if (*cf_config_string (config, "web-local-user"))
        cf_log_warn ("--web-local-user: every loopback request that names nobody is %s (demo and "
                     "development only)",
                     cf_config_string (config, "web-local-user"));
    console_state_t *state = console_state_new_hook (service);
    s_context_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->state = state;
    self->service = service;
    console_web_source_t source = {
        .ctx = self,
        .now = s_now,
        .report = s_report,
        .waiting = s_waiting,
        .callbacks = s_callbacks,
        .handovers = s_handovers,
        .case_show = s_case_show,
        .act = s_act,
        .answer = s_answer,
    };
    self->act = console_web_act_new (service);
    self->web = console_web_new (&auth, &source);
    state->web = self;
    return state;
}

void
console_web_state_destroy_hook (void **state_p)
{
    console_state_t *state = *state_p;
    if (state && state->web) {
        s_context_t *self = state->web;
        console_web_destroy (&self->web);
        console_web_act_destroy (&self->act);
        free (self);
        state->web = NULL;
    }
    console_state_destroy_hook (state_p);
}
