//  ctl_case: `case show CASE [--at TIME]`: one case's whole timeline,
//  merged from the four streams, and its state as it was at TIME
//  (default: now by intake's clock); ctl_case_output.c prints it.
//
//  The streams are read through replay up to TIME (ctl_history.h), the
//  events concerning the case are kept, merged in time order and folded:
//  intake's events give the case's status, urgency, channel, domains,
//  worker and location (intake mirrors assignment's decisions in
//  CaseStatusChanged, so its stream alone tells the status at any time);
//  notification's give the callbacks that were scheduled and fell due, and
//  which recorded call answered each (its CallbackAnswered facts: the rule
//  is notification's, not re-derived here). A recorded call that answered
//  no reminder is a callback of its own.
//
//  Which events concern the case: those whose envelope names it; intake's
//  and assignment's events whose body names it; handover's events of the
//  handovers the case came from; notification's about its reminders.
//
//  Exit status: 0; 1 when intake never registered the case (by TIME);
//  3 when intake does not answer. Other services that do not answer are
//  named on stderr and their events left out.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"

#include <assert.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

static bool
s_has_handover (const ctl_case_t *self, const char *id)
{
    for (size_t i = 0; id && *id && i < self->handover_count; i++)
        if (strcmp (self->handovers [i], id) == 0)
            return true;
    return false;
}

static void
s_add_handover (ctl_case_t *self, const char *id)
{
    if (*id && !s_has_handover (self, id) && self->handover_count < 16)
        self->handovers [self->handover_count++] = id;
}

static void
s_add_domains (ctl_case_t *self, const Caseflow__V1__Domain *domains, size_t count)
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
static ctl_callback_t *
s_callback (ctl_case_t *self, const char *id)
{
    for (size_t i = 0; *id && i < self->callback_count; i++)
        if (strcmp (self->callbacks [i].reminder_id, id) == 0)
            return &self->callbacks [i];
    if (self->callback_count == self->callback_cap) {
        self->callback_cap = self->callback_cap ? self->callback_cap * 2 : 8;
        self->callbacks = realloc (self->callbacks, self->callback_cap * sizeof *self->callbacks);
        assert (self->callbacks);
    }
    ctl_callback_t *callback = &self->callbacks [self->callback_count++];
    *callback = (ctl_callback_t){ .reminder_id = id };
    return callback;
}

