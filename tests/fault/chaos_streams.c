//  chaos_streams: reads the five streams from seq 1 through replay, as any
//  late consumer would, and checks what only the streams can show:
//
//  - every stream's seqs run 1, 2, 3 … without a gap or repeat;
//  - no decision was applied twice: no two events of one stream with the
//    same type, cause (causation id: the command's request id or the
//    upstream event's id) and subject (case, worker, handover, reminder);
//  - assignment: each CaseAssigned finds the case without a worker, or is
//    a reassignment naming the worker it had (a decision applied twice
//    would assign a case that already has one); nothing after completion;
//  - intake: one CaseRegistered per case id and per handover id;
//  - notification: each reminder id falls due at most once in the stream,
//    each that did reached the following consumer exactly once, and every
//    reminder scheduled to fall due by the final clock reading did;
//  - both followers saw every seq of their stream once, in order.
#include "chaos_load.h"

#include "cf_event.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    chaos_faults_t *faults;
    chaos_model_t *model;
    const char *stream;
    uint64_t next;         //  the seq the walk expects next
    zhashx_t *decisions;   //  type|cause|subject
    zhashx_t *workers;     //  assignment: case -> its worker ("" none, "#" completed)
    zhashx_t *registered;  //  intake: case ids and handover ids registered
    zhashx_t *reminders;   //  notification: id -> s_reminder_t
    zhashx_t *receipts;    //  seq -> request id of the acknowledged command
    size_t assignments, reassignments, dues;
} s_walk_t;

typedef struct {
    int64_t due_at;
    bool pending;
    size_t dues;
} s_reminder_t;

static zhashx_t *
s_strings (void)
{
    zhashx_t *hash = zhashx_new ();
    assert (hash);
    zhashx_set_duplicator (hash, chaos_string_dup);
    zhashx_set_destructor (hash, chaos_item_free);
    return hash;
}

//  What an event is about: its reminder, handover, worker, location or
//  provider where it has one, else its case.
static const char *
s_subject (const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED:
            return event->reminder_scheduled->reminder
                       ? event->reminder_scheduled->reminder->reminder_id
                       : "";
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE:
            return event->reminder_due->reminder ? event->reminder_due->reminder->reminder_id : "";
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            return event->reminder_cancelled->reminder_id;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
            return event->reminder_acknowledged->reminder_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_JOINED: return event->worker_joined->worker_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_CHANGED: return event->worker_changed->worker_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT: return event->worker_absent->worker_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED:
            return event->worker_absence_started->worker_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED: return event->worker_returned->worker_id;
        case CASEFLOW__V1__EVENT__BODY_WORKER_LEFT: return event->worker_left->worker_id;
        case CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED: return event->location_added->location_id;
        case CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED: return event->provider_added->provider_id;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            return event->handover_announced->handover_id;
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED: return event->meeting_planned->handover_id;
        case CASEFLOW__V1__EVENT__BODY_MEETING_HELD: return event->meeting_held->handover_id;
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED:
            return event->next_step_decided->handover_id;
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            return event->files_transferred->handover_id;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            return event->handover_completed->handover_id;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            return event->handover_cancelled->handover_id;
        default: return event->case_id;
    }
}

static void
s_decision (s_walk_t *self, const Caseflow__V1__Event *event)
{
    //  Start-up decisions (a fill after replay) have no cause to compare.
    if (!*event->causation_id)
        return;
    char key [320];
    snprintf (key, sizeof key, "%d|%s|%s", (int) event->body_case, event->causation_id,
              s_subject (event));
    if (zhashx_insert (self->decisions, key, (void *) 1) != 0)
        chaos_report (self->faults, &self->faults->duplicated,
                      "%s seq %llu: %s for %s caused by %s, a second time", self->stream,
                      (unsigned long long) event->seq, cf_event_type_name (event),
                      s_subject (event), event->causation_id);
}

