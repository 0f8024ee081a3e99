//  notification_validate: the field checks of the notification commands
//  (see notification_validate.h).
#include "notification_validate.h"

#include "cf_id.h"
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
