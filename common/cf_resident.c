//  cf_resident: BSN, birth date, phone and identity key (see cf_resident.h).
#include "cf_resident.h"

#include "cf_api.h"
#include "cf_calendar.h"

#include <stdio.h>
#include <string.h>

bool
cf_resident_bsn_valid (const char *bsn)
{
    if (!bsn || strlen (bsn) != 9)
        return false;
    int sum = 0;
    bool all_zero = true;
    for (int i = 0; i < 9; i++) {
        if (bsn [i] < '0' || bsn [i] > '9')
            return false;
        int digit = bsn [i] - '0';
        all_zero = all_zero && digit == 0;
        sum += i < 8 ? (9 - i) * digit : -digit;
    }
    return !all_zero && sum % 11 == 0;
}

bool
cf_resident_phone_valid (const char *phone)
{
    size_t len = phone ? strlen (phone) : 0;
    if (len == 0 || len > 32)
        return false;
    int digits = 0;
    for (size_t i = 0; i < len; i++) {
        char c = phone [i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')')
            return false;
    }
    return digits >= 6;
}

const char *
cf_resident_birth_date_problem (const char *text, const char *today)
{
    //  A date's years start at 1900 (cf_calendar.h), a birth date's too.
    if (!cf_calendar_date_valid (text))
        return "is not a date (YYYY-MM-DD, from 1900-01-01)";
    //  Dates in one form compare as text.
    if (today && strcmp (text, today) > 0)
        return "is in the future";
    return NULL;
}

bool
cf_resident_check_bsn (Caseflow__V1__Reply *reply, const char *field, const char *bsn)
{
    if (!bsn || !*bsn || cf_resident_bsn_valid (bsn))
        return true;
    return cf_api_reply_invalid (reply, field, "is not a BSN (9 digits passing the eleven-test)");
}

bool
cf_resident_check_phone (Caseflow__V1__Reply *reply, const char *field, const char *phone)
{
    if (!phone || !*phone || cf_resident_phone_valid (phone))
        return true;
    return cf_api_reply_invalid (
        reply, field,
        "is not a phone number (up to 32 digits, spaces, '+', '-', '(' and ')', "
        "at least 6 digits)");
}

bool
cf_resident_check_birth_date (Caseflow__V1__Reply *reply, const char *field, const char *text,
                              const char *today)
{
    if (!text || !*text)
        return true;
    const char *problem = cf_resident_birth_date_problem (text, today);
    if (!problem)
        return true;
    if (today && strcmp (problem, "is in the future") == 0)
        return cf_api_reply_invalid (reply, field, "is in the future (today is %s)", today);
    return cf_api_reply_invalid (reply, field, "%s", problem);
}

static bool
s_space (char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

size_t
cf_resident_name_key (const char *name, const char *birth_date, char *key, size_t size)
{
    key [0] = 0;
    if (!name || !*name || !birth_date || !*birth_date)
        return 0;
    size_t len = 0;
    bool space = false;
    for (const char *p = name; *p && len + 1 < size; p++) {
        if (s_space (*p)) {
            space = len > 0;
            continue;
        }
        if (space && len + 2 < size)
            key [len++] = ' ';
        space = false;
        char c = *p;
        key [len++] = c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
    }
    key [len] = 0;
    if (len == 0)
        return 0;
    //  "\n" and the date, cut to fit like snprintf would.
    size_t date_len = strlen (birth_date);
    if (len + 1 < size) {
        key [len++] = '\n';
        if (date_len > size - len - 1)
            date_len = size - len - 1;
        memcpy (key + len, birth_date, date_len);
        len += date_len;
        key [len] = 0;
    }
    return len;
}

Caseflow__V1__AgeBand
cf_resident_age_band (const char *birth_date, const char *today)
{
    int by, bm, bd, ty, tm, td;
    if (!birth_date || !today || sscanf (birth_date, "%4d-%2d-%2d", &by, &bm, &bd) != 3
        || sscanf (today, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
        return CASEFLOW__V1__AGE_BAND__AGE_BAND_UNSPECIFIED;
    //  Whole years: one less while this year's birthday is still to come.
    int age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
    if (age < 18)
        return CASEFLOW__V1__AGE_BAND__AGE_BAND_0_17;
    if (age < 27)
        return CASEFLOW__V1__AGE_BAND__AGE_BAND_18_26;
    if (age < 67)
        return CASEFLOW__V1__AGE_BAND__AGE_BAND_27_66;
    return CASEFLOW__V1__AGE_BAND__AGE_BAND_67_PLUS;
}
