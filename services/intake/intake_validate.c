//  intake_validate: pure checks (see intake_validate.h).
#include "intake_validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
