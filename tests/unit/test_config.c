//  test_config: the configuration table: defaults, environment, flags, the
//  error lines and --help.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_config.h"
#include "cf_error.h"
#include "cf_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  A table like a service's, every type once.
static const cf_config_entry_t s_entries [] = {
    { "data-dir", "CFTEST_DATA_DIR", CF_CONFIG_STRING, "./var/test", "where the store lives", NULL,
      0, 0 },
    { "port", "CFTEST_PORT", CF_CONFIG_INT, "8601", "HTTP port", NULL, 1, 65535 },
    { "map-size", "CFTEST_MAP_SIZE", CF_CONFIG_SIZE, "1G", "LMDB map size", NULL, 1024 * 1024,
      INT64_C (1) << 40 },
    { "callback-interval", "CFTEST_CALLBACK_INTERVAL", CF_CONFIG_DURATION, "14d",
      "time between callbacks", NULL, 60000000, INT64_C (366) * 86400 * 1000000 },
    { "start", "CFTEST_START", CF_CONFIG_TIME, "2022-01-03", "manual clock start", NULL, 0, 0 },
    { "demo", "CFTEST_DEMO", CF_CONFIG_BOOL, "false", "play the demo", NULL, 0, 0 },
    { "clock", "CFTEST_CLOCK", CF_CONFIG_CHOICE, "system", "system or manual clock",
      "system|manual", 0, 0 },
    { "clock-start", "CFTEST_CLOCK_START", CF_CONFIG_TIME, "", "first reading, or none", NULL, 0,
      0 },
    { "events-bind", "CFTEST_EVENTS_BIND", CF_CONFIG_BIND, "tcp://127.0.0.1:5601",
      "events endpoint", NULL, 0, 0 },
    { "intake-api", "CFTEST_INTAKE_API", CF_CONFIG_CONNECT, "tcp://127.0.0.1:5602",
      "upstream api endpoint", NULL, 0, 0 },
};

typedef struct {
    cf_config_t *config;
    char *out_text, *err_text;
    size_t out_size, err_size;
    FILE *out, *err;
} s_fixture_t;

static void
s_unset_all (void)
{
    for (size_t index = 0; index < sizeof s_entries / sizeof s_entries [0]; index++)
        unsetenv (s_entries [index].env);
    unsetenv ("CFTEST_CLOCK_START");
    unsetenv ("CFTEST_API");
}

//  Empties the error output, so the next error line is alone in it.
static void
s_reset_err (s_fixture_t *self)
{
    fclose (self->err);
    free (self->err_text);
    self->err_text = NULL;
    self->err = open_memstream (&self->err_text, &self->err_size);
}

static int
s_setup (void **state)
{
    s_unset_all ();
    s_fixture_t *self = calloc (1, sizeof *self);
    self->config = cf_config_new ("caseflow-test", "A service for tests.");
    cf_config_add (self->config, s_entries, sizeof s_entries / sizeof s_entries [0]);
    self->out = open_memstream (&self->out_text, &self->out_size);
    self->err = open_memstream (&self->err_text, &self->err_size);
    *state = self;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *self = *state;
    cf_config_destroy (&self->config);
    assert_null (self->config);
    fclose (self->out);
    fclose (self->err);
    free (self->out_text);
    free (self->err_text);
    free (self);
    s_unset_all ();
    return 0;
}

//  Parses a NULL-terminated list of arguments after the program name.
static int
s_parse (s_fixture_t *self, ...)
{
    char *argv [32] = { "caseflow-test" };
    int argc = 1;
    va_list args;
    va_start (args, self);
    for (char *arg = va_arg (args, char *); arg; arg = va_arg (args, char *))
        argv [argc++] = arg;
    va_end (args);
    int rc = cf_config_parse (self->config, argc, argv, self->out, self->err);
    fflush (self->out);
    fflush (self->err);
    return rc;
}

