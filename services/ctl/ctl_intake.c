//  ctl_intake: `caseflowctl intake …`, the intake service's commands and
//  queries (CLI.md): register, triage, callback, advise, withdraw, close,
//  show, list, track add/join/list, plus find (a resident's open case) and
//  counts (cases by status).
//
//  Every verb that changes a case prints the case as it now is: one short
//  line for people, the same object as `intake show` with --json. JSON keys
//  are CLI.md's (case_id, status, urgency, channel, domains, registered_at,
//  worker_id, location, callbacks [{reminder_id, due_at, outcome}], and
//  case_id, status, urgency, joined_existing for register) plus the rest of
//  the case; absent values are null, enums lower-case words, times ISO 8601.
#include "ctl.h"

#include "cf_words.h"

#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl intake <verb> [args]\n"
    "\n"
    "Cases from registration to closure: the intake service's commands and queries.\n"
    "\n"
    "verbs:\n"
    "  register --name NAME --channel phone|walk-in|web|partner|municipality\n"
    "           --domain D[,D...] [--birth-date DATE] [--bsn NUMBER] [--phone PHONE]\n"
    "           [--district NAME] [--location LOC] [--question TEXT] [--referred-by ORG]\n"
    "           [--urgency urgent|regular --reason TEXT]\n"
    "  triage CASE --urgency urgent|regular --reason TEXT\n"
    "  callback CASE --outcome reached|not-reached|changed|no-longer-needed [--note TEXT]\n"
    "           [--reminder ID] [--due TIME]\n"
    "  advise CASE --note TEXT\n"
    "  withdraw CASE --reason TEXT\n"
    "  close CASE --reason TEXT\n"
    "  show CASE\n"
    "  list [--status S] [--location LOC] [--channel C] [--domain D] [--limit N]\n"
    "  find --bsn NUMBER | --name NAME --birth-date DATE\n"
    "  counts\n"
    "  track add --id TRACK --name NAME --location LOC --capacity N --starts DATE\n"
    "  track join CASE --track TRACK\n"
    "  track list\n"
    "\n"
    "Domains: youth, support, work-income, debt, housing, mental-health, other.\n"
    "Statuses: registered, waiting, urgent, assigned, active, closed.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

#define S_COUNT(array) (sizeof (array) / sizeof (array) [0])

//  ------------------------------------------------------------- calling

static int
s_command (ctl_t *ctl, Caseflow__V1__Intake__Command *intake, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_command (ctl, CTL_INTAKE, intake, reply_p);
}

static int
s_query (ctl_t *ctl, Caseflow__V1__Intake__Query *intake, Caseflow__V1__Reply **reply_p)
{
    return ctl_service_query (ctl, CTL_INTAKE, intake, reply_p);
}

//  -------------------------------------------------------------- output

static void
s_json_word (ctl_json_t *json, const char *key, const char *word)
{
    ctl_json_key (json, key);
    ctl_json_string (json, word);
}

static void
s_json_text (ctl_json_t *json, const char *key, const char *text)
{
    ctl_json_key (json, key);
    ctl_json_string_or_null (json, text);
}

static void
s_json_time (ctl_json_t *json, const char *key, int64_t at)
{
    ctl_json_key (json, key);
    ctl_json_time (json, at);
}

static const char *
s_enum_word (int value, const char *name)
{
    return value ? name : NULL;
}

static void
s_json_domains (ctl_json_t *json, const Caseflow__V1__Domain *domains, size_t count)
{
    ctl_json_key (json, "domains");
    ctl_json_array_begin (json);
    for (size_t i = 0; i < count; i++)
        ctl_json_string (json, ctl_domain_name (domains [i]));
    ctl_json_array_end (json);
}

