//  cf_report: the council figures as they were at a moment, folded from
//  the facts the streams recorded up to it (see cf_report.h and
//  docs/report.md for the definitions).
//
//  Three passes over seq-ordered streams, the first two folded into a
//  state of their own (cf_report_fold.c), which a holder of a long history
//  keeps and copies: intake gives every case's
//  status history, urgency, location, areas, age band and worker
//  (the areas and the age band are plain fields: no personal data is
//  read); assignment gives the
//  roster at `at` and when urgent cases got a worker; notification gives
//  the callbacks that fell due by `at`, the end of each one's on-time
//  window (ReminderDue.answer_by) and which of them a call answered, on
//  time or not (CallbackAnswered, with the call's own time). Which call
//  answers which reminder, and the working-day window with the public
//  holidays, are notification's rules: recorded facts here, never
//  re-derived. Nothing here reads a clock: the same streams and `at` give
//  the same figures.
//
//  Every figure is made at zero first, in the order of CLI.md, then the
//  keys it does not name (S_ORDER): JSON objects keep the order their keys
//  were added in, so the passes count into them by name in any order.
#include "cf_report_private.h"

#include "caseflow/v1/notification.pb-c.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <czmq.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name

//  Every figure in the order of CLI.md, then those it does not name.
#define S_ORDER                                                                                 \
    "at registrations_total registrations_by_channel waiting wait_days_median wait_days_p90 "   \
    "urgent_total urgent_pickup_hours_median callbacks_due callbacks_on_time_pct active_cases " \
    "closed_cases workers_active workers_absent fte_active caseload_by_location handovers "     \
    "decisions_pending decisions_pending_days_median calls_offered calls_answered_pct "         \
    "call_answer_seconds_median "                                                               \
    "questions_added open_cases cases_by_status urgent_waiting urgent_picked_up "               \
    "callbacks_on_time callbacks_late callbacks_open caseload_by_worker "                       \
    "decisions_requested decisions_issued decisions_pending_by_law calls_answered "             \
    "calls_abandoned calls_waiting streams_left_out "                                           \
    "registrations_by_area registrations_by_age_band waiting_by_area waiting_by_age_band"
//  The figures each stream gives: unknown (null) when it could not be read.
static const char *s_owned [CF_FOLD_STREAM_COUNT] = {
    NULL, "urgent_pickup_hours_median workers_active workers_absent fte_active urgent_picked_up",
    NULL, "callbacks_due callbacks_on_time_pct callbacks_on_time callbacks_late callbacks_open",
    NULL,
};

typedef struct {
    int64_t at;
    json_t *figures;               //  by name, in no order
    const cf_report_fold_t *fold;  //  intake's and assignment's passes
} s_fold_t;

//  The word of an enum value; "unspecified" for 0 and unknown values.
static const char *
s_word (const cf_words_t *table, int value)
{
    const char *word = cf_words_find (table, value);
    return word ? word : "unspecified";
}

//  Adds `count` to the figure `key`, or to its part `part` (a count per
//  channel, location, ...) when `part` is not NULL.
static void
s_add (s_fold_t *self, const char *key, const char *part, json_int_t count)
{
    json_t *figure = json_object_get (self->figures, key);
    if (part) {
        json_t *parts = figure;
        figure = json_object_get (parts, part);
        if (!figure)
            json_object_set_new (parts, part, figure = json_integer (0));
    }
    json_integer_set (figure, json_integer_value (figure) + count);
}

