//  intake_personal: the personal data intake writes and reads back (see
//  intake_personal.h).
#include "intake_personal.h"

#include "cf_case_id.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_resident.h"
#include "cf_api.h"
#include "cf_time.h"
#include "cf_words.h"
#include "intake_lifecycle.h"
#include "intake_registry.h"
#include "intake_validate.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  ------------------------------------------------------------- writing

int
intake_emit (cf_decider_t *decider, Caseflow__V1__Event *event, const char *case_id)
{
    event->case_id = (char *) (case_id ? case_id : "");
    return cf_decider_emit (decider, event);
}

int
intake_emit_triage (const intake_state_t *state, cf_decider_t *decider, const intake_case_t *kase,
                    Caseflow__V1__Urgency urgency, const char *reason)
{
    //  Every caller asked the table (or just registered the case).
    Caseflow__V1__CaseStatus to = kase->status;
    int rc = intake_lifecycle_next (kase->status, intake_lifecycle_triage_action (urgency), &to);
    assert (rc == 0);
    cf_sealed_t sealed;
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) kase->id;
    body.urgency = urgency;
    body.personal = intake_personal_seal_text (state, kase, INTAKE_FIELD_TRIAGED, reason, &sealed);
    body.previous = kase->urgency;
    body.status = to;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    rc = intake_emit (decider, &event, kase->id);
    cf_sealed_release (&sealed);
    return rc;
}

static Caseflow__V1__Sealed *
s_seal (const intake_state_t *state, const intake_subject_t *subject, const char *field,
        const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    memset (out, 0, sizeof *out);
    if (!subject || subject->erased_at || !*subject->key_id)
        return NULL;
    int rc =
        intake_registry_seal (intake_state_registry (state), subject->key_id, field, personal, out);
    if (rc) {
        cf_log_error ("subject %s: sealing %s failed (%s): the text is not recorded", subject->id,
                      field, cf_strerror (rc));
        return NULL;
    }
    return &out->message;
}

Caseflow__V1__Sealed *
intake_personal_seal_text (const intake_state_t *state, const intake_case_t *kase,
                           const char *field, const char *text, cf_sealed_t *out)
{
    memset (out, 0, sizeof *out);
    if (!text || !*text)
        return NULL;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = (char *) text;
    return s_seal (state, kase->subject, field, &personal, out);
}

//  The BSN the case's resident is known by ("" when none), into `bsn`.
static void
s_known_bsn (const intake_state_t *state, const intake_case_t *kase, char *bsn, size_t size)
{
    Caseflow__V1__PersonalData *resident = intake_personal_resident (state, kase);
    snprintf (bsn, size, "%s", resident->bsn);
    caseflow__v1__personal_data__free_unpacked (resident, NULL);
}

//  The subject the arrival's resident is: found by the hashes, unless
//  erased, or a name and birth date that belong to someone with another
//  BSN. NULL: a new resident.
const intake_subject_t *
intake_personal_find (const intake_state_t *state, const Caseflow__V1__PersonalData *resident,
                      intake_hashes_t *hashes)
{
    intake_registry_hashes (intake_state_registry (state), resident, hashes);
    char id [CF_SEAL_ID_SIZE];
    bool by_bsn = false;
    if (intake_registry_match (intake_state_registry (state), hashes, id, &by_bsn))
        return NULL;
    const intake_subject_t *subject = intake_state_subject (state, id);
    if (!subject || subject->erased_at)
        return NULL;
    const intake_case_t *open = intake_state_open_case (state, subject->id);
    if (!by_bsn && *resident->bsn && open) {
        char known [32];
        s_known_bsn (state, open, known, sizeof known);
        if (*known && strcmp (known, resident->bsn) != 0 && strcmp (known, INTAKE_ERASED) != 0)
            return NULL;
    }
    return subject;
}

int
intake_personal_join (const intake_state_t *state, const intake_subject_t *subject,
                      const intake_hashes_t *hashes, const Caseflow__V1__Personal *personal,
                      cf_sealed_t *sealed, Caseflow__V1__Intake__QuestionAdded *body)
{
    body->personal = s_seal (state, subject, INTAKE_FIELD_QUESTION, personal, sealed);
    //  What this registration adds (a BSN the case did not have) finds the
    //  resident from now on.
    return intake_registry_learn (intake_state_registry (state), subject->id, hashes);
}

