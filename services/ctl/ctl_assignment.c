//  ctl_assignment: `caseflowctl assignment …` and `caseflowctl waiting`,
//  the assignment service's commands and queries (CLI.md).
//
//      assignment location add|list      the locations and their counts
//      assignment worker add|change|absent|return|leave|list
//      assignment assign|start|complete  a case's assignment and progress
//      assignment show CASE              a case's assignment and history
//      assignment explain CASE           why a case (still) waits
//      waiting [--limit N] [--location LOC]
//
//  JSON keys of CLI.md: `waiting` is a list of {case_id, position, urgency,
//  registered_at, waiting_days}; `assignment worker list` a list of
//  {worker_id, fte, locations, expertise, absent, caseload, capacity}; each
//  object may carry more keys. A verb that changes a worker prints the
//  worker object, one that changes a case the case object of `show`.
#include "ctl_assignment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl assignment <verb> [args]\n"
    "\n"
    "Locations, workers, absence and the assignment of cases: the assignment\n"
    "service's commands and queries.\n"
    "\n"
    "verbs:\n"
    "  location add --id LOC --name NAME [--district NAME]... \n"
    "               [--kind neighbourhood|school|partner-site]\n"
    "  location list\n"
    "  worker add --id W --name NAME --fte F --location LOC[,LOC...] --expertise D[,D...]\n"
    "             [--max-caseload N]\n"
    "  worker change W [--name NAME] [--fte F] [--location LOC[,LOC...]]\n"
    "             [--expertise D[,D...]] [--max-caseload N | --default-max-caseload]\n"
    "  worker absent W --from TIME|now [--until TIME]\n"
    "  worker return W\n"
    "  worker leave W\n"
    "  worker list [--all] [--location LOC]\n"
    "  assign CASE --worker W --reason TEXT\n"
    "  start CASE\n"
    "  complete CASE --outcome TEXT\n"
    "  show CASE\n"
    "  explain CASE\n"
    "\n"
    "  (and: caseflowctl waiting [--limit N] [--location LOC])\n"
    "\n"
    "FTE is 0.1-1.0. Domains: youth, support, work-income, debt, housing, mental-health,\n"
    "other. Times are ISO 8601 (a date alone is 00:00 Europe/Amsterdam).\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

static const char *s_waiting_usage =
    "usage: caseflowctl waiting [--limit N] [--location LOC]\n"
    "\n"
    "The waiting list in order: urgent cases nobody could take first, then by the time\n"
    "each case was first triaged, then by case id.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

//  ------------------------------------------------------------- calling

static int
s_command (ctl_t *ctl, Caseflow__V1__Assignment__Command *inner, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_command (ctl, CTL_ASSIGNMENT, inner, reply_p);
}

static int
s_query (ctl_t *ctl, Caseflow__V1__Assignment__Query *inner, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_query (ctl, CTL_ASSIGNMENT, inner, reply_p);
}

//  A reply whose result is not the expected one: an error, not a crash.
static int
s_missing (Caseflow__V1__Reply *reply, const char *what)
{
    fprintf (stderr, "caseflowctl: assignment: the reply has no %s\n", what);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_REFUSED;
}

//  ------------------------------------------------------------- parsing

//  "0.8" -> 800 thousandths; the service checks the range.
static int
s_parse_fte (const char *text, uint32_t *fte_milli_p)
{
    char *end = NULL;
    double fte = strtod (text, &end);
    if (!*text || *end || !(fte > 0) || fte > 1000)
        return ctl_usage_error ("--fte: \"%s\" is not an FTE (0.1 to 1.0)", text);
    *fte_milli_p = (uint32_t) lround (fte * 1000);
    return CTL_OK;
}

static int
s_parse_max (const ctl_args_t *args, uint32_t *max_p)
{
    const char *value = ctl_arg (args, "max-caseload");
    uint64_t max = 0;
    int rc = value ? ctl_parse_uint ("max-caseload", value, 1, 1000, &max) : CTL_OK;
    *max_p = (uint32_t) max;
    return rc;
}

