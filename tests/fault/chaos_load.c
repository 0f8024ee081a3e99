//  chaos_load: the chaos run's load generator: the loop, the rounds of the
//  manual clock, and the model of everything acknowledged.
//
//  The load runs in rounds of 100 commands. Between rounds, once every
//  command of the round is answered, the generator sets the manual clock of
//  all five services to the same next reading (ClockSet, an absolute time,
//  so a retry after a crash moves nothing twice), all five at once; the
//  rounds together cover --days days, so 14-day callbacks, overdue
//  callbacks, absences and handover deadlines come due during the run. No
//  command is in flight while the clocks move: each command is decided at
//  one known clock reading, and no stored reply can expire (--request-ttl
//  counts on the service clock) before its retry arrives.
//
//  Followers feed the next commands: a callback reminder that fell due is
//  answered with a callback naming it, a case that assignment assigned is
//  started and then completed, other reminders are acknowledged.
#include "chaos_load_private.h"

#include "cf_time.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_PER_ROUND     100
#define S_STALL_MS      180000
#define S_WORKERS       16
#define S_LOCATIONS     4
#define S_PROVIDERS     3
#define S_CALLBACK_KIND CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK

static const char *s_kind_names [CHAOS_OP_KINDS] = {
    "add-location", "add-provider", "add-worker",  "register",      "triage",      "callback",
    "close",        "start",        "complete",    "change-worker", "mark-absent", "mark-returned",
    "mark-left",    "handover",     "acknowledge", "clock-set",     "erase",
};

static const char *s_step_names [] = { "",       "announce", "plan",     "held",
                                       "decide", "files",    "complete", "cancel" };

uint64_t
chaos_notes_hash (uint64_t hash, const char *note)
{
    if (!hash)
        hash = UINT64_C (14695981039346656037);
    for (const unsigned char *c = (const unsigned char *) note; *c; c++)
        hash = (hash ^ *c) * UINT64_C (1099511628211);
    return (hash ^ 0xFF) * UINT64_C (1099511628211);  //  the end of one note
}

//  --------------------------------------------------------------- queues

void
chaos_queue_push (chaos_queue_t *queue, const chaos_task_t *task)
{
    if (queue->count == queue->cap) {
        size_t cap = queue->cap ? queue->cap * 2 : 256;
        chaos_task_t *items = malloc (cap * sizeof *items);
        assert (items);
        for (size_t i = 0; i < queue->count; i++)
            items [i] = queue->items [(queue->head + i) % queue->cap];
        free (queue->items);
        queue->items = items;
        queue->head = 0;
        queue->cap = cap;
    }
    queue->items [(queue->head + queue->count++) % queue->cap] = *task;
}

bool
chaos_queue_pop (chaos_queue_t *queue, chaos_task_t *task)
{
    if (!queue->count)
        return false;
    *task = queue->items [queue->head];
    queue->head = (queue->head + 1) % queue->cap;
    queue->count--;
    return true;
}

//  ------------------------------------------------------------ commands

chaos_op_t *
chaos_op_new (chaos_load_t *self, chaos_op_kind_t kind, int service, size_t index)
{
    chaos_op_t *op = calloc (1, sizeof *op);
    assert (op);
    op->number = ++self->numbers;
    op->kind = kind;
    op->service = service;
    op->index = index;
    snprintf (op->request_id, sizeof op->request_id, "chaos-%llu", (unsigned long long) op->number);
    op->load = kind >= CHAOS_OP_REGISTER && kind != CHAOS_OP_CLOCK;
    if (op->load)
        self->model.sent++;
    self->model.sent_all++;
    return op;
}

void
chaos_op_send (chaos_load_t *self, chaos_op_t *op, Caseflow__V1__Command *command)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = op->request_id;
    request.client = "chaos";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = command;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    uint8_t *data = malloc (size);
    assert (data);
    caseflow__v1__request__pack (&request, data);
    chaos_client_send (self->client, op->service, op->request_id, data, size, op,
                       chaos_rng_percent (&self->rng, 3));
}

//  ------------------------------------------------------------ the model

