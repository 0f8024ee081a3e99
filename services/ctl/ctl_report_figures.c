//  ctl_report_figures: the council figures as they were at a moment,
//  folded from the streams read up to it (see ctl_report.h and
//  docs/report.md for the definitions).
//
//  Three passes over seq-ordered streams: intake gives every case's
//  status history, urgency, location, worker and recorded callbacks;
//  assignment gives the roster at `at` and when urgent cases got a worker;
//  notification gives the callbacks that fell due and when each one's
//  on-time window closed. Nothing here reads a clock: the same streams and
//  `at` give the same figures.
#include "ctl_report.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <czmq.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name

typedef struct {
    int64_t at;
    Caseflow__V1__CaseStatus status;
} s_transition_t;

typedef struct {
    const Caseflow__V1__Intake__CallbackRecorded *body;
    int64_t at;
    bool taken;
} s_recording_t;

typedef struct {
    Caseflow__V1__CaseStatus status;
    const char *location;  //  borrowed from the history
    const char *worker;
    int64_t first_triaged_at;
    int64_t urgent_at;     //  first triage that made it urgent (no worker yet)
    int64_t picked_up_at;  //  first CaseAssigned at or after urgent_at
    bool ever_urgent;
    s_transition_t *transitions;
    size_t transition_count, transition_cap;
    s_recording_t *recordings;
    size_t recording_count, recording_cap;
} s_case_t;

typedef struct {
    uint32_t fte_milli;
    bool absent, left;
} s_worker_t;

static void
s_case_free (void **item)
{
    s_case_t *kase = *item;
    if (kase) {
        free (kase->transitions);
        free (kase->recordings);
        free (kase);
        *item = NULL;
    }
}

static void
s_worker_free (void **item)
{
    free (*item);
    *item = NULL;
}

static void
s_push_transition (s_case_t *kase, int64_t at, Caseflow__V1__CaseStatus status)
{
    if (kase->transition_count == kase->transition_cap) {
        kase->transition_cap = kase->transition_cap ? kase->transition_cap * 2 : 4;
        kase->transitions =
            realloc (kase->transitions, kase->transition_cap * sizeof *kase->transitions);
        assert (kase->transitions);
    }
    kase->transitions [kase->transition_count++] = (s_transition_t){ at, status };
}

static void
s_push_recording (s_case_t *kase, const Caseflow__V1__Event *event)
{
    if (kase->recording_count == kase->recording_cap) {
        kase->recording_cap = kase->recording_cap ? kase->recording_cap * 2 : 4;
        kase->recordings =
            realloc (kase->recordings, kase->recording_cap * sizeof *kase->recordings);
        assert (kase->recordings);
    }
    kase->recordings [kase->recording_count++] =
        (s_recording_t){ event->callback_recorded, event->occurred_at, false };
}

//  The case's status at `when` (the last transition at or before it).
static Caseflow__V1__CaseStatus
s_status_at (const s_case_t *kase, int64_t when)
{
    Caseflow__V1__CaseStatus status = S_STATUS (UNSPECIFIED);
    for (size_t i = 0; i < kase->transition_count && kase->transitions [i].at <= when; i++)
        status = kase->transitions [i].status;
    return status;
}

static double
s_round1 (double value)
{
    return isnan (value) ? value : round (value * 10.0) / 10.0;
}

//  Adds `count` to `key` in a counter table (zhashx of uint64_t).
static void
s_count (zhashx_t *table, const char *key, uint64_t count)
{
    uint64_t *value = zhashx_lookup (table, key);
    if (!value) {
        value = calloc (1, sizeof *value);
        assert (value);
        zhashx_insert (table, key, value);
    }
    *value += count;
}

static int
s_compare_counts (const void *a, const void *b)
{
    return strcmp (((const ctl_report_count_t *) a)->key, ((const ctl_report_count_t *) b)->key);
}

//  The table as a fresh array sorted by key; frees the table.
static ctl_report_count_t *
s_counts_array (zhashx_t **table_p, size_t *count_p)
{
    zhashx_t *table = *table_p;
    size_t count = zhashx_size (table);
    ctl_report_count_t *array = calloc (count + 1, sizeof *array);
    assert (array);
    size_t i = 0;
    for (uint64_t *value = zhashx_first (table); value; value = zhashx_next (table)) {
        array [i].key = strdup ((const char *) zhashx_cursor (table));
        array [i++].count = *value;
    }
    if (count)
        qsort (array, count, sizeof *array, s_compare_counts);
    zhashx_destroy (table_p);
    *count_p = count;
    return array;
}

