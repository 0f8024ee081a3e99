//  ctl_reminders_output: how `caseflowctl reminders …` shows notification's
//  views. JSON keys of a reminder (CLI.md): reminder_id, kind, case_id,
//  due_at, fired, acknowledged; then status, handover_id, target,
//  location, subscription_id and stream (webhook-parked), summary, fired_at, acknowledged_at, acknowledged_by (and
//  cancelled_at, cancel_reason for a cancelled one; seq in follow); then
//  the claim: claimed_by, lease_until, parked (and parked_by, park_reason
//  for a parked one; completed_by for one whose claim the recorded call
//  completed). `reminders claim`: reminder_id, case_id, kind,
//  due_at, claimed_by, lease_until (CLI.md), location, summary; or null.
#include "ctl_output.h"

#include "caseflow/v1/notification.pb-c.h"
#include "cf_time.h"

#define S_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name
//  Keys read from a ReminderView and from a ReminderDue alike.
#define S_FIRST                                                                      \
    "reminder_id=reminder.reminder_id kind=reminder.kind case_id=reminder.case_id? " \
    "due_at=reminder.due_at:time"
#define S_THEN                                                                              \
    "handover_id=reminder.handover_id? target=reminder.target location=reminder.location? " \
    "subscription_id=reminder.subscription_id? stream=reminder.stream? "                    \
    "summary=reminder.summary fired_at:time"

static json_t *
s_reminder (const ProtobufCMessage *message, int status, int64_t acknowledged_at,
            const char *acknowledged_by)
{
    json_t *object = ctl_json_message (message, S_FIRST);
    json_object_set_new (
        object, "fired",
        json_boolean (status == S_STATUS (DUE) || status == S_STATUS (ACKNOWLEDGED)));
    json_object_set_new (object, "acknowledged", json_boolean (status == S_STATUS (ACKNOWLEDGED)));
    json_object_set_new (object, "status",
                         ctl_json_text (ctl_enum_word (
                             &caseflow__v1__notification__reminder_status__descriptor, status)));
    ctl_json_add (object, message, S_THEN);
    json_object_set_new (object, "acknowledged_at", cf_fold_json_time (acknowledged_at));
    json_object_set_new (object, "acknowledged_by", ctl_json_text_or_null (acknowledged_by));
    return object;
}

static json_t *
s_view (const Caseflow__V1__Notification__ReminderView *view)
{
    json_t *object =
        s_reminder (&view->base, view->status, view->acknowledged_at, view->acknowledged_by);
    if (view->status == S_STATUS (CANCELLED))
        ctl_json_add (object, &view->base, "cancelled_at:time cancel_reason");
    ctl_json_add (object, &view->base, "claimed_by? lease_until:time parked");
    if (view->parked)
        ctl_json_add (object, &view->base, "parked_by park_reason");
    if (*view->completed_by)
        ctl_json_add (object, &view->base, "completed_by");
    return object;
}

json_t *
ctl_reminders_due_json (const ProtobufCMessage *reminder_due, uint64_t seq)
{
    json_t *object = s_reminder (reminder_due, S_STATUS (DUE), 0, NULL);
    json_object_set_new (object, "seq", json_integer ((json_int_t) seq));
    return object;
}

static json_t *
s_views (Caseflow__V1__Notification__ReminderView **views, size_t count)
{
    json_t *array = json_array ();
    for (size_t i = 0; i < count; i++)
        json_array_append_new (array, s_view (views [i]));
    return array;
}

json_t *
ctl_reminders_list_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ReminderList *list = (const void *) result;
    return s_views (list->reminders, list->n_reminders);
}

#define S_ROW                                                                         \
    "reminder.reminder_id reminder.kind reminder.due_at:time status reminder.target " \
    "claimed_by? lease_until:time parked reminder.summary"

