//  ctl_clock: `clock set TIME` and `clock advance DURATION`, sent to every
//  service (or those named with --only), for runs on the manual clock.
#include "ctl.h"

#include <string.h>

static const char *s_usage =
    "usage: caseflowctl clock <verb> [args]\n"
    "\n"
    "The manual clock of every service (started with --clock=manual).\n"
    "\n"
    "verbs:\n"
    "  set TIME [--only SERVICE[,SERVICE]]          move the clocks to TIME\n"
    "  advance DURATION [--only SERVICE[,SERVICE]]  move the clocks forward\n"
    "\n"
    "TIME is ISO 8601 (a date alone is 00:00 Europe/Amsterdam); DURATION like 14d, 2w,\n"
    "3h, 90m. Every service is tried; exit status 3 if one did not answer.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

int
ctl_clock_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "only", true, false }, { NULL } };
    if (argc < 2)
        return ctl_usage_error ("clock: give a verb: set or advance (see clock --help)");
    if (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    bool set = strcmp (argv [1], "set") == 0;
    if (!set && strcmp (argv [1], "advance") != 0)
        return ctl_usage_error ("clock: unknown verb \"%s\" (set or advance)", argv [1]);
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc - 1, argv + 1, s_usage);
    int rc = ctl_args_positional (&args, 1, set ? "TIME" : "DURATION");
    if (rc)
        return rc;
    Caseflow__V1__ClockSet clock_set = CASEFLOW__V1__CLOCK_SET__INIT;
    Caseflow__V1__ClockAdvance clock_advance = CASEFLOW__V1__CLOCK_ADVANCE__INIT;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    if (set) {
        rc = ctl_parse_time ("TIME", args.positional [0], &clock_set.at);
        command.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_SET;
        command.clock_set = &clock_set;
    } else {
        rc = ctl_parse_duration ("DURATION", args.positional [0], &clock_advance.micros);
        command.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE;
        command.clock_advance = &clock_advance;
    }
    if (rc)
        return rc;
    bool wanted [CTL_SERVICE_COUNT] = { true, true, true, true };
    const char *only = ctl_arg (&args, "only");
    if (only) {
        size_t count = 0;
        char **names = ctl_split (only, &count);
        memset (wanted, 0, sizeof wanted);
        for (size_t n = 0; n < count; n++) {
            bool known = false;
            for (int s = 0; s < CTL_SERVICE_COUNT; s++)
                if (strcmp (names [n], ctl_service_name (s)) == 0)
                    wanted [s] = known = true;
            if (!known) {
                ctl_usage_error ("--only: \"%s\" is not a service", names [n]);
                ctl_strings_free (names, count);
                return CTL_USAGE;
            }
        }
        ctl_strings_free (names, count);
    }
    int status = CTL_OK;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    if (ctl->json)
        ctl_json_array_begin (&json);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        if (!wanted [s])
            continue;
        Caseflow__V1__Reply *reply = NULL;
        rc = ctl_command (ctl, s, &command, &reply);
        int64_t now = 0;
        if (rc == CTL_OK && reply->command && reply->command->clock)
            now = reply->command->clock->now;
        if (ctl->json) {
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "service");
            ctl_json_string (&json, ctl_service_name (s));
            ctl_json_key (&json, "ok");
            ctl_json_bool (&json, rc == CTL_OK);
            ctl_json_key (&json, "now");
            ctl_json_time (&json, now);
            ctl_json_object_end (&json);
        } else if (rc == CTL_OK) {
            char text [40];
            printf ("%-13s clock at %s\n", ctl_service_name (s),
                    ctl_time_text (now, text, sizeof text));
        }
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
        if (rc != CTL_OK && (status == CTL_OK || rc == CTL_UNREACHABLE))
            status = rc;
    }
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    }
    return status;
}