//  An acknowledged command's last event must be where its reply said.
static void
s_receipt (s_walk_t *self, const Caseflow__V1__Event *event)
{
    char seq [24];
    snprintf (seq, sizeof seq, "%llu", (unsigned long long) event->seq);
    const char *request_id = zhashx_lookup (self->receipts, seq);
    if (!request_id)
        return;
    if (strcmp (request_id, event->causation_id) != 0)
        chaos_report (self->faults, &self->faults->lost,
                      "%s seq %llu: request %s was acknowledged with this seq, but the event "
                      "here is a %s caused by \"%s\"",
                      self->stream, (unsigned long long) event->seq, request_id,
                      cf_event_type_name (event), event->causation_id);
    zhashx_delete (self->receipts, seq);
}

//  The receipts of `service`'s stream.
static void
s_load_receipts (s_walk_t *self, int service)
{
    self->receipts = s_strings ();
    for (size_t i = 0; i < self->model->receipt_count; i++) {
        const chaos_receipt_t *receipt = &self->model->receipts [i];
        if (receipt->service != service)
            continue;
        char seq [24];
        snprintf (seq, sizeof seq, "%llu", (unsigned long long) receipt->seq);
        if (zhashx_insert (self->receipts, seq, (void *) receipt->request_id) != 0)
            chaos_report (self->faults, &self->faults->duplicated,
                          "%s: requests %s and %s were both acknowledged with seq %s",
                          chaos_service_name (service), receipt->request_id,
                          (const char *) zhashx_lookup (self->receipts, seq), seq);
    }
}

//  Receipts left after the walk name seqs the stream does not have.
static void
s_check_receipts (s_walk_t *self)
{
    for (const char *request_id = zhashx_first (self->receipts); request_id;
         request_id = zhashx_next (self->receipts))
        chaos_report (self->faults, &self->faults->lost,
                      "%s: request %s was acknowledged with seq %s, past the stream's end",
                      self->stream, request_id, (const char *) zhashx_cursor (self->receipts));
    zhashx_destroy (&self->receipts);
}

//  ------------------------------------------------------------ per stream

static void
s_assignment_event (s_walk_t *self, const Caseflow__V1__Event *event)
{
    const char *case_id = NULL, *worker = "";
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED)
        case_id = event->case_assigned->case_id, worker = event->case_assigned->worker_id;
    else if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED)
        case_id = event->case_unassigned->case_id;
    else if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED)
        case_id = event->case_completed->case_id, worker = "#";
    if (!case_id)
        return;
    const char *had = zhashx_lookup (self->workers, case_id);
    had = had ? had : "";
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED) {
        const char *previous = event->case_assigned->previous_worker;
        self->assignments++;
        self->reassignments += *previous != 0;
        if (strcmp (had, "#") == 0 || (*had && strcmp (previous, had) != 0)
            || strcmp (had, worker) == 0)
            chaos_report (self->faults, &self->faults->duplicated,
                          "assignment seq %llu: case %s assigned to %s (previous \"%s\") "
                          "while it had \"%s\"",
                          (unsigned long long) event->seq, case_id, worker, previous, had);
    } else if (!*had || strcmp (had, "#") == 0)
        chaos_report (self->faults, &self->faults->duplicated,
                      "assignment seq %llu: %s for case %s, which had no worker",
                      (unsigned long long) event->seq, cf_event_type_name (event), case_id);
    zhashx_update (self->workers, case_id, (void *) worker);
}

static void
s_intake_event (s_walk_t *self, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED)
        return;
    const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    char key [80];
    snprintf (key, sizeof key, "case %s", body->case_id);
    if (zhashx_insert (self->registered, key, "") != 0)
        chaos_report (self->faults, &self->faults->duplicated,
                      "intake seq %llu: case %s registered a second time",
                      (unsigned long long) event->seq, body->case_id);
    snprintf (key, sizeof key, "handover %s", body->handover_id);
    if (*body->handover_id && zhashx_insert (self->registered, key, "") != 0)
        chaos_report (self->faults, &self->faults->duplicated,
                      "intake seq %llu: handover %s became a second case (%s)",
                      (unsigned long long) event->seq, body->handover_id, body->case_id);
}

static s_reminder_t *
s_reminder (s_walk_t *self, const char *id)
{
    s_reminder_t *reminder = zhashx_lookup (self->reminders, id);
    if (!reminder) {
        reminder = calloc (1, sizeof *reminder);
        assert (reminder);
        zhashx_insert (self->reminders, id, reminder);
    }
    return reminder;
}

