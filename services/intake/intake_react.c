//  intake_react: intake's reactions to upstream events (the other half of
//  intake_decide.h).
//
//  Upstream events are facts another stream already committed: intake does
//  not refuse them, it follows them where its lifecycle allows and ignores
//  the rest with a log line. "Exactly once" has two guards: the runtime
//  delivers each upstream seq once (the cursor is committed with the
//  events decided here), and a handover id that already became or joined a
//  case is never taken again, should the producer ever publish a second
//  completion of it.
#include "intake_decide.h"

#include "cf_log.h"
#include "cf_words.h"
#include "intake_lifecycle.h"

#include <string.h>

//  The case an upstream event names: the body's case id, else the envelope's.
static const intake_case_t *
s_open_case (const intake_state_t *state, const Caseflow__V1__Event *event,
             const char *body_case_id)
{
    const char *case_id = body_case_id && *body_case_id ? body_case_id : event->case_id;
    const intake_case_t *kase = intake_state_case (state, case_id);
    if (!kase || !intake_lifecycle_is_open (kase->status)) {
        cf_log_debug ("%s seq %llu: case %s is %s: ignored", event->stream,
                      (unsigned long long) event->seq, case_id ? case_id : "",
                      kase ? "closed" : "unknown");
        return NULL;
    }
    return kase;
}

static int
s_handover_completed (intake_state_t *state, const intake_sink_t *sink,
                      const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
    if (body->next_step != CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE) {
        cf_log_debug ("handover %s does not continue here: no case", body->handover_id);
        return 0;
    }
    if (!*body->handover_id || !body->resident || !*body->resident->name) {
        cf_log_warn ("handover seq %llu: completion without a handover id or resident "
                     "name: ignored",
                     (unsigned long long) event->seq);
        return 0;
    }
    if (intake_state_handover_seen (state, body->handover_id)) {
        cf_log_debug ("handover %s already became a case: ignored", body->handover_id);
        return 0;
    }
    intake_domains_t domains = intake_domains_of (body->domains, body->n_domains);
    if (!domains)
        domains = intake_domain_bit (CASEFLOW__V1__DOMAIN__DOMAIN_OTHER);
    //  The handover's urgency, triaged at once; a handover without one waits.
    Caseflow__V1__Urgency urgency = body->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                        ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                        : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    intake_arrival_t arrival = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER,
        .location = "",
        .resident = body->resident,
        .domains = domains,
        .question = body->support,
        .referred_by = body->provider_id,
        .preferred_worker = body->preferred_worker,
        .handover_id = body->handover_id,
        .provider_id = body->provider_id,
        .urgency = urgency,
        .reason = "handover",
    };
    const intake_case_t *kase = NULL;
    bool joined = false;
    int rc = intake_decide_arrival (state, sink, &arrival, &kase, &joined);
    if (rc == 0)
        cf_log_info ("handover %s %s case %s", body->handover_id, joined ? "joined open" : "became",
                     kase->id);
    return rc;
}

static int
s_emit_status (const intake_sink_t *sink, const intake_case_t *kase, Caseflow__V1__CaseStatus to,
               const char *worker_id)
{
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = (char *) kase->id;
    body.status = to;
    body.previous = kase->status;
    body.worker_id = (char *) worker_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    return intake_emit (sink, &event, kase->id);
}

//  Follows an assignment fact to status `to` with `worker_id` ("" when the
//  case has no worker any more).
static int
s_follow (const intake_sink_t *sink, const Caseflow__V1__Event *event, const intake_case_t *kase,
          Caseflow__V1__CaseStatus to, const char *worker_id)
{
    if (kase->status == to && strcmp (kase->worker_id, worker_id) == 0)
        return 0;  //  nothing changes: a repeat of what intake already shows
    if (!intake_lifecycle_allows (kase->status, to)) {
        cf_log_warn ("%s seq %llu: case %s is %s, cannot become %s: ignored", event->stream,
                     (unsigned long long) event->seq, kase->id,
                     cf_words_name (&cf_words_case_status, kase->status),
                     cf_words_name (&cf_words_case_status, to));
        return 0;
    }
    int rc = s_emit_status (sink, kase, to, worker_id);
    if (rc == 0)
        cf_log_info ("case %s is %s", kase->id, cf_words_name (&cf_words_case_status, to));
    return rc;
}

static int
s_case_completed (const intake_sink_t *sink, const intake_case_t *kase,
                  const Caseflow__V1__Assignment__CaseCompleted *body)
{
    Caseflow__V1__Intake__CaseClosed closed = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    closed.case_id = (char *) kase->id;
    closed.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED;
    closed.reason = *body->outcome ? body->outcome : "completed";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &closed;
    int rc = intake_emit (sink, &event, kase->id);
    if (rc == 0)
        cf_log_info ("case %s closed (completed)", kase->id);
    return rc;
}

void
intake_decide_upstream (intake_state_t *state, const intake_sink_t *sink,
                        const Caseflow__V1__Event *event)
{
    const intake_case_t *kase;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            s_handover_completed (state, sink, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
            kase = s_open_case (state, event, event->case_assigned->case_id);
            if (kase)
                s_follow (sink, event, kase, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED,
                          event->case_assigned->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
            kase = s_open_case (state, event, event->case_started->case_id);
            if (kase)
                s_follow (sink, event, kase, CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE,
                          *event->case_started->worker_id ? event->case_started->worker_id
                                                          : kase->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            kase = s_open_case (state, event, event->case_unassigned->case_id);
            //  Only a case a worker has can lose its worker.
            if (kase && intake_lifecycle_is_unassigned (kase->status))
                cf_log_debug ("case %s is %s: unassignment ignored", kase->id,
                              cf_words_name (&cf_words_case_status, kase->status));
            else if (kase)
                s_follow (sink, event, kase, intake_lifecycle_status_for (kase->urgency), "");
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED:
            kase = s_open_case (state, event, event->case_completed->case_id);
            if (kase)
                s_case_completed (sink, kase, event->case_completed);
            break;
        default: break;
    }
}
