//  assignment_state: the state, its lookups, and apply (see the header).
//
//  Apply follows two streams. Intake's events bring the facts about cases
//  (registered with domains, location, areas and a preferred worker;
//  triaged; more domains; closed); a first triage puts the case on the
//  waiting list, urgent or not, because until a CaseAssigned says
//  otherwise that is where an unassigned case is. Own events are the
//  roster and the policy's decisions. Upstream events that do not fit the
//  state (unknown case, malformed) are ignored, never trusted: protobuf-c
//  accepts many byte strings as messages.
#include "assignment_state.h"

#include "assignment_lifecycle.h"
#include "cf_streams.h"
#include "cf_id.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  ------------------------------------------------------------- helpers

static char *
s_strdup_or_null (const char *text)
{
    if (!text || !*text)
        return NULL;
    char *copy = strdup (text);
    assert (copy);
    return copy;
}

//  The state's one copy of `text`, or NULL for none or "".
static const char *
s_pooled_or_null (assignment_state_t *self, const char *text)
{
    return text && *text ? cf_strings_intern (self->texts, text) : NULL;
}

//  ------------------------------------------------------------ lifecycle

static void
s_case_free (void *item)
{
    assignment_case_t *kase = item;
    free (kase->preferred_worker);
    free (kase->previous_worker);
    free (kase->outcome);
    free (kase->history);
    free (kase);
}

assignment_state_t *
assignment_state_new (const assignment_config_t *config)
{
    assignment_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->config = *config;
    self->cases = cf_hash_new ();
    cf_hash_set_destructor (self->cases, s_case_free);
    self->texts = cf_strings_new ();
    self->location_names = zhashx_new ();
    assert (self->location_names);
    return self;
}

void
assignment_state_destroy (assignment_state_t **self_p)
{
    assert (self_p);
    assignment_state_t *self = *self_p;
    if (!self)
        return;
    assignment_state_roster_free (self);
    cf_hash_destroy (&self->cases);
    cf_strings_destroy (&self->texts);
    zhashx_destroy (&self->location_names);
    free (self->location_ids);
    assignment_waiting_free (&self->waiting);
    free (self);
    *self_p = NULL;
}

//  ------------------------------------------------------------- lookups

assignment_case_t *
assignment_state_case (assignment_state_t *self, const char *id)
{
    if (!id)
        return NULL;
    if (self->last_case && strcmp (self->last_case->id, id) == 0)
        return self->last_case;
    assignment_case_t *kase = cf_hash_lookup (self->cases, id);
    if (kase)
        self->last_case = kase;
    return kase;
}

uint32_t
assignment_capacity (const assignment_state_t *self, const assignment_worker_t *worker)
{
    if (worker->max_caseload)
        return worker->max_caseload;
    uint64_t limit = (uint64_t) self->config.caseload_per_fte * worker->fte_milli / 1000;
    return limit ? (uint32_t) limit : 1;
}

bool
assignment_serves (const assignment_worker_t *worker, const assignment_case_t *kase)
{
    if (kase->location_id < 0 && kase->n_areas == 0)
        return true;
    for (size_t i = 0; i < worker->n_locations; i++) {
        int location_id = worker->location_ids [i];
        if (location_id == kase->location_id)
            return true;
        for (uint32_t k = 0; k < kase->n_areas; k++)
            if (kase->area_ids [k] == location_id)
                return true;
    }
    return false;
}

bool
assignment_matches (const assignment_worker_t *worker, const assignment_case_t *kase)
{
    return (worker->expertise_mask & kase->domain_mask) && assignment_serves (worker, kase);
}

assignment_worker_t *
assignment_continuity_worker (assignment_state_t *self, const assignment_case_t *kase)
{
    if (kase->preferred_worker) {
        assignment_worker_t *worker = assignment_state_worker (self, kase->preferred_worker);
        if (worker)
            return worker;
    }
    return kase->previous_worker ? assignment_state_worker (self, kase->previous_worker) : NULL;
}

//  --------------------------------------------------- applying: the cases

