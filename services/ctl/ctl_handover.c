//  ctl_handover: `caseflowctl handover …` (CLI.md): providers, the
//  handover lifecycle, and progress against the deadline.
//
//      handover provider add --id P --name NAME
//      handover provider list
//      handover announce --provider P --name NAME --domain D[,D…] [--birth-date DATE]
//                        [--bsn NUMBER] [--phone PHONE] [--district NAME] [--support TEXT]
//                        [--preferred-worker W] [--deadline DATE] [--urgency urgent|regular]
//      handover caseload --provider P --worker W (--resident SPEC… | --file FILE)
//                        [--deadline DATE]
//      handover plan H --at TIME [--location LOC] [--participant WHO…]
//      handover held H
//      handover decide H --next continue|stay|end|refer [--note TEXT]
//      handover files H (--document TITLE… [--type TYPE] [--received DATE] | --waive)
//      handover complete H
//      handover cancel H --reason TEXT
//      handover show H
//      handover list [--provider P] [--state S] [--overdue] [--limit N] [--after H]
//      handover progress [--provider P] [--at TIME]
//
//  A deadline given as a date alone is due by the end of that day (the
//  next day's 00:00 in Europe/Amsterdam), like the cohort's "30 June".
//  Command replies name ids and states only; `show` adds the resident.
#include "ctl_handover.h"

#include "cf_time.h"

#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl handover <verb> [args]\n"
    "\n"
    "Residents handed over from specialist care providers: the handover service's\n"
    "commands and queries.\n"
    "\n"
    "verbs:\n"
    "  provider add --id P --name NAME       register a specialist care provider\n"
    "  provider list                         the providers\n"
    "  announce --provider P --name NAME --domain D[,D...] [--birth-date DATE]\n"
    "           [--bsn NUMBER] [--phone PHONE] [--district NAME] [--support TEXT]\n"
    "           [--preferred-worker W] [--deadline DATE] [--urgency urgent|regular]\n"
    "                                        announce one resident's handover\n"
    "  caseload --provider P --worker W (--resident SPEC... | --file FILE) [--deadline DATE]\n"
    "                                        a worker moving over brings residents; SPEC is\n"
    "                                        NAME;DOMAINS[;BIRTH-DATE[;BSN]], one per line\n"
    "                                        in FILE\n"
    "  plan H --at TIME [--location LOC] [--participant WHO...]\n"
    "                                        plan (or re-plan) the joint meeting\n"
    "  held H                                the meeting took place\n"
    "  decide H --next continue|stay|end|refer [--note TEXT]\n"
    "  files H --document TITLE... [--type TYPE] [--received DATE]\n"
    "  files H --waive                       record the case-file transfer, or waive it\n"
    "  complete H                            close a decided handover\n"
    "  cancel H --reason TEXT\n"
    "  show H                                one handover, with the resident\n"
    "  list [--provider P] [--state S] [--overdue] [--limit N] [--after H]\n"
    "  progress [--provider P] [--at TIME]   figures and forecast against the deadline\n"
    "\n"
    "A deadline given as a date is due by the end of that day (Europe/Amsterdam);\n"
    "the default is the configured cohort deadline (30 June 2022). States: announced,\n"
    "meeting-planned, meeting-held, decided, completed, cancelled.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

//  A deadline: a date alone means the end of that day, anything else the
//  instant it names.
static int
s_parse_deadline (const char *text, int64_t *at_p)
{
    int64_t at;
    if (ctl_parse_time ("deadline", text, &at))
        return CTL_USAGE;
    bool date_only = strlen (text) == 10 && text [4] == '-' && text [7] == '-';
    if (date_only) {
        //  From local midnight, 36 hours is always within the next day,
        //  whatever the clocks do; that day's midnight is the deadline.
        char next [32];
        cf_time_format_date (at + 36 * CF_USEC_PER_HOUR, next, sizeof next);
        if (cf_time_parse (next, &at))
            return ctl_usage_error ("--deadline: \"%s\" is out of range", text);
    }
    *at_p = at;
    return CTL_OK;
}

//  ------------------------------------------------------------ requests

