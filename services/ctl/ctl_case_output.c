//  ctl_case_output: how `caseflowctl case show` prints a case: its state,
//  its callbacks and its time line, as JSON (CLI.md: case_id, status,
//  urgency, channel, domains, registered_at, worker_id, location,
//  callbacks [{reminder_id, due_at, outcome}], timeline [{stream, seq,
//  type, occurred_at, summary}]) or for people. A summary names ids, words
//  and times, never personal data or free text.
#include "ctl_output.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"
#include "cf_event.h"
#include "cf_time.h"

#include <string.h>

//  The word of an enum field's value, "unknown" for none.
#define S_WORD(enum_name, value) s_word (&caseflow__v1__##enum_name##__descriptor, (int) (value))

static const char *
s_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const char *word = ctl_enum_word (descriptor, value);
    return word ? word : "unknown";
}

static char *
s_domains_text (const Caseflow__V1__Domain *domains, size_t count, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", i ? ", " : "", ctl_domain_name (domains [i]));
    }
    return buf;
}

static void
s_reminder_text (const Caseflow__V1__Notification__Reminder *reminder, char *buf, size_t size)
{
    snprintf (buf, size, "%s", S_WORD (notification__reminder_kind, reminder->kind));
    //  Callbacks and their overdue checks are numbered within the case.
    if (reminder->kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK
        || reminder->kind
               == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE)
        snprintf (buf + strlen (buf), size - strlen (buf), " %llu",
                  (unsigned long long) reminder->number);
}

