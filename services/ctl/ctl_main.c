//  caseflowctl: the operator's and integrator's command line (CLI.md).
//
//      caseflowctl [global options] <group> <verb> [args]
//
//  Global options come before the group; each service's api endpoint has a
//  flag and an environment twin with the default ports of DESIGN.md. The
//  groups and their verbs are tables (ctl.h); ctl_run runs them.
#include "ctl.h"

#include "cf_api.h"
#include "cf_log.h"
#include "cf_time.h"

#include <czmq.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *api_env, *events_env, *api_default, *events_default;
} s_endpoints [CTL_ENDPOINT_COUNT] = {
    { "CASEFLOW_INTAKE_API", "CASEFLOW_INTAKE_EVENTS", "tcp://127.0.0.1:5602",
      "tcp://127.0.0.1:5601" },
    { "CASEFLOW_ASSIGNMENT_API", "CASEFLOW_ASSIGNMENT_EVENTS", "tcp://127.0.0.1:5612",
      "tcp://127.0.0.1:5611" },
    { "CASEFLOW_HANDOVER_API", "CASEFLOW_HANDOVER_EVENTS", "tcp://127.0.0.1:5622",
      "tcp://127.0.0.1:5621" },
    { "CASEFLOW_NOTIFICATION_API", "CASEFLOW_NOTIFICATION_EVENTS", "tcp://127.0.0.1:5632",
      "tcp://127.0.0.1:5631" },
    { "CASEFLOW_GATEWAY_API", "CASEFLOW_GATEWAY_EVENTS", "tcp://127.0.0.1:5642",
      "tcp://127.0.0.1:5641" },
    { "CASEFLOW_CONSOLE_API", "CASEFLOW_CONSOLE_EVENTS", "tcp://127.0.0.1:5652",
      "tcp://127.0.0.1:5651" },
};

static void
s_print_help (FILE *out)
{
    ctl_help (out);
    fprintf (
        out,
        "\n"
        "global options (before the group):\n"
        "  --json                  one JSON document on stdout instead of tables\n"
        "  --timeout MS            wait per try for a reply (default 2000; 2 retries)\n"
        "  --request-id ID         the id to send the command with (default a fresh one):\n"
        "                          resending a command that got no answer (exit 3) with\n"
        "                          the id it printed acts at most once\n"
        "  --intake ENDPOINT       intake api (CASEFLOW_INTAKE_API, tcp://127.0.0.1:5602)\n"
        "  --assignment ENDPOINT   assignment api (CASEFLOW_ASSIGNMENT_API, :5612)\n"
        "  --handover ENDPOINT     handover api (CASEFLOW_HANDOVER_API, :5622)\n"
        "  --notification ENDPOINT notification api (CASEFLOW_NOTIFICATION_API, :5632)\n"
        "  --gateway ENDPOINT      gateway api (CASEFLOW_GATEWAY_API, :5642; none: not run)\n"
        "  --console ENDPOINT      console api (CASEFLOW_CONSOLE_API, :5652): report, case show\n"
        "  --stream STREAM         the intake shard the intake verbs talk to (intake-noord:\n"
        "                          CASEFLOW_INTAKE_NOORD_API); without it a shard's case id\n"
        "                          (noord-C000007) and register --district (by\n"
        "                          CASEFLOW_INTAKE_SHARDS) route to their shard\n"
        "  --<service>-events ENDPOINT\n"
        "                          events socket of a service, for tail and follow\n"
        "                          (CASEFLOW_<SERVICE>_EVENTS, ports "
        "5601/5611/5621/5631/5641/5651)\n"
        "  --keys-dir DIR          CURVE key set of services run with keys\n"
        "                          (CASEFLOW_KEYS_DIR; default none: plaintext)\n"
        "  --key-name NAME         own key in it: secret/NAME.cert_secret\n"
        "                          (CASEFLOW_KEY_NAME, default operator)\n"
        "  --on-behalf-of WHO      the person the requests are made for (a user id;\n"
        "                          CASEFLOW_ON_BEHALF_OF): recorded in events and the\n"
        "                          access log; with keys only a proxy key may send it\n"
        "\n"
        "Times are ISO 8601 (a date alone is 00:00 Europe/Amsterdam); durations 14d, 2w,\n"
        "3h, 90m. Without a time, \"now\" is the services' clock (the manual one in a demo).\n"
        "exit status: 0 done, 1 the service refused (code, field and message on stderr),\n"
        "2 usage error, 3 a service did not answer (a command may or may not have\n"
        "been applied: resend it with the --request-id it printed).\n"
        "'caseflowctl <group> --help' shows a group's verbs with their arguments.\n");
}

