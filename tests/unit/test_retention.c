//  test_retention: the retention table (defaults, sources, which domains
//  may refuse an early request), a resident's rule from their domains,
//  the end of a period in calendar years, and --retention: overrides,
//  every bad value refused naming the item, the line naming the flag.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_retention.h"
#include "cf_test.h"
#include "cf_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define YOUTH         CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH
#define SUPPORT       CASEFLOW__V1__DOMAIN__DOMAIN_SUPPORT
#define WORK_INCOME   CASEFLOW__V1__DOMAIN__DOMAIN_WORK_INCOME
#define DEBT          CASEFLOW__V1__DOMAIN__DOMAIN_DEBT
#define HOUSING       CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING
#define MENTAL_HEALTH CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH
#define OTHER         CASEFLOW__V1__DOMAIN__DOMAIN_OTHER

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static uint32_t
s_set (int a, int b)
{
    Caseflow__V1__Domain domains [2] = { (Caseflow__V1__Domain) a, (Caseflow__V1__Domain) b };
    return cf_retention_domain_set (domains, b ? 2 : 1);
}

static void
test_defaults (void **state)
{
    (void) state;
    static const struct {
        int domain;
        unsigned years;
        bool refusable;
        const char *source;
    } expected [] = {
        { YOUTH, 20, false, "Jeugdwet art. 7.3.8" }, { SUPPORT, 7, true, "Wmo 2015" },
        { WORK_INCOME, 7, true, "Participatiewet" }, { DEBT, 7, true, "Wgs" },
        { HOUSING, 2, false, "AVG art. 5(1)(e)" },   { MENTAL_HEALTH, 20, false, "BW art. 7:454" },
        { OTHER, 2, false, "AVG art. 5(1)(e)" },
    };
    cf_retention_t rules;
    cf_retention_defaults (&rules);
    for (size_t i = 0; i < sizeof expected / sizeof expected [0]; i++) {
        const cf_retention_rule_t *rule = cf_retention_rule (expected [i].domain);
        assert_non_null (rule);
        assert_int_equal (rule->domain, expected [i].domain);
        assert_int_equal (rule->years, expected [i].years);
        assert_int_equal (rules.years [expected [i].domain], expected [i].years);
        assert_int_equal (rule->refusable, expected [i].refusable);
        assert_non_null (strstr (rule->source, expected [i].source));
        assert_true (strlen (rule->request) > 10);
    }
    //  The young person and the patient may ask: never refused.
    assert_non_null (strstr (cf_retention_rule (YOUTH)->request, "7.3.9"));
    assert_non_null (strstr (cf_retention_rule (MENTAL_HEALTH)->request, "7:455"));
    assert_non_null (strstr (cf_retention_rule (DEBT)->request, "17(3)(b)"));
    assert_null (cf_retention_rule (0));
    assert_null (cf_retention_rule (CF_RETENTION_DOMAINS));
    assert_null (cf_retention_rule (-1));
}

static void
test_span (void **state)
{
    (void) state;
    cf_retention_t rules;
    cf_retention_defaults (&rules);
    cf_retention_span_t span = cf_retention_span (&rules, 0);
    assert_int_equal (span.keep_domain, 0);
    assert_int_equal (span.keep_years, 0);
    assert_int_equal (span.refuse_domain, 0);

    span = cf_retention_span (&rules, s_set (DEBT, 0));
    assert_int_equal (span.keep_domain, DEBT);
    assert_int_equal (span.keep_years, 7);
    assert_int_equal (span.refuse_domain, DEBT);
    assert_int_equal (span.refuse_years, 7);

    span = cf_retention_span (&rules, s_set (HOUSING, 0));
    assert_int_equal (span.keep_domain, HOUSING);
    assert_int_equal (span.keep_years, 2);
    assert_int_equal (span.refuse_domain, 0);

    //  Youth keeps longest, but only the debt question may refuse, and for
    //  its own 7 years.
    span = cf_retention_span (&rules, s_set (YOUTH, DEBT));
    assert_int_equal (span.keep_domain, YOUTH);
    assert_int_equal (span.keep_years, 20);
    assert_int_equal (span.refuse_domain, DEBT);
    assert_int_equal (span.refuse_years, 7);

    //  A tie goes to the first domain in domain order, on every service.
    span = cf_retention_span (&rules, s_set (DEBT, SUPPORT));
    assert_int_equal (span.keep_domain, SUPPORT);
    assert_int_equal (span.refuse_domain, SUPPORT);
    span = cf_retention_span (&rules, s_set (MENTAL_HEALTH, YOUTH));
    assert_int_equal (span.keep_domain, YOUTH);

    //  Overrides decide the periods.
    char why [200];
    assert_int_equal (cf_retention_parse (&rules, "debt=12y, housing=30y", why, sizeof why), 0);
    span = cf_retention_span (&rules, s_set (HOUSING, DEBT));
    assert_int_equal (span.keep_domain, HOUSING);
    assert_int_equal (span.keep_years, 30);
    assert_int_equal (span.refuse_domain, DEBT);
    assert_int_equal (span.refuse_years, 12);

    //  Values that are no domain are left out of a set.
    Caseflow__V1__Domain odd [3] = { 0, (Caseflow__V1__Domain) 99, DEBT };
    assert_int_equal (cf_retention_domain_set (odd, 3), (uint32_t) 1 << DEBT);
}