static int
s_compare_keys (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

//  Sets the parts of figure `key` to zero for every key of `table` (in
//  key order: the counts after them keep that order).
static void
s_zero_parts (s_fold_t *self, const char *key, zhashx_t *table, bool (*wanted) (const void *item))
{
    zlistx_t *keys = zhashx_keys (table);
    size_t count = zlistx_size (keys), n = 0;
    const char **sorted = calloc (count + 1, sizeof *sorted);
    assert (sorted);
    for (const char *name = zlistx_first (keys); name; name = zlistx_next (keys))
        if (!wanted || wanted (zhashx_lookup (table, name)))
            sorted [n++] = name;
    qsort (sorted, n, sizeof *sorted, s_compare_keys);
    for (size_t i = 0; i < n; i++)
        s_add (self, key, sorted [i], 0);
    free (sorted);
    zlistx_destroy (&keys);
}

static bool
s_on_roster (const void *item)
{
    return !((const cf_report_worker_t *) item)->left;
}

//  --------------------------------------------- by area and by age band

//  The word of an age band; "unknown" when no birth date was given.
static const char *
s_age_band (Caseflow__V1__AgeBand band)
{
    const char *word = cf_words_find (&cf_words_age_band, (int) band);
    return word ? word : "unknown";
}

//  Lists every area at zero in the figures by area (every location added
//  by `at`, and every area a case was registered with, in key order, then
//  `none`) and every age band in the figures by age band (in band order,
//  then `unknown`): the counts after them keep that order.
static void
s_zero_areas (s_fold_t *self)
{
    static int s_marker;
    zhashx_t *areas = zhashx_new ();
    zhashx_t *locations = self->fold->locations;
    for (void *item = zhashx_first (locations); item; item = zhashx_next (locations))
        zhashx_update (areas, zhashx_cursor (locations), &s_marker);
    for (size_t c = 0; c < self->fold->count; c++) {
        const cf_report_case_t *kase = cf_report_fold_at (self->fold, c);
        for (size_t i = 0; i < kase->area_count; i++)
            zhashx_update (areas, kase->areas [i], &s_marker);
    }
    static const char *s_keys [2][2] = { { "registrations_by_area", "registrations_by_age_band" },
                                         { "waiting_by_area", "waiting_by_age_band" } };
    for (int k = 0; k < 2; k++) {
        s_zero_parts (self, s_keys [k][0], areas, NULL);
        s_add (self, s_keys [k][0], "none", 0);
        for (int band = CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17;
             band <= CASEFLOW__V1__AGE_BAND__AGE_BAND_67_PLUS; band++)
            s_add (self, s_keys [k][1], s_age_band (band), 0);
        s_add (self, s_keys [k][1], s_age_band (0), 0);
    }
    zhashx_destroy (&areas);
}

#define S_BAND_FIRST CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17
#define S_BAND_LAST  CASEFLOW__V1__AGE_BAND__AGE_BAND_67_PLUS

//  The counts of people by area and by age band, made over every case and
//  added to the figures at the end (their parts are all listed at zero
//  first, so the order they are counted in does not show).
typedef struct {
    json_t *by_area;                     //  the figure's parts, borrowed
    json_int_t none;                     //  cases without an area
    json_int_t bands [S_BAND_LAST + 1];  //  by band; [0] unknown
} s_people_t;

//  Counts a case once under each of its areas (`none` without one), and
//  under its age band.
static void
s_count_people (s_people_t *people, const cf_report_case_t *kase)
{
    for (size_t i = 0; i < kase->area_count; i++) {
        json_t *count = json_object_get (people->by_area, kase->areas [i]);
        json_integer_set (count, json_integer_value (count) + 1);
    }
    people->none += kase->area_count == 0;
    bool known = kase->age_band >= S_BAND_FIRST && kase->age_band <= S_BAND_LAST;
    people->bands [known ? kase->age_band : 0]++;
}

//  Adds what `people` counted to the figures `by_area` and `by_age_band`.
static void
s_add_people (s_fold_t *self, const s_people_t *people, const char *by_area,
              const char *by_age_band)
{
    s_add (self, by_area, "none", people->none);
    for (int band = S_BAND_FIRST; band <= S_BAND_LAST; band++)
        s_add (self, by_age_band, s_age_band (band), people->bands [band]);
    s_add (self, by_age_band, s_age_band (0), people->bands [0]);
}

//  The figures that need only the cases as they are at `at`.
static void
s_case_figures (s_fold_t *self)
{
    double *waits = calloc (self->fold->count + 1, sizeof *waits);
    assert (waits);
    size_t wait_count = 0;
    //  Every known location and worker on the roster is listed, also at zero.
    s_zero_parts (self, "caseload_by_location", self->fold->locations, NULL);
    s_zero_parts (self, "caseload_by_worker", self->fold->workers, s_on_roster);
    s_zero_areas (self);
    //  Counted here, added once after: a figure found by name per case
    //  would cost more than the rest of the walk.
    json_int_t statuses [S_STATUS (CLOSED) + 1] = { 0 }, ever_urgent = 0, active = 0;
    s_people_t registered = { .by_area = json_object_get (self->figures, "registrations_by_area") };
    s_people_t waiting = { .by_area = json_object_get (self->figures, "waiting_by_area") };
    for (size_t c = 0; c < self->fold->count; c++) {
        const cf_report_case_t *kase = cf_report_fold_at (self->fold, c);
        //  A status without a word counts as "unspecified", after the six.
        statuses [kase->status <= S_STATUS (CLOSED) ? kase->status : 0]++;
        ever_urgent += kase->ever_urgent;
        s_count_people (&registered, kase);
        if (kase->status == S_STATUS (WAITING)) {
            s_count_people (&waiting, kase);
            waits [wait_count++] =
                (double) (self->at - kase->first_triaged_at) / (double) CF_USEC_PER_DAY;
        }
        if (kase->status != S_STATUS (ASSIGNED) && kase->status != S_STATUS (ACTIVE))
            continue;
        active++;
        s_add (self, "caseload_by_location",
               kase->location && *kase->location ? kase->location : "none", 1);
        if (kase->worker && *kase->worker)
            s_add (self, "caseload_by_worker", kase->worker, 1);
    }
    for (int status = S_STATUS (REGISTERED); status <= S_STATUS (CLOSED) + 1; status++) {
        int value = status % (S_STATUS (CLOSED) + 1);
        if (value || statuses [0])
            s_add (self, "cases_by_status", s_word (&cf_words_case_status, value),
                   statuses [value]);
    }
    json_int_t closed = statuses [S_STATUS (CLOSED)];
    s_add (self, "urgent_total", NULL, ever_urgent);
    s_add (self, "open_cases", NULL, (json_int_t) self->fold->count - closed);
    s_add (self, "closed_cases", NULL, closed);
    s_add (self, "urgent_waiting", NULL, statuses [S_STATUS (URGENT)]);
    s_add (self, "active_cases", NULL, active);
    s_add_people (self, &registered, "registrations_by_area", "registrations_by_age_band");
    s_add_people (self, &waiting, "waiting_by_area", "waiting_by_age_band");
    s_add (self, "waiting", NULL, (json_int_t) wait_count);
    json_object_set_new (self->figures, "wait_days_median",
                         cf_fold_json_round1 (cf_fold_percentile (waits, wait_count, 50)));
    json_object_set_new (self->figures, "wait_days_p90",
                         cf_fold_json_round1 (cf_fold_percentile (waits, wait_count, 90)));
    free (waits);
}

//  ----------------------------------------------------------- assignment

//  The roster's figures and the urgent pickup, from the fold.
static void
s_assignment_figures (s_fold_t *self)
{
    zhashx_t *workers = self->fold->workers;
    uint64_t fte_milli = 0;
    for (cf_report_worker_t *worker = zhashx_first (workers); worker;
         worker = zhashx_next (workers)) {
        s_add (self, "workers_absent", NULL, !worker->left && worker->absent);
        s_add (self, "workers_active", NULL, !worker->left && !worker->absent);
        fte_milli += !worker->left && !worker->absent ? worker->fte_milli : 0;
    }
    json_object_set_new (self->figures, "fte_active",
                         cf_fold_json_number ((double) fte_milli / 1000.0));
    double *hours = calloc (self->fold->count + 1, sizeof *hours);
    assert (hours);
    size_t count = 0;
    for (size_t c = 0; c < self->fold->count; c++) {
        const cf_report_case_t *kase = cf_report_fold_at (self->fold, c);
        if (kase->picked_up_at)
            hours [count++] =
                (double) (kase->picked_up_at - kase->urgent_at) / (double) CF_USEC_PER_HOUR;
    }
    s_add (self, "urgent_picked_up", NULL, (json_int_t) count);
    json_object_set_new (self->figures, "urgent_pickup_hours_median",
                         cf_fold_json_round1 (cf_fold_percentile (hours, count, 50)));
    free (hours);
}

//  --------------------------------------------------------- notification

//  The callbacks due by `at`, each decided by notification's facts: answered
//  on time or late (a call recorded by `at` answered it), open (its window
//  ends after `at`, unanswered), late (its window ended unanswered while
//  the case waited), or no longer needed (the case stopped waiting first).
//  A ReminderDue without answer_by was written before notification
//  recorded these facts: its callback counts as due and is not decided.
static void
s_fold_notification (s_fold_t *self, const cf_fold_stream_t *stream)
{
    zhashx_t *answers = zhashx_new ();  //  reminder id -> CallbackAnswered, by `at`
    zhashx_t *seen = zhashx_new ();     //  reminder ids counted
    for (size_t i = 0; i < stream->count; i++) {
        const Caseflow__V1__Event *event = stream->events [i];
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED
            && event->callback_answered->answered_at <= self->at)
            zhashx_update (answers, event->callback_answered->reminder_id,
                           (void *) event->callback_answered);
    }
    for (size_t i = 0; i < stream->count; i++) {
        const Caseflow__V1__Event *event = stream->events [i];
        const Caseflow__V1__Notification__ReminderDue *due =
            event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE ? event->reminder_due : NULL;
        if (!due || !due->reminder || event->occurred_at > self->at
            || due->reminder->kind
                   != CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
            || zhashx_lookup (seen, due->reminder->reminder_id))
            continue;
        zhashx_insert (seen, due->reminder->reminder_id, (void *) due);
        s_add (self, "callbacks_due", NULL, 1);
        const Caseflow__V1__Notification__CallbackAnswered *answer =
            zhashx_lookup (answers, due->reminder->reminder_id);
        const cf_report_case_t *kase = cf_report_fold_case (self->fold, due->reminder->case_id);
        Caseflow__V1__CaseStatus then =
            kase && due->answer_by ? cf_report_fold_status_at (self->fold, kase, due->answer_by)
                                   : S_STATUS (UNSPECIFIED);
        if (answer)
            s_add (self, answer->on_time ? "callbacks_on_time" : "callbacks_late", NULL, 1);
        else if (due->answer_by > self->at)
            s_add (self, "callbacks_open", NULL, 1);
        else if (then == S_STATUS (WAITING) || then == S_STATUS (URGENT))
            s_add (self, "callbacks_late", NULL, 1);
    }
    json_int_t on_time = json_integer_value (json_object_get (self->figures, "callbacks_on_time"));
    json_int_t late = json_integer_value (json_object_get (self->figures, "callbacks_late"));
    json_object_set_new (
        self->figures, "callbacks_on_time_pct",
        cf_fold_json_round1 (on_time + late ? 100.0 * (double) on_time / (double) (on_time + late)
                                            : NAN));
    zhashx_destroy (&seen);
    zhashx_destroy (&answers);
}