//  The case object of `show` (and of every verb that changes a case).
static void
s_json_case (ctl_json_t *json, const Caseflow__V1__Intake__CaseView *view)
{
    ctl_json_object_begin (json);
    s_json_word (json, "case_id", view->case_id);
    s_json_word (json, "status", s_enum_word (view->status, ctl_status_name (view->status)));
    s_json_word (json, "urgency", s_enum_word (view->urgency, ctl_urgency_name (view->urgency)));
    s_json_word (json, "channel", s_enum_word (view->channel, ctl_channel_name (view->channel)));
    s_json_domains (json, view->domains, view->n_domains);
    s_json_time (json, "registered_at", view->registered_at);
    s_json_text (json, "worker_id", view->worker_id);
    s_json_text (json, "location", view->location);
    //  List summaries carry no personal data and no callbacks: no key.
    if (view->resident) {
        ctl_json_key (json, "callbacks");
        ctl_json_array_begin (json);
        for (size_t i = 0; i < view->n_callbacks; i++) {
            const Caseflow__V1__Intake__CallbackView *callback = view->callbacks [i];
            ctl_json_object_begin (json);
            s_json_text (json, "reminder_id", callback->reminder_id);
            s_json_time (json, "due_at", callback->due_at);
            s_json_word (json, "outcome",
                         cf_words_find (&cf_words_callback_outcome, callback->outcome));
            s_json_time (json, "recorded_at", callback->recorded_at);
            s_json_text (json, "note", callback->note);
            ctl_json_object_end (json);
        }
        ctl_json_array_end (json);
    }
    s_json_time (json, "triaged_at", view->triaged_at);
    s_json_time (json, "last_triaged_at", view->last_triaged_at);
    s_json_text (json, "triage_reason", view->triage_reason);
    s_json_time (json, "status_changed_at", view->status_changed_at);
    if (view->resident) {
        ctl_json_key (json, "resident");
        ctl_json_object_begin (json);
        s_json_text (json, "name", view->resident->name);
        s_json_text (json, "birth_date", view->resident->birth_date);
        s_json_text (json, "phone", view->resident->phone);
        s_json_text (json, "district", view->resident->district);
        s_json_text (json, "bsn", view->resident->bsn);
        ctl_json_object_end (json);
        s_json_text (json, "question", view->question);
    }
    s_json_text (json, "referred_by", view->referred_by);
    s_json_text (json, "preferred_worker", view->preferred_worker);
    ctl_json_key (json, "consecutive_unanswered");
    ctl_json_uint (json, view->consecutive_unanswered);
    ctl_json_key (json, "awaiting_retriage");
    ctl_json_bool (json, view->awaiting_retriage);
    ctl_json_key (json, "tracks");
    ctl_json_array_begin (json);
    for (size_t i = 0; i < view->n_tracks; i++)
        ctl_json_string (json, view->tracks [i]);
    ctl_json_array_end (json);
    ctl_json_key (json, "questions_added");
    ctl_json_uint (json, view->questions_added);
    if (view->resident) {
        ctl_json_key (json, "questions");
        ctl_json_array_begin (json);
        for (size_t i = 0; i < view->n_questions; i++) {
            const Caseflow__V1__Intake__QuestionView *question = view->questions [i];
            ctl_json_object_begin (json);
            s_json_time (json, "added_at", question->added_at);
            s_json_word (json, "channel",
                         s_enum_word (question->channel, ctl_channel_name (question->channel)));
            s_json_domains (json, question->domains, question->n_domains);
            s_json_text (json, "question", question->question);
            s_json_text (json, "referred_by", question->referred_by);
            s_json_text (json, "handover_id", question->handover_id);
            ctl_json_object_end (json);
        }
        ctl_json_array_end (json);
    }
    s_json_time (json, "closed_at", view->closed_at);
    s_json_word (json, "closure", cf_words_find (&cf_words_closure, view->closure));
    s_json_text (json, "close_reason", view->close_reason);
    s_json_text (json, "handover_id", view->handover_id);
    s_json_text (json, "provider_id", view->provider_id);
    ctl_json_object_end (json);
}

static void
s_domains_text (const Caseflow__V1__Domain *domains, size_t count, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", i ? "," : "", ctl_domain_name (domains [i]));
    }
}

