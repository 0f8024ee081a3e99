//  notification_view: reminders as protobuf messages (see
//  notification_view.h).
#include "notification_view.h"

#include "cf_api.h"
#include "notification_lifecycle.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define S_ACKED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED

char *
notification_view_summary (int kind, uint64_t number, const char *case_id,
                           const char *handover_id, char *buf, size_t size)
{
    switch (kind) {
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK:
            snprintf (buf, size, "callback %" PRIu64 " for %s", number, case_id);
            break;
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE:
            snprintf (buf, size, "callback %" PRIu64 " for %s not recorded in time", number,
                      case_id);
            break;
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_URGENT:
            snprintf (buf, size, "urgent case %s", case_id);
            break;
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_NO_WORKER:
            snprintf (buf, size, "no worker can take urgent case %s", case_id);
            break;
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE:
            if (number)
                snprintf (buf, size, "handover %s: deadline in %" PRIu64 " days", handover_id,
                          number);
            else
                snprintf (buf, size, "handover %s: deadline passed", handover_id);
            break;
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WAITING_TOO_LONG:
            snprintf (buf, size, "case %s waiting longer than the norm", case_id);
            break;
        default:
            snprintf (buf, size, "reminder");
    }
    return buf;
}

void
notification_view_fill (const notification_reminder_t *reminder,
                        Caseflow__V1__Notification__Reminder *message, char *summary)
{
    const char *case_id = reminder->kase ? reminder->kase->id : "";
    const char *handover_id = reminder->handover_id ? reminder->handover_id : "";
    message->reminder_id = reminder->id;
    message->kind = reminder->kind;
    message->case_id = (char *) case_id;
    message->handover_id = (char *) handover_id;
    message->due_at = reminder->due_at;
    message->target = (char *) reminder->target;
    message->number = reminder->number;
    message->location = reminder->kase ? (char *) reminder->kase->location : "";
    message->summary = notification_view_summary (reminder->kind, reminder->number, case_id,
                                                  handover_id, summary,
                                                  NOTIFICATION_SUMMARY_SIZE);
}

Caseflow__V1__Notification__ReminderView *
notification_view_new (const notification_reminder_t *reminder)
{
    Caseflow__V1__Notification__Reminder borrowed = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    char summary [NOTIFICATION_SUMMARY_SIZE];
    notification_view_fill (reminder, &borrowed, summary);
    Caseflow__V1__Notification__Reminder *copy = malloc (sizeof *copy);
    assert (copy);
    *copy = borrowed;
    copy->reminder_id = cf_strdup (borrowed.reminder_id);
    copy->case_id = cf_strdup (borrowed.case_id);
    copy->handover_id = cf_strdup (borrowed.handover_id);
    copy->target = cf_strdup (borrowed.target);
    copy->summary = cf_strdup (borrowed.summary);
    copy->location = cf_strdup (borrowed.location);

    Caseflow__V1__Notification__ReminderView *view = malloc (sizeof *view);
    assert (view);
    caseflow__v1__notification__reminder_view__init (view);
    view->reminder = copy;
    view->status = reminder->status;
    view->scheduled_at = reminder->scheduled_at;
    view->fired_at = reminder->fired_at;
    if (reminder->status == S_ACKED) {
        view->acknowledged_at = reminder->closed_at;
        view->acknowledged_by = cf_strdup (reminder->closed_by ? reminder->closed_by : "");
    }
    if (reminder->status == S_CANCELLED) {
        view->cancelled_at = reminder->closed_at;
        view->cancel_reason = cf_strdup (reminder->closed_by ? reminder->closed_by : "");
    }
    return view;
}
