//  console_view: the projections as answers (see console_view.h).
#include "console_view.h"

#include "cf_api.h"
#include "cf_calendar.h"
#include "cf_time.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void *
s_alloc (size_t size)
{
    void *memory = calloc (1, size ? size : 1);
    assert (memory);
    return memory;
}

//  The domains of a mask, as a fresh array (*count_p set).
static Caseflow__V1__Domain *
s_domains (uint16_t mask, size_t *count_p)
{
    Caseflow__V1__Domain *domains = s_alloc (16 * sizeof *domains);
    *count_p = 0;
    for (int d = 1; d < 16; d++)
        if (mask & (1u << d))
            domains [(*count_p)++] = (Caseflow__V1__Domain) d;
    return domains;
}

Caseflow__V1__Console__WaitingList *
console_view_waiting_page (const console_state_t *state, int64_t now,
                           const Caseflow__V1__Console__Waiting *filter, int urgency, size_t skip,
                           size_t *matched_p)
{
    assert (state);
    const char *location =
        filter && filter->location && *filter->location ? filter->location : NULL;
    unsigned domain = filter ? (unsigned) filter->domain : 0;
    size_t limit = filter && filter->limit ? filter->limit : state->waiting_count;
    Caseflow__V1__Console__WaitingList *list = s_alloc (sizeof *list);
    caseflow__v1__console__waiting_list__init (list);
    list->now = now;
    list->total = (uint32_t) state->waiting_count;
    //  Urgent cases come first on the list (cf_waiting.h): count the head.
    while (list->urgent < state->waiting_count
           && state->waiting [list->urgent]->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT)
        list->urgent++;
    size_t cap = limit < state->waiting_count ? limit : state->waiting_count;
    list->entries = s_alloc ((cap + 1) * sizeof *list->entries);
    //  Every entry is counted (for *matched_p), but only the page's are
    //  built: the cost of the rest is a comparison each.
    size_t matched = 0;
    for (size_t i = 0; i < state->waiting_count; i++) {
        const console_case_t *kase = state->waiting [i];
        if (location && strcmp (kase->location, location) != 0)
            continue;
        if (domain && !(kase->domains & (1u << domain)))
            continue;
        if (urgency && (int) kase->urgency != urgency)
            continue;
        if (matched++ < skip || list->n_entries == limit) {
            if (!matched_p && list->n_entries == limit)
                break;
            continue;
        }
        Caseflow__V1__Console__WaitingEntry *entry = s_alloc (sizeof *entry);
        caseflow__v1__console__waiting_entry__init (entry);
        entry->case_id = cf_strdup (kase->id);
        entry->position = (uint32_t) i + 1;
        entry->urgency = kase->urgency;
        entry->registered_at = kase->registered_at;
        int64_t waited = now - kase->registered_at;
        entry->waiting_days = waited > 0 ? (uint32_t) (waited / CF_USEC_PER_DAY) : 0;
        entry->domains = s_domains (kase->domains, &entry->n_domains);
        entry->location = cf_strdup (kase->location);
        entry->triaged_at = kase->triaged_at;
        entry->escalated = kase->escalated;
        list->entries [list->n_entries++] = entry;
    }
    if (matched_p)
        *matched_p = matched;
    return list;
}

Caseflow__V1__Console__WaitingList *
console_view_waiting (const console_state_t *state, int64_t now,
                      const Caseflow__V1__Console__Waiting *filter)
{
    return console_view_waiting_page (state, now, filter, 0, 0, NULL);
}

static int
s_compare_callbacks (const void *a, const void *b)
{
    const console_callback_t *x = *(const console_callback_t *const *) a;
    const console_callback_t *y = *(const console_callback_t *const *) b;
    if (x->due_at != y->due_at)
        return x->due_at < y->due_at ? -1 : 1;
    return strcmp (x->id, y->id);
}

