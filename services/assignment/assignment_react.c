//  assignment_react: the reactions to intake's events and to the clock
//  (see assignment_react.h). The decisions themselves are the policy's
//  (assignment_policy.h); this file says which one each event calls for.
#include "assignment_react.h"

#include "assignment_policy.h"
#include "cf_streams.h"
#include "cf_log.h"

#include <stdio.h>
#include <string.h>

void
assignment_react (assignment_state_t *state, cf_decider_t *decider,
                  const Caseflow__V1__Event *event)
{
    if (!cf_stream_of (event->stream, ASSIGNMENT_UPSTREAM))
        return;
    char cause [160];
    assignment_case_t *kase;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
            kase = assignment_state_case (state, event->case_triaged->case_id);
            if (kase && assignment_case_has_worker (kase) && kase->worker->absent
                && kase->urgency == ASSIGNMENT_URGENT) {
                //  Urgent now, and its worker is away (a short absence
                //  kept it): it cannot wait for the return.
                assignment_reassign_urgent (state, decider, kase);
                return;
            }
            if (!kase || !kase->waiting)
                return;
            if (kase->urgency == ASSIGNMENT_URGENT) {
                //  Urgent matters are picked up at once, in this very step.
                assignment_decide_urgent (state, decider, kase);
                if (!decider->rc)
                    cf_decider_log (decider, "case %s triaged urgent: %s", kase->id,
                                    assignment_case_has_worker (kase) ? "assigned" : "escalated");
                return;
            }
            assignment_fill_case (state, decider, kase, "triaged regular");
            return;
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            kase = assignment_state_case (state, event->question_added->case_id);
            if (!kase || !kase->waiting)
                return;
            assignment_fill_case (state, decider, kase, "gained question domains");
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
            assignment_fill (state, decider, kase->worker, cause);
            return;
        default: return;
    }
}

void
assignment_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    assignment_react (state, &decider, event);
    cf_service_wake_at (service, assignment_next_wake (state));
}

void
assignment_react_clock_hook (void *state, cf_service_t *service, int64_t now)
{
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, now, NULL);
    assignment_on_clock (state, &decider);
    //  Every on_clock call clears the wake-up asked for: ask again.
    cf_service_wake_at (service, assignment_next_wake (state));
}
