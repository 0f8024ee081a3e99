//  chaos_check: the end of a chaos run. Waits until everything settled,
//  then asks each service, through its queries, for every entity the
//  generator's record holds, and compares:
//
//  - intake: every acknowledged registration is a case with its resident,
//    channel, last acknowledged triage (urgency and reason), every
//    acknowledged callback (count and notes, in order) and closure;
//  - assignment: every case intake has is known to assignment with the same
//    status and worker (waiting ones on the waiting list), every worker's
//    caseload is exactly the cases intake shows with that worker, and every
//    acknowledged worker change, absence, return and departure holds;
//  - handover: every acknowledged step; each completed "continue" handover
//    became exactly one intake case, the others none;
//  - notification: each case that waited has its first callback reminder,
//    each urgent triage its alert (fallen due), each answered or
//    acknowledged reminder is acknowledged.
//
//  Missing is counted as lost, twice as duplicated, otherwise different as
//  mismatched (chaos.h).
#include "chaos_load.h"

#include "cf_testproc.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_SETTLE_MS 240000
#define OK          CASEFLOW__V1__STATUS__CODE__OK
#define NOT_FOUND   CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define ST(name)    CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name

//  What intake's case list says of one case.
typedef struct {
    char id [16];
    int status, urgency, closure;
    char worker [32];
    char handover [16];
} s_listed_t;

typedef struct {
    cf_api_client_t *clients [CHAOS_SERVICES];
    chaos_model_t *model;
    chaos_faults_t *faults;
    s_listed_t *listed;  //  every intake case, in id order
    size_t listed_count;
    size_t checked;
} s_check_t;

Caseflow__V1__Reply *
chaos_check_call (cf_api_client_t *client, Caseflow__V1__Request *request, int *code_p)
{
    request->request_id = "";
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, request, &rc);
    *code_p = reply ? (int) cf_api_reply_code (reply) : -1;
    if (reply && *code_p != OK) {
        caseflow__v1__reply__free_unpacked (reply, NULL);
        reply = NULL;
    }
    return reply;
}

static Caseflow__V1__Reply *
s_query (cf_api_client_t *client, Caseflow__V1__Query *query, int *code_p)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = query;
    return chaos_check_call (client, &request, code_p);
}

static Caseflow__V1__Reply *
s_status (cf_api_client_t *client)
{
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    int code;
    return s_query (client, &query, &code);
}

//  ------------------------------------------------------------- settling

//  Each upstream event is journaled once with its cursor: a service's
//  journal holds its own events and exactly `cursor` events of each
//  upstream, no more (an event consumed twice) and no fewer. And every
//  clock is where the generator last set it.
static void
s_check_journals (cf_api_client_t **clients, int64_t clock, chaos_faults_t *faults)
{
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        Caseflow__V1__Reply *reply = s_status (clients [s]);
        if (!reply) {
            chaos_report (faults, &faults->failures, "%s: no answer to the status query",
                          chaos_service_name (s));
            continue;
        }
        const Caseflow__V1__ServiceStatus *status = reply->query->status;
        if (!status->clock || status->clock->now != clock)
            chaos_report (faults, &faults->lost, "%s: the clock is not where it was last set",
                          chaos_service_name (s));
        uint64_t expected = status->last_seq;
        for (size_t u = 0; u < status->n_upstreams; u++)
            expected += status->upstreams [u]->cursor;
        if (status->journal_events != expected)
            chaos_report (faults,
                          status->journal_events > expected ? &faults->duplicated : &faults->lost,
                          "%s: %llu journal records, but %llu own events and upstream "
                          "cursors account for %llu",
                          chaos_service_name (s), (unsigned long long) status->journal_events,
                          (unsigned long long) status->last_seq, (unsigned long long) expected);
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
}

