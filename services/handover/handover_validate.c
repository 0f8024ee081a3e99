//  handover_validate: field checks of the handover commands.
#include "handover_validate.h"

#include "cf_api.h"
#include "cf_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

bool
handover_valid_id (const char *id)
{
    size_t len = id ? strlen (id) : 0;
    if (len == 0 || len > HANDOVER_MAX_ID)
        return false;
    for (const char *c = id; *c; c++)
        if (!isalnum ((unsigned char) *c) && *c != '.' && *c != '_' && *c != '-')
            return false;
    return true;
}

bool
handover_valid_date (const char *text)
{
    if (!text || strlen (text) != 10 || text [4] != '-' || text [7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit ((unsigned char) text [i]))
            return false;
    int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);
    static const int days [12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < 1800 || month < 1 || month > 12 || day < 1 || day > days [month - 1])
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

bool
handover_valid_bsn (const char *bsn)
{
    if (!bsn || strlen (bsn) != 9)
        return false;
    int sum = 0;
    for (int i = 0; i < 9; i++) {
        if (!isdigit ((unsigned char) bsn [i]))
            return false;
        int weight = i < 8 ? 9 - i : -1;
        sum += weight * (bsn [i] - '0');
    }
    return sum % 11 == 0 && strcmp (bsn, "000000000") != 0;
}

int
handover_check_id (const char *id, bool required, const char *prefix, const char *field,
                   Caseflow__V1__Reply *reply)
{
    if (!id || !*id)
        return required ? s_invalid (reply, prefix, field, "is required") : 0;
    if (!handover_valid_id (id))
        return s_invalid (reply, prefix, field,
                          "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
    return 0;
}

int
handover_check_text (const char *text, bool required, size_t max, bool multiline,
                     const char *prefix, const char *field, Caseflow__V1__Reply *reply)
{
    if (!text)
        text = "";
    bool blank = true;
    for (const char *c = text; *c; c++) {
        unsigned char ch = (unsigned char) *c;
        if (ch < 0x20 || ch == 0x7f) {
            if (!multiline || (ch != '\n' && ch != '\t' && ch != '\r'))
                return s_invalid (reply, prefix, field, "must not hold control characters");
        } else if (ch != ' ')
            blank = false;
    }
    if (!cf_text_valid (text, strlen (text)))
        return s_invalid (reply, prefix, field, "must be valid UTF-8");
    if (required && blank)
        return s_invalid (reply, prefix, field, "is required");
    if (strlen (text) > max) {
        char why [64];
        snprintf (why, sizeof why, "must be at most %zu bytes", max);
        return s_invalid (reply, prefix, field, why);
    }
    return 0;
}

int
handover_check_resident (const Caseflow__V1__PersonalData *resident, const char *prefix,
                         Caseflow__V1__Reply *reply)
{
    if (!resident)
        return s_invalid (reply, prefix, "resident", "is required");
    char path [200];
    snprintf (path, sizeof path, "%s.resident", prefix);
    if (handover_check_text (resident->name, true, HANDOVER_MAX_NAME, false, path, "name", reply))
        return -1;
    if (*resident->birth_date && !handover_valid_date (resident->birth_date))
        return s_invalid (reply, path, "birth_date", "must be a date YYYY-MM-DD");
    if (*resident->bsn && !handover_valid_bsn (resident->bsn))
        return s_invalid (reply, path, "bsn", "must be 9 digits passing the eleven-test");
    size_t digits = 0;
    for (const char *c = resident->phone; *c; c++) {
        if (isdigit ((unsigned char) *c))
            digits++;
        else if (*c != ' ' && *c != '+' && *c != '-')
            return s_invalid (reply, path, "phone", "must hold only digits, spaces, '+' and '-'");
    }
    if (*resident->phone && (digits < 3 || strlen (resident->phone) > 32))
        return s_invalid (reply, path, "phone", "must hold 3-32 characters with digits");
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