static int
s_print_worker (ctl_t *ctl, Caseflow__V1__Reply *reply, const char *what)
{
    const Caseflow__V1__Assignment__WorkerView *worker = reply->command->assignment->worker;
    if (reply->command->assignment->body_case
        != CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_WORKER)
        return s_missing (reply, "worker");
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_assignment_json_worker (&json, worker);
        ctl_json_finish (&json);
    } else {
        char availability [128];
        printf ("%s %s: %.2f FTE, caseload %u of %u, %s\n", worker->worker_id, what,
                worker->fte_milli / 1000.0, worker->caseload, worker->capacity,
                ctl_assignment_availability (worker, availability, sizeof availability));
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_print_case_result (ctl_t *ctl, Caseflow__V1__Reply *reply, const char *what)
{
    if (reply->command->assignment->body_case
        != CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_CASE)
        return s_missing (reply, "case");
    const Caseflow__V1__Assignment__AssignmentView *view = reply->command->assignment->case_;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_assignment_json_case (&json, view);
        ctl_json_finish (&json);
    } else
        printf ("%s %s: %s%s%s\n", view->case_id, what, ctl_status_name (view->status),
                *view->worker_id ? ", worker " : "", view->worker_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ------------------------------------------------------------ locations

static int
s_location_add (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "id", true, false },
                                         { "name", true, false },
                                         { "district", true, true },
                                         { "kind", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *id = ctl_arg_required (&args, "id");
    const char *name = id ? ctl_arg_required (&args, "name") : NULL;
    if (!name)
        return CTL_USAGE;
    int kind = 0;
    const char *kind_word = ctl_arg (&args, "kind");
    if (kind_word && (kind = ctl_assignment_kind_parse (kind_word)) < 0)
        return ctl_usage_error ("--kind: \"%s\" is not neighbourhood, school or partner-site",
                                kind_word);
    const char *districts [CTL_MAX_ARGS];
    Caseflow__V1__Assignment__AddLocation body = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    body.location_id = (char *) id;
    body.name = (char *) name;
    body.n_districts = ctl_arg_all (&args, "district", districts, CTL_MAX_ARGS);
    body.districts = (char **) districts;
    body.kind = (Caseflow__V1__Assignment__LocationKind) kind;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    command.add_location = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_command (ctl, &command, &reply)))
        return rc;
    if (reply->command->assignment->body_case
        != CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_LOCATION)
        return s_missing (reply, "location");
    const Caseflow__V1__Assignment__LocationView *location = reply->command->assignment->location;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_assignment_json_text (&json, "location_id", location->location_id);
        ctl_assignment_json_text (&json, "name", location->name);
        ctl_assignment_json_strings (&json, "districts", location->districts,
                                     location->n_districts);
        ctl_json_key (&json, "kind");
        ctl_json_string (&json, ctl_assignment_kind_name (location->kind));
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else
        printf ("%s added: %s (%s)\n", location->location_id, location->name,
                ctl_assignment_or_dash (ctl_assignment_kind_name (location->kind)));
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_location_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__ListLocations body = CASEFLOW__V1__ASSIGNMENT__LIST_LOCATIONS__INIT;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_LOCATIONS;
    query.list_locations = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->assignment->body_case
        != CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_LOCATIONS)
        return s_missing (reply, "locations");
    const Caseflow__V1__Assignment__LocationList *list = reply->query->assignment->locations;
    ctl_json_t json;
    ctl_table_t *table = NULL;
    if (ctl->json) {
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
    } else
        table = ctl_table_new (10, (const char *[]){ "LOCATION", "NAME", "KIND", "DISTRICTS",
                                                     "WORKERS", "PRESENT", "FTE", "WAITING",
                                                     "ASSIGNED", "ACTIVE" });
    for (size_t i = 0; i < list->n_locations; i++) {
        const Caseflow__V1__Assignment__LocationView *location = list->locations [i];
        if (ctl->json) {
            ctl_json_object_begin (&json);
            ctl_assignment_json_text (&json, "location_id", location->location_id);
            ctl_assignment_json_text (&json, "name", location->name);
            ctl_assignment_json_strings (&json, "districts", location->districts,
                                         location->n_districts);
            ctl_json_key (&json, "kind");
            ctl_json_string (&json, ctl_assignment_kind_name (location->kind));
            ctl_assignment_json_uint (&json, "workers", location->workers);
            ctl_assignment_json_uint (&json, "workers_present", location->workers_present);
            ctl_json_key (&json, "fte");
            ctl_json_double (&json, location->fte_milli / 1000.0);
            ctl_assignment_json_uint (&json, "waiting", location->waiting);
            ctl_assignment_json_uint (&json, "assigned", location->assigned);
            ctl_assignment_json_uint (&json, "active", location->active);
            ctl_json_object_end (&json);
            continue;
        }
        char districts [256], workers [16], present [16], fte [16], waiting [16], assigned [16],
            active [16];
        snprintf (workers, sizeof workers, "%u", location->workers);
        snprintf (present, sizeof present, "%u", location->workers_present);
        snprintf (fte, sizeof fte, "%.1f", location->fte_milli / 1000.0);
        snprintf (waiting, sizeof waiting, "%u", location->waiting);
        snprintf (assigned, sizeof assigned, "%u", location->assigned);
        snprintf (active, sizeof active, "%u", location->active);
        ctl_assignment_join (location->districts, location->n_districts, districts,
                             sizeof districts);
        const char *id = *location->location_id ? location->location_id : "(no location)";
        const char *kind = ctl_assignment_kind_name (location->kind);
        ctl_table_row (table, (const char *[]){ id, ctl_assignment_or_dash (location->name),
                                                ctl_assignment_or_dash (kind),
                                                ctl_assignment_or_dash (districts), workers,
                                                present, fte, waiting, assigned, active });
    }
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else
        ctl_table_print (&table, stdout);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  -------------------------------------------------------------- workers