static void
s_notification_event (s_walk_t *self, const Caseflow__V1__Event *event)
{
    const char *id = s_subject (event);
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED: {
            s_reminder_t *reminder = s_reminder (self, id);
            reminder->pending = true;
            reminder->due_at = event->reminder_scheduled->reminder->due_at;
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED:
            s_reminder (self, id)->pending = false;
            break;
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE: {
            s_reminder_t *reminder = s_reminder (self, id);
            reminder->pending = false;
            self->dues++;
            if (++reminder->dues == 2)
                chaos_report (self->faults, &self->faults->duplicated,
                              "notification seq %llu: reminder %s fell due a second time",
                              (unsigned long long) event->seq, id);
            break;
        }
        default: break;
    }
}

size_t
chaos_replay (const char *endpoint, const char *stream, chaos_event_fn *fn, void *ctx,
              chaos_faults_t *faults)
{
    cf_api_client_t *client = cf_api_client_new (endpoint, 20000, 5);
    assert (client);
    uint64_t from = 1;
    size_t events = 0;
    bool done = false;
    while (!done) {
        Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
        replay.stream = (char *) stream;
        replay.from_seq = from;
        replay.max_events = 5000;
        Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
        request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
        request.replay = &replay;
        int code;
        Caseflow__V1__Reply *reply = chaos_check_call (client, &request, &code);
        if (!reply || !reply->replay) {
            chaos_report (faults, &faults->failures, "%s: replay from seq %llu answers %d", stream,
                          (unsigned long long) from, code);
            if (reply)
                caseflow__v1__reply__free_unpacked (reply, NULL);
            break;
        }
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++) {
            from = batch->events [i]->seq + 1;
            events++;
            fn (ctx, batch->events [i]);
        }
        done = batch->n_events == 0 || from > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    cf_api_client_destroy (&client);
    return events;
}

//  Checks one event of the stream being walked.
static void
s_walk_event (void *ctx, const Caseflow__V1__Event *event)
{
    s_walk_t *self = ctx;
    if (event->seq != self->next || strcmp (event->stream, self->stream) != 0)
        chaos_report (self->faults, &self->faults->mismatched,
                      "%s: replay gave seq %llu of %s where seq %llu belongs", self->stream,
                      (unsigned long long) event->seq, event->stream,
                      (unsigned long long) self->next);
    self->next = event->seq + 1;
    s_decision (self, event);
    s_receipt (self, event);
    if (strcmp (self->stream, "assignment") == 0)
        s_assignment_event (self, event);
    else if (strcmp (self->stream, "intake") == 0)
        s_intake_event (self, event);
    else if (strcmp (self->stream, "notification") == 0)
        s_notification_event (self, event);
}

//  ------------------------------------------------------------ followers

static void
s_check_follower (s_walk_t *self, chaos_follower_t *follower, const char *stream, uint64_t head)
{
    uint64_t last = chaos_follower_last_seq (follower);
    uint64_t delivered = chaos_follower_delivered (follower);
    uint64_t disorder = chaos_follower_out_of_order (follower);
    if (last != head || delivered != head || disorder)
        chaos_report (self->faults,
                      delivered > head ? &self->faults->duplicated : &self->faults->lost,
                      "the %s follower got %llu deliveries up to seq %llu (%llu out of "
                      "order); the stream has %llu",
                      stream, (unsigned long long) delivered, (unsigned long long) last,
                      (unsigned long long) disorder, (unsigned long long) head);
}

//  Notification followed every case's status: a waiting case has exactly
//  one pending callback, any other none.
static void
s_check_callbacks (s_walk_t *self)
{
    if (!self->model->intake_status)
        return;
    zhashx_t *pending = zhashx_new ();
    assert (pending);
    for (s_reminder_t *reminder = zhashx_first (self->reminders); reminder;
         reminder = zhashx_next (self->reminders)) {
        const char *id = zhashx_cursor (self->reminders);
        char case_id [32];
        if (!reminder->pending || sscanf (id, "callback/%31[^/]/", case_id) != 1)
            continue;
        uintptr_t count = (uintptr_t) zhashx_lookup (pending, case_id);
        zhashx_update (pending, case_id, (void *) (count + 1));
    }
    zhashx_t *statuses = self->model->intake_status;
    for (void *item = zhashx_first (statuses); item; item = zhashx_next (statuses)) {
        const char *case_id = zhashx_cursor (statuses);
        int status = (int) ((uintptr_t) item - 1);
        size_t count = (size_t) (uintptr_t) zhashx_lookup (pending, case_id);
        size_t expected = status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
        if (count != expected)
            chaos_report (self->faults,
                          count > expected ? &self->faults->mismatched : &self->faults->lost,
                          "notification: case %s (intake status %d) has %zu pending callbacks, "
                          "expected %zu",
                          case_id, status, count, expected);
    }
    zhashx_destroy (&pending);
}

