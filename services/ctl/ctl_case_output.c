//  ctl_case_output: how `caseflowctl case show` prints a case: its state,
//  its callbacks and its time line, as JSON (CLI.md: case_id, status,
//  urgency, channel, domains, registered_at, worker_id, location,
//  callbacks [{reminder_id, due_at, outcome}], timeline [{stream, seq,
//  type, occurred_at, summary}]) or for people. A summary names ids, words
//  and times, never personal data or free text.
#include "ctl_output.h"

#include "caseflow/v1/notification.pb-c.h"
#include "cf_event.h"
#include "cf_time.h"

#include <string.h>

//  The summary of each event type: "<Type> <template>", one a line. In a
//  template {path} is a field of the event's body as text (ctl_render.h;
//  "{at:time}"), [...] a part printed only when each field in it has a
//  value, and {?path} a field that prints nothing but leaves its part out
//  when it has none (false, 0, ""). Other types are summed up by name.
static const char *s_summaries =
    "CaseRegistered registered by {channel}[ at {location}] ({domains})[, from handover "
    "{handover_id}][, preferred worker {preferred_worker}]\n"
    "QuestionAdded another registration joined the case ({channel}; {domains})[, from handover "
    "{handover_id}]\n"
    "CaseTriaged triaged {urgency}[ (was {previous})][: {status}]\n"
    "CallbackRecorded callback: {outcome}[, answers {reminder_id}][ ({consecutive_unanswered} "
    "unanswered in a row)]\n"
    "TrackJoined joined group track {track_id}\n"
    "CaseClosed closed: {closure}\n"
    "CaseStatusChanged status {status}[, worker {worker_id}]\n"
    "CaseAssigned assigned to {worker_id} ({rule}, {trigger}[; was {previous_worker}])[, over "
    "the limit{?over_limit}]\n"
    "CaseUnassigned taken back from {worker_id} ({trigger}): waiting again\n"
    "CaseStarted {worker_id} started helping\n"
    "CaseCompleted {worker_id} completed the help\n"
    "AssignmentEscalated escalated: nobody present can take this {urgency} case\n"
    "HandoverAnnounced handover {handover_id} announced by provider {provider_id}, due "
    "{deadline:time}\n"
    "MeetingPlanned handover {handover_id}: meeting planned for {at:time}\n"
    "MeetingHeld handover {handover_id}: meeting held\n"
    "NextStepDecided handover {handover_id}: next step {next_step}\n"
    "FilesTransferred handover {handover_id}: files transferred[ (transfer waived{?waived})]\n"
    "HandoverCompleted handover {handover_id} completed ({next_step})\n"
    "HandoverCancelled handover {handover_id} cancelled\n"
    "ReminderScheduled {reminder.kind} {reminder.number} scheduled for {reminder.due_at:time} "
    "({reminder.reminder_id})\n"
    "ReminderDue {reminder.kind} {reminder.number} due[, for {reminder.target}]\n"
    "ReminderCancelled {reminder_id} cancelled ({reason})\n"
    "ReminderAcknowledged {reminder_id} handled\n"
    "CallbackAnswered {reminder_id} answered by the call of intake seq {intake_seq}[, on "
    "time{?on_time}]\n";

//  Appends the template `at` (up to `end`) about `body` to buf; false when
//  a field in it had no value.
static bool
s_expand (const ProtobufCMessage *body, const char *at, const char *end, char *buf, size_t size)
{
    bool complete = true;
    while (at < end) {
        size_t len = strlen (buf);
        if (*at == '[') {
            const char *close = memchr (at, ']', (size_t) (end - at));
            char part [256] = "";
            if (s_expand (body, at + 1, close, part, sizeof part))
                snprintf (buf + len, size - len, "%s", part);
            at = close + 1;
        } else if (*at == '{') {
            const char *close = memchr (at, '}', (size_t) (end - at));
            bool silent = at [1] == '?';
            const char *name = at + 1 + silent,
                       *colon = memchr (name, ':', (size_t) (close - name));
            char item [128], value [256];
            //  "v=path?:format": nullable, so 0 and false read as no value.
            snprintf (item, sizeof item, "v=%.*s?%.*s", (int) ((colon ? colon : close) - name),
                      name, colon ? (int) (close - colon) : 0, colon ? colon : "");
            ctl_text_value (body, item, value, sizeof value);
            complete &= strcmp (value, "-") != 0;
            snprintf (buf + len, size - len, "%s", silent ? "" : value);
            at = close + 1;
        } else {
            snprintf (buf + len, size - len, "%c", *at);
            at++;
        }
    }
    return complete;
}

static char *
s_summary (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    const char *type = cf_event_type_name (event);
    size_t len = strlen (type);
    snprintf (buf, size, "%s", type);
    for (const char *line = s_summaries; *line; line += strcspn (line, "\n") + 1)
        if (strncmp (line, type, len) == 0 && line [len] == ' ') {
            buf [0] = 0;
            s_expand (cf_fold_event_body (event), line + len + 1, line + strcspn (line, "\n"), buf,
                      size);
            break;
        }
    return buf;
}

//  A reminder scheduled but cancelled before it fell due was never a call
//  to make.
static bool
s_shown (const cf_timeline_callback_t *callback)
{
    return callback->fired || !callback->cancelled;
}

static const char *
s_state (const cf_timeline_callback_t *callback)
{
    return callback->answer ? "answered" : callback->fired ? "due" : "scheduled";
}