//  ---------------------------------------------------------------- entry

bool
cf_report_reads (cf_fold_stream_id_t stream, Caseflow__V1__Event__BodyCase kind,
                 int64_t occurred_at, int64_t at)
{
    //  The kinds each pass above (and cf_report_gateway) switches on; an
    //  event of any other kind changes nothing there.
    switch (stream) {
        case CF_FOLD_INTAKE:
            return occurred_at <= at
                   && (kind == CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED
                       || kind == CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED
                       || kind == CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED
                       || kind == CASEFLOW__V1__EVENT__BODY_CASE_CLOSED
                       || kind == CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED);
        case CF_FOLD_ASSIGNMENT:
            return occurred_at <= at
                   && (kind == CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED
                       || kind == CASEFLOW__V1__EVENT__BODY_WORKER_JOINED
                       || kind == CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED
                       || kind == CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED
                       || kind == CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED
                       || kind == CASEFLOW__V1__EVENT__BODY_WORKER_LEFT
                       || kind == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED);
        case CF_FOLD_NOTIFICATION:
            return kind == CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED
                   || (kind == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE && occurred_at <= at);
        case CF_FOLD_GATEWAY:
            return kind == CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED && occurred_at <= at;
        default: return false;
    }
}

