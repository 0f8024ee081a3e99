//  chaos_ops: the commands the chaos generator sends, and which one next.
//
//  A load command is picked at random by weight (registrations and the
//  steps that follow them most, worker changes and leaving least); a kind
//  with nothing to do (no case waiting for its triage, no reminder due, its
//  service's window full) is skipped. Every choice comes from the run's
//  PRNG. Names, reasons and notes carry the command's number, so each is
//  unique and the check can tell which command a value came from.
#include "chaos_load_private.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_DAY                  INT64_C (86400000000)
#define S_OUTCOME(name)        CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_##name
#define S_HANDOVER_STATE(name) CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_##name

static const Caseflow__V1__Channel s_channels [] = {
    CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,        CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN,
    CASEFLOW__V1__CHANNEL__CHANNEL_WEB,          CASEFLOW__V1__CHANNEL__CHANNEL_PARTNER,
    CASEFLOW__V1__CHANNEL__CHANNEL_MUNICIPALITY,
};

//  Weights of the load commands (chaos_ops_send_one).
static const struct {
    chaos_op_kind_t kind;
    unsigned weight;
} s_mix [] = {
    { CHAOS_OP_REGISTER, 24 },     { CHAOS_OP_TRIAGE, 14 },       { CHAOS_OP_CALLBACK, 14 },
    { CHAOS_OP_CLOSE, 3 },         { CHAOS_OP_START, 9 },         { CHAOS_OP_COMPLETE, 9 },
    { CHAOS_OP_WORKER_CHANGE, 3 }, { CHAOS_OP_WORKER_ABSENT, 2 }, { CHAOS_OP_WORKER_RETURN, 2 },
    { CHAOS_OP_WORKER_LEAVE, 1 },  { CHAOS_OP_HANDOVER, 14 },     { CHAOS_OP_ACKNOWLEDGE, 5 },
    { CHAOS_OP_ERASE, 1 },
};

//  ------------------------------------------------------------- helpers

static bool
s_room (chaos_load_t *self, int service)
{
    return chaos_client_outstanding (self->client, service) < (size_t) self->options.window;
}

//  1-2 distinct domains.
static size_t
s_domains (chaos_load_t *self, Caseflow__V1__Domain *out)
{
    out [0] = (Caseflow__V1__Domain) (1 + chaos_rng_below (&self->rng, 7));
    if (chaos_rng_percent (&self->rng, 60))
        return 1;
    out [1] = (Caseflow__V1__Domain) (1 + (out [0] + chaos_rng_below (&self->rng, 6)) % 7);
    return 2;
}

static void
s_birth_date (chaos_load_t *self, char *out, size_t size)
{
    snprintf (out, size, "%04d-%02d-%02d", 1940 + (int) chaos_rng_below (&self->rng, 66),
              1 + (int) chaos_rng_below (&self->rng, 12),
              1 + (int) chaos_rng_below (&self->rng, 28));
}

//  A random case for which `fit` holds (up to 32 tries), or SIZE_MAX.
static size_t
s_pick_case (chaos_load_t *self, bool (*fit) (const chaos_case_t *))
{
    chaos_model_t *model = &self->model;
    for (int tries = 0; tries < 32 && model->case_count; tries++) {
        size_t index = (size_t) chaos_rng_below (&self->rng, model->case_count);
        if (fit (&model->cases [index]))
            return index;
    }
    return SIZE_MAX;
}

static bool
s_case_open (const chaos_case_t *kase)
{
    return kase->registered && !kase->busy && !kase->closure;
}

static bool
s_case_erasable (const chaos_case_t *kase)
{
    return kase->registered && !kase->busy && !kase->erased;
}

//  A random worker for which `fit` holds, or SIZE_MAX.
static size_t
s_pick_worker (chaos_load_t *self, bool (*fit) (const chaos_worker_t *))
{
    chaos_model_t *model = &self->model;
    for (int tries = 0; tries < 16 && model->worker_count; tries++) {
        size_t index = (size_t) chaos_rng_below (&self->rng, model->worker_count);
        if (fit (&model->workers [index]))
            return index;
    }
    return SIZE_MAX;
}

