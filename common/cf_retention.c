//  cf_retention: the retention rules (see cf_retention.h).
//
//  Why these defaults (docs/privacy.md, "Retention", has the table for
//  people):
//    - youth: the Jeugdwet (art. 7.3.8) keeps a youth-care file 20 years
//      after the care ended, and lets the young person ask for earlier
//      destruction (art. 7.3.9): honoured, never refused here.
//    - mental health: the WGBO (BW art. 7:454) keeps a treatment file 20
//      years; art. 7:455 destroys it on the patient's request: honoured.
//    - support (Wmo 2015), work and income (Participatiewet), debts (Wgs):
//      the municipality must keep what its decisions rest on (Archiefwet
//      1995 and its selectielijst; 7 years is the common term after a file
//      closes), so a request may be refused while the term runs: AVG art.
//      17(3)(b), a legal obligation to keep.
//    - housing and other questions: no law asks to keep them; 2 years
//      covers a question that comes back, and a request is honoured
//      (AVG art. 5(1)(e), storage limitation).
#include "cf_retention.h"

#include "cf_calendar.h"
#include "cf_error.h"
#include "cf_words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DOMAIN(name) CASEFLOW__V1__DOMAIN__DOMAIN_##name

#define S_ARCHIVE "Archiefwet 1995 and the selectielijst"
#define S_KEEP    "AVG art. 17(3)(b): a legal obligation to keep"
#define S_LIMIT   "AVG art. 5(1)(e): no longer than needed"

static const cf_retention_rule_t s_rules [CF_RETENTION_DOMAINS] = {
    [S_DOMAIN (YOUTH)] = { S_DOMAIN (YOUTH), 20, false, "Jeugdwet art. 7.3.8",
                           "Jeugdwet art. 7.3.9: destroyed at the young person's request" },
    [S_DOMAIN (SUPPORT)] = { S_DOMAIN (SUPPORT), 7, true, "Wmo 2015; " S_ARCHIVE, S_KEEP },
    [S_DOMAIN (WORK_INCOME)] = { S_DOMAIN (WORK_INCOME), 7, true, "Participatiewet; " S_ARCHIVE,
                                 S_KEEP },
    [S_DOMAIN (DEBT)] = { S_DOMAIN (DEBT), 7, true, "Wgs; " S_ARCHIVE, S_KEEP },
    [S_DOMAIN (HOUSING)] = { S_DOMAIN (HOUSING), 2, false, S_LIMIT,
                             "AVG art. 17(1): erased on request" },
    [S_DOMAIN (MENTAL_HEALTH)] = { S_DOMAIN (MENTAL_HEALTH), 20, false, "WGBO, BW art. 7:454",
                                   "BW art. 7:455: destroyed on request" },
    [S_DOMAIN (OTHER)] = { S_DOMAIN (OTHER), 2, false, S_LIMIT,
                           "AVG art. 17(1): erased on request" },
};

const cf_retention_rule_t *
cf_retention_rule (int domain)
{
    if (domain <= 0 || domain >= CF_RETENTION_DOMAINS)
        return NULL;
    return &s_rules [domain];
}

void
cf_retention_defaults (cf_retention_t *self)
{
    memset (self, 0, sizeof *self);
    for (int domain = 1; domain < CF_RETENTION_DOMAINS; domain++)
        self->years [domain] = (uint16_t) s_rules [domain].years;
}

