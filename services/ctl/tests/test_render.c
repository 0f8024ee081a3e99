//  test_render: caseflowctl's message renderers and binder (ctl_render.h,
//  ctl_bind): JSON stays valid whatever a name holds, numbers print as
//  they always did, enum words come from proto/, flags fill fields by
//  name with errors that name the flag.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ctl.h"
#include "ctl_output.h"

#include "cf_time.h"

#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"

#include <stdlib.h>
#include <string.h>

//  A name with control characters, invalid bytes (0xff, 0xfe), "Ö", and a
//  cut-off three-byte sequence: the document is valid JSON, the controls
//  escaped, each invalid byte U+FFFD.
static void
test_bad_text_gives_valid_json (void **state)
{
    (void) state;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Ann\x01\x1f\xff\xfe\xc3\x96z\xe2\x82";
    Caseflow__V1__Intake__CaseView view = CASEFLOW__V1__INTAKE__CASE_VIEW__INIT;
    view.case_id = "C000001";
    view.status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    view.resident = &resident;
    json_t *document = ctl_intake_case_json (NULL, &view.base);
    char *text = json_dumps (document, JSON_COMPACT);
    assert_non_null (text);
    assert_non_null (strstr (text, "\"name\":\"Ann\\u0001\\u001F"));
    json_error_t error;
    json_t *parsed = json_loads (text, 0, &error);
    assert_non_null (parsed);
    assert_string_equal (
        json_string_value (json_object_get (json_object_get (parsed, "resident"), "name")),
        "Ann\x01\x1f\xef\xbf\xbd\xef\xbf\xbd\xc3\x96z\xef\xbf\xbd\xef\xbf\xbd");
    assert_string_equal (json_string_value (json_object_get (parsed, "status")), "waiting");
    assert_true (json_is_null (json_object_get (parsed, "worker_id")));
    json_decref (parsed);
    free (text);
    json_decref (document);
}

static void
s_expect_dump (json_t *value, const char *expected)
{
    char *text = json_dumps (value, JSON_COMPACT | JSON_REAL_PRECISION (6) | JSON_ENCODE_ANY);
    assert_string_equal (text, expected);
    free (text);
    json_decref (value);
}

static void
test_numbers_and_times (void **state)
{
    (void) state;
    s_expect_dump (cf_fold_json_number (2.0), "2");
    s_expect_dump (cf_fold_json_number (28.6), "28.6");
    s_expect_dump (cf_fold_json_number (0.0 / 0.0), "null");
    s_expect_dump (cf_fold_json_time (0), "null");
    int64_t at = 0;
    assert_int_equal (ctl_parse_time ("--at", "2022-03-07", &at), CTL_OK);
    s_expect_dump (cf_fold_json_time (at), "\"2022-03-07T00:00:00+01:00\"");
    //  Thousandths and 64-bit integers.
    Caseflow__V1__Handover__ProgressCounts counts = CASEFLOW__V1__HANDOVER__PROGRESS_COUNTS__INIT;
    counts.total = UINT64_C (4000000000000);
    counts.completed = 1500;
    s_expect_dump (ctl_json_message (&counts.base, "total done=completed:milli on_track"),
                   "{\"total\":4000000000000,\"done\":1.5,\"on_track\":false}");
}

static void
test_enum_words (void **state)
{
    (void) state;
    assert_string_equal (ctl_channel_name (CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN), "walk-in");
    assert_string_equal (ctl_domain_name (CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH),
                         "mental-health");
    assert_string_equal (ctl_status_name (0), "unspecified");
    assert_null (ctl_enum_word (&caseflow__v1__channel__descriptor, 0));
    assert_int_equal (
        ctl_enum_parse (&caseflow__v1__handover__handover_state__descriptor, "meeting_planned"),
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_PLANNED);
    assert_int_equal (ctl_urgency_parse ("unspecified"), -1);
    char words [128];
    assert_string_equal (ctl_enum_words (&caseflow__v1__urgency__descriptor, words, sizeof words),
                         "regular, urgent");
}

//  The flags of `intake register` fill a Register, the resident inside it.
static void
test_bind_by_field_name (void **state)
{
    (void) state;
    static const ctl_verb_t verb = { .name = "register",
                                     .flags = "name! channel! domain! urgency district" };
    char *argv [] = { "--name",     "Ria",  "--channel=walk-in", "--domain", "youth, debt",
                      "--district", "Noord" };
    ctl_args_t args = { .verb = &verb };
    assert_int_equal (ctl_args_parse (&args, 7, argv), CTL_OK);
    Caseflow__V1__Intake__Register *body =
        ctl_message_new (&caseflow__v1__intake__register__descriptor);
    assert_int_equal (ctl_bind (&args, &body->base,
                                "resident.name channel domains=domain urgency resident.district"),
                      CTL_OK);
    assert_string_equal (body->resident->name, "Ria");
    assert_string_equal (body->resident->district, "Noord");
    assert_int_equal (body->channel, CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN);
    assert_int_equal (body->n_domains, 2);
    assert_int_equal (body->domains [1], CASEFLOW__V1__DOMAIN__DOMAIN_DEBT);
    assert_int_equal (body->urgency, 0);
    protobuf_c_message_free_unpacked (&body->base, NULL);
    //  A word that is not one, and a missing required flag: usage errors.
    char *bad [] = { "--name", "Ria", "--channel", "fax", "--domain", "youth" };
    assert_int_equal (ctl_args_parse (&args, 6, bad), CTL_OK);
    body = ctl_message_new (&caseflow__v1__intake__register__descriptor);
    assert_int_equal (ctl_bind (&args, &body->base, "channel"), CTL_USAGE);
    protobuf_c_message_free_unpacked (&body->base, NULL);
    char *missing [] = { "--name", "Ria", "--domain", "youth" };
    assert_int_equal (ctl_args_parse (&args, 4, missing), CTL_USAGE);
    char *twice [] = { "--name", "Ria", "--name", "Ria" };
    assert_int_equal (ctl_args_parse (&args, 4, twice), CTL_USAGE);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_bad_text_gives_valid_json),
        cmocka_unit_test (test_numbers_and_times),
        cmocka_unit_test (test_enum_words),
        cmocka_unit_test (test_bind_by_field_name),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