static bool
s_worker_usable (const chaos_worker_t *worker)
{
    return worker->added && !worker->busy && !worker->left;
}

static bool
s_worker_present (const chaos_worker_t *worker)
{
    return s_worker_usable (worker) && !worker->absent;
}

static bool
s_worker_away (const chaos_worker_t *worker)
{
    return s_worker_usable (worker) && worker->absent;
}

static void
s_send_intake (chaos_load_t *self, chaos_op_t *op, Caseflow__V1__Intake__Command *intake)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = intake;
    chaos_op_send (self, op, &command);
}

static void
s_send_assignment (chaos_load_t *self, chaos_op_t *op,
                   Caseflow__V1__Assignment__Command *assignment)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = assignment;
    chaos_op_send (self, op, &command);
}

static void
s_send_handover (chaos_load_t *self, chaos_op_t *op, Caseflow__V1__Handover__Command *handover)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = handover;
    chaos_op_send (self, op, &command);
}

//  --------------------------------------------------------------- setup

void
chaos_ops_location (chaos_load_t *self, int number)
{
    char id [16], name [32], district [16];
    snprintf (id, sizeof id, "L%d", number);
    snprintf (name, sizeof name, "Location %d", number);
    snprintf (district, sizeof district, "D%d", number);
    char *districts [] = { district };
    Caseflow__V1__Assignment__AddLocation add = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    add.location_id = id;
    add.name = name;
    add.districts = districts;
    add.n_districts = 1;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    inner.add_location = &add;
    s_send_assignment (self, chaos_op_new (self, CHAOS_OP_LOCATION, CHAOS_ASSIGNMENT, 0), &inner);
}

void
chaos_ops_provider (chaos_load_t *self, int number)
{
    char id [16], name [32];
    snprintf (id, sizeof id, "P%d", number);
    snprintf (name, sizeof name, "Provider %d", number);
    Caseflow__V1__Handover__AddProvider add = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    add.provider_id = id;
    add.name = name;
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    inner.add_provider = &add;
    s_send_handover (self, chaos_op_new (self, CHAOS_OP_PROVIDER, CHAOS_HANDOVER, 0), &inner);
}

//  A new worker: 1-2 locations, 2-4 domains, a small personal limit so
//  the waiting list moves.
void
chaos_ops_worker_add (chaos_load_t *self)
{
    chaos_model_t *model = &self->model;
    if (model->worker_count == model->worker_cap) {
        model->worker_cap = model->worker_cap ? model->worker_cap * 2 : 32;
        model->workers = realloc (model->workers, model->worker_cap * sizeof *model->workers);
        assert (model->workers);
    }
    size_t index = model->worker_count++;
    chaos_worker_t *worker = &model->workers [index];
    memset (worker, 0, sizeof *worker);
    snprintf (worker->id, sizeof worker->id, "w%03zu", index + 1);
    worker->busy = true;
    char location_ids [2][16];
    char *locations [2] = { location_ids [0], location_ids [1] };
    int first = 1 + (int) chaos_rng_below (&self->rng, (uint64_t) model->locations);
    snprintf (location_ids [0], sizeof location_ids [0], "L%d", first);
    snprintf (location_ids [1], sizeof location_ids [1], "L%d", first % model->locations + 1);
    Caseflow__V1__Domain expertise [4];
    size_t n_expertise = 2 + (size_t) chaos_rng_below (&self->rng, 3);
    int start = (int) chaos_rng_below (&self->rng, 7);
    for (size_t i = 0; i < n_expertise; i++)
        expertise [i] = (Caseflow__V1__Domain) (1 + (start + (int) i) % 7);
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_WORKER_ADD, CHAOS_ASSIGNMENT, index);
    op->fte_milli = 500 + 100 * (uint32_t) chaos_rng_below (&self->rng, 6);
    op->max_caseload = 3 + (uint32_t) chaos_rng_below (&self->rng, 6);
    Caseflow__V1__Assignment__AddWorker add = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    add.worker_id = worker->id;
    add.name = worker->id;
    add.fte_milli = op->fte_milli;
    add.locations = locations;
    add.n_locations = chaos_rng_percent (&self->rng, 50) ? 2 : 1;
    add.expertise = expertise;
    add.n_expertise = n_expertise;
    add.max_caseload = op->max_caseload;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    inner.add_worker = &add;
    s_send_assignment (self, op, &inner);
}

