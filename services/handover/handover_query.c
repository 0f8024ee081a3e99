//  handover_query: queries over the state, answered with views; the hook
//  records every view it answers with in the access log (and every transit
//  key it hands over).
//
//  A view shows the personal data its handover's events carried sealed,
//  opened with the handover's transit key (handover_transit.h): every
//  personal field reads "erased" once intake erased the resident, and
//  "unreadable" when a value does not open (logged by handover id), never
//  a crash.
#include "handover_query.h"
#include "handover_lifecycle.h"
#include "handover_progress.h"
#include "handover_transit.h"
#include "handover_validate.h"

#include "cf_api.h"
#include "cf_decider.h"
#include "cf_error.h"
#include "cf_id.h"
#include "cf_time.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_PREFIX       "query.handover."
#define S_LIST_DEFAULT 100
#define S_LIST_MAX     1000

//  The opened value of `sealed` (for `field`), or NULL with *failed_p the
//  placeholder to show: "" when there is no value, else "erased" or
//  "unreadable".
static Caseflow__V1__Personal *
s_open (const handover_state_t *state, const handover_t *handover, const handover_sealed_t *sealed,
        const char *field, const char **failed_p)
{
    Caseflow__V1__Personal *personal = NULL;
    int rc = state->transit
                 ? handover_transit_open (state->transit, handover, sealed, field, &personal)
                 : (handover->erased_at ? CF_ENOTFOUND : CF_ECORRUPT);
    *failed_p = rc == 0              ? NULL
                : rc == 1            ? ""
                : rc == CF_ENOTFOUND ? HANDOVER_ERASED
                                     : HANDOVER_UNREADABLE;
    return personal;
}

//  Replaces *field_p (a view's string) with a copy of `text`.
static void
s_set (char **field_p, const char *text)
{
    if (*field_p != protobuf_c_empty_string)
        free (*field_p);
    *field_p = cf_strdup (text ? text : "");
}

static void
s_set_resident (Caseflow__V1__Handover__HandoverView *view,
                const Caseflow__V1__PersonalData *resident, const char *all)
{
    Caseflow__V1__PersonalData *copy = calloc (1, sizeof *copy);
    assert (copy);
    caseflow__v1__personal_data__init (copy);
    copy->name = cf_strdup (all ? all : resident->name);
    copy->birth_date = cf_strdup (all ? all : resident->birth_date);
    copy->phone = cf_strdup (all ? all : resident->phone);
    copy->district = cf_strdup (all ? all : resident->district);
    copy->bsn = cf_strdup (all ? all : resident->bsn);
    view->resident = copy;
}

void
handover_view_strip_personal (Caseflow__V1__Handover__HandoverView *view)
{
    caseflow__v1__personal_data__free_unpacked (view->resident, NULL);
    view->resident = NULL;
    s_set (&view->support, "");
    s_set (&view->decision_note, "");
    s_set (&view->cancel_reason, "");
    for (size_t i = 0; i < view->n_meetings; i++) {
        Caseflow__V1__Handover__Meeting *meeting = view->meetings [i];
        s_set (&meeting->location, "");
        for (size_t p = 0; p < meeting->n_participants; p++)
            free (meeting->participants [p]);
        free (meeting->participants);
        meeting->participants = NULL;
        meeting->n_participants = 0;
    }
    for (size_t i = 0; i < view->n_documents; i++)
        s_set (&view->documents [i]->title, "");
}

