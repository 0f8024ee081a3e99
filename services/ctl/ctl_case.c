//  ctl_case: `case show CASE [--at TIME]`: one case's whole timeline,
//  merged from the four streams, and its state as it was at TIME.
//
//  The streams are read through replay up to TIME (ctl_streams), the
//  events concerning the case are kept, merged in time order and folded:
//  intake's events give the case's status, urgency, channel, domains,
//  worker and location (intake mirrors assignment's decisions in
//  CaseStatusChanged, so its stream alone tells the status at any time);
//  notification's give the callbacks that were scheduled and fell due,
//  matched with the outcomes intake recorded.
//
//  Which events concern the case: those whose envelope names it; intake's
//  and assignment's events whose body names it; handover's events of the
//  handovers the case came from (CaseRegistered / QuestionAdded
//  handover_id); notification's reminders about the case or one of those
//  handovers, and the cancellations and acknowledgements of those
//  reminders. Summaries name ids, words and times, never personal data or
//  free text.
//
//  Exit status: 0; 1 when intake never registered the case (by TIME);
//  3 when intake does not answer. Other services that do not answer are
//  named on stderr and their events left out.
#include "ctl.h"
#include "ctl_streams.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_event.h"
#include "cf_time.h"
#include "cf_words.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl case <verb> [args]\n"
    "\n"
    "One case across the four streams.\n"
    "\n"
    "verbs:\n"
    "  show CASE [--at TIME]   the case's whole timeline and its state at TIME\n"
    "\n"
    "show: the timeline merged from the intake, assignment, handover and\n"
    "notification streams in time order, and the case as it was at TIME (default:\n"
    "now, by intake's clock): status, urgency, channel, domains, worker, location\n"
    "and callbacks, folded from the events up to TIME. Streams of services that are\n"
    "not running are left out (named on stderr); intake must answer (exit 3).\n"
    "TIME is ISO 8601; a date alone is 00:00 Europe/Amsterdam.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

//  A word of cf_words' `table` for the timeline; "unknown" for a value
//  without one.
static const char *
s_word (const cf_words_t *table, int value)
{
    const char *word = cf_words_find (table, value);
    return word ? word : "unknown";
}
#define S_WORD(table, value) s_word (&(table), (int) (value))

//  One callback of the case: a reminder that was scheduled or fell due,
//  and the outcome recorded for it.
typedef struct {
    const char *reminder_id;  //  "" when the recording named none
    int64_t due_at;           //  0: unknown
    bool fired, cancelled;
    const Caseflow__V1__Intake__CallbackRecorded *answer;
    int64_t answered_at;
} s_callback_t;

typedef struct {
    const char *case_id;
    bool found;
    Caseflow__V1__CaseStatus status;
    Caseflow__V1__Urgency urgency;
    Caseflow__V1__Channel channel;
    Caseflow__V1__Domain domains [16];
    size_t domain_count;
    int64_t registered_at, closed_at;
    const char *worker_id, *location;  //  borrowed from events
    zlistx_t *handovers;               //  handover ids (borrowed)
    zhashx_t *reminders;               //  reminder ids of the case
    s_callback_t *callbacks;
    size_t callback_count, callback_cap;
    //  Intake's recordings, in order.
    const Caseflow__V1__Event **recorded;
    size_t recorded_count;
} s_case_t;

static bool
s_has_handover (s_case_t *self, const char *id)
{
    if (!id || !*id)
        return false;
    for (const char *known = zlistx_first (self->handovers); known;
         known = zlistx_next (self->handovers))
        if (strcmp (known, id) == 0)
            return true;
    return false;
}

static void
s_add_domains (s_case_t *self, Caseflow__V1__Domain *domains, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        bool known = false;
        for (size_t j = 0; j < self->domain_count; j++)
            known |= self->domains [j] == domains [i];
        if (!known && self->domain_count < 16)
            self->domains [self->domain_count++] = domains [i];
    }
}