//  --------------------------------------------------------------- intake

static bool
s_register (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_INTAKE))
        return false;
    chaos_model_t *model = &self->model;
    if (model->case_count == model->case_cap) {
        model->case_cap = model->case_cap ? model->case_cap * 2 : 1024;
        model->cases = realloc (model->cases, model->case_cap * sizeof *model->cases);
        assert (model->cases);
    }
    size_t index = model->case_count++;
    chaos_case_t *kase = &model->cases [index];
    memset (kase, 0, sizeof *kase);
    snprintf (kase->name, sizeof kase->name, "Resident %llu-%zu",
              (unsigned long long) (self->options.seed % 100000), ++self->names);
    kase->channel = s_channels [chaos_rng_below (&self->rng, 5)];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_REGISTER, CHAOS_INTAKE, index);
    char birth [16], district [16], location [16] = "", question [48];
    s_birth_date (self, birth, sizeof birth);
    int place = 1 + (int) chaos_rng_below (&self->rng, (uint64_t) model->locations);
    snprintf (district, sizeof district, "D%d", place);
    if (kase->channel == CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN)
        snprintf (location, sizeof location, "L%d", place);
    snprintf (question, sizeof question, "question of request %llu",
              (unsigned long long) op->number);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = kase->name;
    resident.birth_date = birth;
    resident.district = district;
    Caseflow__V1__Domain domains [2];
    Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    reg.channel = kase->channel;
    reg.location = location;
    reg.resident = &resident;
    reg.domains = domains;
    reg.n_domains = s_domains (self, domains);
    reg.question = question;
    if (chaos_rng_percent (&self->rng, 50)) {
        op->urgency = chaos_rng_percent (&self->rng, 10) ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                                         : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
        snprintf (op->text, sizeof op->text, "triage at request %llu",
                  (unsigned long long) op->number);
        reg.urgency = op->urgency;
        reg.reason = op->text;
    }
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    inner.register_ = &reg;
    s_send_intake (self, op, &inner);
    return true;
}

//  Triage: a case waiting for its first triage (or a re-triage after a
//  callback found it changed); else now and then a re-triage of any open case.
static bool
s_triage (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_INTAKE))
        return false;
    size_t index = SIZE_MAX;
    chaos_task_t task;
    for (int tries = 0; tries < 8 && index == SIZE_MAX && chaos_queue_pop (&self->triage, &task);
         tries++) {
        chaos_case_t *kase = &self->model.cases [task.index];
        if (kase->busy)
            chaos_queue_push (&self->triage, &task);
        else if (!kase->closure)
            index = task.index;
    }
    if (index == SIZE_MAX && chaos_rng_percent (&self->rng, 30))
        index = s_pick_case (self, s_case_open);
    if (index == SIZE_MAX)
        return false;
    chaos_case_t *kase = &self->model.cases [index];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_TRIAGE, CHAOS_INTAKE, index);
    op->urgency = chaos_rng_percent (&self->rng, 10) ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                                     : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    snprintf (op->text, sizeof op->text, "triage at request %llu", (unsigned long long) op->number);
    Caseflow__V1__Intake__Triage triage = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    triage.case_id = kase->id;
    triage.urgency = op->urgency;
    triage.reason = op->text;
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    inner.triage = &triage;
    s_send_intake (self, op, &inner);
    return true;
}

