//  assignment_whatif: the sandbox run (see the header for the method).
//
//  One loop over the rebuilt sequence (assignment_whatif_plan.h). Before
//  each item, what is due by its moment happens first, in time order: the
//  absences the clock starts or ends (assignment_on_clock), the starts and
//  completions planned for the cases the sandbox assigned, and the
//  changes' own moments (workers joining, a new limit). A planned start or
//  completion that copies a real one keeps the real one's place in the
//  sequence, so with no changes everything happens in the order it did.
//
//  Every event the sandbox's decisions emit is applied to its state at
//  once (as cf_service_emit does) and kept, packed and unpacked, in its
//  assignment stream; a decision about a case is mirrored into its intake
//  stream (a CaseStatusChanged, or the CaseClosed of a completion) as
//  intake mirrors the real ones, so the report folds read the sandbox's
//  streams like the real ones.
#include "assignment_whatif.h"

#include "assignment_decide.h"
#include "assignment_policy.h"
#include "assignment_react.h"
#include "assignment_validate.h"
#include "assignment_whatif_plan.h"
#include "caseflow/v1/intake.pb-c.h"
#include "cf_api.h"
#include "cf_error.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Positions of what has no real counterpart: a change comes before every
//  real item of its moment, a drawn start or completion after them.
#define S_POS_CHANGE INT64_C (-1)
#define S_POS_DRAWN  INT64_MAX
#define S_DAY        INT64_C (86400000000)

typedef enum { S_START, S_COMPLETE, S_ADD_WORKERS, S_NEW_LIMITS } s_kind_t;

//  Something due at a moment: a planned start or completion, a change.
typedef struct {
    int64_t at;
    int64_t pos;
    uint64_t order;  //  ties: the order they were planned in
    s_kind_t kind;
    const char *case_id;  //  the sandbox state's (starts, completions)
    uint32_t generation;
    //  Starts and completions: the working time they take from work_from
    //  (the worker's absences in between come on top).
    int64_t work_from, work;
    bool away_ok;  //  may happen while the worker is away (reality's did)
    const char *outcome;
} s_due_t;

struct _assignment_whatif_t {
    Caseflow__V1__Event **events [2];  //  0: intake, 1: assignment
    size_t count [2], cap [2];
    size_t decisions;
};

typedef struct {
    assignment_whatif_t *result;
    assignment_whatif_plan_t *plan;
    const assignment_whatif_changes_t *changes;
    assignment_state_t *state;
    const cf_fold_stream_t *intake, *own;
    int64_t now;
    uint64_t own_seq;
    s_due_t *heap;
    size_t n_heap, cap_heap;
    uint64_t planned;
    bool limits_changed;  //  changes.max_caseload in force
    zhashx_t *absences;   //  the sandbox's, by worker id
} s_sandbox_t;

//  ------------------------------------------------------------ due items

static bool
s_before (const s_due_t *a, const s_due_t *b)
{
    if (a->at != b->at)
        return a->at < b->at;
    if (a->pos != b->pos)
        return a->pos < b->pos;
    return a->order < b->order;
}

static void
s_plan (s_sandbox_t *self, s_due_t due)
{
    due.order = self->planned++;
    if (self->n_heap == self->cap_heap) {
        self->cap_heap = self->cap_heap ? self->cap_heap * 2 : 1024;
        self->heap = realloc (self->heap, self->cap_heap * sizeof *self->heap);
        assert (self->heap);
    }
    size_t at = self->n_heap++;
    while (at > 0 && s_before (&due, &self->heap [(at - 1) / 2])) {
        self->heap [at] = self->heap [(at - 1) / 2];
        at = (at - 1) / 2;
    }
    self->heap [at] = due;
}

static s_due_t
s_take (s_sandbox_t *self)
{
    s_due_t top = self->heap [0];
    s_due_t last = self->heap [--self->n_heap];
    size_t at = 0;
    for (;;) {
        size_t child = 2 * at + 1;
        if (child >= self->n_heap)
            break;
        if (child + 1 < self->n_heap && s_before (&self->heap [child + 1], &self->heap [child]))
            child++;
        if (!s_before (&self->heap [child], &last))
            break;
        self->heap [at] = self->heap [child];
        at = child;
    }
    if (self->n_heap)
        self->heap [at] = last;
    return top;
}

//  ------------------------------------------------------------- streams

