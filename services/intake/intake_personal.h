//  intake_personal: the personal data intake writes and reads back.
//
//  Writing: a registration is matched to its resident through the
//  registry's keyed hashes (intake_registry.h), becomes a new case or joins
//  the resident's open case, and carries the resident's data and question
//  sealed under the subject's key; every later free text of a case (a
//  triage reason, a callback note, a closing reason) is sealed the same
//  way. Reading: a view opens what it shows; a resident whose keys are
//  destroyed reads "erased", a value that does not open reads
//  "unreadable" (and is logged by case id), never a crash.
#ifndef INTAKE_PERSONAL_H
#define INTAKE_PERSONAL_H

#include "caseflow/v1/common.pb-c.h"
#include "cf_decider.h"
#include "cf_seal.h"
#include "intake_registry.h"
#include "intake_state.h"

#include <stdbool.h>

//  The fields of the associated data: the event body each value travels in.
#define INTAKE_FIELD_REGISTERED "intake.CaseRegistered"
#define INTAKE_FIELD_QUESTION   "intake.QuestionAdded"
#define INTAKE_FIELD_TRIAGED    "intake.CaseTriaged"
#define INTAKE_FIELD_CALLBACK   "intake.CallbackRecorded"
#define INTAKE_FIELD_CLOSED     "intake.CaseClosed"

//  What a personal field reads once its resident is erased, and when its
//  value does not open.
#define INTAKE_ERASED     "erased"
#define INTAKE_UNREADABLE "unreadable"

//  A resident's request for help arriving (a registration or a completed
//  handover).
typedef struct {
    Caseflow__V1__Channel channel;
    const char *location;
    const Caseflow__V1__PersonalData *resident;  //  not NULL
    intake_domains_t domains;                    //  not empty
    const char *question, *referred_by, *preferred_worker, *handover_id, *provider_id;
    //  Triage to apply at once (UNSPECIFIED: none) and its reason.
    Caseflow__V1__Urgency urgency;
    const char *reason;
    //  From a handover: the transit key its values were sealed under
    //  (NULL: none), adopted into the subject's key set.
    const char *transit_key_id;
    const uint8_t *transit_key;
} intake_arrival_t;

//  Registers the arrival as a new case, or joins the resident's open case
//  (matched by BSN, else by name and birth date: a known BSN that differs
//  is another person), then triages when it asks to; adopts the arrival's
//  transit key into the subject's key set. *case_p: the case; *joined_p:
//  whether it joined. Returns 0, or the emit or key store error.
int
intake_decide_arrival (intake_state_t *state, cf_decider_t *decider,
                       const intake_arrival_t *arrival, const intake_case_t **case_p,
                       bool *joined_p);

//  Registers a handover's arrival whose transit key intake could not
//  fetch: a new case of a new subject (the resident cannot be matched
//  unread), its personal the completion's own `sealed` value as it came
//  (its transit key recorded, and pending adoption), no areas and no age
//  band; then triages when it asks to. `arrival->resident` and `question`
//  are not read. Returns 0, or the emit or key store error.
int
intake_decide_arrival_sealed (intake_state_t *state, cf_decider_t *decider,
                              const intake_arrival_t *arrival, const Caseflow__V1__Sealed *sealed,
                              const intake_case_t **case_p);

//  The registry's part of an arrival, in three steps that registering
//  (intake_decide_arrival) and the upgrade of a format-2 store
//  (services/upgrade) share:
//
//  intake_personal_find: the subject `resident` is, found by its keyed
//  hashes (filled into *hashes): NULL for a new resident, an erased one,
//  or a name and birth date whose open case knows another BSN.
const intake_subject_t *
intake_personal_find (const intake_state_t *state, const Caseflow__V1__PersonalData *resident,
                      intake_hashes_t *hashes);

//  intake_personal_join: a question joins the open case of `subject`: the
//  hashes find the subject from now on (what the registration adds, such
//  as a BSN the case did not have), and `personal` (resident and question)
//  is sealed for QuestionAdded under the subject's key into *sealed:
//  body->personal (NULL for an erased subject). Release *sealed with
//  cf_sealed_release whatever the result. Returns 0 or the key store's
//  error.
int
intake_personal_join (const intake_state_t *state, const intake_subject_t *subject,
                      const intake_hashes_t *hashes, const Caseflow__V1__Personal *personal,
                      cf_sealed_t *sealed, Caseflow__V1__Intake__QuestionAdded *body);