//  The error output must be one line naming `flag` and `env`.
static void
s_assert_error_line (s_fixture_t *self, const char *flag, const char *env)
{
    const char *text = self->err_text;
    assert_non_null (text);
    if (!strstr (text, flag) || (env && !strstr (text, env)))
        fail_msg ("error line does not name %s and %s: %s", flag, env, text);
    assert_true (strncmp (text, "caseflow-test: ", 15) == 0);
    size_t len = strlen (text);
    assert_true (len > 0 && text [len - 1] == '\n');
    assert_null (memchr (text, '\n', len - 1));
}

static void
test_defaults (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (s_parse (self, NULL), 0);
    assert_string_equal (cf_config_string (self->config, "data-dir"), "./var/test");
    assert_int_equal (cf_config_int (self->config, "port"), 8601);
    assert_int_equal (cf_config_int (self->config, "map-size"), INT64_C (1) << 30);
    assert_int_equal (cf_config_int (self->config, "callback-interval"), 14 * CF_USEC_PER_DAY);
    int64_t start;
    assert_int_equal (cf_time_parse ("2022-01-03", &start), 0);
    assert_int_equal (cf_config_int (self->config, "start"), start);
    assert_false (cf_config_bool (self->config, "demo"));
    assert_int_equal (cf_config_int (self->config, "demo"), 0);
    assert_string_equal (cf_config_string (self->config, "clock"), "system");
    assert_false (cf_config_is_set (self->config, "port"));
    assert_int_equal (self->err_size, 0);
}

static void
test_environment_and_precedence (void **state)
{
    s_fixture_t *self = *state;
    setenv ("CFTEST_PORT", "9000", 1);
    setenv ("CFTEST_CLOCK", "manual", 1);
    setenv ("CFTEST_DATA_DIR", "/srv/env", 1);
    //  Set but empty counts as unset.
    setenv ("CFTEST_MAP_SIZE", "", 1);
    assert_int_equal (s_parse (self, "--data-dir=/srv/flag", NULL), 0);
    assert_int_equal (cf_config_int (self->config, "port"), 9000);
    assert_true (cf_config_is_set (self->config, "port"));
    assert_string_equal (cf_config_string (self->config, "clock"), "manual");
    //  The flag wins over the environment.
    assert_string_equal (cf_config_string (self->config, "data-dir"), "/srv/flag");
    assert_true (cf_config_is_set (self->config, "data-dir"));
    assert_int_equal (cf_config_int (self->config, "map-size"), INT64_C (1) << 30);
    assert_false (cf_config_is_set (self->config, "map-size"));

    //  A second parse starts again from the defaults.
    s_unset_all ();
    assert_int_equal (s_parse (self, NULL), 0);
    assert_int_equal (cf_config_int (self->config, "port"), 8601);
    assert_string_equal (cf_config_string (self->config, "data-dir"), "./var/test");
}

static void
test_flag_forms (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (s_parse (self, "--port", "1234", "--clock=manual", "--data-dir", "",
                               "--start", "2022-07-01T12:00", "--callback-interval=1d12h", NULL),
                      0);
    assert_int_equal (cf_config_int (self->config, "port"), 1234);
    assert_string_equal (cf_config_string (self->config, "clock"), "manual");
    assert_string_equal (cf_config_string (self->config, "data-dir"), "");
    int64_t start;
    assert_int_equal (cf_time_parse ("2022-07-01T10:00:00Z", &start), 0);
    assert_int_equal (cf_config_int (self->config, "start"), start);
    assert_int_equal (cf_config_int (self->config, "callback-interval"), 36 * CF_USEC_PER_HOUR);

    //  The last of a repeated flag wins.
    assert_int_equal (s_parse (self, "--port=1", "--port=2", NULL), 0);
    assert_int_equal (cf_config_int (self->config, "port"), 2);
}

