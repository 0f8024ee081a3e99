//  assignment_query: the views and queries (see the header).
//
//  Everything returned is built fresh with malloc: strings with
//  cf_strdup, repeated fields as malloc'd arrays, so protobuf-c's
//  free_unpacked (NULL allocator) releases it with the reply. A location's
//  districts are shown with it (ListLocations); a resident's district is
//  never known here.
#include "assignment_query.h"

#include "assignment_policy.h"
#include "cf_api.h"
#include "cf_decider.h"
#include "cf_id.h"
#include "cf_time.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FIELD           "query.assignment."
#define S_WAITING_DEFAULT 100
#define S_WAITING_MAX     10000

static void *
s_alloc (size_t size)
{
    void *memory = malloc (size ? size : 1);
    assert (memory);
    return memory;
}

static char **
s_strings (char *const *strings, size_t count)
{
    char **copy = s_alloc ((count + 1) * sizeof *copy);
    for (size_t i = 0; i < count; i++)
        copy [i] = cf_strdup (strings [i]);
    return copy;
}

static Caseflow__V1__Domain *
s_domains (uint32_t mask, size_t *count_p)
{
    Caseflow__V1__Domain *domains = s_alloc (8 * sizeof *domains);
    size_t count = 0;
    for (int domain = ASSIGNMENT_DOMAIN_FIRST; domain <= ASSIGNMENT_DOMAIN_LAST; domain++)
        if (mask & (1u << domain))
            domains [count++] = (Caseflow__V1__Domain) domain;
    *count_p = count;
    return domains;
}

static int
s_compare_case_ids (const void *a, const void *b)
{
    return strcmp ((*(assignment_case_t *const *) a)->id, (*(assignment_case_t *const *) b)->id);
}

//  --------------------------------------------------------------- views

Caseflow__V1__Assignment__WorkerView *
assignment_worker_view (const assignment_state_t *state, const assignment_worker_t *worker)
{
    Caseflow__V1__Assignment__WorkerView *view = s_alloc (sizeof *view);
    caseflow__v1__assignment__worker_view__init (view);
    view->worker_id = cf_strdup (worker->id);
    view->name = cf_strdup (worker->name);
    view->fte_milli = worker->fte_milli;
    view->locations = s_strings (worker->locations, worker->n_locations);
    view->n_locations = worker->n_locations;
    view->expertise = s_domains (worker->expertise_mask, &view->n_expertise);
    view->max_caseload = worker->max_caseload;
    view->capacity = assignment_capacity (state, worker);
    view->caseload = assignment_caseload (worker);
    view->utilisation_permille = (uint32_t) ((uint64_t) view->caseload * 1000 / view->capacity);
    view->absent = worker->absent;
    view->absent_from = worker->absent_from;
    view->absent_until = worker->absent_until;
    view->left = worker->left;
    view->joined_at = worker->joined_at;
    view->left_at = worker->left_at;
    assignment_case_t **cases = s_alloc ((worker->n_cases + 1) * sizeof *cases);
    if (worker->n_cases)
        memcpy (cases, worker->cases, worker->n_cases * sizeof *cases);
    qsort (cases, worker->n_cases, sizeof *cases, s_compare_case_ids);
    view->cases = s_alloc ((worker->n_cases + 1) * sizeof *view->cases);
    for (size_t i = 0; i < worker->n_cases; i++)
        view->cases [i] = cf_strdup (cases [i]->id);
    view->n_cases = worker->n_cases;
    free (cases);
    return view;
}

static bool
s_serves_location (const assignment_worker_t *worker, const char *location_id)
{
    for (size_t i = 0; i < worker->n_locations; i++)
        if (strcmp (worker->locations [i], location_id) == 0)
            return true;
    return false;
}

