//  intake_query: queries and views (see intake_query.h).
//
//  Views are built with malloc and cf_strdup throughout, because the reply
//  they are attached to is freed with protobuf-c's free_unpacked (the
//  system allocator). List views leave out personal data and free text:
//  a list is for finding cases, get_case is for reading one.
#include "intake_query.h"

#include "cf_api.h"
#include "cf_case_id.h"
#include "cf_decider.h"
#include "cf_id.h"
#include "cf_resident.h"
#include "intake_personal.h"
#include "intake_registry.h"
#include "intake_lifecycle.h"
#include "intake_validate.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_BAD CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT

static void *
s_alloc (size_t size)
{
    void *data = calloc (1, size ? size : 1);
    assert (data);
    return data;
}

static Caseflow__V1__Domain *
s_domains (intake_domains_t set, size_t *count_p)
{
    Caseflow__V1__Domain *domains = s_alloc (INTAKE_DOMAIN_MAX * sizeof *domains);
    *count_p = intake_domains_list (set, domains);
    return domains;
}

static char **
s_strings (char *const *strings, size_t count)
{
    char **copy = s_alloc (count * sizeof *copy);
    for (size_t i = 0; i < count; i++)
        copy [i] = cf_strdup (strings [i]);
    return copy;
}

static void
s_view_callbacks (const intake_state_t *state, const intake_case_t *kase,
                  Caseflow__V1__Intake__CaseView *view)
{
    view->callbacks = s_alloc (kase->callback_count * sizeof *view->callbacks);
    view->n_callbacks = kase->callback_count;
    for (size_t i = 0; i < kase->callback_count; i++) {
        const intake_callback_t *callback = &kase->callbacks [i];
        Caseflow__V1__Intake__CallbackView *item = s_alloc (sizeof *item);
        caseflow__v1__intake__callback_view__init (item);
        item->recorded_at = callback->recorded_at;
        item->due_at = callback->due_at;
        item->outcome = callback->outcome;
        item->note = intake_personal_text (state, kase, &callback->note, INTAKE_FIELD_CALLBACK);
        item->reminder_id = cf_strdup (callback->reminder_id);
        view->callbacks [i] = item;
    }
}

static void
s_view_questions (const intake_state_t *state, const intake_case_t *kase,
                  Caseflow__V1__Intake__CaseView *view)
{
    view->questions = s_alloc (kase->question_count * sizeof *view->questions);
    view->n_questions = kase->question_count;
    for (size_t i = 0; i < kase->question_count; i++) {
        const intake_question_t *question = &kase->questions [i];
        Caseflow__V1__Intake__QuestionView *item = s_alloc (sizeof *item);
        caseflow__v1__intake__question_view__init (item);
        item->added_at = question->added_at;
        item->channel = question->channel;
        item->domains = s_domains (question->domains, &item->n_domains);
        item->question =
            intake_personal_text (state, kase, &question->personal, INTAKE_FIELD_QUESTION);
        item->referred_by = cf_strdup (question->referred_by);
        item->handover_id = cf_strdup (question->handover_id);
        item->provider_id = cf_strdup (question->provider_id);
        view->questions [i] = item;
    }
}