static void
test_bool (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (s_parse (self, "--demo", NULL), 0);
    assert_true (cf_config_bool (self->config, "demo"));
    assert_int_equal (s_parse (self, "--demo=off", NULL), 0);
    assert_false (cf_config_bool (self->config, "demo"));
    assert_int_equal (s_parse (self, "--demo=YES", NULL), 0);
    assert_true (cf_config_bool (self->config, "demo"));
    setenv ("CFTEST_DEMO", "1", 1);
    assert_int_equal (s_parse (self, NULL), 0);
    assert_true (cf_config_bool (self->config, "demo"));
    assert_int_equal (s_parse (self, "--demo=false", NULL), 0);
    assert_false (cf_config_bool (self->config, "demo"));

    //  A bool flag alone never swallows the next word.
    assert_int_equal (s_parse (self, "--demo", "false", NULL), CF_EINVAL);
    s_assert_error_line (self, "\"false\"", NULL);
    s_reset_err (self);
    assert_int_equal (s_parse (self, "--demo=maybe", NULL), CF_EINVAL);
    s_assert_error_line (self, "--demo", "CFTEST_DEMO");
}

static void
test_sizes (void **state)
{
    s_fixture_t *self = *state;
    struct {
        const char *text;
        int64_t bytes;
    } sizes [] = {
        { "1048576", 1048576 },         { "512M", INT64_C (512) << 20 },
        { "2g", INT64_C (2) << 30 },    { "1T", INT64_C (1) << 40 },
        { "4096K", 4096 * 1024 },       { "1GiB", INT64_C (1) << 30 },
        { "64MB", INT64_C (64) << 20 },
    };
    for (size_t index = 0; index < sizeof sizes / sizeof sizes [0]; index++) {
        char arg [64];
        snprintf (arg, sizeof arg, "--map-size=%s", sizes [index].text);
        assert_int_equal (s_parse (self, arg, NULL), 0);
        assert_int_equal (cf_config_int (self->config, "map-size"), sizes [index].bytes);
    }
    assert_int_equal (s_parse (self, "--map-size=12Q", NULL), CF_EINVAL);
    assert_string_equal (self->err_text, "caseflow-test: --map-size (CFTEST_MAP_SIZE): "
                                         "\"12Q\" is not a size (use e.g. 1G, 512M)\n");
}

static void
test_bounds_and_values (void **state)
{
    s_fixture_t *self = *state;
    struct {
        const char *arg, *flag, *env;
    } bad [] = {
        { "--port=0", "--port", "CFTEST_PORT" },
        { "--port=65536", "--port", "CFTEST_PORT" },
        { "--port=12ab", "--port", "CFTEST_PORT" },
        { "--port= 12", "--port", "CFTEST_PORT" },
        { "--port=99999999999999999999", "--port", "CFTEST_PORT" },
        { "--map-size=1K", "--map-size", "CFTEST_MAP_SIZE" },
        { "--map-size=2T", "--map-size", "CFTEST_MAP_SIZE" },
        { "--map-size=-1G", "--map-size", "CFTEST_MAP_SIZE" },
        { "--callback-interval=30s", "--callback-interval", "CFTEST_CALLBACK_INTERVAL" },
        { "--callback-interval=14", "--callback-interval", "CFTEST_CALLBACK_INTERVAL" },
        { "--start=2022-02-30", "--start", "CFTEST_START" },
        { "--clock=auto", "--clock", "CFTEST_CLOCK" },
    };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++) {
        s_reset_err (self);
        assert_int_equal (s_parse (self, bad [index].arg, NULL), CF_EINVAL);
        s_assert_error_line (self, bad [index].flag, bad [index].env);
    }
    //  The bounds themselves are allowed.
    assert_int_equal (s_parse (self, "--port=1", "--map-size=1M", "--callback-interval=1m", NULL),
                      0);

    //  A bad value from the environment names both, too.
    s_reset_err (self);
    setenv ("CFTEST_CLOCK", "sundial", 1);
    assert_int_equal (s_parse (self, NULL), CF_EINVAL);
    s_assert_error_line (self, "--clock", "CFTEST_CLOCK");
    assert_non_null (strstr (self->err_text, "\"sundial\" is not one of system|manual"));
}

