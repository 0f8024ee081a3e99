//  notification_lifecycle: the reminder transition table and reminder ids
//  (see notification_lifecycle.h).
#include "notification_lifecycle.h"

#include "cf_strings.h"
#include "cf_words.h"

#include <string.h>

#define S_NONE      CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_UNSPECIFIED
#define S_PENDING   CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_PENDING
#define S_DUE       CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE
#define S_ACKED     CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED

static const struct {
    Caseflow__V1__Notification__ReminderStatus from;
    notification_action_t action;
    Caseflow__V1__Notification__ReminderStatus to;
} s_table [] = {
    { S_NONE, NOTIFICATION_SCHEDULE, S_PENDING }, { S_PENDING, NOTIFICATION_RESCHEDULE, S_PENDING },
    { S_PENDING, NOTIFICATION_FIRE, S_DUE },      { S_PENDING, NOTIFICATION_CANCEL, S_CANCELLED },
    { S_DUE, NOTIFICATION_ACKNOWLEDGE, S_ACKED }, { S_ACKED, NOTIFICATION_ACKNOWLEDGE, S_ACKED },
};

Caseflow__V1__Notification__ReminderStatus
notification_lifecycle_next (Caseflow__V1__Notification__ReminderStatus status,
                             notification_action_t action)
{
    for (size_t i = 0; i < sizeof s_table / sizeof s_table [0]; i++)
        if (s_table [i].from == status && s_table [i].action == action)
            return s_table [i].to;
    return S_NONE;
}

char *
notification_reminder_id (char *buf, size_t size, int kind, const char *subject, uint64_t number)
{
    //  Built on every event: no snprintf.
    const char *word = cf_words_find (&cf_words_reminder_kind, kind);
    if (!word)
        word = "unspecified";
    char digits [CF_STRINGS_U64_SIZE];
    const char *last = cf_strings_u64 (digits, number);
    if (kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE)
        return number ? cf_strings_concat (buf, size, word, "/", subject, "/", last, "d", NULL)
                      : cf_strings_concat (buf, size, word, "/", subject, "/overdue", NULL);
    return cf_strings_concat (buf, size, word, "/", subject, "/", last, NULL);
}
