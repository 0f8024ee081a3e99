//  notification_calendar: working days, public holidays and local calendar
//  arithmetic (see notification_calendar.h).
//
//  Everything goes through struct tm in local time: an instant is split
//  into its local date and wall-clock time with localtime_r, the date is
//  moved, and mktime (tm_isdst = -1: "whatever is in force that day") turns
//  it back into an instant. Sub-second parts are carried over unchanged.
#include "notification_calendar.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_USEC 1000000LL

static void
s_split (int64_t at, struct tm *tm, int64_t *micros_p)
{
    int64_t seconds = at / S_USEC;
    int64_t micros = at % S_USEC;
    if (micros < 0) {
        micros += S_USEC;
        seconds--;
    }
    time_t t = (time_t) seconds;
    struct tm *ok = localtime_r (&t, tm);
    assert (ok);
    *micros_p = micros;
}

static int64_t
s_join (struct tm *tm, int64_t micros)
{
    tm->tm_isdst = -1;
    time_t t = mktime (tm);
    return (int64_t) t * S_USEC + micros;
}

static int32_t
s_day_key (const struct tm *tm)
{
    return (int32_t) ((tm->tm_year + 1900) * 10000 + (tm->tm_mon + 1) * 100 + tm->tm_mday);
}

static int
s_compare_days (const void *a, const void *b)
{
    int32_t x = *(const int32_t *) a, y = *(const int32_t *) b;
    return x < y ? -1 : x > y;
}

static bool
s_is_holiday (const notification_calendar_t *calendar, int32_t key)
{
    return calendar->holiday_count
           && bsearch (&key, calendar->holidays, calendar->holiday_count, sizeof key,
                       s_compare_days);
}

static bool
s_is_working (const notification_calendar_t *calendar, const struct tm *tm)
{
    if (tm->tm_wday == 0 || tm->tm_wday == 6)
        return false;
    return !s_is_holiday (calendar, s_day_key (tm));
}

//  Moves the date of `tm` one day on (at noon, far from any DST change)
//  and refreshes its weekday; the wall-clock fields are restored.
static void
s_next_day (struct tm *tm)
{
    int hour = tm->tm_hour, min = tm->tm_min, sec = tm->tm_sec;
    tm->tm_mday += 1;
    tm->tm_hour = 12;
    tm->tm_min = tm->tm_sec = 0;
    tm->tm_isdst = -1;
    time_t t = mktime (tm);
    struct tm *ok = localtime_r (&t, tm);
    assert (ok);
    tm->tm_hour = hour;
    tm->tm_min = min;
    tm->tm_sec = sec;
}

//  Reads one "YYYY-MM-DD" at `text` (length `len`). Returns its key or -1.
static int32_t
s_parse_date (const char *text, size_t len)
{
    if (len != 10 || text [4] != '-' || text [7] != '-')
        return -1;
    for (size_t i = 0; i < len; i++)
        if (i != 4 && i != 7 && !isdigit ((unsigned char) text [i]))
            return -1;
    int year = atoi (text), month = atoi (text + 5), day = atoi (text + 8);
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
        return -1;
    //  A real date: mktime must not have to normalise it.
    struct tm tm = { 0 };
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    mktime (&tm);
    if (tm.tm_mday != day || tm.tm_mon != month - 1)
        return -1;
    return year * 10000 + month * 100 + day;
}

int
notification_calendar_parse (notification_calendar_t *calendar, const char *text,
                             const char **bad_p)
{
    notification_calendar_clear (calendar);
    size_t cap = 8;
    int32_t *days = malloc (cap * sizeof *days);
    assert (days);
    size_t count = 0;
    const char *item = text;
    while (*item) {
        while (*item == ' ' || *item == '\t')
            item++;
        const char *end = item;
        while (*end && *end != ',')
            end++;
        size_t len = (size_t) (end - item);
        while (len && (item [len - 1] == ' ' || item [len - 1] == '\t'))
            len--;
        if (len) {
            int32_t key = s_parse_date (item, len);
            if (key < 0) {
                if (bad_p)
                    *bad_p = item;
                free (days);
                return -1;
            }
            if (count == cap) {
                cap *= 2;
                days = realloc (days, cap * sizeof *days);
                assert (days);
            }
            days [count++] = key;
        }
        item = *end ? end + 1 : end;
    }
    qsort (days, count, sizeof *days, s_compare_days);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++)
        if (unique == 0 || days [unique - 1] != days [i])
            days [unique++] = days [i];
    calendar->holidays = days;
    calendar->holiday_count = unique;
    return 0;
}

void
notification_calendar_copy (notification_calendar_t *to, const notification_calendar_t *from)
{
    to->holiday_count = from->holiday_count;
    to->holidays = malloc ((from->holiday_count + 1) * sizeof *to->holidays);
    assert (to->holidays);
    if (from->holiday_count)
        memcpy (to->holidays, from->holidays, from->holiday_count * sizeof *to->holidays);
}

void
notification_calendar_clear (notification_calendar_t *calendar)
{
    free (calendar->holidays);
    calendar->holidays = NULL;
    calendar->holiday_count = 0;
}

bool
notification_calendar_is_working_day (const notification_calendar_t *calendar, int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    return s_is_working (calendar, &tm);
}

int64_t
notification_calendar_shift (const notification_calendar_t *calendar, int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    if (s_is_working (calendar, &tm))
        return at;
    //  At most a year of holidays in a row: a calendar that blocks more is
    //  a configuration mistake, and the reminder then keeps its time.
    for (int i = 0; i < 366; i++) {
        s_next_day (&tm);
        if (s_is_working (calendar, &tm)) {
            tm.tm_hour = NOTIFICATION_WORKDAY_START_HOUR;
            tm.tm_min = tm.tm_sec = 0;
            return s_join (&tm, 0);
        }
    }
    return at;
}

int64_t
notification_calendar_add_working_days (const notification_calendar_t *calendar, int64_t at,
                                        unsigned days)
{
    if (days == 0)
        return at;
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    int guard = 0;
    while (days > 0 && guard++ < 366 * 10) {
        s_next_day (&tm);
        if (s_is_working (calendar, &tm))
            days--;
    }
    return s_join (&tm, micros);
}

int64_t
notification_calendar_add_days (int64_t at, int days)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_mday += days;
    return s_join (&tm, micros);
}

int64_t
notification_calendar_day_start (int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return s_join (&tm, 0);
}

int64_t
notification_calendar_day_end (int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_mday += 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return s_join (&tm, 0);
}

char *
notification_calendar_date (int64_t at, char *buf, size_t size)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    snprintf (buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}