Caseflow__V1__Console__CallbackList *
console_view_callbacks_today (const console_state_t *state, int64_t now, const char *location)
{
    assert (state);
    if (location && !*location)
        location = NULL;
    int64_t until = cf_calendar_day_end (now);
    size_t count = cf_hash_size (state->callbacks), n = 0;
    console_callback_t **due = s_alloc ((count + 1) * sizeof *due);
    for (console_callback_t *callback = cf_hash_first (state->callbacks); callback;
         callback = cf_hash_next (state->callbacks))
        if (callback->due_at < until
            && callback->kase->status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED
            && (!location || strcmp (callback->kase->location, location) == 0))
            due [n++] = callback;
    qsort (due, n, sizeof *due, s_compare_callbacks);
    Caseflow__V1__Console__CallbackList *list = s_alloc (sizeof *list);
    caseflow__v1__console__callback_list__init (list);
    list->now = now;
    list->until = until;
    list->entries = s_alloc ((n + 1) * sizeof *list->entries);
    for (size_t i = 0; i < n; i++) {
        Caseflow__V1__Console__CallbackEntry *entry = s_alloc (sizeof *entry);
        caseflow__v1__console__callback_entry__init (entry);
        entry->reminder_id = cf_strdup (due [i]->id);
        entry->case_id = cf_strdup (due [i]->kase->id);
        entry->location = cf_strdup (due [i]->kase->location);
        entry->due_at = due [i]->due_at;
        entry->answer_by = due [i]->answer_by;
        entry->number = due [i]->number;
        entry->claimed_by = cf_strdup (due [i]->claimed_by);
        entry->lease_until = due [i]->lease_until;
        entry->parked = due [i]->parked;
        list->entries [list->n_entries++] = entry;
    }
    free (due);
    return list;
}

static int
s_compare_urgent (const void *a, const void *b)
{
    const console_case_t *x = *(const console_case_t *const *) a;
    const console_case_t *y = *(const console_case_t *const *) b;
    if (x->urgent_since != y->urgent_since)
        return x->urgent_since < y->urgent_since ? -1 : 1;
    return strcmp (x->id, y->id);
}

Caseflow__V1__Console__UrgentList *
console_view_urgent_unassigned (const console_state_t *state, int64_t now)
{
    assert (state);
    //  Urgent cases without a worker wait at the head of the waiting list.
    size_t n = 0;
    console_case_t **urgent = s_alloc ((state->waiting_count + 1) * sizeof *urgent);
    for (size_t i = 0; i < state->waiting_count; i++)
        if (state->waiting [i]->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT)
            urgent [n++] = state->waiting [i];
    qsort (urgent, n, sizeof *urgent, s_compare_urgent);
    Caseflow__V1__Console__UrgentList *list = s_alloc (sizeof *list);
    caseflow__v1__console__urgent_list__init (list);
    list->now = now;
    list->entries = s_alloc ((n + 1) * sizeof *list->entries);
    for (size_t i = 0; i < n; i++) {
        Caseflow__V1__Console__UrgentEntry *entry = s_alloc (sizeof *entry);
        caseflow__v1__console__urgent_entry__init (entry);
        entry->case_id = cf_strdup (urgent [i]->id);
        entry->location = cf_strdup (urgent [i]->location);
        entry->registered_at = urgent [i]->registered_at;
        entry->urgent_since = urgent [i]->urgent_since;
        entry->escalated = urgent [i]->escalated;
        list->entries [list->n_entries++] = entry;
    }
    free (urgent);
    return list;
}

static int
s_compare_counts (const void *a, const void *b)
{
    return strcmp ((*(const console_count_t *const *) a)->id,
                   (*(const console_count_t *const *) b)->id);
}

//  The non-zero counts of `table` in id order, as fresh CaseloadCounts.
static Caseflow__V1__Console__CaseloadCount **
s_counts (cf_hash_t *table, size_t *count_p)
{
    size_t size = cf_hash_size (table), n = 0;
    const console_count_t **counts = s_alloc ((size + 1) * sizeof *counts);
    for (const console_count_t *count = cf_hash_first (table); count; count = cf_hash_next (table))
        if (count->open)
            counts [n++] = count;
    qsort (counts, n, sizeof *counts, s_compare_counts);
    Caseflow__V1__Console__CaseloadCount **views = s_alloc ((n + 1) * sizeof *views);
    for (size_t i = 0; i < n; i++) {
        views [i] = s_alloc (sizeof **views);
        caseflow__v1__console__caseload_count__init (views [i]);
        views [i]->id = cf_strdup (counts [i]->id);
        views [i]->open = counts [i]->open;
    }
    free (counts);
    *count_p = n;
    return views;
}

Caseflow__V1__Console__CaseloadReport *
console_view_caseload (const console_state_t *state, int64_t now)
{
    assert (state);
    Caseflow__V1__Console__CaseloadReport *report = s_alloc (sizeof *report);
    caseflow__v1__console__caseload_report__init (report);
    report->now = now;
    report->by_worker = s_counts (state->workers, &report->n_by_worker);
    report->by_location = s_counts (state->locations, &report->n_by_location);
    return report;
}

const char *
console_view_behind (cf_service_t *service, int64_t at)
{
    assert (service);
    if (!cf_service_caught_up (service))
        return "the console has not caught up with every stream it follows yet";
    if (at > cf_service_now (service))
        return "the moment is after the console's clock";
    return NULL;
}
