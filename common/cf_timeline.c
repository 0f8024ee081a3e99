//  cf_timeline: one case's history across the streams (see cf_timeline.h).
//
//  Three steps. Intake's events about the case give its state, the
//  handovers it came from and the recorded calls. Notification's events
//  give its callback reminders, each with the call that answered it; the
//  reminders of the case and of its handovers are noted, so their later
//  events (cancelled, handled, answered) join the time line though they
//  name only the reminder. Then the events that concern the case are
//  merged from every stream in time order.
#include "cf_timeline.h"

#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_error.h"

#include <assert.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cf_timeline_t *line;
    size_t callback_cap;
    zhashx_t *reminders;  //  ids of the case's and its handovers' reminders
} s_fold_t;

//  The stream `id` of the set, NULL when it is not available.
static const cf_fold_stream_t *
s_stream (const cf_fold_streams_t *streams, cf_fold_stream_id_t id)
{
    return streams->streams [id].available ? &streams->streams [id] : NULL;
}

static bool
s_has_handover (const cf_timeline_t *self, const char *id)
{
    for (size_t i = 0; id && *id && i < self->handover_count; i++)
        if (strcmp (self->handovers [i], id) == 0)
            return true;
    return false;
}

static void
s_add_handover (cf_timeline_t *self, const char *id)
{
    if (*id && !s_has_handover (self, id) && self->handover_count < 16)
        self->handovers [self->handover_count++] = id;
}

static void
s_add_domains (cf_timeline_t *self, const Caseflow__V1__Domain *domains, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        bool known = false;
        for (size_t j = 0; j < self->domain_count; j++)
            known |= self->domains [j] == domains [i];
        if (!known && self->domain_count < 16)
            self->domains [self->domain_count++] = domains [i];
    }
}

//  The callback of reminder `id` (added when new, `id` "" always new).
static cf_timeline_callback_t *
s_callback (s_fold_t *fold, const char *id)
{
    cf_timeline_t *self = fold->line;
    for (size_t i = 0; *id && i < self->callback_count; i++)
        if (strcmp (self->callbacks [i].reminder_id, id) == 0)
            return &self->callbacks [i];
    if (self->callback_count == fold->callback_cap) {
        fold->callback_cap = fold->callback_cap ? fold->callback_cap * 2 : 8;
        self->callbacks = realloc (self->callbacks, fold->callback_cap * sizeof *self->callbacks);
        assert (self->callbacks);
    }
    cf_timeline_callback_t *callback = &self->callbacks [self->callback_count++];
    *callback = (cf_timeline_callback_t){ .reminder_id = id };
    return callback;
}

//  Folds the case's intake events: its state at `at`. False when intake
//  registered no such case by then.
static bool
s_fold_intake (cf_timeline_t *self, const cf_fold_stream_t *intake)
{
    bool found = false;
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        if (event->occurred_at > self->at
            || strcmp (cf_fold_event_case_id (event), self->case_id) != 0)
            continue;
        self->status = cf_fold_status_after (self->status, event);
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
                found = true;
                self->channel = event->case_registered->channel;
                self->location = event->case_registered->location;
                self->registered_at = event->occurred_at;
                s_add_domains (self, event->case_registered->domains,
                               event->case_registered->n_domains);
                s_add_handover (self, event->case_registered->handover_id);
                break;
            case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
                s_add_domains (self, event->question_added->domains,
                               event->question_added->n_domains);
                s_add_handover (self, event->question_added->handover_id);
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
                self->urgency = event->case_triaged->urgency;
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
                self->worker_id = event->case_status_changed->worker_id;
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: self->closed_at = event->occurred_at; break;
            default: break;
        }
    }
    return found;
}

//  The reminder an event of notification's is about, and the reminder
//  itself when the event carries it.
static const char *
s_reminder_id (const Caseflow__V1__Event *event,
               const Caseflow__V1__Notification__Reminder **reminder_p)
{
    *reminder_p = NULL;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED:
            *reminder_p = event->reminder_scheduled->reminder;
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE:
            *reminder_p = event->reminder_due->reminder;
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            return event->reminder_cancelled->reminder_id;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
            return event->reminder_acknowledged->reminder_id;
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED:
            return event->callback_answered->reminder_id;
        default: return "";
    }
    return *reminder_p ? (*reminder_p)->reminder_id : "";
}

