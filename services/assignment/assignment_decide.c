//  assignment_decide: command handlers and reactions to intake (see the
//  header). One handler per command, each in two halves: validate (reply
//  with a status and return), then emit and let the policy react.
#include "assignment_decide.h"

#include "assignment_query.h"
#include "cf_api.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_text.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FIELD         "command.assignment."
#define S_MAX_NAME      200
#define S_MAX_DISTRICT  128
#define S_MAX_DISTRICTS 64
#define S_MAX_LOCATIONS 32
#define S_MAX_REASON    1000
#define S_MAX_OUTCOME   2000
#define S_MAX_CASELOAD  1000

#define S_INVALID      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_NOT_FOUND    CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define S_CONFLICT     CASEFLOW__V1__STATUS__CODE__CONFLICT
#define S_PRECONDITION CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION

//  ----------------------------------------------------------- validation

//  Refuses a bad id (cf_id.h: the same rule and message in every
//  service): returns false after setting the reply.
static bool
s_check_id (Caseflow__V1__Reply *reply, const char *field, const char *id)
{
    return cf_id_check (reply, field, id, true);
}

//  Required text of at most `max` bytes (cf_text.h: the rule and refusal
//  of every service).
static bool
s_check_text (Caseflow__V1__Reply *reply, const char *field, const char *text, size_t max)
{
    return cf_text_check (reply, field, text, max, true, false);
}

static bool
s_check_fte (Caseflow__V1__Reply *reply, const char *field, uint32_t fte_milli)
{
    if (fte_milli >= 100 && fte_milli <= 1000)
        return true;
    cf_api_reply_status (reply, S_INVALID, field,
                         "must be 100-1000 (thousandths of an FTE: 0.1-1.0), got %u", fte_milli);
    return false;
}

static bool
s_check_max_caseload (Caseflow__V1__Reply *reply, const char *field, uint32_t max_caseload)
{
    if (max_caseload <= S_MAX_CASELOAD)
        return true;
    cf_api_reply_status (reply, S_INVALID, field, "must be at most %d (0: the limit per FTE)",
                         S_MAX_CASELOAD);
    return false;
}

static bool
s_check_locations (assignment_state_t *state, Caseflow__V1__Reply *reply, const char *field,
                   char *const *locations, size_t count)
{
    if (count == 0 || count > S_MAX_LOCATIONS) {
        cf_api_reply_status (reply, S_INVALID, field, "1-%d locations are required",
                             S_MAX_LOCATIONS);
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (!s_check_id (reply, field, locations [i]))
            return false;
        for (size_t k = 0; k < i; k++)
            if (strcmp (locations [k], locations [i]) == 0) {
                cf_api_reply_status (reply, S_INVALID, field, "location \"%s\" is given twice",
                                     locations [i]);
                return false;
            }
        if (!assignment_state_location (state, locations [i])) {
            cf_api_reply_status (reply, S_NOT_FOUND, field, "no location \"%s\" (add it first)",
                                 locations [i]);
            return false;
        }
    }
    return true;
}

static bool
s_check_expertise (Caseflow__V1__Reply *reply, const char *field,
                   const Caseflow__V1__Domain *domains, size_t count)
{
    if (count == 0) {
        cf_api_reply_status (reply, S_INVALID, field, "at least one domain is required");
        return false;
    }
    uint32_t seen = 0;
    for (size_t i = 0; i < count; i++) {
        int domain = domains [i];
        if (domain <= CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED
            || domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER) {
            cf_api_reply_status (reply, S_INVALID, field, "unknown domain %d", domain);
            return false;
        }
        if (seen & (1u << domain)) {
            cf_api_reply_status (reply, S_INVALID, field, "domain %s is given twice",
                                 cf_words_name (&cf_words_domain, domain));
            return false;
        }
        seen |= 1u << domain;
    }
    return true;
}

//  A known worker who has not left, or NULL after setting the reply.
static assignment_worker_t *
s_find_worker (assignment_state_t *state, Caseflow__V1__Reply *reply, const char *field,
               const char *worker_id)
{
    if (!s_check_id (reply, field, worker_id))
        return NULL;
    assignment_worker_t *worker = assignment_state_worker (state, worker_id);
    if (!worker) {
        cf_api_reply_status (reply, S_NOT_FOUND, field, "no worker \"%s\"", worker_id);
        return NULL;
    }
    if (worker->left) {
        cf_api_reply_status (reply, S_PRECONDITION, field, "worker %s has left", worker_id);
        return NULL;
    }
    return worker;
}