static void
s_check_reminders (s_walk_t *self, chaos_follower_t *follower)
{
    for (s_reminder_t *reminder = zhashx_first (self->reminders); reminder;
         reminder = zhashx_next (self->reminders)) {
        const char *id = zhashx_cursor (self->reminders);
        if (reminder->pending && reminder->due_at <= self->model->clock)
            chaos_report (self->faults, &self->faults->lost,
                          "notification: reminder %s was due by the clock but never fell due", id);
        size_t times = chaos_follower_times (follower, id);
        if (reminder->dues && times != 1)
            chaos_report (self->faults, times ? &self->faults->duplicated : &self->faults->lost,
                          "the notification follower got reminder %s %zu times", id, times);
    }
    s_check_callbacks (self);
    zlistx_t *delivered = chaos_follower_reminder_ids (follower);
    for (const char *id = zlistx_first (delivered); id; id = zlistx_next (delivered)) {
        s_reminder_t *reminder = zhashx_lookup (self->reminders, id);
        if (!reminder || !reminder->dues)
            chaos_report (self->faults, &self->faults->mismatched,
                          "the notification follower got reminder %s, which never fell due "
                          "in the stream",
                          id);
    }
    zlistx_destroy (&delivered);
    for (void *item = zhashx_first (self->model->urgent_alerts); item;
         item = zhashx_next (self->model->urgent_alerts)) {
        const char *id = zhashx_cursor (self->model->urgent_alerts);
        if (chaos_follower_times (follower, id) != 1)
            chaos_report (self->faults, &self->faults->lost,
                          "urgent alert %s reached the follower %zu times", id,
                          chaos_follower_times (follower, id));
    }
}

size_t
chaos_check_streams (chaos_procs_t *procs, chaos_model_t *model, chaos_follower_t *notification,
                     chaos_follower_t *assignment, chaos_faults_t *faults)
{
    s_walk_t self = { .faults = faults, .model = model };
    self.workers = s_strings ();
    self.registered = s_strings ();
    self.reminders = zhashx_new ();
    assert (self.reminders);
    zhashx_set_destructor (self.reminders, chaos_item_free);
    size_t events = 0;
    uint64_t heads [CHAOS_SERVICES] = { 0 };
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        //  Decisions are unique per stream: each stream has a table.
        self.decisions = zhashx_new ();
        assert (self.decisions);
        s_load_receipts (&self, s);
        self.stream = chaos_service_name (s);
        self.next = 1;
        heads [s] = chaos_replay (procs->proc [s].api, self.stream, s_walk_event, &self, faults);
        s_check_receipts (&self);
        events += heads [s];
        zhashx_destroy (&self.decisions);
    }
    s_check_follower (&self, notification, "notification", heads [CHAOS_NOTIFICATION]);
    s_check_follower (&self, assignment, "assignment", heads [CHAOS_ASSIGNMENT]);
    s_check_reminders (&self, notification);
    printf ("chaos: streams: handover %llu, intake %llu, assignment %llu (%zu assignments, "
            "%zu of them reassignments), notification %llu (%zu reminders fell due) events\n",
            (unsigned long long) heads [CHAOS_HANDOVER], (unsigned long long) heads [CHAOS_INTAKE],
            (unsigned long long) heads [CHAOS_ASSIGNMENT], self.assignments, self.reassignments,
            (unsigned long long) heads [CHAOS_NOTIFICATION], self.dues);
    fflush (stdout);
    zhashx_destroy (&self.workers);
    zhashx_destroy (&self.registered);
    zhashx_destroy (&self.reminders);
    return events;
}