static void
test_until (void **state)
{
    (void) state;
    //  Calendar years: the same local date and time, across leap days and
    //  daylight saving time.
    assert_int_equal (cf_retention_until (s_at ("2022-03-01T10:00"), 7), s_at ("2029-03-01T10:00"));
    assert_int_equal (cf_retention_until (s_at ("2022-07-01T23:30"), 2), s_at ("2024-07-01T23:30"));
    assert_int_equal (cf_retention_until (s_at ("2022-01-10T10:00"), 20),
                      s_at ("2042-01-10T10:00"));
    //  29 February moves to 1 March in a common year.
    assert_int_equal (cf_retention_until (s_at ("2024-02-29T12:00"), 1), s_at ("2025-03-01T12:00"));
    assert_int_equal (cf_retention_until (s_at ("2024-02-29T12:00"), 4), s_at ("2028-02-29T12:00"));
}

static void
test_parse (void **state)
{
    (void) state;
    cf_retention_t rules, before;
    cf_retention_defaults (&rules);
    char why [200];
    assert_int_equal (cf_retention_parse (&rules, "", why, sizeof why), 0);
    assert_int_equal (cf_retention_parse (&rules, NULL, why, sizeof why), 0);
    assert_int_equal (cf_retention_parse (&rules, "youth=25y,work-income=10y , mental-health=100y",
                                          why, sizeof why),
                      0);
    assert_int_equal (rules.years [YOUTH], 25);
    assert_int_equal (rules.years [WORK_INCOME], 10);
    assert_int_equal (rules.years [MENTAL_HEALTH], 100);
    assert_int_equal (rules.years [DEBT], 7);

    static const struct {
        const char *text, *why;
    } bad [] = {
        { "debt", "\"debt\" is not DOMAIN=YEARSy" },
        { "debt=", "\"debt=\" is not DOMAIN=YEARSy" },
        { "=5y", "\"=5y\" is not DOMAIN=YEARSy" },
        { "family=3y", "family is not a domain (youth, support" },
        { "debt=5", "\"debt=5\": a period is whole years" },
        { "debt=5d", "\"debt=5d\": a period is whole years" },
        { "debt=y", "\"debt=y\": a period is whole years" },
        { "debt=-5y", "\"debt=-5y\": a period is whole years" },
        { "debt=5y5", "\"debt=5y5\": a period is whole years" },
        { "debt=0y", "\"debt=0y\": years must be 1-100" },
        { "debt=101y", "\"debt=101y\": years must be 1-100" },
        { "debt=99999999999999999999y", "years must be 1-100" },
        { "debt=5y,debt=6y", "debt is given twice" },
        { "debt=5y,,youth=3y", "an empty item" },
        { "debt=5y,", "an empty item" },
        { ",debt=5y", "an empty item" },
        { "a-very-long-word-that-is-no-domain-at-all=5y", "is not a domain" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++) {
        before = rules;
        why [0] = 0;
        assert_int_equal (cf_retention_parse (&rules, bad [i].text, why, sizeof why), CF_EINVAL);
        if (!strstr (why, bad [i].why))
            fail_msg ("\"%s\": got \"%s\", expected \"%s\"", bad [i].text, why, bad [i].why);
        //  A refused value changes nothing.
        assert_memory_equal (&rules, &before, sizeof rules);
    }
}

//  Runs cf_retention_configure with `value` for --retention; returns its
//  code, and what it wrote to stderr in `err`.
static int
s_configure (const char *value, cf_retention_t *rules, char *err, size_t size)
{
    static const cf_config_entry_t entry [] = { CF_RETENTION_CONFIG_ENTRY };
    cf_config_t *config = cf_config_new ("caseflow-test", "test");
    cf_config_add (config, entry, 1);
    char flag [200];
    snprintf (flag, sizeof flag, "--retention=%s", value);
    char *argv [] = { "caseflow-test", flag, NULL };
    assert_int_equal (cf_config_parse (config, 2, argv, stdout, stderr), 0);
    char *dir = cf_test_tmpdir ("retention");
    char path [600];
    snprintf (path, sizeof path, "%s/stderr", dir);
    fflush (stderr);
    int saved = dup (fileno (stderr));
    assert_true (freopen (path, "w", stderr) != NULL);
    int rc = cf_retention_configure (rules, config, "caseflow-test");
    fflush (stderr);
    assert_int_equal (dup2 (saved, fileno (stderr)), fileno (stderr));
    close (saved);
    FILE *file = fopen (path, "r");
    assert_non_null (file);
    size_t got = fread (err, 1, size - 1, file);
    err [got] = 0;
    fclose (file);
    cf_test_rmtree (dir);
    free (dir);
    cf_config_destroy (&config);
    return rc;
}

static void
test_configure (void **state)
{
    (void) state;
    cf_retention_t rules;
    char err [400];
    assert_int_equal (s_configure ("youth=21y", &rules, err, sizeof err), 0);
    assert_string_equal (err, "");
    assert_int_equal (rules.years [YOUTH], 21);
    assert_int_equal (rules.years [DEBT], 7);
    assert_int_equal (s_configure ("debt=5", &rules, err, sizeof err), CF_EINVAL);
    assert_string_equal (err, "caseflow-test: --retention (CASEFLOW_RETENTION): \"debt=5\": a "
                              "period is whole years, such as 7y\n");
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_defaults),  cmocka_unit_test (test_span),
        cmocka_unit_test (test_until),     cmocka_unit_test (test_parse),
        cmocka_unit_test (test_configure),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