//  A TIME entry whose default is empty may stay empty: no time.
static void
test_optional_time (void **state)
{
    s_fixture_t *self = *state;
    int64_t at = 42;
    assert_int_equal (s_parse (self, NULL), 0);
    assert_false (cf_config_time (self->config, "clock-start", &at));
    assert_int_equal (at, 42);
    assert_int_equal (s_parse (self, "--clock-start=", NULL), 0);
    assert_false (cf_config_time (self->config, "clock-start", &at));

    int64_t expected;
    assert_int_equal (cf_time_parse ("2022-01-03T08:00", &expected), 0);
    assert_int_equal (s_parse (self, "--clock-start", "2022-01-03T08:00", NULL), 0);
    assert_true (cf_config_time (self->config, "clock-start", &at));
    assert_int_equal (at, expected);
    setenv ("CFTEST_CLOCK_START", "2022-01-03T08:00", 1);
    assert_int_equal (s_parse (self, NULL), 0);
    assert_true (cf_config_time (self->config, "clock-start", &at));
    assert_int_equal (at, expected);
    unsetenv ("CFTEST_CLOCK_START");
    //  One whose default is a time may not.
    assert_true (cf_config_time (self->config, "start", &at));
    s_reset_err (self);
    assert_int_equal (s_parse (self, "--start=", NULL), CF_EINVAL);
    s_assert_error_line (self, "--start", "CFTEST_START");

    //  A time that is not one is refused at parse time, naming the flag.
    const char *bad [] = { "yesterday", "2022-13-01", "2022-01-03T25:00", "03-01-2022" };
    for (size_t index = 0; index < sizeof bad / sizeof bad [0]; index++) {
        char arg [64];
        snprintf (arg, sizeof arg, "--clock-start=%s", bad [index]);
        s_reset_err (self);
        assert_int_equal (s_parse (self, arg, NULL), CF_EINVAL);
        s_assert_error_line (self, "--clock-start", "CFTEST_CLOCK_START");
        assert_non_null (strstr (self->err_text, "is not a time"));
    }
}