static chaos_case_t *
s_case (chaos_load_t *self, const char *case_id, size_t *index_p)
{
    uintptr_t found = (uintptr_t) zhashx_lookup (self->model.case_index, case_id);
    if (!found)
        return NULL;
    if (index_p)
        *index_p = (size_t) found - 1;
    return &self->model.cases [found - 1];
}

static void
s_expect (zhashx_t *set, const char *reminder_id)
{
    zhashx_update (set, reminder_id, (void *) 1);
}

//  The urgent alert notification owes a triage to URGENT: intake's seq of
//  the CaseTriaged is the reply's last_seq.
static void
s_expect_urgent_alert (chaos_load_t *self, const char *case_id, uint64_t seq)
{
    char id [80];
    snprintf (id, sizeof id, "urgent/%s/%llu", case_id, (unsigned long long) seq);
    s_expect (self->model.urgent_alerts, id);
}

static const Caseflow__V1__Intake__CaseView *
s_case_view (const Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__CommandResult *result = reply->command;
    return result && result->intake ? result->intake->case_ : NULL;
}

static void
s_apply_register (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply,
                  const char **result_p)
{
    chaos_case_t *kase = &self->model.cases [op->index];
    const Caseflow__V1__Intake__RegisterResult *registered =
        reply->command && reply->command->intake ? reply->command->intake->registered : NULL;
    if (!registered || !*registered->case_id) {
        chaos_report (self->faults, &self->faults->failures,
                      "request %s: a registration answered OK without a case id", op->request_id);
        return;
    }
    snprintf (kase->id, sizeof kase->id, "%s", registered->case_id);
    *result_p = kase->id;
    if (zhashx_insert (self->model.case_index, kase->id, (void *) (uintptr_t) (op->index + 1))) {
        chaos_report (self->faults, &self->faults->duplicated,
                      "request %s: a new resident got case %s, which an earlier "
                      "registration already has",
                      op->request_id, kase->id);
        return;
    }
    kase->registered = true;
    if (registered->joined_existing)
        chaos_report (self->faults, &self->faults->mismatched,
                      "request %s: a new resident joined case %s", op->request_id, kase->id);
    int expected = op->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                       ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
                   : op->urgency ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
                                 : CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
    if ((int) registered->status != expected)
        chaos_report (self->faults, &self->faults->mismatched,
                      "request %s: case %s registered with status %d, expected %d", op->request_id,
                      kase->id, registered->status, expected);
    kase->status = registered->status;
    kase->ever_waiting = kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    if (op->urgency) {
        kase->urgency = op->urgency;
        snprintf (kase->reason, sizeof kase->reason, "%s", op->text);
        if (op->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT)
            s_expect_urgent_alert (self, kase->id, reply->command->last_seq);
    } else {
        chaos_task_t task = { .index = op->index };
        chaos_queue_push (&self->triage, &task);
    }
}

static void
s_apply_intake (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply)
{
    chaos_case_t *kase = &self->model.cases [op->index];
    const Caseflow__V1__Intake__CaseView *view = s_case_view (reply);
    if (!view) {
        chaos_report (self->faults, &self->faults->failures,
                      "request %s: an intake command answered OK without the case", op->request_id);
        return;
    }
    kase->status = view->status;
    if (op->kind == CHAOS_OP_TRIAGE) {
        kase->urgency = op->urgency;
        snprintf (kase->reason, sizeof kase->reason, "%s", op->text);
        kase->ever_waiting |= view->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
        if (op->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT)
            s_expect_urgent_alert (self, kase->id, reply->command->last_seq);
    } else if (op->kind == CHAOS_OP_CALLBACK) {
        kase->callbacks++;
        kase->notes_hash = chaos_notes_hash (kase->notes_hash, op->text);
        s_expect (self->model.acknowledged, op->reminder_id);
        if (op->step == CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NO_LONGER_NEEDED)
            kase->closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_NO_LONGER_NEEDED;
        if (op->step == CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_CHANGED) {
            chaos_task_t task = { .index = op->index };
            chaos_queue_push (&self->triage, &task);
        }
    } else
        kase->closure = op->step;
}