static void
s_history_add (assignment_state_t *self, assignment_case_t *kase, const Caseflow__V1__Event *event,
               Caseflow__V1__Assignment__HistoryKind kind, const char *worker_id,
               Caseflow__V1__Assignment__AssignmentRule rule,
               Caseflow__V1__Assignment__AssignmentTrigger trigger, const char *reason,
               bool over_limit)
{
    if (kase->n_history == kase->cap_history) {
        //  Most cases see two or three entries: start small.
        kase->cap_history = kase->cap_history ? kase->cap_history * 2 : 2;
        kase->history = realloc (kase->history, kase->cap_history * sizeof *kase->history);
        assert (kase->history);
    }
    kase->history [kase->n_history++] = (assignment_history_t){
        .at = event->occurred_at,
        .seq = event->seq,
        .kind = kind,
        .worker_id = s_pooled_or_null (self, worker_id),
        .rule = rule,
        .trigger = trigger,
        .reason = s_pooled_or_null (self, reason),
        .over_limit = over_limit,
    };
}

static void
s_worker_add_case (assignment_worker_t *worker, assignment_case_t *kase)
{
    if (worker->n_cases == worker->cap_cases) {
        worker->cap_cases = worker->cap_cases ? worker->cap_cases * 2 : 16;
        worker->cases = realloc (worker->cases, worker->cap_cases * sizeof *worker->cases);
        assert (worker->cases);
    }
    worker->cases [worker->n_cases++] = kase;
}

static void
s_worker_remove_case (assignment_worker_t *worker, assignment_case_t *kase)
{
    for (size_t i = 0; i < worker->n_cases; i++)
        if (worker->cases [i] == kase) {
            worker->cases [i] = worker->cases [--worker->n_cases];
            return;
        }
    assert (false);
}

//  Takes the case off the waiting list or away from its worker.
static void
s_case_detach (assignment_state_t *self, assignment_case_t *kase)
{
    if (kase->waiting)
        assignment_waiting_remove (&self->waiting, kase);
    if (assignment_case_has_worker (kase) && kase->worker)
        s_worker_remove_case (kase->worker, kase);
}

static void
s_case_queue (assignment_state_t *self, assignment_case_t *kase)
{
    kase->status =
        kase->urgency == ASSIGNMENT_URGENT ? ASSIGNMENT_ST_URGENT : ASSIGNMENT_ST_WAITING;
    assignment_waiting_insert (&self->waiting, kase);
}

//  A registration whose areas are not all location ids is malformed and
//  ignored, like one without a case id: dropping the odd area instead
//  would widen the case's reach (no areas left: every worker).
static int
s_apply_registered (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    if (!cf_id_valid (body->case_id) || cf_hash_lookup (self->cases, body->case_id))
        return -1;
    for (size_t i = 0; i < body->n_areas; i++)
        if (!cf_id_valid (body->areas [i]))
            return -1;
    //  One block per case: the struct, its areas, then its id.
    uint32_t n_areas = (uint32_t) body->n_areas;
    size_t id_size = strlen (body->case_id) + 1;
    assignment_case_t *kase = calloc (1, sizeof *kase + n_areas * sizeof (int) + id_size);
    assert (kase);
    kase->n_areas = n_areas;
    kase->id = memcpy ((char *) (kase->area_ids + n_areas), body->case_id, id_size);
    kase->status = ASSIGNMENT_ST_REGISTERED;
    kase->channel = body->channel;
    kase->domain_mask = assignment_domain_mask (body->domains, body->n_domains);
    kase->location = s_pooled_or_null (self, body->location);
    kase->location_id =
        kase->location ? assignment_state_location_index (self, kase->location) : -1;
    for (uint32_t i = 0; i < n_areas; i++)
        kase->area_ids [i] = assignment_state_location_index (self, body->areas [i]);
    kase->preferred_worker = s_strdup_or_null (body->preferred_worker);
    kase->registered_at = event->occurred_at;
    cf_hash_insert (self->cases, kase->id, kase);
    self->last_case = kase;
    return 0;
}