//  Endpoints are checked when parsed, each refusal naming the flag, its
//  environment variable and what is wrong.
static void
test_endpoints (void **state)
{
    s_fixture_t *self = *state;
    const char *good_bind [] = {
        "tcp://127.0.0.1:5601",
        "tcp://*:5601",
        "tcp://127.0.0.1:*",
        "tcp://*:*",
        "tcp://localhost:1",
        "tcp://eth0:65535",
        "tcp://[::1]:5601",
        "tcp://[::]:*",
        "ipc:///tmp/x.ipc",
        "ipc://@abstract",
        "inproc://events",
        "ipc://*",
        "tcp://intake.caseflow.svc.cluster.local:5601",
    };
    for (size_t index = 0; index < sizeof good_bind / sizeof good_bind [0]; index++) {
        char arg [128];
        snprintf (arg, sizeof arg, "--events-bind=%s", good_bind [index]);
        s_reset_err (self);
        if (s_parse (self, arg, NULL) != 0)
            fail_msg ("%s refused: %s", good_bind [index], self->err_text);
        assert_string_equal (cf_config_string (self->config, "events-bind"), good_bind [index]);
    }
    //  "none": an upstream the deployment does not run (cf_upstreams.h).
    const char *good_connect [] = { "tcp://127.0.0.1:5602", "tcp://intake:5602",
                                    "tcp://[::1]:5602",     "ipc:///run/intake.ipc",
                                    "inproc://x",           CF_CONFIG_NONE };
    for (size_t index = 0; index < sizeof good_connect / sizeof good_connect [0]; index++) {
        char arg [128];
        snprintf (arg, sizeof arg, "--intake-api=%s", good_connect [index]);
        s_reset_err (self);
        if (s_parse (self, arg, NULL) != 0)
            fail_msg ("%s refused: %s", good_connect [index], self->err_text);
    }

    struct {
        const char *value, *why;
    } bad_bind [] = {
        { "garbage", "is not a ZeroMQ endpoint" },
        { "tcp://127.0.0.1:99999", "a port is 1 to 65535, or * for any free one" },
        { "tcp://127.0.0.1:0", "a port is 1 to 65535" },
        { "tcp://127.0.0.1:-5", "a port is 1 to 65535" },
        { "tcp://127.0.0.1:5601x", "a port is 1 to 65535" },
        { "tcp://127.0.0.1:", "a port is 1 to 65535" },
        { "tcp://127.0.0.1", "has no port" },
        { "tcp://:5601", "has no valid host" },
        { "tcp://bad host:5601", "has no valid host" },
        { "tcp://[::1]", "has no port" },
        { "http://127.0.0.1:5601", "is not a ZeroMQ endpoint" },
        { "127.0.0.1:5601", "is not a ZeroMQ endpoint" },
        { "ipc://", "names no path" },
        { "inproc://", "names no name" },
        { "", "is not a ZeroMQ endpoint" },
        { "none", "is not a ZeroMQ endpoint" },  //  a socket is bound somewhere, always
    };
    for (size_t index = 0; index < sizeof bad_bind / sizeof bad_bind [0]; index++) {
        char arg [128];
        snprintf (arg, sizeof arg, "--events-bind=%s", bad_bind [index].value);
        s_reset_err (self);
        assert_int_equal (s_parse (self, arg, NULL), CF_EINVAL);
        s_assert_error_line (self, "--events-bind", "CFTEST_EVENTS_BIND");
        if (!strstr (self->err_text, bad_bind [index].why))
            fail_msg ("%s: expected \"%s\" in: %s", bad_bind [index].value, bad_bind [index].why,
                      self->err_text);
    }
    //  A connect needs a host and a port of its own.
    struct {
        const char *value, *why;
    } bad_connect [] = {
        { "tcp://*:5602", "only a bind takes" },
        { "tcp://127.0.0.1:*", "a port is 1 to 65535" },
        { "tcp://127.0.0.1:70000", "a port is 1 to 65535" },
        { "garbage", "is not a ZeroMQ endpoint" },
    };
    for (size_t index = 0; index < sizeof bad_connect / sizeof bad_connect [0]; index++) {
        char arg [128];
        snprintf (arg, sizeof arg, "--intake-api=%s", bad_connect [index].value);
        s_reset_err (self);
        assert_int_equal (s_parse (self, arg, NULL), CF_EINVAL);
        s_assert_error_line (self, "--intake-api", "CFTEST_INTAKE_API");
        if (!strstr (self->err_text, bad_connect [index].why))
            fail_msg ("%s: expected \"%s\" in: %s", bad_connect [index].value,
                      bad_connect [index].why, self->err_text);
    }
    assert_null (strstr (self->err_text, "or * for any"));
    //  From the environment too.
    setenv ("CFTEST_EVENTS_BIND", "tcp://127.0.0.1:99999", 1);
    s_reset_err (self);
    assert_int_equal (s_parse (self, NULL), CF_EINVAL);
    s_assert_error_line (self, "--events-bind", "CFTEST_EVENTS_BIND");
    assert_string_equal (self->err_text,
                         "caseflow-test: --events-bind (CFTEST_EVENTS_BIND): "
                         "\"tcp://127.0.0.1:99999\" has port \"99999\": a port is 1 to 65535, "
                         "or * for any free one\n");
    unsetenv ("CFTEST_EVENTS_BIND");
}

static void
test_unknown_and_missing (void **state)
{
    s_fixture_t *self = *state;
    assert_int_equal (s_parse (self, "--colour=blue", NULL), CF_EINVAL);
    s_assert_error_line (self, "--colour", NULL);

    s_reset_err (self);
    assert_int_equal (s_parse (self, "stray", NULL), CF_EINVAL);
    s_assert_error_line (self, "stray", NULL);

    s_reset_err (self);
    assert_int_equal (s_parse (self, "--port", NULL), CF_EINVAL);
    s_assert_error_line (self, "--port", "CFTEST_PORT");

    s_reset_err (self);
    assert_int_equal (s_parse (self, "--port", "--demo", NULL), CF_EINVAL);
    s_assert_error_line (self, "--port", "CFTEST_PORT");

    //  A required entry (no default) must come from somewhere.
    static const cf_config_entry_t required [] = {
        { "api", "CFTEST_API", CF_CONFIG_STRING, NULL, "api endpoint", NULL, 0, 0 },
    };
    cf_config_add (self->config, required, 1);
    s_reset_err (self);
    assert_int_equal (s_parse (self, NULL), CF_EINVAL);
    s_assert_error_line (self, "--api", "CFTEST_API");
    assert_non_null (strstr (self->err_text, "required"));

    s_reset_err (self);
    assert_int_equal (s_parse (self, "--api=", NULL), CF_EINVAL);
    s_assert_error_line (self, "--api", "CFTEST_API");

    setenv ("CFTEST_API", "tcp://127.0.0.1:8600", 1);
    assert_int_equal (s_parse (self, NULL), 0);
    assert_string_equal (cf_config_string (self->config, "api"), "tcp://127.0.0.1:8600");
}