//  The summaries of intake's and assignment's events.
static bool
s_summary_cases (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    char text [200];
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: {
            const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
            snprintf (buf, size, "registered by %s%s%s (%s)%s%s%s%s",
                      ctl_channel_name (body->channel), *body->location ? " at " : "",
                      body->location,
                      s_domains_text (body->domains, body->n_domains, text, sizeof text),
                      *body->handover_id ? ", from handover " : "", body->handover_id,
                      *body->preferred_worker ? ", preferred worker " : "", body->preferred_worker);
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: {
            const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
            snprintf (buf, size, "another registration joined the case (%s; %s)%s%s",
                      ctl_channel_name (body->channel),
                      s_domains_text (body->domains, body->n_domains, text, sizeof text),
                      *body->handover_id ? ", from handover " : "", body->handover_id);
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: {
            const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
            snprintf (text, sizeof text, " (was %s)", ctl_urgency_name (body->previous));
            snprintf (buf, size, "%s %s%s: %s", body->previous ? "re-triaged" : "triaged",
                      ctl_urgency_name (body->urgency), body->previous ? text : "",
                      body->status ? ctl_status_name (body->status) : "status unchanged");
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED: {
            const Caseflow__V1__Intake__CallbackRecorded *body = event->callback_recorded;
            snprintf (text, sizeof text, " (%u unanswered in a row)", body->consecutive_unanswered);
            snprintf (buf, size, "callback: %s%s%s%s",
                      S_WORD (intake__callback_outcome, body->outcome),
                      *body->reminder_id ? ", answers " : "", body->reminder_id,
                      body->consecutive_unanswered > 1 ? text : "");
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_TRACK_JOINED:
            snprintf (buf, size, "joined group track %s", event->track_joined->track_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            snprintf (buf, size, "closed: %s",
                      S_WORD (intake__closure, event->case_closed->closure));
            return true;
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED: {
            const Caseflow__V1__Intake__CaseStatusChanged *body = event->case_status_changed;
            snprintf (buf, size, "status %s%s%s", ctl_status_name (body->status),
                      *body->worker_id ? ", worker " : "", body->worker_id);
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: {
            const Caseflow__V1__Assignment__CaseAssigned *body = event->case_assigned;
            snprintf (buf, size, "assigned to %s (%s, %s%s%s)%s", body->worker_id,
                      S_WORD (assignment__assignment_rule, body->rule),
                      S_WORD (assignment__assignment_trigger, body->trigger),
                      *body->previous_worker ? "; was " : "", body->previous_worker,
                      body->over_limit ? ", over the limit" : "");
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            snprintf (buf, size, "taken back from %s (%s): waiting again",
                      event->case_unassigned->worker_id,
                      S_WORD (assignment__assignment_trigger, event->case_unassigned->trigger));
            return true;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
            snprintf (buf, size, "%s started helping", event->case_started->worker_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED:
            snprintf (buf, size, "%s completed the help", event->case_completed->worker_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED:
            snprintf (buf, size, "escalated: nobody present can take this %s case",
                      ctl_urgency_name (event->assignment_escalated->urgency));
            return true;
        default: return false;
    }
}

//  The summaries of handover's and notification's events.
static bool
s_summary_others (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    char text [200], when [40];
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            cf_time_format_date (event->handover_announced->deadline - 1, when, sizeof when);
            snprintf (buf, size, "handover %s announced by provider %s, due by %s",
                      event->handover_announced->handover_id,
                      event->handover_announced->provider_id, when);
            return true;
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            snprintf (buf, size, "handover %s: meeting planned for %s",
                      event->meeting_planned->handover_id,
                      ctl_time_text (event->meeting_planned->at, when, sizeof when));
            return true;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD:
            snprintf (buf, size, "handover %s: meeting held", event->meeting_held->handover_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            snprintf (buf, size, "handover %s: next step %s", event->next_step_decided->handover_id,
                      S_WORD (handover__next_step, event->next_step_decided->next_step));
            return true;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            snprintf (buf, size, "handover %s: %zu document(s) transferred%s",
                      event->files_transferred->handover_id, event->files_transferred->n_documents,
                      event->files_transferred->waived ? " (transfer waived)" : "");
            return true;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            snprintf (buf, size, "handover %s completed (%s)",
                      event->handover_completed->handover_id,
                      S_WORD (handover__next_step, event->handover_completed->next_step));
            return true;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            snprintf (buf, size, "handover %s cancelled", event->handover_cancelled->handover_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED:
            s_reminder_text (event->reminder_scheduled->reminder, text, sizeof text);
            snprintf (
                buf, size, "%s scheduled for %s (%s)", text,
                ctl_time_text (event->reminder_scheduled->reminder->due_at, when, sizeof when),
                event->reminder_scheduled->reminder->reminder_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE:
            s_reminder_text (event->reminder_due->reminder, text, sizeof text);
            snprintf (buf, size, "%s due%s%s", text,
                      *event->reminder_due->reminder->target ? ", for " : "",
                      event->reminder_due->reminder->target);
            return true;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            snprintf (buf, size, "%s cancelled (%s)", event->reminder_cancelled->reminder_id,
                      event->reminder_cancelled->reason);
            return true;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
            snprintf (buf, size, "%s handled", event->reminder_acknowledged->reminder_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED:
            snprintf (buf, size, "%s answered %s by the call of intake seq %llu",
                      event->callback_answered->reminder_id,
                      event->callback_answered->on_time ? "on time" : "late",
                      (unsigned long long) event->callback_answered->intake_seq);
            return true;
        default: return false;
    }
}

static char *
s_summary (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    if (!s_summary_cases (event, buf, size) && !s_summary_others (event, buf, size))
        snprintf (buf, size, "%s", cf_event_type_name (event));
    return buf;
}

//  A reminder scheduled but cancelled before it fell due was never a call
//  to make.
static bool
s_shown (const ctl_callback_t *callback)
{
    return callback->fired || !callback->cancelled;
}

static const char *
s_state (const ctl_callback_t *callback)
{
    return callback->answer ? "answered" : callback->fired ? "due" : "scheduled";
}

static const char *
s_outcome (const ctl_callback_t *callback)
{
    return callback->answer ? ctl_enum_word (&caseflow__v1__intake__callback_outcome__descriptor,
                                             callback->answer->callback_recorded->outcome)
                            : NULL;
}

static json_t *
s_json (const ctl_case_t *self, const ctl_entry_t *line, size_t count)
{
    json_t *object = json_object (), *list = json_array ();
    json_object_set_new (object, "case_id", ctl_json_text (self->case_id));
    json_object_set_new (object, "status", json_string (ctl_status_name (self->status)));
    json_object_set_new (object, "urgency",
                         self->urgency ? json_string (ctl_urgency_name (self->urgency))
                                       : json_null ());
    json_object_set_new (object, "channel", json_string (ctl_channel_name (self->channel)));
    for (size_t i = 0; i < self->domain_count; i++)
        json_array_append_new (list, json_string (ctl_domain_name (self->domains [i])));
    json_object_set_new (object, "domains", list);
    json_object_set_new (object, "registered_at", ctl_json_time (self->registered_at));
    json_object_set_new (object, "worker_id", ctl_json_text_or_null (self->worker_id));
    json_object_set_new (object, "location", ctl_json_text_or_null (self->location));
    list = json_array ();
    for (size_t i = 0; i < self->callback_count; i++) {
        const ctl_callback_t *callback = &self->callbacks [i];
        if (!s_shown (callback))
            continue;
        json_t *item = json_object ();
        json_object_set_new (item, "reminder_id", ctl_json_text_or_null (callback->reminder_id));
        json_object_set_new (item, "due_at", ctl_json_time (callback->due_at));
        json_object_set_new (item, "outcome", ctl_json_text (s_outcome (callback)));
        json_object_set_new (item, "recorded_at",
                             ctl_json_time (callback->answer ? callback->answer->occurred_at : 0));
        json_object_set_new (item, "state", json_string (s_state (callback)));
        json_array_append_new (list, item);
    }
    json_object_set_new (object, "callbacks", list);
    list = json_array ();
    for (size_t i = 0; i < count; i++) {
        char summary [512];
        json_t *item = json_object ();
        json_object_set_new (item, "stream", json_string (ctl_service_name (line [i].service)));
        ctl_json_add (item, &line [i].event->base, "seq");
        json_object_set_new (item, "type", json_string (cf_event_type_name (line [i].event)));
        ctl_json_add (item, &line [i].event->base, "occurred_at:time");
        json_object_set_new (item, "summary",
                             ctl_json_text (s_summary (line [i].event, summary, sizeof summary)));
        json_array_append_new (list, item);
    }
    json_object_set_new (object, "timeline", list);
    json_object_set_new (object, "at", ctl_json_time (self->at));
    json_object_set_new (object, "closed_at", ctl_json_time (self->closed_at));
    list = json_array ();
    for (size_t i = 0; i < self->handover_count; i++)
        json_array_append_new (list, json_string (self->handovers [i]));
    json_object_set_new (object, "handover_ids", list);
    list = json_array ();
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!self->history->streams [s].available)
            json_array_append_new (list, json_string (ctl_service_name (s)));
    json_object_set_new (object, "streams_left_out", list);
    return object;
}

static void
s_text (const ctl_case_t *self, const ctl_entry_t *line, size_t count)
{
    char text [200], when [40];
    printf ("case %s as it was at %s\n\n", self->case_id,
            ctl_time_text (self->at, when, sizeof when));
    printf ("%-12s %s\n", "status", ctl_status_name (self->status));
    printf ("%-12s %s\n", "urgency", self->urgency ? ctl_urgency_name (self->urgency) : "-");
    printf ("%-12s %s\n", "channel", ctl_channel_name (self->channel));
    printf ("%-12s %s\n", "domains",
            s_domains_text (self->domains, self->domain_count, text, sizeof text));
    printf ("%-12s %s\n", "registered", ctl_time_text (self->registered_at, when, sizeof when));
    printf ("%-12s %s\n", "worker", self->worker_id && *self->worker_id ? self->worker_id : "-");
    printf ("%-12s %s\n", "location", self->location && *self->location ? self->location : "-");
    if (self->closed_at)
        printf ("%-12s %s\n", "closed", ctl_time_text (self->closed_at, when, sizeof when));
    for (size_t i = 0; i < self->handover_count; i++)
        printf ("%-12s %s\n", "handover", self->handovers [i]);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (!self->history->streams [s].available)
            printf ("%-12s %s (not running)\n", "left out", ctl_service_name (s));
    size_t shown = 0;
    for (size_t i = 0; i < self->callback_count; i++)
        shown += s_shown (&self->callbacks [i]);
    ctl_table_t *table = shown ? ctl_table_new ("DUE REMINDER STATE OUTCOME RECORDED") : NULL;
    for (size_t i = 0; i < self->callback_count && table; i++) {
        const ctl_callback_t *callback = &self->callbacks [i];
        if (!s_shown (callback))
            continue;
        ctl_table_cell (table, ctl_time_text (callback->due_at, when, sizeof when));
        ctl_table_cell (table, callback->reminder_id);
        ctl_table_cell (table, s_state (callback));
        ctl_table_cell (table, s_outcome (callback));
        ctl_table_cell (table, ctl_time_text (callback->answer ? callback->answer->occurred_at : 0,
                                              when, sizeof when));
    }
    if (table) {
        printf ("\ncallbacks:\n");
        ctl_table_print (&table);
    }
    printf ("\ntimeline (%zu events):\n", count);
    table = ctl_table_new ("TIME STREAM SEQ TYPE SUMMARY");
    for (size_t i = 0; i < count; i++) {
        char summary [512];
        ctl_table_cell (table, ctl_time_text (line [i].event->occurred_at, when, sizeof when));
        ctl_table_cell (table, ctl_service_name (line [i].service));
        ctl_table_cells (table, &line [i].event->base, "seq");
        ctl_table_cell (table, cf_event_type_name (line [i].event));
        ctl_table_cell (table, s_summary (line [i].event, summary, sizeof summary));
    }
    ctl_table_print (&table);
}

void
ctl_case_print (const ctl_args_t *args, const ctl_case_t *kase, const ctl_entry_t *line,
                size_t count)
{
    if (args->ctl->json)
        ctl_json_print (s_json (kase, line, count));
    else
        s_text (kase, line, count);
}