static int
s_apply_question_added (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    if (!kase || kase->status == ASSIGNMENT_ST_CLOSED)
        return -1;
    kase->domain_mask |= assignment_domain_mask (body->domains, body->n_domains);
    return 0;
}

static int
s_apply_triaged (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    //  A triage the case table does not allow (of a closed case) is not for
    //  assignment.
    if (!kase || (body->urgency != ASSIGNMENT_REGULAR && body->urgency != ASSIGNMENT_URGENT)
        || assignment_lifecycle_case_next (
            kase->status, assignment_lifecycle_triage_action (body->urgency), NULL))
        return -1;
    if (kase->status == ASSIGNMENT_ST_REGISTERED) {
        kase->urgency = body->urgency;
        kase->triaged_at = event->occurred_at;
        s_case_queue (self, kase);
        s_history_add (self, kase, event, ASSIGNMENT_HISTORY_QUEUED, NULL, 0, 0, body->reason,
                       false);
    } else if (kase->waiting) {
        //  Re-triage of a waiting case: it moves to its new place (the
        //  first triage time stays: a re-triage never sends anyone back).
        assignment_waiting_remove (&self->waiting, kase);
        kase->escalated = kase->escalated && body->urgency == ASSIGNMENT_URGENT;
        kase->urgency = body->urgency;
        s_case_queue (self, kase);
    } else
        kase->urgency = body->urgency;
    return 0;
}

static int
s_apply_closed (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__CaseClosed *body = event->case_closed;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    if (!kase || assignment_lifecycle_case_next (kase->status, ASSIGNMENT_CLOSE, NULL))
        return -1;
    s_case_detach (self, kase);
    kase->status = ASSIGNMENT_ST_CLOSED;
    kase->escalated = false;
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_CLOSED, NULL, 0, 0, body->reason, false);
    return 0;
}

static int
s_apply_intake (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: return s_apply_registered (self, event);
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED: return s_apply_question_added (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: return s_apply_triaged (self, event);
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: return s_apply_closed (self, event);
        default:
            //  CaseStatusChanged is intake's echo of our own decisions.
            return -1;
    }
}

//  --------------------------------------------- applying: the decisions

//  Own events were decided against the tables: a move they do not list is
//  a programming error. Returns where the case goes.
static Caseflow__V1__CaseStatus
s_case_move (const assignment_case_t *kase, assignment_case_action_t action)
{
    Caseflow__V1__CaseStatus to = kase->status;
    int rc = assignment_lifecycle_case_next (kase->status, action, &to);
    assert (rc == 0);
    return to;
}

static void
s_apply_case_assigned (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseAssigned *body = event->case_assigned;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assignment_worker_t *worker = assignment_state_worker (self, body->worker_id);
    assert (kase && worker);
    s_case_move (kase, ASSIGNMENT_ASSIGN);
    assert (assignment_lifecycle_worker_next (assignment_worker_presence (worker),
                                              ASSIGNMENT_TAKE_CASE, NULL)
            == 0);
    s_case_detach (self, kase);
    kase->worker = worker;
    kase->status = ASSIGNMENT_ST_ASSIGNED;
    kase->escalated = false;
    s_worker_add_case (worker, kase);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_ASSIGNED, body->worker_id, body->rule,
                   body->trigger, body->reason, body->over_limit);
}

static void
s_apply_case_unassigned (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseUnassigned *body = event->case_unassigned;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase && kase->worker);
    s_case_move (kase, assignment_lifecycle_unassign_action (kase->urgency));
    s_case_detach (self, kase);
    //  The worker it was taken from is the resident's worker: continuity
    //  brings the case back to them if it still waits when they return.
    free (kase->previous_worker);
    kase->previous_worker = s_strdup_or_null (kase->worker->id);
    kase->worker = NULL;
    s_case_queue (self, kase);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_UNASSIGNED, body->worker_id, 0,
                   body->trigger, body->reason, false);
}

static void
s_apply_case_started (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseStarted *body = event->case_started;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    kase->status = s_case_move (kase, ASSIGNMENT_START);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_STARTED, body->worker_id, 0, 0, NULL,
                   false);
}

