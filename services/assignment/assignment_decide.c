//  assignment_decide: the command handlers (see the header). One handler
//  per command, each in two halves: validate (the fields, then the
//  entities they name, then the lifecycle tables), replying with a status
//  and returning; then emit and let the policy react.
#include "assignment_decide.h"

#include "assignment_lifecycle.h"
#include "assignment_policy.h"
#include "assignment_query.h"
#include "assignment_validate.h"
#include "cf_api.h"
#include "cf_log.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FIELD "command.assignment."

#define S_INVALID      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_NOT_FOUND    CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define S_CONFLICT     CASEFLOW__V1__STATUS__CODE__CONFLICT
#define S_PRECONDITION CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION

//  ---------------------------------------------------------- the entities

//  A known worker, or NULL after setting the reply (NOT_FOUND); whether
//  the worker's presence allows the command is the table's to say
//  (assignment_lifecycle_worker_check), after every entity is found.
static assignment_worker_t *
s_find_worker (assignment_state_t *state, Caseflow__V1__Reply *reply, const char *field,
               const char *worker_id)
{
    if (!assignment_check_id (reply, field, worker_id))
        return NULL;
    assignment_worker_t *worker = assignment_state_worker (state, worker_id);
    if (!worker)
        cf_api_reply_status (reply, S_NOT_FOUND, field, "no worker \"%s\"", worker_id);
    return worker;
}

static assignment_case_t *
s_find_case (assignment_state_t *state, Caseflow__V1__Reply *reply, const char *field,
             const char *case_id)
{
    if (!assignment_check_id (reply, field, case_id))
        return NULL;
    assignment_case_t *kase = assignment_state_case (state, case_id);
    if (!kase)
        cf_api_reply_status (reply, S_NOT_FOUND, field,
                             "case \"%s\" is not known to assignment (it comes from intake)",
                             case_id);
    return kase;
}

//  -------------------------------------------------------------- results

static Caseflow__V1__Assignment__CommandResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    Caseflow__V1__Assignment__CommandResult *inner = malloc (sizeof *inner);
    assert (inner);
    caseflow__v1__assignment__command_result__init (inner);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_ASSIGNMENT;
    result->assignment = inner;
    return inner;
}

static void
s_reply_worker (assignment_state_t *state, cf_decider_t *decider, Caseflow__V1__Reply *reply,
                const assignment_worker_t *worker)
{
    if (decider->rc)
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_WORKER;
    result->worker = assignment_worker_view (state, worker);
}

static void
s_reply_case (assignment_state_t *state, cf_decider_t *decider, Caseflow__V1__Reply *reply,
              const assignment_case_t *kase)
{
    if (decider->rc)
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_CASE;
    result->case_ = assignment_case_view (state, kase);
}

//  ------------------------------------------------------------- commands

static void
s_add_location (assignment_state_t *state, cf_decider_t *decider,
                const Caseflow__V1__Assignment__AddLocation *command, Caseflow__V1__Reply *reply)
{
    if (!assignment_check_id (reply, S_FIELD "add_location.location_id", command->location_id)
        || !assignment_check_text (reply, S_FIELD "add_location.name", command->name,
                                   ASSIGNMENT_MAX_NAME))
        return;
    if (command->n_districts > ASSIGNMENT_MAX_DISTRICTS) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "add_location.districts",
                             "at most %d districts", ASSIGNMENT_MAX_DISTRICTS);
        return;
    }
    for (size_t i = 0; i < command->n_districts; i++) {
        if (!assignment_check_text (reply, S_FIELD "add_location.districts", command->districts [i],
                                    ASSIGNMENT_MAX_DISTRICT))
            return;
        for (size_t k = 0; k < i; k++)
            if (strcmp (command->districts [k], command->districts [i]) == 0) {
                cf_api_reply_status (reply, S_INVALID, S_FIELD "add_location.districts",
                                     "district \"%s\" is given twice", command->districts [i]);
                return;
            }
    }
    if (command->kind < CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_UNSPECIFIED
        || command->kind > CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_PARTNER_SITE) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "add_location.kind", "unknown kind %d",
                             command->kind);
        return;
    }
    if (assignment_state_location (state, command->location_id)) {
        cf_api_reply_status (reply, S_CONFLICT, S_FIELD "add_location.location_id",
                             "location %s already exists", command->location_id);
        return;
    }
    Caseflow__V1__Assignment__LocationAdded body = CASEFLOW__V1__ASSIGNMENT__LOCATION_ADDED__INIT;
    body.location_id = command->location_id;
    body.name = command->name;
    body.districts = command->districts;
    body.n_districts = command->n_districts;
    body.kind = command->kind;
    if (!body.kind)
        body.kind = CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_NEIGHBOURHOOD;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED;
    event.location_added = &body;
    if (cf_decider_emit (decider, &event))
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_LOCATION;
    result->location =
        assignment_location_view (state, assignment_state_location (state, command->location_id));
}

