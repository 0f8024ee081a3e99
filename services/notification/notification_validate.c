//  notification_validate: the field checks of the notification commands
//  (see notification_validate.h).
#include "notification_validate.h"

#include "cf_api.h"
#include "cf_id.h"
#include "notification_claims.h"
#include "cf_text.h"

bool
notification_validate_acknowledge (const Caseflow__V1__Notification__Acknowledge *command,
                                   Caseflow__V1__Reply *reply)
{
    return cf_id_check_reminder (reply, "command.notification.acknowledge.reminder_id",
                                 command->reminder_id, true)
           && cf_text_check (reply, "command.notification.acknowledge.by", command->by,
                             NOTIFICATION_MAX_BY, false, false);
}

//  A person named in a command: as on_behalf_of (the one rule, cf_api).
static bool
s_caller_check (Caseflow__V1__Reply *reply, const char *field, const char *caller)
{
    if (!*caller || cf_api_token_valid (caller))
        return true;
    return cf_api_reply_invalid (reply, field,
                                 "is not a person: 1-64 printable characters without spaces");
}

bool
notification_validate_claim (const Caseflow__V1__Notification__Claim *command,
                             Caseflow__V1__Reply *reply)
{
    if (!s_caller_check (reply, "command.notification.claim.caller", command->caller)
        || !cf_id_check (reply, "command.notification.claim.location", command->location, false))
        return false;
    if (command->kind && !notification_claims_kind (command->kind))
        return cf_api_reply_invalid (
            reply, "command.notification.claim.kind",
            "must be callback or callback-overdue: only those are claimed");
    return true;
}

bool
notification_validate_release (const Caseflow__V1__Notification__Release *command,
                               Caseflow__V1__Reply *reply)
{
    return cf_id_check_reminder (reply, "command.notification.release.reminder_id",
                                 command->reminder_id, true)
           && s_caller_check (reply, "command.notification.release.caller", command->caller);
}

bool
notification_validate_park (const Caseflow__V1__Notification__Park *command,
                            Caseflow__V1__Reply *reply)
{
    return cf_id_check_reminder (reply, "command.notification.park.reminder_id",
                                 command->reminder_id, true)
           && cf_text_check (reply, "command.notification.park.reason", command->reason,
                             NOTIFICATION_MAX_REASON, true, false)
           && s_caller_check (reply, "command.notification.park.caller", command->caller);
}
