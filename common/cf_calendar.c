//  cf_calendar: dates, working days, public holidays and local calendar
//  arithmetic (see cf_calendar.h).
//
//  Instants go through struct tm in local time: an instant is split into
//  its local date and wall-clock time with localtime_r, the date is moved,
//  and mktime (tm_isdst = -1: "whatever is in force that day") turns it
//  back into an instant. Sub-second parts are carried over unchanged.
//  Dates alone (checking one, the holidays of a year) are integer
//  arithmetic on day numbers, no time zone involved.
#include "cf_calendar.h"

#include "cf_time.h"

#include <assert.h>
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

//  ---------------------------------------------------------------- dates

//  0 Sunday .. 6 Saturday, as struct tm's tm_wday (1970-01-01 was a Thursday).
static int
s_weekday (int64_t days)
{
    int weekday = (int) ((days + 4) % 7);
    return weekday < 0 ? weekday + 7 : weekday;
}

static bool
s_leap (int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int32_t
cf_calendar_date_key (const char *text, size_t len)
{
    if (!text || len != 10 || text [4] != '-' || text [7] != '-')
        return -1;
    int value [3] = { 0, 0, 0 }, part = 0;
    for (size_t i = 0; i < len; i++) {
        if (i == 4 || i == 7) {
            part++;
            continue;
        }
        if (text [i] < '0' || text [i] > '9')
            return -1;
        value [part] = value [part] * 10 + (text [i] - '0');
    }
    int year = value [0], month = value [1], day = value [2];
    static const int s_days [12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < CF_DATE_YEAR_MIN || year > CF_DATE_YEAR_MAX || month < 1 || month > 12 || day < 1
        || day > s_days [month - 1] + (month == 2 && s_leap (year)))
        return -1;
    return (int32_t) (year * 10000 + month * 100 + day);
}

bool
cf_calendar_date_valid (const char *text)
{
    return text && cf_calendar_date_key (text, strlen (text)) >= 0;
}

//  Easter Sunday of `year` as a day number: the anonymous Gregorian
//  computus (Meeus/Jones/Butcher).
static int64_t
s_easter (int year)
{
    int a = year % 19, b = year / 100, c = year % 100;
    int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return cf_time_days_from_civil (year, month, day);
}

bool
cf_calendar_dutch_holiday (int32_t key)
{
    int year = key / 10000, month = key / 100 % 100, day = key % 100;
    if ((month == 1 && day == 1) || (month == 5 && day == 5)
        || (month == 12 && day >= 25 && day <= 26))
        return true;
    if (month == 4) {
        //  The monarch's day moves to Saturday when it falls on a Sunday.
        int date = year >= 2014 ? 27 : 30;
        if (s_weekday (cf_time_days_from_civil (year, 4, date)) == 0)
            date--;
        if (day == date)
            return true;
    }
    if (month < 3 || month > 6)
        return false;  //  Easter is 22 March - 25 April; Whit Monday by 14 June
    int64_t offset = cf_time_days_from_civil (year, month, day) - s_easter (year);
    return offset == 0 || offset == 1 || offset == 39 || offset == 49 || offset == 50;
}

//  ------------------------------------------------------------- calendars

static bool
s_is_holiday (const cf_calendar_t *calendar, int32_t key)
{
    return (calendar->holiday_count
            && bsearch (&key, calendar->holidays, calendar->holiday_count, sizeof key,
                        s_compare_days))
           || (calendar->dutch && cf_calendar_dutch_holiday (key));
}

static bool
s_is_working (const cf_calendar_t *calendar, const struct tm *tm)
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

const cf_calendar_t *
cf_calendar_default (void)
{
    static const cf_calendar_t s_default = { .dutch = true };
    return &s_default;
}

int
cf_calendar_parse (cf_calendar_t *calendar, const char *text, const char **bad_p)
{
    cf_calendar_clear (calendar);
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
        bool dutch = len == 2 && strncmp (item, "nl", 2) == 0;
        if (dutch)
            calendar->dutch = true;
        else if (len) {
            int32_t key = cf_calendar_date_key (item, len);
            if (key < 0) {
                if (bad_p)
                    *bad_p = item;
                free (days);
                calendar->dutch = false;
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
cf_calendar_copy (cf_calendar_t *to, const cf_calendar_t *from)
{
    to->holiday_count = from->holiday_count;
    to->dutch = from->dutch;
    to->holidays = malloc ((from->holiday_count + 1) * sizeof *to->holidays);
    assert (to->holidays);
    if (from->holiday_count)
        memcpy (to->holidays, from->holidays, from->holiday_count * sizeof *to->holidays);
}

void
cf_calendar_clear (cf_calendar_t *calendar)
{
    free (calendar->holidays);
    calendar->holidays = NULL;
    calendar->holiday_count = 0;
    calendar->dutch = false;
}

bool
cf_calendar_is_holiday (const cf_calendar_t *calendar, int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    return s_is_holiday (calendar, s_day_key (&tm));
}

bool
cf_calendar_is_working_day (const cf_calendar_t *calendar, int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    return s_is_working (calendar, &tm);
}

int64_t
cf_calendar_shift (const cf_calendar_t *calendar, int64_t at)
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
            tm.tm_hour = CF_CALENDAR_WORKDAY_START_HOUR;
            tm.tm_min = tm.tm_sec = 0;
            return s_join (&tm, 0);
        }
    }
    return at;
}

int64_t
cf_calendar_add_working_days (const cf_calendar_t *calendar, int64_t at, unsigned days)
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
cf_calendar_add_days (int64_t at, int days)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_mday += days;
    return s_join (&tm, micros);
}

int64_t
cf_calendar_add_years (int64_t at, int years)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    //  mktime turns 29 February of a common year into 1 March.
    tm.tm_year += years;
    return s_join (&tm, micros);
}

int64_t
cf_calendar_day_start (int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return s_join (&tm, 0);
}

int64_t
cf_calendar_day_end (int64_t at)
{
    struct tm tm;
    int64_t micros;
    s_split (at, &tm, &micros);
    tm.tm_mday += 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return s_join (&tm, 0);
}
