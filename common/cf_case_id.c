//  cf_case_id: intake's case ids (see cf_case_id.h).
#include "cf_case_id.h"

#include "cf_streams.h"

#include <string.h>

//  The number part, "C" and digits, in canonical form: true with the
//  number.
static bool
s_number (const char *text, uint64_t *number_p)
{
    size_t len = strlen (text);
    //  "C" + at least 6 digits, at most 19 (fits uint64 without overflow).
    if (len < 7 || len > 20 || text [0] != 'C')
        return false;
    uint64_t number = 0;
    for (size_t i = 1; i < len; i++) {
        if (text [i] < '0' || text [i] > '9')
            return false;
        number = number * 10 + (uint64_t) (text [i] - '0');
    }
    //  Only the canonical spelling: exactly six digits, or more without a
    //  leading zero. "C0000042" is not "C000042".
    if (number == 0 || (len > 7 && text [1] == '0'))
        return false;
    *number_p = number;
    return true;
}

const char *
cf_case_id_shard_of (const char *stream)
{
    if (!cf_stream_of (stream, "intake"))
        return NULL;
    return stream [6] == '-' ? stream + 7 : stream + 6;
}

char *
cf_case_id_format (const char *shard, uint64_t number, char *buf, size_t size)
{
    //  "C%06" PRIu64 without printf, which costs more than the rest of a
    //  lookup: ids are formatted and parsed several times per command.
    char digits [24], text [CF_CASE_ID_SIZE];
    size_t count = 0;
    do {
        digits [count++] = (char) ('0' + number % 10);
        number /= 10;
    } while (number);
    while (count < 6)
        digits [count++] = '0';
    size_t len = 0;
    size_t shard_len = shard ? strlen (shard) : 0;
    if (shard_len && shard_len + 22 < sizeof text) {
        memcpy (text, shard, shard_len);
        len = shard_len;
        text [len++] = '-';
    }
    text [len++] = 'C';
    for (size_t i = 0; i < count; i++)
        text [len++] = digits [count - 1 - i];
    //  Cut to fit, as snprintf would.
    if (size == 0)
        return buf;
    if (len > size - 1)
        len = size - 1;
    memcpy (buf, text, len);
    buf [len] = 0;
    return buf;
}

bool
cf_case_id_parse (const char *id, const char *shard, uint64_t *number_p)
{
    size_t shard_len = shard ? strlen (shard) : 0;
    if (shard_len) {
        if (strncmp (id, shard, shard_len) != 0 || id [shard_len] != '-')
            return false;
        id += shard_len + 1;
    }
    return s_number (id, number_p);
}

bool
cf_case_id_valid (const char *id, char *shard, size_t size)
{
    if (!id)
        return false;
    uint64_t number;
    //  The shard is everything before the last "-C".
    const char *dash = strrchr (id, '-');
    if (!dash) {
        if (!s_number (id, &number))
            return false;
        if (shard && size)
            *shard = 0;
        return true;
    }
    size_t shard_len = (size_t) (dash - id);
    char stream [CF_STREAM_MAX + 8] = "intake-";
    if (shard_len == 0 || shard_len > CF_STREAM_MAX - 7 || !s_number (dash + 1, &number))
        return false;
    memcpy (stream + 7, id, shard_len);
    stream [7 + shard_len] = 0;
    if (!cf_stream_name_valid (stream))
        return false;
    if (shard && size) {
        size_t copy = shard_len < size - 1 ? shard_len : size - 1;
        memcpy (shard, id, copy);
        shard [copy] = 0;
    }
    return true;
}