static void
s_add_worker (assignment_state_t *state, cf_decider_t *decider,
              const Caseflow__V1__Assignment__AddWorker *command, Caseflow__V1__Reply *reply)
{
    if (!assignment_check_id (reply, S_FIELD "add_worker.worker_id", command->worker_id)
        || !assignment_check_text (reply, S_FIELD "add_worker.name", command->name,
                                   ASSIGNMENT_MAX_NAME)
        || !assignment_check_fte (reply, S_FIELD "add_worker.fte_milli", command->fte_milli)
        || !assignment_check_locations (state, reply, S_FIELD "add_worker.locations",
                                        command->locations, command->n_locations)
        || !assignment_check_expertise (reply, S_FIELD "add_worker.expertise", command->expertise,
                                        command->n_expertise)
        || !assignment_check_max_caseload (reply, S_FIELD "add_worker.max_caseload",
                                           command->max_caseload))
        return;
    if (assignment_state_worker (state, command->worker_id)) {
        cf_api_reply_status (reply, S_CONFLICT, S_FIELD "add_worker.worker_id",
                             "worker %s already exists", command->worker_id);
        return;
    }
    Caseflow__V1__Assignment__WorkerJoined body = CASEFLOW__V1__ASSIGNMENT__WORKER_JOINED__INIT;
    body.worker_id = command->worker_id;
    body.name = command->name;
    body.fte_milli = command->fte_milli;
    body.locations = command->locations;
    body.n_locations = command->n_locations;
    body.expertise = command->expertise;
    body.n_expertise = command->n_expertise;
    body.max_caseload = command->max_caseload;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_JOINED;
    event.worker_joined = &body;
    if (cf_decider_emit (decider, &event))
        return;
    assignment_worker_t *worker = assignment_state_worker (state, command->worker_id);
    char cause [128];
    snprintf (cause, sizeof cause, "%s joined", worker->id);
    assignment_fill (state, decider, worker, cause);
    s_reply_worker (state, decider, reply, worker);
}

static void
s_change_worker (assignment_state_t *state, cf_decider_t *decider,
                 const Caseflow__V1__Assignment__ChangeWorker *command, Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "change_worker.worker_id", command->worker_id);
    if (!worker
        || assignment_lifecycle_worker_check (worker, ASSIGNMENT_CHANGE, reply,
                                              S_FIELD "change_worker.worker_id"))
        return;
    if ((*command->name
         && !assignment_check_text (reply, S_FIELD "change_worker.name", command->name,
                                    ASSIGNMENT_MAX_NAME))
        || (command->fte_milli
            && !assignment_check_fte (reply, S_FIELD "change_worker.fte_milli", command->fte_milli))
        || (command->n_locations
            && !assignment_check_locations (state, reply, S_FIELD "change_worker.locations",
                                            command->locations, command->n_locations))
        || (command->n_expertise
            && !assignment_check_expertise (reply, S_FIELD "change_worker.expertise",
                                            command->expertise, command->n_expertise))
        || !assignment_check_max_caseload (reply, S_FIELD "change_worker.max_caseload",
                                           command->max_caseload))
        return;
    if (command->max_caseload && command->default_max_caseload) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "change_worker.default_max_caseload",
                             "give either a max_caseload or default_max_caseload, not both");
        return;
    }
    if (!*command->name && !command->fte_milli && !command->n_locations && !command->n_expertise
        && !command->max_caseload && !command->default_max_caseload) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "change_worker",
                             "nothing to change: give at least one field");
        return;
    }
    //  The event carries the full new details.
    Caseflow__V1__Domain expertise [8];
    size_t n_expertise = 0;
    for (int domain = ASSIGNMENT_DOMAIN_FIRST; domain <= ASSIGNMENT_DOMAIN_LAST; domain++)
        if (worker->expertise_mask & (1u << domain))
            expertise [n_expertise++] = (Caseflow__V1__Domain) domain;
    Caseflow__V1__Assignment__WorkerChanged body = CASEFLOW__V1__ASSIGNMENT__WORKER_CHANGED__INIT;
    body.worker_id = worker->id;
    body.name = *command->name ? command->name : worker->name;
    body.fte_milli = command->fte_milli ? command->fte_milli : worker->fte_milli;
    body.locations = command->n_locations ? command->locations : worker->locations;
    body.n_locations = command->n_locations ? command->n_locations : worker->n_locations;
    body.expertise = command->n_expertise ? command->expertise : expertise;
    body.n_expertise = command->n_expertise ? command->n_expertise : n_expertise;
    body.max_caseload = command->default_max_caseload ? 0
                        : command->max_caseload       ? command->max_caseload
                                                      : worker->max_caseload;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED;
    event.worker_changed = &body;
    if (cf_decider_emit (decider, &event))
        return;
    char cause [128];
    snprintf (cause, sizeof cause, "%s changed", worker->id);
    assignment_fill (state, decider, worker, cause);
    s_reply_worker (state, decider, reply, worker);
}