//  A callback answering a callback reminder that fell due.
static bool
s_callback (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_INTAKE))
        return false;
    chaos_task_t task;
    bool found = false;
    for (int tries = 0; tries < 8 && !found && chaos_queue_pop (&self->callbacks, &task); tries++) {
        chaos_case_t *kase = &self->model.cases [task.index];
        if (kase->busy)
            chaos_queue_push (&self->callbacks, &task);
        else
            found = !kase->closure;
    }
    if (!found)
        return false;
    chaos_case_t *kase = &self->model.cases [task.index];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_CALLBACK, CHAOS_INTAKE, task.index);
    unsigned roll = (unsigned) chaos_rng_below (&self->rng, 100);
    op->step = roll < 40   ? S_OUTCOME (REACHED)
               : roll < 75 ? S_OUTCOME (NOT_REACHED)
               : roll < 90 ? S_OUTCOME (CHANGED)
                           : S_OUTCOME (NO_LONGER_NEEDED);
    snprintf (op->text, sizeof op->text, "call at request %llu", (unsigned long long) op->number);
    snprintf (op->reminder_id, sizeof op->reminder_id, "%s", task.reminder_id);
    Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    callback.case_id = kase->id;
    callback.outcome = op->step;
    callback.note = op->text;
    callback.reminder_id = op->reminder_id;
    callback.due_at = task.due_at;
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    inner.record_callback = &callback;
    s_send_intake (self, op, &inner);
    return true;
}

//  Advice, withdrawal or closure of an open case.
static bool
s_close (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_INTAKE))
        return false;
    size_t index = s_pick_case (self, s_case_open);
    if (index == SIZE_MAX)
        return false;
    chaos_case_t *kase = &self->model.cases [index];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_CLOSE, CHAOS_INTAKE, index);
    op->step = 1 + (int) chaos_rng_below (&self->rng, 3);  //  advised, withdrawn, closed
    snprintf (op->text, sizeof op->text, "closed at request %llu", (unsigned long long) op->number);
    Caseflow__V1__Intake__Advise advise = CASEFLOW__V1__INTAKE__ADVISE__INIT;
    Caseflow__V1__Intake__Withdraw withdraw = CASEFLOW__V1__INTAKE__WITHDRAW__INIT;
    Caseflow__V1__Intake__Close close = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    if (op->step == CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_ADVISED) {
        advise.case_id = kase->id;
        advise.note = op->text;
        inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE;
        inner.advise = &advise;
    } else if (op->step == CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN) {
        withdraw.case_id = kase->id;
        withdraw.reason = op->text;
        inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_WITHDRAW;
        inner.withdraw = &withdraw;
    } else {
        close.case_id = kase->id;
        close.reason = op->text;
        inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
        inner.close = &close;
    }
    s_send_intake (self, op, &inner);
    return true;
}

//  A resident asks to be erased: their case goes on, its personal data goes.
//  The request overrides retention: a case of any domain is erased (the
//  refusal of an early request is test_retention's, not a crash's).
static bool
s_erase (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_INTAKE))
        return false;
    size_t index = s_pick_case (self, s_case_erasable);
    if (index == SIZE_MAX)
        return false;
    chaos_case_t *kase = &self->model.cases [index];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_ERASE, CHAOS_INTAKE, index);
    snprintf (op->text, sizeof op->text, "erasure request %llu", (unsigned long long) op->number);
    Caseflow__V1__Intake__Erase erase = CASEFLOW__V1__INTAKE__ERASE__INIT;
    erase.case_id = kase->id;
    erase.reason = op->text;
    erase.override_retention = true;
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE;
    inner.erase = &erase;
    s_send_intake (self, op, &inner);
    return true;
}

//  ----------------------------------------------------------- assignment