static void
test_help (void **state)
{
    s_fixture_t *self = *state;
    //  --help wins even next to a mistake.
    assert_int_equal (s_parse (self, "--port=nope", "--help", NULL), CF_EHELP);
    assert_int_equal (self->err_size, 0);
    const char *help = self->out_text;
    assert_non_null (help);
    assert_non_null (strstr (help, "Usage: caseflow-test"));
    assert_non_null (strstr (help, "A service for tests."));
    for (size_t index = 0; index < sizeof s_entries / sizeof s_entries [0]; index++) {
        char flag [64];
        snprintf (flag, sizeof flag, "--%s", s_entries [index].name);
        assert_non_null (strstr (help, flag));
        assert_non_null (strstr (help, s_entries [index].env));
        assert_non_null (strstr (help, s_entries [index].help));
    }
    assert_non_null (strstr (help, "\"14d\""));

    char *markdown = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&markdown, &size);
    cf_config_print_markdown (self->config, out);
    fclose (out);
    assert_non_null (strstr (markdown, "| `--map-size SIZE` | `CFTEST_MAP_SIZE` | `1G` |"));
    assert_non_null (strstr (markdown, "system\\|manual"));
    free (markdown);
}

//  A help text longer than a line is broken at spaces into lines of at
//  most 79 columns, each under the flag, and loses no word; the Markdown
//  reference keeps it on one line.
static void
test_help_wraps_long_text (void **unused)
{
    (void) unused;
    const char *text = "CURVE key set (made by caseflowctl keys generate): every socket "
                       "encrypted, only the keys in its public/ admitted, each to what its "
                       "role allows; default: plaintext";
    const cf_config_entry_t entries [] = {
        { "keys-dir", "CFTEST_KEYS_DIR", CF_CONFIG_STRING, "", text, NULL, 0, 0 },
    };
    cf_config_t *config = cf_config_new ("caseflow-test", "A service for tests.");
    cf_config_add (config, entries, 1);
    char *help = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&help, &size);
    cf_config_print_help (config, out);
    fclose (out);
    //  Every line fits.
    for (char *line = help; *line;) {
        char *end = strchr (line, '\n');
        assert_non_null (end);
        assert_true (end - line <= 79);
        line = end + 1;
    }
    //  The lines between the flag and its env line, joined, give the text
    //  back.
    char joined [512] = "";
    size_t help_lines = 0;
    char *line = strstr (help, "  --keys-dir VALUE\n");
    assert_non_null (line);
    for (line = strchr (line, '\n') + 1; strncmp (line, "      env ", 10) != 0;) {
        char *end = strchr (line, '\n');
        assert_memory_equal (line, "      ", 6);
        if (*joined)
            strcat (joined, " ");
        strncat (joined, line + 6, (size_t) (end - line - 6));
        help_lines++;
        line = end + 1;
    }
    assert_true (help_lines >= 2);
    assert_string_equal (joined, text);
    free (help);

    help = NULL;
    out = open_memstream (&help, &size);
    cf_config_print_markdown (config, out);
    fclose (out);
    assert_non_null (strstr (help, text));
    free (help);
    cf_config_destroy (&config);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_defaults, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_environment_and_precedence, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_flag_forms, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_bool, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_sizes, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_bounds_and_values, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_optional_time, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_endpoints, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_unknown_and_missing, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_help, s_setup, s_teardown),
        cmocka_unit_test (test_help_wraps_long_text),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
