//  cf_log: JSON-lines logger on stderr.
//
//  Each line is a jansson object dumped compact, so the escaping of
//  quotes, backslashes and control characters is the library's, and the
//  line is valid JSON whatever the message holds: text that is not UTF-8
//  has its stray bytes replaced by U+FFFD (jansson would refuse it).
#include "cf_log.h"

#include "cf_error.h"
#include "cf_text.h"

#include <assert.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char s_service [64] = "caseflow";
static cf_log_level_t s_level = CF_LOG_INFO;
static const char *s_level_names [] = { "debug", "info", "warn", "error" };

void
cf_log_init (const char *service, cf_log_level_t level)
{
    snprintf (s_service, sizeof s_service, "%s", service ? service : "caseflow");
    s_level = level;
}

int
cf_log_level_parse (const char *text, cf_log_level_t *level_p)
{
    for (int level = CF_LOG_DEBUG; level <= CF_LOG_ERROR; level++)
        if (text && strcmp (text, s_level_names [level]) == 0) {
            *level_p = (cf_log_level_t) level;
            return 0;
        }
    return CF_EINVAL;
}

bool
cf_log_enabled (cf_log_level_t level)
{
    return level >= s_level;
}

//  A copy of `text` that is valid UTF-8: each byte that does not begin a
//  well-formed sequence becomes U+FFFD. A log line must stay one valid
//  JSON object whatever a message quotes (a peer's routing id, a value
//  cut short by the message's bound), and jansson refuses a string that
//  is not UTF-8 rather than guess; the replacement keeps the rest of the
//  line readable. Fresh (free with free).
static char *
s_valid_utf8 (const char *text, size_t size)
{
    static const char replacement [] = "\xEF\xBF\xBD";
    char *copy = malloc (size * 3 + 1);
    assert (copy);
    size_t len = 0;
    for (size_t i = 0; i < size;) {
        size_t step = cf_text_utf8_char (text + i, size - i);
        if (step == 0) {
            memcpy (copy + len, replacement, 3);
            len += 3;
            i++;
        } else {
            memcpy (copy + len, text + i, step);
            len += step;
            i += step;
        }
    }
    copy [len] = 0;
    return copy;
}

//  Sets `key` of `line` to `text` as a JSON string.
static void
s_set_text (json_t *line, const char *key, const char *text)
{
    size_t size = strlen (text);
    json_t *value = json_stringn (text, size);
    if (!value) {
        char *valid = s_valid_utf8 (text, size);
        value = json_string (valid);
        free (valid);
    }
    assert (value);
    json_object_set_new (line, key, value);
}

void
cf_log (cf_log_level_t level, const char *fmt, ...)
{
    if (level < s_level)
        return;
    char message [2048];
    va_list args;
    va_start (args, fmt);
    vsnprintf (message, sizeof message, fmt, args);
    va_end (args);

    struct timeval now;
    gettimeofday (&now, NULL);
    struct tm utc;
    gmtime_r (&now.tv_sec, &utc);
    char ts [40];
    size_t ts_len = strftime (ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf (ts + ts_len, sizeof ts - ts_len, ".%03dZ", (int) (now.tv_usec / 1000));
    //  jansson keeps the keys in the order they were set.
    json_t *line = json_object ();
    assert (line);
    s_set_text (line, "ts", ts);
    s_set_text (line, "level", s_level_names [level]);
    s_set_text (line, "service", s_service);
    s_set_text (line, "msg", message);
    //  Escaped control characters take six bytes each: the buffer holds
    //  every line but one of unusual bytes, which gets one of its size.
    char buffer [8192];
    size_t size = json_dumpb (line, buffer, sizeof buffer - 1, JSON_COMPACT);
    char *text = buffer;
    if (size >= sizeof buffer - 1) {
        text = json_dumps (line, JSON_COMPACT);
        assert (text);
        size = strlen (text);
        text = realloc (text, size + 1 + 1);
        assert (text);
    }
    json_decref (line);
    text [size++] = '\n';
    //  One write per line, so lines from several threads never interleave.
    ssize_t written = write (STDERR_FILENO, text, size);
    (void) written;
    if (text != buffer)
        free (text);
}