//  Fills the personal fields the state's view left empty.
static void
s_fill_personal (const handover_state_t *state, const handover_t *handover,
                 Caseflow__V1__Handover__HandoverView *view)
{
    const char *failed;
    Caseflow__V1__Personal *personal =
        s_open (state, handover, &handover->announced, HANDOVER_FIELD_ANNOUNCED, &failed);
    if (personal && personal->resident)
        s_set_resident (view, personal->resident, NULL);
    else
        s_set_resident (view, NULL, personal ? "" : failed);
    s_set (&view->support, personal ? personal->text : failed);
    cf_seal_personal_free (personal);

    for (size_t i = 0; i < handover->meeting_count; i++) {
        Caseflow__V1__Handover__Meeting *meeting = view->meetings [i];
        personal = s_open (state, handover, &handover->meetings [i].personal,
                           HANDOVER_FIELD_MEETING, &failed);
        s_set (&meeting->location, personal ? personal->text : failed);
        if (personal && personal->n_texts) {
            meeting->participants = calloc (personal->n_texts, sizeof *meeting->participants);
            assert (meeting->participants);
            for (size_t p = 0; p < personal->n_texts; p++)
                meeting->participants [p] = cf_strdup (personal->texts [p]);
            meeting->n_participants = personal->n_texts;
        }
        cf_seal_personal_free (personal);
    }
    personal = s_open (state, handover, &handover->decision, HANDOVER_FIELD_DECIDED, &failed);
    s_set (&view->decision_note, personal ? personal->text : failed);
    cf_seal_personal_free (personal);
    personal = s_open (state, handover, &handover->cancel, HANDOVER_FIELD_CANCELLED, &failed);
    s_set (&view->cancel_reason, personal ? personal->text : failed);
    cf_seal_personal_free (personal);

    //  Each batch of documents opens once.
    for (size_t b = 0; b < handover->file_batch_count; b++) {
        personal =
            s_open (state, handover, &handover->file_batches [b], HANDOVER_FIELD_FILES, &failed);
        for (size_t i = 0; i < handover->document_count; i++) {
            const handover_document_t *document = &handover->documents [i];
            if (document->batch != b)
                continue;
            const char *title = failed;
            if (personal)
                title = document->position < personal->n_texts
                            ? personal->texts [document->position]
                            : HANDOVER_UNREADABLE;
            s_set (&view->documents [i]->title, title);
        }
        cf_seal_personal_free (personal);
    }
}

Caseflow__V1__Handover__HandoverView *
handover_query_view (const handover_state_t *state, const handover_t *handover, int64_t now,
                     bool personal)
{
    Caseflow__V1__Handover__HandoverView *view = handover_state_view (handover);
    if (personal)
        s_fill_personal (state, handover, view);
    view->overdue = handover_overdue_at (handover, now);
    view->at_risk = handover_at_risk_at (handover, now, state->config.at_risk_window);
    return view;
}

static Caseflow__V1__Handover__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *outer = cf_api_reply_query (reply);
    if (!outer->handover) {
        Caseflow__V1__Handover__QueryResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__handover__query_result__init (result);
        outer->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_HANDOVER;
        outer->handover = result;
    }
    return outer->handover;
}

static void
s_get_handover (const handover_state_t *state, int64_t now,
                const Caseflow__V1__Handover__GetHandover *query, Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, S_PREFIX "get_handover.handover_id", query->handover_id, true))
        return;
    const handover_t *handover = handover_state_find (state, query->handover_id);
    if (!handover) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_PREFIX "get_handover.handover_id", "no handover %s",
                             query->handover_id);
        return;
    }
    Caseflow__V1__Handover__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_HANDOVER;
    result->handover = handover_query_view (state, handover, now, true);
}

static void
s_list_handovers (const handover_state_t *state, int64_t now,
                  const Caseflow__V1__Handover__ListHandovers *query, Caseflow__V1__Reply *reply)
{
    if (query->limit > S_LIST_MAX) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "list_handovers.limit", "limit must be at most %d",
                             S_LIST_MAX);
        return;
    }
    if ((int) query->state < 0 || query->state > HANDOVER_CANCELLED) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "list_handovers.state", "state is not a handover state");
        return;
    }
    size_t start = 0;
    if (*query->after) {
        const handover_t *after = handover_state_find (state, query->after);
        if (!after) {
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 S_PREFIX "list_handovers.after", "after must be a handover id");
            return;
        }
        while (state->handovers [start] != after)
            start++;
        start++;
    }
    size_t limit = query->limit ? query->limit : S_LIST_DEFAULT;
    Caseflow__V1__Handover__HandoverList *list = calloc (1, sizeof *list);
    assert (list);
    caseflow__v1__handover__handover_list__init (list);
    list->handovers = calloc (limit, sizeof *list->handovers);
    assert (list->handovers);
    const char *last = NULL;
    bool more = false;
    for (size_t i = start; i < state->count; i++) {
        const handover_t *handover = state->handovers [i];
        if (*query->provider_id && strcmp (handover->provider_id, query->provider_id) != 0)
            continue;
        if (query->state && handover->status != query->state)
            continue;
        if (query->overdue_only && !handover_overdue_at (handover, now))
            continue;
        if (list->n_handovers == limit) {
            more = true;
            break;
        }
        list->handovers [list->n_handovers++] = handover_query_view (state, handover, now, true);
        last = handover->id;
    }
    list->next = cf_strdup (more && last ? last : "");
    Caseflow__V1__Handover__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_HANDOVERS;
    result->handovers = list;
}