//  Folds the case's intake events: its state at the history's end.
static void
s_fold_intake (s_case_t *self, const ctl_stream_t *intake)
{
    self->recorded = calloc (intake->count + 1, sizeof *self->recorded);
    assert (self->recorded);
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        if (strcmp (ctl_intake_case_id (event), self->case_id) != 0)
            continue;
        self->status = ctl_case_status_after (self->status, event);
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: {
                const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
                self->found = true;
                self->channel = body->channel;
                self->location = body->location;
                self->registered_at = event->occurred_at;
                s_add_domains (self, body->domains, body->n_domains);
                if (*body->handover_id && !s_has_handover (self, body->handover_id))
                    zlistx_add_end (self->handovers, body->handover_id);
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: {
                const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
                s_add_domains (self, body->domains, body->n_domains);
                if (*body->handover_id && !s_has_handover (self, body->handover_id))
                    zlistx_add_end (self->handovers, body->handover_id);
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
                self->urgency = event->case_triaged->urgency;
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
                self->worker_id = event->case_status_changed->worker_id;
                break;
            case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: self->closed_at = event->occurred_at; break;
            case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED:
                self->recorded [self->recorded_count++] = event;
                break;
            default: break;
        }
    }
}

//  A new callback at the end of the list.
static s_callback_t *
s_callback_append (s_case_t *self, const char *reminder_id)
{
    if (self->callback_count == self->callback_cap) {
        self->callback_cap = self->callback_cap ? self->callback_cap * 2 : 8;
        self->callbacks = realloc (self->callbacks, self->callback_cap * sizeof *self->callbacks);
        assert (self->callbacks);
    }
    s_callback_t *callback = &self->callbacks [self->callback_count++];
    memset (callback, 0, sizeof *callback);
    callback->reminder_id = reminder_id;
    return callback;
}

//  The callback of reminder `reminder_id`, added when new.
static s_callback_t *
s_callback (s_case_t *self, const char *reminder_id)
{
    for (size_t i = 0; i < self->callback_count; i++)
        if (strcmp (self->callbacks [i].reminder_id, reminder_id) == 0)
            return &self->callbacks [i];
    return s_callback_append (self, reminder_id);
}

//  Notification's reminders of the case (and of its handovers): their ids,
//  and the callbacks with their last due time.
static void
s_fold_notification (s_case_t *self, const ctl_stream_t *notification)
{
    static int s_marker;
    for (size_t i = 0; i < notification->count; i++) {
        const Caseflow__V1__Event *event = notification->events [i];
        const Caseflow__V1__Notification__Reminder *reminder = NULL;
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED)
            reminder = event->reminder_scheduled->reminder;
        else if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE)
            reminder = event->reminder_due->reminder;
        if (reminder) {
            if (strcmp (reminder->case_id, self->case_id) != 0
                && !s_has_handover (self, reminder->handover_id))
                continue;
            zhashx_update (self->reminders, reminder->reminder_id, &s_marker);
            if (reminder->kind != CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK)
                continue;
            s_callback_t *callback = s_callback (self, reminder->reminder_id);
            callback->due_at = reminder->due_at;
            callback->fired |= event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
        } else if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED
                   && zhashx_lookup (self->reminders, event->reminder_cancelled->reminder_id)) {
            for (size_t c = 0; c < self->callback_count; c++)
                if (strcmp (self->callbacks [c].reminder_id, event->reminder_cancelled->reminder_id)
                    == 0)
                    self->callbacks [c].cancelled = true;
        }
    }
}

static int
s_compare_callbacks (const void *a, const void *b)
{
    const s_callback_t *x = a, *y = b;
    int64_t tx = x->due_at ? x->due_at : x->answered_at;
    int64_t ty = y->due_at ? y->due_at : y->answered_at;
    return tx < ty ? -1 : tx > ty ? 1 : strcmp (x->reminder_id, y->reminder_id);
}

