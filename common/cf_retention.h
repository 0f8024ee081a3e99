//  cf_retention: how long caseflow keeps a resident's personal data, per
//  question domain, and whether the law lets it refuse an early erasure
//  request (docs/privacy.md, "Retention").
//
//  One table holds, for every domain, the default period in whole years
//  after the resident's last case closed, its legal source, and whether an
//  erasure request before the period ends may be refused (AVG art. 17(3)(b):
//  a legal obligation to keep) or must be honoured (the Jeugdwet and the
//  WGBO let the resident ask for destruction; without a legal duty to
//  keep, nothing outweighs the request). The defaults are caseflow's
//  choice; a municipality confirms them against its own archive selection
//  list (selectielijst) and overrides them with --retention.
//
//  A resident's rule follows from the domains of all their cases: the
//  period is the longest of those domains' periods; an early request may be
//  refused while the longest period of a refusable domain among them runs
//  (a youth question, 20 years and never refused, does not stretch the 7
//  years a debt question may be refused for).
//
//  Intake (the refusal, the erasure when due) and notification (the timer)
//  read the same table and the same --retention flag; give both services
//  the same value (CASEFLOW_RETENTION).
#ifndef CF_RETENTION_H
#define CF_RETENTION_H

#include "caseflow/v1/common.pb-c.h"
#include "cf_config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Domain values 1 .. CF_RETENTION_DOMAINS - 1 (index 0 is UNSPECIFIED).
#define CF_RETENTION_DOMAINS (CASEFLOW__V1__DOMAIN__DOMAIN_OTHER + 1)

//  The longest period a configuration may give, in years.
#define CF_RETENTION_YEARS_MAX 100

//  One domain's rule as the law and caseflow's defaults give it. Static.
typedef struct {
    int domain;           //  Caseflow__V1__Domain
    unsigned years;       //  the default period after the last case closed
    bool refusable;       //  an early erasure request may be refused
    const char *source;   //  the legal source of the period, for messages
    const char *request;  //  what the law says of an early request
} cf_retention_rule_t;

//  The periods in force: the defaults, with --retention's overrides.
typedef struct {
    uint16_t years [CF_RETENTION_DOMAINS];  //  by domain value; [0] unused
} cf_retention_t;

//  A resident's rule, from the set of their domains.
typedef struct {
    int keep_domain;      //  the domain with the longest period (0: no domain)
    unsigned keep_years;  //  that period: how long the data is kept
    int refuse_domain;    //  the refusable domain with the longest period (0: none)
    unsigned refuse_years;
} cf_retention_span_t;

//  The configuration entry both services list (flag --retention,
//  environment CASEFLOW_RETENTION, default "": the defaults).
#define CF_RETENTION_CONFIG_ENTRY                                                               \
    {                                                                                           \
        "retention", "CASEFLOW_RETENTION", CF_CONFIG_STRING, "",                                \
            "retention periods that replace the defaults of docs/privacy.md, as DOMAIN=YEARSy " \
            "items separated by commas (youth=20y,debt=5y); give intake and notification the "  \
            "same",                                                                             \
            NULL, 0, 0                                                                          \
    }

//  The rule of `domain` (a Caseflow__V1__Domain), or NULL for UNSPECIFIED
//  and unknown values.
const cf_retention_rule_t *
cf_retention_rule (int domain);

//  Fills `self` with the default periods.
void
cf_retention_defaults (cf_retention_t *self);

//  Applies the overrides in `text` to `self`: items DOMAIN=YEARSy separated
//  by commas (spaces around items allowed; empty text: none), DOMAIN one of
//  the domain words (cf_words_domain), YEARS 1 .. CF_RETENTION_YEARS_MAX.
//  Returns 0, or CF_EINVAL with the reason (naming the item) in `why`;
//  then `self` is left as it was.
int
cf_retention_parse (cf_retention_t *self, const char *text, char *why, size_t why_size);

//  The defaults with the overrides of the configuration's "retention"
//  entry (CF_RETENTION_CONFIG_ENTRY) into `self`. Returns 0, or CF_EINVAL
//  after printing one line to stderr naming `program`, the flag and its
//  environment variable, as cf_config does for its own checks.
int
cf_retention_configure (cf_retention_t *self, cf_config_t *config, const char *program);

//  A set of domains, bit (1 << domain) for each of `domains` (values that
//  are no domain are left out); the bits intake's domain sets use.
uint32_t
cf_retention_domain_set (const Caseflow__V1__Domain *domains, size_t count);

//  The rule of a resident whose cases' domains are the set `domains`.
//  All fields 0 for an empty set.
cf_retention_span_t
cf_retention_span (const cf_retention_t *self, uint32_t domains);

//  When a period of `years` that started at `closed_at` ends: the same
//  local date and time `years` later (cf_calendar_add_years).
int64_t
cf_retention_until (int64_t closed_at, unsigned years);

#endif