static int
s_command (ctl_t *ctl, Caseflow__V1__Handover__Command *handover, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_command (ctl, CTL_HANDOVER, handover, reply_p);
}

static int
s_query (ctl_t *ctl, Caseflow__V1__Handover__Query *handover, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_query (ctl, CTL_HANDOVER, handover, reply_p);
}

//  Sends a command whose result is a handover view and prints it.
static int
s_run_handover_command (ctl_t *ctl, Caseflow__V1__Handover__Command *command)
{
    Caseflow__V1__Reply *reply = NULL;
    int rc = s_command (ctl, command, &reply);
    if (rc)
        return rc;
    Caseflow__V1__Handover__CommandResult *result = reply->command->handover;
    if (result->body_case == CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_HANDOVER)
        ctl_handover_print_handover (ctl, result->handover, false);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ------------------------------------------------------------ providers

static int
s_provider (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "id", true, false }, { "name", true, false }, { NULL } };
    if (argc < 2)
        return ctl_usage_error ("handover provider: give add or list");
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc - 1, argv + 1, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    if (strcmp (argv [1], "add") == 0) {
        const char *id = ctl_arg_required (&args, "id");
        const char *name = id ? ctl_arg_required (&args, "name") : NULL;
        if (!id || !name)
            return CTL_USAGE;
        Caseflow__V1__Handover__AddProvider body = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
        body.provider_id = (char *) id;
        body.name = (char *) name;
        Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
        command.add_provider = &body;
        Caseflow__V1__Reply *reply = NULL;
        if ((rc = s_command (ctl, &command, &reply)))
            return rc;
        if (ctl->json) {
            ctl_json_t json;
            ctl_json_init (&json, stdout);
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "provider_id");
            ctl_json_string (&json, id);
            ctl_json_key (&json, "name");
            ctl_json_string (&json, name);
            ctl_json_object_end (&json);
            ctl_json_finish (&json);
        } else
            printf ("provider %s added\n", id);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_OK;
    }
    if (strcmp (argv [1], "list") != 0)
        return ctl_usage_error ("handover provider: unknown verb \"%s\" (add or list)", argv [1]);
    if (ctl_arg (&args, "id") || ctl_arg (&args, "name"))
        return ctl_usage_error ("handover provider list takes no options");
    Caseflow__V1__Handover__ListProviders body = CASEFLOW__V1__HANDOVER__LIST_PROVIDERS__INIT;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_PROVIDERS;
    query.list_providers = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    Caseflow__V1__Handover__ProviderList *list = reply->query->handover->providers;
    size_t count = list ? list->n_providers : 0;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < count; i++) {
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "provider_id");
            ctl_json_string (&json, list->providers [i]->provider_id);
            ctl_json_key (&json, "name");
            ctl_json_string (&json, list->providers [i]->name);
            ctl_json_object_end (&json);
        }
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else {
        const char *headers [] = { "PROVIDER", "NAME" };
        ctl_table_t *table = ctl_table_new (2, headers);
        for (size_t i = 0; i < count; i++) {
            const char *cells [] = { list->providers [i]->provider_id, list->providers [i]->name };
            ctl_table_row (table, cells);
        }
        ctl_table_print (&table, stdout);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  --------------------------------------------------------- announcements

static int
s_urgency (const ctl_args_t *args, Caseflow__V1__Urgency *urgency_p)
{
    const char *text = ctl_arg (args, "urgency");
    *urgency_p = CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED;
    if (!text)
        return CTL_OK;
    int urgency = ctl_urgency_parse (text);
    if (urgency <= 0)
        return ctl_usage_error ("--urgency: \"%s\" is not urgent or regular", text);
    *urgency_p = (Caseflow__V1__Urgency) urgency;
    return CTL_OK;
}

static int
s_announce (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "provider", true, false },
                                         { "name", true, false },
                                         { "domain", true, false },
                                         { "birth-date", true, false },
                                         { "bsn", true, false },
                                         { "phone", true, false },
                                         { "district", true, false },
                                         { "support", true, false },
                                         { "preferred-worker", true, false },
                                         { "deadline", true, false },
                                         { "urgency", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *provider = ctl_arg_required (&args, "provider");
    const char *name = provider ? ctl_arg_required (&args, "name") : NULL;
    const char *domain_text = name ? ctl_arg_required (&args, "domain") : NULL;
    if (!domain_text)
        return CTL_USAGE;
    Caseflow__V1__Handover__Announce body = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    if (s_urgency (&args, &body.urgency))
        return CTL_USAGE;
    if (ctl_arg (&args, "deadline")
        && s_parse_deadline (ctl_arg (&args, "deadline"), &body.deadline))
        return CTL_USAGE;
    Caseflow__V1__Domain *domains = NULL;
    size_t domain_count = 0;
    if (ctl_parse_domains ("domain", domain_text, &domains, &domain_count))
        return CTL_USAGE;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
#define S_OPTIONAL(field, flag) \
    if (ctl_arg (&args, flag))  \
    field = (char *) ctl_arg (&args, flag)
    S_OPTIONAL (resident.birth_date, "birth-date");
    S_OPTIONAL (resident.bsn, "bsn");
    S_OPTIONAL (resident.phone, "phone");
    S_OPTIONAL (resident.district, "district");
    S_OPTIONAL (body.support, "support");
    S_OPTIONAL (body.preferred_worker, "preferred-worker");
#undef S_OPTIONAL
    body.provider_id = (char *) provider;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = domain_count;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    command.announce = &body;
    rc = s_run_handover_command (ctl, &command);
    free (domains);
    return rc;
}

//  A caseload resident from "NAME;DOMAINS[;BIRTH-DATE[;BSN]]". The fields
//  point into `spec`, which is cut up in place.
static int
s_parse_resident (char *spec, Caseflow__V1__PersonalData *resident,
                  Caseflow__V1__Handover__CaseloadResident *entry)
{
    char *fields [4] = { NULL, NULL, NULL, NULL };
    int count = 0;
    for (char *part = spec; part && count < 4; count++) {
        fields [count] = part;
        part = strchr (part, ';');
        if (part)
            *part++ = 0;
    }
    if (count < 2 || !*fields [0])
        return ctl_usage_error ("--resident: give NAME;DOMAINS[;BIRTH-DATE[;BSN]]");
    caseflow__v1__personal_data__init (resident);
    resident->name = fields [0];
    if (fields [2])
        resident->birth_date = fields [2];
    if (fields [3])
        resident->bsn = fields [3];
    caseflow__v1__handover__caseload_resident__init (entry);
    entry->resident = resident;
    return ctl_parse_domains ("resident", fields [1], &entry->domains, &entry->n_domains);
}

static int
s_caseload (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "provider", true, false }, { "worker", true, false },
                                         { "resident", true, true },  { "file", true, false },
                                         { "deadline", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *provider = ctl_arg_required (&args, "provider");
    const char *worker = provider ? ctl_arg_required (&args, "worker") : NULL;
    if (!worker)
        return CTL_USAGE;
    Caseflow__V1__Handover__AnnounceCaseload body = CASEFLOW__V1__HANDOVER__ANNOUNCE_CASELOAD__INIT;
    body.provider_id = (char *) provider;
    body.worker_id = (char *) worker;
    if (ctl_arg (&args, "deadline")
        && s_parse_deadline (ctl_arg (&args, "deadline"), &body.deadline))
        return CTL_USAGE;
    //  Specs from --resident, then from --file, one per non-empty line.
    char **specs = NULL;
    size_t count = 0, cap = 0;
    const char *given [CTL_MAX_ARGS];
    size_t given_count = ctl_arg_all (&args, "resident", given, CTL_MAX_ARGS);
    for (size_t i = 0; i < given_count; i++) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            specs = realloc (specs, cap * sizeof *specs);
        }
        specs [count++] = strdup (given [i]);
    }
    const char *path = ctl_arg (&args, "file");
    if (path) {
        FILE *file = strcmp (path, "-") == 0 ? stdin : fopen (path, "r");
        if (!file) {
            ctl_strings_free (specs, count);
            return ctl_usage_error ("--file: cannot read \"%s\"", path);
        }
        char line [1024];
        while (fgets (line, sizeof line, file)) {
            line [strcspn (line, "\r\n")] = 0;
            if (!*line || *line == '#')
                continue;
            if (count == cap) {
                cap = cap ? cap * 2 : 16;
                specs = realloc (specs, cap * sizeof *specs);
            }
            specs [count++] = strdup (line);
        }
        if (file != stdin)
            fclose (file);
    }
    if (count == 0) {
        free (specs);
        return ctl_usage_error ("handover caseload: give --resident or --file");
    }
    Caseflow__V1__PersonalData *people = calloc (count, sizeof *people);
    Caseflow__V1__Handover__CaseloadResident *entries = calloc (count, sizeof *entries);
    Caseflow__V1__Handover__CaseloadResident **pointers = calloc (count, sizeof *pointers);
    rc = people && entries && pointers ? CTL_OK : CTL_USAGE;
    for (size_t i = 0; i < count && rc == CTL_OK; i++) {
        rc = s_parse_resident (specs [i], &people [i], &entries [i]);
        pointers [i] = &entries [i];
    }
    if (rc == CTL_OK) {
        body.residents = pointers;
        body.n_residents = count;
        Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE_CASELOAD;
        command.announce_caseload = &body;
        Caseflow__V1__Reply *reply = NULL;
        rc = s_command (ctl, &command, &reply);
        if (rc == CTL_OK) {
            Caseflow__V1__Handover__HandoverIds *ids = reply->command->handover->caseload;
            size_t made = ids ? ids->n_handover_ids : 0;
            if (ctl->json) {
                ctl_json_t json;
                ctl_json_init (&json, stdout);
                ctl_json_object_begin (&json);
                ctl_json_key (&json, "worker_id");
                ctl_json_string (&json, worker);
                ctl_json_key (&json, "handover_ids");
                ctl_json_array_begin (&json);
                for (size_t i = 0; i < made; i++)
                    ctl_json_string (&json, ids->handover_ids [i]);
                ctl_json_array_end (&json);
                ctl_json_object_end (&json);
                ctl_json_finish (&json);
            } else {
                printf ("%zu handover%s announced for worker %s:", made, made == 1 ? "" : "s",
                        worker);
                for (size_t i = 0; i < made; i++)
                    printf (" %s", ids->handover_ids [i]);
                printf ("\n");
            }
            caseflow__v1__reply__free_unpacked (reply, NULL);
        }
    }
    for (size_t i = 0; entries && i < count; i++)
        free (entries [i].domains);
    free (people);
    free (entries);
    free (pointers);
    ctl_strings_free (specs, count);
    return rc;
}

