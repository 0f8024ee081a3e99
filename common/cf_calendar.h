//  cf_calendar: calendar dates, working days and the Dutch public holidays,
//  in Europe/Amsterdam.
//
//  A date is written "YYYY-MM-DD" and is a real day of the Gregorian
//  calendar in the years 1900-9999: one rule for every date caseflow
//  reads (birth dates, a group track's start, holidays); see
//  docs/vocabulary.md. A working day is Monday to Friday and not a public
//  holiday of the calendar. A calendar holds listed holidays and, when
//  asked for ("nl"), the Dutch public holidays of every year, computed:
//
//      New Year's Day           1 January
//      Easter Sunday, Monday    by the Gregorian computus
//      King's Day               27 April, 26 April when the 27th is a Sunday
//                               (from 2014; before, Queen's Day: 30 April,
//                               29 April when the 30th is a Sunday)
//      Liberation Day           5 May
//      Ascension Day            Easter + 39 days
//      Whit Sunday, Monday      Easter + 49 and + 50 days
//      Christmas                25 and 26 December
//
//  Good Friday is not among them: it is not a general day off in the
//  Netherlands (most collective agreements, the care sector's included,
//  do not grant it); Liberation Day is (a national holiday, a day off in
//  many organisations). Notification's `--holidays` chooses a service's
//  calendar (default "nl"); caseflowctl uses the default.
//
//  The functions on instants read and write local wall-clock time through
//  localtime_r / mktime, so cf_time_init (TZ=Europe/Amsterdam) must have
//  run first; daylight saving time is handled by mktime (a date plus a
//  wall-clock time is always the instant that wall clock shows that day).
//  Times are int64 microseconds since the epoch, as everywhere in caseflow.
#ifndef CF_CALENDAR_H
#define CF_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The years a date may name.
#define CF_DATE_YEAR_MIN 1900
#define CF_DATE_YEAR_MAX 9999

//  The default holidays: the Dutch public holidays of every year.
#define CF_CALENDAR_DEFAULT_HOLIDAYS "nl"

//  Hour (local) at which something moved off a non-working day falls due.
#define CF_CALENDAR_WORKDAY_START_HOUR 9

typedef struct {
    int32_t *holidays;  //  listed holidays: sorted, unique, as yyyymmdd numbers
    size_t holiday_count;
    bool dutch;  //  and the Dutch public holidays of every year
} cf_calendar_t;

//  ---------------------------------------------------------------- dates

//  The date `text` (exactly `len` bytes, "YYYY-MM-DD", a real date in the
//  years CF_DATE_YEAR_MIN-CF_DATE_YEAR_MAX) as the number yyyymmdd, or -1.
int32_t
cf_calendar_date_key (const char *text, size_t len);

//  True when `text` (may be NULL: false) is such a date.
bool
cf_calendar_date_valid (const char *text);

//  True when the date yyyymmdd `key` is a Dutch public holiday (the list
//  above).
bool
cf_calendar_dutch_holiday (int32_t key);

//  ------------------------------------------------------------- calendars

//  The default calendar (CF_CALENDAR_DEFAULT_HOLIDAYS). Static; never NULL.
const cf_calendar_t *
cf_calendar_default (void);

//  Parses a comma-separated list of items into `calendar` (its previous
//  holidays are freed): dates ("2022-12-27") and "nl" (the Dutch public
//  holidays of every year); spaces around items allowed; empty text: no
//  holidays. Returns 0, or -1 when an item is neither: then *bad_p (if
//  not NULL) points at the offending item inside `text` and `calendar` is
//  left empty.
int
cf_calendar_parse (cf_calendar_t *calendar, const char *text, const char **bad_p);

//  Copies `from` into `to` (deep). `to` must be empty or zeroed.
void
cf_calendar_copy (cf_calendar_t *to, const cf_calendar_t *from);

//  Frees the holidays; leaves the calendar empty.
void
cf_calendar_clear (cf_calendar_t *calendar);

//  True when the local date of `at` is a holiday of the calendar (listed
//  or, for a Dutch calendar, a Dutch public holiday).
bool
cf_calendar_is_holiday (const cf_calendar_t *calendar, int64_t at);

//  True when the local date of `at` is a working day.
bool
cf_calendar_is_working_day (const cf_calendar_t *calendar, int64_t at);

//  `at` itself when it falls on a working day; otherwise 09:00 local time
//  on the next working day.
int64_t
cf_calendar_shift (const cf_calendar_t *calendar, int64_t at);

//  The same local wall-clock time `days` working days after `at` (each
//  step moves to the next working day). `days` 0 returns `at`.
int64_t
cf_calendar_add_working_days (const cf_calendar_t *calendar, int64_t at, unsigned days);

//  The same local wall-clock time `days` calendar days after `at` (may be
//  negative): 14 days before 2022-07-01T00:00+02:00 is 2022-06-17T00:00+02:00
//  whatever the daylight saving time in between.
int64_t
cf_calendar_add_days (int64_t at, int days);

//  The same local wall-clock time on the same calendar date `years` years
//  after `at` (may be negative): 7 years after 2022-03-01T10:00 is
//  2029-03-01T10:00, leap days in between or not. 29 February moves to 1
//  March in a year without one (the day after 28 February, as the law
//  counts a period ending on a day that does not exist).
int64_t
cf_calendar_add_years (int64_t at, int years);

//  The first instant of the local day after the day of `at` (its end).
int64_t
cf_calendar_day_end (int64_t at);

//  The first instant of the local day of `at`.
int64_t
cf_calendar_day_start (int64_t at);

#endif