static void
s_apply_worker (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply)
{
    chaos_worker_t *worker = &self->model.workers [op->index];
    const Caseflow__V1__Assignment__WorkerView *view =
        reply->command && reply->command->assignment ? reply->command->assignment->worker : NULL;
    switch (op->kind) {
        case CHAOS_OP_WORKER_ADD:
        case CHAOS_OP_WORKER_CHANGE:
            worker->added = true;
            worker->fte_milli = op->fte_milli;
            worker->max_caseload = op->max_caseload;
            if (!view || view->fte_milli != op->fte_milli || view->max_caseload != op->max_caseload)
                chaos_report (self->faults, &self->faults->mismatched,
                              "request %s: worker %s answered with other details than "
                              "asked for",
                              op->request_id, worker->id);
            break;
        case CHAOS_OP_WORKER_ABSENT:
            worker->absent = true;
            worker->absent_until = op->until;
            break;
        case CHAOS_OP_WORKER_RETURN:
            worker->absent = false;
            worker->absent_until = 0;
            break;
        default: worker->left = true; break;
    }
}

static void
s_apply_handover (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply,
                  const char **result_p)
{
    chaos_handover_t *handover = &self->model.handovers [op->index];
    const Caseflow__V1__Handover__HandoverView *view =
        reply->command && reply->command->handover ? reply->command->handover->handover : NULL;
    if (!view) {
        chaos_report (self->faults, &self->faults->failures,
                      "request %s: a handover command answered OK without the handover",
                      op->request_id);
        return;
    }
    static const int states [] = {
        0,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_ANNOUNCED,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_PLANNED,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_HELD,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_DECIDED,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_DECIDED,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_COMPLETED,
        CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_CANCELLED,
    };
    if (op->step == CHAOS_HO_ANNOUNCE)
        snprintf (handover->id, sizeof handover->id, "%s", view->handover_id);
    *result_p = handover->id;
    handover->state = states [op->step];
    if (op->step == CHAOS_HO_DECIDE)
        handover->next_step = op->next_step;
    if (op->step == CHAOS_HO_FILES)
        handover->files = true;
    if ((int) view->state != handover->state || strcmp (view->handover_id, handover->id) != 0)
        chaos_report (self->faults, &self->faults->mismatched,
                      "request %s: handover %s is %d after %s, expected %d", op->request_id,
                      view->handover_id, view->state, s_step_names [op->step], handover->state);
}

static void
s_apply (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply,
         const char **result_p)
{
    chaos_model_t *model = &self->model;
    switch (op->kind) {
        case CHAOS_OP_REGISTER: s_apply_register (self, op, reply, result_p); break;
        case CHAOS_OP_TRIAGE:
        case CHAOS_OP_CALLBACK:
        case CHAOS_OP_CLOSE: s_apply_intake (self, op, reply); break;
        case CHAOS_OP_ERASE: model->cases [op->index].erased = true; break;
        case CHAOS_OP_START: {
            model->cases [op->index].started = true;
            chaos_task_t task = { .index = op->index };
            chaos_queue_push (&self->completes, &task);
            break;
        }
        case CHAOS_OP_COMPLETE:
            model->cases [op->index].closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED;
            break;
        case CHAOS_OP_WORKER_ADD:
        case CHAOS_OP_WORKER_CHANGE:
        case CHAOS_OP_WORKER_ABSENT:
        case CHAOS_OP_WORKER_RETURN:
        case CHAOS_OP_WORKER_LEAVE: s_apply_worker (self, op, reply); break;
        case CHAOS_OP_HANDOVER: s_apply_handover (self, op, reply, result_p); break;
        case CHAOS_OP_ACKNOWLEDGE: s_expect (model->acknowledged, op->reminder_id); break;
        case CHAOS_OP_CLOCK:
            if (!reply->command || !reply->command->clock
                || reply->command->clock->now != op->until)
                chaos_report (self->faults, &self->faults->mismatched,
                              "%s's clock is not where it was set (request %s)",
                              chaos_service_name (op->service), op->request_id);
            break;
        default: break;
    }
}