//  Matches intake's recordings with the reminders: the recording that
//  names the reminder (or, naming none, gives its due time), else the first
//  one at or after its due time that no other reminder took. Recordings left over are callbacks of their own.
static void
s_match_callbacks (s_case_t *self)
{
    bool *taken = calloc (self->recorded_count + 1, sizeof *taken);
    assert (taken);
    for (size_t c = 0; c < self->callback_count; c++)
        for (size_t r = 0; r < self->recorded_count; r++) {
            const Caseflow__V1__Intake__CallbackRecorded *body =
                self->recorded [r]->callback_recorded;
            bool names_it = *body->reminder_id
                                ? strcmp (body->reminder_id, self->callbacks [c].reminder_id) == 0
                                : body->due_at && body->due_at == self->callbacks [c].due_at;
            if (!taken [r] && names_it) {
                taken [r] = true;
                self->callbacks [c].answer = self->recorded [r]->callback_recorded;
                self->callbacks [c].answered_at = self->recorded [r]->occurred_at;
                break;
            }
        }
    if (self->callback_count)
        qsort (self->callbacks, self->callback_count, sizeof *self->callbacks, s_compare_callbacks);
    for (size_t c = 0; c < self->callback_count; c++) {
        s_callback_t *callback = &self->callbacks [c];
        if (callback->answer || !callback->fired)
            continue;
        for (size_t r = 0; r < self->recorded_count; r++)
            if (!taken [r] && self->recorded [r]->occurred_at >= callback->due_at) {
                taken [r] = true;
                callback->answer = self->recorded [r]->callback_recorded;
                callback->answered_at = self->recorded [r]->occurred_at;
                break;
            }
    }
    for (size_t r = 0; r < self->recorded_count; r++)
        if (!taken [r]) {
            const Caseflow__V1__Intake__CallbackRecorded *body =
                self->recorded [r]->callback_recorded;
            s_callback_t *callback = s_callback_append (self, body->reminder_id);
            callback->due_at = body->due_at;
            callback->fired = true;
            callback->answer = body;
            callback->answered_at = self->recorded [r]->occurred_at;
        }
    free (taken);
    if (self->callback_count)
        qsort (self->callbacks, self->callback_count, sizeof *self->callbacks, s_compare_callbacks);
}

//  A reminder scheduled but cancelled before it fell due was never a call
//  to make.
static bool
s_callback_shown (const s_callback_t *callback)
{
    return callback->fired || !callback->cancelled;
}

static const char *
s_callback_state (const s_callback_t *callback)
{
    return callback->answer ? "answered" : callback->fired ? "due" : "scheduled";
}

//  ------------------------------------------------------------ keeping

static const char *
s_handover_id (const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            return event->handover_announced->handover_id;
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED: return event->meeting_planned->handover_id;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD: return event->meeting_held->handover_id;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            return event->next_step_decided->handover_id;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            return event->files_transferred->handover_id;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            return event->handover_completed->handover_id;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            return event->handover_cancelled->handover_id;
        default: return "";
    }
}

static bool
s_keep (void *ctx, ctl_service_t service, const Caseflow__V1__Event *event)
{
    s_case_t *self = ctx;
    if (strcmp (event->case_id, self->case_id) == 0)
        return true;
    switch (service) {
        case CTL_INTAKE: return strcmp (ctl_intake_case_id (event), self->case_id) == 0;
        case CTL_ASSIGNMENT: return strcmp (ctl_assignment_case_id (event), self->case_id) == 0;
        case CTL_HANDOVER: return s_has_handover (self, s_handover_id (event));
        case CTL_NOTIFICATION:
            switch (event->body_case) {
                case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED:
                    return zhashx_lookup (self->reminders,
                                          event->reminder_scheduled->reminder->reminder_id);
                case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE:
                    return zhashx_lookup (self->reminders,
                                          event->reminder_due->reminder->reminder_id);
                case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
                    return zhashx_lookup (self->reminders, event->reminder_cancelled->reminder_id);
                case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
                    return zhashx_lookup (self->reminders,
                                          event->reminder_acknowledged->reminder_id);
                default: return false;
            }
        default: return false;
    }
}