int
intake_personal_register (const intake_state_t *state, const intake_subject_t *subject,
                          const intake_hashes_t *hashes, const Caseflow__V1__Personal *personal,
                          int64_t now, intake_enrolment_t *enrolment,
                          Caseflow__V1__Intake__CaseRegistered *body)
{
    intake_registry_t *registry = intake_state_registry (state);
    memset (enrolment, 0, sizeof *enrolment);
    int rc = 0;
    if (subject) {
        snprintf (enrolment->subject, sizeof enrolment->subject, "%s", subject->id);
        snprintf (enrolment->key_id, sizeof enrolment->key_id, "%s", subject->key_id);
    } else if ((rc = intake_registry_enroll (registry, enrolment->subject, enrolment->key_id)))
        return rc;
    else
        enrolment->enrolled = true;
    if (rc == 0)
        rc = intake_registry_learn (registry, enrolment->subject, hashes);
    if (rc == 0)
        rc = intake_registry_seal (registry, enrolment->key_id, INTAKE_FIELD_REGISTERED, personal,
                                   &enrolment->sealed);
    if (rc) {
        intake_personal_unenroll (state, enrolment, NULL, now);
        return rc;
    }
    //  What other services need in plain: the locations serving the
    //  district, the age band at registration.
    const Caseflow__V1__PersonalData *resident = personal->resident;
    char today [16];
    cf_time_format_date (now, today, sizeof today);
    char *const *areas;
    body->n_areas = intake_state_areas (state, resident->district, &areas);
    body->areas = (char **) areas;
    body->age_band = cf_resident_age_band (resident->birth_date, today);
    body->subject = enrolment->subject;
    body->subject_key_id = enrolment->key_id;
    body->personal = &enrolment->sealed.message;
    return 0;
}

void
intake_personal_unenroll (const intake_state_t *state, intake_enrolment_t *enrolment,
                          const char *transit_key_id, int64_t now)
{
    if (!enrolment->enrolled)
        return;
    intake_registry_t *registry = intake_state_registry (state);
    //  A transit key held for someone else already (adopting it again was
    //  a repeat) is theirs: it stays.
    char holder [CF_SEAL_ID_SIZE] = "";
    if (transit_key_id)
        cf_keystore_get_key (intake_registry_keystore (registry), transit_key_id, NULL, holder);
    bool adopted = transit_key_id && strcmp (holder, enrolment->subject) == 0;
    const char *key_ids [] = { enrolment->key_id, transit_key_id };
    intake_registry_unenroll (registry, enrolment->subject, key_ids, adopted ? 2 : 1, now);
    enrolment->enrolled = false;
}

//  The facts of a new case that come with the arrival as they are.
static void
s_registered_facts (Caseflow__V1__Intake__CaseRegistered *body, const intake_arrival_t *arrival,
                    char *case_id, Caseflow__V1__Domain *domains, size_t domain_count)
{
    body->case_id = case_id;
    body->channel = arrival->channel;
    body->location = (char *) arrival->location;
    body->domains = domains;
    body->n_domains = domain_count;
    body->referred_by = (char *) arrival->referred_by;
    body->preferred_worker = (char *) arrival->preferred_worker;
    body->handover_id = (char *) arrival->handover_id;
    body->provider_id = (char *) arrival->provider_id;
}

//  A new case is triaged at once when the arrival asks to.
static int
s_triage_new_case (const intake_state_t *state, cf_decider_t *decider, const intake_case_t *kase,
                   const intake_arrival_t *arrival)
{
    assert (kase);
    return arrival->urgency
               ? intake_emit_triage (state, decider, kase, arrival->urgency, arrival->reason)
               : 0;
}

