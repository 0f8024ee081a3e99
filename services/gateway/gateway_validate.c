//  gateway_validate: field checks and the catalogue (see gateway_validate.h).
#include "gateway_validate.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_words.h"

#include <stdio.h>
#include <string.h>

#define S_CHANNEL(name) (1u << CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_##name)

//  The catalogue of DESIGN.md, one row per type.
static const struct {
    const char *type;
    gateway_kind_t kind;
    unsigned channels;  //  bit per PublisherChannel value
} s_catalogue [] = {
    { "nl.sociaal-domein.verwijzing-ontvangen", GATEWAY_KIND_REFERRAL,
      S_CHANNEL (PARTNER) | S_CHANNEL (MUNICIPALITY) },
    { "nl.sociaal-domein.overdracht-aangekondigd", GATEWAY_KIND_ANNOUNCEMENT,
      S_CHANNEL (PROVIDER) },
    { "nl.sociaal-domein.beschikking-aangevraagd", GATEWAY_KIND_DECISION_REQUESTED,
      S_CHANNEL (MUNICIPALITY) },
    { "nl.sociaal-domein.beschikking-afgegeven", GATEWAY_KIND_DECISION_ISSUED,
      S_CHANNEL (MUNICIPALITY) },
    { "nl.telefonie.gesprek-aangeboden", GATEWAY_KIND_CALL_OFFERED, S_CHANNEL (TELEPHONY) },
    { "nl.telefonie.gesprek-beantwoord", GATEWAY_KIND_CALL_ANSWERED, S_CHANNEL (TELEPHONY) },
    { "nl.telefonie.gesprek-afgebroken", GATEWAY_KIND_CALL_ABANDONED, S_CHANNEL (TELEPHONY) },
};
#define S_TYPES (sizeof s_catalogue / sizeof s_catalogue [0])

gateway_kind_t
gateway_catalogue_kind (const char *type)
{
    for (size_t i = 0; type && i < S_TYPES; i++)
        if (strcmp (s_catalogue [i].type, type) == 0)
            return s_catalogue [i].kind;
    return GATEWAY_KIND_NONE;
}

bool
gateway_catalogue_allows (Caseflow__V1__Gateway__PublisherChannel channel, const char *type)
{
    for (size_t i = 0; type && i < S_TYPES; i++)
        if (strcmp (s_catalogue [i].type, type) == 0)
            return (unsigned) channel < 32 && (s_catalogue [i].channels & (1u << channel));
    return false;
}

char *
gateway_catalogue_types (Caseflow__V1__Gateway__PublisherChannel channel, char *buf, size_t size)
{
    size_t used = 0, count = 0, total = 0;
    buf [0] = 0;
    for (size_t i = 0; i < S_TYPES; i++)
        total += gateway_catalogue_allows (channel, s_catalogue [i].type);
    for (size_t i = 0; i < S_TYPES && used < size; i++) {
        if (!gateway_catalogue_allows (channel, s_catalogue [i].type))
            continue;
        count++;
        const char *glue = count == 1 ? "" : count == total ? " or " : ", ";
        int n = snprintf (buf + used, size - used, "%s%s", glue, s_catalogue [i].type);
        used += n > 0 ? (size_t) n : 0;
    }
    return buf;
}

bool
gateway_publisher_id_valid (const char *id)
{
    size_t length = id ? strlen (id) : 0;
    if (length == 0 || length > GATEWAY_PUBLISHER_ID_MAX)
        return false;
    return strspn (id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")
           == length;
}

bool
gateway_source_valid (const char *source)
{
    static const char prefix [] = "urn:nld:";
    size_t length = source ? strlen (source) : 0;
    if (length <= sizeof prefix - 1 || length > GATEWAY_SOURCE_MAX
        || strncmp (source, prefix, sizeof prefix - 1) != 0)
        return false;
    for (size_t i = 0; i < length; i++)
        if (source [i] <= ' ' || source [i] >= 0x7f)
            return false;
    return true;
}

int
gateway_check_publisher_id (Caseflow__V1__Reply *reply, const char *field, const char *id)
{
    if (gateway_publisher_id_valid (id))
        return 0;
    cf_api_reply_invalid (
        reply, field,
        !id || !*id ? "is required" : "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    return CF_EINVAL;
}

int
gateway_check_publisher (Caseflow__V1__Reply *reply, const char *prefix,
                         const Caseflow__V1__Gateway__PublisherAdd *command)
{
    char field [96];
    snprintf (field, sizeof field, "%s.source", prefix);
    if (!gateway_source_valid (command->source)) {
        cf_api_reply_invalid (reply, field,
                              "must be an NL GOV source URN: \"urn:nld:\" and up to 248 "
                              "printable characters without spaces");
        return CF_EINVAL;
    }
    snprintf (field, sizeof field, "%s.channel", prefix);
    if (!cf_words_find (&cf_words_publisher_channel, (int) command->channel)) {
        cf_api_reply_invalid (reply, field, "must be partner, municipality, provider or telephony");
        return CF_EINVAL;
    }
    snprintf (field, sizeof field, "%s.types", prefix);
    char allowed [512];
    if (command->n_types == 0) {
        cf_api_reply_invalid (reply, field, "must name at least one type: %s",
                              gateway_catalogue_types (command->channel, allowed, sizeof allowed));
        return CF_EINVAL;
    }
    for (size_t i = 0; i < command->n_types; i++) {
        const char *type = command->types [i];
        if (gateway_catalogue_allows (command->channel, type))
            continue;
        //  A type from the catalogue is safe to echo; anything else is not.
        if (gateway_catalogue_kind (type) != GATEWAY_KIND_NONE)
            cf_api_reply_invalid (
                reply, field, "%s is not a type a %s publisher sends (%s)", type,
                cf_words_name (&cf_words_publisher_channel, command->channel),
                gateway_catalogue_types (command->channel, allowed, sizeof allowed));
        else
            cf_api_reply_invalid (
                reply, field, "holds a type the catalogue does not list (%s)",
                gateway_catalogue_types (command->channel, allowed, sizeof allowed));
        return CF_EINVAL;
    }
    return 0;
}