static int
s_worker_add (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "id", true, false },
                                         { "name", true, false },
                                         { "fte", true, false },
                                         { "location", true, false },
                                         { "expertise", true, false },
                                         { "max-caseload", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *id = ctl_arg_required (&args, "id");
    const char *name = id ? ctl_arg_required (&args, "name") : NULL;
    const char *fte_text = name ? ctl_arg_required (&args, "fte") : NULL;
    const char *location_list = fte_text ? ctl_arg_required (&args, "location") : NULL;
    const char *expertise_list = location_list ? ctl_arg_required (&args, "expertise") : NULL;
    if (!expertise_list)
        return CTL_USAGE;
    Caseflow__V1__Assignment__AddWorker body = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    if ((rc = s_parse_fte (fte_text, &body.fte_milli))
        || (rc = s_parse_max (&args, &body.max_caseload)))
        return rc;
    Caseflow__V1__Domain *expertise = NULL;
    size_t n_expertise = 0;
    if ((rc = ctl_parse_domains ("expertise", expertise_list, &expertise, &n_expertise)))
        return rc;
    size_t n_locations = 0;
    char **locations = ctl_split (location_list, &n_locations);
    body.worker_id = (char *) id;
    body.name = (char *) name;
    body.locations = locations;
    body.n_locations = n_locations;
    body.expertise = expertise;
    body.n_expertise = n_expertise;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    command.add_worker = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    ctl_strings_free (locations, n_locations);
    free (expertise);
    return rc == CTL_OK ? s_print_worker (ctl, reply, "added") : rc;
}

