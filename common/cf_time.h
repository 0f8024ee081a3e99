//  cf_time: caseflow's time values, their text forms, and the clock.
//
//  Times are int64 microseconds since 1970-01-01T00:00:00Z everywhere (in
//  events, in memory, on the wire). Text forms are ISO 8601; a time without
//  an offset, or a date alone (meaning 00:00), is read in Europe/Amsterdam,
//  the municipality's time zone. Durations are written `14d`, `3h`, `90m`,
//  `2w`, `30s`, `250ms`, or combinations like `1d12h`.
//
//  The clock is the system clock or a manual clock that moves only when
//  told to (cf_clock_set, cf_clock_advance); tests and demos run weeks in
//  seconds with it.
#ifndef CF_TIME_H
#define CF_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_USEC_PER_SEC  INT64_C (1000000)
#define CF_USEC_PER_MIN  (60 * CF_USEC_PER_SEC)
#define CF_USEC_PER_HOUR (60 * CF_USEC_PER_MIN)
#define CF_USEC_PER_DAY  (24 * CF_USEC_PER_HOUR)

//  Makes Europe/Amsterdam the process's local time zone (sets TZ and calls
//  tzset). Call once at start, before any other thread exists.
void
cf_time_init (void);

//  Parses an ISO 8601 time: `2022-01-03`, `2022-01-03T09:03`,
//  `2022-01-03T09:03:00`, `2022-01-03T09:03:00.250`, each optionally
//  followed by `Z` or `+01:00` / `-0500`. Returns 0 and sets *at_p, or
//  CF_EINVAL for anything else (including impossible dates). Without an
//  offset, a wall-clock time in the hour skipped when summer time starts
//  is normalised by mktime (02:30 reads as 03:30+02:00), and one in the
//  hour repeated when it ends is one of its two instants.
int
cf_time_parse (const char *text, int64_t *at_p);

//  Parses a duration (see above) into microseconds, > 0.
//  Returns 0 or CF_EINVAL.
int
cf_duration_parse (const char *text, int64_t *micros_p);

//  Formats `at` as ISO 8601 in UTC (`2022-01-03T08:03:00Z`, with
//  milliseconds only when not zero) into `buf` (>= 32 bytes). Returns buf.
char *
cf_time_format_utc (int64_t at, char *buf, size_t size);

//  Formats `at` in Europe/Amsterdam with its offset
//  (`2022-01-03T09:03:00+01:00`) into `buf` (>= 32 bytes). Returns buf.
char *
cf_time_format_local (int64_t at, char *buf, size_t size);

//  Formats `at` as the Amsterdam calendar date `2022-01-03`. Returns buf.
char *
cf_time_format_date (int64_t at, char *buf, size_t size);

//  Days since 1970-01-01 of a proleptic Gregorian date (negative before):
//  exact for every year, no time zone involved. `month` 1-12, `day` 1-31,
//  not checked (callers validate dates first).
int64_t
cf_time_days_from_civil (int64_t year, int month, int day);

//  Wall-clock now from the system, microseconds since the epoch.
int64_t
cf_time_system_now (void);

//  Monotonic time in microseconds (for measuring intervals only).
int64_t
cf_time_monotonic (void);

//  ---------------------------------------------------------------- clock

typedef struct _cf_clock_t cf_clock_t;

//  A clock that reads the system time. Never NULL (aborts on no memory).
cf_clock_t *
cf_clock_new_system (void);

//  A manual clock that reads `start` until set or advanced.
cf_clock_t *
cf_clock_new_manual (int64_t start);

//  A manual clock with no reading of its own yet (a fresh store, no
//  --clock-start): it reads `reading` (the wall clock when it was made)
//  until the first cf_clock_set, which may go to any time, earlier too.
//  That set, an advance or cf_clock_fix gives it its reading; from then on
//  it is a manual clock like any other.
cf_clock_t *
cf_clock_new_provisional (int64_t reading);

//  True while a manual clock has no reading of its own (above).
bool
cf_clock_is_provisional (cf_clock_t *self);

//  Keeps a provisional clock's reading as its own: from now on it moves
//  only forward (the service does so when its first event is stamped).
void
cf_clock_fix (cf_clock_t *self);

//  Frees the clock, safe on NULL; nulls *self_p.
void
cf_clock_destroy (cf_clock_t **self_p);

//  Current time, microseconds since the epoch. A manual clock never goes
//  backwards; the system clock is clamped so that it never goes backwards
//  either (a step back of the wall clock reads as a pause).
int64_t
cf_clock_now (cf_clock_t *self);

bool
cf_clock_is_manual (cf_clock_t *self);

//  Manual clock: moves to `at`. Returns 0; CF_ESTATE if the clock is the
//  system clock; CF_EINVAL if `at` is before the current time (any time
//  is taken while the clock is provisional).
int
cf_clock_set (cf_clock_t *self, int64_t at);

//  Manual clock: moves forward by `micros` (> 0). Returns 0, CF_ESTATE
//  (system clock) or CF_EINVAL (micros <= 0 or overflow).
int
cf_clock_advance (cf_clock_t *self, int64_t micros);

#endif