Caseflow__V1__Intake__CaseView *
intake_view_case (const intake_state_t *state, const intake_case_t *kase, bool full)
{
    Caseflow__V1__Intake__CaseView *view = s_alloc (sizeof *view);
    caseflow__v1__intake__case_view__init (view);
    view->case_id = cf_strdup (kase->id);
    view->status = kase->status;
    view->urgency = kase->urgency;
    view->channel = kase->channel;
    view->domains = s_domains (kase->domains, &view->n_domains);
    view->registered_at = kase->registered_at;
    view->triaged_at = kase->triaged_at;
    view->last_triaged_at = kase->last_triaged_at;
    view->status_changed_at = kase->status_changed_at;
    view->worker_id = cf_strdup (kase->worker_id);
    view->location = cf_strdup (kase->location);
    view->referred_by = cf_strdup (kase->referred_by);
    view->preferred_worker = cf_strdup (kase->preferred_worker);
    view->consecutive_unanswered = kase->consecutive_unanswered;
    view->awaiting_retriage = kase->awaiting_retriage;
    view->tracks = s_strings (kase->tracks, kase->track_count);
    view->n_tracks = kase->track_count;
    view->questions_added = (uint32_t) kase->question_count;
    view->closed_at = kase->closed_at;
    view->closure = kase->closure;
    view->handover_id = cf_strdup (kase->handover_id);
    view->provider_id = cf_strdup (kase->provider_id);
    view->erased = kase->subject->erased_at != 0;
    view->age_band = kase->age_band;
    view->areas = s_strings (kase->areas, kase->area_count);
    view->n_areas = kase->area_count;
    if (full) {
        view->subject = cf_strdup (kase->subject->id);
        view->resident = intake_personal_resident (state, kase);
        view->question =
            intake_personal_text (state, kase, &kase->personal, INTAKE_FIELD_REGISTERED);
        view->triage_reason =
            intake_personal_text (state, kase, &kase->triage_reason, INTAKE_FIELD_TRIAGED);
        view->close_reason =
            intake_personal_text (state, kase, &kase->close_reason, INTAKE_FIELD_CLOSED);
        s_view_callbacks (state, kase, view);
        s_view_questions (state, kase, view);
    } else {
        view->triage_reason = cf_strdup ("");
        view->close_reason = cf_strdup ("");
    }
    return view;
}

//  Replaces a view's string with "". Views built here are heap-allocated
//  throughout; one decoded by protobuf-c (a stored reply the upgrade
//  strips) has its shared empty string where a text was absent.
static void
s_blank (char **text_p)
{
    if (*text_p != protobuf_c_empty_string)
        free (*text_p);
    *text_p = cf_strdup ("");
}

void
intake_view_strip_personal (Caseflow__V1__Intake__CaseView *view)
{
    if (view->resident) {
        caseflow__v1__personal_data__free_unpacked (view->resident, NULL);
        view->resident = NULL;
    }
    s_blank (&view->question);
    s_blank (&view->triage_reason);
    s_blank (&view->close_reason);
    for (size_t i = 0; i < view->n_callbacks; i++)
        s_blank (&view->callbacks [i]->note);
    for (size_t i = 0; i < view->n_questions; i++)
        s_blank (&view->questions [i]->question);
}

Caseflow__V1__Intake__TrackView *
intake_view_track (const intake_track_t *track)
{
    Caseflow__V1__Intake__TrackView *view = s_alloc (sizeof *view);
    caseflow__v1__intake__track_view__init (view);
    view->track_id = cf_strdup (track->id);
    view->name = cf_strdup (track->name);
    view->location = cf_strdup (track->location);
    view->capacity = track->capacity;
    view->starts_on = cf_strdup (track->starts_on);
    view->case_ids = s_strings (track->case_ids, track->case_count);
    view->n_case_ids = track->case_count;
    return view;
}

//  ------------------------------------------------------------- queries

static Caseflow__V1__Intake__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
    result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_INTAKE;
    result->intake = s_alloc (sizeof *result->intake);
    caseflow__v1__intake__query_result__init (result->intake);
    return result->intake;
}

static void
s_get_case (const intake_state_t *state, const Caseflow__V1__Intake__GetCase *query,
            Caseflow__V1__Reply *reply)
{
    const char *field = "query.intake.get_case.case_id";
    if (!cf_id_check (reply, field, query->case_id, true))
        return;
    const intake_case_t *kase = intake_state_case (state, query->case_id);
    if (!kase) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field, "no case %s",
                             query->case_id);
        return;
    }
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASE;
    result->case_ = intake_view_case (state, kase, true);
}