static const char *
s_or_dash (const char *text)
{
    return text && *text ? text : "-";
}

//  `show` for people: one "label  value" line per known fact, then the
//  callbacks and joined questions as tables.
static void
s_print_case (const Caseflow__V1__Intake__CaseView *view)
{
    char domains [160], at [40];
    s_domains_text (view->domains, view->n_domains, domains, sizeof domains);
    printf ("%-18s %s\n", "case", view->case_id);
    printf ("%-18s %s\n", "status", ctl_status_name (view->status));
    printf ("%-18s %s\n", "urgency", view->urgency ? ctl_urgency_name (view->urgency) : "-");
    printf ("%-18s %s\n", "channel", ctl_channel_name (view->channel));
    printf ("%-18s %s\n", "domains", domains);
    printf ("%-18s %s\n", "registered", ctl_time_text (view->registered_at, at, sizeof at));
    if (view->triaged_at)
        printf ("%-18s %s (%s)\n", "triaged", ctl_time_text (view->last_triaged_at, at, sizeof at),
                view->triage_reason);
    printf ("%-18s %s\n", "worker", s_or_dash (view->worker_id));
    printf ("%-18s %s\n", "location", s_or_dash (view->location));
    if (view->resident) {
        printf ("%-18s %s\n", "name", s_or_dash (view->resident->name));
        printf ("%-18s %s\n", "birth date", s_or_dash (view->resident->birth_date));
        printf ("%-18s %s\n", "bsn", s_or_dash (view->resident->bsn));
        printf ("%-18s %s\n", "phone", s_or_dash (view->resident->phone));
        printf ("%-18s %s\n", "district", s_or_dash (view->resident->district));
        printf ("%-18s %s\n", "question", s_or_dash (view->question));
    }
    if (*view->referred_by)
        printf ("%-18s %s\n", "referred by", view->referred_by);
    if (*view->preferred_worker)
        printf ("%-18s %s\n", "preferred worker", view->preferred_worker);
    if (*view->handover_id)
        printf ("%-18s %s (provider %s)\n", "handover", view->handover_id, view->provider_id);
    if (view->awaiting_retriage)
        printf ("%-18s %s\n", "awaiting", "re-triage (the situation changed)");
    for (size_t i = 0; i < view->n_tracks; i++)
        printf ("%-18s %s\n", i ? "" : "tracks", view->tracks [i]);
    if (view->closed_at)
        printf ("%-18s %s: %s (%s)\n", "closed", ctl_time_text (view->closed_at, at, sizeof at),
                s_or_dash (cf_words_find (&cf_words_closure, view->closure)), view->close_reason);
    if (view->n_callbacks) {
        printf ("\ncallbacks (%u unanswered in a row):\n", view->consecutive_unanswered);
        ctl_table_t *table =
            ctl_table_new (5, (const char *[]){ "RECORDED", "DUE", "OUTCOME", "REMINDER", "NOTE" });
        for (size_t i = 0; i < view->n_callbacks; i++) {
            const Caseflow__V1__Intake__CallbackView *callback = view->callbacks [i];
            char recorded [40], due [40];
            ctl_table_row (
                table,
                (const char *[]){
                    ctl_time_text (callback->recorded_at, recorded, sizeof recorded),
                    ctl_time_text (callback->due_at, due, sizeof due),
                    s_or_dash (cf_words_find (&cf_words_callback_outcome, callback->outcome)),
                    s_or_dash (callback->reminder_id), s_or_dash (callback->note) });
        }
        ctl_table_print (&table, stdout);
    }
    if (view->n_questions) {
        printf ("\nlater registrations:\n");
        ctl_table_t *table =
            ctl_table_new (4, (const char *[]){ "ADDED", "CHANNEL", "DOMAINS", "QUESTION" });
        for (size_t i = 0; i < view->n_questions; i++) {
            const Caseflow__V1__Intake__QuestionView *question = view->questions [i];
            char added [40], list [160];
            s_domains_text (question->domains, question->n_domains, list, sizeof list);
            ctl_table_row (
                table, (const char *[]){ ctl_time_text (question->added_at, added, sizeof added),
                                         ctl_channel_name (question->channel), list,
                                         s_or_dash (question->question) });
        }
        ctl_table_print (&table, stdout);
    }
}

