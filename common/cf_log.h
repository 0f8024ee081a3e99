//  cf_log: the one logger. One JSON object per line on stderr:
//
//      {"ts":"2022-01-03T09:03:00.123Z","level":"info","service":"intake",
//       "msg":"rebuilt the state from 120 journal entries in 0.004 s; own stream at seq 80"}
//
//  Log lines name ids (case ids, request ids), never personal data.
//  Thread-safe: each line is written with one call.
#ifndef CF_LOG_H
#define CF_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CF_LOG_DEBUG = 0,
    CF_LOG_INFO = 1,
    CF_LOG_WARN = 2,
    CF_LOG_ERROR = 3,
} cf_log_level_t;

//  Sets the service name written on every line (copied; NULL: "caseflow")
//  and the lowest level written.
void
cf_log_init (const char *service, cf_log_level_t level);

//  Parses "debug", "info", "warn" or "error". Returns 0 or CF_EINVAL.
int
cf_log_level_parse (const char *text, cf_log_level_t *level_p);

//  True when lines of `level` are written.
bool
cf_log_enabled (cf_log_level_t level);

//  Writes one line; `fmt` is printf-style, the result (at most 2,047
//  bytes) is the line's "msg". Bytes of it that are not UTF-8 are written
//  as U+FFFD, so the line is valid JSON whatever the message quotes.
void
cf_log (cf_log_level_t level, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

#define cf_log_debug(...) cf_log (CF_LOG_DEBUG, __VA_ARGS__)
#define cf_log_info(...)  cf_log (CF_LOG_INFO, __VA_ARGS__)
#define cf_log_warn(...)  cf_log (CF_LOG_WARN, __VA_ARGS__)
#define cf_log_error(...) cf_log (CF_LOG_ERROR, __VA_ARGS__)

#endif
