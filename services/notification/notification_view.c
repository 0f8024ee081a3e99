//  notification_view: reminders as protobuf messages (see
//  notification_view.h).
#include "notification_view.h"

#include "cf_api.h"
#include "cf_strings.h"
#include "notification_lifecycle.h"

#include <assert.h>
#include <stdlib.h>

#define S_ACKED     CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED

char *
notification_view_summary (int kind, uint64_t number, const char *case_id, const char *handover_id,
                           char *buf, size_t size)
{
    //  Written for every reminder scheduled: no snprintf.
    char digits [CF_STRINGS_U64_SIZE];
    const char *n = cf_strings_u64 (digits, number);
    switch (kind) {
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK:
            return cf_strings_concat (buf, size, "callback ", n, " for ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE:
            return cf_strings_concat (buf, size, "callback ", n, " for ", case_id,
                                      " not recorded in time", NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_URGENT:
            return cf_strings_concat (buf, size, "urgent case ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_NO_WORKER:
            return cf_strings_concat (buf, size, "no worker can take urgent case ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE:
            return number ? cf_strings_concat (buf, size, "handover ", handover_id,
                                               ": deadline in ", n, " days", NULL)
                          : cf_strings_concat (buf, size, "handover ", handover_id,
                                               ": deadline passed", NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WAITING_TOO_LONG:
            return cf_strings_concat (buf, size, "case ", case_id, " waiting longer than the norm",
                                      NULL);
        default: return cf_strings_concat (buf, size, "reminder", NULL);
    }
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
                                                  handover_id, summary, NOTIFICATION_SUMMARY_SIZE);
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