static int
s_worker_change (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "name", true, false },
                                         { "fte", true, false },
                                         { "location", true, false },
                                         { "expertise", true, false },
                                         { "max-caseload", true, false },
                                         { "default-max-caseload", false, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "WORKER");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__ChangeWorker body = CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
    body.worker_id = (char *) args.positional [0];
    const char *value;
    if ((value = ctl_arg (&args, "name")))
        body.name = (char *) value;
    if ((value = ctl_arg (&args, "fte")) && (rc = s_parse_fte (value, &body.fte_milli)))
        return rc;
    if ((rc = s_parse_max (&args, &body.max_caseload)))
        return rc;
    body.default_max_caseload = ctl_arg (&args, "default-max-caseload") != NULL;
    Caseflow__V1__Domain *expertise = NULL;
    if ((value = ctl_arg (&args, "expertise"))
        && (rc = ctl_parse_domains ("expertise", value, &expertise, &body.n_expertise)))
        return rc;
    body.expertise = expertise;
    char **locations = NULL;
    if ((value = ctl_arg (&args, "location")))
        locations = ctl_split (value, &body.n_locations);
    body.locations = locations;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
    command.change_worker = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    if (locations)
        ctl_strings_free (locations, body.n_locations);
    free (expertise);
    return rc == CTL_OK ? s_print_worker (ctl, reply, "changed") : rc;
}

static int
s_worker_absent (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "from", true, false },
                                         { "until", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "WORKER");
    if (rc)
        return rc;
    const char *from = ctl_arg_required (&args, "from");
    if (!from)
        return CTL_USAGE;
    Caseflow__V1__Assignment__MarkAbsent body = CASEFLOW__V1__ASSIGNMENT__MARK_ABSENT__INIT;
    body.worker_id = (char *) args.positional [0];
    //  "now" (0): the service's clock, which may be the manual one.
    if (strcmp (from, "now") != 0 && (rc = ctl_parse_time ("from", from, &body.from)))
        return rc;
    const char *until = ctl_arg (&args, "until");
    if (until && (rc = ctl_parse_time ("until", until, &body.until)))
        return rc;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT;
    command.mark_absent = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    return rc == CTL_OK ? s_print_worker (ctl, reply, "marked absent") : rc;
}

//  return and leave: a worker id and nothing else.
static int
s_worker_simple (ctl_t *ctl, int argc, char **argv, bool leave)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "WORKER");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__MarkReturned returned = CASEFLOW__V1__ASSIGNMENT__MARK_RETURNED__INIT;
    Caseflow__V1__Assignment__MarkLeft left = CASEFLOW__V1__ASSIGNMENT__MARK_LEFT__INIT;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    if (leave) {
        left.worker_id = (char *) args.positional [0];
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT;
        command.mark_left = &left;
    } else {
        returned.worker_id = (char *) args.positional [0];
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED;
        command.mark_returned = &returned;
    }
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    return rc == CTL_OK ? s_print_worker (ctl, reply, leave ? "left" : "returned") : rc;
}