//  Keeps an owned copy of `event` in stream `which` (0 intake, 1 own).
static void
s_keep (s_sandbox_t *self, int which, const Caseflow__V1__Event *event)
{
    assignment_whatif_t *result = self->result;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    caseflow__v1__event__pack (event, data);
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    free (data);
    assert (copy);
    if (result->count [which] == result->cap [which]) {
        result->cap [which] = result->cap [which] ? result->cap [which] * 2 : 4096;
        result->events [which] =
            realloc (result->events [which], result->cap [which] * sizeof (Caseflow__V1__Event *));
        assert (result->events [which]);
    }
    result->events [which][result->count [which]++] = copy;
}

//  Intake's mirror of a decision about `kase`, now applied: its status
//  and worker, or the closure of a completion.
static void
s_mirror (s_sandbox_t *self, const assignment_case_t *kase, int64_t at)
{
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = ASSIGNMENT_UPSTREAM;
    event.seq = self->result->count [0] + 1;
    event.occurred_at = at;
    event.case_id = kase->id;
    Caseflow__V1__Intake__CaseStatusChanged changed =
        CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    Caseflow__V1__Intake__CaseClosed closed = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    if (kase->status == ASSIGNMENT_ST_CLOSED) {
        closed.case_id = kase->id;
        closed.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
        event.case_closed = &closed;
    } else {
        changed.case_id = kase->id;
        changed.status = kase->status;
        changed.worker_id =
            assignment_case_has_worker (kase) ? kase->worker->id : (char *) protobuf_c_empty_string;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
        event.case_status_changed = &changed;
    }
    s_keep (self, 0, &event);
}

//  After a decision about a case: a start planned for an assignment, a
//  completion for a start (the plan's delays, see the header).
static void
s_plan_help (s_sandbox_t *self, const Caseflow__V1__Event *event, const assignment_case_t *kase)
{
    assignment_whatif_plan_t *plan = self->plan;
    assignment_whatif_case_t *help = assignment_whatif_plan_case (plan, kase->id);
    bool assigned = event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
    if (assigned || event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED)
        help->generation++;
    if (assigned)
        help->sandbox_rounds++;
    if (!assigned && event->body_case != CASEFLOW__V1__EVENT__BODY_CASE_STARTED)
        return;
    uint32_t k = help->sandbox_rounds;
    const assignment_whatif_round_t *round = k <= help->n_rounds ? &help->rounds [k - 1] : NULL;
    s_due_t due = { .case_id = kase->id, .generation = help->generation, .pos = S_POS_DRAWN };
    int64_t work = -1;
    if (assigned && round && round->started) {
        work = assignment_whatif_plan_work (plan, round, true);
        due.pos = round->start_pos;
        due.away_ok = round->start_away;
    } else if (!assigned && round && round->completed) {
        work = assignment_whatif_plan_work (plan, round, false);
        due.pos = round->complete_pos;
        due.outcome = round->outcome;
        due.away_ok = round->complete_away;
    } else {
        //  The case's own later help, else a draw; never sooner than the
        //  real round was seen to go without it.
        for (size_t r = k ? k - 1 : 0; r < help->n_rounds && work < 0; r++) {
            const assignment_whatif_round_t *later = &help->rounds [r];
            if (assigned && later->started)
                work = assignment_whatif_plan_work (plan, later, true);
            else if (!assigned && later->completed)
                work = assignment_whatif_plan_work (plan, later, false);
        }
        int64_t drawn [2];
        if (work < 0 && assignment_whatif_plan_draw (plan, kase->id, k, &drawn [0], &drawn [1]))
            work = drawn [assigned ? 0 : 1];
        if (work < 0)
            return;  //  nobody was ever helped: nothing to copy
        if (round && (assigned || round->started)) {
            int64_t seen = assignment_whatif_plan_work (plan, round, assigned);
            if (work <= seen)
                work = seen + 1;
        }
    }
    due.work_from = event->occurred_at;
    due.work = work;
    due.kind = assigned ? S_START : S_COMPLETE;
    due.at = event->occurred_at + work;
    s_plan (self, due);
}