static bool
s_matches (const intake_case_t *kase, const Caseflow__V1__Intake__ListCases *query)
{
    if (query->status && kase->status != query->status)
        return false;
    if (*query->location && strcmp (kase->location, query->location) != 0)
        return false;
    if (query->channel && kase->channel != query->channel)
        return false;
    if (query->domain && !(kase->domains & intake_domain_bit (query->domain)))
        return false;
    return true;
}

static void
s_list_cases (const intake_state_t *state, const Caseflow__V1__Intake__ListCases *query,
              Caseflow__V1__Reply *reply)
{
    const char *prefix = "query.intake.list_cases.";
    char field [64];
    uint64_t after = 0;
    const char *problem = NULL;
    if (query->status < 0 || query->status > CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED)
        problem = "status";
    else if (query->channel < 0 || query->channel > CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER)
        problem = "channel";
    else if (query->domain < 0 || query->domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
        problem = "domain";
    if (problem) {
        snprintf (field, sizeof field, "%s%s", prefix, problem);
        cf_api_reply_status (reply, S_BAD, field, "unknown %s", problem);
        return;
    }
    if (query->limit > INTAKE_LIST_MAX) {
        snprintf (field, sizeof field, "%slimit", prefix);
        cf_api_reply_status (reply, S_BAD, field, "at most %d cases per page", INTAKE_LIST_MAX);
        return;
    }
    if (!cf_id_check (reply, "query.intake.list_cases.location", query->location, false))
        return;
    if (*query->after && !cf_case_id_parse (query->after, intake_state_shard (state), &after)) {
        snprintf (field, sizeof field, "%safter", prefix);
        cf_api_reply_status (reply, S_BAD, field, "not a case id (e.g. C000001)");
        return;
    }
    size_t limit = query->limit ? query->limit : INTAKE_LIST_DEFAULT;
    Caseflow__V1__Intake__CaseList *list = s_alloc (sizeof *list);
    caseflow__v1__intake__case_list__init (list);
    list->cases = s_alloc (limit * sizeof *list->cases);
    size_t count = intake_state_case_count (state);
    for (size_t i = intake_state_case_index_after (state, after); i < count; i++) {
        const intake_case_t *kase = intake_state_case_at (state, i);
        if (!s_matches (kase, query))
            continue;
        if (list->n_cases == limit) {
            //  One more match exists: the page is not the last.
            list->next = cf_strdup (list->cases [limit - 1]->case_id);
            break;
        }
        list->cases [list->n_cases++] = intake_view_case (state, kase, false);
    }
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASES;
    result->cases = list;
}

static void
s_find_resident (const intake_state_t *state, const Caseflow__V1__Intake__FindResident *query,
                 Caseflow__V1__Reply *reply)
{
    if (!cf_resident_check_bsn (reply, "query.intake.find_resident.bsn", query->bsn))
        return;
    if (!*query->bsn && (!*query->name || !*query->birth_date)) {
        cf_api_reply_status (reply, S_BAD,
                             *query->name ? "query.intake.find_resident.birth_date"
                                          : "query.intake.find_resident.name",
                             "give a BSN, or a name and a birth date");
        return;
    }
    //  No clock in a query: a birth date in the future finds nobody.
    if (!cf_resident_check_birth_date (reply, "query.intake.find_resident.birth_date",
                                       query->birth_date, NULL))
        return;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.bsn = query->bsn;
    resident.name = query->name;
    resident.birth_date = query->birth_date;
    intake_registry_t *registry = intake_state_registry (state);
    intake_hashes_t hashes;
    intake_registry_hashes (registry, &resident, &hashes);
    char subject [CF_SEAL_ID_SIZE];
    const intake_case_t *kase = intake_registry_match (registry, &hashes, subject, NULL) == 0
                                    ? intake_state_open_case (state, subject)
                                    : NULL;
    if (!kase) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             "query.intake.find_resident", "the resident has no open case");
        return;
    }
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASE;
    result->case_ = intake_view_case (state, kase, true);
}

