//  test_streams: the stream a process writes and the streams it follows,
//  read from flags and the environment (cf_streams), and the kind rule.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_config.h"
#include "cf_streams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const s_kinds [] = { "intake", "handover", NULL };

//  cf_streams_new on `argv` (NULL-terminated, program first); the error
//  line, if any, in `err` (size bytes).
static cf_streams_t *
s_read (char **argv, char *err, size_t size)
{
    int argc = 0;
    while (argv [argc])
        argc++;
    FILE *out = fmemopen (err, size, "w");
    assert_non_null (out);
    cf_streams_t *streams =
        cf_streams_new ("caseflow-test", "assignment", s_kinds, argc, argv, out);
    fclose (out);
    return streams;
}

static void
test_defaults (void **state)
{
    (void) state;
    unsetenv ("CASEFLOW_STREAM");
    unsetenv ("CASEFLOW_FOLLOW");
    char err [256] = "";
    char *argv [] = { "caseflow-test", NULL };
    cf_streams_t *streams = s_read (argv, err, sizeof err);
    assert_non_null (streams);
    assert_string_equal (cf_streams_own (streams), "assignment");
    assert_int_equal (cf_streams_count (streams), 2);
    assert_string_equal (cf_streams_followed (streams) [0], "intake");
    assert_string_equal (cf_streams_followed (streams) [1], "handover");
    assert_null (cf_streams_followed (streams) [2]);
    cf_streams_destroy (&streams);
    assert_null (streams);
}

static void
test_flags_and_environment (void **state)
{
    (void) state;
    setenv ("CASEFLOW_FOLLOW", "handover", 1);
    setenv ("CASEFLOW_STREAM", "assignment-zuid", 1);
    char err [256] = "";
    char *env_only [] = { "caseflow-test", NULL };
    cf_streams_t *streams = s_read (env_only, err, sizeof err);
    assert_non_null (streams);
    assert_string_equal (cf_streams_own (streams), "assignment-zuid");
    assert_int_equal (cf_streams_count (streams), 1);
    assert_string_equal (cf_streams_followed (streams) [0], "handover");
    cf_streams_destroy (&streams);

    //  A flag wins over its variable, in both spellings; the last one wins.
    char *argv [] = { "caseflow-test",
                      "--follow",
                      "handover",
                      "--stream=assignment-noord",
                      "--follow=intake,intake-noord,handover",
                      NULL };
    streams = s_read (argv, err, sizeof err);
    assert_non_null (streams);
    assert_string_equal (cf_streams_own (streams), "assignment-noord");
    assert_int_equal (cf_streams_count (streams), 3);
    assert_string_equal (cf_streams_followed (streams) [1], "intake-noord");
    cf_streams_destroy (&streams);

    //  An empty flag follows nothing; an empty variable is unset.
    setenv ("CASEFLOW_FOLLOW", "", 1);
    unsetenv ("CASEFLOW_STREAM");
    char *none [] = { "caseflow-test", "--follow=", NULL };
    streams = s_read (none, err, sizeof err);
    assert_non_null (streams);
    assert_int_equal (cf_streams_count (streams), 0);
    assert_null (cf_streams_followed (streams) [0]);
    cf_streams_destroy (&streams);
    streams = s_read (env_only, err, sizeof err);
    assert_int_equal (cf_streams_count (streams), 2);
    cf_streams_destroy (&streams);
    unsetenv ("CASEFLOW_FOLLOW");
}