//  -------------------------------------------------------- the lifecycle

static int
s_plan (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = {
        { "at", true, false }, { "location", true, false }, { "participant", true, true }, { NULL }
    };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    const char *at = ctl_arg_required (&args, "at");
    if (!at)
        return CTL_USAGE;
    Caseflow__V1__Handover__Plan body = CASEFLOW__V1__HANDOVER__PLAN__INIT;
    if (ctl_parse_time ("at", at, &body.at))
        return CTL_USAGE;
    body.handover_id = (char *) args.positional [0];
    if (ctl_arg (&args, "location"))
        body.location = (char *) ctl_arg (&args, "location");
    const char *participants [CTL_MAX_ARGS];
    body.n_participants = ctl_arg_all (&args, "participant", participants, CTL_MAX_ARGS);
    body.participants = (char **) participants;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN;
    command.plan = &body;
    return s_run_handover_command (ctl, &command);
}

//  held H, complete H, show H: one positional id, no options.
static int
s_id_only (ctl_t *ctl, int argc, char **argv, Caseflow__V1__Handover__Command__BodyCase which)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    char *id = (char *) args.positional [0];
    Caseflow__V1__Handover__Held held = CASEFLOW__V1__HANDOVER__HELD__INIT;
    Caseflow__V1__Handover__Complete complete = CASEFLOW__V1__HANDOVER__COMPLETE__INIT;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = which;
    if (which == CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD) {
        held.handover_id = id;
        command.held = &held;
    } else {
        complete.handover_id = id;
        command.complete = &complete;
    }
    return s_run_handover_command (ctl, &command);
}