//  Start (a case the follower saw assigned) or complete (a started case).
static bool
s_progress (chaos_load_t *self, bool complete)
{
    if (!s_room (self, CHAOS_ASSIGNMENT))
        return false;
    chaos_queue_t *queue = complete ? &self->completes : &self->starts;
    chaos_task_t task;
    bool found = false;
    for (int tries = 0; tries < 8 && !found && chaos_queue_pop (queue, &task); tries++) {
        chaos_case_t *kase = &self->model.cases [task.index];
        if (kase->busy)
            chaos_queue_push (queue, &task);
        else
            found = !kase->closure && kase->started == complete;
    }
    if (!found)
        return false;
    chaos_case_t *kase = &self->model.cases [task.index];
    kase->busy = true;
    chaos_op_t *op = chaos_op_new (self, complete ? CHAOS_OP_COMPLETE : CHAOS_OP_START,
                                   CHAOS_ASSIGNMENT, task.index);
    Caseflow__V1__Assignment__Start start = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    Caseflow__V1__Assignment__Complete done = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    if (complete) {
        snprintf (op->text, sizeof op->text, "helped, request %llu",
                  (unsigned long long) op->number);
        done.case_id = kase->id;
        done.outcome = op->text;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE;
        inner.complete = &done;
    } else {
        start.case_id = kase->id;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START;
        inner.start = &start;
    }
    s_send_assignment (self, op, &inner);
    return true;
}

static bool
s_worker (chaos_load_t *self, chaos_op_kind_t kind)
{
    if (!s_room (self, CHAOS_ASSIGNMENT))
        return false;
    size_t present = 0;
    for (size_t i = 0; i < self->model.worker_count; i++)
        present += s_worker_present (&self->model.workers [i]);
    //  Leaving is replaced by a new worker, and never empties the roster.
    if (kind == CHAOS_OP_WORKER_LEAVE && present < 8)
        return false;
    size_t index = s_pick_worker (self, kind == CHAOS_OP_WORKER_RETURN   ? s_worker_away
                                        : kind == CHAOS_OP_WORKER_CHANGE ? s_worker_usable
                                                                         : s_worker_present);
    if (index == SIZE_MAX)
        return false;
    chaos_worker_t *worker = &self->model.workers [index];
    worker->busy = true;
    chaos_op_t *op = chaos_op_new (self, kind, CHAOS_ASSIGNMENT, index);
    Caseflow__V1__Assignment__ChangeWorker change = CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
    Caseflow__V1__Assignment__MarkAbsent absent = CASEFLOW__V1__ASSIGNMENT__MARK_ABSENT__INIT;
    Caseflow__V1__Assignment__MarkReturned returned = CASEFLOW__V1__ASSIGNMENT__MARK_RETURNED__INIT;
    Caseflow__V1__Assignment__MarkLeft left = CASEFLOW__V1__ASSIGNMENT__MARK_LEFT__INIT;
    Caseflow__V1__Assignment__Command inner = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    if (kind == CHAOS_OP_WORKER_CHANGE) {
        change.worker_id = worker->id;
        op->fte_milli = worker->fte_milli;
        op->max_caseload = worker->max_caseload;
        uint32_t value = (uint32_t) chaos_rng_below (&self->rng, 8);
        if (chaos_rng_percent (&self->rng, 50))
            op->fte_milli = change.fte_milli = 300 + 100 * value;
        else
            op->max_caseload = change.max_caseload = 2 + value;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
        inner.change_worker = &change;
    } else if (kind == CHAOS_OP_WORKER_ABSENT) {
        //  No end date (long: every case goes back), or a few days ending
        //  between clock moves (short: regular cases wait for the return).
        absent.worker_id = worker->id;
        if (chaos_rng_percent (&self->rng, 60))
            op->until = self->model.clock + (1 + (int64_t) chaos_rng_below (&self->rng, 20)) * S_DAY
                        + 17 * INT64_C (1000000);
        absent.until = op->until;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT;
        inner.mark_absent = &absent;
    } else if (kind == CHAOS_OP_WORKER_RETURN) {
        returned.worker_id = worker->id;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED;
        inner.mark_returned = &returned;
    } else {
        left.worker_id = worker->id;
        inner.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT;
        inner.mark_left = &left;
    }
    s_send_assignment (self, op, &inner);
    return true;
}

