//  cf_time: ISO 8601 times and durations, and the clock (see cf_time.h).
//
//  A time with an explicit offset (`Z`, `+01:00`) is pure arithmetic on the
//  proleptic Gregorian calendar. A time without one is a wall-clock time in
//  Europe/Amsterdam and goes through the C library's time-zone database:
//  TZ is set once, then mktime (tm_isdst = -1, "find out") and localtime_r,
//  which are thread-safe and know every past and future DST rule.
//
//  Two wall-clock hours a year are odd, and we take mktime's answer for both:
//  - the hour skipped in spring (2022-03-27T02:30 does not exist in
//    Amsterdam): mktime normalises it, so it reads as an instant one hour
//    away (glibc: 03:30+02:00). Nobody schedules in that hour; refusing it
//    would only make scripts fail twice a year.
//  - the hour repeated in autumn (2022-10-30T02:30 happens twice): mktime
//    picks one of the two (glibc: the second, 02:30+01:00). Write an offset
//    to be exact.
#include "cf_time.h"

#include "cf_error.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct _cf_clock_t {
    bool manual;
    //  Manual, with no reading of its own yet: the first set may go to any
    //  time (cf_clock_new_provisional).
    atomic_bool provisional;
    //  Manual: the time it reads. System: the latest time read, so that a
    //  step back of the wall clock reads as a pause. Atomic because the
    //  HTTP thread and the loop thread may both read one clock.
    _Atomic int64_t now;
};

static pthread_once_t s_tz_once = PTHREAD_ONCE_INIT;

static void
s_tz_set (void)
{
    setenv ("TZ", "Europe/Amsterdam", 1);
    tzset ();
}

void
cf_time_init (void)
{
    pthread_once (&s_tz_once, s_tz_set);
}

//  Every function that reads local time makes sure the zone is set, so a
//  test or tool that forgot cf_time_init still gets Amsterdam, not UTC.
static void
s_tz_ensure (void)
{
    pthread_once (&s_tz_once, s_tz_set);
}

//  ---------------------------------------------------------------- parsing