static int
s_decide (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "next", true, false },
                                         { "note", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    const char *next = ctl_arg_required (&args, "next");
    if (!next)
        return CTL_USAGE;
    int step = ctl_handover_word_index (&cf_words_next_step, next);
    if (step < 0)
        return ctl_usage_error ("--next: \"%s\" is not continue, stay, end or refer", next);
    Caseflow__V1__Handover__Decide body = CASEFLOW__V1__HANDOVER__DECIDE__INIT;
    body.handover_id = (char *) args.positional [0];
    body.next_step = (Caseflow__V1__Handover__NextStep) step;
    if (ctl_arg (&args, "note"))
        body.note = (char *) ctl_arg (&args, "note");
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE;
    command.decide = &body;
    return s_run_handover_command (ctl, &command);
}

static int
s_files (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "document", true, true },
                                         { "type", true, false },
                                         { "received", true, false },
                                         { "waive", false, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    const char *titles [CTL_MAX_ARGS];
    size_t count = ctl_arg_all (&args, "document", titles, CTL_MAX_ARGS);
    bool waive = ctl_arg (&args, "waive") != NULL;
    if (waive == (count > 0))
        return ctl_usage_error ("handover files: give --document TITLE (repeatable) or --waive");
    int64_t received = 0;
    if (ctl_arg (&args, "received")
        && ctl_parse_time ("received", ctl_arg (&args, "received"), &received))
        return CTL_USAGE;
    Caseflow__V1__Handover__Document documents [CTL_MAX_ARGS];
    Caseflow__V1__Handover__Document *pointers [CTL_MAX_ARGS];
    for (size_t i = 0; i < count; i++) {
        caseflow__v1__handover__document__init (&documents [i]);
        documents [i].title = (char *) titles [i];
        if (ctl_arg (&args, "type"))
            documents [i].type = (char *) ctl_arg (&args, "type");
        documents [i].received_at = received;
        pointers [i] = &documents [i];
    }
    Caseflow__V1__Handover__RecordFiles body = CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT;
    body.handover_id = (char *) args.positional [0];
    body.documents = pointers;
    body.n_documents = count;
    body.waive = waive;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES;
    command.record_files = &body;
    return s_run_handover_command (ctl, &command);
}

