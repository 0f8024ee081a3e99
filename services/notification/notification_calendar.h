//  notification_calendar: working days, public holidays and the local
//  calendar arithmetic reminders need, in Europe/Amsterdam.
//
//  A working day is Monday to Friday and not a configured public holiday.
//  Every function reads and writes local wall-clock time through
//  localtime_r / mktime, so cf_time_init (TZ=Europe/Amsterdam) must have
//  run first; daylight saving time is handled by mktime (a date plus a
//  wall-clock time is always the instant that wall clock shows that day).
//  Times are int64 microseconds since the epoch, as everywhere in caseflow.
#ifndef NOTIFICATION_CALENDAR_H
#define NOTIFICATION_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The Dutch public holidays of 2022 (the default of --holidays). Good
//  Friday is not among them: it is not a general day off in the
//  Netherlands (services/notification/README.md).
#define NOTIFICATION_DEFAULT_HOLIDAYS                                               \
    "2022-01-01,2022-04-17,2022-04-18,2022-04-27,2022-05-05,2022-05-26,2022-06-05," \
    "2022-06-06,2022-12-25,2022-12-26"

//  Hour (local) at which a reminder moved off a non-working day falls due.
#define NOTIFICATION_WORKDAY_START_HOUR 9

typedef struct {
    int32_t *holidays;  //  sorted, unique, as yyyymmdd numbers
    size_t holiday_count;
} notification_calendar_t;

//  Parses a comma-separated list of dates ("2022-01-01,2022-04-18"; spaces
//  around items allowed; empty text: no holidays) into `calendar` (its
//  previous holidays are freed). Returns 0, or -1 when an item is not a
//  real YYYY-MM-DD date: then *bad_p (if not NULL) points at the offending
//  item inside `text` and `calendar` is left empty.
int
notification_calendar_parse (notification_calendar_t *calendar, const char *text,
                             const char **bad_p);

//  Copies `from` into `to` (deep). `to` must be empty or zeroed.
void
notification_calendar_copy (notification_calendar_t *to, const notification_calendar_t *from);

//  Frees the holidays; leaves the calendar empty.
void
notification_calendar_clear (notification_calendar_t *calendar);

//  True when the local date of `at` is a working day.
bool
notification_calendar_is_working_day (const notification_calendar_t *calendar, int64_t at);

//  `at` itself when it falls on a working day; otherwise 09:00 local time
//  on the next working day.
int64_t
notification_calendar_shift (const notification_calendar_t *calendar, int64_t at);

//  The same local wall-clock time `days` working days after `at` (each
//  step moves to the next working day). `days` 0 returns `at`.
int64_t
notification_calendar_add_working_days (const notification_calendar_t *calendar, int64_t at,
                                        unsigned days);

//  The same local wall-clock time `days` calendar days after `at` (may be
//  negative): 14 days before 2022-07-01T00:00+02:00 is 2022-06-17T00:00+02:00
//  whatever the daylight saving time in between.
int64_t
notification_calendar_add_days (int64_t at, int days);

//  The first instant of the local day after the day of `at` (its end).
int64_t
notification_calendar_day_end (int64_t at);

//  The first instant of the local day of `at`.
int64_t
notification_calendar_day_start (int64_t at);

//  The local date of `at` as "YYYY-MM-DD" into `buf` (>= 11 bytes).
//  Returns buf.
char *
notification_calendar_date (int64_t at, char *buf, size_t size);

#endif