static void
s_free_value (void **item)
{
    free (*item);
    *item = NULL;
}

//  --------------------------------------------------------------- intake

static void
s_fold_intake (ctl_report_figures_t *self, const ctl_stream_t *stream, zhashx_t *cases)
{
    for (size_t i = 0; i < stream->count; i++) {
        const Caseflow__V1__Event *event = stream->events [i];
        const char *id = ctl_intake_case_id (event);
        s_case_t *kase = *id ? zhashx_lookup (cases, id) : NULL;
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED && !kase) {
            const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
            kase = calloc (1, sizeof *kase);
            assert (kase);
            kase->location = body->location;
            zhashx_insert (cases, id, kase);
            self->registrations_total++;
            if (body->channel >= 1 && body->channel <= 6)
                self->by_channel [body->channel - 1].count++;
        }
        if (!kase)
            continue;
        Caseflow__V1__CaseStatus status = ctl_case_status_after (kase->status, event);
        if (status != kase->status) {
            kase->status = status;
            s_push_transition (kase, event->occurred_at, status);
        }
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: self->questions_added++; break;
            case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: {
                const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
                if (!kase->first_triaged_at)
                    kase->first_triaged_at = event->occurred_at;
                if (body->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT) {
                    kase->ever_urgent = true;
                    if (!kase->urgent_at && body->status == S_STATUS (URGENT))
                        kase->urgent_at = event->occurred_at;
                }
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
                kase->worker = event->case_status_changed->worker_id;
                break;
            case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED: s_push_recording (kase, event); break;
            default: break;
        }
    }
}

//  The figures that need only the cases as they are at `at`.
static void
s_case_figures (ctl_report_figures_t *self, zhashx_t *cases, zhashx_t *locations, zhashx_t *workers)
{
    size_t cap = zhashx_size (cases) + 1;
    double *waits = calloc (cap, sizeof *waits);
    assert (waits);
    size_t wait_count = 0;
    zhashx_t *by_location = zhashx_new ();
    zhashx_set_destructor (by_location, s_free_value);
    zhashx_t *by_worker = zhashx_new ();
    zhashx_set_destructor (by_worker, s_free_value);
    //  Every known location and present worker is listed, also at zero.
    for (void *item = zhashx_first (locations); item; item = zhashx_next (locations))
        s_count (by_location, zhashx_cursor (locations), 0);
    for (s_worker_t *worker = zhashx_first (workers); worker; worker = zhashx_next (workers))
        if (!worker->left)
            s_count (by_worker, zhashx_cursor (workers), 0);
    for (s_case_t *kase = zhashx_first (cases); kase; kase = zhashx_next (cases)) {
        if (kase->status >= 1 && kase->status <= 6)
            self->by_status [kase->status - 1].count++;
        self->urgent_total += kase->ever_urgent;
        switch (kase->status) {
            case S_STATUS (WAITING): {
                int64_t since = kase->first_triaged_at;
                self->waiting++;
                waits [wait_count++] = (double) (self->at - since) / (double) CF_USEC_PER_DAY;
                break;
            }
            case S_STATUS (URGENT): self->urgent_waiting++; break;
            case S_STATUS (ASSIGNED):
            case S_STATUS (ACTIVE):
                self->active_cases++;
                s_count (by_location, kase->location && *kase->location ? kase->location : "none",
                         1);
                if (kase->worker && *kase->worker)
                    s_count (by_worker, kase->worker, 1);
                break;
            case S_STATUS (CLOSED): self->closed_cases++; break;
            default: break;
        }
        self->open_cases += kase->status != S_STATUS (CLOSED);
    }
    self->wait_days_median = s_round1 (ctl_percentile (waits, wait_count, 50));
    self->wait_days_p90 = s_round1 (ctl_percentile (waits, wait_count, 90));
    free (waits);
    self->caseload_by_location = s_counts_array (&by_location, &self->location_count);
    self->caseload_by_worker = s_counts_array (&by_worker, &self->worker_count);
}

//  ----------------------------------------------------------- assignment