//  The roster and the cases of one location ("" for cases without one).
static void
s_location_counts (assignment_state_t *state, const char *location_id,
                   Caseflow__V1__Assignment__LocationView *view)
{
    for (size_t i = 0; i < state->n_workers; i++) {
        const assignment_worker_t *worker = state->workers [i];
        if (worker->left || !s_serves_location (worker, location_id))
            continue;
        view->workers++;
        if (assignment_present (worker)) {
            view->workers_present++;
            view->fte_milli += worker->fte_milli;
        }
    }
    for (assignment_case_t *kase = cf_hash_first (state->cases); kase;
         kase = cf_hash_next (state->cases)) {
        if (strcmp (kase->location ? kase->location : "", location_id) != 0)
            continue;
        if (kase->waiting)
            view->waiting++;
        else if (kase->status == ASSIGNMENT_ST_ASSIGNED)
            view->assigned++;
        else if (kase->status == ASSIGNMENT_ST_ACTIVE)
            view->active++;
    }
}

Caseflow__V1__Assignment__LocationView *
assignment_location_view (assignment_state_t *state, const assignment_location_t *location)
{
    Caseflow__V1__Assignment__LocationView *view = s_alloc (sizeof *view);
    caseflow__v1__assignment__location_view__init (view);
    view->location_id = cf_strdup (location->id);
    view->name = cf_strdup (location->name);
    view->districts = s_strings (location->districts, location->n_districts);
    view->n_districts = location->n_districts;
    view->kind = location->kind;
    s_location_counts (state, location->id, view);
    return view;
}

Caseflow__V1__Assignment__AssignmentView *
assignment_case_view (assignment_state_t *state, const assignment_case_t *kase)
{
    Caseflow__V1__Assignment__AssignmentView *view = s_alloc (sizeof *view);
    caseflow__v1__assignment__assignment_view__init (view);
    view->case_id = cf_strdup (kase->id);
    view->status = kase->status;
    view->urgency = kase->urgency;
    if (kase->worker)
        view->worker_id = cf_strdup (kase->worker->id);
    view->domains = s_domains (kase->domain_mask, &view->n_domains);
    if (kase->location)
        view->location = cf_strdup (kase->location);
    view->channel = kase->channel;
    view->registered_at = kase->registered_at;
    view->triaged_at = kase->triaged_at;
    assignment_worker_t *continuity = assignment_continuity_worker (state, kase);
    if (continuity)
        view->continuity_worker = cf_strdup (continuity->id);
    else if (kase->preferred_worker)
        view->continuity_worker = cf_strdup (kase->preferred_worker);
    long index = assignment_waiting_index (&state->waiting, kase);
    view->position = index >= 0 ? (uint32_t) index + 1 : 0;
    view->escalated = kase->escalated;
    if (kase->outcome)
        view->outcome = cf_strdup (kase->outcome);
    view->history = s_alloc ((kase->n_history + 1) * sizeof *view->history);
    for (size_t i = 0; i < kase->n_history; i++) {
        const assignment_history_t *entry = &kase->history [i];
        Caseflow__V1__Assignment__HistoryEntry *out = s_alloc (sizeof *out);
        caseflow__v1__assignment__history_entry__init (out);
        out->at = entry->at;
        out->kind = entry->kind;
        if (entry->worker_id)
            out->worker_id = cf_strdup (entry->worker_id);
        out->rule = entry->rule;
        out->trigger = entry->trigger;
        if (entry->reason)
            out->reason = cf_strdup (entry->reason);
        out->over_limit = entry->over_limit;
        out->seq = entry->seq;
        view->history [i] = out;
    }
    view->n_history = kase->n_history;
    return view;
}

//  ------------------------------------------------------------- queries

static Caseflow__V1__Assignment__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
    Caseflow__V1__Assignment__QueryResult *inner = s_alloc (sizeof *inner);
    caseflow__v1__assignment__query_result__init (inner);
    result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_ASSIGNMENT;
    result->assignment = inner;
    return inner;
}

static void
s_list_workers (assignment_state_t *state, const Caseflow__V1__Assignment__ListWorkers *query,
                Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, S_FIELD "list_workers.location", query->location, false))
        return;
    const char *location = query->location && *query->location ? query->location : NULL;
    if (location && !assignment_state_location (state, location)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_FIELD "list_workers.location", "no location \"%s\"", location);
        return;
    }
    Caseflow__V1__Assignment__WorkerList *list = s_alloc (sizeof *list);
    caseflow__v1__assignment__worker_list__init (list);
    list->workers = s_alloc ((state->n_workers + 1) * sizeof *list->workers);
    for (size_t i = 0; i < state->n_workers; i++) {
        const assignment_worker_t *worker = state->workers [i];
        if ((worker->left && !query->include_left)
            || (location && !s_serves_location (worker, location)))
            continue;
        list->workers [list->n_workers++] = assignment_worker_view (state, worker);
    }
    Caseflow__V1__Assignment__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_WORKERS;
    result->workers = list;
}