//  ------------------------------------------------------------- handover

static void
s_announce (chaos_load_t *self)
{
    chaos_model_t *model = &self->model;
    if (model->handover_count == model->handover_cap) {
        model->handover_cap = model->handover_cap ? model->handover_cap * 2 : 256;
        model->handovers =
            realloc (model->handovers, model->handover_cap * sizeof *model->handovers);
        assert (model->handovers);
    }
    size_t index = model->handover_count++;
    chaos_handover_t *handover = &model->handovers [index];
    memset (handover, 0, sizeof *handover);
    snprintf (handover->name, sizeof handover->name, "Handed-over %llu-%zu",
              (unsigned long long) (self->options.seed % 100000), ++self->names);
    handover->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_HANDOVER, CHAOS_HANDOVER, index);
    op->step = CHAOS_HO_ANNOUNCE;
    char provider [16], birth [16], worker [16] = "";
    snprintf (provider, sizeof provider, "P%d", 1 + (int) chaos_rng_below (&self->rng, 3));
    s_birth_date (self, birth, sizeof birth);
    if (model->worker_count && chaos_rng_percent (&self->rng, 40))
        snprintf (worker, sizeof worker, "%s",
                  model->workers [chaos_rng_below (&self->rng, model->worker_count)].id);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = handover->name;
    resident.birth_date = birth;
    Caseflow__V1__Domain domains [2];
    Caseflow__V1__Handover__Announce announce = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    announce.provider_id = provider;
    announce.resident = &resident;
    announce.domains = domains;
    announce.n_domains = s_domains (self, domains);
    announce.support = "support at home";
    announce.preferred_worker = worker;
    announce.urgency = chaos_rng_percent (&self->rng, 15) ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                                          : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    inner.announce = &announce;
    s_send_handover (self, op, &inner);
}

static bool
s_handover_open (const chaos_handover_t *handover)
{
    return !handover->busy && handover->state >= S_HANDOVER_STATE (ANNOUNCED)
           && handover->state <= S_HANDOVER_STATE (DECIDED);
}

//  The next step of an open handover (now and then a cancellation), or a
//  new announcement.
static bool
s_handover (chaos_load_t *self)
{
    if (!s_room (self, CHAOS_HANDOVER))
        return false;
    chaos_model_t *model = &self->model;
    size_t index = SIZE_MAX;
    for (int tries = 0; tries < 16 && model->handover_count && index == SIZE_MAX; tries++) {
        size_t pick = (size_t) chaos_rng_below (&self->rng, model->handover_count);
        if (s_handover_open (&model->handovers [pick]))
            index = pick;
    }
    if (index == SIZE_MAX || chaos_rng_percent (&self->rng, 20)) {
        s_announce (self);
        return true;
    }
    chaos_handover_t *handover = &model->handovers [index];
    handover->busy = true;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_HANDOVER, CHAOS_HANDOVER, index);
    Caseflow__V1__Handover__Command inner = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    Caseflow__V1__Handover__Plan plan = CASEFLOW__V1__HANDOVER__PLAN__INIT;
    Caseflow__V1__Handover__Held held = CASEFLOW__V1__HANDOVER__HELD__INIT;
    Caseflow__V1__Handover__Decide decide = CASEFLOW__V1__HANDOVER__DECIDE__INIT;
    Caseflow__V1__Handover__RecordFiles files = CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT;
    Caseflow__V1__Handover__Complete complete = CASEFLOW__V1__HANDOVER__COMPLETE__INIT;
    Caseflow__V1__Handover__Cancel cancel = CASEFLOW__V1__HANDOVER__CANCEL__INIT;
    char *id = handover->id;
    int state = handover->state;
    if (chaos_rng_percent (&self->rng, 5)) {
        op->step = CHAOS_HO_CANCEL;
        cancel.handover_id = id;
        cancel.reason = "stays with the provider";
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_CANCEL;
        inner.cancel = &cancel;
    } else if (state == S_HANDOVER_STATE (ANNOUNCED)) {
        op->step = CHAOS_HO_PLAN;
        plan.handover_id = id;
        plan.at = model->clock + 2 * S_DAY;
        plan.location = "L1";
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN;
        inner.plan = &plan;
    } else if (state == S_HANDOVER_STATE (MEETING_PLANNED)) {
        op->step = CHAOS_HO_HELD;
        held.handover_id = id;
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD;
        inner.held = &held;
    } else if (state == S_HANDOVER_STATE (MEETING_HELD)) {
        op->step = CHAOS_HO_DECIDE;
        unsigned roll = (unsigned) chaos_rng_below (&self->rng, 10);
        op->next_step = roll < 7 ? CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE
                                 : (int) (roll - 5);  //  stay, end, refer
        decide.handover_id = id;
        decide.next_step = op->next_step;
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE;
        inner.decide = &decide;
    } else if (!handover->files) {
        op->step = CHAOS_HO_FILES;
        files.handover_id = id;
        files.waive = true;
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES;
        inner.record_files = &files;
    } else {
        op->step = CHAOS_HO_COMPLETE;
        complete.handover_id = id;
        inner.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE;
        inner.complete = &complete;
    }
    s_send_handover (self, op, &inner);
    return true;
}

