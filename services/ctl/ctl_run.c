//  ctl_run: the one runner every verb goes through (see ctl.h): find the
//  row, parse its flags, build its message, send it, print the result
//  (text or --json) and free it all.
#include "ctl.h"
#include "ctl_render.h"

#include <stdlib.h>
#include <string.h>

//  Every group, in the order of caseflowctl --help, with its notes.
static const ctl_group_t s_groups [] = {
    { "intake", "cases from registration to closure: the intake service",
      "Domains: youth, support, work-income, debt, housing, mental-health, other.\n"
      "Statuses: registered, waiting, urgent, assigned, active, closed.\n" },
    { "assignment", "locations, workers, absence and the assignment of cases",
      "FTE is 0.1-1.0. Domains: youth, support, work-income, debt, housing, mental-health,\n"
      "other. Times are ISO 8601 (a date alone is 00:00 Europe/Amsterdam).\n" },
    { "waiting", "the waiting list, in order, as of the services' clock",
      "Urgent cases nobody could take first, then by the time each case was first\n"
      "triaged, then by case id; days waited by the assignment service's clock.\n" },
    { "handover", "residents handed over from specialist care providers",
      "A deadline given as a date is due by the end of that day (Europe/Amsterdam);\n"
      "the default is the configured cohort deadline (30 June 2022). States: announced,\n"
      "meeting-planned, meeting-held, decided, completed, cancelled.\n" },
    { "reminders", "callback reminders and alerts: the notification service",
      "Without a verb: upcoming (pending) and due (fired, not acknowledged) reminders in\n"
      "due order; --due only the due ones, --all acknowledged and cancelled ones too.\n"
      "follow prints one JSON line per reminder as it fires. With --cursor-file it keeps\n"
      "its place there (a new file starts at the beginning of the stream) and resumes\n"
      "after a restart with nothing lost and nothing repeated; without one it starts at\n"
      "the stream's head, or after --from SEQ. --count stops after N lines.\n"
      "ack records that a due reminder was handled (again: no change).\n"
      "today: the callbacks to make today per location. compliance: waiting cases whose\n"
      "time between contacts exceeded the callback interval in the period, with the gaps.\n"
      "Kinds: callback, callback-overdue, urgent, no-worker, handover-deadline,\n"
      "waiting-too-long.\n" },
    { "case", "one case's whole timeline across the streams",
      "show: the timeline merged from the intake, assignment, handover and\n"
      "notification streams in time order, and the case as it was at TIME (default:\n"
      "now, by intake's clock): status, urgency, channel, domains, worker, location\n"
      "and callbacks, folded from the events up to TIME. Streams of services that are\n"
      "not running are left out (named on stderr); intake must answer (exit 3).\n" },
    { "report", "the council figures, for any moment",
      "The council figures as they were at TIME (default: now by the services' clock):\n"
      "registrations in total and by channel, the waiting list and its wait in days\n"
      "(median, 90th percentile), urgent cases and their pickup time, callbacks due\n"
      "and made on time, active and closed cases, workers present and absent, FTE\n"
      "present, caseload by location, and handover progress against the deadline.\n"
      "Folded from the facts the streams recorded up to TIME, so a past moment always\n"
      "gives the same figures; docs/report.md defines each one. A table by default;\n"
      "--csv prints key,value lines, --json (global) one document. Services that are\n"
      "not running are named on stderr and their figures are null; intake must answer.\n" },
    { "tail", "live events, one line each",
      "The events of the given streams (default: all four) as they are committed:\n"
      "stream, seq, time, type and case. --from starts at that seq (default: only new\n"
      "events); --count stops after N events. With --json, one JSON object per line.\n" },
    { "clock", "the manual clock of every service (started with --clock=manual)",
      "TIME is ISO 8601 (a date alone is 00:00 Europe/Amsterdam); DURATION like 14d, 2w,\n"
      "3h, 90m. Every service is tried; exit status 3 if one did not answer.\n" },
    { "status", "alive, ready, journal size and upstream lag of each service",
      "--settle first waits (up to 30 s) until every running service has applied all\n"
      "that its running upstreams have committed, twice in a row with nothing new: the\n"
      "system is quiet (exit 3 when it did not settle in time). A service that refuses\n"
      "the query is shown alive with its readiness unknown, and status exits 1.\n" },
    { "digest", "SHA-256 of each service's state, to compare across restarts",
      "Equal digests mean equal state. Every service is asked; exit status 3 if one did\n"
      "not answer.\n" },
    { "batch", "commands read from standard input, one a line",
      "Each line is a command as after 'caseflowctl [global options]' (e.g. 'intake\n"
      "show C000001', or '--json intake show C000001'), split into words like a shell\n"
      "does for quotes ('...', \"...\", \\x). After each command's output comes the line\n"
      "'## exit N' with its exit status. Blank lines and lines starting with # are\n"
      "skipped. For scripts that send many commands; not for tail or reminders follow.\n" },
    { "keys", "CURVE key sets: who may connect, and with what role",
      "Makes CURVE key pairs in the key set DIR (default: the global --keys-dir or\n"
      "CASEFLOW_KEYS_DIR): DIR/public/NAME.cert, the public certificate (every server\n"
      "admits exactly the keys in this folder), and DIR/secret/NAME.cert_secret, the key\n"
      "pair, mode 0600, for NAME alone. Without --name: the whole set, intake,\n"
      "assignment, handover and notification (role service), operator and consumer.\n"
      "Existing keys are never overwritten: the command then writes nothing, exit 1.\n" },
};
#define S_GROUPS (sizeof s_groups / sizeof s_groups [0])

