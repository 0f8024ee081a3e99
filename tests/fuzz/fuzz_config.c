//  fuzz_config: a service's command line. The input, split at NUL bytes,
//  is the argv of a service with two upstreams and entries of every type
//  (the runtime's real table from cf_service_config_new, with the streams
//  cf_streams reads from the same argv); cf_streams_new and
//  cf_config_parse must accept or refuse it, and an accepted table must
//  answer every read.
#include "cf_config.h"
#include "cf_error.h"
#include "cf_fuzz.h"
#include "cf_service_setup.h"
#include "cf_streams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_ARGS 32

static const cf_config_entry_t s_own [] = {
    { "count", "CASEFLOW_FUZZ_COUNT", CF_CONFIG_INT, "5", "an int", NULL, 1, 100 },
    { "window", "CASEFLOW_FUZZ_WINDOW", CF_CONFIG_DURATION, "14d", "a duration", NULL, 0, 0 },
    { "deadline", "CASEFLOW_FUZZ_DEADLINE", CF_CONFIG_TIME, "2022-06-30", "a time", NULL, 0, 0 },
    { "flag", NULL, CF_CONFIG_BOOL, "false", "a bool", NULL, 0, 0 },
    { "partner-api", "CASEFLOW_FUZZ_PARTNER", CF_CONFIG_STRING, NULL, "required", NULL, 0, 0 },
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    static FILE *null;
    if (!null)
        null = fopen ("/dev/null", "w");
    CF_FUZZ_CHECK (null, "cannot open /dev/null");
    static const char *const upstreams [] = { "intake", "handover", NULL };
    cf_service_def_t def = {
        .name = "fuzz",
        .summary = "fuzz",
        .upstreams = upstreams,
        .events_port = 5691,
        .api_port = 5692,
        .http_port = 8691,
        .config = s_own,
        .config_count = sizeof s_own / sizeof s_own [0],
    };
    //  argv: the program, then the input's NUL-separated pieces.
    char *text = malloc (size + 1);
    CF_FUZZ_CHECK (text, "out of memory");
    if (size)
        memcpy (text, data, size);
    text [size] = 0;
    char *argv [S_MAX_ARGS + 2] = { "caseflow-fuzz" };
    int argc = 1;
    for (size_t at = 0; at < size && argc <= S_MAX_ARGS; at += strlen (text + at) + 1)
        argv [argc++] = text + at;
    argv [argc] = NULL;

    cf_streams_t *streams = cf_streams_new ("caseflow-fuzz", "fuzz", upstreams, argc, argv, null);
    if (!streams) {
        free (text);
        return 0;
    }
    cf_config_t *config = cf_service_config_new (&def, streams);
    int rc = cf_config_parse (config, argc, argv, null, null);
    CF_FUZZ_CHECK (rc == 0 || rc == CF_EINVAL || rc == CF_EHELP, "unexpected parse result");
    if (rc == 0) {
        CF_FUZZ_CHECK (cf_config_string (config, "data-dir") != NULL, "no data dir");
        int64_t count = cf_config_int (config, "count");
        CF_FUZZ_CHECK (count >= 1 && count <= 100, "int out of its bounds");
        CF_FUZZ_CHECK (cf_config_int (config, "map-size") >= 1024 * 1024, "map size too small");
        cf_config_int (config, "window");
        cf_config_int (config, "deadline");
        cf_config_bool (config, "flag");
        cf_config_bool (config, "verify");
        CF_FUZZ_CHECK (cf_config_string (config, "partner-api") != NULL, "required missing");
        for (size_t i = 0; i < cf_streams_count (streams); i++) {
            char name [CF_STREAM_MAX + 16];
            snprintf (name, sizeof name, "%s-events", cf_streams_followed (streams) [i]);
            CF_FUZZ_CHECK (cf_config_string (config, name) != NULL, "a followed stream's events");
        }
        cf_config_is_set (config, "clock");
    }
    cf_config_destroy (&config);
    cf_streams_destroy (&streams);
    free (text);
    return 0;
}