//  A refusal changed nothing. Some are the races of a live system (a case
//  assigned while its callback was on its way); the others mean the
//  service lost or garbled what it had acknowledged.
static void
s_refused (chaos_load_t *self, chaos_op_t *op, const Caseflow__V1__Reply *reply, int code)
{
    const Caseflow__V1__Status *status = reply->status;
    bool race = code == CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
                && (op->kind == CHAOS_OP_CALLBACK || op->kind == CHAOS_OP_START
                    || op->kind == CHAOS_OP_COMPLETE);
    if (race)
        return;
    bool about_case = op->kind >= CHAOS_OP_TRIAGE && op->kind <= CHAOS_OP_COMPLETE;
    atomic_size_t *counter = code == CASEFLOW__V1__STATUS__CODE__NOT_FOUND && about_case
                                 ? &self->faults->lost
                                 : &self->faults->failures;
    chaos_report (self->faults, counter, "request %s (%s%s%s) refused: %s %s: %s", op->request_id,
                  s_kind_names [op->kind], about_case ? " of " : "",
                  about_case ? self->model.cases [op->index].id : "", cf_api_code_name (code),
                  status && status->field ? status->field : "",
                  status && status->message ? status->message : "");
}

static void
s_release (chaos_load_t *self, chaos_op_t *op)
{
    chaos_model_t *model = &self->model;
    if ((op->kind >= CHAOS_OP_REGISTER && op->kind <= CHAOS_OP_COMPLETE)
        || op->kind == CHAOS_OP_ERASE)
        model->cases [op->index].busy = false;
    else if (op->kind >= CHAOS_OP_WORKER_CHANGE && op->kind <= CHAOS_OP_WORKER_LEAVE)
        model->workers [op->index].busy = false;
    else if (op->kind == CHAOS_OP_WORKER_ADD)
        model->workers [op->index].busy = false;
    else if (op->kind == CHAOS_OP_HANDOVER)
        model->handovers [op->index].busy = false;
}

//  The seq of the last event an acknowledged command produced: that event
//  must stay in the stream, caused by the command's request id.
static void
s_receipt (chaos_load_t *self, const chaos_op_t *op, uint64_t seq)
{
    chaos_model_t *model = &self->model;
    if (model->receipt_count == model->receipt_cap) {
        model->receipt_cap = model->receipt_cap ? model->receipt_cap * 2 : 4096;
        model->receipts = realloc (model->receipts, model->receipt_cap * sizeof *model->receipts);
        assert (model->receipts);
    }
    chaos_receipt_t *receipt = &model->receipts [model->receipt_count++];
    receipt->service = op->service;
    receipt->seq = seq;
    snprintf (receipt->request_id, sizeof receipt->request_id, "%s", op->request_id);
}

static void
s_on_reply (void *ctx, void *tag, const Caseflow__V1__Reply *reply)
{
    chaos_load_t *self = ctx;
    chaos_op_t *op = tag;
    int code = cf_api_reply_code (reply);
    const char *result = "";
    if (code == CASEFLOW__V1__STATUS__CODE__OK) {
        self->model.acked++;
        self->model.acked_by_service [op->service]++;
        if (reply->command && reply->command->last_seq)
            s_receipt (self, op, reply->command->last_seq);
        s_apply (self, op, reply, &result);
    } else {
        self->model.refused++;
        self->model.refused_by_code [code <= 8 ? code : 8]++;
        s_refused (self, op, reply, code);
    }
    s_release (self, op);
    if (op->kind == CHAOS_OP_WORKER_LEAVE && code == CASEFLOW__V1__STATUS__CODE__OK)
        chaos_ops_worker_add (self);
    if (self->record)
        fprintf (self->record, "%llu\t%s\t%s%s%s\t%s\t%s\t%s\n", (unsigned long long) op->number,
                 chaos_service_name (op->service), s_kind_names [op->kind],
                 op->kind == CHAOS_OP_HANDOVER ? " " : "",
                 op->kind == CHAOS_OP_HANDOVER ? s_step_names [op->step] : "", op->request_id,
                 cf_api_code_name (code),
                 *result ? result
                 : op->kind <= CHAOS_OP_COMPLETE && op->kind >= CHAOS_OP_TRIAGE
                     ? self->model.cases [op->index].id
                     : "");
    if (op->load)
        atomic_fetch_add (&self->progress, 1);
    free (op);
}