//  Every verb table.
static const ctl_verb_t *const s_tables [] = {
    ctl_intake_verbs, ctl_assignment_verbs, ctl_handover_verbs, ctl_reminders_verbs, ctl_case_verbs,
    ctl_report_verbs, ctl_ops_verbs,        ctl_batch_verbs,    ctl_keys_verbs,
};
#define S_TABLES (sizeof s_tables / sizeof s_tables [0])

//  A loop over the verbs of group `name_`, in table order.
#define S_EACH_VERB(verb_, name_)                                            \
    for (size_t t_ = 0; t_ < S_TABLES; t_++)                                 \
        for (const ctl_verb_t *verb_ = s_tables [t_]; verb_->group; verb_++) \
            if (strcmp (verb_->group, (name_)) == 0)

static bool
s_is_help (const char *word)
{
    return strcmp (word, "--help") == 0 || strcmp (word, "-h") == 0 || strcmp (word, "help") == 0;
}

//  The verbs of a group, each with its arguments; then its notes.
static void
s_group_help (const ctl_group_t *group)
{
    printf ("usage: caseflowctl %s ... [args]\n\n%s.\n\n", group->name, group->help);
    S_EACH_VERB (verb, group->name)
    printf ("  %s%s%s%s%s\n", group->name, *verb->name ? " " : "", verb->name,
            *verb->usage ? " " : "", verb->usage);
    printf ("\n%s\nGlobal options (--json, --timeout, the endpoints) go before the group: see\n"
            "caseflowctl --help.\n",
            group->notes);
}

void
ctl_help (FILE *out)
{
    fprintf (out, "usage: caseflowctl [global options] <group> [<verb>] [args]\n"
                  "\n"
                  "The command line of caseflow's services (docs/cli.md documents every command).\n"
                  "\n"
                  "groups, and their verbs:\n");
    for (size_t g = 0; g < S_GROUPS; g++) {
        fprintf (out, "  %-11s %s\n", s_groups [g].name, s_groups [g].help);
        char line [1024] = "";
        const char *last = "", *only = NULL;
        S_EACH_VERB (verb, s_groups [g].name)
        {
            //  The first word of each verb once: "track add|join|list" reads as "track";
            //  a group without verbs shows its arguments.
            size_t word = strcspn (verb->name, " "), len = strlen (line);
            only = *verb->name ? NULL : verb->usage;
            if (*verb->name && (strncmp (last, verb->name, word) != 0 || last [word] != ' '))
                snprintf (line + len, sizeof line - len, "%s%.*s", len ? ", " : "", (int) word,
                          verb->name);
            last = verb->name;
        }
        fprintf (out, "  %-11s   %s\n", "", *line ? line : only);
    }
}