//  The sandbox's emitter: stamps, keeps, applies, mirrors, plans help.
static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_sandbox_t *self = ctx;
    Caseflow__V1__Event saved = *event;
    event->stream = ASSIGNMENT_STREAM;
    event->seq = ++self->own_seq;
    if (!event->occurred_at)
        event->occurred_at = self->now;
    event->id = (char *) protobuf_c_empty_string;
    s_keep (self, 1, event);
    int rc = assignment_state_apply (self->state, event);
    assert (rc == 0);
    self->result->decisions++;
    assignment_whatif_absences_note (self->absences, event);
    const char *case_id = cf_fold_event_case_id (event);
    assignment_case_t *kase = *case_id ? assignment_state_case (self->state, case_id) : NULL;
    if (kase && event->body_case != CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED) {
        s_mirror (self, kase, event->occurred_at);
        s_plan_help (self, event, kase);
    }
    event->stream = saved.stream;
    event->seq = saved.seq;
    event->occurred_at = saved.occurred_at;
    event->id = saved.id;
    return 0;
}

//  ------------------------------------------------------------ deciding

//  The decisions' words are the live service's log; the sandbox's stay
//  quiet (its streams say what it decided).
static void
s_quiet (void *ctx, const char *line)
{
    (void) ctx;
    (void) line;
}

//  A decision of the sandbox at `at` (reply: a command's, else NULL).
static void
s_decider (s_sandbox_t *self, cf_decider_t *decider, int64_t at, Caseflow__V1__Reply *reply)
{
    self->now = at;
    cf_decider_init (decider, at, reply, s_emit, self);
    decider->note = s_quiet;
}

//  Decides `command` at `at` with assignment's own handler; a refusal
//  (the command does not fit the sandbox's state) changes nothing.
static void
s_decide (s_sandbox_t *self, Caseflow__V1__Assignment__Command *command, int64_t at)
{
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "whatif");
    cf_decider_t decider;
    s_decider (self, &decider, at, &reply);
    assignment_decide (self->state, &decider, command);
    cf_api_reply_clear (&reply);
}

//  Absences that start or end by `at` take effect first.
static void
s_clock (s_sandbox_t *self, int64_t at)
{
    if (assignment_next_wake (self->state) > at)
        return;
    cf_decider_t decider;
    s_decider (self, &decider, at, NULL);
    assignment_on_clock (self->state, &decider);
}

static bool
s_removed_absence (const s_sandbox_t *self, const Caseflow__V1__Assignment__WorkerAbsent *body)
{
    const assignment_whatif_changes_t *changes = self->changes;
    if (body->from >= changes->to || (body->until && body->until <= changes->from))
        return false;
    for (size_t i = 0; i < changes->n_remove_absences; i++)
        if (strcmp (changes->remove_absences [i], body->worker_id) == 0)
            return true;
    return false;
}