static void
test_refusals (void **state)
{
    (void) state;
    unsetenv ("CASEFLOW_STREAM");
    unsetenv ("CASEFLOW_FOLLOW");
    struct {
        const char *flag, *says;
    } cases [] = {
        { "--stream=intake",
          "--stream (CASEFLOW_STREAM): \"intake\" is not a stream of assignment" },
        { "--stream=assignment-", "is not a stream of assignment" },
        { "--stream=assignment--x", "is not a stream of assignment" },
        { "--stream=assignmentx", "is not a stream of assignment" },
        { "--follow=intake,notification",
          "--follow (CASEFLOW_FOLLOW): \"notification\" is not a stream of a kind this service "
          "follows (kinds: intake,handover)" },
        { "--follow=intake,,handover", "\"\" is not a stream name" },
        { "--follow=intake,Intake-Noord", "\"Intake-Noord\" is not a stream name" },
        { "--follow=intake,intake", "\"intake\" is named twice" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases [0]; i++) {
        char err [256] = "";
        char *argv [] = { "caseflow-test", (char *) cases [i].flag, NULL };
        cf_streams_t *streams = s_read (argv, err, sizeof err);
        if (streams || !strstr (err, cases [i].says))
            fail_msg ("%s: got \"%s\"", cases [i].flag, err);
        assert_non_null (strstr (err, "caseflow-test: "));
    }
}

static void
test_the_own_stream_is_not_followed (void **state)
{
    (void) state;
    static const char *const kinds [] = { "intake", NULL };
    char err [256] = "";
    char *argv [] = { "caseflow-test", "--follow=intake", NULL };
    FILE *out = fmemopen (err, sizeof err, "w");
    cf_streams_t *streams = cf_streams_new ("caseflow-test", "intake", kinds, 2, argv, out);
    fclose (out);
    assert_null (streams);
    assert_non_null (strstr (err, "\"intake\" is the stream this process writes"));
}

static void
test_kinds (void **state)
{
    (void) state;
    assert_true (cf_stream_of ("intake", "intake"));
    assert_true (cf_stream_of ("intake-noord", "intake"));
    assert_false (cf_stream_of ("intakes", "intake"));
    assert_false (cf_stream_of ("handover", "intake"));
    assert_false (cf_stream_of (NULL, "intake"));
    char kind [CF_STREAM_MAX + 1];
    assert_string_equal (cf_stream_kind ("intake-noord-oost", kind, sizeof kind), "intake");
    assert_string_equal (cf_stream_kind ("assignment", kind, sizeof kind), "assignment");
    assert_true (cf_stream_name_valid ("intake-noord-oost"));
    assert_false (cf_stream_name_valid ("1ntake"));
    assert_false (cf_stream_name_valid (""));
    assert_false (cf_stream_name_valid ("intake_noord"));
    char long_name [CF_STREAM_MAX + 2];
    memset (long_name, 'a', sizeof long_name - 1);
    long_name [sizeof long_name - 1] = 0;
    assert_false (cf_stream_name_valid (long_name));
    long_name [CF_STREAM_MAX] = 0;
    assert_true (cf_stream_name_valid (long_name));
}

static void
test_config_entries (void **state)
{
    (void) state;
    unsetenv ("CASEFLOW_STREAM");
    unsetenv ("CASEFLOW_FOLLOW");
    char err [256] = "";
    char *argv [] = { "caseflow-test", "--stream", "assignment-noord", NULL };
    cf_streams_t *streams = s_read (argv, err, sizeof err);
    assert_non_null (streams);
    cf_config_t *config = cf_config_new ("caseflow-test", "test");
    cf_streams_config_add (streams, config);
    assert_int_equal (cf_config_parse (config, 3, argv, NULL, NULL), 0);
    assert_string_equal (cf_config_string (config, "stream"), "assignment-noord");
    assert_string_equal (cf_config_string (config, "follow"), "intake,handover");
    assert_false (cf_config_is_set (config, "follow"));
    cf_config_destroy (&config);
    cf_streams_destroy (&streams);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_defaults), cmocka_unit_test (test_flags_and_environment),
        cmocka_unit_test (test_refusals), cmocka_unit_test (test_the_own_stream_is_not_followed),
        cmocka_unit_test (test_kinds),    cmocka_unit_test (test_config_entries),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