//  The intake recording with seq `seq` by `at`, or NULL.
static const Caseflow__V1__Event *
s_recording (const cf_timeline_t *self, const cf_fold_stream_t *intake, uint64_t seq)
{
    for (size_t i = 0; i < intake->count; i++)
        if (intake->events [i]->seq == seq && intake->events [i]->occurred_at <= self->at
            && intake->events [i]->body_case == CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED)
            return intake->events [i];
    return NULL;
}

static bool
s_is_callback (const Caseflow__V1__Notification__Reminder *reminder)
{
    return reminder->kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
}

//  Notification's callbacks of the case, each with the call that answered
//  it; then the recorded calls that answered none.
static void
s_fold_callbacks (s_fold_t *fold, const cf_fold_stream_t *notification,
                  const cf_fold_stream_t *intake)
{
    cf_timeline_t *self = fold->line;
    static int s_marker;
    for (size_t i = 0; notification && i < notification->count; i++) {
        const Caseflow__V1__Event *event = notification->events [i];
        if (event->occurred_at > self->at)
            continue;
        const Caseflow__V1__Notification__Reminder *reminder = NULL;
        const char *id = s_reminder_id (event, &reminder);
        if (reminder
            && (strcmp (reminder->case_id, self->case_id) == 0
                || s_has_handover (self, reminder->handover_id)))
            zhashx_update (fold->reminders, id, &s_marker);
        if (reminder && strcmp (reminder->case_id, self->case_id) == 0
            && s_is_callback (reminder)) {
            cf_timeline_callback_t *callback = s_callback (fold, id);
            callback->due_at = reminder->due_at;
            callback->fired |= event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
        } else if (!reminder && strcmp (event->case_id, self->case_id) == 0) {
            cf_timeline_callback_t *callback = NULL;
            for (size_t c = 0; c < self->callback_count && !callback; c++)
                if (strcmp (self->callbacks [c].reminder_id, id) == 0)
                    callback = &self->callbacks [c];
            if (callback && event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED)
                callback->cancelled = true;
            if (callback && event->body_case == CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED)
                callback->answer = s_recording (self, intake, event->callback_answered->intake_seq);
        }
    }
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        if (event->occurred_at > self->at
            || event->body_case != CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED
            || strcmp (event->callback_recorded->case_id, self->case_id) != 0)
            continue;
        bool answered = false;
        for (size_t c = 0; c < self->callback_count && !answered; c++)
            answered = self->callbacks [c].answer == event;
        if (!answered) {
            cf_timeline_callback_t *own = s_callback (fold, "");
            own->due_at = event->callback_recorded->due_at;
            own->fired = true;
            own->answer = event;
        }
    }
}

static int64_t
s_sort_time (const cf_timeline_callback_t *callback)
{
    return callback->due_at   ? callback->due_at
           : callback->answer ? callback->answer->occurred_at
                              : 0;
}

static int
s_compare_callbacks (const void *a, const void *b)
{
    int64_t x = s_sort_time (a), y = s_sort_time (b);
    return x < y   ? -1
           : x > y ? 1
                   : strcmp (((const cf_timeline_callback_t *) a)->reminder_id,
                             ((const cf_timeline_callback_t *) b)->reminder_id);
}

//  ------------------------------------------------------------ merging

//  Whether an event of `stream` concerns the case.
static bool
s_keep (s_fold_t *fold, cf_fold_stream_id_t stream, const Caseflow__V1__Event *event)
{
    const cf_timeline_t *self = fold->line;
    const Caseflow__V1__Notification__Reminder *reminder = NULL;
    if (event->occurred_at > self->at)
        return false;
    if (strcmp (event->case_id, self->case_id) == 0)
        return true;
    switch (stream) {
        case CF_FOLD_INTAKE:
        case CF_FOLD_ASSIGNMENT: return strcmp (cf_fold_event_case_id (event), self->case_id) == 0;
        case CF_FOLD_HANDOVER:
            return s_has_handover (self, cf_fold_event_text (event, "handover_id"));
        case CF_FOLD_NOTIFICATION:
            return zhashx_lookup (fold->reminders, s_reminder_id (event, &reminder)) != NULL;
        default: return false;
    }
}