//  Every case of the resident, in full, as get_case shows each.
static void
s_export_resident (const intake_state_t *state, const Caseflow__V1__Intake__ExportResident *query,
                   Caseflow__V1__Reply *reply)
{
    const intake_subject_t *subject =
        intake_query_named_subject (state, "query.intake.export_resident", query->case_id,
                                    query->handover_id, query->subject, reply);
    if (!subject)
        return;
    Caseflow__V1__Intake__ResidentExport *export = s_alloc (sizeof *export);
    caseflow__v1__intake__resident_export__init (export);
    export->subject = cf_strdup (subject->id);
    export->erased_at = subject->erased_at;
    export->cases = s_alloc (subject->case_count * sizeof *export->cases);
    for (size_t i = 0; i < subject->case_count; i++) {
        const intake_case_t *kase = intake_state_case (state, subject->case_ids [i]);
        assert (kase);
        export->cases [export->n_cases++] = intake_view_case (state, kase, true);
    }
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_EXPORT;
    result->export = export;
}

static void
s_count_by_status (const intake_state_t *state, Caseflow__V1__Reply *reply)
{
    Caseflow__V1__Intake__StatusCounts *counts = s_alloc (sizeof *counts);
    caseflow__v1__intake__status_counts__init (counts);
    size_t slots = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
    counts->counts = s_alloc (slots * sizeof *counts->counts);
    for (int status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
         status <= CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED; status++) {
        Caseflow__V1__Intake__StatusCount *count = s_alloc (sizeof *count);
        caseflow__v1__intake__status_count__init (count);
        count->status = (Caseflow__V1__CaseStatus) status;
        count->count = intake_state_status_count (state, count->status);
        counts->counts [counts->n_counts++] = count;
    }
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_COUNTS;
    result->counts = counts;
}

static void
s_list_tracks (const intake_state_t *state, Caseflow__V1__Reply *reply)
{
    Caseflow__V1__Intake__TrackList *list = s_alloc (sizeof *list);
    caseflow__v1__intake__track_list__init (list);
    size_t count = intake_state_track_count (state);
    list->tracks = s_alloc (count * sizeof *list->tracks);
    for (size_t i = 0; i < count; i++)
        list->tracks [list->n_tracks++] = intake_view_track (intake_state_track_at (state, i));
    Caseflow__V1__Intake__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_TRACKS;
    result->tracks = list;
}

void
intake_query (const intake_state_t *state, const Caseflow__V1__Intake__Query *query,
              Caseflow__V1__Reply *reply)
{
    switch (query->body_case) {
        case CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE:
            s_get_case (state, query->get_case, reply);
            break;
        case CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES:
            s_list_cases (state, query->list_cases, reply);
            break;
        case CASEFLOW__V1__INTAKE__QUERY__BODY_FIND_RESIDENT:
            s_find_resident (state, query->find_resident, reply);
            break;
        case CASEFLOW__V1__INTAKE__QUERY__BODY_COUNT_BY_STATUS:
            s_count_by_status (state, reply);
            break;
        case CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_TRACKS: s_list_tracks (state, reply); break;
        case CASEFLOW__V1__INTAKE__QUERY__BODY_EXPORT_RESIDENT:
            s_export_resident (state, query->export_resident, reply);
            break;
        default: cf_api_reply_status (reply, S_BAD, "query.intake", "not an intake query");
    }
}

void
intake_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                   Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_query_body (query, CASEFLOW__V1__QUERY__BODY_INTAKE, INTAKE_STREAM, reply);
    if (!own)
        return;
    intake_query (state, (const Caseflow__V1__Intake__Query *) own, reply);
    //  A read that cannot be recorded is not answered: the runtime turns
    //  the reply into UNAVAILABLE.
    intake_query_account (service, (const Caseflow__V1__Intake__Query *) own, reply);
}