//  An operator's command, rebuilt from the first event it emitted (the
//  decisions after it are the sandbox's own); other events were decided.
static void
s_replay_command (s_sandbox_t *self, const Caseflow__V1__Event *event, int64_t at)
{
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    Caseflow__V1__Assignment__AddLocation add_location =
        CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    Caseflow__V1__Assignment__AddWorker add_worker = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    Caseflow__V1__Assignment__ChangeWorker change = CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
    Caseflow__V1__Assignment__MarkAbsent absent = CASEFLOW__V1__ASSIGNMENT__MARK_ABSENT__INIT;
    Caseflow__V1__Assignment__MarkReturned returned = CASEFLOW__V1__ASSIGNMENT__MARK_RETURNED__INIT;
    Caseflow__V1__Assignment__MarkLeft left = CASEFLOW__V1__ASSIGNMENT__MARK_LEFT__INIT;
    Caseflow__V1__Assignment__Assign assign = CASEFLOW__V1__ASSIGNMENT__ASSIGN__INIT;
    //  A new limit in force replaces the personal limits of later commands.
    uint32_t limit = self->limits_changed ? self->changes->max_caseload : 0;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED:
            add_location.location_id = event->location_added->location_id;
            add_location.name = event->location_added->name;
            add_location.districts = event->location_added->districts;
            add_location.n_districts = event->location_added->n_districts;
            add_location.kind = event->location_added->kind;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
            command.add_location = &add_location;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_JOINED: {
            const Caseflow__V1__Assignment__WorkerJoined *body = event->worker_joined;
            add_worker.worker_id = body->worker_id;
            add_worker.name = body->name;
            add_worker.fte_milli = body->fte_milli;
            add_worker.locations = body->locations;
            add_worker.n_locations = body->n_locations;
            add_worker.expertise = body->expertise;
            add_worker.n_expertise = body->n_expertise;
            add_worker.max_caseload = limit ? limit : body->max_caseload;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
            command.add_worker = &add_worker;
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED: {
            const Caseflow__V1__Assignment__WorkerChanged *body = event->worker_changed;
            change.worker_id = body->worker_id;
            change.name = body->name;
            change.fte_milli = body->fte_milli;
            change.locations = body->locations;
            change.n_locations = body->n_locations;
            change.expertise = body->expertise;
            change.n_expertise = body->n_expertise;
            change.max_caseload = limit ? limit : body->max_caseload;
            change.default_max_caseload = change.max_caseload == 0;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
            command.change_worker = &change;
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT:
            if (s_removed_absence (self, event->worker_absent))
                return;
            absent.worker_id = event->worker_absent->worker_id;
            absent.from = event->worker_absent->from;
            absent.until = event->worker_absent->until;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT;
            command.mark_absent = &absent;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED:
            if (event->worker_returned->planned_end)
                return;  //  the clock's doing
            returned.worker_id = event->worker_returned->worker_id;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED;
            command.mark_returned = &returned;
            break;
        case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT:
            left.worker_id = event->worker_left->worker_id;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT;
            command.mark_left = &left;
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
            if (event->case_assigned->rule != ASSIGNMENT_RULE_MANUAL)
                return;
            assign.case_id = event->case_assigned->case_id;
            assign.worker_id = event->case_assigned->worker_id;
            assign.reason = event->case_assigned->reason;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ASSIGN;
            command.assign = &assign;
            break;
        default: return;
    }
    s_decide (self, &command, at);
}

//  A planned start or completion (dropped when the case moved since).
static void
s_help (s_sandbox_t *self, const s_due_t *due)
{
    assignment_whatif_case_t *help = zhashx_lookup (self->plan->cases, due->case_id);
    assignment_case_t *kase = assignment_state_case (self->state, due->case_id);
    if (!help || !kase || help->generation != due->generation || !kase->worker)
        return;
    //  The worker's time away does not count as work: a start or a
    //  completion waits for the return, and for the time lost.
    s_due_t later = *due;
    later.at =
        due->work_from + due->work
        + assignment_whatif_absent_time (self->absences, kase->worker->id, due->work_from, due->at);
    if (later.at <= due->at && kase->worker->absent && !due->away_ok)
        later.at =
            kase->worker->absent_until > due->at ? kase->worker->absent_until : due->at + S_DAY;
    if (later.at > due->at) {
        s_plan (self, later);
        return;
    }
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    Caseflow__V1__Assignment__Start start = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    Caseflow__V1__Assignment__Complete complete = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    if (due->kind == S_START) {
        if (kase->status != ASSIGNMENT_ST_ASSIGNED)
            return;
        start.case_id = kase->id;
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START;
        command.start = &start;
    } else {
        if (kase->status != ASSIGNMENT_ST_ACTIVE)
            return;
        complete.case_id = kase->id;
        complete.outcome = (char *) (due->outcome ? due->outcome : "completed");
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE;
        command.complete = &complete;
    }
    s_decide (self, &command, due->at);
}

//  The added workers join.
static void
s_add_workers (s_sandbox_t *self, int64_t at)
{
    const assignment_whatif_changes_t *changes = self->changes;
    Caseflow__V1__Domain expertise [8];
    size_t n_expertise = 0;
    for (int domain = ASSIGNMENT_DOMAIN_FIRST; domain <= ASSIGNMENT_DOMAIN_LAST; domain++)
        if (changes->add_expertise_mask & (1u << domain))
            expertise [n_expertise++] = (Caseflow__V1__Domain) domain;
    for (uint32_t i = 1; i <= changes->add_workers; i++) {
        char id [32], name [48];
        snprintf (id, sizeof id, ASSIGNMENT_WHATIF_WORKER_PREFIX "%u", i);
        snprintf (name, sizeof name, "What-if worker %u", i);
        char *locations [1] = { (char *) changes->add_location };
        Caseflow__V1__Assignment__AddWorker add = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
        add.worker_id = id;
        add.name = name;
        add.fte_milli = changes->add_fte_milli;
        add.locations = locations;
        add.n_locations = 1;
        add.expertise = expertise;
        add.n_expertise = n_expertise;
        add.max_caseload = changes->max_caseload;
        Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
        command.add_worker = &add;
        s_decide (self, &command, at);
    }
}

//  The new caseload limit and continuity margin take effect: every worker
//  on the roster gets the limit, then the whole list is looked at.
static void
s_new_limits (s_sandbox_t *self, int64_t at)
{
    const assignment_whatif_changes_t *changes = self->changes;
    if (changes->set_continuity_margin)
        self->state->config.continuity_margin = changes->continuity_margin;
    if (changes->max_caseload) {
        self->limits_changed = true;
        for (size_t i = 0; i < self->state->n_workers; i++) {
            assignment_worker_t *worker = self->state->workers [i];
            if (worker->left)
                continue;
            Caseflow__V1__Assignment__ChangeWorker change =
                CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
            change.worker_id = worker->id;
            change.max_caseload = changes->max_caseload;
            Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
            command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
            command.change_worker = &change;
            s_decide (self, &command, at);
        }
    }
    cf_decider_t decider;
    s_decider (self, &decider, at, NULL);
    assignment_fill (self->state, &decider, NULL, "the what-if's new limits");
}

//  Everything due before (at, pos) happens, in time order.
static void
s_run_due (s_sandbox_t *self, int64_t at, int64_t pos)
{
    s_due_t bound = { .at = at, .pos = pos, .order = 0 };
    while (self->n_heap && s_before (&self->heap [0], &bound)) {
        s_due_t due = s_take (self);
        s_clock (self, due.at);
        if (due.kind == S_ADD_WORKERS)
            s_add_workers (self, due.at);
        else if (due.kind == S_NEW_LIMITS)
            s_new_limits (self, due.at);
        else
            s_help (self, &due);
    }
}

//  One item of the sequence at its place `pos`.
static void
s_item (s_sandbox_t *self, const assignment_whatif_item_t *item, int64_t pos)
{
    int64_t at = item->at > self->now ? item->at : self->now;
    s_run_due (self, at, pos);
    s_clock (self, at);
    if (item->own) {
        s_replay_command (self, self->own->events [item->index], at);
        return;
    }
    if (item->mirror)
        return;
    const Caseflow__V1__Event *event = self->intake->events [item->index];
    Caseflow__V1__Event copy = *event;
    copy.seq = self->result->count [0] + 1;
    s_keep (self, 0, &copy);
    if (assignment_state_apply (self->state, event) != 0)
        return;
    cf_decider_t decider;
    s_decider (self, &decider, at, NULL);
    assignment_react (self->state, &decider, event);
}

//  ------------------------------------------------------------------ api

//  Whether a location with id `id` is on assignment's recorded roster.
static bool
s_recorded (const cf_fold_stream_t *assignment, Caseflow__V1__Event__BodyCase kind, const char *id)
{
    for (size_t i = 0; i < assignment->count; i++) {
        const Caseflow__V1__Event *event = assignment->events [i];
        if (event->body_case != kind)
            continue;
        const char *named = kind == CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED
                                ? event->location_added->location_id
                                : event->worker_joined->worker_id;
        if (strcmp (named, id) == 0)
            return true;
    }
    return false;
}

int
assignment_whatif_check (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                         const assignment_whatif_changes_t *changes, char *error, size_t error_size)
{
    (void) intake;
    const assignment_whatif_changes_t *c = changes;
    if (c->from <= 0)
        snprintf (error, error_size, "--from: the period's start is required");
    else if (c->to < c->from)
        snprintf (error, error_size, "--to: the period ends before it starts (--from)");
    else if (c->to - c->from > (int64_t) ASSIGNMENT_WHATIF_MAX_PERIOD_WEEKS * 7 * S_DAY)
        snprintf (error, error_size, "--from: the period is at most %d weeks",
                  ASSIGNMENT_WHATIF_MAX_PERIOD_WEEKS);
    else if (c->add_workers > ASSIGNMENT_WHATIF_MAX_ADDED)
        snprintf (error, error_size, "--add-workers: at most %d workers",
                  ASSIGNMENT_WHATIF_MAX_ADDED);
    else if (c->add_workers && (c->add_fte_milli < 100 || c->add_fte_milli > 1000))
        snprintf (error, error_size, "--fte: must be 0.1 to 1.0, got %u.%03u",
                  c->add_fte_milli / 1000, c->add_fte_milli % 1000);
    else if (c->add_workers && (!c->add_location || !*c->add_location))
        snprintf (error, error_size, "--location: the added workers need a location");
    else if (c->add_workers
             && !s_recorded (assignment, CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED, c->add_location))
        snprintf (error, error_size, "--location: no location \"%s\" on the roster",
                  c->add_location);
    else if (c->add_workers
             && !(c->add_expertise_mask
                  & (((1u << (ASSIGNMENT_DOMAIN_LAST + 1)) - 1)
                     & ~((1u << ASSIGNMENT_DOMAIN_FIRST) - 1))))
        snprintf (error, error_size, "--expertise: the added workers need at least one domain");
    else if (c->add_workers && c->add_starting
             && (c->add_starting < c->from || c->add_starting > c->to))
        snprintf (error, error_size, "--starting: must be within the period (--from to --to)");
    else if (c->max_caseload > ASSIGNMENT_MAX_CASELOAD)
        snprintf (error, error_size, "--max-caseload: must be at most %d", ASSIGNMENT_MAX_CASELOAD);
    else if (c->set_continuity_margin && c->continuity_margin > ASSIGNMENT_MAX_CASELOAD)
        snprintf (error, error_size, "--continuity-margin: must be at most %d",
                  ASSIGNMENT_MAX_CASELOAD);
    else if (c->n_remove_absences > ASSIGNMENT_WHATIF_MAX_REMOVED)
        snprintf (error, error_size, "--remove-absence: at most %d workers",
                  ASSIGNMENT_WHATIF_MAX_REMOVED);
    else {
        for (size_t i = 0; i < c->n_remove_absences; i++)
            if (!s_recorded (assignment, CASEFLOW__V1__EVENT__BODY_WORKER_JOINED,
                             c->remove_absences [i])) {
                snprintf (error, error_size, "--remove-absence: no worker \"%s\" on the roster",
                          c->remove_absences [i]);
                return CF_EINVAL;
            }
        return 0;
    }
    return CF_EINVAL;
}

int
assignment_whatif_run (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                       const assignment_config_t *config,
                       const assignment_whatif_changes_t *changes, assignment_whatif_t **result_p,
                       char *error, size_t error_size)
{
    assert (intake && assignment && config && changes && result_p);
    *result_p = NULL;
    int rc = assignment_whatif_check (intake, assignment, changes, error, error_size);
    if (rc)
        return rc;
    s_sandbox_t self = {
        .changes = changes,
        .intake = intake,
        .own = assignment,
        .state = assignment_state_new (config),
        .now = INT64_MIN,
        .absences = assignment_whatif_absences_new (),
    };
    self.result = calloc (1, sizeof *self.result);
    assert (self.result);
    self.plan = assignment_whatif_plan_new (intake, assignment, changes->seen_until);
    if (changes->add_workers)
        s_plan (&self,
                (s_due_t){ .at = changes->add_starting ? changes->add_starting : changes->from,
                           .pos = S_POS_CHANGE,
                           .kind = S_ADD_WORKERS });
    if (changes->max_caseload || changes->set_continuity_margin)
        s_plan (&self, (s_due_t){ .at = changes->from, .pos = S_POS_CHANGE, .kind = S_NEW_LIMITS });
    for (size_t k = 0; k < self.plan->n_items; k++)
        s_item (&self, &self.plan->items [k], (int64_t) k);
    int64_t end = changes->to > self.plan->last_at ? changes->to : self.plan->last_at;
    s_run_due (&self, end, INT64_MAX);
    s_clock (&self, end);
    free (self.heap);
    zhashx_destroy (&self.absences);
    assignment_whatif_plan_destroy (&self.plan);
    assignment_state_destroy (&self.state);
    *result_p = self.result;
    return 0;
}

cf_fold_stream_t
assignment_whatif_stream (const assignment_whatif_t *self, cf_fold_stream_id_t stream)
{
    cf_fold_stream_t out = { 0 };
    int which = stream == CF_FOLD_INTAKE ? 0 : stream == CF_FOLD_ASSIGNMENT ? 1 : -1;
    if (which < 0)
        return out;
    out.available = true;
    out.events = (const Caseflow__V1__Event *const *) self->events [which];
    out.count = self->count [which];
    return out;
}

size_t
assignment_whatif_decisions (const assignment_whatif_t *self)
{
    return self->decisions;
}

void
assignment_whatif_destroy (assignment_whatif_t **self_p)
{
    assignment_whatif_t *self = *self_p;
    if (!self)
        return;
    for (int which = 0; which < 2; which++) {
        for (size_t i = 0; i < self->count [which]; i++)
            caseflow__v1__event__free_unpacked (self->events [which][i], NULL);
        free (self->events [which]);
    }
    free (self);
    *self_p = NULL;
}