static int
s_cancel (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "reason", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    const char *reason = ctl_arg_required (&args, "reason");
    if (!reason)
        return CTL_USAGE;
    Caseflow__V1__Handover__Cancel body = CASEFLOW__V1__HANDOVER__CANCEL__INIT;
    body.handover_id = (char *) args.positional [0];
    body.reason = (char *) reason;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_CANCEL;
    command.cancel = &body;
    return s_run_handover_command (ctl, &command);
}

//  --------------------------------------------------------------- reading

static int
s_show (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "H (the handover id)");
    if (rc)
        return rc;
    Caseflow__V1__Handover__GetHandover body = CASEFLOW__V1__HANDOVER__GET_HANDOVER__INIT;
    body.handover_id = (char *) args.positional [0];
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER;
    query.get_handover = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    ctl_handover_print_handover (ctl, reply->query->handover->handover, true);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "provider", true, false }, { "state", true, false },
                                         { "overdue", false, false }, { "limit", true, false },
                                         { "after", true, false },    { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Handover__ListHandovers body = CASEFLOW__V1__HANDOVER__LIST_HANDOVERS__INIT;
    if (ctl_arg (&args, "provider"))
        body.provider_id = (char *) ctl_arg (&args, "provider");
    if (ctl_arg (&args, "after"))
        body.after = (char *) ctl_arg (&args, "after");
    if (ctl_arg (&args, "state")) {
        int state = ctl_handover_word_index (&cf_words_handover_state, ctl_arg (&args, "state"));
        if (state < 0)
            return ctl_usage_error ("--state: \"%s\" is not a handover state (announced, "
                                    "meeting-planned, meeting-held, decided, completed, "
                                    "cancelled)",
                                    ctl_arg (&args, "state"));
        body.state = (Caseflow__V1__Handover__HandoverState) state;
    }
    body.overdue_only = ctl_arg (&args, "overdue") != NULL;
    uint64_t limit = 100;
    if (ctl_arg (&args, "limit")
        && ctl_parse_uint ("limit", ctl_arg (&args, "limit"), 1, 1000, &limit))
        return CTL_USAGE;
    body.limit = (uint32_t) limit;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_HANDOVERS;
    query.list_handovers = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    Caseflow__V1__Handover__HandoverList *list = reply->query->handover->handovers;
    size_t count = list ? list->n_handovers : 0;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < count; i++)
            ctl_handover_json_handover (&json, list->handovers [i], false);
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else {
        const char *headers [] = { "HANDOVER", "PROVIDER", "STATE", "URGENCY",
                                   "DUE BY",   "MEETING",  "NEXT",  "FLAGS" };
        ctl_table_t *table = ctl_table_new (8, headers);
        for (size_t i = 0; i < count; i++) {
            const Caseflow__V1__Handover__HandoverView *view = list->handovers [i];
            char deadline [40], meeting [40];
            const char *flags_text = view->overdue ? "overdue" : view->at_risk ? "at risk" : "";
            const char *cells [] = {
                view->handover_id,
                view->provider_id,
                ctl_handover_state_name (view->state),
                ctl_urgency_name (view->urgency),
                ctl_handover_deadline_text (view->deadline, deadline, sizeof deadline),
                ctl_time_text (view->n_meetings ? view->meetings [view->n_meetings - 1]->at : 0,
                               meeting, sizeof meeting),
                view->next_step ? ctl_handover_step_name (view->next_step) : NULL,
                flags_text,
            };
            ctl_table_row (table, cells);
        }
        ctl_table_print (&table, stdout);
        if (*list->next)
            printf ("more: --after %s\n", list->next);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  -------------------------------------------------------------- progress

static int
s_progress (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "provider", true, false },
                                         { "at", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Handover__Progress body = CASEFLOW__V1__HANDOVER__PROGRESS__INIT;
    if (ctl_arg (&args, "provider"))
        body.provider_id = (char *) ctl_arg (&args, "provider");
    if (ctl_arg (&args, "at") && ctl_parse_time ("at", ctl_arg (&args, "at"), &body.at))
        return CTL_USAGE;
    Caseflow__V1__Handover__Query query = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_PROGRESS;
    query.progress = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Handover__ProgressReport *report = reply->query->handover->progress;
    if (!report || !report->totals) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        fprintf (stderr, "caseflowctl: handover: the reply carries no progress report\n");
        return CTL_REFUSED;
    }
    ctl_handover_print_progress (ctl, report);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ------------------------------------------------------------ the group

int
ctl_handover_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("handover: give a verb (see caseflowctl handover --help)");
    const char *verb = argv [1];
    if (strcmp (verb, "--help") == 0 || strcmp (verb, "-h") == 0 || strcmp (verb, "help") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    //  Each verb handler gets argv + 1: its argv[0] is the verb.
    if (strcmp (verb, "provider") == 0)
        return s_provider (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "announce") == 0)
        return s_announce (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "caseload") == 0)
        return s_caseload (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "plan") == 0)
        return s_plan (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "held") == 0)
        return s_id_only (ctl, argc - 1, argv + 1, CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD);
    if (strcmp (verb, "decide") == 0)
        return s_decide (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "files") == 0)
        return s_files (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "complete") == 0)
        return s_id_only (ctl, argc - 1, argv + 1, CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE);
    if (strcmp (verb, "cancel") == 0)
        return s_cancel (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "show") == 0)
        return s_show (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "list") == 0)
        return s_list (ctl, argc - 1, argv + 1);
    if (strcmp (verb, "progress") == 0)
        return s_progress (ctl, argc - 1, argv + 1);
    return ctl_usage_error ("handover: unknown verb \"%s\" (see caseflowctl handover --help)",
                            verb);
}