//  What a new case's registration needs of the registry: its subject's id,
//  the key and the sealed resident and question.
typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
    cf_sealed_t sealed;
    bool enrolled;  //  the subject and key were made for this registration
} intake_enrolment_t;

//  intake_personal_register: a new case for `personal` (its resident not
//  NULL) registered at `now`: under `subject`, or a new subject and key
//  enrolled when it is NULL; the hashes find it from now on; the resident
//  and question are sealed for CaseRegistered. Sets body's subject and
//  personal (pointing into *enrolment), areas (the locations serving the
//  resident's district: borrowed from the state) and age band (the birth
//  date at `now`). Release enrolment->sealed with cf_sealed_release
//  whatever the result. Returns 0 or the key store's error; a subject it
//  enrolled is undone again when it fails (intake_personal_unenroll), and
//  the caller undoes it when it fails later.
int
intake_personal_register (const intake_state_t *state, const intake_subject_t *subject,
                          const intake_hashes_t *hashes, const Caseflow__V1__Personal *personal,
                          int64_t now, intake_enrolment_t *enrolment,
                          Caseflow__V1__Intake__CaseRegistered *body);

//  Undoes the enrolment a registration made (enrolment->enrolled) once it
//  fails before an event names the subject: its key, `transit_key_id`
//  (NULL: none) when it was adopted for this subject (not one another
//  subject holds), and its hashes go
//  (intake_registry_unenroll, at `now`). Nothing when nothing was enrolled.
void
intake_personal_unenroll (const intake_state_t *state, intake_enrolment_t *enrolment,
                          const char *transit_key_id, int64_t now);

//  Seals `text` for `field` under the resident's key of `kase` into *out.
//  Returns &out->message, or NULL when there is nothing to seal: an empty
//  text, or an erased resident (whose texts are not recorded any more).
//  Release *out with cf_sealed_release either way.
Caseflow__V1__Sealed *
intake_personal_seal_text (const intake_state_t *state, const intake_case_t *kase,
                           const char *field, const char *text, cf_sealed_t *out);

//  Opens `sealed` (for `field`) of case `kase`: 0 with *personal_p (free
//  with caseflow__v1__personal__free_unpacked); 1 when there is no value;
//  CF_ENOTFOUND once the resident is erased (a field never recorded too);
//  CF_ECORRUPT when it does not open (also a key not held for a resident
//  not erased: a transit key not adopted yet, or a key store older than
//  the journal; logged).
int
intake_personal_open (const intake_state_t *state, const intake_case_t *kase,
                      const intake_sealed_t *sealed, const char *field,
                      Caseflow__V1__Personal **personal_p);

//  The text of `sealed` for a view: a new string (free it), "" when there
//  is none, INTAKE_ERASED or INTAKE_UNREADABLE.
char *
intake_personal_text (const intake_state_t *state, const intake_case_t *kase,
                      const intake_sealed_t *sealed, const char *field);

//  The case's resident as a view shows it: the registration's data, with
//  fields missing there filled from the questions that joined, in order
//  (a new message; free with caseflow__v1__personal_data__free_unpacked).
//  Every field reads INTAKE_ERASED once the resident is erased.
Caseflow__V1__PersonalData *
intake_personal_resident (const intake_state_t *state, const intake_case_t *kase);

//  ------------------------------------------------ emitting (every decision)

//  Emits the triage of `kase` to `urgency` with `reason` (sealed); the
//  caller checked the move against the table.
int
intake_emit_triage (const intake_state_t *state, cf_decider_t *decider, const intake_case_t *kase,
                    Caseflow__V1__Urgency urgency, const char *reason);

//  Emits `event` with envelope case id `case_id` (may be NULL) through the
//  decider. Returns 0 or the emitter's error.
int
intake_emit (cf_decider_t *decider, Caseflow__V1__Event *event, const char *case_id);

#endif