static void
s_apply_case_completed (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__CaseCompleted *body = event->case_completed;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    Caseflow__V1__CaseStatus to = s_case_move (kase, ASSIGNMENT_COMPLETE);
    s_case_detach (self, kase);
    kase->status = to;
    free (kase->outcome);
    kase->outcome = s_strdup_or_null (body->outcome);
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_COMPLETED, body->worker_id, 0, 0,
                   body->outcome, false);
}

static void
s_apply_escalated (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Assignment__AssignmentEscalated *body = event->assignment_escalated;
    assignment_case_t *kase = assignment_state_case (self, body->case_id);
    assert (kase);
    s_case_move (kase, ASSIGNMENT_ESCALATE);
    kase->escalated = true;
    s_history_add (self, kase, event, ASSIGNMENT_HISTORY_ESCALATED, NULL, 0, body->trigger,
                   body->reason, false);
}

//  Own events were decided against this state: anything that does not fit
//  is a programming error (asserted), not input to tolerate.
static int
s_apply_own (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: s_apply_case_assigned (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            s_apply_case_unassigned (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED: s_apply_case_started (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED: s_apply_case_completed (self, event); break;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED: s_apply_escalated (self, event); break;
        default:
            //  The roster's events; anything else is not an assignment event.
            assignment_state_apply_roster (self, event);
    }
    return 0;
}

int
assignment_state_apply (assignment_state_t *self, const Caseflow__V1__Event *event)
{
    if (!event->stream)
        return -1;
    if (cf_stream_of (event->stream, ASSIGNMENT_STREAM)) {
        self->own_events++;
        return s_apply_own (self, event);
    }
    if (cf_stream_of (event->stream, ASSIGNMENT_UPSTREAM)) {
        self->upstream_events++;
        return s_apply_intake (self, event);
    }
    return -1;
}

//  ---------------------------------------------------------------- words

char *
assignment_domains_text (uint32_t mask, char *buf, size_t size)
{
    size_t len = 0;
    buf [0] = 0;
    for (int domain = ASSIGNMENT_DOMAIN_FIRST; domain <= ASSIGNMENT_DOMAIN_LAST; domain++)
        if (mask & (1u << domain)) {
            int written = snprintf (buf + len, size - len, "%s%s", len ? ", " : "",
                                    cf_words_name (&cf_words_domain, domain));
            if (written < 0 || (size_t) written >= size - len)
                break;
            len += (size_t) written;
        }
    if (!len)
        snprintf (buf, size, "no domain");
    return buf;
}

//  Room kept for " and N more" while areas are written.
#define S_MORE_SIZE 24

char *
assignment_reach_text (const assignment_state_t *self, const assignment_case_t *kase, char *buf,
                       size_t size)
{
    assert (size > S_MORE_SIZE);
    int written = snprintf (buf, size, "%s%s", kase->location ? "location " : "",
                            kase->location ? kase->location : "");
    size_t len = written < 0 ? 0 : (size_t) written < size ? (size_t) written : size - 1;
    //  The case's location is often one of its areas too (a walk-in at the
    //  resident's own location): it is named once.
    size_t left = 0;
    for (uint32_t i = 0; i < kase->n_areas; i++)
        left += kase->area_ids [i] != kase->location_id;
    size_t shown = 0;
    for (uint32_t i = 0; i < kase->n_areas; i++) {
        if (kase->area_ids [i] == kase->location_id)
            continue;
        const char *area = self->location_ids [kase->area_ids [i]];
        const char *separator = shown ? ", " : kase->location ? " or area " : "area ";
        size_t need = strlen (separator) + strlen (area) + (left > 1 ? S_MORE_SIZE : 0);
        if (len + need >= size) {
            snprintf (buf + len, size - len, " and %zu more", left);
            break;
        }
        len += (size_t) snprintf (buf + len, size - len, "%s%s", separator, area);
        shown++;
        left--;
    }
    return buf;
}
