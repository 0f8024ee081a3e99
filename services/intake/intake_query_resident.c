//  intake_query_resident: a resident named in a request, and the reads of
//  residents' personal data accounted for (see intake_query.h).
//
//  Erasure and export name a resident the same three ways, with the same
//  refusals, so the rule lives here once. Which answers hold personal data
//  is read from the answer itself: a case view with the resident in it
//  (get_case, find_resident) is one read of that case, an export one read
//  of each case it holds; summaries (list_cases), counts and tracks hold
//  none and are not recorded.
#include "intake_query.h"

#include "cf_api.h"
#include "cf_id.h"

#include <string.h>

#define S_BAD     CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_MISSING CASEFLOW__V1__STATUS__CODE__NOT_FOUND

//  The case a handover became or joined, or NULL.
static const intake_case_t *
s_case_of_handover (const intake_state_t *state, const char *handover_id)
{
    for (size_t i = 0; i < intake_state_case_count (state); i++) {
        const intake_case_t *kase = intake_state_case_at (state, i);
        if (strcmp (kase->handover_id, handover_id) == 0)
            return kase;
        for (size_t q = 0; q < kase->question_count; q++)
            if (strcmp (kase->questions [q].handover_id, handover_id) == 0)
                return kase;
    }
    return NULL;
}

const intake_subject_t *
intake_query_named_subject (const intake_state_t *state, const char *prefix, const char *case_id,
                            const char *handover_id, const char *subject_id,
                            Caseflow__V1__Reply *reply)
{
    char field [96];
    int named = !!*case_id + (handover_id && *handover_id) + !!*subject_id;
    if (named != 1) {
        snprintf (field, sizeof field, "%s.case_id", prefix);
        cf_api_reply_status (reply, S_BAD, field, "%s",
                             handover_id ? "name the resident by exactly one of case_id, "
                                           "handover_id and subject"
                                         : "name the resident by exactly one of case_id and "
                                           "subject");
        return NULL;
    }
    if (*case_id) {
        snprintf (field, sizeof field, "%s.case_id", prefix);
        if (!cf_id_check (reply, field, case_id, true))
            return NULL;
        const intake_case_t *kase = intake_state_case (state, case_id);
        if (!kase)
            cf_api_reply_status (reply, S_MISSING, field, "no case %s", case_id);
        return kase ? kase->subject : NULL;
    }
    if (handover_id && *handover_id) {
        snprintf (field, sizeof field, "%s.handover_id", prefix);
        if (!cf_id_check (reply, field, handover_id, true))
            return NULL;
        const intake_case_t *kase = s_case_of_handover (state, handover_id);
        if (!kase)
            cf_api_reply_status (reply, S_MISSING, field, "handover %s did not become a case here",
                                 handover_id);
        return kase ? kase->subject : NULL;
    }
    snprintf (field, sizeof field, "%s.subject", prefix);
    if (!cf_seal_id_valid (subject_id, 'S')) {
        cf_api_reply_status (reply, S_BAD, field,
                             "subject is not a subject id (S and 26 base32 characters)");
        return NULL;
    }
    const intake_subject_t *subject = intake_state_subject (state, subject_id);
    if (!subject)
        cf_api_reply_status (reply, S_MISSING, field, "no such subject");
    return subject;
}

//  The query's name: its field in intake.Query ("get_case").
static const char *
s_action (const Caseflow__V1__Intake__Query *query)
{
    const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field (
        &caseflow__v1__intake__query__descriptor, query->body_case);
    return field ? field->name : "query";
}

int
intake_query_account (cf_service_t *service, const Caseflow__V1__Intake__Query *query,
                      const Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__QueryResult *outer = reply->query;
    if (cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK || !outer || !outer->intake)
        return 0;
    const Caseflow__V1__Intake__QueryResult *result = outer->intake;
    const char *action = s_action (query);
    int rc = 0;
    if (result->body_case == CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASE && result->case_
        && result->case_->resident)
        rc = cf_service_record_access (service, action, result->case_->case_id, NULL,
                                       result->case_->subject);
    else if (result->body_case == CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_EXPORT)
        for (size_t i = 0; i < result->export->n_cases && rc == 0; i++)
            rc = cf_service_record_access (service, action, result->export->cases [i]->case_id,
                                           NULL, result->export->subject);
    return rc;
}