//  The output of a verb that changed a case: the case object with --json,
//  "<CASE> <what>: <status>, urgency <urgency>" for people.
static int
s_print_changed (ctl_t *ctl, Caseflow__V1__Reply *reply, const char *what)
{
    const Caseflow__V1__Intake__CaseView *view = reply->command->intake->case_;
    if (!view) {
        fprintf (stderr, "caseflowctl: intake: the reply has no case\n");
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_REFUSED;
    }
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        s_json_case (&json, view);
        ctl_json_finish (&json);
    } else
        printf ("%s %s: %s, urgency %s%s%s\n", view->case_id, what, ctl_status_name (view->status),
                view->urgency ? ctl_urgency_name (view->urgency) : "-",
                *view->worker_id ? ", worker " : "", view->worker_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_send_and_print (ctl_t *ctl, Caseflow__V1__Intake__Command *command, const char *what)
{
    Caseflow__V1__Reply *reply = NULL;
    int rc = s_command (ctl, command, &reply);
    return rc == CTL_OK ? s_print_changed (ctl, reply, what) : rc;
}

//  ------------------------------------------------------------ commands

static int
s_register (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = {
        { "name", true, false },
        { "channel", true, false },
        { "domain", true, false },
        { "birth-date", true, false },
        { "bsn", true, false },
        { "phone", true, false },
        { "district", true, false },
        { "location", true, false },
        { "question", true, false },
        { "referred-by", true, false },
        { "urgency", true, false },
        { "reason", true, false },
        { NULL },
    };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *name = ctl_arg_required (&args, "name");
    const char *channel_word = name ? ctl_arg_required (&args, "channel") : NULL;
    const char *domain_list = channel_word ? ctl_arg_required (&args, "domain") : NULL;
    if (!domain_list)
        return CTL_USAGE;
    int channel = ctl_channel_parse (channel_word);
    if (channel < 0)
        return ctl_usage_error ("--channel: \"%s\" is not a channel (phone, walk-in, web, "
                                "partner, municipality)",
                                channel_word);
    int urgency = 0;
    const char *urgency_word = ctl_arg (&args, "urgency");
    if (urgency_word && (urgency = ctl_urgency_parse (urgency_word)) < 0)
        return ctl_usage_error ("--urgency: \"%s\" is not urgent or regular", urgency_word);
    Caseflow__V1__Domain *domains = NULL;
    size_t domain_count = 0;
    if ((rc = ctl_parse_domains ("domain", domain_list, &domains, &domain_count)))
        return rc;

    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    const char *value;
    if ((value = ctl_arg (&args, "birth-date")))
        resident.birth_date = (char *) value;
    if ((value = ctl_arg (&args, "bsn")))
        resident.bsn = (char *) value;
    if ((value = ctl_arg (&args, "phone")))
        resident.phone = (char *) value;
    if ((value = ctl_arg (&args, "district")))
        resident.district = (char *) value;
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = (Caseflow__V1__Channel) channel;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = domain_count;
    body.urgency = (Caseflow__V1__Urgency) urgency;
    if ((value = ctl_arg (&args, "location")))
        body.location = (char *) value;
    if ((value = ctl_arg (&args, "question")))
        body.question = (char *) value;
    if ((value = ctl_arg (&args, "referred-by")))
        body.referred_by = (char *) value;
    if ((value = ctl_arg (&args, "reason")))
        body.reason = (char *) value;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    command.register_ = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_command (ctl, &command, &reply);
    free (domains);
    if (rc)
        return rc;
    const Caseflow__V1__Intake__RegisterResult *result = reply->command->intake->registered;
    if (!result) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        fprintf (stderr, "caseflowctl: intake: the reply has no registration\n");
        return CTL_REFUSED;
    }
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        s_json_word (&json, "case_id", result->case_id);
        s_json_word (&json, "status",
                     s_enum_word (result->status, ctl_status_name (result->status)));
        s_json_word (&json, "urgency",
                     s_enum_word (result->urgency, ctl_urgency_name (result->urgency)));
        ctl_json_key (&json, "joined_existing");
        ctl_json_bool (&json, result->joined_existing);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else
        printf ("%s %s: %s, urgency %s\n", result->case_id,
                result->joined_existing ? "joined (the resident's open case)" : "registered",
                ctl_status_name (result->status),
                result->urgency ? ctl_urgency_name (result->urgency) : "-");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_triage (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "urgency", true, false },
                                         { "reason", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    const char *urgency_word = ctl_arg_required (&args, "urgency");
    const char *reason = urgency_word ? ctl_arg_required (&args, "reason") : NULL;
    if (!reason)
        return CTL_USAGE;
    int urgency = ctl_urgency_parse (urgency_word);
    if (urgency < 0)
        return ctl_usage_error ("--urgency: \"%s\" is not urgent or regular", urgency_word);
    Caseflow__V1__Intake__Triage body = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    body.case_id = (char *) args.positional [0];
    body.urgency = (Caseflow__V1__Urgency) urgency;
    body.reason = (char *) reason;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    command.triage = &body;
    return s_send_and_print (ctl, &command, "triaged");
}

static int
s_callback (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "outcome", true, false },
                                         { "note", true, false },
                                         { "reminder", true, false },
                                         { "due", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    const char *outcome_word = ctl_arg_required (&args, "outcome");
    if (!outcome_word)
        return CTL_USAGE;
    int outcome = cf_words_parse (&cf_words_callback_outcome, outcome_word);
    if (outcome < 0)
        return ctl_usage_error ("--outcome: \"%s\" is not reached, not-reached, changed or "
                                "no-longer-needed",
                                outcome_word);
    Caseflow__V1__Intake__RecordCallback body = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    body.case_id = (char *) args.positional [0];
    body.outcome = (Caseflow__V1__Intake__CallbackOutcome) outcome;
    const char *value;
    if ((value = ctl_arg (&args, "note")))
        body.note = (char *) value;
    if ((value = ctl_arg (&args, "reminder")))
        body.reminder_id = (char *) value;
    if ((value = ctl_arg (&args, "due")) && (rc = ctl_parse_time ("due", value, &body.due_at)))
        return rc;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    command.record_callback = &body;
    return s_send_and_print (ctl, &command, "callback recorded");
}

//  advise (--note), withdraw and close (--reason): a case id and one text.
static int
s_closing (ctl_t *ctl, int argc, char **argv, const char *verb)
{
    bool advise = strcmp (verb, "advise") == 0;
    const char *text_flag = advise ? "note" : "reason";
    const ctl_flag_t flags [] = { { text_flag, true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    const char *text = ctl_arg_required (&args, text_flag);
    if (!text)
        return CTL_USAGE;
    char *case_id = (char *) args.positional [0];
    Caseflow__V1__Intake__Advise advise_body = CASEFLOW__V1__INTAKE__ADVISE__INIT;
    Caseflow__V1__Intake__Withdraw withdraw_body = CASEFLOW__V1__INTAKE__WITHDRAW__INIT;
    Caseflow__V1__Intake__Close close_body = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    if (advise) {
        advise_body.case_id = case_id;
        advise_body.note = (char *) text;
        command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE;
        command.advise = &advise_body;
    } else if (strcmp (verb, "withdraw") == 0) {
        withdraw_body.case_id = case_id;
        withdraw_body.reason = (char *) text;
        command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_WITHDRAW;
        command.withdraw = &withdraw_body;
    } else {
        close_body.case_id = case_id;
        close_body.reason = (char *) text;
        command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
        command.close = &close_body;
    }
    return s_send_and_print (ctl, &command,
                             advise                           ? "advised and closed"
                             : strcmp (verb, "withdraw") == 0 ? "withdrawn"
                                                              : "closed");
}

//  ------------------------------------------------------------- queries

static int
s_print_found (ctl_t *ctl, Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__Intake__CaseView *view = reply->query->intake->case_;
    if (!view) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        fprintf (stderr, "caseflowctl: intake: the reply has no case\n");
        return CTL_REFUSED;
    }
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        s_json_case (&json, view);
        ctl_json_finish (&json);
    } else
        s_print_case (view);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
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
    Caseflow__V1__Intake__GetCase body = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    body.case_id = (char *) args.positional [0];
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    query.get_case = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_query (ctl, &query, &reply);
    return rc == CTL_OK ? s_print_found (ctl, reply) : rc;
}

static int
s_find (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = {
        { "bsn", true, false }, { "name", true, false }, { "birth-date", true, false }, { NULL }
    };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Intake__FindResident body = CASEFLOW__V1__INTAKE__FIND_RESIDENT__INIT;
    const char *value;
    if ((value = ctl_arg (&args, "bsn")))
        body.bsn = (char *) value;
    if ((value = ctl_arg (&args, "name")))
        body.name = (char *) value;
    if ((value = ctl_arg (&args, "birth-date")))
        body.birth_date = (char *) value;
    if (!*body.bsn && (!*body.name || !*body.birth_date))
        return ctl_usage_error ("find: give --bsn, or --name and --birth-date");
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_FIND_RESIDENT;
    query.find_resident = &body;
    Caseflow__V1__Reply *reply = NULL;
    rc = s_query (ctl, &query, &reply);
    return rc == CTL_OK ? s_print_found (ctl, reply) : rc;
}

//  Pages through list_cases (at most 1000 a page) until `limit` cases.
static int
s_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "status", true, false },  { "location", true, false },
                                         { "channel", true, false }, { "domain", true, false },
                                         { "limit", true, false },   { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Intake__ListCases body = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
    const char *value;
    int parsed;
    if ((value = ctl_arg (&args, "status"))) {
        if ((parsed = ctl_status_parse (value)) < 0)
            return ctl_usage_error ("--status: \"%s\" is not a status (registered, waiting, "
                                    "urgent, assigned, active, closed)",
                                    value);
        body.status = (Caseflow__V1__CaseStatus) parsed;
    }
    if ((value = ctl_arg (&args, "channel"))) {
        if ((parsed = ctl_channel_parse (value)) < 0)
            return ctl_usage_error ("--channel: \"%s\" is not a channel", value);
        body.channel = (Caseflow__V1__Channel) parsed;
    }
    if ((value = ctl_arg (&args, "domain"))) {
        if ((parsed = ctl_domain_parse (value)) < 0)
            return ctl_usage_error ("--domain: \"%s\" is not a domain", value);
        body.domain = (Caseflow__V1__Domain) parsed;
    }
    if ((value = ctl_arg (&args, "location")))
        body.location = (char *) value;
    uint64_t limit = 100;
    if ((value = ctl_arg (&args, "limit"))
        && (rc = ctl_parse_uint ("limit", value, 1, 1000000, &limit)))
        return rc;

    //  Output starts with the first page, so a refusal prints nothing on stdout.
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_table_t *table = NULL;
    char after [32] = "";
    uint64_t shown = 0;
    rc = CTL_OK;
    while (shown < limit) {
        body.limit = (uint32_t) (limit - shown < 1000 ? limit - shown : 1000);
        body.after = after;
        Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
        query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
        query.list_cases = &body;
        Caseflow__V1__Reply *reply = NULL;
        if ((rc = s_query (ctl, &query, &reply)))
            break;
        if (ctl->json && shown == 0 && !*after)
            ctl_json_array_begin (&json);
        if (!ctl->json && !table)
            table = ctl_table_new (8, (const char *[]){ "CASE", "STATUS", "URGENCY", "CHANNEL",
                                                        "DOMAINS", "LOCATION", "REGISTERED",
                                                        "WORKER" });
        const Caseflow__V1__Intake__CaseList *list = reply->query->intake->cases;
        for (size_t i = 0; list && i < list->n_cases; i++, shown++) {
            const Caseflow__V1__Intake__CaseView *view = list->cases [i];
            if (ctl->json) {
                s_json_case (&json, view);
                continue;
            }
            char domains [160], registered [40];
            s_domains_text (view->domains, view->n_domains, domains, sizeof domains);
            ctl_table_row (
                table, (const char *[]){
                           view->case_id, ctl_status_name (view->status),
                           view->urgency ? ctl_urgency_name (view->urgency) : "-",
                           ctl_channel_name (view->channel), domains, s_or_dash (view->location),
                           ctl_time_text (view->registered_at, registered, sizeof registered),
                           s_or_dash (view->worker_id) });
        }
        bool more = list && *list->next;
        if (more)
            snprintf (after, sizeof after, "%s", list->next);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (!more)
            break;
    }
    //  A page that failed after others leaves what was shown, and the exit status.
    if (ctl->json && json.depth > 0) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    }
    if (table)
        ctl_table_print (&table, stdout);
    return rc;
}