static void
s_list_providers (const handover_state_t *state, Caseflow__V1__Reply *reply)
{
    size_t count = 0;
    handover_provider_t **providers = handover_state_providers (state, &count);
    Caseflow__V1__Handover__ProviderList *list = calloc (1, sizeof *list);
    assert (list);
    caseflow__v1__handover__provider_list__init (list);
    if (count) {
        list->providers = calloc (count, sizeof *list->providers);
        assert (list->providers);
        for (size_t i = 0; i < count; i++)
            list->providers [i] = handover_state_provider_view (providers [i]);
        list->n_providers = count;
    }
    free (providers);
    Caseflow__V1__Handover__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_PROVIDERS;
    result->providers = list;
}

static Caseflow__V1__Handover__ProgressCounts *
s_counts_view (const handover_counts_t *counts)
{
    Caseflow__V1__Handover__ProgressCounts *view = calloc (1, sizeof *view);
    assert (view);
    caseflow__v1__handover__progress_counts__init (view);
    view->total = counts->total;
    view->in_progress = counts->in_progress;
    view->announced = counts->announced;
    view->meeting_planned = counts->meeting_planned;
    view->meeting_held = counts->meeting_held;
    view->decided = counts->decided;
    view->completed = counts->completed;
    view->cancelled = counts->cancelled;
    view->overdue = counts->overdue;
    view->at_risk = counts->at_risk;
    view->completed_late = counts->completed_late;
    view->completed_in_window = counts->completed_in_window;
    view->remaining = counts->remaining;
    view->forecast_completion_date = cf_strdup (counts->forecast_date);
    view->on_track = counts->on_track;
    return view;
}

static Caseflow__V1__Handover__ProviderProgress *
s_provider_progress (const handover_state_t *state, const handover_provider_t *provider, int64_t at)
{
    handover_counts_t counts;
    handover_progress_compute (state, provider->provider_id, at, &counts);
    Caseflow__V1__Handover__ProviderProgress *view = calloc (1, sizeof *view);
    assert (view);
    caseflow__v1__handover__provider_progress__init (view);
    view->provider_id = cf_strdup (provider->provider_id);
    view->name = cf_strdup (provider->name);
    view->counts = s_counts_view (&counts);
    return view;
}

Caseflow__V1__Handover__ProgressReport *
handover_progress_report_new (const handover_state_t *state, const char *provider_id, int64_t at)
{
    Caseflow__V1__Handover__ProgressReport *report = calloc (1, sizeof *report);
    assert (report);
    caseflow__v1__handover__progress_report__init (report);
    report->at = at;
    report->deadline = state->config.default_deadline;
    char date [32];
    //  The last day that is on time: the day of the deadline's last instant.
    report->deadline_date =
        cf_strdup (cf_time_format_date (report->deadline - 1, date, sizeof date));
    report->forecast_window_days = (uint32_t) (state->config.forecast_window / CF_USEC_PER_DAY);
    report->at_risk_window = state->config.at_risk_window;

    handover_counts_t counts;
    bool one = provider_id && *provider_id;
    handover_progress_compute (state, one ? provider_id : NULL, at, &counts);
    report->totals = s_counts_view (&counts);
    if (one) {
        const handover_provider_t *provider = handover_state_provider (state, provider_id);
        assert (provider);
        report->by_provider = calloc (1, sizeof *report->by_provider);
        assert (report->by_provider);
        report->by_provider [0] = s_provider_progress (state, provider, at);
        report->n_by_provider = 1;
    } else {
        size_t count = 0;
        handover_provider_t **providers = handover_state_providers (state, &count);
        if (count) {
            report->by_provider = calloc (count, sizeof *report->by_provider);
            assert (report->by_provider);
            for (size_t i = 0; i < count; i++)
                report->by_provider [i] = s_provider_progress (state, providers [i], at);
            report->n_by_provider = count;
        }
        free (providers);
    }
    return report;
}

static void
s_progress (const handover_state_t *state, int64_t now,
            const Caseflow__V1__Handover__Progress *query, Caseflow__V1__Reply *reply)
{
    if (query->at < 0 || query->at > now) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "progress.at",
                             "at must not be after the service clock's now "
                             "(0 means now)");
        return;
    }
    if (!cf_id_check (reply, S_PREFIX "progress.provider_id", query->provider_id, false))
        return;
    if (*query->provider_id && !handover_state_provider (state, query->provider_id)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_PREFIX "progress.provider_id", "no provider %s", query->provider_id);
        return;
    }
    Caseflow__V1__Handover__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_PROGRESS;
    result->progress =
        handover_progress_report_new (state, query->provider_id, query->at ? query->at : now);
}

