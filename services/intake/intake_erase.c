//  intake_erase: erasing a resident, and holds (see intake_erase.h).
#include "intake_erase.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_text.h"
#include "intake_personal.h"
#include "intake_query.h"
#include "intake_registry.h"
#include "intake_retention.h"
#include "intake_validate.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_BAD     CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_MISSING CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define S_PREFIX  "command.intake.erase"
#define S_RETAIN  CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_RETENTION

static void
s_reply (const intake_subject_t *subject, Caseflow__V1__Reply *reply)
{
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE;
    result->intake = calloc (1, sizeof *result->intake);
    assert (result->intake);
    caseflow__v1__intake__command_result__init (result->intake);
    Caseflow__V1__Intake__ErasureResult *erased = calloc (1, sizeof *erased);
    assert (erased);
    caseflow__v1__intake__erasure_result__init (erased);
    erased->subject = cf_strdup (subject->id);
    erased->erased_at = subject->erased_at;
    erased->n_case_ids = subject->case_count;
    erased->case_ids = calloc (subject->case_count + 1, sizeof *erased->case_ids);
    assert (erased->case_ids);
    for (size_t i = 0; i < subject->case_count; i++)
        erased->case_ids [i] = cf_strdup (subject->case_ids [i]);
    result->intake->body_case = CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_ERASED;
    result->intake->erased = erased;
}

//  Emits ResidentErased of `subject` on `basis` with `reason`; once it is
//  durable the keys go (intake_keys.h). Returns 0 or the emit error.
static int
s_emit_erased (intake_state_t *state, cf_decider_t *decider, const intake_subject_t *subject,
               Caseflow__V1__Intake__ErasureBasis basis, const char *reason, bool overridden)
{
    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = (char *) subject->id;
    body.key_ids = subject->key_ids;
    body.n_key_ids = subject->key_count;
    body.basis = basis;
    body.reason = (char *) reason;
    body.case_ids = subject->case_ids;
    body.n_case_ids = subject->case_count;
    body.retention_overridden = overridden;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    int rc = intake_emit (decider, &event, NULL);
    if (rc)
        return rc;
    intake_registry_t *registry = intake_state_registry (state);
    if (registry)
        intake_registry_queue_erasure (registry, subject->erased_seq, subject->id);
    cf_log_info ("subject %s erased (%zu cases, %s)", subject->id, subject->case_count,
                 basis == S_RETAIN ? "retention"
                 : overridden      ? "request, retention overridden"
                                   : "request");
    return 0;
}

void
intake_decide_erase (intake_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Intake__Erase *command, Caseflow__V1__Reply *reply)
{
    const intake_subject_t *subject = intake_query_named_subject (
        state, S_PREFIX, command->case_id, command->handover_id, command->subject, reply);
    if (!subject)
        return;
    if (!cf_text_check (reply, S_PREFIX ".reason", command->reason, INTAKE_MAX_REASON, true, false))
        return;
    if (subject->erased_at) {
        s_reply (subject, reply);
        return;
    }
    //  What the law lets caseflow refuse is refused, unless overridden;
    //  the event says whether there was a rule to override.
    char why [600];
    bool refusable = intake_retention_refusable (state, subject, decider->now, why, sizeof why);
    if (refusable && !command->override_retention) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                             S_PREFIX ".override_retention", "%s", why);
        return;
    }
    if (s_emit_erased (state, decider, subject,
                       CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST, command->reason,
                       refusable))
        return;
    s_reply (subject, reply);
}

//  ---------------------------------------------------------------- holds

static void
s_reply_hold (const intake_subject_t *subject, Caseflow__V1__Reply *reply)
{
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE;
    result->intake = calloc (1, sizeof *result->intake);
    assert (result->intake);
    caseflow__v1__intake__command_result__init (result->intake);
    Caseflow__V1__Intake__HoldResult *hold = calloc (1, sizeof *hold);
    assert (hold);
    caseflow__v1__intake__hold_result__init (hold);
    hold->subject = cf_strdup (subject->id);
    hold->held = subject->held;
    result->intake->body_case = CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_HOLD;
    result->intake->hold = hold;
}

void
intake_decide_hold (intake_state_t *state, cf_decider_t *decider,
                    const Caseflow__V1__Intake__Hold *command, Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.hold";
    const intake_subject_t *subject =
        intake_query_named_subject (state, prefix, command->case_id, NULL, command->subject, reply);
    if (!subject
        || !cf_text_check (reply, "command.intake.hold.reason", command->reason, INTAKE_MAX_REASON,
                           true, false)
        || intake_resident_check (subject->id, intake_subject_state (subject), INTAKE_HOLD, reply,
                                  *command->case_id ? "command.intake.hold.case_id"
                                                    : "command.intake.hold.subject"))
        return;
    if (!subject->held) {
        Caseflow__V1__Intake__ResidentHeld body = CASEFLOW__V1__INTAKE__RESIDENT_HELD__INIT;
        body.subject = (char *) subject->id;
        body.reason = command->reason;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_HELD;
        event.resident_held = &body;
        if (intake_emit (decider, &event, NULL))
            return;
        cf_log_info ("subject %s held", subject->id);
    }
    s_reply_hold (subject, reply);
}

void
intake_decide_release (intake_state_t *state, cf_decider_t *decider,
                       const Caseflow__V1__Intake__Release *command, Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.release";
    const intake_subject_t *subject =
        intake_query_named_subject (state, prefix, command->case_id, NULL, command->subject, reply);
    if (!subject
        || intake_resident_check (subject->id, intake_subject_state (subject), INTAKE_RELEASE,
                                  reply,
                                  *command->case_id ? "command.intake.release.case_id"
                                                    : "command.intake.release.subject"))
        return;
    Caseflow__V1__Intake__ResidentReleased body = CASEFLOW__V1__INTAKE__RESIDENT_RELEASED__INIT;
    body.subject = (char *) subject->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_RELEASED;
    event.resident_released = &body;
    if (intake_emit (decider, &event, NULL))
        return;
    cf_log_info ("subject %s released", subject->id);
    s_reply_hold (subject, reply);
}

//  ------------------------------------------------------------ retention

int
intake_erase_when_due (intake_state_t *state, cf_decider_t *decider,
                       const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Notification__RetentionDue *body = event->retention_due;
    const intake_subject_t *subject = intake_state_subject (state, body->subject);
    if (!subject) {
        cf_log_warn ("notification seq %llu: retention of an unknown subject: ignored",
                     (unsigned long long) event->seq);
        return 0;
    }
    intake_resident_state_t from = intake_subject_state (subject);
    if (intake_resident_next (from, INTAKE_ERASE_WHEN_DUE, NULL)) {
        cf_log_info ("%s: subject %s is %s: not erased", body->retention_id, subject->id,
                     intake_resident_state_name (from));
        return 0;
    }
    intake_retention_t facts;
    intake_retention_of (state, subject, &facts);
    if (facts.open || facts.last_closed_at > body->last_closed_at) {
        //  Registered again since the timer counted: the next closure
        //  starts a new period, which notification counts from.
        cf_log_info ("%s: subject %s %s: not erased", body->retention_id, subject->id,
                     facts.open ? "has an open case" : "closed a case since");
        return 0;
    }
    char reason [200];
    intake_retention_reason (body->domain, body->years, reason, sizeof reason);
    return s_emit_erased (state, decider, subject, S_RETAIN, reason, false);
}