static int
s_counts (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Intake__CountByStatus body = CASEFLOW__V1__INTAKE__COUNT_BY_STATUS__INIT;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_COUNT_BY_STATUS;
    query.count_by_status = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Intake__StatusCounts *counts = reply->query->intake->counts;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_table_t *table = NULL;
    if (ctl->json)
        ctl_json_object_begin (&json);
    else
        table = ctl_table_new (2, (const char *[]){ "STATUS", "CASES" });
    for (size_t i = 0; counts && i < counts->n_counts; i++) {
        const char *status = ctl_status_name (counts->counts [i]->status);
        if (ctl->json) {
            ctl_json_key (&json, status);
            ctl_json_uint (&json, counts->counts [i]->count);
        } else {
            char count [24];
            snprintf (count, sizeof count, "%llu", (unsigned long long) counts->counts [i]->count);
            ctl_table_row (table, (const char *[]){ status, count });
        }
    }
    if (ctl->json) {
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else
        ctl_table_print (&table, stdout);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  -------------------------------------------------------------- tracks

static void
s_json_track (ctl_json_t *json, const Caseflow__V1__Intake__TrackView *track)
{
    ctl_json_object_begin (json);
    s_json_word (json, "track_id", track->track_id);
    s_json_word (json, "name", track->name);
    s_json_word (json, "location", track->location);
    ctl_json_key (json, "capacity");
    ctl_json_uint (json, track->capacity);
    s_json_word (json, "starts_on", track->starts_on);
    ctl_json_key (json, "case_ids");
    ctl_json_array_begin (json);
    for (size_t i = 0; i < track->n_case_ids; i++)
        ctl_json_string (json, track->case_ids [i]);
    ctl_json_array_end (json);
    ctl_json_object_end (json);
}

static int
s_track_add (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "id", true, false },       { "name", true, false },
                                         { "location", true, false }, { "capacity", true, false },
                                         { "starts", true, false },   { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    const char *required [] = { "id", "name", "location", "capacity", "starts" };
    for (size_t i = 0; i < S_COUNT (required); i++)
        if (!ctl_arg_required (&args, required [i]))
            return CTL_USAGE;
    uint64_t capacity = 0;
    if ((rc = ctl_parse_uint ("capacity", ctl_arg (&args, "capacity"), 1, UINT32_MAX, &capacity)))
        return rc;
    Caseflow__V1__Intake__CreateTrack body = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    body.track_id = (char *) ctl_arg (&args, "id");
    body.name = (char *) ctl_arg (&args, "name");
    body.location = (char *) ctl_arg (&args, "location");
    body.capacity = (uint32_t) capacity;
    body.starts_on = (char *) ctl_arg (&args, "starts");
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    command.create_track = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_command (ctl, &command, &reply)))
        return rc;
    const Caseflow__V1__Intake__TrackView *track = reply->command->intake->track;
    if (track && ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        s_json_track (&json, track);
        ctl_json_finish (&json);
    } else if (track)
        printf ("track %s created: %s at %s, %u places, starts %s\n", track->track_id, track->name,
                track->location, track->capacity, track->starts_on);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_track_join (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "track", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "CASE");
    if (rc)
        return rc;
    const char *track = ctl_arg_required (&args, "track");
    if (!track)
        return CTL_USAGE;
    Caseflow__V1__Intake__JoinTrack body = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    body.case_id = (char *) args.positional [0];
    body.track_id = (char *) track;
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    command.join_track = &body;
    char what [96];
    snprintf (what, sizeof what, "joined track %s", track);
    return s_send_and_print (ctl, &command, what);
}

