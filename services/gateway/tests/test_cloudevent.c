//  test_cloudevent: the gateway's parsers (the three HTTP modes and the NL
//  GOV profile: gateway_cloudevent.h) and the catalogue's data fields
//  (gateway_data.h), pure logic.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_time.h"
#include "gateway_cloudevent.h"
#include "gateway_data.h"
#include "gateway_validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_REFERRAL_DATA                                                                            \
    "{\"resident\":{\"name\":\"Jan Jansen\",\"birth_date\":\"1980-02-03\",\"bsn\":\"111222333\"}," \
    "\"domains\":[\"debt\",\"youth\"],\"question\":\"help with debts\",\"urgency\":\"urgent\","    \
    "\"reason\":\"bailiff\",\"location\":\"team:north\",\"partner_ref\":\"R-1\"}"

static char *
s_event (const char *id, const char *type, const char *data, const char *more)
{
    char *text = NULL;
    int rc = asprintf (&text,
                       "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"urn:nld:oin:1:fo\","
                       "\"type\":\"%s\",\"time\":\"2022-03-01T08:55:00+01:00\"%s,\"data\":%s}",
                       id, type, more, data);
    assert_true (rc > 0);
    return text;
}

static void
s_refuse (const char *body, int status, const char *attribute)
{
    gateway_ce_t event;
    gateway_problem_t problem;
    assert_int_equal (gateway_ce_parse_structured (body, strlen (body), &event, &problem), -1);
    if (problem.status != status || strcmp (problem.attribute, attribute) != 0)
        fail_msg ("%s: got %d %s (%s)", body, problem.status, problem.attribute, problem.detail);
}

