//  cf_id: the id grammar and its refusal (see cf_id.h).
#include "cf_id.h"

#include "cf_api.h"

//  Which bytes an id may hold: one table, so the check is a lookup per
//  byte and the rule is written once.
static bool
s_id_char (unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
           || c == '_' || c == ':' || c == '-';
}

bool
cf_id_valid (const char *id)
{
    if (!id)
        return false;
    size_t len = 0;
    for (; id [len]; len++)
        if (len == CF_ID_MAX || !s_id_char ((unsigned char) id [len]))
            return false;
    return len > 0;
}

bool
cf_id_valid_reminder (const char *id)
{
    if (!id)
        return false;
    size_t len = 0, part = 0;
    for (; id [len]; len++) {
        unsigned char c = (unsigned char) id [len];
        if (len == CF_REMINDER_ID_MAX)
            return false;
        if (c == '/') {
            if (part == 0)
                return false;
            part = 0;
        } else if (!s_id_char (c) || ++part > CF_ID_MAX)
            return false;
    }
    return part > 0;
}

static bool
s_check (Caseflow__V1__Reply *reply, const char *field, const char *id, bool required, bool valid,
         const char *what, const char *rule)
{
    if (!id || !*id)
        return !required || cf_api_reply_invalid (reply, field, "is required");
    return valid || cf_api_reply_invalid (reply, field, "is not %s: %s", what, rule);
}

bool
cf_id_check (Caseflow__V1__Reply *reply, const char *field, const char *id, bool required)
{
    return s_check (reply, field, id, required, cf_id_valid (id), "an id", CF_ID_RULE);
}

bool
cf_id_check_reminder (Caseflow__V1__Reply *reply, const char *field, const char *id, bool required)
{
    return s_check (reply, field, id, required, cf_id_valid_reminder (id), "a reminder id",
                    CF_REMINDER_ID_RULE);
}