static void
s_fold_assignment (ctl_report_figures_t *self, const ctl_stream_t *stream, zhashx_t *cases,
                   zhashx_t *locations, zhashx_t *workers)
{
    static int s_marker;
    for (size_t i = 0; i < stream->count; i++) {
        const Caseflow__V1__Event *event = stream->events [i];
        s_worker_t *worker = NULL;
        const char *worker_id = NULL;
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED:
                zhashx_update (locations, event->location_added->location_id, &s_marker);
                break;
            case CASEFLOW__V1__EVENT__BODY_WORKER_JOINED:
                worker_id = event->worker_joined->worker_id;
                if (!zhashx_lookup (workers, worker_id)) {
                    worker = calloc (1, sizeof *worker);
                    assert (worker);
                    zhashx_insert (workers, worker_id, worker);
                }
                worker = zhashx_lookup (workers, worker_id);
                worker->fte_milli = event->worker_joined->fte_milli;
                break;
            case CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED:
                if ((worker = zhashx_lookup (workers, event->worker_changed->worker_id))
                    && event->worker_changed->fte_milli)
                    worker->fte_milli = event->worker_changed->fte_milli;
                break;
            case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED:
                if ((worker = zhashx_lookup (workers, event->worker_absence_started->worker_id)))
                    worker->absent = true;
                break;
            case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED:
                if ((worker = zhashx_lookup (workers, event->worker_returned->worker_id)))
                    worker->absent = false;
                break;
            case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT:
                if ((worker = zhashx_lookup (workers, event->worker_left->worker_id)))
                    worker->left = true;
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: {
                s_case_t *kase = zhashx_lookup (cases, event->case_assigned->case_id);
                if (kase && kase->urgent_at && !kase->picked_up_at
                    && event->occurred_at >= kase->urgent_at)
                    kase->picked_up_at = event->occurred_at;
                break;
            }
            default: break;
        }
    }
    for (s_worker_t *worker = zhashx_first (workers); worker; worker = zhashx_next (workers)) {
        if (worker->left)
            continue;
        if (worker->absent)
            self->workers_absent++;
        else {
            self->workers_active++;
            self->fte_active_milli += worker->fte_milli;
        }
    }
    double *hours = calloc (zhashx_size (cases) + 1, sizeof *hours);
    assert (hours);
    size_t count = 0;
    for (s_case_t *kase = zhashx_first (cases); kase; kase = zhashx_next (cases))
        if (kase->picked_up_at)
            hours [count++] =
                (double) (kase->picked_up_at - kase->urgent_at) / (double) CF_USEC_PER_HOUR;
    self->urgent_picked_up = count;
    self->urgent_pickup_hours_median = s_round1 (ctl_percentile (hours, count, 50));
    free (hours);
}

//  --------------------------------------------------------- notification

typedef struct {
    const char *case_id;
    const char *reminder_id;
    uint64_t number;
    int64_t due_at;
} s_due_t;

static int
s_compare_due (const void *a, const void *b)
{
    const s_due_t *x = a, *y = b;
    int by_case = strcmp (x->case_id, y->case_id);
    if (by_case)
        return by_case;
    return x->due_at < y->due_at   ? -1
           : x->due_at > y->due_at ? 1
           : x->number < y->number ? -1
                                   : x->number > y->number;
}

//  The recording that answers a callback: the one naming its reminder (or
//  its due time, when naming none), else the first at or after the due
//  time that no earlier callback of the case took. NULL when none.
static s_recording_t *
s_answer (s_case_t *kase, const s_due_t *due)
{
    for (size_t r = 0; r < kase->recording_count; r++) {
        s_recording_t *recording = &kase->recordings [r];
        bool names_it = *recording->body->reminder_id
                            ? strcmp (recording->body->reminder_id, due->reminder_id) == 0
                            : recording->body->due_at && recording->body->due_at == due->due_at;
        if (!recording->taken && names_it)
            return recording;
    }
    for (size_t r = 0; r < kase->recording_count; r++) {
        s_recording_t *recording = &kase->recordings [r];
        if (!recording->taken && recording->at >= due->due_at)
            return recording;
    }
    return NULL;
}