static void
s_waiting (assignment_state_t *state, int64_t now, const Caseflow__V1__Assignment__Waiting *query,
           Caseflow__V1__Reply *reply)
{
    if (query->limit > S_WAITING_MAX) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_FIELD "waiting.limit", "must be at most %d", S_WAITING_MAX);
        return;
    }
    if (!cf_id_check (reply, S_FIELD "waiting.location", query->location, false))
        return;
    size_t limit = query->limit ? query->limit : S_WAITING_DEFAULT;
    const char *location = query->location && *query->location ? query->location : NULL;
    const assignment_waiting_t *waiting = &state->waiting;
    Caseflow__V1__Assignment__WaitingList *list = s_alloc (sizeof *list);
    caseflow__v1__assignment__waiting_list__init (list);
    size_t cap = limit < waiting->count ? limit : waiting->count;
    list->entries = s_alloc ((cap + 1) * sizeof *list->entries);
    for (size_t i = 0; i < waiting->count && list->n_entries < limit; i++) {
        const assignment_case_t *kase = waiting->items [i];
        if (location && (!kase->location || strcmp (kase->location, location) != 0))
            continue;
        Caseflow__V1__Assignment__WaitingEntry *entry = s_alloc (sizeof *entry);
        caseflow__v1__assignment__waiting_entry__init (entry);
        entry->case_id = cf_strdup (kase->id);
        entry->position = (uint32_t) i + 1;
        entry->urgency = kase->urgency;
        entry->registered_at = kase->registered_at;
        entry->triaged_at = kase->triaged_at;
        int64_t waited = now - kase->registered_at;
        entry->waiting_days = waited > 0 ? (uint32_t) (waited / CF_USEC_PER_DAY) : 0;
        entry->domains = s_domains (kase->domain_mask, &entry->n_domains);
        if (kase->location)
            entry->location = cf_strdup (kase->location);
        entry->escalated = kase->escalated;
        assignment_worker_t *continuity = assignment_continuity_worker (state, kase);
        if (continuity)
            entry->continuity_worker = cf_strdup (continuity->id);
        list->entries [list->n_entries++] = entry;
    }
    list->total = (uint32_t) waiting->count;
    list->urgent = (uint32_t) waiting->urgent;
    list->now = now;
    Caseflow__V1__Assignment__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_WAITING;
    result->waiting = list;
}

static assignment_case_t *
s_find_case (assignment_state_t *state, const char *case_id, const char *field,
             Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, field, case_id, true))
        return NULL;
    assignment_case_t *kase = assignment_state_case (state, case_id);
    if (!kase)
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                             "case \"%s\" is not known to assignment", case_id);
    return kase;
}

static void
s_list_locations (assignment_state_t *state, Caseflow__V1__Reply *reply)
{
    Caseflow__V1__Assignment__LocationList *list = s_alloc (sizeof *list);
    caseflow__v1__assignment__location_list__init (list);
    list->locations = s_alloc ((state->n_locations + 2) * sizeof *list->locations);
    for (size_t i = 0; i < state->n_locations; i++)
        list->locations [list->n_locations++] =
            assignment_location_view (state, state->locations [i]);
    //  Cases without a location (phone, web) get a row of their own.
    Caseflow__V1__Assignment__LocationView *none = s_alloc (sizeof *none);
    caseflow__v1__assignment__location_view__init (none);
    s_location_counts (state, "", none);
    if (none->waiting + none->assigned + none->active)
        list->locations [list->n_locations++] = none;
    else
        caseflow__v1__assignment__location_view__free_unpacked (none, NULL);
    Caseflow__V1__Assignment__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_LOCATIONS;
    result->locations = list;
}