//  The four streams a time line merges, upstreams first: on a tie a
//  consumer's reaction follows its cause.
#define S_MERGED 4
static const cf_fold_stream_id_t s_rank [S_MERGED] = { CF_FOLD_HANDOVER, CF_FOLD_INTAKE,
                                                       CF_FOLD_ASSIGNMENT, CF_FOLD_NOTIFICATION };

//  Merges the events that concern the case into the time line.
static void
s_merge (s_fold_t *fold)
{
    cf_timeline_t *self = fold->line;
    //  The kept events per stream (by rank), and the ids of those not yet placed.
    const Caseflow__V1__Event **lists [S_MERGED] = { 0 };
    size_t counts [S_MERGED] = { 0 }, heads [S_MERGED] = { 0 }, total = 0;
    zhashx_t *pending = zhashx_new ();
    static int s_marker;
    for (int r = 0; r < S_MERGED; r++) {
        const cf_fold_stream_t *stream = s_stream (self->streams, s_rank [r]);
        if (!stream || !stream->count)
            continue;
        lists [r] = calloc (stream->count, sizeof *lists [r]);
        assert (lists [r]);
        for (size_t i = 0; i < stream->count; i++)
            if (s_keep (fold, s_rank [r], stream->events [i])) {
                lists [r][counts [r]++] = stream->events [i];
                zhashx_insert (pending, stream->events [i]->id, &s_marker);
            }
        total += counts [r];
    }
    self->entries = total ? calloc (total, sizeof *self->entries) : NULL;
    assert (!total || self->entries);
    for (size_t placed = 0; placed < total; placed++) {
        int64_t earliest = INT64_MAX;
        for (int r = 0; r < S_MERGED; r++)
            if (heads [r] < counts [r] && lists [r][heads [r]]->occurred_at < earliest)
                earliest = lists [r][heads [r]]->occurred_at;
        int chosen = -1, first = -1;
        for (int r = 0; r < S_MERGED && chosen < 0; r++) {
            if (heads [r] >= counts [r] || lists [r][heads [r]]->occurred_at != earliest)
                continue;
            if (first < 0)
                first = r;
            const char *cause = lists [r][heads [r]]->causation_id;
            if (!cause || !*cause || !zhashx_lookup (pending, cause))
                chosen = r;
        }
        //  A cause still waiting in another stream at the same instant
        //  cannot be behind its effect forever; without one, upstream first.
        if (chosen < 0)
            chosen = first;
        const Caseflow__V1__Event *event = lists [chosen][heads [chosen]++];
        zhashx_delete (pending, event->id);
        self->entries [placed] = (cf_timeline_entry_t){ event, s_rank [chosen] };
    }
    self->entry_count = total;
    zhashx_destroy (&pending);
    for (int r = 0; r < S_MERGED; r++)
        free (lists [r]);
}

//  ---------------------------------------------------------------- entry

int
cf_timeline_fold (const cf_fold_streams_t *streams, const char *case_id, int64_t at,
                  cf_timeline_t **self_p)
{
    const cf_fold_stream_t *intake = s_stream (streams, CF_FOLD_INTAKE);
    assert (intake);
    *self_p = NULL;
    cf_timeline_t *self = calloc (1, sizeof *self);
    assert (self);
    self->case_id = case_id;
    self->at = at;
    self->streams = streams;
    if (!s_fold_intake (self, intake)) {
        free (self);
        return CF_ENOTFOUND;
    }
    s_fold_t fold = { .line = self, .reminders = zhashx_new () };
    s_fold_callbacks (&fold, s_stream (streams, CF_FOLD_NOTIFICATION), intake);
    if (self->callback_count)
        qsort (self->callbacks, self->callback_count, sizeof *self->callbacks, s_compare_callbacks);
    s_merge (&fold);
    zhashx_destroy (&fold.reminders);
    *self_p = self;
    return 0;
}

void
cf_timeline_destroy (cf_timeline_t **self_p)
{
    cf_timeline_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    free (self->callbacks);
    free (self->entries);
    free (self);
    *self_p = NULL;
}