static void
s_mark_absent (assignment_state_t *state, cf_decider_t *decider,
               const Caseflow__V1__Assignment__MarkAbsent *command, Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "mark_absent.worker_id", command->worker_id);
    if (!worker
        || assignment_lifecycle_worker_check (worker, ASSIGNMENT_MARK_ABSENT, reply,
                                              S_FIELD "mark_absent.worker_id"))
        return;
    int64_t from = command->from ? command->from : decider->now;
    if (command->from < 0) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "mark_absent.from",
                             "must be a time (microseconds since the epoch) or 0 for now");
        return;
    }
    if (command->until && (command->until <= from || command->until <= decider->now)) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "mark_absent.until",
                             "must be after `from` and in the future (0: no end date)");
        return;
    }
    //  An absence from a time still ahead is planned: the table says from
    //  where (an absent worker returns first).
    if (from > decider->now
        && assignment_lifecycle_worker_check (worker, ASSIGNMENT_PLAN_ABSENCE, reply,
                                              S_FIELD "mark_absent.from"))
        return;
    Caseflow__V1__Assignment__WorkerAbsent body = CASEFLOW__V1__ASSIGNMENT__WORKER_ABSENT__INIT;
    body.worker_id = worker->id;
    body.from = from;
    body.until = command->until;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT;
    event.worker_absent = &body;
    if (cf_decider_emit (decider, &event))
        return;
    //  A future absence takes effect when the clock reaches `from`
    //  (assignment_on_clock); the runtime is asked to wake up then.
    if (from <= decider->now)
        assignment_start_absence (state, decider, worker);
    s_reply_worker (state, decider, reply, worker);
}

static void
s_mark_returned (assignment_state_t *state, cf_decider_t *decider,
                 const Caseflow__V1__Assignment__MarkReturned *command, Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "mark_returned.worker_id", command->worker_id);
    if (!worker
        || assignment_lifecycle_worker_check (worker, ASSIGNMENT_RETURN, reply,
                                              S_FIELD "mark_returned.worker_id"))
        return;
    Caseflow__V1__Assignment__WorkerReturned body = CASEFLOW__V1__ASSIGNMENT__WORKER_RETURNED__INIT;
    body.worker_id = worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED;
    event.worker_returned = &body;
    if (cf_decider_emit (decider, &event))
        return;
    char cause [128];
    snprintf (cause, sizeof cause, "%s returned", worker->id);
    assignment_fill (state, decider, worker, cause);
    s_reply_worker (state, decider, reply, worker);
}

static void
s_mark_left (assignment_state_t *state, cf_decider_t *decider,
             const Caseflow__V1__Assignment__MarkLeft *command, Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "mark_left.worker_id", command->worker_id);
    if (!worker
        || assignment_lifecycle_worker_check (worker, ASSIGNMENT_LEAVE, reply,
                                              S_FIELD "mark_left.worker_id"))
        return;
    Caseflow__V1__Assignment__WorkerLeft body = CASEFLOW__V1__ASSIGNMENT__WORKER_LEFT__INIT;
    body.worker_id = worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_LEFT;
    event.worker_left = &body;
    if (cf_decider_emit (decider, &event))
        return;
    assignment_reassign_leaver (state, decider, worker);
    s_reply_worker (state, decider, reply, worker);
}