static bool
s_is_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
s_days_in_month (int year, int month)
{
    static const int days [12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && s_is_leap (year) ? 29 : days [month - 1];
}

//  The era arithmetic of the proleptic Gregorian calendar (400-year eras
//  of 146,097 days; H. Hinnant's days_from_civil).
int64_t
cf_time_days_from_civil (int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = (year >= 0 ? year : year - 399) / 400;
    int64_t year_of_era = year - era * 400;
    int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

//  Reads exactly `count` digits at *text_p into *value_p and advances.
static bool
s_digits (const char **text_p, int count, int *value_p)
{
    int value = 0;
    for (int index = 0; index < count; index++) {
        char c = (*text_p) [index];
        if (c < '0' || c > '9')
            return false;
        value = value * 10 + (c - '0');
    }
    *text_p += count;
    *value_p = value;
    return true;
}

//  Reads `Z`, `+HH:MM`, `+HHMM` or `+HH` (or with '-') into seconds east
//  of UTC. Returns false if there is something else.
static bool
s_offset (const char **text_p, int *offset_p)
{
    const char *text = *text_p;
    if (*text == 'Z' || *text == 'z') {
        *text_p = text + 1;
        *offset_p = 0;
        return true;
    }
    if (*text != '+' && *text != '-')
        return false;
    int sign = *text++ == '-' ? -1 : 1;
    int hours, minutes = 0;
    if (!s_digits (&text, 2, &hours))
        return false;
    if (*text == ':') {
        text++;
        if (!s_digits (&text, 2, &minutes))
            return false;
    } else if (*text >= '0' && *text <= '9') {
        if (!s_digits (&text, 2, &minutes))
            return false;
    }
    if (hours > 23 || minutes > 59)
        return false;
    *text_p = text;
    *offset_p = sign * (hours * 3600 + minutes * 60);
    return true;
}

int
cf_time_parse (const char *text, int64_t *at_p)
{
    assert (at_p);
    if (!text)
        return CF_EINVAL;

    int year, month, day;
    const char *c = text;
    if (!s_digits (&c, 4, &year) || *c++ != '-' || !s_digits (&c, 2, &month) || *c++ != '-'
        || !s_digits (&c, 2, &day))
        return CF_EINVAL;
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > s_days_in_month (year, month))
        return CF_EINVAL;

    int hour = 0, minute = 0, second = 0;
    int64_t micros = 0;
    int offset = 0;
    bool has_offset = false;
    //  RFC 3339 allows a space for the 'T'; people type it.
    if (*c == 'T' || *c == 't' || *c == ' ') {
        c++;
        if (!s_digits (&c, 2, &hour) || *c++ != ':' || !s_digits (&c, 2, &minute))
            return CF_EINVAL;
        if (*c == ':') {
            c++;
            if (!s_digits (&c, 2, &second))
                return CF_EINVAL;
            if (*c == '.' || *c == ',') {
                c++;
                int count = 0;
                while (*c >= '0' && *c <= '9') {
                    //  Digits past microseconds are read and dropped.
                    if (count < 6)
                        micros = micros * 10 + (*c - '0');
                    count++;
                    c++;
                }
                if (count == 0 || count > 9)
                    return CF_EINVAL;
                for (; count < 6; count++)
                    micros *= 10;
            }
        }
        //  No leap seconds and no 24:00: neither exists in our events.
        if (hour > 23 || minute > 59 || second > 59)
            return CF_EINVAL;
        if (*c) {
            if (!s_offset (&c, &offset))
                return CF_EINVAL;
            has_offset = true;
        }
    }
    if (*c)
        return CF_EINVAL;

    int64_t seconds;
    if (has_offset)
        seconds = cf_time_days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60
                  + second - offset;
    else {
        s_tz_ensure ();
        struct tm local = {
            .tm_year = year - 1900,
            .tm_mon = month - 1,
            .tm_mday = day,
            .tm_hour = hour,
            .tm_min = minute,
            .tm_sec = second,
            .tm_isdst = -1,
        };
        //  -1 is also a valid answer (one second before the epoch), so the
        //  failure is told by errno.
        errno = 0;
        time_t made = mktime (&local);
        if (made == (time_t) -1 && errno != 0)
            return CF_EINVAL;
        seconds = (int64_t) made;
    }
    *at_p = seconds * CF_USEC_PER_SEC + micros;
    return 0;
}

int
cf_duration_parse (const char *text, int64_t *micros_p)
{
    assert (micros_p);
    if (!text || !*text)
        return CF_EINVAL;

    //  Units from largest to smallest; in a combination each unit appears
    //  once and in this order (`1d12h`, not `12h1d` or `1h1h`), which
    //  catches typos instead of summing them.
    static const struct {
        const char *name;
        int64_t micros;
    } units [] = {
        { "w", 7 * CF_USEC_PER_DAY }, { "d", CF_USEC_PER_DAY },
        { "h", CF_USEC_PER_HOUR },    { "ms", 1000 },  //  before "m", which is its prefix
        { "m", CF_USEC_PER_MIN },     { "s", CF_USEC_PER_SEC },
    };
    //  Ranks in size order; "ms" sits between "s" and nothing below it.
    static const int rank [] = { 0, 1, 2, 5, 3, 4 };

    int64_t total = 0;
    int last_rank = -1;
    const char *c = text;
    while (*c) {
        if (*c < '0' || *c > '9')
            return CF_EINVAL;
        int64_t number = 0;
        while (*c >= '0' && *c <= '9') {
            if (number > (INT64_MAX - 9) / 10)
                return CF_EINVAL;
            number = number * 10 + (*c++ - '0');
        }
        size_t unit = 0;
        size_t unit_count = sizeof units / sizeof units [0];
        for (; unit < unit_count; unit++)
            if (strncmp (c, units [unit].name, strlen (units [unit].name)) == 0)
                break;
        if (unit == unit_count || rank [unit] <= last_rank)
            return CF_EINVAL;
        last_rank = rank [unit];
        c += strlen (units [unit].name);
        if (number > (INT64_MAX - total) / units [unit].micros)
            return CF_EINVAL;
        total += number * units [unit].micros;
    }
    if (total <= 0)
        return CF_EINVAL;
    *micros_p = total;
    return 0;
}

//  ------------------------------------------------------------- formatting

//  Splits `at` into whole seconds and microseconds, rounding down, so that
//  times before the epoch format as the second they fall in.
static void
s_split (int64_t at, time_t *seconds_p, int *micros_p)
{
    int64_t seconds = at / CF_USEC_PER_SEC;
    int64_t micros = at % CF_USEC_PER_SEC;
    if (micros < 0) {
        seconds--;
        micros += CF_USEC_PER_SEC;
    }
    *seconds_p = (time_t) seconds;
    *micros_p = (int) micros;
}

//  Writes the date, time and (when not zero) milliseconds of `tm`.
static int
s_format_tm (const struct tm *tm, int micros, char *buf, size_t size)
{
    int len = snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", tm->tm_year + 1900,
                        tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
    if (micros / 1000 && len > 0 && (size_t) len < size)
        len += snprintf (buf + len, size - (size_t) len, ".%03d", micros / 1000);
    return len;
}

char *
cf_time_format_utc (int64_t at, char *buf, size_t size)
{
    assert (buf);
    assert (size >= 32);
    time_t seconds;
    int micros;
    s_split (at, &seconds, &micros);
    struct tm utc;
    if (!gmtime_r (&seconds, &utc)) {
        snprintf (buf, size, "invalid");
        return buf;
    }
    int len = s_format_tm (&utc, micros, buf, size);
    if (len > 0 && (size_t) len < size)
        snprintf (buf + len, size - (size_t) len, "Z");
    return buf;
}

char *
cf_time_format_local (int64_t at, char *buf, size_t size)
{
    assert (buf);
    assert (size >= 32);
    s_tz_ensure ();
    time_t seconds;
    int micros;
    s_split (at, &seconds, &micros);
    struct tm local;
    if (!localtime_r (&seconds, &local)) {
        snprintf (buf, size, "invalid");
        return buf;
    }
    int len = s_format_tm (&local, micros, buf, size);
    long offset = local.tm_gmtoff;
    char sign = offset < 0 ? '-' : '+';
    if (offset < 0)
        offset = -offset;
    if (len > 0 && (size_t) len < size)
        snprintf (buf + len, size - (size_t) len, "%c%02ld:%02ld", sign, offset / 3600,
                  offset / 60 % 60);
    return buf;
}

char *
cf_time_format_date (int64_t at, char *buf, size_t size)
{
    assert (buf);
    assert (size > 0);
    //  Services ask for today's date per command. A local date changes
    //  only on a minute boundary (zones are whole quarters of an hour from
    //  UTC), so the last minute's answer is kept, per thread.
    static _Thread_local int64_t cached_minute = INT64_MIN;
    static _Thread_local char cached [40];
    time_t seconds;
    int micros;
    s_split (at, &seconds, &micros);
    int64_t minute = (int64_t) seconds / 60 - ((int64_t) seconds % 60 < 0);
    if (minute != cached_minute) {
        s_tz_ensure ();
        struct tm local;
        if (!localtime_r (&seconds, &local))
            snprintf (cached, sizeof cached, "invalid");
        else
            snprintf (cached, sizeof cached, "%04d-%02d-%02d", local.tm_year + 1900,
                      local.tm_mon + 1, local.tm_mday);
        cached_minute = minute;
    }
    snprintf (buf, size, "%s", cached);
    return buf;
}

//  ------------------------------------------------------------------- now

static int64_t
s_read (clockid_t id)
{
    struct timespec now;
    int rc = clock_gettime (id, &now);
    assert (rc == 0);
    return (int64_t) now.tv_sec * CF_USEC_PER_SEC + now.tv_nsec / 1000;
}

int64_t
cf_time_system_now (void)
{
    return s_read (CLOCK_REALTIME);
}

int64_t
cf_time_monotonic (void)
{
    return s_read (CLOCK_MONOTONIC);
}

//  ----------------------------------------------------------------- clock

static cf_clock_t *
s_clock_new (bool manual, int64_t start)
{
    cf_clock_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->manual = manual;
    atomic_init (&self->now, start);
    return self;
}

cf_clock_t *
cf_clock_new_system (void)
{
    return s_clock_new (false, cf_time_system_now ());
}

cf_clock_t *
cf_clock_new_manual (int64_t start)
{
    return s_clock_new (true, start);
}

cf_clock_t *
cf_clock_new_provisional (int64_t reading)
{
    cf_clock_t *self = s_clock_new (true, reading);
    atomic_init (&self->provisional, true);
    return self;
}

bool
cf_clock_is_provisional (cf_clock_t *self)
{
    assert (self);
    return atomic_load (&self->provisional);
}

void
cf_clock_fix (cf_clock_t *self)
{
    assert (self);
    atomic_store (&self->provisional, false);
}

void
cf_clock_destroy (cf_clock_t **self_p)
{
    assert (self_p);
    free (*self_p);
    *self_p = NULL;
}

int64_t
cf_clock_now (cf_clock_t *self)
{
    assert (self);
    if (self->manual)
        return atomic_load (&self->now);

    //  Remember the latest reading; a wall clock stepped back (NTP, an
    //  operator) reads as a pause instead of time running backwards.
    int64_t now = cf_time_system_now ();
    int64_t last = atomic_load (&self->now);
    while (now > last)
        if (atomic_compare_exchange_weak (&self->now, &last, now))
            return now;
    return last;
}

bool
cf_clock_is_manual (cf_clock_t *self)
{
    assert (self);
    return self->manual;
}

int
cf_clock_set (cf_clock_t *self, int64_t at)
{
    assert (self);
    if (!self->manual)
        return CF_ESTATE;
    //  Only the loop thread moves a clock; others only read it.
    if (atomic_load (&self->provisional)) {
        atomic_store (&self->now, at);
        atomic_store (&self->provisional, false);
        return 0;
    }
    int64_t now = atomic_load (&self->now);
    do {
        if (at < now)
            return CF_EINVAL;
    } while (!atomic_compare_exchange_weak (&self->now, &now, at));
    return 0;
}

int
cf_clock_advance (cf_clock_t *self, int64_t micros)
{
    assert (self);
    if (!self->manual)
        return CF_ESTATE;
    if (micros <= 0)
        return CF_EINVAL;
    int64_t now = atomic_load (&self->now);
    do {
        if (now > INT64_MAX - micros)
            return CF_EINVAL;
    } while (!atomic_compare_exchange_weak (&self->now, &now, now + micros));
    atomic_store (&self->provisional, false);
    return 0;
}