//  One item "DOMAIN=YEARSy" of `len` bytes into *domain_p, *years_p.
static int
s_item (const char *item, size_t len, int *domain_p, unsigned *years_p, char *why, size_t size)
{
    const char *equals = memchr (item, '=', len);
    if (!equals || equals == item || equals + 1 == item + len) {
        snprintf (why, size, "\"%.*s\" is not DOMAIN=YEARSy (such as debt=7y)", (int) len, item);
        return CF_EINVAL;
    }
    char word [32];
    size_t word_len = (size_t) (equals - item);
    int domain = -1;
    if (word_len < sizeof word) {
        memcpy (word, item, word_len);
        word [word_len] = 0;
        domain = cf_words_parse (&cf_words_domain, word);
    }
    if (domain < 1) {
        char words [160];
        snprintf (why, size, "\"%.*s\": %.*s is not a domain (%s)", (int) len, item, (int) word_len,
                  item, cf_words_list (&cf_words_domain, words, sizeof words));
        return CF_EINVAL;
    }
    const char *digits = equals + 1, *end = item + len;
    unsigned long years = 0;
    const char *at = digits;
    //  Capped, so that a long row of digits cannot overflow: it is too
    //  many years either way.
    while (at < end && *at >= '0' && *at <= '9') {
        years = years * 10 + (unsigned long) (*at++ - '0');
        if (years > 10 * CF_RETENTION_YEARS_MAX)
            years = 10 * CF_RETENTION_YEARS_MAX;
    }
    if (at == digits || at + 1 != end || *at != 'y') {
        snprintf (why, size, "\"%.*s\": a period is whole years, such as 7y", (int) len, item);
        return CF_EINVAL;
    }
    if (years < 1 || years > CF_RETENTION_YEARS_MAX) {
        snprintf (why, size, "\"%.*s\": years must be 1-%d", (int) len, item,
                  CF_RETENTION_YEARS_MAX);
        return CF_EINVAL;
    }
    *domain_p = domain;
    *years_p = (unsigned) years;
    return 0;
}

int
cf_retention_parse (cf_retention_t *self, const char *text, char *why, size_t why_size)
{
    cf_retention_t parsed = *self;
    bool seen [CF_RETENTION_DOMAINS] = { false };
    const char *at = text ? text : "";
    while (*at) {
        size_t len = strcspn (at, ",");
        const char *item = at;
        size_t item_len = len;
        while (item_len && (*item == ' ' || *item == '\t')) {
            item++;
            item_len--;
        }
        while (item_len && (item [item_len - 1] == ' ' || item [item_len - 1] == '\t'))
            item_len--;
        if (item_len == 0) {
            snprintf (why, why_size, "an empty item (two commas, or one at an end)");
            return CF_EINVAL;
        }
        int domain;
        unsigned years;
        if (s_item (item, item_len, &domain, &years, why, why_size))
            return CF_EINVAL;
        if (seen [domain]) {
            snprintf (why, why_size, "%s is given twice", cf_words_name (&cf_words_domain, domain));
            return CF_EINVAL;
        }
        seen [domain] = true;
        parsed.years [domain] = (uint16_t) years;
        at += len;
        if (*at == ',') {
            at++;
            if (!*at) {
                snprintf (why, why_size, "an empty item (two commas, or one at an end)");
                return CF_EINVAL;
            }
        }
    }
    *self = parsed;
    return 0;
}

int
cf_retention_configure (cf_retention_t *self, cf_config_t *config, const char *program)
{
    cf_retention_defaults (self);
    char why [320];
    if (cf_retention_parse (self, cf_config_string (config, "retention"), why, sizeof why) == 0)
        return 0;
    //  The configuration table has no check for a list like this one: the
    //  refusal is cf_config's kind of line, and the service does not start.
    fprintf (stderr, "%s: --retention (CASEFLOW_RETENTION): %s\n", program, why);
    return CF_EINVAL;
}

uint32_t
cf_retention_domain_set (const Caseflow__V1__Domain *domains, size_t count)
{
    uint32_t set = 0;
    for (size_t i = 0; i < count; i++)
        if (cf_retention_rule ((int) domains [i]))
            set |= (uint32_t) 1 << domains [i];
    return set;
}

cf_retention_span_t
cf_retention_span (const cf_retention_t *self, uint32_t domains)
{
    cf_retention_span_t span = { 0, 0, 0, 0 };
    //  In domain order, so a tie goes to the first domain: the same rule
    //  on every service and every run.
    for (int domain = 1; domain < CF_RETENTION_DOMAINS; domain++) {
        if (!(domains & ((uint32_t) 1 << domain)))
            continue;
        unsigned years = self->years [domain];
        if (years > span.keep_years) {
            span.keep_domain = domain;
            span.keep_years = years;
        }
        if (s_rules [domain].refusable && years > span.refuse_years) {
            span.refuse_domain = domain;
            span.refuse_years = years;
        }
    }
    return span;
}

int64_t
cf_retention_until (int64_t closed_at, unsigned years)
{
    return cf_calendar_add_years (closed_at, (int) years);
}