int
intake_decide_arrival (intake_state_t *state, cf_decider_t *decider,
                       const intake_arrival_t *arrival, const intake_case_t **case_p,
                       bool *joined_p)
{
    const Caseflow__V1__PersonalData *resident = arrival->resident;
    Caseflow__V1__Domain domains [INTAKE_DOMAIN_MAX];
    size_t domain_count = intake_domains_list (arrival->domains, domains);
    assert (domain_count > 0);
    intake_hashes_t hashes;
    const intake_subject_t *subject = intake_personal_find (state, resident, &hashes);
    const intake_case_t *open = subject ? intake_state_open_case (state, subject->id) : NULL;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = (Caseflow__V1__PersonalData *) resident;
    personal.text = (char *) arrival->question;
    char case_id [CF_CASE_ID_SIZE];
    int rc;
    if (open) {
        snprintf (case_id, sizeof case_id, "%s", open->id);
        Caseflow__V1__Intake__QuestionAdded body = CASEFLOW__V1__INTAKE__QUESTION_ADDED__INIT;
        body.case_id = case_id;
        body.channel = arrival->channel;
        body.domains = domains;
        body.n_domains = domain_count;
        body.referred_by = (char *) arrival->referred_by;
        body.handover_id = (char *) arrival->handover_id;
        body.provider_id = (char *) arrival->provider_id;
        body.preferred_worker = (char *) arrival->preferred_worker;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED;
        event.question_added = &body;
        cf_sealed_t sealed;
        rc = intake_personal_join (state, subject, &hashes, &personal, &sealed, &body);
        body.transit_key_id = (char *) arrival->transit_key_id;
        if (rc == 0 && arrival->transit_key_id)
            rc = intake_registry_adopt (intake_state_registry (state), subject->id,
                                        arrival->transit_key_id, arrival->transit_key);
        if (rc == 0)
            rc = intake_emit (decider, &event, case_id);
        cf_sealed_release (&sealed);
        if (rc)
            return rc;
        const intake_case_t *kase = intake_state_case (state, case_id);
        bool escalates = arrival->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                         && kase->urgency != CASEFLOW__V1__URGENCY__URGENCY_URGENT;
        bool first = arrival->urgency && !kase->urgency;
        if ((escalates || first)
            && (rc = intake_emit_triage (state, decider, kase, arrival->urgency, arrival->reason)))
            return rc;
        cf_decider_log (decider, "a %s registration joined open case %s",
                        cf_words_name (&cf_words_channel, arrival->channel), case_id);
        *joined_p = true;
    } else {
        cf_case_id_format (intake_state_shard (state), intake_state_next_number (state), case_id,
                           sizeof case_id);
        Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
        s_registered_facts (&body, arrival, case_id, domains, domain_count);
        intake_enrolment_t enrolment;
        rc = intake_personal_register (state, subject, &hashes, &personal, decider->now, &enrolment,
                                       &body);
        body.transit_key_id = (char *) arrival->transit_key_id;
        if (rc == 0 && arrival->transit_key_id)
            rc = intake_registry_adopt (intake_state_registry (state), enrolment.subject,
                                        arrival->transit_key_id, arrival->transit_key);
        if (rc) {
            intake_personal_unenroll (state, &enrolment, arrival->transit_key_id, decider->now);
            cf_sealed_release (&enrolment.sealed);
            cf_log_error ("registering a resident: the key store failed (%s)", cf_strerror (rc));
            //  A reaction has no reply to refuse.
            if (decider->reply)
                cf_api_reply_status (decider->reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                                     "command.intake", "the key store failed: not registered");
            return rc;
        }
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
        event.case_registered = &body;
        rc = intake_emit (decider, &event, case_id);
        cf_sealed_release (&enrolment.sealed);
        if (rc) {
            //  No event names the new subject: its key and hashes go.
            intake_personal_unenroll (state, &enrolment, arrival->transit_key_id, decider->now);
            return rc;
        }
        const intake_case_t *kase = intake_state_case (state, case_id);
        if ((rc = s_triage_new_case (state, decider, kase, arrival)))
            return rc;
        cf_decider_log (decider, "case %s registered (%s)", case_id,
                        cf_words_name (&cf_words_channel, arrival->channel));
        *joined_p = false;
    }
    *case_p = intake_state_case (state, case_id);
    return 0;
}

int
intake_decide_arrival_sealed (intake_state_t *state, cf_decider_t *decider,
                              const intake_arrival_t *arrival, const Caseflow__V1__Sealed *sealed,
                              const intake_case_t **case_p)
{
    intake_registry_t *registry = intake_state_registry (state);
    Caseflow__V1__Domain domains [INTAKE_DOMAIN_MAX];
    size_t domain_count = intake_domains_list (arrival->domains, domains);
    assert (domain_count > 0);
    char subject_id [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE], case_id [CF_CASE_ID_SIZE];
    int rc = intake_registry_enroll (registry, subject_id, key_id);
    if (rc) {
        cf_log_error ("registering a handover's resident: the key store failed (%s)",
                      cf_strerror (rc));
        return rc;
    }
    cf_case_id_format (intake_state_shard (state), intake_state_next_number (state), case_id,
                       sizeof case_id);
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    s_registered_facts (&body, arrival, case_id, domains, domain_count);
    body.subject = subject_id;
    body.subject_key_id = key_id;
    body.transit_key_id = sealed->key_id;
    body.personal = (Caseflow__V1__Sealed *) sealed;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    if ((rc = intake_emit (decider, &event, case_id))) {
        const char *key_ids [] = { key_id };
        intake_registry_unenroll (registry, subject_id, key_ids, 1, decider->now);
        return rc;
    }
    intake_registry_pend (registry, subject_id, sealed->key_id);
    const intake_case_t *kase = intake_state_case (state, case_id);
    if ((rc = s_triage_new_case (state, decider, kase, arrival)))
        return rc;
    cf_decider_log (decider, "case %s registered (%s), its resident sealed as handover sent it",
                    case_id, cf_words_name (&cf_words_channel, arrival->channel));
    *case_p = kase;
    return 0;
}