int
chaos_check_settle (chaos_procs_t *procs, chaos_follower_t *notification,
                    chaos_follower_t *assignment, int64_t clock, bool journals,
                    chaos_faults_t *faults)
{
    for (int s = 0; s < CHAOS_SERVICES; s++)
        if (!cf_testproc_wait_ready (&procs->proc [s], S_SETTLE_MS)) {
            chaos_report (faults, &faults->failures, "%s is not ready at the end (log %s)",
                          chaos_service_name (s), procs->proc [s].log_path);
            return -1;
        }
    cf_api_client_t *clients [CHAOS_SERVICES];
    for (int s = 0; s < CHAOS_SERVICES; s++)
        clients [s] = cf_api_client_new (procs->proc [s].api, 10000, 5);
    uint64_t previous [CHAOS_SERVICES] = { 0 };
    int stable = 0, rc = -1;
    char behind [256] = "";
    int64_t deadline = zclock_mono () + S_SETTLE_MS;
    while (zclock_mono () < deadline) {
        uint64_t heads [CHAOS_SERVICES] = { 0 };
        Caseflow__V1__Reply *replies [CHAOS_SERVICES] = { NULL };
        bool answered = true;
        for (int s = 0; s < CHAOS_SERVICES; s++) {
            replies [s] = s_status (clients [s]);
            answered = answered && replies [s];
            if (replies [s])
                heads [s] = replies [s]->query->status->last_seq;
        }
        //  Caught up: every subscriber's cursor at its producer's head,
        //  and both followers at the end of their streams.
        bool caught_up = answered;
        snprintf (behind, sizeof behind, "%s", answered ? "" : "a status query went unanswered");
        for (int s = 0; answered && s < CHAOS_SERVICES; s++) {
            const Caseflow__V1__ServiceStatus *status = replies [s]->query->status;
            for (size_t u = 0; u < status->n_upstreams; u++)
                for (int p = 0; p < CHAOS_SERVICES; p++)
                    if (strcmp (status->upstreams [u]->stream, chaos_service_name (p)) == 0
                        && status->upstreams [u]->cursor != heads [p]) {
                        caught_up = false;
                        snprintf (behind, sizeof behind, "%s at %s seq %llu of %llu",
                                  chaos_service_name (s), chaos_service_name (p),
                                  (unsigned long long) status->upstreams [u]->cursor,
                                  (unsigned long long) heads [p]);
                    }
        }
        if (chaos_follower_last_seq (notification) != heads [CHAOS_NOTIFICATION]
            || chaos_follower_last_seq (assignment) != heads [CHAOS_ASSIGNMENT]) {
            caught_up = false;
            snprintf (behind, sizeof behind, "a follower behind its stream");
        }
        for (int s = 0; s < CHAOS_SERVICES; s++)
            if (replies [s])
                caseflow__v1__reply__free_unpacked (replies [s], NULL);
        stable = caught_up && memcmp (heads, previous, sizeof heads) == 0 ? stable + 1 : 0;
        memcpy (previous, heads, sizeof heads);
        if (stable >= 3) {
            rc = 0;
            break;
        }
        zclock_sleep (300);
    }
    if (rc)
        chaos_report (faults, &faults->failures, "the services did not settle: %s", behind);
    else if (journals)
        s_check_journals (clients, clock, faults);
    for (int s = 0; s < CHAOS_SERVICES; s++)
        cf_api_client_destroy (&clients [s]);
    return rc;
}

//  --------------------------------------------------------------- intake

static Caseflow__V1__Reply *
s_intake_query (s_check_t *self, Caseflow__V1__Intake__Query *inner, int *code_p)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = inner;
    return s_query (self->clients [CHAOS_INTAKE], &query, code_p);
}

static void
s_list_intake (s_check_t *self)
{
    size_t cap = 0;
    char after [16] = "";
    while (true) {
        Caseflow__V1__Intake__ListCases list = CASEFLOW__V1__INTAKE__LIST_CASES__INIT;
        list.limit = 1000;
        list.after = after;
        Caseflow__V1__Intake__Query inner = CASEFLOW__V1__INTAKE__QUERY__INIT;
        inner.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_LIST_CASES;
        inner.list_cases = &list;
        int code;
        Caseflow__V1__Reply *reply = s_intake_query (self, &inner, &code);
        if (!reply) {
            chaos_report (self->faults, &self->faults->failures, "intake: list_cases: %d", code);
            return;
        }
        const Caseflow__V1__Intake__CaseList *cases = reply->query->intake->cases;
        for (size_t i = 0; i < cases->n_cases; i++) {
            if (self->listed_count == cap) {
                cap = cap ? cap * 2 : 4096;
                self->listed = realloc (self->listed, cap * sizeof *self->listed);
                assert (self->listed);
            }
            const Caseflow__V1__Intake__CaseView *view = cases->cases [i];
            s_listed_t *item = &self->listed [self->listed_count++];
            snprintf (item->id, sizeof item->id, "%s", view->case_id);
            item->status = view->status;
            item->urgency = view->urgency;
            item->closure = view->closure;
            snprintf (item->worker, sizeof item->worker, "%s", view->worker_id);
            snprintf (item->handover, sizeof item->handover, "%s", view->handover_id);
            zhashx_update (self->model->intake_status, item->id,
                           (void *) (uintptr_t) (item->status + 1));
        }
        snprintf (after, sizeof after, "%s", cases->next);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (!*after)
            return;
    }
}