//  ------------------------------------------------------------ followers

static void
s_take_facts (chaos_load_t *self, chaos_follower_t *follower, size_t *pos)
{
    chaos_fact_t facts [256];
    size_t count;
    while ((count = chaos_follower_facts (follower, *pos, facts, 256)) > 0) {
        *pos += count;
        for (size_t i = 0; i < count; i++) {
            const chaos_fact_t *fact = &facts [i];
            chaos_task_t task = { 0 };
            chaos_case_t *kase = s_case (self, fact->case_id, &task.index);
            snprintf (task.reminder_id, sizeof task.reminder_id, "%s", fact->reminder_id);
            task.due_at = fact->due_at;
            if (fact->body == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE) {
                if (fact->kind == S_CALLBACK_KIND) {
                    //  Most calls are made; the rest go overdue.
                    if (kase && !kase->closure && chaos_rng_percent (&self->rng, 75))
                        chaos_queue_push (&self->callbacks, &task);
                } else if (chaos_rng_percent (&self->rng, 50))
                    chaos_queue_push (&self->acks, &task);
            } else if (fact->body == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED && kase
                       && !kase->closure && !kase->started)
                chaos_queue_push (&self->starts, &task);
        }
    }
}

//  --------------------------------------------------------------- the run

chaos_load_t *
chaos_load_new (const chaos_options_t *options, chaos_procs_t *procs,
                chaos_follower_t *notification, chaos_follower_t *assignment,
                chaos_faults_t *faults, int64_t clock_start, const char *record_path)
{
    chaos_load_t *self = calloc (1, sizeof *self);
    assert (self);
    self->options = *options;
    self->procs = procs;
    self->notification = notification;
    self->assignment = assignment;
    self->faults = faults;
    self->rng.state = options->seed;
    self->client = chaos_client_new (procs, options->clients, options->timeout_ms);
    self->model.case_index = zhashx_new ();
    self->model.urgent_alerts = zhashx_new ();
    self->model.acknowledged = zhashx_new ();
    self->model.inbound_cases = zhashx_new ();
    self->model.inbound_handovers = zhashx_new ();
    assert (self->model.case_index && self->model.urgent_alerts && self->model.acknowledged
            && self->model.inbound_cases && self->model.inbound_handovers);
    self->model.locations = S_LOCATIONS;
    self->model.clock = clock_start;
    atomic_init (&self->progress, 0);
    self->record = fopen (record_path, "w");
    if (self->record)
        fputs ("number\tservice\tcommand\trequest_id\tstatus\tresult\n", self->record);
    return self;
}

void
chaos_load_destroy (chaos_load_t **self_p)
{
    chaos_load_t *self = *self_p;
    if (!self)
        return;
    chaos_client_destroy (&self->client);
    if (self->record)
        fclose (self->record);
    zhashx_destroy (&self->model.case_index);
    zhashx_destroy (&self->model.urgent_alerts);
    zhashx_destroy (&self->model.acknowledged);
    zhashx_destroy (&self->model.intake_status);
    zhashx_destroy (&self->model.inbound_cases);
    zhashx_destroy (&self->model.inbound_handovers);
    free (self->model.cases);
    free (self->model.workers);
    free (self->model.handovers);
    free (self->model.receipts);
    free (self->triage.items);
    free (self->callbacks.items);
    free (self->starts.items);
    free (self->completes.items);
    free (self->acks.items);
    free (self);
    *self_p = NULL;
}

//  Polls until nothing is outstanding. Returns 0, or -1 after a stall.
static int
s_drain (chaos_load_t *self)
{
    while (chaos_client_outstanding (self->client, -1)) {
        chaos_client_poll (self->client, 50, s_on_reply, self);
        if (chaos_client_quiet_ms (self->client) > S_STALL_MS) {
            for (int s = 0; s < CHAOS_SERVICES; s++)
                if (chaos_client_outstanding (self->client, s))
                    chaos_report (self->faults, &self->faults->failures,
                                  "%s answered nothing for %d s (%zu requests waiting; log %s)",
                                  chaos_service_name (s), S_STALL_MS / 1000,
                                  chaos_client_outstanding (self->client, s),
                                  self->procs->proc [s].log_path);
            return -1;
        }
    }
    return 0;
}