//  Folds the case's intake events: its state at the history's end.
static void
s_fold_intake (ctl_case_t *self, const ctl_stream_t *intake)
{
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        if (strcmp (cf_fold_event_case_id (event), self->case_id) != 0)
            continue;
        self->status = cf_fold_status_after (self->status, event);
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
                self->found = true;
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

//  The intake recording with seq `seq` about the case, or NULL.
static const Caseflow__V1__Event *
s_recording (const ctl_case_t *self, uint64_t seq)
{
    const ctl_stream_t *intake = &self->history->streams [CTL_INTAKE];
    for (size_t i = 0; i < intake->count; i++)
        if (intake->events [i]->seq == seq
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
s_fold_callbacks (ctl_case_t *self, const ctl_stream_t *notification)
{
    for (size_t i = 0; i < notification->count; i++) {
        const Caseflow__V1__Event *event = notification->events [i];
        const Caseflow__V1__Notification__Reminder *reminder = NULL;
        const char *id = s_reminder_id (event, &reminder);
        static int s_marker;
        if (reminder
            && (strcmp (reminder->case_id, self->case_id) == 0
                || s_has_handover (self, reminder->handover_id)))
            zhashx_update (self->reminders, id, &s_marker);
        if (reminder && strcmp (reminder->case_id, self->case_id) == 0
            && s_is_callback (reminder)) {
            ctl_callback_t *callback = s_callback (self, id);
            callback->due_at = reminder->due_at;
            callback->fired |= event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
        } else if (!reminder && strcmp (event->case_id, self->case_id) == 0) {
            ctl_callback_t *callback = NULL;
            for (size_t c = 0; c < self->callback_count && !callback; c++)
                if (strcmp (self->callbacks [c].reminder_id, id) == 0)
                    callback = &self->callbacks [c];
            if (callback && event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED)
                callback->cancelled = true;
            if (callback && event->body_case == CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED)
                callback->answer = s_recording (self, event->callback_answered->intake_seq);
        }
    }
    const ctl_stream_t *intake = &self->history->streams [CTL_INTAKE];
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        if (event->body_case != CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED
            || strcmp (event->callback_recorded->case_id, self->case_id) != 0)
            continue;
        bool answered = false;
        for (size_t c = 0; c < self->callback_count && !answered; c++)
            answered = self->callbacks [c].answer == event;
        if (!answered) {
            ctl_callback_t *own = s_callback (self, "");
            own->due_at = event->callback_recorded->due_at;
            own->fired = true;
            own->answer = event;
        }
    }
}

static int64_t
s_sort_time (const ctl_callback_t *callback)
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
                   : strcmp (((const ctl_callback_t *) a)->reminder_id,
                             ((const ctl_callback_t *) b)->reminder_id);
}

//  ------------------------------------------------------------ keeping

static bool
s_keep (void *ctx, ctl_service_t service, const Caseflow__V1__Event *event)
{
    ctl_case_t *self = ctx;
    const Caseflow__V1__Notification__Reminder *reminder = NULL;
    if (strcmp (event->case_id, self->case_id) == 0)
        return true;
    switch (service) {
        case CTL_INTAKE:
        case CTL_ASSIGNMENT: return strcmp (cf_fold_event_case_id (event), self->case_id) == 0;
        case CTL_HANDOVER: return s_has_handover (self, cf_fold_event_text (event, "handover_id"));
        case CTL_NOTIFICATION:
            return zhashx_lookup (self->reminders, s_reminder_id (event, &reminder)) != NULL;
        default: return false;
    }
}

//  --------------------------------------------------------------- show

static int
s_show (const ctl_args_t *args)
{
    int64_t at = 0;
    int rc = CTL_OK;
    if (ctl_arg (args, "at"))
        rc = ctl_parse_time ("--at", ctl_arg (args, "at"), &at);
    else
        rc = ctl_service_now (args->ctl, CTL_INTAKE, &at);
    ctl_history_t history;
    if (rc != CTL_OK || (rc = ctl_history_read (args->ctl, NULL, at, &history)) != CTL_OK)
        return rc;
    if (!history.streams [CTL_INTAKE].available) {
        ctl_history_free (&history);
        return CTL_UNREACHABLE;
    }
    ctl_case_t self = { .case_id = args->positional [0], .at = at, .history = &history };
    zhashx_t *reminders = zhashx_new ();
    self.reminders = reminders;
    s_fold_intake (&self, &history.streams [CTL_INTAKE]);
    if (!self.found) {
        char when [40];
        fprintf (stderr,
                 "caseflowctl: intake: not_found: case_id: case %s was not registered by %s\n",
                 self.case_id, ctl_time_text (at, when, sizeof when));
        rc = CTL_REFUSED;
    } else {
        s_fold_callbacks (&self, &history.streams [CTL_NOTIFICATION]);
        if (self.callback_count)
            qsort (self.callbacks, self.callback_count, sizeof *self.callbacks,
                   s_compare_callbacks);
        size_t count = 0;
        ctl_entry_t *line = ctl_history_merge (&history, s_keep, &self, &count);
        ctl_case_print (args, &self, line, count);
        free (line);
    }
    free (self.callbacks);
    zhashx_destroy (&reminders);
    ctl_history_free (&history);
    return rc;
}

const ctl_verb_t ctl_case_verbs [] = {
    CTL_RUN ("case", "show", "CASE [--at TIME]", "at", "CASE", s_show),
    { NULL },
};