//  One acknowledged case against intake's full view of it.
static void
s_check_case (s_check_t *self, const chaos_case_t *kase)
{
    chaos_faults_t *faults = self->faults;
    Caseflow__V1__Intake__GetCase get = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    get.case_id = (char *) kase->id;
    Caseflow__V1__Intake__Query inner = CASEFLOW__V1__INTAKE__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    inner.get_case = &get;
    int code;
    Caseflow__V1__Reply *reply = s_intake_query (self, &inner, &code);
    if (!reply) {
        chaos_report (faults, code == NOT_FOUND ? &faults->lost : &faults->failures,
                      "intake: case %s (%s) registered and acknowledged, but get_case "
                      "answers %d",
                      kase->id, kase->name, code);
        return;
    }
    const Caseflow__V1__Intake__CaseView *view = reply->query->intake->case_;
    //  An erased resident's case keeps every fact; its personal data and
    //  texts read "erased". An erasure acknowledged must show; one that
    //  shows was acknowledged (commands are resent until answered).
    if (kase->erased != view->erased)
        chaos_report (faults, kase->erased ? &faults->lost : &faults->mismatched,
                      "intake: case %s is%s erased, the erasure was%s acknowledged", kase->id,
                      view->erased ? "" : " not", kase->erased ? "" : " not");
    const char *name = view->erased ? "erased" : kase->name;
    if (!view->resident || strcmp (view->resident->name, name) != 0
        || (int) view->channel != kase->channel)
        chaos_report (faults, &faults->mismatched,
                      "intake: case %s is not the resident and channel registered", kase->id);
    if ((int) view->urgency != kase->urgency
        || (kase->urgency && !view->erased && strcmp (view->triage_reason, kase->reason) != 0))
        chaos_report (faults, &faults->lost,
                      "intake: case %s shows urgency %d \"%s\", the last acknowledged triage "
                      "was %d \"%s\"",
                      kase->id, view->urgency, view->triage_reason, kase->urgency, kase->reason);
    uint64_t hash = 0;
    for (size_t i = 0; i < view->n_callbacks; i++)
        hash = chaos_notes_hash (hash, view->callbacks [i]->note);
    if (view->erased)
        hash = kase->notes_hash;  //  the notes read "erased": their count still counts
    if ((int) view->n_callbacks != kase->callbacks || hash != kase->notes_hash)
        chaos_report (faults,
                      (int) view->n_callbacks < kase->callbacks   ? &faults->lost
                      : (int) view->n_callbacks > kase->callbacks ? &faults->duplicated
                                                                  : &faults->mismatched,
                      "intake: case %s has %zu callbacks, %d were acknowledged%s", kase->id,
                      view->n_callbacks, kase->callbacks,
                      (int) view->n_callbacks == kase->callbacks ? " (other notes)" : "");
    bool closed = view->status == ST (CLOSED);
    if (kase->closure && (!closed || (int) view->closure != kase->closure))
        chaos_report (faults, &faults->lost,
                      "intake: case %s is %d (closure %d), acknowledged closure %d", kase->id,
                      view->status, view->closure, kase->closure);
    if (!kase->closure && closed)
        chaos_report (faults, &faults->mismatched,
                      "intake: case %s is closed (closure %d) by nothing acknowledged", kase->id,
                      view->closure);
    if (!kase->urgency && !kase->closure && view->status != ST (REGISTERED))
        chaos_report (faults, &faults->mismatched, "intake: case %s was never triaged but is %d",
                      kase->id, view->status);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    self->checked++;
}

//  ----------------------------------------------------------- assignment