//  ---------------------------------------------------------- explaining

typedef struct {
    uint32_t matching, present, with_room;
} s_counts_t;

static void
s_count_matching (assignment_state_t *state, const assignment_case_t *kase, s_counts_t *counts)
{
    memset (counts, 0, sizeof *counts);
    for (size_t i = 0; i < state->n_workers; i++) {
        const assignment_worker_t *worker = state->workers [i];
        if (worker->left || !assignment_matches (worker, kase))
            continue;
        counts->matching++;
        if (!assignment_present (worker))
            continue;
        counts->present++;
        if (assignment_caseload (worker) < assignment_capacity (state, worker))
            counts->with_room++;
    }
}

static size_t
s_append (char *buf, size_t size, size_t len, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

static size_t
s_append (char *buf, size_t size, size_t len, const char *fmt, ...)
{
    if (len >= size)
        return len;
    va_list args;
    va_start (args, fmt);
    int written = vsnprintf (buf + len, size - len, fmt, args);
    va_end (args);
    if (written < 0)
        return len;
    return len + (size_t) written < size ? len + (size_t) written : size - 1;
}

char *
assignment_explain_text (assignment_state_t *state, const assignment_case_t *kase, char *buf,
                         size_t size)
{
    size_t len = 0;
    buf [0] = 0;
    if (!kase->waiting) {
        if (assignment_case_has_worker (kase))
            snprintf (buf, size, "%s is not waiting: it is %s to %s.", kase->id,
                      kase->status == ASSIGNMENT_ST_ACTIVE ? "active with" : "assigned",
                      kase->worker->id);
        else if (kase->status == ASSIGNMENT_ST_REGISTERED)
            snprintf (buf, size,
                      "%s is registered but not triaged yet: it joins the waiting list (or, "
                      "when urgent, is assigned at once) when intake triages it.",
                      kase->id);
        else
            snprintf (buf, size, "%s is closed.", kase->id);
        return buf;
    }
    long index = assignment_waiting_index (&state->waiting, kase);
    len = s_append (buf, size, len,
                    "%s is number %ld of %zu on the waiting list (%ld ahead; order: urgent "
                    "first, then first triage time, then case id).",
                    kase->id, index + 1, state->waiting.count, index);
    if (kase->escalated)
        len = s_append (buf, size, len,
                        " It is urgent and was escalated: nobody eligible was present.");
    char domains [128];
    assignment_domains_text (kase->domain_mask, domains, sizeof domains);
    s_counts_t counts;
    s_count_matching (state, kase, &counts);
    char reach [160];
    assignment_reach_text (state, kase, reach, sizeof reach);
    if (counts.matching == 0)
        len = s_append (buf, size, len,
                        " No worker on the roster has expertise in %s%s%s: it waits until such "
                        "a worker joins, a worker's expertise or locations change, or an "
                        "operator assigns it.",
                        domains, *reach ? " and serves " : "", reach);
    else if (counts.present == 0)
        len = s_append (buf, size, len,
                        " All %u workers with expertise in %s serving it are absent: it waits "
                        "for one of them to return or for another to join.",
                        counts.matching, domains);
    else if (counts.with_room == 0) {
        len = s_append (buf, size, len,
                        " All %u present workers with expertise in %s serving it are at their "
                        "limit:",
                        counts.present, domains);
        size_t shown = 0;
        for (size_t i = 0; i < state->n_workers && shown < 8; i++) {
            const assignment_worker_t *worker = state->workers [i];
            if (!assignment_present (worker) || !assignment_matches (worker, kase))
                continue;
            char load [96];
            len = s_append (buf, size, len, "%s %s", shown ? "," : "",
                            assignment_load_text (state, worker, load, sizeof load));
            shown++;
        }
        len = s_append (buf, size, len,
                        "%s. It is assigned when one of them has room and the "
                        "cases ahead of it that they can take are assigned.",
                        counts.present > shown ? ", ..." : "");
    } else
        len = s_append (buf, size, len,
                        " %u matching workers have room: it is assigned at the next decision.",
                        counts.with_room);
    assignment_worker_t *continuity = assignment_continuity_worker (state, kase);
    if (continuity) {
        char load [96];
        assignment_load_text (state, continuity, load, sizeof load);
        if (!assignment_present (continuity))
            len = s_append (buf, size, len, " Continuity worker %s is %s.", continuity->id,
                            continuity->left ? "gone (left)" : "absent");
        else
            len = s_append (buf, size, len,
                            " Continuity worker %s (%s) is beyond their limit + margin %u.",
                            continuity->id, load, state->config.continuity_margin);
    }
    return buf;
}

static void
s_explain (assignment_state_t *state, const Caseflow__V1__Assignment__ExplainWaiting *query,
           Caseflow__V1__Reply *reply)
{
    assignment_case_t *kase =
        s_find_case (state, query->case_id, S_FIELD "explain_waiting.case_id", reply);
    if (!kase)
        return;
    Caseflow__V1__Assignment__WaitExplanation *out = s_alloc (sizeof *out);
    caseflow__v1__assignment__wait_explanation__init (out);
    out->case_id = cf_strdup (kase->id);
    out->status = kase->status;
    long index = assignment_waiting_index (&state->waiting, kase);
    out->position = index >= 0 ? (uint32_t) index + 1 : 0;
    out->ahead = index >= 0 ? (uint32_t) index : 0;
    s_counts_t counts;
    s_count_matching (state, kase, &counts);
    out->matching = counts.matching;
    out->matching_present = counts.present;
    out->matching_with_room = counts.with_room;
    char text [2048];
    out->text = cf_strdup (assignment_explain_text (state, kase, text, sizeof text));
    assignment_worker_t *continuity = assignment_continuity_worker (state, kase);
    out->candidates = s_alloc ((state->n_workers + 1) * sizeof *out->candidates);
    for (size_t i = 0; i < state->n_workers; i++) {
        const assignment_worker_t *worker = state->workers [i];
        bool matching = !worker->left && assignment_matches (worker, kase);
        if (!matching && worker != continuity)
            continue;
        Caseflow__V1__Assignment__CandidateView *candidate = s_alloc (sizeof *candidate);
        caseflow__v1__assignment__candidate_view__init (candidate);
        candidate->worker_id = cf_strdup (worker->id);
        candidate->caseload = assignment_caseload (worker);
        candidate->capacity = assignment_capacity (state, worker);
        candidate->absent = worker->absent;
        const char *note = worker->left                                ? "left"
                           : worker->absent                            ? "absent"
                           : candidate->caseload < candidate->capacity ? "has room"
                                                                       : "at the limit";
        char text_note [160];
        snprintf (text_note, sizeof text_note, "%s%s", worker == continuity ? "continuity; " : "",
                  note);
        candidate->note = cf_strdup (text_note);
        out->candidates [out->n_candidates++] = candidate;
    }
    Caseflow__V1__Assignment__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_EXPLANATION;
    result->explanation = out;
}

void
assignment_query (assignment_state_t *state, int64_t now,
                  const Caseflow__V1__Assignment__Query *query, Caseflow__V1__Reply *reply)
{
    switch (query->body_case) {
        case CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_WORKERS:
            s_list_workers (state, query->list_workers, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_WAITING:
            s_waiting (state, now, query->waiting, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_GET_ASSIGNMENT: {
            assignment_case_t *kase = s_find_case (state, query->get_assignment->case_id,
                                                   S_FIELD "get_assignment.case_id", reply);
            if (kase) {
                Caseflow__V1__Assignment__QueryResult *result = s_result (reply);
                result->body_case = CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_CASE;
                result->case_ = assignment_case_view (state, kase);
            }
            break;
        }
        case CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_LOCATIONS:
            s_list_locations (state, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_EXPLAIN_WAITING:
            s_explain (state, query->explain_waiting, reply);
            break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "query.assignment", "not a query of the assignment service");
    }
}

void
assignment_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                       Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own = cf_decider_query_body (
        query, CASEFLOW__V1__QUERY__BODY_ASSIGNMENT, ASSIGNMENT_STREAM, reply);
    if (own)
        assignment_query (state, cf_service_now (service),
                          (const Caseflow__V1__Assignment__Query *) own, reply);
}