static void
test_rfc3339 (void **state)
{
    (void) state;
    int64_t at = 0;
    assert_true (gateway_rfc3339_parse ("1970-01-01T00:00:00Z", &at));
    assert_int_equal (at, 0);
    assert_true (gateway_rfc3339_parse ("2022-03-01T09:00:00+01:00", &at));
    assert_int_equal (at, INT64_C (1646121600) * 1000000);
    assert_true (gateway_rfc3339_parse ("2022-03-01T08:00:00.25z", &at));
    assert_int_equal (at, INT64_C (1646121600) * 1000000 + 250000);
    assert_true (gateway_rfc3339_parse ("2024-02-29T00:00:00-00:30", &at));
    const char *bad [] = { "2022-03-01",
                           "2022-03-01 09:00:00Z",
                           "2022-02-29T00:00:00Z",
                           "2022-13-01T00:00:00Z",
                           "2022-03-01T24:00:00Z",
                           "2022-03-01T09:00:00",
                           "2022-03-01T09:00:00.Z",
                           "2022-03-01T09:00:00+0100",
                           "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++)
        if (gateway_rfc3339_parse (bad [i], &at))
            fail_msg ("took %s", bad [i]);
}

static void
test_structured (void **state)
{
    (void) state;
    char *body = s_event ("e1", "nl.sociaal-domein.verwijzing-ontvangen", S_REFERRAL_DATA,
                          ",\"datacontenttype\":\"application/json; charset=utf-8\",\"ext\":7");
    gateway_ce_t event;
    gateway_problem_t problem;
    assert_int_equal (gateway_ce_parse_structured (body, strlen (body), &event, &problem), 0);
    assert_string_equal (event.id, "e1");
    assert_string_equal (event.source, "urn:nld:oin:1:fo");
    assert_string_equal (event.subject, "");
    assert_int_equal (event.time, INT64_C (1646121300) * 1000000);
    gateway_ce_release (&event);
    free (body);

    char *no_data = s_event ("e1", "t", "null", "");
    s_refuse (no_data, 400, "data");
    free (no_data);
    s_refuse ("[]", 400, "");
    s_refuse ("{\"specversion\":\"1.0\"", 400, "");
    s_refuse ("{\"specversion\":1}", 400, "specversion");
    s_refuse ("{\"specversion\":\"1.0\",\"specversion\":\"1.0\"}", 400, "");  //  duplicate key
    char *personal = s_event ("e1", "t", "{}", ",\"subject\":\"Jan Jansen\"");
    s_refuse (personal, 400, "subject");
    free (personal);
    char *xml = s_event ("e1", "t", "{}", ",\"datacontenttype\":\"application/xml\"");
    s_refuse (xml, 415, "datacontenttype");
    free (xml);
    char *upper = s_event ("e1", "t", "{}", ",\"Ext\":1");
    s_refuse (upper, 400, "Ext");
    free (upper);
    char *base64 = s_event ("e1", "t", "{}", ",\"data_base64\":\"e30=\"");
    s_refuse (base64, 400, "data_base64");
    free (base64);
    char *nul = s_event ("e1\\u0000x", "t", "{}", "");
    s_refuse (nul, 400, "");  //  jansson refuses NUL in strings
    free (nul);
    char *control = s_event ("e1\\u0007", "t", "{}", "");
    s_refuse (control, 400, "id");
    free (control);
    char *urn = s_event ("e1", "t", "{}", "");
    memcpy (strstr (urn, "urn:nld"), "urn:xyz", 7);
    s_refuse (urn, 400, "source");
    free (urn);
}

static void
test_batch_and_modes (void **state)
{
    (void) state;
    char *one = s_event ("e1", "x", "{}", ""), *two = s_event ("e2", "x", "{}", "");
    char body [4096];
    snprintf (body, sizeof body, "[%s,%s]", one, two);
    gateway_ce_t *events = NULL;
    size_t count = 0;
    gateway_problem_t problem;
    assert_int_equal (gateway_ce_parse_batch (body, strlen (body), &events, &count, &problem), 0);
    assert_int_equal (count, 2);
    assert_string_equal (events [1].id, "e2");
    gateway_ce_release_all (events, count);
    snprintf (body, sizeof body, "[%s,{\"id\":1}]", one);
    assert_int_equal (gateway_ce_parse_batch (body, strlen (body), &events, &count, &problem), -1);
    assert_int_equal (problem.index, 1);
    assert_null (events);
    assert_int_equal (gateway_ce_parse_batch ("[]", 2, &events, &count, &problem), -1);
    assert_int_equal (gateway_ce_parse_batch ("{}", 2, &events, &count, &problem), -1);
    free (one);
    free (two);

    assert_int_equal (gateway_ce_mode ("application/cloudevents+json; charset=UTF-8", false),
                      GATEWAY_MODE_STRUCTURED);
    assert_int_equal (gateway_ce_mode ("Application/CloudEvents-Batch+JSON", false),
                      GATEWAY_MODE_BATCH);
    assert_int_equal (gateway_ce_mode ("application/json", true), GATEWAY_MODE_BINARY);
    assert_int_equal (gateway_ce_mode ("application/json", false), GATEWAY_MODE_NONE);
    assert_int_equal (gateway_ce_mode (NULL, false), GATEWAY_MODE_NONE);
}

static const char *s_binary [8];

static const char *
s_header (const void *ctx, const char *name)
{
    (void) ctx;
    static const char *const names [] = { "Content-Type", "ce-specversion", "ce-id",
                                          "ce-source",    "ce-type",        "ce-time",
                                          "ce-subject" };
    for (size_t i = 0; i < 7; i++)
        if (strcasecmp (names [i], name) == 0)
            return s_binary [i];
    return NULL;
}

static void
test_binary (void **state)
{
    (void) state;
    const char *values [] = { "application/json",
                              "1.0",
                              "id%2F%C3%A9",
                              "urn:nld:x",
                              "nl.telefonie.gesprek-aangeboden",
                              "2022-03-01T08:00:00Z",
                              "" };
    memcpy (s_binary, values, sizeof values);
    gateway_ce_t event;
    gateway_problem_t problem;
    const char *data =
        "{\"call_id\":\"c1\",\"line\":\"main\",\"queued_at\":\"2022-03-01T08:00:00Z\"}";
    assert_int_equal (
        gateway_ce_parse_binary (s_header, NULL, data, strlen (data), &event, &problem), 0);
    assert_string_equal (event.id, "id/\xc3\xa9");
    gateway_ce_release (&event);
    s_binary [2] = "bad%zz";
    assert_int_equal (
        gateway_ce_parse_binary (s_header, NULL, data, strlen (data), &event, &problem), -1);
    assert_string_equal (problem.attribute, "id");
    s_binary [2] = "bad%C3";  //  half a UTF-8 sequence
    assert_int_equal (
        gateway_ce_parse_binary (s_header, NULL, data, strlen (data), &event, &problem), -1);
    s_binary [2] = "ok";
    s_binary [0] = "text/plain";
    assert_int_equal (
        gateway_ce_parse_binary (s_header, NULL, data, strlen (data), &event, &problem), -1);
    assert_int_equal (problem.status, 415);
    s_binary [0] = "application/json";
    s_binary [5] = NULL;
    assert_int_equal (
        gateway_ce_parse_binary (s_header, NULL, data, strlen (data), &event, &problem), -1);
    assert_string_equal (problem.attribute, "time");
}

//  Reads `data` (JSON text) as `kind`: 0 with *out, or the problem.
static int
s_read (gateway_kind_t kind, const char *data, gateway_data_t *out, gateway_problem_t *problem)
{
    json_t *json = json_loads (data, 0, NULL);
    assert_non_null (json);
    memset (out, 0, sizeof *out);
    int rc = gateway_data_read (kind, json, "2022-03-01", out, problem);
    json_decref (json);
    return rc;
}

static void
s_data_refused (gateway_kind_t kind, const char *data, const char *field)
{
    gateway_data_t out;
    gateway_problem_t problem;
    assert_int_equal (s_read (kind, data, &out, &problem), -1);
    if (strcmp (problem.attribute, field) != 0 || problem.status != 400)
        fail_msg ("%s: got %s (%s)", data, problem.attribute, problem.detail);
}

static void
test_data (void **state)
{
    (void) state;
    gateway_data_t out;
    gateway_problem_t problem;
    assert_int_equal (s_read (GATEWAY_KIND_REFERRAL, S_REFERRAL_DATA, &out, &problem), 0);
    const Caseflow__V1__Gateway__Referral *referral = out.content->referral;
    assert_int_equal (referral->n_domains, 2);
    assert_int_equal (referral->urgency, CASEFLOW__V1__URGENCY__URGENCY_URGENT);
    assert_string_equal (referral->location, "team:north");
    assert_string_equal (out.personal->resident->bsn, "111222333");
    assert_string_equal (out.personal->text, "help with debts");
    assert_string_equal (out.personal->texts [0], "bailiff");
    //  The rest keeps what the catalogue does not name, and nothing personal.
    assert_string_equal (out.content->extra_data,
                         "{\"domains\":[\"debt\",\"youth\"],\"location\":\"team:north\","
                         "\"partner_ref\":\"R-1\",\"urgency\":\"urgent\"}");
    gateway_data_release (&out);

    assert_int_equal (s_read (GATEWAY_KIND_ANNOUNCEMENT,
                              "{\"resident\":{\"name\":\"P\",\"birth_date\":\"1970-01-01\"},"
                              "\"domains\":[\"youth\"],\"deadline\":\"2022-06-30\"}",
                              &out, &problem),
                      0);
    //  A date alone is due by the end of that day in Amsterdam (summer time).
    assert_int_equal (out.content->announcement->deadline, INT64_C (1656626400) * 1000000);
    gateway_data_release (&out);

    assert_int_equal (s_read (GATEWAY_KIND_DECISION_ISSUED,
                              "{\"resident\":{\"bsn\":\"111222333\"},\"decision_id\":\"D-1\","
                              "\"law\":\"jeugdwet\"}",
                              &out, &problem),
                      0);
    assert_true (out.content->decision->issued);
    assert_int_equal (out.content->decision->law, CASEFLOW__V1__GATEWAY__LAW__LAW_JEUGDWET);
    gateway_data_release (&out);

    assert_int_equal (s_read (GATEWAY_KIND_CALL_ANSWERED,
                              "{\"call_id\":\"c\",\"line\":\"l\",\"queued_at\":"
                              "\"2022-03-01T08:00:00Z\",\"answered_at\":\"2022-03-01T08:01:00Z\"}",
                              &out, &problem),
                      0);
    assert_null (out.personal);
    assert_int_equal (out.content->call->answered_at - out.content->call->queued_at,
                      60 * INT64_C (1000000));
    gateway_data_release (&out);

    s_data_refused (GATEWAY_KIND_REFERRAL, "{\"domains\":[\"debt\"]}", "data.resident");
    s_data_refused (GATEWAY_KIND_REFERRAL, "{\"resident\":{\"name\":\"A\"},\"domains\":[\"debt\"]}",
                    "data.resident.birth_date");
    s_data_refused (GATEWAY_KIND_REFERRAL,
                    "{\"resident\":{\"name\":\"A\",\"birth_date\":\"1980-01-01\",\"phone\":\"x\"},"
                    "\"domains\":[\"debt\"]}",
                    "data.resident.phone");
    s_data_refused (GATEWAY_KIND_REFERRAL,
                    "{\"resident\":{\"name\":\"A\",\"birth_date\":\"1980-01-01\"},"
                    "\"domains\":[\"debt\",\"debt\"]}",
                    "data.domains[1]");
    s_data_refused (GATEWAY_KIND_REFERRAL,
                    "{\"resident\":{\"name\":\"A\",\"birth_date\":\"1980-01-01\"},"
                    "\"domains\":[\"debt\"],\"urgency\":\"soon\",\"reason\":\"r\"}",
                    "data.urgency");
    s_data_refused (GATEWAY_KIND_REFERRAL,
                    "{\"resident\":{\"name\":\"A\",\"birth_date\":\"1980-01-01\"},"
                    "\"domains\":[\"debt\"],\"location\":\"no spaces allowed\"}",
                    "data.location");
    s_data_refused (GATEWAY_KIND_DECISION_REQUESTED,
                    "{\"resident\":{\"name\":\"A\"},\"decision_id\":\"D\",\"law\":\"wmo\"}",
                    "data.resident");
    s_data_refused (GATEWAY_KIND_DECISION_REQUESTED,
                    "{\"resident\":{\"bsn\":\"111222333\"},\"decision_id\":\"D\",\"law\":\"x\"}",
                    "data.law");
    s_data_refused (GATEWAY_KIND_CALL_OFFERED,
                    "{\"call_id\":\"c\",\"line\":\"l\",\"queued_at\":\"2022-03-01T08:00:00Z\","
                    "\"answered_at\":\"2022-03-01T08:01:00Z\"}",
                    "data.answered_at");
    s_data_refused (GATEWAY_KIND_CALL_ANSWERED,
                    "{\"call_id\":\"c\",\"line\":\"l\",\"queued_at\":\"2022-03-01T08:00:00Z\"}",
                    "data.answered_at");
    s_data_refused (GATEWAY_KIND_CALL_OFFERED, "{\"call_id\":7,\"line\":\"l\"}", "data.call_id");
}

static void
test_catalogue (void **state)
{
    (void) state;
    assert_int_equal (gateway_catalogue_kind ("nl.telefonie.gesprek-afgebroken"),
                      GATEWAY_KIND_CALL_ABANDONED);
    assert_int_equal (gateway_catalogue_kind ("nl.example"), GATEWAY_KIND_NONE);
    assert_true (gateway_catalogue_allows (
        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER,
        "nl.sociaal-domein.verwijzing-ontvangen"));
    assert_false (gateway_catalogue_allows (
        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER,
        "nl.sociaal-domein.beschikking-afgegeven"));
    assert_true (gateway_source_valid ("urn:nld:oin:00000001823288444000:systeem:x"));
    assert_false (gateway_source_valid ("urn:nld:"));
    assert_false (gateway_source_valid ("urn:nld:a b"));
    assert_true (gateway_publisher_id_valid ("front-office.1"));
    assert_false (gateway_publisher_id_valid ("a/b"));
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_rfc3339),
        cmocka_unit_test (test_structured),
        cmocka_unit_test (test_batch_and_modes),
        cmocka_unit_test (test_binary),
        cmocka_unit_test (test_data),
        cmocka_unit_test (test_catalogue),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