static Caseflow__V1__Reply *
s_assignment_query (s_check_t *self, Caseflow__V1__Assignment__Query *inner, int *code_p)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_ASSIGNMENT;
    query.assignment = inner;
    return s_query (self->clients [CHAOS_ASSIGNMENT], &query, code_p);
}

//  Intake's view of a case against assignment's.
static void
s_check_assignment (s_check_t *self, const s_listed_t *item)
{
    chaos_faults_t *faults = self->faults;
    Caseflow__V1__Assignment__GetAssignment get = CASEFLOW__V1__ASSIGNMENT__GET_ASSIGNMENT__INIT;
    get.case_id = (char *) item->id;
    Caseflow__V1__Assignment__Query inner = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_GET_ASSIGNMENT;
    inner.get_assignment = &get;
    int code;
    Caseflow__V1__Reply *reply = s_assignment_query (self, &inner, &code);
    if (!reply) {
        chaos_report (faults, code == NOT_FOUND ? &faults->lost : &faults->failures,
                      "assignment: intake's case %s (status %d) is unknown to assignment "
                      "(%d)",
                      item->id, item->status, code);
        return;
    }
    const Caseflow__V1__Assignment__AssignmentView *view = reply->query->assignment->case_;
    bool with_worker = item->status == ST (ASSIGNED) || item->status == ST (ACTIVE);
    bool waiting = item->status == ST (WAITING) || item->status == ST (URGENT);
    if ((int) view->status != item->status
        || (with_worker && strcmp (view->worker_id, item->worker) != 0))
        chaos_report (faults, &faults->mismatched,
                      "case %s: intake says status %d worker \"%s\", assignment %d \"%s\"",
                      item->id, item->status, item->worker, view->status, view->worker_id);
    else if (waiting && view->position == 0)
        chaos_report (faults, &faults->lost,
                      "assignment: case %s is %s at intake but not on the waiting list", item->id,
                      item->status == ST (URGENT) ? "urgent" : "waiting");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    self->checked++;
}

static size_t
s_cases_of (s_check_t *self, const char *worker)
{
    size_t count = 0;
    for (size_t i = 0; i < self->listed_count; i++) {
        const s_listed_t *item = &self->listed [i];
        if ((item->status == ST (ASSIGNED) || item->status == ST (ACTIVE))
            && strcmp (item->worker, worker) == 0)
            count++;
    }
    return count;
}

static void
s_check_workers (s_check_t *self)
{
    chaos_faults_t *faults = self->faults;
    Caseflow__V1__Assignment__ListWorkers list = CASEFLOW__V1__ASSIGNMENT__LIST_WORKERS__INIT;
    list.include_left = true;
    Caseflow__V1__Assignment__Query inner = CASEFLOW__V1__ASSIGNMENT__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__ASSIGNMENT__QUERY__BODY_LIST_WORKERS;
    inner.list_workers = &list;
    int code;
    Caseflow__V1__Reply *reply = s_assignment_query (self, &inner, &code);
    if (!reply) {
        chaos_report (faults, &faults->failures, "assignment: list_workers answers %d", code);
        return;
    }
    const Caseflow__V1__Assignment__WorkerList *workers = reply->query->assignment->workers;
    for (size_t w = 0; w < self->model->worker_count; w++) {
        const chaos_worker_t *worker = &self->model->workers [w];
        const Caseflow__V1__Assignment__WorkerView *view = NULL;
        for (size_t i = 0; i < workers->n_workers && !view; i++)
            if (strcmp (workers->workers [i]->worker_id, worker->id) == 0)
                view = workers->workers [i];
        if (!worker->added)
            continue;
        self->checked++;
        if (!view) {
            chaos_report (faults, &faults->lost, "assignment: worker %s is missing", worker->id);
            continue;
        }
        if (view->fte_milli != worker->fte_milli || view->max_caseload != worker->max_caseload
            || view->left != worker->left || view->absent != worker->absent)
            chaos_report (faults, &faults->lost,
                          "assignment: worker %s has fte %u, limit %u, left %d, absent %d; "
                          "acknowledged: %u, %u, %d, %d",
                          worker->id, view->fte_milli, view->max_caseload, view->left, view->absent,
                          worker->fte_milli, worker->max_caseload, worker->left, worker->absent);
        size_t expected = s_cases_of (self, worker->id);
        if (view->caseload != expected || view->n_cases != expected)
            chaos_report (faults, &faults->mismatched,
                          "assignment: worker %s has %u cases, intake shows %zu with them",
                          worker->id, view->caseload, expected);
    }
    if (workers->n_workers != self->model->worker_count)
        chaos_report (faults, &faults->mismatched, "assignment: %zu workers, %zu were added",
                      workers->n_workers, self->model->worker_count);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  ------------------------------------------------------------- handover

static Caseflow__V1__Reply *
s_handover_query (s_check_t *self, Caseflow__V1__Handover__Query *inner, int *code_p)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = inner;
    return s_query (self->clients [CHAOS_HANDOVER], &query, code_p);
}

