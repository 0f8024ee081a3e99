//  ctl_values: the words of CLI.md for values, and parsing them.
#include "ctl.h"

#include "cf_time.h"
#include "cf_words.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
ctl_parse_time (const char *flag, const char *text, int64_t *at_p)
{
    if (cf_time_parse (text, at_p) != 0)
        return ctl_usage_error ("--%s: \"%s\" is not a time (use e.g. 2022-01-03, "
                                "2022-01-03T09:03 or 2022-01-03T09:03:00+01:00)",
                                flag, text);
    return CTL_OK;
}

int
ctl_parse_duration (const char *flag, const char *text, int64_t *micros_p)
{
    if (cf_duration_parse (text, micros_p) != 0)
        return ctl_usage_error ("%s: \"%s\" is not a duration (use e.g. 14d, 2w, 3h, 90m)", flag,
                                text);
    return CTL_OK;
}

int
ctl_parse_uint (const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *value_p)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull (text, &end, 10);
    if (!*text || *end || errno || !isdigit ((unsigned char) *text) || value < min || value > max)
        return ctl_usage_error ("--%s: \"%s\" is not a whole number from %llu to %llu", flag, text,
                                (unsigned long long) min, (unsigned long long) max);
    *value_p = value;
    return CTL_OK;
}

char **
ctl_split (const char *text, size_t *count_p)
{
    size_t cap = 1;
    for (const char *c = text; *c; c++)
        cap += *c == ',';
    char **items = calloc (cap, sizeof *items);
    size_t count = 0;
    const char *start = text;
    while (items) {
        const char *comma = strchr (start, ',');
        size_t len = comma ? (size_t) (comma - start) : strlen (start);
        while (len && isspace ((unsigned char) *start)) {
            start++;
            len--;
        }
        while (len && isspace ((unsigned char) start [len - 1]))
            len--;
        if (len)
            items [count++] = strndup (start, len);
        if (!comma)
            break;
        start = comma + 1;
    }
    *count_p = count;
    return items;
}

void
ctl_strings_free (char **strings, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free (strings [i]);
    free (strings);
}

//  The words are cf_words' (one table per enum for services and CLI);
//  the command line shows "unspecified" for a value without one.
static const char *
s_name (const cf_words_t *table, int value)
{
    const char *word = cf_words_find (table, value);
    return word ? word : "unspecified";
}

const char *
ctl_domain_name (Caseflow__V1__Domain domain)
{
    return s_name (&cf_words_domain, (int) domain);
}

int
ctl_domain_parse (const char *word)
{
    return cf_words_parse (&cf_words_domain, word);
}

const char *
ctl_urgency_name (Caseflow__V1__Urgency urgency)
{
    return s_name (&cf_words_urgency, (int) urgency);
}

int
ctl_urgency_parse (const char *word)
{
    return cf_words_parse (&cf_words_urgency, word);
}

const char *
ctl_channel_name (Caseflow__V1__Channel channel)
{
    return s_name (&cf_words_channel, (int) channel);
}

int
ctl_channel_parse (const char *word)
{
    return cf_words_parse (&cf_words_channel, word);
}

const char *
ctl_status_name (Caseflow__V1__CaseStatus status)
{
    return s_name (&cf_words_case_status, (int) status);
}

int
ctl_status_parse (const char *word)
{
    return cf_words_parse (&cf_words_case_status, word);
}

int
ctl_parse_domains (const char *flag, const char *text, Caseflow__V1__Domain **domains_p,
                   size_t *count_p)
{
    size_t count = 0;
    char **words = ctl_split (text, &count);
    Caseflow__V1__Domain *domains = calloc (count + 1, sizeof *domains);
    for (size_t i = 0; i < count; i++) {
        int domain = ctl_domain_parse (words [i]);
        if (domain < 0) {
            char list [160];
            ctl_usage_error ("--%s: \"%s\" is not a domain (%s)", flag, words [i],
                             cf_words_list (&cf_words_domain, list, sizeof list));
            ctl_strings_free (words, count);
            free (domains);
            return CTL_USAGE;
        }
        domains [i] = (Caseflow__V1__Domain) domain;
    }
    ctl_strings_free (words, count);
    if (count == 0) {
        free (domains);
        return ctl_usage_error ("--%s: give at least one domain", flag);
    }
    *domains_p = domains;
    *count_p = count;
    return CTL_OK;
}

char *
ctl_time_text (int64_t at, char *buf, size_t size)
{
    if (at == 0) {
        snprintf (buf, size, "-");
        return buf;
    }
    char local [40];
    cf_time_format_local (at, local, sizeof local);
    //  "2022-01-03T09:03:00+01:00" -> "2022-01-03 09:03"
    snprintf (buf, size, "%.10s %.5s", local, local + 11);
    return buf;
}
