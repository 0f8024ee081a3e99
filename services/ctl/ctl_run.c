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
      "other.\n" },
    { "waiting", "the waiting list, in order, as of the services' clock",
      "Urgent cases nobody could take first, then by first triage, then by case id.\n"
      "The console answers (--console), as for report and case show. --csv: a header\n"
      "line of the keys, then a line per case.\n" },
    { "handover", "residents handed over from specialist care providers",
      "A deadline given as a date is due by the end of that day (default: the cohort's,\n"
      "30 June 2022). States: announced, meeting-planned, meeting-held, decided,\n"
      "completed, cancelled.\n" },
    { "resident", "a resident's personal data as the AVG asks: export, erasure, holds",
      "export gathers everything held about the resident (AVG art. 15): their cases,\n"
      "the handovers they came from, the reminders about them and who read their data;\n"
      "the export is itself recorded as a read. Erasing destroys the resident's keys in\n"
      "every key store: their personal data then reads \"erased\" everywhere, while\n"
      "every count, report and timeline stays as it was. The reason is recorded: a\n"
      "request's reference, never personal data. Erasing again answers the first\n"
      "erasure (docs/privacy.md). A request the law lets caseflow refuse (a support,\n"
      "work-income or debt question whose retention period runs, or a held resident)\n"
      "is refused unless --override-retention, with the reason why. A hold keeps a\n"
      "resident past their retention period until released.\n" },
    { "access-log", "who read residents' personal data, when and for whom",
      "The reads intake and handover recorded (a case shown, a resident found, an\n"
      "export, a handover shown or listed), merged in time order. --by matches the key\n"
      "that asked or the person a proxy asked for; --from/--to bound the period.\n" },
    { "reminders", "callback reminders and alerts: the notification service",
      "Without a verb: pending and due reminders in due order (--due: due only, --all:\n"
      "handled and cancelled too). follow prints a JSON line per reminder as it fires,\n"
      "resuming from --cursor-file (a new file: from the start) with nothing lost or\n"
      "repeated, else from the head or --from SEQ. Kinds: callback, callback-overdue,\n"
      "urgent, no-worker, handover-deadline, waiting-too-long, webhook-parked,\n"
      "stream-diverged.\n"
      "claim gives --caller the oldest due callback they may take, theirs alone until\n"
      "the lease ends (the service's --claim-lease) or it is released; the call recorded\n"
      "at intake completes it. park sets one aside for a team lead (--parked lists\n"
      "them); release gives it back.\n" },
    { "gateway", "CloudEvents publishers and what became of their events: the gateway",
      "A publisher sends CloudEvents as its own --source (an NL GOV URN, urn:nld:...) with\n"
      "the types it is allowed, authenticated by the bearer token read from --token-file\n"
      "(one line, 32-512 characters; the gateway keeps only a keyed hash of it). rotate\n"
      "replaces the token; the old one keeps working for --grace (default: the gateway's\n"
      "--rotation-grace, 24h). Channels: partner, municipality, provider, telephony.\n"
      "event shows what became of an event: accepted, applied or rejected (with the\n"
      "reason), and the case or handover it touched.\n" },
    { "webhooks", "CloudEvents to consumers' sinks: webhook subscriptions of the gateway",
      "add subscribes --sink (http or https) to the types given (nl.sociaal-domein.<stream>.\n"
      "<event-in-kebab-case>, or <stream>.* for all of a stream's), from the head of each\n"
      "stream or --from STREAM:SEQ, with the bearer token of --token-file. The gateway\n"
      "first asks the sink the NL GOV webhook handshake (OPTIONS); status then shows\n"
      "active, or removed with the reason. Each stream is delivered in order, at least\n"
      "once; an event still failing after the gateway's limits is parked (parked lists\n"
      "them, resend sends the oldest, the one of --stream and --seq, or --all again) and\n"
      "the later ones pass. A 410 answer retires the subscription.\n" },
    { "case", "one case's whole timeline across the streams",
      "The timeline merged from the four streams in time order and the case as it was\n"
      "at TIME (default: now by the services' clock), from the events the console\n"
      "found (docs/console.md); the console must answer (exit 3).\n" },
    { "report", "the council figures, for any moment",
      "The figures as they were at TIME (default: now by the services' clock), folded\n"
      "by the console from the facts the streams recorded, so a past moment always\n"
      "gives the same figures (docs/report.md). --csv: key,value lines; --json\n"
      "(global): one document. The console must answer (exit 3).\n" },
    { "whatif", "the recorded demand under another roster or policy, beside the actual",
      "Replays intake's registrations and the roster between --from and --to through\n"
      "assignment's own policy, in a sandbox in the console (no live store is touched),\n"
      "with the changes given: added workers (--add-workers with --location, --expertise,\n"
      "--fte, --starting), absences that did not happen (--remove-absence W, repeated),\n"
      "a caseload limit for everyone (--max-caseload), the continuity margin. Prints the\n"
      "report's figures at --to, actual and what-if, and a weekly series (docs/whatif.md).\n" },
    { "forecast", "the waiting list for the next weeks, at the recent inflow",
      "The waiting list's length and median wait for --weeks N weeks from now, at the\n"
      "inflow of the last --window M weeks (default 4) and the roster as it stands; with\n"
      "the changes of whatif, their forecast beside it (docs/whatif.md).\n" },
    { "tail", "live events, one line each",
      "The events of the given streams (default: all four) as they are committed; --from\n"
      "starts at that seq (default: new events only), --count stops after N.\n" },
    { "clock", "the manual clock of every service (started with --clock=manual)",
      "Every service (or --only those: the gateway and the console are moved only so)\n"
      "is tried; exit 3 if one did not answer.\n" },
    { "status", "alive, ready, journal size and upstream lag of each service",
      "--settle first waits (up to 30 s; else exit 3) until the services applied all\n"
      "their upstreams committed, twice in a row with nothing new. A service that refuses\n"
      "the query is alive with its readiness unknown, and status exits 1.\n" },
    { "digest", "SHA-256 of each service's state, to compare across restarts",
      "Equal digests mean equal state; exit 3 if a service did not answer. Without\n"
      "names, the four stream services; the gateway when named.\n" },
    { "stream", "each stream's identity and its subscribers' cursors",
      "status: every stream's epoch and last seq, and each subscriber's cursor (its\n"
      "epoch and seq) and state: following, catching-up or diverged (epoch, behind or\n"
      "other-event: the producer's history is not the cursor's, after a restore or a\n"
      "lost volume; that subscriber applies nothing more of the stream and is not\n"
      "ready). accept: the subscriber takes the producer's new history from the lower\n"
      "of its cursor and the producer's head; what it applied of the lost history\n"
      "stays, the new history's events up to there are not applied\n"
      "(docs/operations.md, \"A restored producer is behind its subscribers\").\n" },
    { "batch", "commands read from standard input, one a line",
      "Each line as after 'caseflowctl [global options]', split like a shell does for\n"
      "quotes; after each command's output the line '## exit N'. Not for tail or follow.\n" },
    { "keys", "CURVE key sets: who may connect, and with what role",
      "Makes DIR/public/NAME.cert (every server admits exactly these) and\n"
      "DIR/secret/NAME.cert_secret (mode 0600). Without --name the whole set: intake,\n"
      "assignment, handover, notification, gateway (service), operator, consumer. A\n"
      "proxy key (--role proxy: the console) may name the person it acts for. Existing\n"
      "keys are never overwritten (nothing written, exit 1).\n" },
};
#define S_GROUPS (sizeof s_groups / sizeof s_groups [0])

//  Every verb table.
static const ctl_verb_t *const s_tables [] = {
    ctl_intake_verbs,  ctl_assignment_verbs, ctl_handover_verbs, ctl_reminders_verbs,
    ctl_case_verbs,    ctl_report_verbs,     ctl_whatif_verbs,   ctl_ops_verbs,
    ctl_batch_verbs,   ctl_keys_verbs,       ctl_resident_verbs, ctl_access_verbs,
    ctl_gateway_verbs, ctl_webhooks_verbs,   ctl_waiting_verbs,  ctl_stream_verbs,
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
    //  The verbs about one intake case or registration (intake's own, and
    //  a resident's export, erasure and holds) go to its shard.
    if (verb->service == CTL_INTAKE
        && (strcmp (group->name, "intake") == 0 || strcmp (group->name, "resident") == 0)
        && (rc = ctl_shard_route (&args)) != CTL_OK)
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