//  Every handover the service has was acknowledged to the generator, or
//  made by a publisher's announcement.
static void
s_check_handover_list (s_check_t *self)
{
    zhashx_t *known = zhashx_new ();
    assert (known);
    for (size_t h = 0; h < self->model->handover_count; h++)
        if (self->model->handovers [h].state)
            zhashx_insert (known, self->model->handovers [h].id, (void *) 1);
    //  And those the publishers' announcements made (chaos_inbound.c).
    for (void *item = zhashx_first (self->model->inbound_handovers); item;
         item = zhashx_next (self->model->inbound_handovers))
        zhashx_insert (known, zhashx_cursor (self->model->inbound_handovers), (void *) 1);
    char after [16] = "";
    do {
        Caseflow__V1__Handover__ListHandovers list = CASEFLOW__V1__HANDOVER__LIST_HANDOVERS__INIT;
        list.limit = 1000;
        list.after = after;
        Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
        inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_LIST_HANDOVERS;
        inner.list_handovers = &list;
        int code;
        Caseflow__V1__Reply *reply = s_handover_query (self, &inner, &code);
        if (!reply) {
            chaos_report (self->faults, &self->faults->failures,
                          "handover: list_handovers answers %d", code);
            break;
        }
        const Caseflow__V1__Handover__HandoverList *handovers = reply->query->handover->handovers;
        for (size_t i = 0; i < handovers->n_handovers; i++)
            if (!zhashx_lookup (known, handovers->handovers [i]->handover_id))
                chaos_report (self->faults, &self->faults->duplicated,
                              "handover: %s was never acknowledged to the generator",
                              handovers->handovers [i]->handover_id);
        snprintf (after, sizeof after, "%s", handovers->next);
        caseflow__v1__reply__free_unpacked (reply, NULL);
    } while (*after);
    zhashx_destroy (&known);
}

static void
s_check_handovers (s_check_t *self)
{
    chaos_faults_t *faults = self->faults;
    s_check_handover_list (self);
    for (size_t h = 0; h < self->model->handover_count; h++) {
        const chaos_handover_t *handover = &self->model->handovers [h];
        if (!handover->state)
            continue;
        Caseflow__V1__Handover__GetHandover get = CASEFLOW__V1__HANDOVER__GET_HANDOVER__INIT;
        get.handover_id = (char *) handover->id;
        Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
        inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_HANDOVER;
        inner.get_handover = &get;
        int code;
        Caseflow__V1__Reply *reply = s_handover_query (self, &inner, &code);
        self->checked++;
        if (!reply) {
            chaos_report (faults, code == NOT_FOUND ? &faults->lost : &faults->failures,
                          "handover: %s (%s) was acknowledged, get_handover answers %d",
                          handover->id, handover->name, code);
            continue;
        }
        const Caseflow__V1__Handover__HandoverView *view = reply->query->handover->handover;
        if ((int) view->state != handover->state
            || (handover->next_step && (int) view->next_step != handover->next_step)
            || view->files_waived != handover->files || !view->resident
            || strcmp (view->resident->name, handover->name) != 0)
            chaos_report (faults, &faults->lost,
                          "handover: %s is in state %d (next step %d, files %d), "
                          "acknowledged %d (%d, %d)",
                          handover->id, view->state, view->next_step, view->files_waived,
                          handover->state, handover->next_step, handover->files);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        //  What intake made of it.
        size_t cases = 0;
        for (size_t i = 0; i < self->listed_count; i++)
            cases += strcmp (self->listed [i].handover, handover->id) == 0;
        bool continues =
            handover->state == CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_COMPLETED
            && handover->next_step == CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
        if (continues && cases != 1)
            chaos_report (faults, cases ? &faults->duplicated : &faults->lost,
                          "intake: completed handover %s (continue) became %zu cases", handover->id,
                          cases);
        if (!continues && cases)
            chaos_report (faults, &faults->mismatched,
                          "intake: handover %s (state %d, next step %d) became %zu cases",
                          handover->id, handover->state, handover->next_step, cases);
    }
}

