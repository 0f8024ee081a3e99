//  intake_erase: erasing a resident (see intake_erase.h).
#include "intake_erase.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_text.h"
#include "intake_personal.h"
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

//  The subject the command names, or NULL with the reply's refusal.
static const intake_subject_t *
s_named (const intake_state_t *state, const Caseflow__V1__Intake__Erase *command,
         Caseflow__V1__Reply *reply)
{
    int named = !!*command->case_id + !!*command->handover_id + !!*command->subject;
    if (named != 1) {
        cf_api_reply_status (reply, S_BAD, S_PREFIX ".case_id",
                             "name the resident by exactly one of case_id, handover_id and "
                             "subject");
        return NULL;
    }
    if (*command->case_id) {
        if (!cf_id_check (reply, S_PREFIX ".case_id", command->case_id, true))
            return NULL;
        const intake_case_t *kase = intake_state_case (state, command->case_id);
        if (!kase)
            cf_api_reply_status (reply, S_MISSING, S_PREFIX ".case_id", "no case %s",
                                 command->case_id);
        return kase ? kase->subject : NULL;
    }
    if (*command->handover_id) {
        if (!cf_id_check (reply, S_PREFIX ".handover_id", command->handover_id, true))
            return NULL;
        for (size_t i = 0; i < intake_state_case_count (state); i++) {
            const intake_case_t *kase = intake_state_case_at (state, i);
            if (strcmp (kase->handover_id, command->handover_id) == 0)
                return kase->subject;
            for (size_t q = 0; q < kase->question_count; q++)
                if (strcmp (kase->questions [q].handover_id, command->handover_id) == 0)
                    return kase->subject;
        }
        cf_api_reply_status (reply, S_MISSING, S_PREFIX ".handover_id",
                             "handover %s did not become a case here", command->handover_id);
        return NULL;
    }
    if (!cf_seal_id_valid (command->subject, 'S')) {
        cf_api_reply_status (reply, S_BAD, S_PREFIX ".subject",
                             "subject is not a subject id (S and 26 base32 characters)");
        return NULL;
    }
    const intake_subject_t *subject = intake_state_subject (state, command->subject);
    if (!subject)
        cf_api_reply_status (reply, S_MISSING, S_PREFIX ".subject", "no such subject");
    return subject;
}

void
intake_decide_erase (intake_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Intake__Erase *command, Caseflow__V1__Reply *reply)
{
    const intake_subject_t *subject = s_named (state, command, reply);
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