static assignment_case_t *
s_find_case (assignment_state_t *state, Caseflow__V1__Reply *reply, const char *field,
             const char *case_id)
{
    if (!s_check_id (reply, field, case_id))
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
s_reply_worker (assignment_decider_t *decider, Caseflow__V1__Reply *reply,
                const assignment_worker_t *worker)
{
    if (decider->rc)
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_WORKER;
    result->worker = assignment_worker_view (decider->state, worker);
}

static void
s_reply_case (assignment_decider_t *decider, Caseflow__V1__Reply *reply,
              const assignment_case_t *kase)
{
    if (decider->rc)
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_CASE;
    result->case_ = assignment_case_view (decider->state, kase);
}

//  ------------------------------------------------------------- commands

static void
s_add_location (assignment_decider_t *decider, const Caseflow__V1__Assignment__AddLocation *command,
                Caseflow__V1__Reply *reply)
{
    assignment_state_t *state = decider->state;
    if (!s_check_id (reply, S_FIELD "add_location.location_id", command->location_id)
        || !s_check_text (reply, S_FIELD "add_location.name", command->name, S_MAX_NAME))
        return;
    if (command->n_districts > S_MAX_DISTRICTS) {
        cf_api_reply_status (reply, S_INVALID, S_FIELD "add_location.districts",
                             "at most %d districts", S_MAX_DISTRICTS);
        return;
    }
    for (size_t i = 0; i < command->n_districts; i++) {
        if (!s_check_text (reply, S_FIELD "add_location.districts", command->districts [i],
                           S_MAX_DISTRICT))
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
    if (assignment_emit (decider, &event))
        return;
    Caseflow__V1__Assignment__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND_RESULT__BODY_LOCATION;
    result->location =
        assignment_location_view (state, assignment_state_location (state, command->location_id));
}

static void
s_add_worker (assignment_decider_t *decider, const Caseflow__V1__Assignment__AddWorker *command,
              Caseflow__V1__Reply *reply)
{
    assignment_state_t *state = decider->state;
    if (!s_check_id (reply, S_FIELD "add_worker.worker_id", command->worker_id)
        || !s_check_text (reply, S_FIELD "add_worker.name", command->name, S_MAX_NAME)
        || !s_check_fte (reply, S_FIELD "add_worker.fte_milli", command->fte_milli)
        || !s_check_locations (state, reply, S_FIELD "add_worker.locations", command->locations,
                               command->n_locations)
        || !s_check_expertise (reply, S_FIELD "add_worker.expertise", command->expertise,
                               command->n_expertise)
        || !s_check_max_caseload (reply, S_FIELD "add_worker.max_caseload", command->max_caseload))
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
    if (assignment_emit (decider, &event))
        return;
    assignment_worker_t *worker = assignment_state_worker (state, command->worker_id);
    char cause [128];
    snprintf (cause, sizeof cause, "%s joined", worker->id);
    assignment_fill (decider, worker, cause);
    s_reply_worker (decider, reply, worker);
}

static void
s_change_worker (assignment_decider_t *decider,
                 const Caseflow__V1__Assignment__ChangeWorker *command, Caseflow__V1__Reply *reply)
{
    assignment_state_t *state = decider->state;
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "change_worker.worker_id", command->worker_id);
    if (!worker)
        return;
    if ((*command->name
         && !s_check_text (reply, S_FIELD "change_worker.name", command->name, S_MAX_NAME))
        || (command->fte_milli
            && !s_check_fte (reply, S_FIELD "change_worker.fte_milli", command->fte_milli))
        || (command->n_locations
            && !s_check_locations (state, reply, S_FIELD "change_worker.locations",
                                   command->locations, command->n_locations))
        || (command->n_expertise
            && !s_check_expertise (reply, S_FIELD "change_worker.expertise", command->expertise,
                                   command->n_expertise))
        || !s_check_max_caseload (reply, S_FIELD "change_worker.max_caseload",
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
    if (assignment_emit (decider, &event))
        return;
    char cause [128];
    snprintf (cause, sizeof cause, "%s changed", worker->id);
    assignment_fill (decider, worker, cause);
    s_reply_worker (decider, reply, worker);
}

static void
s_mark_absent (assignment_decider_t *decider, const Caseflow__V1__Assignment__MarkAbsent *command,
               Caseflow__V1__Reply *reply)
{
    assignment_state_t *state = decider->state;
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "mark_absent.worker_id", command->worker_id);
    if (!worker)
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
    if (worker->absent && from > decider->now) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "mark_absent.from",
                             "worker %s is absent now: mark them returned before planning a "
                             "later absence (or give a `from` not in the future to change "
                             "this one)",
                             worker->id);
        return;
    }
    Caseflow__V1__Assignment__WorkerAbsent body = CASEFLOW__V1__ASSIGNMENT__WORKER_ABSENT__INIT;
    body.worker_id = worker->id;
    body.from = from;
    body.until = command->until;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT;
    event.worker_absent = &body;
    if (assignment_emit (decider, &event))
        return;
    //  A future absence takes effect when the clock reaches `from`
    //  (assignment_on_clock); the runtime is asked to wake up then.
    if (from <= decider->now)
        assignment_start_absence (decider, worker);
    s_reply_worker (decider, reply, worker);
}