static void
s_fold_notification (ctl_report_figures_t *self, const ctl_stream_t *stream, zhashx_t *cases)
{
    //  When each callback's on-time window closes: notification's
    //  callback-overdue check for it, keyed "<case>/<number>".
    zhashx_t *window_ends = zhashx_new ();
    zhashx_set_destructor (window_ends, s_free_value);
    zhashx_t *seen = zhashx_new ();
    static int s_marker;
    s_due_t *dues = calloc (stream->count + 1, sizeof *dues);
    assert (dues);
    size_t due_count = 0;
    for (size_t i = 0; i < stream->count; i++) {
        const Caseflow__V1__Event *event = stream->events [i];
        const Caseflow__V1__Notification__Reminder *reminder = NULL;
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED
            && (reminder = event->reminder_scheduled->reminder)
            && reminder->kind
                   == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE) {
            char key [160];
            snprintf (key, sizeof key, "%s/%llu", reminder->case_id,
                      (unsigned long long) reminder->number);
            int64_t *end = zhashx_lookup (window_ends, key);
            if (!end) {
                end = calloc (1, sizeof *end);
                assert (end);
                zhashx_insert (window_ends, key, end);
            }
            *end = reminder->due_at;
        } else if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE
                   && (reminder = event->reminder_due->reminder)
                   && reminder->kind
                          == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
                   && !zhashx_lookup (seen, reminder->reminder_id)) {
            zhashx_insert (seen, reminder->reminder_id, &s_marker);
            dues [due_count++] = (s_due_t){ reminder->case_id, reminder->reminder_id,
                                            reminder->number, reminder->due_at };
        }
    }
    if (due_count)
        qsort (dues, due_count, sizeof *dues, s_compare_due);
    self->callbacks_due = due_count;
    for (size_t d = 0; d < due_count; d++) {
        const s_due_t *due = &dues [d];
        char key [160];
        snprintf (key, sizeof key, "%s/%llu", due->case_id, (unsigned long long) due->number);
        int64_t *scheduled_end = zhashx_lookup (window_ends, key);
        int64_t window_end =
            scheduled_end ? *scheduled_end
                          : ctl_add_working_days (due->due_at, CTL_REPORT_ON_TIME_WORKING_DAYS);
        s_case_t *kase = zhashx_lookup (cases, due->case_id);
        s_recording_t *answer = kase ? s_answer (kase, due) : NULL;
        if (answer)
            answer->taken = true;
        if (answer && answer->at < window_end)
            self->callbacks_on_time++;
        else if (window_end > self->at)
            self->callbacks_open += !answer;
        else if (answer
                 || (kase
                     && (s_status_at (kase, window_end) == S_STATUS (WAITING)
                         || s_status_at (kase, window_end) == S_STATUS (URGENT))))
            self->callbacks_late++;
        //  Otherwise the case stopped waiting before the window closed
        //  without a call: the callback was no longer needed.
    }
    uint64_t decided = self->callbacks_on_time + self->callbacks_late;
    self->callbacks_on_time_pct =
        decided ? s_round1 (100.0 * (double) self->callbacks_on_time / (double) decided) : NAN;
    free (dues);
    zhashx_destroy (&seen);
    zhashx_destroy (&window_ends);
}

//  ---------------------------------------------------------------- entry

void
ctl_report_figures_compute (ctl_report_figures_t *self, const ctl_history_t *history, int64_t at)
{
    memset (self, 0, sizeof *self);
    self->at = at;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        self->have [s] = history->streams [s].available;
    for (int i = 0; i < 6; i++) {
        self->by_channel [i].key = strdup (cf_words_find (&cf_words_channel, i + 1));
        self->by_status [i].key = strdup (cf_words_find (&cf_words_case_status, i + 1));
    }
    self->wait_days_median = self->wait_days_p90 = NAN;
    self->urgent_pickup_hours_median = self->callbacks_on_time_pct = NAN;
    zhashx_t *cases = zhashx_new ();
    zhashx_set_destructor (cases, s_case_free);
    zhashx_t *locations = zhashx_new ();
    zhashx_t *workers = zhashx_new ();
    zhashx_set_destructor (workers, s_worker_free);
    s_fold_intake (self, &history->streams [CTL_INTAKE], cases);
    if (self->have [CTL_ASSIGNMENT])
        s_fold_assignment (self, &history->streams [CTL_ASSIGNMENT], cases, locations, workers);
    s_case_figures (self, cases, locations, workers);
    if (self->have [CTL_NOTIFICATION])
        s_fold_notification (self, &history->streams [CTL_NOTIFICATION], cases);
    zhashx_destroy (&workers);
    zhashx_destroy (&locations);
    zhashx_destroy (&cases);
}

void
ctl_report_figures_free (ctl_report_figures_t *self)
{
    for (int i = 0; i < 6; i++) {
        free (self->by_channel [i].key);
        free (self->by_status [i].key);
    }
    for (size_t i = 0; i < self->location_count; i++)
        free (self->caseload_by_location [i].key);
    for (size_t i = 0; i < self->worker_count; i++)
        free (self->caseload_by_worker [i].key);
    free (self->caseload_by_location);
    free (self->caseload_by_worker);
    memset (self, 0, sizeof *self);
}