static const char *
s_outcome (const cf_timeline_callback_t *callback)
{
    return callback->answer ? ctl_enum_word (&caseflow__v1__intake__callback_outcome__descriptor,
                                             callback->answer->callback_recorded->outcome)
                            : NULL;
}

static json_t *
s_json (const cf_timeline_t *self)
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
    json_object_set_new (object, "registered_at", cf_fold_json_time (self->registered_at));
    json_object_set_new (object, "worker_id", ctl_json_text_or_null (self->worker_id));
    json_object_set_new (object, "location", ctl_json_text_or_null (self->location));
    list = json_array ();
    for (size_t i = 0; i < self->callback_count; i++) {
        const cf_timeline_callback_t *callback = &self->callbacks [i];
        if (!s_shown (callback))
            continue;
        json_t *item = json_object ();
        json_object_set_new (item, "reminder_id", ctl_json_text_or_null (callback->reminder_id));
        json_object_set_new (item, "due_at", cf_fold_json_time (callback->due_at));
        json_object_set_new (item, "outcome", ctl_json_text (s_outcome (callback)));
        json_object_set_new (
            item, "recorded_at",
            cf_fold_json_time (callback->answer ? callback->answer->occurred_at : 0));
        json_object_set_new (item, "state", json_string (s_state (callback)));
        json_array_append_new (list, item);
    }
    json_object_set_new (object, "callbacks", list);
    list = json_array ();
    for (size_t i = 0; i < self->entry_count; i++) {
        char summary [512];
        json_t *item = json_object ();
        json_object_set_new (item, "stream",
                             json_string (cf_fold_stream_name (self->entries [i].stream)));
        ctl_json_add (item, &self->entries [i].event->base, "seq");
        json_object_set_new (item, "type",
                             json_string (cf_event_type_name (self->entries [i].event)));
        ctl_json_add (item, &self->entries [i].event->base, "occurred_at:time");
        json_object_set_new (
            item, "summary",
            ctl_json_text (s_summary (self->entries [i].event, summary, sizeof summary)));
        json_array_append_new (list, item);
    }
    json_object_set_new (object, "timeline", list);
    json_object_set_new (object, "at", cf_fold_json_time (self->at));
    json_object_set_new (object, "closed_at", cf_fold_json_time (self->closed_at));
    list = json_array ();
    for (size_t i = 0; i < self->handover_count; i++)
        json_array_append_new (list, json_string (self->handovers [i]));
    json_object_set_new (object, "handover_ids", list);
    list = json_array ();
    for (int s = 0; s < CF_FOLD_GATEWAY; s++)
        if (!self->streams->streams [s].available)
            json_array_append_new (list, json_string (ctl_service_name (s)));
    json_object_set_new (object, "streams_left_out", list);
    return object;
}

static void
s_text (const cf_timeline_t *self)
{
    char when [40];
    printf ("case %s as it was at %s\n\n", self->case_id,
            ctl_time_text (self->at, when, sizeof when));
    printf ("%-12s %s\n", "status", ctl_status_name (self->status));
    printf ("%-12s %s\n", "urgency", self->urgency ? ctl_urgency_name (self->urgency) : "-");
    printf ("%-12s %s\n%-12s", "channel", ctl_channel_name (self->channel), "domains");
    for (size_t i = 0; i < self->domain_count; i++)
        printf ("%s%s", i ? ", " : " ", ctl_domain_name (self->domains [i]));
    printf ("\n");
    printf ("%-12s %s\n", "registered", ctl_time_text (self->registered_at, when, sizeof when));
    printf ("%-12s %s\n", "worker", self->worker_id && *self->worker_id ? self->worker_id : "-");
    printf ("%-12s %s\n", "location", self->location && *self->location ? self->location : "-");
    if (self->closed_at)
        printf ("%-12s %s\n", "closed", ctl_time_text (self->closed_at, when, sizeof when));
    for (size_t i = 0; i < self->handover_count; i++)
        printf ("%-12s %s\n", "handover", self->handovers [i]);
    for (int s = 0; s < CF_FOLD_GATEWAY; s++)
        if (!self->streams->streams [s].available)
            printf ("%-12s %s (not running)\n", "left out", ctl_service_name (s));
    size_t shown = 0;
    for (size_t i = 0; i < self->callback_count; i++)
        shown += s_shown (&self->callbacks [i]);
    ctl_table_t *table = shown ? ctl_table_new ("DUE REMINDER STATE OUTCOME RECORDED") : NULL;
    for (size_t i = 0; i < self->callback_count && table; i++) {
        const cf_timeline_callback_t *callback = &self->callbacks [i];
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
    printf ("\ntimeline (%zu events):\n", self->entry_count);
    table = ctl_table_new ("TIME STREAM SEQ TYPE SUMMARY");
    for (size_t i = 0; i < self->entry_count; i++) {
        char summary [512];
        ctl_table_cell (table,
                        ctl_time_text (self->entries [i].event->occurred_at, when, sizeof when));
        ctl_table_cell (table, cf_fold_stream_name (self->entries [i].stream));
        ctl_table_cells (table, &self->entries [i].event->base, "seq");
        ctl_table_cell (table, cf_event_type_name (self->entries [i].event));
        ctl_table_cell (table, s_summary (self->entries [i].event, summary, sizeof summary));
    }
    ctl_table_print (&table);
}

void
ctl_case_print (const ctl_args_t *args, const cf_timeline_t *kase)
{
    if (args->ctl->json)
        ctl_json_print (s_json (kase));
    else
        s_text (kase);
}