static void
s_mark_returned (assignment_decider_t *decider,
                 const Caseflow__V1__Assignment__MarkReturned *command, Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker = s_find_worker (
        decider->state, reply, S_FIELD "mark_returned.worker_id", command->worker_id);
    if (!worker)
        return;
    if (!worker->absent && !worker->absence_planned) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "mark_returned.worker_id",
                             "worker %s is present (not absent)", worker->id);
        return;
    }
    Caseflow__V1__Assignment__WorkerReturned body = CASEFLOW__V1__ASSIGNMENT__WORKER_RETURNED__INIT;
    body.worker_id = worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED;
    event.worker_returned = &body;
    if (assignment_emit (decider, &event))
        return;
    char cause [128];
    snprintf (cause, sizeof cause, "%s returned", worker->id);
    assignment_fill (decider, worker, cause);
    s_reply_worker (decider, reply, worker);
}

static void
s_mark_left (assignment_decider_t *decider, const Caseflow__V1__Assignment__MarkLeft *command,
             Caseflow__V1__Reply *reply)
{
    assignment_worker_t *worker =
        s_find_worker (decider->state, reply, S_FIELD "mark_left.worker_id", command->worker_id);
    if (!worker)
        return;
    Caseflow__V1__Assignment__WorkerLeft body = CASEFLOW__V1__ASSIGNMENT__WORKER_LEFT__INIT;
    body.worker_id = worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_LEFT;
    event.worker_left = &body;
    if (assignment_emit (decider, &event))
        return;
    assignment_reassign_leaver (decider, worker);
    s_reply_worker (decider, reply, worker);
}

static void
s_assign (assignment_decider_t *decider, const Caseflow__V1__Assignment__Assign *command,
          Caseflow__V1__Reply *reply)
{
    assignment_state_t *state = decider->state;
    if (!s_check_id (reply, S_FIELD "assign.case_id", command->case_id)
        || !s_check_id (reply, S_FIELD "assign.worker_id", command->worker_id)
        || !s_check_text (reply, S_FIELD "assign.reason", command->reason, S_MAX_REASON))
        return;
    assignment_case_t *kase =
        s_find_case (state, reply, S_FIELD "assign.case_id", command->case_id);
    if (!kase)
        return;
    assignment_worker_t *worker =
        s_find_worker (state, reply, S_FIELD "assign.worker_id", command->worker_id);
    if (!worker)
        return;
    if (kase->status == ASSIGNMENT_ST_REGISTERED || kase->status == ASSIGNMENT_ST_CLOSED) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "assign.case_id",
                             "case %s is %s: only a triaged, open case can be assigned", kase->id,
                             cf_words_name (&cf_words_case_status, kase->status));
        return;
    }
    if (worker->absent) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "assign.worker_id",
                             "worker %s is absent", worker->id);
        return;
    }
    if (assignment_case_has_worker (kase) && kase->worker == worker) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "assign.worker_id",
                             "case %s is already %s to %s", kase->id,
                             cf_words_name (&cf_words_case_status, kase->status), worker->id);
        return;
    }
    assignment_worker_t *previous = assignment_case_has_worker (kase) ? kase->worker : NULL;
    assignment_assign_manual (decider, kase, worker, command->reason);
    if (decider->rc)
        return;
    if (previous) {
        char cause [160];
        snprintf (cause, sizeof cause, "%s reassigned from %s by an operator", kase->id,
                  previous->id);
        assignment_fill (decider, previous, cause);
    }
    s_reply_case (decider, reply, kase);
}

static void
s_start (assignment_decider_t *decider, const Caseflow__V1__Assignment__Start *command,
         Caseflow__V1__Reply *reply)
{
    assignment_case_t *kase =
        s_find_case (decider->state, reply, S_FIELD "start.case_id", command->case_id);
    if (!kase)
        return;
    if (kase->status != ASSIGNMENT_ST_ASSIGNED) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "start.case_id",
                             "case %s is %s: only an assigned case can start", kase->id,
                             cf_words_name (&cf_words_case_status, kase->status));
        return;
    }
    Caseflow__V1__Assignment__CaseStarted body = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    body.case_id = kase->id;
    body.worker_id = kase->worker->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
    event.case_started = &body;
    if (assignment_emit (decider, &event))
        return;
    s_reply_case (decider, reply, kase);
}

