//  handover_validate: field checks of the handover commands.
#include "handover_validate.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_resident.h"
#include "cf_text.h"

#include <stdio.h>
#include <string.h>

static int
s_invalid (Caseflow__V1__Reply *reply, const char *prefix, const char *field, const char *why)
{
    char path [256];
    snprintf (path, sizeof path, "%s.%s", prefix, field);
    //  The message names the field briefly; `field` has the whole path.
    cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path, "%s %s", field,
                         why);
    return -1;
}

int
handover_check_id (const char *id, bool required, const char *prefix, const char *field,
                   Caseflow__V1__Reply *reply)
{
    char path [256];
    snprintf (path, sizeof path, "%s.%s", prefix, field);
    return cf_id_check (reply, path, id, required) ? 0 : -1;
}

int
handover_check_text (const char *text, bool required, size_t max, bool multiline,
                     const char *prefix, const char *field, Caseflow__V1__Reply *reply)
{
    char path [256];
    snprintf (path, sizeof path, "%s.%s", prefix, field);
    return cf_text_check (reply, path, text, max, required, multiline) ? 0 : -1;
}

int
handover_check_resident (const Caseflow__V1__PersonalData *resident, const char *prefix,
                         const char *today, Caseflow__V1__Reply *reply)
{
    if (!resident)
        return s_invalid (reply, prefix, "resident", "is required");
    char path [200];
    snprintf (path, sizeof path, "%s.resident", prefix);
    if (handover_check_text (resident->name, true, HANDOVER_MAX_NAME, false, path, "name", reply))
        return -1;
    char field [256];
    snprintf (field, sizeof field, "%s.birth_date", path);
    if (!cf_resident_check_birth_date (reply, field, resident->birth_date, today))
        return -1;
    snprintf (field, sizeof field, "%s.bsn", path);
    if (!cf_resident_check_bsn (reply, field, resident->bsn))
        return -1;
    snprintf (field, sizeof field, "%s.phone", path);
    if (!cf_resident_check_phone (reply, field, resident->phone))
        return -1;
    return handover_check_text (resident->district, false, HANDOVER_MAX_NAME, false, path,
                                "district", reply);
}

int
handover_check_domains (const Caseflow__V1__Domain *domains, size_t count, const char *prefix,
                        Caseflow__V1__Reply *reply)
{
    if (count == 0)
        return s_invalid (reply, prefix, "domains", "needs at least one domain");
    unsigned seen = 0;
    for (size_t i = 0; i < count; i++) {
        int domain = (int) domains [i];
        if (domain < CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH
            || domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
            return s_invalid (reply, prefix, "domains", "holds an unknown domain");
        if (seen & (1u << domain))
            return s_invalid (reply, prefix, "domains", "lists a domain twice");
        seen |= 1u << domain;
    }
    return 0;
}

int
handover_check_urgency (Caseflow__V1__Urgency urgency, const char *prefix,
                        Caseflow__V1__Reply *reply)
{
    if (urgency != CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED
        && urgency != CASEFLOW__V1__URGENCY__URGENCY_REGULAR
        && urgency != CASEFLOW__V1__URGENCY__URGENCY_URGENT)
        return s_invalid (reply, prefix, "urgency", "must be regular or urgent");
    return 0;
}

int
handover_check_meeting (const char *location, char *const *participants, size_t count,
                        const char *prefix, Caseflow__V1__Reply *reply)
{
    if (handover_check_text (location, false, HANDOVER_MAX_LOCATION, false, prefix, "location",
                             reply))
        return -1;
    if (count > HANDOVER_MAX_PARTICIPANTS) {
        char field [96];
        snprintf (field, sizeof field, "%s.participants", prefix);
        return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field,
                                    "participants must list at most %d", HANDOVER_MAX_PARTICIPANTS);
    }
    char field [64];
    for (size_t i = 0; i < count; i++) {
        snprintf (field, sizeof field, "participants[%zu]", i);
        if (handover_check_text (participants [i], true, HANDOVER_MAX_NAME, false, prefix, field,
                                 reply))
            return -1;
    }
    return 0;
}

int
handover_check_documents (Caseflow__V1__Handover__Document *const *documents, size_t count,
                          bool waive, int64_t now, const char *prefix, Caseflow__V1__Reply *reply)
{
    char path [128];
    if (waive && count) {
        snprintf (path, sizeof path, "%s.waive", prefix);
        return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path,
                                    "give documents or waive the transfer, not both");
    }
    snprintf (path, sizeof path, "%s.documents", prefix);
    if (!waive && count == 0)
        return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path,
                                    "needs at least one document, or an explicit waiver (waive)");
    if (count > HANDOVER_MAX_DOCUMENTS)
        return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path,
                                    "documents must list at most %d", HANDOVER_MAX_DOCUMENTS);
    for (size_t i = 0; i < count; i++) {
        const Caseflow__V1__Handover__Document *document = documents [i];
        snprintf (path, sizeof path, "%s.documents[%zu]", prefix, i);
        if (!document)
            return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path,
                                        "documents[%zu] is empty", i);
        if (handover_check_text (document->title, true, HANDOVER_MAX_NAME, false, path, "title",
                                 reply)
            || handover_check_text (document->type, false, HANDOVER_MAX_TYPE, false, path, "type",
                                    reply))
            return -1;
        if (document->received_at < 0 || document->received_at > now) {
            char field [160];
            snprintf (field, sizeof field, "%s.received_at", path);
            return cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field,
                                        "received_at must not be in the future (0 means now)");
        }
    }
    return 0;
}