int
chaos_load_setup (chaos_load_t *self)
{
    for (int number = 1; number <= S_LOCATIONS; number++)
        chaos_ops_location (self, number);
    for (int number = 1; number <= S_PROVIDERS; number++)
        chaos_ops_provider (self, number);
    //  Workers name the locations: those must exist first.
    if (s_drain (self))
        return -1;
    for (int number = 1; number <= S_WORKERS; number++)
        chaos_ops_worker_add (self);
    return s_drain (self);
}

//  Moves every clock one round on; absences whose end passed are over.
static void
s_move_clock (chaos_load_t *self, int64_t step)
{
    chaos_model_t *model = &self->model;
    model->clock += step;
    model->clock_moves++;
    for (size_t i = 0; i < model->worker_count; i++) {
        chaos_worker_t *worker = &model->workers [i];
        if (worker->absent && worker->absent_until && worker->absent_until <= model->clock) {
            worker->absent = false;
            worker->absent_until = 0;
        }
    }
    chaos_ops_clock (self, model->clock);
}

int
chaos_load_run (chaos_load_t *self, chaos_kill_t *kill)
{
    size_t commands = self->options.commands;
    size_t rounds = (commands + S_PER_ROUND - 1) / S_PER_ROUND;
    int64_t step = (int64_t) self->options.days * CF_USEC_PER_DAY / (int64_t) (rounds ? rounds : 1);
    //  Whole minutes (an absence ends at :17 s, never on a clock reading),
    //  and at most 5 days (below the 7 days stored replies are kept).
    step = step / CF_USEC_PER_MIN * CF_USEC_PER_MIN;
    if (step < CF_USEC_PER_MIN)
        step = CF_USEC_PER_MIN;
    if (step > 5 * CF_USEC_PER_DAY)
        step = 5 * CF_USEC_PER_DAY;
    size_t round_sent = 0;
    bool moving = false;
    int64_t finished_at = 0;
    int64_t report_at = zclock_mono () + 10000;
    while (true) {
        s_take_facts (self, self->notification, &self->notification_pos);
        s_take_facts (self, self->assignment, &self->assignment_pos);
        int misses = 0;
        while (!moving && self->model.sent < commands && round_sent < S_PER_ROUND && misses < 12) {
            if (chaos_ops_send_one (self)) {
                round_sent++;
                misses = 0;
            } else
                misses++;
        }
        chaos_client_poll (self->client, 10, s_on_reply, self);
        if (chaos_client_outstanding (self->client, -1) == 0) {
            if (moving) {
                moving = false;
                round_sent = 0;
            } else if (self->model.sent >= commands) {
                if (chaos_kill_done (kill))
                    break;
                if (!finished_at)
                    finished_at = zclock_mono ();
                if (zclock_mono () - finished_at > S_STALL_MS) {
                    chaos_report (self->faults, &self->faults->failures,
                                  "the load ended, the kills did not");
                    return -1;
                }
            } else if (round_sent >= S_PER_ROUND) {
                s_move_clock (self, step);
                moving = true;
            }
        } else if (chaos_client_quiet_ms (self->client) > S_STALL_MS)
            return s_drain (self);  //  reports which services went quiet
        if (zclock_mono () >= report_at) {
            char text [40];
            printf ("chaos: %zu of %zu commands answered, clock %s, %llu resent\n",
                    atomic_load (&self->progress), commands,
                    cf_time_format_date (self->model.clock, text, sizeof text),
                    (unsigned long long) chaos_client_resends (self->client));
            fflush (stdout);
            report_at = zclock_mono () + 10000;
        }
    }
    self->model.resends = chaos_client_resends (self->client);
    self->model.echoes = chaos_client_echoes (self->client);
    return 0;
}

atomic_size_t *
chaos_load_progress (chaos_load_t *self)
{
    return &self->progress;
}

chaos_model_t *
chaos_load_model (chaos_load_t *self)
{
    return &self->model;
}