static void
s_complete (assignment_decider_t *decider, const Caseflow__V1__Assignment__Complete *command,
            Caseflow__V1__Reply *reply)
{
    assignment_case_t *kase =
        s_find_case (decider->state, reply, S_FIELD "complete.case_id", command->case_id);
    if (!kase || !s_check_text (reply, S_FIELD "complete.outcome", command->outcome, S_MAX_OUTCOME))
        return;
    if (kase->status != ASSIGNMENT_ST_ACTIVE) {
        cf_api_reply_status (reply, S_PRECONDITION, S_FIELD "complete.case_id",
                             "case %s is %s: only an active (started) case can be completed",
                             kase->id, cf_words_name (&cf_words_case_status, kase->status));
        return;
    }
    assignment_worker_t *worker = kase->worker;
    Caseflow__V1__Assignment__CaseCompleted body = CASEFLOW__V1__ASSIGNMENT__CASE_COMPLETED__INIT;
    body.case_id = kase->id;
    body.worker_id = worker->id;
    body.outcome = command->outcome;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = kase->id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED;
    event.case_completed = &body;
    if (assignment_emit (decider, &event))
        return;
    char cause [160];
    snprintf (cause, sizeof cause, "%s completed by %s", kase->id, worker->id);
    assignment_fill (decider, worker, cause);
    s_reply_case (decider, reply, kase);
}

void
assignment_handle_command (assignment_decider_t *decider,
                           const Caseflow__V1__Assignment__Command *command,
                           Caseflow__V1__Reply *reply)
{
    switch (command->body_case) {
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION:
            s_add_location (decider, command->add_location, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER:
            s_add_worker (decider, command->add_worker, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER:
            s_change_worker (decider, command->change_worker, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT:
            s_mark_absent (decider, command->mark_absent, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED:
            s_mark_returned (decider, command->mark_returned, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT:
            s_mark_left (decider, command->mark_left, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ASSIGN:
            s_assign (decider, command->assign, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START:
            s_start (decider, command->start, reply);
            break;
        case CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE:
            s_complete (decider, command->complete, reply);
            break;
        default:
            cf_api_reply_status (reply, S_INVALID, "command.assignment",
                                 "not a command of the assignment service");
    }
}

//  ------------------------------------------------------------- upstream

void
assignment_handle_upstream (assignment_decider_t *decider, const Caseflow__V1__Event *event)
{
    if (!event->stream || strcmp (event->stream, ASSIGNMENT_UPSTREAM) != 0)
        return;
    assignment_state_t *state = decider->state;
    char cause [160];
    assignment_case_t *kase;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
            kase = assignment_state_case (state, event->case_triaged->case_id);
            if (kase && assignment_case_has_worker (kase) && kase->worker->absent
                && kase->urgency == ASSIGNMENT_URGENT) {
                //  Urgent now, and its worker is away (a short absence
                //  kept it): it cannot wait for the return.
                assignment_reassign_urgent (decider, kase);
                return;
            }
            if (!kase || !kase->waiting)
                return;
            if (kase->urgency == ASSIGNMENT_URGENT) {
                //  Urgent matters are picked up at once, in this very step.
                assignment_decide_urgent (decider, kase);
                if (!decider->rc)
                    cf_log_info ("case %s triaged urgent: %s", kase->id,
                                 assignment_case_has_worker (kase) ? "assigned" : "escalated");
                return;
            }
            assignment_fill_case (decider, kase, "triaged regular");
            return;
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            kase = assignment_state_case (state, event->question_added->case_id);
            if (!kase || !kase->waiting)
                return;
            assignment_fill_case (decider, kase, "gained question domains");
            return;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            kase = assignment_state_case (state, event->case_closed->case_id);
            //  Only a closure that took a case from its worker frees room
            //  (apply keeps the last worker on a closed case).
            if (!kase || kase->status != ASSIGNMENT_ST_CLOSED || !kase->worker
                || kase->n_history == 0
                || kase->history [kase->n_history - 1].kind != ASSIGNMENT_HISTORY_CLOSED
                || kase->history [kase->n_history - 1].seq != event->seq)
                return;
            snprintf (cause, sizeof cause, "%s closed at intake", kase->id);
            assignment_fill (decider, kase->worker, cause);
            return;
        default: return;
    }
}