static void
s_assign (assignment_state_t *state, cf_decider_t *decider,
          const Caseflow__V1__Assignment__Assign *command, Caseflow__V1__Reply *reply)
{
    if (!assignment_check_id (reply, S_FIELD "assign.case_id", command->case_id)
        || !assignment_check_id (reply, S_FIELD "assign.worker_id", command->worker_id)
        || !assignment_check_text (reply, S_FIELD "assign.reason", command->reason,
                                   ASSIGNMENT_MAX_REASON))
        return;
    assignment_case_t *kase =
        s_find_case (state, reply, S_FIELD "assign.case_id", command->case_id);
    if (!kase)
        return;
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "assign.worker_id", command->worker_id);
    if (!worker
        || assignment_lifecycle_case_check (kase, ASSIGNMENT_ASSIGN, reply,
                                            S_FIELD "assign.case_id")
        || assignment_lifecycle_worker_check (worker, ASSIGNMENT_TAKE_CASE, reply,
                                              S_FIELD "assign.worker_id"))
        return;
    if (assignment_case_has_worker (kase) && kase->worker == worker) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "assign.worker_id",
                             "case %s is already %s to %s", kase->id,
                             cf_words_name (&cf_words_case_status, kase->status), worker->id);
        return;
    }
    assignment_worker_t *previous = assignment_case_has_worker (kase) ? kase->worker : NULL;
    assignment_assign_manual (state, decider, kase, worker, command->reason);
    if (decider->rc)
        return;
    if (previous) {
        char cause [160];
        snprintf (cause, sizeof cause, "%s reassigned from %s by an operator", kase->id,
                  previous->id);
        assignment_fill (state, decider, previous, cause);
    }
    s_reply_case (state, decider, reply, kase);
}

static void
s_start (assignment_state_t *state, cf_decider_t *decider,
         const Caseflow__V1__Assignment__Start *command, Caseflow__V1__Reply *reply)
{
    assignment_case_t *kase = s_find_case (state, reply, S_FIELD "start.case_id", command->case_id);
    if (!kase
        || assignment_lifecycle_case_check (kase, ASSIGNMENT_START, reply, S_FIELD "start.case_id"))
        return;
    Caseflow__V1__Assignment__CaseStarted body = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    body.case_id = kase->id;
    body.worker_id = kase->worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
    event.case_started = &body;
    if (cf_decider_emit (decider, &event))
        return;
    s_reply_case (state, decider, reply, kase);
}

static void
s_complete (assignment_state_t *state, cf_decider_t *decider,
            const Caseflow__V1__Assignment__Complete *command, Caseflow__V1__Reply *reply)
{
    assignment_case_t *kase =
        s_find_case (state, reply, S_FIELD "complete.case_id", command->case_id);
    if (!kase
        || !assignment_check_text (reply, S_FIELD "complete.outcome", command->outcome,
                                   ASSIGNMENT_MAX_OUTCOME))
        return;
    if (assignment_lifecycle_case_check (kase, ASSIGNMENT_COMPLETE, reply,
                                         S_FIELD "complete.case_id"))
        return;
    assignment_worker_t *worker = kase->worker;
    Caseflow__V1__Assignment__CaseCompleted body = CASEFLOW__V1__ASSIGNMENT__CASE_COMPLETED__INIT;
    body.case_id = kase->id;
    body.worker_id = worker->id;
    body.outcome = command->outcome;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED;
    event.case_completed = &body;
    if (cf_decider_emit (decider, &event))
        return;
    char cause [160];
    snprintf (cause, sizeof cause, "%s completed by %s", kase->id, worker->id);
    assignment_fill (state, decider, worker, cause);
    s_reply_case (state, decider, reply, kase);
}

void
assignment_decide (assignment_state_t *state, cf_decider_t *decider,
                   const Caseflow__V1__Assignment__Command *command)
{
    assert (state && decider && decider->reply && command);
    Caseflow__V1__Reply *reply = decider->reply;
    switch (command->body_case) {
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION:
            s_add_location (state, decider, command->add_location, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER:
            s_add_worker (state, decider, command->add_worker, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER:
            s_change_worker (state, decider, command->change_worker, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT:
            s_mark_absent (state, decider, command->mark_absent, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED:
            s_mark_returned (state, decider, command->mark_returned, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT:
            s_mark_left (state, decider, command->mark_left, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ASSIGN:
            s_assign (state, decider, command->assign, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START:
            s_start (state, decider, command->start, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE:
            s_complete (state, decider, command->complete, reply);
            break;
        default:
            cf_api_reply_status (reply, S_INVALID, "command.assignment",
                                 "not a command of the assignment service");
    }
}

void
assignment_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                        Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own = cf_decider_command_body (
        command, CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT, ASSIGNMENT_STREAM, reply);
    if (!own)
        return;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    assignment_decide (state, &decider, (const Caseflow__V1__Assignment__Command *) own);
    //  A decision may plan or end an absence: the next wake-up may move.
    cf_service_wake_at (service, assignment_next_wake (state));
}
