//  caseflowctl: the operator's and integrator's command line (CLI.md).
//
//      caseflowctl [global options] <group> <verb> [args]
//
//  Global options come before the group; each service's api endpoint has a
//  flag and an environment twin with the default ports of DESIGN.md.
#include "ctl.h"

#include "cf_log.h"
#include "cf_time.h"

#include <assert.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    int (*main) (ctl_t *ctl, int argc, char **argv);
    const char *help;
    const char *verbs;  //  its verbs, or its arguments when it has none
} s_group_t;

static const s_group_t s_groups [] = {
#ifdef CTL_HAVE_INTAKE
    { "intake", ctl_intake_main, "cases from registration to closure",
      "register, triage, callback, advise, withdraw, close, show, list, find,\n"
      "counts, track add|join|list" },
#endif
#ifdef CTL_HAVE_ASSIGNMENT
    { "assignment", ctl_assignment_main, "locations, workers, absence and assignment",
      "location add|list, worker add|change|absent|return|leave|list,\n"
      "assign, start, complete, show, explain" },
    { "waiting", ctl_waiting_main, "the waiting list, in order", "[--limit N] [--location LOC]" },
#endif
#ifdef CTL_HAVE_HANDOVER
    { "handover", ctl_handover_main, "residents handed over from specialist providers",
      "provider add|list, announce, caseload, plan, held, decide, files,\n"
      "complete, cancel, show, list, progress" },
#endif
#ifdef CTL_HAVE_REMINDERS
    { "reminders", ctl_reminders_main, "callback reminders and alerts",
      "(list) [--kind K] [--due], follow, ack, show, today, compliance" },
#endif
#ifdef CTL_HAVE_CASE
    { "case", ctl_case_main, "one case's whole timeline across the streams",
      "show CASE [--at TIME]" },
#endif
#ifdef CTL_HAVE_REPORT
    { "report", ctl_report_main, "the council figures, for any date", "[--at TIME] [--csv]" },
#endif
    { "tail", ctl_tail_main, "live events, one line each", "[STREAM...] [--from SEQ] [--count N]" },
    { "clock", ctl_clock_main, "the manual clock of every service", "set TIME, advance DURATION" },
    { "status", ctl_status_main, "alive, ready, journal size and upstream lag of each service",
      "[--settle]" },
    { "digest", ctl_digest_main, "SHA-256 of each service's state, to compare across restarts",
      "[SERVICE...]" },
    { "batch", ctl_batch_main, "commands read from standard input, one a line",
      "(no arguments; for scripts: one process for many commands)" },
    { "keys", ctl_keys_main, "CURVE key sets: who may connect, and with what role",
      "generate --dir DIR [--name NAME --role service|operator|consumer]" },
};

static const struct {
    const char *api_env, *events_env, *api_default, *events_default;
} s_endpoints [CTL_SERVICE_COUNT] = {
    { "CASEFLOW_INTAKE_API", "CASEFLOW_INTAKE_EVENTS", "tcp://127.0.0.1:5602",
      "tcp://127.0.0.1:5601" },
    { "CASEFLOW_ASSIGNMENT_API", "CASEFLOW_ASSIGNMENT_EVENTS", "tcp://127.0.0.1:5612",
      "tcp://127.0.0.1:5611" },
    { "CASEFLOW_HANDOVER_API", "CASEFLOW_HANDOVER_EVENTS", "tcp://127.0.0.1:5622",
      "tcp://127.0.0.1:5621" },
    { "CASEFLOW_NOTIFICATION_API", "CASEFLOW_NOTIFICATION_EVENTS", "tcp://127.0.0.1:5632",
      "tcp://127.0.0.1:5631" },
};