static void
s_get_transit_key (const handover_state_t *state,
                   const Caseflow__V1__Handover__GetTransitKey *query, bool key_holder,
                   Caseflow__V1__Reply *reply)
{
    const char *field = S_PREFIX "get_transit_key.handover_id";
    if (!key_holder) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED,
                             S_PREFIX "get_transit_key",
                             "transit keys are handed only to a caller with the role service");
        return;
    }
    if (!cf_id_check (reply, field, query->handover_id, true))
        return;
    const handover_t *handover = handover_state_find (state, query->handover_id);
    if (!handover) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field, "no handover %s",
                             query->handover_id);
        return;
    }
    if (handover->status != HANDOVER_COMPLETED || handover->next_step != HANDOVER_NEXT_CONTINUE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, field,
                             "handover %s is not completed with next step continue: its transit "
                             "key stays with handover",
                             handover->id);
        return;
    }
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = handover->erased_at || !state->transit
                 ? CF_ENOTFOUND
                 : handover_transit_key (state->transit, handover->transit_key_id, key);
    if (rc) {
        cf_api_reply_status (reply,
                             rc == CF_ENOTFOUND ? CASEFLOW__V1__STATUS__CODE__NOT_FOUND
                                                : CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                             field, "the transit key of handover %s is %s", handover->id,
                             handover->erased_at ? "erased" : "not in the key store");
        return;
    }
    Caseflow__V1__Handover__TransitKey *answer = calloc (1, sizeof *answer);
    assert (answer);
    caseflow__v1__handover__transit_key__init (answer);
    answer->handover_id = cf_strdup (handover->id);
    answer->key_id = cf_strdup (handover->transit_key_id);
    answer->key.data = malloc (sizeof key);
    assert (answer->key.data);
    memcpy (answer->key.data, key, sizeof key);
    answer->key.len = sizeof key;
    sodium_memzero (key, sizeof key);
    Caseflow__V1__Handover__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_TRANSIT_KEY;
    result->transit_key = answer;
}

void
handover_query (const handover_state_t *state, int64_t now,
                const Caseflow__V1__Handover__Query *query, bool key_holder,
                Caseflow__V1__Reply *reply)
{
    assert (state && query && reply);
    switch (query->body_case) {
        case CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER:
            s_get_handover (state, now, query->get_handover, reply);
            break;
        case CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_HANDOVERS:
            s_list_handovers (state, now, query->list_handovers, reply);
            break;
        case CASEFLOW__V1__HANDOVER__QUERY__BODY_PROGRESS:
            s_progress (state, now, query->progress, reply);
            break;
        case CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_PROVIDERS:
            s_list_providers (state, reply);
            break;
        case CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_TRANSIT_KEY:
            s_get_transit_key (state, query->get_transit_key, key_holder, reply);
            break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "query.handover", "not a handover query");
    }
}

//  Every handover view in the answer is a read of its resident's personal
//  data (and of the free texts about them): one access record each
//  (cf_access.h); so is a transit key handed over, which opens them all.
//  Progress and providers hold none.
static void
s_account (cf_service_t *service, const Caseflow__V1__Handover__Query *query,
           const Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__QueryResult *outer = reply->query;
    if (cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK || !outer || !outer->handover)
        return;
    const Caseflow__V1__Handover__QueryResult *result = outer->handover;
    const char *action = protobuf_c_message_descriptor_get_field (
                             &caseflow__v1__handover__query__descriptor, query->body_case)
                             ->name;
    if (result->body_case == CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_HANDOVER)
        cf_service_record_access (service, action, NULL, result->handover->handover_id, NULL);
    else if (result->body_case == CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_TRANSIT_KEY)
        cf_service_record_access (service, action, NULL, result->transit_key->handover_id, NULL);
    else if (result->body_case == CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_HANDOVERS)
        for (size_t i = 0; i < result->handovers->n_handovers; i++)
            if (cf_service_record_access (service, action, NULL,
                                          result->handovers->handovers [i]->handover_id, NULL))
                break;  //  the runtime answers UNAVAILABLE instead
}

void
handover_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                     Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_query_body (query, CASEFLOW__V1__QUERY__BODY_HANDOVER, "handover", reply);
    if (!own)
        return;
    //  With keys, only a service (intake) takes a transit key; without
    //  keys every caller is local and unauthenticated anyway.
    bool key_holder =
        !cf_service_keys (service) || cf_service_caller_role (service) == CF_ROLE_SERVICE;
    handover_query (state, cf_service_now (service), (const Caseflow__V1__Handover__Query *) own,
                    key_holder, reply);
    s_account (service, (const Caseflow__V1__Handover__Query *) own, reply);
}