//  The verb `argv` names in `group` (*used_p: how many words its name
//  took), or its verb without a name, or NULL.
static const ctl_verb_t *
s_verb (const char *group, int argc, char **argv, int *used_p)
{
    const ctl_verb_t *found = NULL, *unnamed = NULL;
    *used_p = 0;
    S_EACH_VERB (verb, group)
    {
        if (!*verb->name)
            unnamed = verb;
        //  Each word of the name in turn.
        int words = 0;
        bool match = *verb->name;
        for (const char *name = verb->name; *name && match; words++) {
            size_t len = strcspn (name, " ");
            match = words < argc && strlen (argv [words]) == len
                    && strncmp (argv [words], name, len) == 0;
            name += len;
            name += strspn (name, " ");
        }
        if (match && words > *used_p) {
            found = verb;
            *used_p = words;
        }
    }
    return found ? found : unnamed;
}

void
ctl_show (const ctl_args_t *args, const ProtobufCMessage *result)
{
    const ctl_verb_t *verb = args->verb;
    if (args->ctl->json && verb->json)
        ctl_json_print (*verb->json == '*' ? ctl_json_value (result, verb->json + 1)
                                           : ctl_json_message (result, verb->json));
    else if (args->ctl->json && verb->to_json)
        ctl_json_print (verb->to_json (args, result));
    else if (verb->text)
        ctl_text_show (result, verb->text);
    else if (verb->to_text)
        verb->to_text (args, result);
}

int
ctl_run (ctl_t *ctl, int argc, char **argv)
{
    const ctl_group_t *group = NULL;
    for (size_t g = 0; g < S_GROUPS && !group; g++)
        if (strcmp (argv [0], s_groups [g].name) == 0)
            group = &s_groups [g];
    if (!group)
        return ctl_usage_error ("unknown command \"%s\" (see caseflowctl --help)", argv [0]);
    if (argc >= 2 && s_is_help (argv [1])) {
        s_group_help (group);
        return CTL_OK;
    }
    int used = 0;
    const ctl_verb_t *verb = s_verb (group->name, argc - 1, argv + 1, &used);
    if (!verb && argc < 2)
        return ctl_usage_error ("%s: give a verb (see caseflowctl %s --help)", group->name,
                                group->name);
    if (!verb)
        return ctl_usage_error ("%s: unknown verb \"%s\" (see caseflowctl %s --help)", group->name,
                                argv [1], group->name);
    ctl_args_t args = { .ctl = ctl, .verb = verb };
    int rc = ctl_args_parse (&args, argc - 1 - used, argv + 1 + used);
    if (rc < 0) {
        printf ("usage: caseflowctl %s%s%s %s\n\n%s", group->name, *verb->name ? " " : "",
                verb->name, verb->usage, group->notes);
        return CTL_OK;
    }
    if (rc != CTL_OK)
        return rc;
    if (verb->run)
        return verb->run (&args);
    ProtobufCMessage *body = ctl_message_new (verb->body);
    rc = ctl_bind (&args, body, verb->bind);
    if (rc == CTL_OK && verb->build)
        rc = verb->build (&args, body);
    if (rc != CTL_OK) {
        protobuf_c_message_free_unpacked (body, NULL);
        return rc;
    }
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    rc = ctl_send (ctl, verb->service, verb->kind, body, verb->result, &reply, &result);
    if (rc != CTL_OK)
        return rc;
    ctl_show (&args, result);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}