static void
s_print_help (FILE *out)
{
    fprintf (out, "usage: caseflowctl [global options] <group> [<verb>] [args]\n"
                  "\n"
                  "The command line of caseflow's services (docs/cli.md documents every command).\n"
                  "\n"
                  "groups, and their verbs or arguments:\n");
    for (size_t i = 0; i < sizeof s_groups / sizeof s_groups [0]; i++) {
        fprintf (out, "  %-11s %s\n", s_groups [i].name, s_groups [i].help);
        //  The verbs, indented under the description, line by line.
        const char *line = s_groups [i].verbs;
        while (*line) {
            const char *end = strchr (line, '\n');
            int len = end ? (int) (end - line) : (int) strlen (line);
            fprintf (out, "  %-11s   %.*s\n", "", len, line);
            line += len + (end != NULL);
        }
    }
    fprintf (out,
             "\n"
             "global options (before the group):\n"
             "  --json                  one JSON document on stdout instead of tables\n"
             "  --timeout MS            wait per try for a reply (default 2000; 2 retries)\n"
             "  --intake ENDPOINT       intake api (CASEFLOW_INTAKE_API, tcp://127.0.0.1:5602)\n"
             "  --assignment ENDPOINT   assignment api (CASEFLOW_ASSIGNMENT_API, :5612)\n"
             "  --handover ENDPOINT     handover api (CASEFLOW_HANDOVER_API, :5622)\n"
             "  --notification ENDPOINT notification api (CASEFLOW_NOTIFICATION_API, :5632)\n"
             "  --<service>-events ENDPOINT\n"
             "                          events socket of a service, for tail and follow\n"
             "                          (CASEFLOW_<SERVICE>_EVENTS, ports 5601/5611/5621/5631)\n"
             "  --keys-dir DIR          CURVE key set of services run with keys\n"
             "                          (CASEFLOW_KEYS_DIR; default none: plaintext)\n"
             "  --key-name NAME         own key in it: secret/NAME.cert_secret\n"
             "                          (CASEFLOW_KEY_NAME, default operator)\n"
             "\n"
             "Times are ISO 8601 (a date alone is 00:00 Europe/Amsterdam); durations 14d, 2w,\n"
             "3h, 90m.\n"
             "exit status: 0 done, 1 the service refused (code, field and message on stderr),\n"
             "2 usage error, 3 a service did not answer.\n"
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
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        const char *api = getenv (s_endpoints [s].api_env);
        const char *events = getenv (s_endpoints [s].events_env);
        ctl.api [s] = api && *api ? api : s_endpoints [s].api_default;
        ctl.events [s] = events && *events ? events : s_endpoints [s].events_default;
    }
    int i = 1;
    for (; i < argc && strncmp (argv [i], "--", 2) == 0; i++) {
        const char *value;
        char name [64];
        bool matched = false;
        if (strcmp (argv [i], "--json") == 0) {
            ctl.json = true;
            continue;
        }
        if (strcmp (argv [i], "--help") == 0 || strcmp (argv [i], "-h") == 0) {
            s_print_help (stdout);
            return CTL_OK;
        }
        if ((value = s_option (argc, argv, &i, "--keys-dir"))) {
            ctl.keys_dir = value;
            continue;
        }
        if ((value = s_option (argc, argv, &i, "--key-name"))) {
            ctl.key_name = value;
            continue;
        }
        if ((value = s_option (argc, argv, &i, "--timeout"))) {
            ctl.timeout_ms = atoi (value);
            if (ctl.timeout_ms <= 0)
                return ctl_usage_error ("--timeout: \"%s\" is not a number of milliseconds", value);
            continue;
        }
        for (int s = 0; s < CTL_SERVICE_COUNT && !matched; s++) {
            snprintf (name, sizeof name, "--%s-events", ctl_service_name (s));
            if ((value = s_option (argc, argv, &i, name))) {
                ctl.events [s] = value;
                matched = true;
                break;
            }
            snprintf (name, sizeof name, "--%s", ctl_service_name (s));
            if ((value = s_option (argc, argv, &i, name))) {
                ctl.api [s] = value;
                matched = true;
            }
        }
        if (!matched)
            return ctl_usage_error ("unknown global option %s (see caseflowctl --help)", argv [i]);
    }
    if (i == argc) {
        s_print_help (stderr);
        return CTL_USAGE;
    }
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

int
ctl_run (ctl_t *ctl, int argc, char **argv)
{
    assert (argc >= 1);
    for (size_t g = 0; g < sizeof s_groups / sizeof s_groups [0]; g++)
        if (strcmp (argv [0], s_groups [g].name) == 0)
            return s_groups [g].main (ctl, argc, argv);
    return ctl_usage_error ("unknown command \"%s\" (see caseflowctl --help)", argv [0]);
}
