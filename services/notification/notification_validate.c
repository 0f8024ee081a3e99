//  notification_validate: the field checks of the notification commands
//  (see notification_validate.h).
#include "notification_validate.h"

#include "cf_api.h"
#include "notification_state.h"

#include <string.h>

//  Text a person typed: valid UTF-8 without control characters, at most
//  `max` bytes.
bool
notification_text_ok (const char *text, size_t max)
{
    size_t len = strlen (text);
    if (len > max)
        return false;
    const unsigned char *p = (const unsigned char *) text;
    while (*p) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        size_t extra = *p < 0x80             ? 0
                       : (*p & 0xe0) == 0xc0 ? 1
                       : (*p & 0xf0) == 0xe0 ? 2
                       : (*p & 0xf8) == 0xf0 ? 3
                                             : 9;
        if (extra == 9 || (*p >= 0x80 && *p < 0xc2) || *p > 0xf4)
            return false;
        p++;
        for (size_t i = 0; i < extra; i++, p++)
            if ((*p & 0xc0) != 0x80)
                return false;
    }
    return true;
}

bool
notification_validate_acknowledge (const Caseflow__V1__Notification__Acknowledge *command,
                                   Caseflow__V1__Reply *reply)
{
    const char *id = command->reminder_id;
    if (!*id || !notification_text_ok (id, NOTIFICATION_MAX_REMINDER_ID)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.notification.acknowledge.reminder_id",
                             "must be 1-%d characters of text", NOTIFICATION_MAX_REMINDER_ID);
        return false;
    }
    if (!notification_text_ok (command->by, NOTIFICATION_MAX_BY)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.notification.acknowledge.by",
                             "must be at most 200 characters of text without control "
                             "characters");
        return false;
    }
    return true;
}