//  ---------------------------------------------------------- notification

//  The reminder's status, 0 when notification does not know it, -1 when
//  the query failed.
static int
s_reminder_status (s_check_t *self, const char *reminder_id)
{
    Caseflow__V1__Notification__GetReminder get = CASEFLOW__V1__NOTIFICATION__GET_REMINDER__INIT;
    get.reminder_id = (char *) reminder_id;
    Caseflow__V1__Notification__Query inner = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_GET_REMINDER;
    inner.get_reminder = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
    query.notification = &inner;
    int code;
    Caseflow__V1__Reply *reply = s_query (self->clients [CHAOS_NOTIFICATION], &query, &code);
    if (!reply)
        return code == NOT_FOUND ? 0 : -1;
    int status = reply->query->notification->reminder->status;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    self->checked++;
    return status;
}

#define REMINDER(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name

static void
s_check_reminders (s_check_t *self)
{
    chaos_faults_t *faults = self->faults;
    for (size_t i = 0; i < self->model->case_count; i++) {
        const chaos_case_t *kase = &self->model->cases [i];
        if (!kase->registered || !kase->ever_waiting)
            continue;
        char id [80];
        snprintf (id, sizeof id, "callback/%s/1", kase->id);
        int status = s_reminder_status (self, id);
        if (status <= 0)
            chaos_report (faults, status ? &faults->failures : &faults->lost,
                          "notification: case %s waited, but it has no reminder %s", kase->id, id);
    }
    zhashx_t *sets [2] = { self->model->urgent_alerts, self->model->acknowledged };
    for (int set = 0; set < 2; set++)
        for (void *item = zhashx_first (sets [set]); item; item = zhashx_next (sets [set])) {
            const char *id = zhashx_cursor (sets [set]);
            int status = s_reminder_status (self, id);
            bool fell_due = status == REMINDER (DUE) || status == REMINDER (ACKNOWLEDGED);
            if (set == 0 ? !fell_due : status != REMINDER (ACKNOWLEDGED))
                chaos_report (faults, status < 0 ? &faults->failures : &faults->lost,
                              "notification: reminder %s is %s (status %d), expected %s", id,
                              status ? "there" : "missing", status,
                              set == 0 ? "fallen due" : "acknowledged");
        }
}

size_t
chaos_check_state (chaos_procs_t *procs, chaos_model_t *model, chaos_faults_t *faults)
{
    s_check_t self = { .model = model, .faults = faults };
    if (!model->intake_status)
        model->intake_status = zhashx_new ();
    assert (model->intake_status);
    for (int s = 0; s < CHAOS_SERVICES; s++)
        self.clients [s] = cf_api_client_new (procs->proc [s].api, 10000, 5);
    s_list_intake (&self);
    for (size_t i = 0; i < model->case_count; i++)
        if (model->cases [i].registered)
            s_check_case (&self, &model->cases [i]);
    for (size_t i = 0; i < self.listed_count; i++) {
        const s_listed_t *item = &self.listed [i];
        //  A registration acted on twice (a retry not recognised) leaves a
        //  case nobody was told about (a referral's case is the
        //  publisher's, chaos_inbound.c).
        if (!*item->handover && !zhashx_lookup (model->case_index, item->id)
            && !zhashx_lookup (model->inbound_cases, item->id))
            chaos_report (faults, &faults->duplicated,
                          "intake: case %s was never acknowledged to the generator", item->id);
        s_check_assignment (&self, item);
    }
    s_check_workers (&self);
    s_check_handovers (&self);
    s_check_reminders (&self);
    for (int s = 0; s < CHAOS_SERVICES; s++)
        cf_api_client_destroy (&self.clients [s]);
    free (self.listed);
    return self.checked;
}