//  --------------------------------------------------------- notification

static bool
s_acknowledge (chaos_load_t *self)
{
    chaos_task_t task;
    if (!s_room (self, CHAOS_NOTIFICATION) || !chaos_queue_pop (&self->acks, &task))
        return false;
    chaos_op_t *op = chaos_op_new (self, CHAOS_OP_ACKNOWLEDGE, CHAOS_NOTIFICATION, 0);
    snprintf (op->reminder_id, sizeof op->reminder_id, "%s", task.reminder_id);
    Caseflow__V1__Notification__Acknowledge ack = CASEFLOW__V1__NOTIFICATION__ACKNOWLEDGE__INIT;
    ack.reminder_id = op->reminder_id;
    ack.by = "chaos";
    Caseflow__V1__Notification__Command inner = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE;
    inner.acknowledge = &ack;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
    command.notification = &inner;
    chaos_op_send (self, op, &command);
    return true;
}

//  ------------------------------------------------------------- the mix

bool
chaos_ops_send_one (chaos_load_t *self)
{
    unsigned total = 0;
    for (size_t i = 0; i < sizeof s_mix / sizeof s_mix [0]; i++)
        total += s_mix [i].weight;
    unsigned roll = (unsigned) chaos_rng_below (&self->rng, total);
    size_t pick = 0;
    while (roll >= s_mix [pick].weight)
        roll -= s_mix [pick++].weight;
    switch (s_mix [pick].kind) {
        case CHAOS_OP_REGISTER: return s_register (self);
        case CHAOS_OP_TRIAGE: return s_triage (self);
        case CHAOS_OP_CALLBACK: return s_callback (self);
        case CHAOS_OP_CLOSE: return s_close (self);
        case CHAOS_OP_START: return s_progress (self, false);
        case CHAOS_OP_COMPLETE: return s_progress (self, true);
        case CHAOS_OP_HANDOVER: return s_handover (self);
        case CHAOS_OP_ACKNOWLEDGE: return s_acknowledge (self);
        case CHAOS_OP_ERASE: return s_erase (self);
        default: return s_worker (self, s_mix [pick].kind);
    }
}

void
chaos_ops_clock (chaos_load_t *self, int64_t at)
{
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        chaos_op_t *op = chaos_op_new (self, CHAOS_OP_CLOCK, s, 0);
        Caseflow__V1__ClockSet set = CASEFLOW__V1__CLOCK_SET__INIT;
        set.at = at;
        op->until = at;
        Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_CLOCK_SET;
        command.clock_set = &set;
        chaos_op_send (self, op, &command);
    }
}