void
ctl_reminders_list_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ReminderList *list = (const void *) result;
    ctl_table_t *table =
        ctl_table_new ("REMINDER KIND DUE STATUS TARGET CLAIMED_BY LEASE_UNTIL PARKED SUMMARY");
    ctl_table_each (table, result, "reminders", S_ROW, NULL);
    ctl_table_print (&table);
    if (list->total > list->n_reminders)
        printf ("(%zu of %u shown; --limit for more)\n", list->n_reminders, list->total);
}

json_t *
ctl_reminders_one_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    return s_view ((const void *) result);
}

void
ctl_reminders_ack_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ReminderView *view = (const void *) result;
    printf ("acknowledged %s (%s)\n", view->reminder->reminder_id, view->reminder->summary);
}

json_t *
ctl_reminders_claim_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ClaimResult *claim = (const void *) result;
    if (!claim->reminder)
        return json_null ();
    return ctl_json_message (&claim->reminder->base,
                             "reminder_id=reminder.reminder_id case_id=reminder.case_id "
                             "kind=reminder.kind due_at=reminder.due_at:time claimed_by "
                             "lease_until:time location=reminder.location? "
                             "summary=reminder.summary");
}

void
ctl_reminders_claim_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    const Caseflow__V1__Notification__ClaimResult *claim = (const void *) result;
    if (!claim->reminder) {
        printf ("nothing due for %s\n", ctl_arg (args, "caller"));
        return;
    }
    const Caseflow__V1__Notification__ReminderView *view = claim->reminder;
    char due [32], until [32];
    printf ("%s claimed by %s until %s: %s (due %s)\n", view->reminder->reminder_id,
            view->claimed_by, ctl_time_text (view->lease_until, until, sizeof until),
            view->reminder->summary, ctl_time_text (view->reminder->due_at, due, sizeof due));
}

void
ctl_reminders_release_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ReminderView *view = (const void *) result;
    printf ("released %s (%s): open to every caller\n", view->reminder->reminder_id,
            view->reminder->summary);
}

void
ctl_reminders_park_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ReminderView *view = (const void *) result;
    printf ("parked %s (%s) for a team lead: %s\n", view->reminder->reminder_id,
            view->reminder->summary, view->park_reason);
}

json_t *
ctl_reminders_today_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__CallbackList *list = (const void *) result;
    json_t *object = ctl_json_message (result, "date");
    json_object_set_new (object, "callbacks", s_views (list->callbacks, list->n_callbacks));
    return object;
}

void
ctl_reminders_today_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__CallbackList *list = (const void *) result;
    printf ("callbacks to make on %s: %zu\n", list->date, list->n_callbacks);
    ctl_table_t *table = ctl_table_new ("LOCATION CASE DUE STATUS REMINDER");
    ctl_table_each (table, result, "callbacks",
                    "reminder.location reminder.case_id reminder.due_at:time status "
                    "reminder.reminder_id",
                    NULL);
    ctl_table_print (&table);
}

static double
s_days (int64_t micros)
{
    return (double) micros / (double) CF_USEC_PER_DAY;
}

json_t *
ctl_reminders_compliance_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ComplianceReport *report = (const void *) result;
    json_t *object = ctl_json_message (result, "from:time to:time");
    json_object_set_new (object, "interval_days", cf_fold_json_number (s_days (report->interval)));
    return ctl_json_add (object, result,
                         "cases_waiting cases_exceeded cases:{case_id location? gaps:{from:time "
                         "to:time started_by ended_by due_at:time days}}");
}

void
ctl_reminders_compliance_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Notification__ComplianceReport *report = (const void *) result;
    printf ("%u waiting cases in the period, %u with a gap over %.0f days between contacts\n",
            report->cases_waiting, report->cases_exceeded, s_days (report->interval));
    ctl_table_t *table = ctl_table_new ("CASE LOCATION FROM TO DAYS ENDED_BY");
    for (size_t c = 0; c < report->n_cases; c++)
        for (size_t g = 0; g < report->cases [c]->n_gaps; g++) {
            ctl_table_cells (table, &report->cases [c]->base, "case_id location");
            ctl_table_cells (table, &report->cases [c]->gaps [g]->base,
                             "from:time to:time days ended_by");
        }
    ctl_table_print (&table);
}