//  Reads "--name value" or "--name=value" at argv[*i]; returns the value or
//  NULL when argv[*i] is not that option.
static const char *
s_option (int argc, char **argv, int *i, const char *name)
{
    size_t len = strlen (name);
    const char *word = argv [*i];
    if (strncmp (word, name, len) != 0)
        return NULL;
    if (word [len] == '=')
        return word + len + 1;
    if (word [len] == 0 && *i + 1 < argc)
        return argv [++*i];
    return NULL;
}

//  One global option at argv[*i] into ctl: CTL_OK, CTL_USAGE (printed),
//  or -1 for --help.
static int
s_global (ctl_t *ctl, int argc, char **argv, int *i)
{
    const char *value;
    if (strcmp (argv [*i], "--json") == 0)
        ctl->json = true;
    else if (strcmp (argv [*i], "--help") == 0 || strcmp (argv [*i], "-h") == 0)
        return -1;
    else if ((value = s_option (argc, argv, i, "--keys-dir")))
        ctl->keys_dir = value;
    else if ((value = s_option (argc, argv, i, "--key-name")))
        ctl->key_name = value;
    else if ((value = s_option (argc, argv, i, "--on-behalf-of")))
        ctl->on_behalf_of = value;
    else if ((value = s_option (argc, argv, i, "--stream")))
        ctl->stream = value;
    else if ((value = s_option (argc, argv, i, "--request-id"))) {
        if (!cf_api_token_valid (value))
            return ctl_usage_error ("--request-id: \"%s\" is not a request id (1 to %d printable "
                                    "ASCII characters without spaces)",
                                    value, CF_API_MAX_REQUEST_ID);
        ctl->request_id = value;
    } else if ((value = s_option (argc, argv, i, "--timeout"))) {
        ctl->timeout_ms = atoi (value);
        if (ctl->timeout_ms <= 0)
            return ctl_usage_error ("--timeout: \"%s\" is not a number of milliseconds", value);
    } else {
        for (int s = 0; s < CTL_ENDPOINT_COUNT; s++) {
            char name [64];
            snprintf (name, sizeof name, "--%s-events", ctl_service_name (s));
            if ((value = s_option (argc, argv, i, name))) {
                ctl->events [s] = value;
                return CTL_OK;
            }
            snprintf (name, sizeof name, "--%s", ctl_service_name (s));
            if ((value = s_option (argc, argv, i, name))) {
                ctl->api [s] = value;
                return CTL_OK;
            }
        }
        return ctl_usage_error ("unknown global option %s (see caseflowctl --help)", argv [*i]);
    }
    return CTL_OK;
}

int
main (int argc, char **argv)
{
    zsys_handler_set (NULL);
    cf_time_init ();
    cf_log_init ("caseflowctl", CF_LOG_WARN);
    ctl_t ctl = { .timeout_ms = 2000,
                  .keys_dir = getenv ("CASEFLOW_KEYS_DIR"),
                  .key_name = getenv ("CASEFLOW_KEY_NAME") };
    if (!ctl.keys_dir)
        ctl.keys_dir = "";
    if (!ctl.key_name || !*ctl.key_name)
        ctl.key_name = "operator";
    ctl.request_id = "";
    ctl.stream = NULL;
    ctl.on_behalf_of = getenv ("CASEFLOW_ON_BEHALF_OF");
    if (!ctl.on_behalf_of)
        ctl.on_behalf_of = "";
    for (int s = 0; s < CTL_ENDPOINT_COUNT; s++) {
        const char *api = getenv (s_endpoints [s].api_env);
        const char *events = getenv (s_endpoints [s].events_env);
        ctl.api [s] = api && *api ? api : s_endpoints [s].api_default;
        ctl.events [s] = events && *events ? events : s_endpoints [s].events_default;
    }
    int i = 1;
    for (; i < argc && strncmp (argv [i], "--", 2) == 0; i++) {
        int rc = s_global (&ctl, argc, argv, &i);
        if (rc < 0) {
            s_print_help (stdout);
            return CTL_OK;
        }
        if (rc != CTL_OK)
            return rc;
    }
    if (i == argc) {
        s_print_help (stderr);
        return CTL_USAGE;
    }
    if (ctl.stream && ctl_shard_select (&ctl, ctl.stream, "--stream") != CTL_OK)
        return CTL_USAGE;
    //  Key sets are made by "keys", which must not need one.
    if (*ctl.keys_dir && strcmp (argv [i], "keys") != 0) {
        ctl.keys = cf_keys_load (ctl.keys_dir, ctl.key_name, NULL);
        if (!ctl.keys)
            return ctl_usage_error ("--keys-dir %s --key-name %s: no usable key pair "
                                    "%s/secret/%s.cert_secret",
                                    ctl.keys_dir, ctl.key_name, ctl.keys_dir, ctl.key_name);
    }
    int rc = ctl_run (&ctl, argc - i, argv + i);
    cf_keys_destroy (&ctl.keys);
    return rc;
}