//  ------------------------------------------------------------- reading

int
intake_personal_open (const intake_state_t *state, const intake_case_t *kase,
                      const intake_sealed_t *sealed, const char *field,
                      Caseflow__V1__Personal **personal_p)
{
    *personal_p = NULL;
    //  Once erased, every personal field reads so, recorded or not.
    if (kase->subject->erased_at)
        return CF_ENOTFOUND;
    if (!sealed->size)
        return 1;
    int rc = intake_registry_open (intake_state_registry (state), sealed->data, sealed->size, field,
                                   personal_p);
    //  The subject is not erased: a key that is not held is one not
    //  adopted yet (a handover's, intake_keys.h) or a key store older than
    //  the journal, never "erased".
    if (rc == CF_ENOTFOUND)
        rc = CF_ECORRUPT;
    if (rc == CF_ECORRUPT)
        cf_log_error ("case %s: a sealed %s does not open: shown as \"%s\"", kase->id, field,
                      INTAKE_UNREADABLE);
    return rc;
}

char *
intake_personal_text (const intake_state_t *state, const intake_case_t *kase,
                      const intake_sealed_t *sealed, const char *field)
{
    Caseflow__V1__Personal *personal;
    int rc = intake_personal_open (state, kase, sealed, field, &personal);
    if (rc == 1)
        return cf_strdup ("");
    if (rc)
        return cf_strdup (rc == CF_ENOTFOUND ? INTAKE_ERASED : INTAKE_UNREADABLE);
    char *text = cf_strdup (personal->text ? personal->text : "");
    cf_seal_personal_free (personal);
    return text;
}

//  Fills the empty fields of `into` from `from`.
static void
s_fill (Caseflow__V1__PersonalData *into, const Caseflow__V1__PersonalData *from)
{
    char **to [] = { &into->name, &into->birth_date, &into->phone, &into->district, &into->bsn };
    char *const values [] = { from->name, from->birth_date, from->phone, from->district,
                              from->bsn };
    for (size_t i = 0; i < sizeof to / sizeof to [0]; i++)
        if (!**to [i] && values [i] && *values [i]) {
            free (*to [i]);
            *to [i] = cf_strdup (values [i]);
        }
}

static void
s_set_all (Caseflow__V1__PersonalData *resident, const char *text)
{
    char **fields [] = { &resident->name, &resident->birth_date, &resident->phone,
                         &resident->district, &resident->bsn };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        if (*fields [i] != protobuf_c_empty_string)
            free (*fields [i]);
        *fields [i] = cf_strdup (text);
    }
}

Caseflow__V1__PersonalData *
intake_personal_resident (const intake_state_t *state, const intake_case_t *kase)
{
    //  Built with malloc'd strings so protobuf-c's free_unpacked frees it.
    Caseflow__V1__PersonalData *resident = calloc (1, sizeof *resident);
    assert (resident);
    caseflow__v1__personal_data__init (resident);
    s_set_all (resident, "");
    const char *failed = NULL;
    for (size_t i = 0; i <= kase->question_count && !failed; i++) {
        const intake_sealed_t *sealed =
            i == 0 ? &kase->personal : &kase->questions [i - 1].personal;
        Caseflow__V1__Personal *personal;
        int rc = intake_personal_open (state, kase, sealed,
                                       i == 0 ? INTAKE_FIELD_REGISTERED : INTAKE_FIELD_QUESTION,
                                       &personal);
        if (rc == 1)
            continue;
        if (rc) {
            failed = rc == CF_ENOTFOUND ? INTAKE_ERASED : INTAKE_UNREADABLE;
            break;
        }
        if (personal->resident)
            s_fill (resident, personal->resident);
        cf_seal_personal_free (personal);
    }
    if (failed)
        s_set_all (resident, failed);
    return resident;
}
