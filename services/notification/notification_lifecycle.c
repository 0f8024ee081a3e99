//  notification_lifecycle: the reminder and claim transition tables and
//  reminder ids (see notification_lifecycle.h).
#include "notification_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_strings.h"
#include "cf_words.h"

#include <string.h>

#define S_NONE      CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_UNSPECIFIED
#define S_PENDING   CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_PENDING
#define S_DUE       CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_DUE
#define S_ACKED     CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_ACKNOWLEDGED
#define S_CANCELLED CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_CANCELLED

static const cf_lifecycle_move_t s_moves [] = {
    { NOTIFICATION_SCHEDULE, S_NONE, S_PENDING }, { NOTIFICATION_RESCHEDULE, S_PENDING, S_PENDING },
    { NOTIFICATION_FIRE, S_PENDING, S_DUE },      { NOTIFICATION_CANCEL, S_PENDING, S_CANCELLED },
    { NOTIFICATION_ACKNOWLEDGE, S_DUE, S_ACKED }, { NOTIFICATION_ACKNOWLEDGE, S_ACKED, S_ACKED },
};

//  A reminder's status in the words of every service (cf_words).
static const char *
s_state_word (int status)
{
    return cf_words_name (&cf_words_reminder_status, status);
}

static const char *
s_action_word (int action)
{
    return notification_action_word ((notification_action_t) action);
}

static const cf_lifecycle_t s_lifecycle = {
    "reminder", s_moves, sizeof s_moves / sizeof s_moves [0], s_state_word, s_action_word,
};

Caseflow__V1__Notification__ReminderStatus
notification_lifecycle_next (Caseflow__V1__Notification__ReminderStatus status,
                             notification_action_t action)
{
    int next = S_NONE;
    cf_lifecycle_next (&s_lifecycle, (int) status, (int) action, &next);
    return (Caseflow__V1__Notification__ReminderStatus) next;
}

int
notification_lifecycle_check (const char *reminder_id,
                              Caseflow__V1__Notification__ReminderStatus status,
                              notification_action_t action, Caseflow__V1__Reply *reply,
                              const char *field)
{
    return cf_lifecycle_check (&s_lifecycle, reminder_id, (int) status, (int) action, NULL, reply,
                               field);
}

const char *
notification_action_word (notification_action_t action)
{
    static const char *words [] = { "schedule", "reschedule", "fire", "cancel", "acknowledge" };
    return (unsigned) action < sizeof words / sizeof words [0] ? words [action] : "unknown";
}

//  ------------------------------------------------------------- claims

static const cf_lifecycle_move_t s_claim_moves [] = {
    { NOTIFICATION_CLAIM, NOTIFICATION_CLAIM_OPEN, NOTIFICATION_CLAIM_CLAIMED },
    { NOTIFICATION_RELEASE, NOTIFICATION_CLAIM_CLAIMED, NOTIFICATION_CLAIM_OPEN },
    { NOTIFICATION_RELEASE, NOTIFICATION_CLAIM_PARKED, NOTIFICATION_CLAIM_OPEN },
    { NOTIFICATION_EXPIRE, NOTIFICATION_CLAIM_CLAIMED, NOTIFICATION_CLAIM_OPEN },
    { NOTIFICATION_PARK, NOTIFICATION_CLAIM_OPEN, NOTIFICATION_CLAIM_PARKED },
    { NOTIFICATION_PARK, NOTIFICATION_CLAIM_CLAIMED, NOTIFICATION_CLAIM_PARKED },
    { NOTIFICATION_COMPLETE, NOTIFICATION_CLAIM_CLAIMED, NOTIFICATION_CLAIM_COMPLETED },
    { NOTIFICATION_COMPLETE, NOTIFICATION_CLAIM_PARKED, NOTIFICATION_CLAIM_COMPLETED },
};

const char *
notification_claim_status_word (notification_claim_status_t status)
{
    static const char *words [] = { "open", "claimed", "parked", "completed" };
    return (unsigned) status < sizeof words / sizeof words [0] ? words [status] : "unknown";
}

const char *
notification_claim_action_word (notification_claim_action_t action)
{
    static const char *words [] = { "claim", "release", "expire", "park", "complete" };
    return (unsigned) action < sizeof words / sizeof words [0] ? words [action] : "unknown";
}

static const char *
s_claim_state_word (int status)
{
    return notification_claim_status_word ((notification_claim_status_t) status);
}

static const char *
s_claim_action_word (int action)
{
    return notification_claim_action_word ((notification_claim_action_t) action);
}

static const cf_lifecycle_t s_claim_lifecycle = {
    "claim of reminder", s_claim_moves,       sizeof s_claim_moves / sizeof s_claim_moves [0],
    s_claim_state_word,  s_claim_action_word,
};

int
notification_claim_next (notification_claim_status_t status, notification_claim_action_t action,
                         notification_claim_status_t *next_p)
{
    int next = 0;
    int rc = cf_lifecycle_next (&s_claim_lifecycle, (int) status, (int) action, &next);
    if (rc == 0 && next_p)
        *next_p = (notification_claim_status_t) next;
    return rc;
}

int
notification_claim_check (const char *reminder_id, notification_claim_status_t status,
                          notification_claim_action_t action, Caseflow__V1__Reply *reply,
                          const char *field)
{
    return cf_lifecycle_check (&s_claim_lifecycle, reminder_id, (int) status, (int) action, NULL,
                               reply, field);
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

char *
notification_webhook_reminder_id (char *buf, size_t size, const char *subscription_id,
                                  const char *stream, uint64_t seq)
{
    return notification_alert_reminder_id (
        buf, size, CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WEBHOOK_PARKED,
        subscription_id, stream, seq);
}

char *
notification_alert_reminder_id (char *buf, size_t size, int kind, const char *subscription_id,
                                const char *stream, uint64_t seq)
{
    char digits [CF_STRINGS_U64_SIZE];
    return cf_strings_concat (buf, size, cf_words_find (&cf_words_reminder_kind, kind), "/",
                              subscription_id, "/", stream, "/", cf_strings_u64 (digits, seq),
                              NULL);
}