static int
s_track_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Intake__ListTracks body = CASEFLOW__V1__INTAKE__LIST_TRACKS__INIT;
    Caseflow__V1__Intake__Query query = CASEFLOW__V1__INTAKE__QUERY__INIT;
    query.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_TRACKS;
    query.list_tracks = &body;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Intake__TrackList *list = reply->query->intake->tracks;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_table_t *table = NULL;
    if (ctl->json)
        ctl_json_array_begin (&json);
    else
        table = ctl_table_new (
            6, (const char *[]){ "TRACK", "NAME", "LOCATION", "STARTS", "PLACES", "JOINED" });
    for (size_t i = 0; list && i < list->n_tracks; i++) {
        const Caseflow__V1__Intake__TrackView *track = list->tracks [i];
        if (ctl->json) {
            s_json_track (&json, track);
            continue;
        }
        char places [16], joined [16];
        snprintf (places, sizeof places, "%u", track->capacity);
        snprintf (joined, sizeof joined, "%zu", track->n_case_ids);
        ctl_table_row (table, (const char *[]){ track->track_id, track->name, track->location,
                                                track->starts_on, places, joined });
    }
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else
        ctl_table_print (&table, stdout);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  -------------------------------------------------------------- entry

int
ctl_intake_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("intake: give a verb (see caseflowctl intake --help)");
    const char *verb = argv [1];
    if (strcmp (verb, "--help") == 0 || strcmp (verb, "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    //  A verb handler gets argv + 1: its argv[0] is the verb.
    argc--;
    argv++;
    if (strcmp (verb, "register") == 0)
        return s_register (ctl, argc, argv);
    if (strcmp (verb, "triage") == 0)
        return s_triage (ctl, argc, argv);
    if (strcmp (verb, "callback") == 0)
        return s_callback (ctl, argc, argv);
    if (strcmp (verb, "advise") == 0 || strcmp (verb, "withdraw") == 0
        || strcmp (verb, "close") == 0)
        return s_closing (ctl, argc, argv, verb);
    if (strcmp (verb, "show") == 0)
        return s_show (ctl, argc, argv);
    if (strcmp (verb, "list") == 0)
        return s_list (ctl, argc, argv);
    if (strcmp (verb, "find") == 0)
        return s_find (ctl, argc, argv);
    if (strcmp (verb, "counts") == 0)
        return s_counts (ctl, argc, argv);
    if (strcmp (verb, "track") == 0) {
        if (argc < 2)
            return ctl_usage_error ("intake track: give add, join or list");
        const char *sub = argv [1];
        if (strcmp (sub, "--help") == 0 || strcmp (sub, "-h") == 0) {
            fputs (s_usage, stdout);
            return CTL_OK;
        }
        if (strcmp (sub, "add") == 0)
            return s_track_add (ctl, argc - 1, argv + 1);
        if (strcmp (sub, "join") == 0)
            return s_track_join (ctl, argc - 1, argv + 1);
        if (strcmp (sub, "list") == 0)
            return s_track_list (ctl, argc - 1, argv + 1);
        return ctl_usage_error ("intake track: unknown verb \"%s\" (add, join or list)", sub);
    }
    return ctl_usage_error ("intake: unknown verb \"%s\" (see caseflowctl intake --help)", verb);
}
