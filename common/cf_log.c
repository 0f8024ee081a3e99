//  cf_log: JSON-lines logger on stderr.
#include "cf_log.h"

#include "cf_error.h"

#include <stdarg.h>
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

void
cf_json_escape (char *out, size_t cap, size_t *len_p, const char *text)
{
    size_t len = *len_p;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++) {
        char esc [8];
        const char *piece = esc;
        if (*c == '"')
            piece = "\\\"";
        else if (*c == '\\')
            piece = "\\\\";
        else if (*c == '\n')
            piece = "\\n";
        else if (*c == '\t')
            piece = "\\t";
        else if (*c < 0x20)
            snprintf (esc, sizeof esc, "\\u%04x", *c);
        else {
            esc [0] = (char) *c;
            esc [1] = 0;
        }
        size_t piece_len = strlen (piece);
        if (len + piece_len + 1 > cap)
            break;
        memcpy (out + len, piece, piece_len);
        len += piece_len;
    }
    out [len] = 0;
    *len_p = len;
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
    char line [4096];
    size_t len = (size_t) snprintf (
        line, sizeof line,
        "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\",\"service\":\"",
        utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
        (long) now.tv_usec / 1000, s_level_names [level]);
    cf_json_escape (line, sizeof line - 16, &len, s_service);
    len += (size_t) snprintf (line + len, sizeof line - len, "\",\"msg\":\"");
    cf_json_escape (line, sizeof line - 4, &len, message);
    len += (size_t) snprintf (line + len, sizeof line - len, "\"}\n");
    //  One write per line, so lines from several threads never interleave.
    ssize_t written = write (STDERR_FILENO, line, len);
    (void) written;
}