static int
s_worker_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "all", false, false },
                                         { "location", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__ListWorkers body = CASEFLOW__V1__ASSIGNMENT__LIST_WORKERS__INIT;
    body.include_left = ctl_arg (&args, "all") != NULL;
    const char *location = ctl_arg (&args, "location");
    if (location)
        body.location = (char *) location;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_WORKERS;
    query.list_workers = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->assignment->body_case != CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_WORKERS)
        return s_missing (reply, "workers");
    const Caseflow__V1__Assignment__WorkerList *list = reply->query->assignment->workers;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < list->n_workers; i++)
            ctl_assignment_json_worker (&json, list->workers [i]);
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else {
        ctl_table_t *table =
            ctl_table_new (8, (const char *[]){ "WORKER", "NAME", "FTE", "LOCATIONS", "EXPERTISE",
                                                "CASELOAD", "UTILISATION", "AVAILABILITY" });
        for (size_t i = 0; i < list->n_workers; i++) {
            const Caseflow__V1__Assignment__WorkerView *worker = list->workers [i];
            char fte [16], locations [256], expertise [160], caseload [32], utilisation [16],
                availability [128];
            snprintf (fte, sizeof fte, "%.2f", worker->fte_milli / 1000.0);
            snprintf (caseload, sizeof caseload, "%u/%u%s", worker->caseload, worker->capacity,
                      worker->caseload > worker->capacity ? " over" : "");
            snprintf (utilisation, sizeof utilisation, "%u%%",
                      (worker->utilisation_permille + 5) / 10);
            ctl_assignment_join (worker->locations, worker->n_locations, locations,
                                 sizeof locations);
            ctl_assignment_domains_text (worker->expertise, worker->n_expertise, expertise,
                                         sizeof expertise);
            ctl_table_row (table,
                           (const char *[]){ worker->worker_id, worker->name, fte, locations,
                                             expertise, caseload, utilisation,
                                             ctl_assignment_availability (worker, availability,
                                                                          sizeof availability) });
        }
        ctl_table_print (&table, stdout);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_worker (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("assignment worker: give add, change, absent, return, leave "
                                "or list");
    const char *sub = argv [1];
    if (strcmp (sub, "--help") == 0 || strcmp (sub, "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    argc--;
    argv++;
    if (strcmp (sub, "add") == 0)
        return s_worker_add (ctl, argc, argv);
    if (strcmp (sub, "change") == 0)
        return s_worker_change (ctl, argc, argv);
    if (strcmp (sub, "absent") == 0)
        return s_worker_absent (ctl, argc, argv);
    if (strcmp (sub, "return") == 0)
        return s_worker_simple (ctl, argc, argv, false);
    if (strcmp (sub, "leave") == 0)
        return s_worker_simple (ctl, argc, argv, true);
    if (strcmp (sub, "list") == 0)
        return s_worker_list (ctl, argc, argv);
    return ctl_usage_error ("assignment worker: unknown verb \"%s\" (add, change, absent, "
                            "return, leave or list)",
                            sub);
}

//  ---------------------------------------------------------------- cases

static int
s_assign (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "worker", true, false },
                                         { "reason", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    const char *worker = ctl_arg_required (&args, "worker");
    const char *reason = worker ? ctl_arg_required (&args, "reason") : NULL;
    if (!reason)
        return CTL_USAGE;
    Caseflow__V1__Assignment__Assign body = CASEFLOW__V1__ASSIGNMENT__ASSIGN__INIT;
    body.case_id = (char *) args.positional [0];
    body.worker_id = (char *) worker;
    body.reason = (char *) reason;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ASSIGN;
    command.assign = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    return rc == CTL_OK ? s_print_case_result (ctl, reply, "assigned") : rc;
}

//  start CASE, complete CASE --outcome TEXT.
static int
s_progress (ctl_t *ctl, int argc, char **argv, bool complete)
{
    static const ctl_flag_t start_flags [] = { { NULL } };
    static const ctl_flag_t complete_flags [] = { { "outcome", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, complete ? complete_flags : start_flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__Start start = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    Caseflow__V1__Assignment__Complete done = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    if (complete) {
        const char *outcome = ctl_arg_required (&args, "outcome");
        if (!outcome)
            return CTL_USAGE;
        done.case_id = (char *) args.positional [0];
        done.outcome = (char *) outcome;
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE;
        command.complete = &done;
    } else {
        start.case_id = (char *) args.positional [0];
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START;
        command.start = &start;
    }
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    return rc == CTL_OK ? s_print_case_result (ctl, reply, complete ? "completed" : "started") : rc;
}

static int
s_show (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__GetAssignment body = CASEFLOW__V1__ASSIGNMENT__GET_ASSIGNMENT__INIT;
    body.case_id = (char *) args.positional [0];
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_GET_ASSIGNMENT;
    query.get_assignment = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->assignment->body_case != CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_CASE)
        return s_missing (reply, "case");
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_assignment_json_case (&json, reply->query->assignment->case_);
        ctl_json_finish (&json);
    } else
        ctl_assignment_print_case (reply->query->assignment->case_);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_explain (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__ExplainWaiting body = CASEFLOW__V1__ASSIGNMENT__EXPLAIN_WAITING__INIT;
    body.case_id = (char *) args.positional [0];
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_EXPLAIN_WAITING;
    query.explain_waiting = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->assignment->body_case
        != CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_EXPLANATION)
        return s_missing (reply, "explanation");
    const Caseflow__V1__Assignment__WaitExplanation *why = reply->query->assignment->explanation;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_assignment_json_text (&json, "case_id", why->case_id);
        ctl_json_key (&json, "status");
        ctl_json_string (&json, ctl_status_name (why->status));
        ctl_json_key (&json, "position");
        if (why->position)
            ctl_json_uint (&json, why->position);
        else
            ctl_json_null (&json);
        ctl_assignment_json_uint (&json, "ahead", why->ahead);
        ctl_assignment_json_uint (&json, "matching", why->matching);
        ctl_assignment_json_uint (&json, "matching_present", why->matching_present);
        ctl_assignment_json_uint (&json, "matching_with_room", why->matching_with_room);
        ctl_assignment_json_text (&json, "text", why->text);
        ctl_json_key (&json, "candidates");
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < why->n_candidates; i++) {
            const Caseflow__V1__Assignment__CandidateView *candidate = why->candidates [i];
            ctl_json_object_begin (&json);
            ctl_assignment_json_text (&json, "worker_id", candidate->worker_id);
            ctl_assignment_json_uint (&json, "caseload", candidate->caseload);
            ctl_assignment_json_uint (&json, "capacity", candidate->capacity);
            ctl_json_key (&json, "absent");
            ctl_json_bool (&json, candidate->absent);
            ctl_assignment_json_text (&json, "note", candidate->note);
            ctl_json_object_end (&json);
        }
        ctl_json_array_end (&json);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else {
        printf ("%s\n", why->text);
        if (why->n_candidates) {
            printf ("\n");
            ctl_table_t *table =
                ctl_table_new (3, (const char *[]){ "WORKER", "CASELOAD", "NOTE" });
            for (size_t i = 0; i < why->n_candidates; i++) {
                const Caseflow__V1__Assignment__CandidateView *candidate = why->candidates [i];
                char caseload [32];
                snprintf (caseload, sizeof caseload, "%u/%u", candidate->caseload,
                          candidate->capacity);
                const char *note = ctl_assignment_or_dash (candidate->note);
                ctl_table_row (table, (const char *[]){ candidate->worker_id, caseload, note });
            }
            ctl_table_print (&table, stdout);
        }
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ---------------------------------------------------------- entry points

int
ctl_waiting_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "limit", true, false },
                                         { "location", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_waiting_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Assignment__Waiting body = CASEFLOW__V1__ASSIGNMENT__WAITING__INIT;
    const char *value = ctl_arg (&args, "limit");
    uint64_t limit = 0;
    if (value && (rc = ctl_parse_uint ("limit", value, 1, 10000, &limit)))
        return rc;
    body.limit = (uint32_t) limit;
    if ((value = ctl_arg (&args, "location")))
        body.location = (char *) value;
    Caseflow__V1__Assignment__Query query = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    query.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_WAITING;
    query.waiting = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->assignment->body_case != CASEFLOW__V1__ASSIGNMENT__QUERY_RESULT__BODY_WAITING)
        return s_missing (reply, "waiting list");
    const Caseflow__V1__Assignment__WaitingList *list = reply->query->assignment->waiting;
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < list->n_entries; i++) {
            const Caseflow__V1__Assignment__WaitingEntry *entry = list->entries [i];
            ctl_json_object_begin (&json);
            ctl_assignment_json_text (&json, "case_id", entry->case_id);
            ctl_assignment_json_uint (&json, "position", entry->position);
            ctl_json_key (&json, "urgency");
            ctl_json_string (&json, ctl_urgency_name (entry->urgency));
            ctl_assignment_json_time (&json, "registered_at", entry->registered_at);
            ctl_assignment_json_uint (&json, "waiting_days", entry->waiting_days);
            ctl_assignment_json_time (&json, "triaged_at", entry->triaged_at);
            ctl_assignment_json_domains (&json, "domains", entry->domains, entry->n_domains);
            ctl_assignment_json_text (&json, "location", entry->location);
            ctl_json_key (&json, "escalated");
            ctl_json_bool (&json, entry->escalated);
            ctl_assignment_json_text (&json, "continuity_worker", entry->continuity_worker);
            ctl_json_object_end (&json);
        }
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else {
        ctl_table_t *table =
            ctl_table_new (8, (const char *[]){ "POS", "CASE", "URGENCY", "REGISTERED", "DAYS",
                                                "DOMAINS", "LOCATION", "NOTE" });
        for (size_t i = 0; i < list->n_entries; i++) {
            const Caseflow__V1__Assignment__WaitingEntry *entry = list->entries [i];
            char position [16], registered [40], days [16], domains [160], note [96] = "";
            snprintf (position, sizeof position, "%u", entry->position);
            snprintf (days, sizeof days, "%u", entry->waiting_days);
            if (entry->escalated)
                snprintf (note, sizeof note, "escalated");
            else if (*entry->continuity_worker)
                snprintf (note, sizeof note, "continuity %s", entry->continuity_worker);
            ctl_time_text (entry->registered_at, registered, sizeof registered);
            ctl_assignment_domains_text (entry->domains, entry->n_domains, domains, sizeof domains);
            ctl_table_row (table,
                           (const char *[]){ position, entry->case_id,
                                             ctl_urgency_name (entry->urgency), registered, days,
                                             domains, ctl_assignment_or_dash (entry->location),
                                             ctl_assignment_or_dash (note) });
        }
        ctl_table_print (&table, stdout);
        printf ("%u waiting (%u urgent)%s\n", list->total, list->urgent,
                list->n_entries < list->total ? "; use --limit for more" : "");
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

int
ctl_assignment_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("assignment: give a verb (see caseflowctl assignment --help)");
    const char *verb = argv [1];
    if (strcmp (verb, "--help") == 0 || strcmp (verb, "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    //  A verb handler gets argv + 1: its argv[0] is the verb.
    argc--;
    argv++;
    if (strcmp (verb, "location") == 0) {
        if (argc < 2)
            return ctl_usage_error ("assignment location: give add or list");
        const char *sub = argv [1];
        if (strcmp (sub, "--help") == 0 || strcmp (sub, "-h") == 0) {
            fputs (s_usage, stdout);
            return CTL_OK;
        }
        if (strcmp (sub, "add") == 0)
            return s_location_add (ctl, argc - 1, argv + 1);
        if (strcmp (sub, "list") == 0)
            return s_location_list (ctl, argc - 1, argv + 1);
        return ctl_usage_error ("assignment location: unknown verb \"%s\" (add or list)", sub);
    }
    if (strcmp (verb, "worker") == 0)
        return s_worker (ctl, argc, argv);
    if (strcmp (verb, "assign") == 0)
        return s_assign (ctl, argc, argv);
    if (strcmp (verb, "start") == 0)
        return s_progress (ctl, argc, argv, false);
    if (strcmp (verb, "complete") == 0)
        return s_progress (ctl, argc, argv, true);
    if (strcmp (verb, "show") == 0)
        return s_show (ctl, argc, argv);
    if (strcmp (verb, "explain") == 0)
        return s_explain (ctl, argc, argv);
    return ctl_usage_error ("assignment: unknown verb \"%s\" (see caseflowctl assignment --help)",
                            verb);
}