//  ----------------------------------------------------------- summaries

static void
s_domains_text (Caseflow__V1__Domain *domains, size_t count, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", i ? ", " : "", ctl_domain_name (domains [i]));
    }
}

static void
s_reminder_text (const Caseflow__V1__Notification__Reminder *reminder, char *buf, size_t size)
{
    if (reminder->kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
        || reminder->kind
               == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE)
        snprintf (buf, size, "%s %llu", S_WORD (cf_words_reminder_kind, reminder->kind),
                  (unsigned long long) reminder->number);
    else
        snprintf (buf, size, "%s", S_WORD (cf_words_reminder_kind, reminder->kind));
}

//  One line about `event` for the timeline: what happened, in ids, words
//  and times (never personal data or free text).
static void
s_summary (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    char text [200], when [40];
    buf [0] = 0;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: {
            const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
            s_domains_text (body->domains, body->n_domains, text, sizeof text);
            snprintf (buf, size, "registered by %s%s%s (%s)%s%s%s%s",
                      ctl_channel_name (body->channel), *body->location ? " at " : "",
                      body->location, text, *body->handover_id ? ", from handover " : "",
                      body->handover_id, *body->preferred_worker ? ", preferred worker " : "",
                      body->preferred_worker);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: {
            const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
            s_domains_text (body->domains, body->n_domains, text, sizeof text);
            snprintf (buf, size, "another registration joined the case (%s; %s)%s%s",
                      ctl_channel_name (body->channel), text,
                      *body->handover_id ? ", from handover " : "", body->handover_id);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: {
            const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
            if (body->previous)
                snprintf (text, sizeof text, " (was %s)", ctl_urgency_name (body->previous));
            else
                text [0] = 0;
            snprintf (buf, size, "%s %s%s: %s", body->previous ? "re-triaged" : "triaged",
                      ctl_urgency_name (body->urgency), text,
                      body->status ? ctl_status_name (body->status) : "status unchanged");
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED: {
            const Caseflow__V1__Intake__CallbackRecorded *body = event->callback_recorded;
            snprintf (buf, size, "callback: %s%s%s",
                      S_WORD (cf_words_callback_outcome, body->outcome),
                      *body->reminder_id ? ", answers " : "", body->reminder_id);
            if (body->consecutive_unanswered > 1) {
                size_t len = strlen (buf);
                snprintf (buf + len, size - len, " (%u unanswered in a row)",
                          body->consecutive_unanswered);
            }
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_TRACK_JOINED:
            snprintf (buf, size, "joined group track %s", event->track_joined->track_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            snprintf (buf, size, "closed: %s",
                      S_WORD (cf_words_closure, event->case_closed->closure));
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED: {
            const Caseflow__V1__Intake__CaseStatusChanged *body = event->case_status_changed;
            snprintf (buf, size, "status %s%s%s", ctl_status_name (body->status),
                      *body->worker_id ? ", worker " : "", body->worker_id);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: {
            const Caseflow__V1__Assignment__CaseAssigned *body = event->case_assigned;
            snprintf (buf, size, "assigned to %s (%s, %s%s%s)%s", body->worker_id,
                      S_WORD (cf_words_assignment_rule, body->rule),
                      S_WORD (cf_words_assignment_trigger, body->trigger),
                      *body->previous_worker ? "; was " : "", body->previous_worker,
                      body->over_limit ? ", over the limit" : "");
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            snprintf (buf, size, "taken back from %s (%s): waiting again",
                      event->case_unassigned->worker_id,
                      S_WORD (cf_words_assignment_trigger, event->case_unassigned->trigger));
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
            snprintf (buf, size, "%s started helping", event->case_started->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED:
            snprintf (buf, size, "%s completed the help", event->case_completed->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED:
            snprintf (buf, size, "escalated: nobody present can take this %s case",
                      ctl_urgency_name (event->assignment_escalated->urgency));
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED: {
            const Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
            cf_time_format_date (body->deadline - 1, when, sizeof when);
            snprintf (buf, size, "handover %s announced by provider %s, due by %s",
                      body->handover_id, body->provider_id, when);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            snprintf (buf, size, "handover %s: meeting planned for %s",
                      event->meeting_planned->handover_id,
                      ctl_time_text (event->meeting_planned->at, when, sizeof when));
            break;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD:
            snprintf (buf, size, "handover %s: meeting held", event->meeting_held->handover_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            snprintf (buf, size, "handover %s: next step %s", event->next_step_decided->handover_id,
                      S_WORD (cf_words_next_step, event->next_step_decided->next_step));
            break;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED: {
            const Caseflow__V1__Handover__FilesTransferred *body = event->files_transferred;
            if (body->waived)
                snprintf (buf, size, "handover %s: file transfer waived", body->handover_id);
            else
                snprintf (buf, size, "handover %s: %zu document%s transferred", body->handover_id,
                          body->n_documents, body->n_documents == 1 ? "" : "s");
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            snprintf (buf, size, "handover %s completed (%s)",
                      event->handover_completed->handover_id,
                      S_WORD (cf_words_next_step, event->handover_completed->next_step));
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            snprintf (buf, size, "handover %s cancelled", event->handover_cancelled->handover_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED: {
            const Caseflow__V1__Notification__Reminder *reminder =
                event->reminder_scheduled->reminder;
            s_reminder_text (reminder, text, sizeof text);
            snprintf (buf, size, "%s scheduled for %s (%s)", text,
                      ctl_time_text (reminder->due_at, when, sizeof when), reminder->reminder_id);
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE:
            s_reminder_text (event->reminder_due->reminder, text, sizeof text);
            snprintf (buf, size, "%s due%s%s", text,
                      *event->reminder_due->reminder->target ? ", for " : "",
                      event->reminder_due->reminder->target);
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            snprintf (buf, size, "%s cancelled (%s)", event->reminder_cancelled->reminder_id,
                      event->reminder_cancelled->reason);
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
            snprintf (buf, size, "%s handled", event->reminder_acknowledged->reminder_id);
            break;
        default: snprintf (buf, size, "%s", cf_event_type_name (event)); break;
    }
}

//  -------------------------------------------------------------- output

static void
s_print_json (const s_case_t *self, int64_t at, const ctl_history_t *history,
              const ctl_entry_t *line, size_t count)
{
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_json_object_begin (&json);
    ctl_json_key (&json, "case_id");
    ctl_json_string (&json, self->case_id);
    ctl_json_key (&json, "status");
    ctl_json_string (&json, self->status ? ctl_status_name (self->status) : NULL);
    ctl_json_key (&json, "urgency");
    ctl_json_string (&json, self->urgency ? ctl_urgency_name (self->urgency) : NULL);
    ctl_json_key (&json, "channel");
    ctl_json_string (&json, self->channel ? ctl_channel_name (self->channel) : NULL);
    ctl_json_key (&json, "domains");
    ctl_json_array_begin (&json);
    for (size_t i = 0; i < self->domain_count; i++)
        ctl_json_string (&json, ctl_domain_name (self->domains [i]));
    ctl_json_array_end (&json);
    ctl_json_key (&json, "registered_at");
    ctl_json_time (&json, self->registered_at);
    ctl_json_key (&json, "worker_id");
    ctl_json_string_or_null (&json, self->worker_id);
    ctl_json_key (&json, "location");
    ctl_json_string_or_null (&json, self->location);
    ctl_json_key (&json, "callbacks");
    ctl_json_array_begin (&json);
    for (size_t i = 0; i < self->callback_count; i++) {
        const s_callback_t *callback = &self->callbacks [i];
        if (!s_callback_shown (callback))
            continue;
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "reminder_id");
        ctl_json_string_or_null (&json, callback->reminder_id);
        ctl_json_key (&json, "due_at");
        ctl_json_time (&json, callback->due_at);
        ctl_json_key (&json, "outcome");
        ctl_json_string (&json, callback->answer
                                    ? S_WORD (cf_words_callback_outcome, callback->answer->outcome)
                                    : NULL);
        ctl_json_key (&json, "recorded_at");
        ctl_json_time (&json, callback->answered_at);
        ctl_json_key (&json, "state");
        ctl_json_string (&json, s_callback_state (callback));
        ctl_json_object_end (&json);
    }
    ctl_json_array_end (&json);
    ctl_json_key (&json, "timeline");
    ctl_json_array_begin (&json);
    for (size_t i = 0; i < count; i++) {
        char summary [512];
        s_summary (line [i].event, summary, sizeof summary);
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "stream");
        ctl_json_string (&json, ctl_service_name (line [i].service));
        ctl_json_key (&json, "seq");
        ctl_json_uint (&json, line [i].event->seq);
        ctl_json_key (&json, "type");
        ctl_json_string (&json, cf_event_type_name (line [i].event));
        ctl_json_key (&json, "occurred_at");
        ctl_json_time (&json, line [i].event->occurred_at);
        ctl_json_key (&json, "summary");
        ctl_json_string (&json, summary);
        ctl_json_object_end (&json);
    }
    ctl_json_array_end (&json);
    ctl_json_key (&json, "at");
    ctl_json_time (&json, at);
    ctl_json_key (&json, "closed_at");
    ctl_json_time (&json, self->closed_at);
    ctl_json_key (&json, "handover_ids");
    ctl_json_array_begin (&json);
    for (const char *id = zlistx_first (self->handovers); id; id = zlistx_next (self->handovers))
        ctl_json_string (&json, id);
    ctl_json_array_end (&json);
    ctl_json_key (&json, "streams_left_out");
    ctl_json_array_begin (&json);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!history->streams [s].available)
            ctl_json_string (&json, ctl_service_name (s));
    ctl_json_array_end (&json);
    ctl_json_object_end (&json);
    ctl_json_finish (&json);
}

static void
s_print_text (const s_case_t *self, int64_t at, const ctl_history_t *history,
              const ctl_entry_t *line, size_t count)
{
    char text [200], when [40];
    printf ("case %s as it was at %s\n\n", self->case_id, ctl_time_text (at, when, sizeof when));
    s_domains_text ((Caseflow__V1__Domain *) self->domains, self->domain_count, text, sizeof text);
    printf ("%-12s %s\n", "status", ctl_status_name (self->status));
    printf ("%-12s %s\n", "urgency", self->urgency ? ctl_urgency_name (self->urgency) : "-");
    printf ("%-12s %s\n", "channel", ctl_channel_name (self->channel));
    printf ("%-12s %s\n", "domains", text);
    printf ("%-12s %s\n", "registered", ctl_time_text (self->registered_at, when, sizeof when));
    printf ("%-12s %s\n", "worker", self->worker_id && *self->worker_id ? self->worker_id : "-");
    printf ("%-12s %s\n", "location", self->location && *self->location ? self->location : "-");
    if (self->closed_at)
        printf ("%-12s %s\n", "closed", ctl_time_text (self->closed_at, when, sizeof when));
    for (const char *id = zlistx_first (self->handovers); id; id = zlistx_next (self->handovers))
        printf ("%-12s %s\n", "handover", id);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!history->streams [s].available)
            printf ("%-12s %s (not running)\n", "left out", ctl_service_name (s));
    size_t shown = 0;
    for (size_t i = 0; i < self->callback_count; i++)
        shown += s_callback_shown (&self->callbacks [i]);
    if (shown) {
        printf ("\ncallbacks:\n");
        ctl_table_t *table = ctl_table_new (
            5, (const char *[]){ "DUE", "REMINDER", "STATE", "OUTCOME", "RECORDED" });
        for (size_t i = 0; i < self->callback_count; i++) {
            const s_callback_t *callback = &self->callbacks [i];
            if (!s_callback_shown (callback))
                continue;
            char due [40], recorded [40];
            ctl_table_row (table,
                           (const char *[]){
                               ctl_time_text (callback->due_at, due, sizeof due),
                               callback->reminder_id, s_callback_state (callback),
                               callback->answer
                                   ? S_WORD (cf_words_callback_outcome, callback->answer->outcome)
                                   : NULL,
                               ctl_time_text (callback->answered_at, recorded, sizeof recorded) });
        }
        ctl_table_print (&table, stdout);
    }
    printf ("\ntimeline (%zu events):\n", count);
    ctl_table_t *table =
        ctl_table_new (5, (const char *[]){ "TIME", "STREAM", "SEQ", "TYPE", "SUMMARY" });
    for (size_t i = 0; i < count; i++) {
        char seq [24], summary [512];
        snprintf (seq, sizeof seq, "%llu", (unsigned long long) line [i].event->seq);
        s_summary (line [i].event, summary, sizeof summary);
        ctl_table_row (
            table, (const char *[]){ ctl_time_text (line [i].event->occurred_at, when, sizeof when),
                                     ctl_service_name (line [i].service), seq,
                                     cf_event_type_name (line [i].event), summary });
    }
    ctl_table_print (&table, stdout);
}

//  --------------------------------------------------------------- show

static int
s_show (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "at", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    int64_t at = 0;
    if (ctl_arg (&args, "at") && ctl_parse_time ("at", ctl_arg (&args, "at"), &at))
        return CTL_USAGE;
    if (!at && (rc = ctl_service_now (ctl, CTL_INTAKE, &at)) != CTL_OK)
        return rc;
    ctl_history_t history;
    if ((rc = ctl_history_read (ctl, NULL, at, &history)) != CTL_OK)
        return rc;
    if (!history.streams [CTL_INTAKE].available) {
        ctl_history_free (&history);
        return CTL_UNREACHABLE;
    }
    s_case_t self = { .case_id = args.positional [0] };
    self.handovers = zlistx_new ();
    self.reminders = zhashx_new ();
    s_fold_intake (&self, &history.streams [CTL_INTAKE]);
    if (!self.found) {
        char when [40];
        fprintf (stderr,
                 "caseflowctl: intake: not_found: case_id: case %s was not registered "
                 "by %s\n",
                 self.case_id, ctl_time_text (at, when, sizeof when));
        rc = CTL_REFUSED;
    } else {
        s_fold_notification (&self, &history.streams [CTL_NOTIFICATION]);
        s_match_callbacks (&self);
        size_t count = 0;
        ctl_entry_t *line = ctl_history_merge (&history, s_keep, &self, &count);
        if (ctl->json)
            s_print_json (&self, at, &history, line, count);
        else
            s_print_text (&self, at, &history, line, count);
        free (line);
    }
    free (self.callbacks);
    free (self.recorded);
    zlistx_destroy (&self.handovers);
    zhashx_destroy (&self.reminders);
    ctl_history_free (&history);
    return rc;
}

int
ctl_case_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("case: give a verb: show (see caseflowctl case --help)");
    const char *verb = argv [1];
    if (strcmp (verb, "--help") == 0 || strcmp (verb, "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    //  A verb handler gets argv + 1: its argv[0] is the verb.
    if (strcmp (verb, "show") == 0)
        return s_show (ctl, argc - 1, argv + 1);
    return ctl_usage_error ("case: unknown verb \"%s\" (see caseflowctl case --help)", verb);
}
