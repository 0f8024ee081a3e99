//  intake_erase: erasing a resident (see intake_erase.h).
#include "intake_erase.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_text.h"
#include "intake_personal.h"
#include "intake_query.h"
#include "intake_registry.h"
#include "intake_validate.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_BAD     CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_MISSING CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define S_PREFIX  "command.intake.erase"

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
    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = (char *) subject->id;
    body.key_ids = subject->key_ids;
    body.n_key_ids = subject->key_count;
    body.basis = CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST;
    body.reason = command->reason;
    body.case_ids = subject->case_ids;
    body.n_case_ids = subject->case_count;
    body.retention_overridden = command->override_retention;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    if (intake_emit (decider, &event, NULL))
        return;
    //  The keys go once the event is durable (intake_keys.h).
    intake_registry_t *registry = intake_state_registry (state);
    if (registry)
        intake_registry_queue_erasure (registry, subject->erased_seq, subject->id);
    cf_log_info ("subject %s erased (%zu cases)", subject->id, subject->case_count);
    s_reply (subject, reply);
}
