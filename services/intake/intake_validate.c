//  intake_validate: pure checks (see intake_validate.h).
#include "intake_validate.h"

#include "cf_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool
intake_bsn_valid (const char *bsn)
{
    if (strlen (bsn) != 9)
        return false;
    int sum = 0;
    bool all_zero = true;
    for (int i = 0; i < 9; i++) {
        if (bsn [i] < '0' || bsn [i] > '9')
            return false;
        int digit = bsn [i] - '0';
        if (digit)
            all_zero = false;
        sum += i < 8 ? (9 - i) * digit : -digit;
    }
    return !all_zero && sum % 11 == 0;
}

static bool
s_digits (const char *text, size_t count, int *value_p)
{
    int value = 0;
    for (size_t i = 0; i < count; i++) {
        if (text [i] < '0' || text [i] > '9')
            return false;
        value = value * 10 + (text [i] - '0');
    }
    *value_p = value;
    return true;
}

bool
intake_date_valid (const char *text)
{
    int year, month, day;
    if (strlen (text) != 10 || text [4] != '-' || text [7] != '-' || !s_digits (text, 4, &year)
        || !s_digits (text + 5, 2, &month) || !s_digits (text + 8, 2, &day))
        return false;
    if (year < 1000 || month < 1 || month > 12 || day < 1)
        return false;
    static const int days [12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = days [month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= last;
}

static bool
s_id_valid (const char *id, bool slash)
{
    size_t len = strlen (id);
    if (len == 0 || len > INTAKE_MAX_ID)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id [i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                  || c == '.' || c == '_' || c == ':' || c == '-' || (slash && c == '/');
        if (!ok)
            return false;
    }
    return true;
}

bool
intake_id_valid (const char *id)
{
    return s_id_valid (id, false);
}

bool
intake_reminder_id_valid (const char *id)
{
    return s_id_valid (id, true);
}

bool
intake_phone_valid (const char *phone)
{
    size_t len = strlen (phone);
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
intake_text_problem (const char *text, size_t max, bool multiline)
{
    size_t len = strlen (text);
    if (len > max)
        return "too long";
    const unsigned char *s = (const unsigned char *) text;
    for (size_t i = 0; i < len;) {
        //  Printable ASCII, nearly all of it: one byte, nothing to decode.
        if (s [i] >= 0x20 && s [i] < 0x7F) {
            i++;
            continue;
        }
        if (s [i] < 0x20 || s [i] == 0x7F) {
            if (!(multiline && (s [i] == '\n' || s [i] == '\t')))
                return "contains control characters";
        }
        size_t step = cf_text_utf8_char (text + i, len - i);
        if (step == 0)
            return "not valid UTF-8";
        i += step;
    }
    return NULL;
}

bool
intake_text_blank (const char *text)
{
    for (; *text; text++)
        if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
            return false;
    return true;
}

char *
intake_case_id_format (uint64_t number, char *buf, size_t size)
{
    //  "C%06" PRIu64 without printf, which costs more than the rest of a
    //  lookup: ids are formatted and parsed several times per command.
    char digits [24], text [24];
    size_t count = 0;
    do {
        digits [count++] = (char) ('0' + number % 10);
        number /= 10;
    } while (number);
    while (count < 6)
        digits [count++] = '0';
    text [0] = 'C';
    for (size_t i = 0; i < count; i++)
        text [1 + i] = digits [count - 1 - i];
    //  Cut to fit, as snprintf would.
    size_t len = count + 1;
    if (size == 0)
        return buf;
    if (len > size - 1)
        len = size - 1;
    memcpy (buf, text, len);
    buf [len] = 0;
    return buf;
}

bool
intake_case_id_parse (const char *id, uint64_t *number_p)
{
    size_t len = strlen (id);
    //  "C" + at least 6 digits, at most 19 (fits uint64 without overflow).
    if (len < 7 || len > 20 || id [0] != 'C')
        return false;
    uint64_t number = 0;
    for (size_t i = 1; i < len; i++) {
        if (id [i] < '0' || id [i] > '9')
            return false;
        number = number * 10 + (uint64_t) (id [i] - '0');
    }
    if (number == 0)
        return false;
    //  Only the canonical spelling ("C%06" PRIu64): exactly six digits, or
    //  more without a leading zero. "C0000042" is not "C000042".
    if (len > 7 && id [1] == '0')
        return false;
    *number_p = number;
    return true;
}