json_t *
cf_report_figures (const cf_fold_streams_t *streams, int64_t at)
{
    if (!streams->streams [CF_FOLD_INTAKE].available)
        return NULL;
    //  Intake's pass first, then assignment's (which reads the cases).
    cf_report_fold_t *fold = cf_report_fold_new (NULL);
    for (int s = CF_FOLD_INTAKE; s <= CF_FOLD_ASSIGNMENT; s++) {
        const cf_fold_stream_t *stream = &streams->streams [s];
        for (size_t i = 0; stream->available && i < stream->count; i++)
            cf_report_fold_apply (fold, (cf_fold_stream_id_t) s, stream->events [i], at);
    }
    json_t *figures = cf_report_fold_figures (fold, streams, at);
    cf_report_fold_destroy (&fold);
    return figures;
}

json_t *
cf_report_fold_figures (const cf_report_fold_t *fold, const cf_fold_streams_t *streams, int64_t at)
{
    assert (fold && streams);
    if (!streams->streams [CF_FOLD_INTAKE].available)
        return NULL;
    //  Handover's figures are not folded here; the gateway's are null
    //  without it and never named.
    bool have [CF_FOLD_STREAM_COUNT] = { true, streams->streams [CF_FOLD_ASSIGNMENT].available,
                                         true, streams->streams [CF_FOLD_NOTIFICATION].available,
                                         true };
    s_fold_t self = { .at = at, .figures = json_object (), .fold = fold };
    //  Every count starts at zero, every part of the six channels and statuses too.
    const char *item = S_ORDER;
    for (size_t len; *item; item += len + (item [len] == ' ')) {
        char key [64];
        snprintf (key, sizeof key, "%.*s", (int) (len = strcspn (item, " ")), item);
        bool parts = strstr (key, "_by_") != NULL;
        json_object_set_new (self.figures, key, parts ? json_object () : json_integer (0));
    }
    for (int value = 1; value <= 6; value++) {
        s_add (&self, "registrations_by_channel", s_word (&cf_words_channel, value), 0);
        s_add (&self, "cases_by_status", s_word (&cf_words_case_status, value), 0);
    }
    //  Intake's counts; an unknown channel is "unspecified", after the six.
    s_add (&self, "registrations_total", NULL, (json_int_t) fold->registrations);
    s_add (&self, "questions_added", NULL, (json_int_t) fold->questions);
    for (int value = 1; value <= CF_REPORT_CHANNELS; value++)
        if (value < CF_REPORT_CHANNELS || fold->channels [0])
            s_add (&self, "registrations_by_channel",
                   s_word (&cf_words_channel, value % CF_REPORT_CHANNELS),
                   (json_int_t) fold->channels [value % CF_REPORT_CHANNELS]);
    if (have [CF_FOLD_ASSIGNMENT])
        s_assignment_figures (&self);
    s_case_figures (&self);
    if (have [CF_FOLD_NOTIFICATION])
        s_fold_notification (&self, &streams->streams [CF_FOLD_NOTIFICATION]);
    cf_report_gateway (self.figures, &streams->streams [CF_FOLD_GATEWAY], at);
    //  What a missing stream would have told is unknown, not zero.
    json_t *left_out = json_array ();
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        if (have [s])
            continue;
        json_array_append_new (left_out, json_string (cf_fold_stream_name (s)));
        const char *key = s_owned [s] ? s_owned [s] : "";
        for (size_t len; *key; key += len + (key [len] == ' ')) {
            char name [64];
            snprintf (name, sizeof name, "%.*s", (int) (len = strcspn (key, " ")), key);
            json_object_set_new (self.figures, name, json_null ());
        }
    }
    json_object_set_new (self.figures, "at", cf_fold_json_time (at));
    json_object_set_new (self.figures, "streams_left_out", left_out);
    json_object_set_new (self.figures, "handovers", json_null ());
    return self.figures;
}
