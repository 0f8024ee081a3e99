//  intake_harness: drives intake's decisions without the runtime, for the
//  unit tests.
//
//  The harness holds a state, a clock reading, a journal, and intake's
//  registry over a key store in a fresh temporary directory (so decisions
//  seal and views open as in the service). It hands the
//  decisions a cf_decider_t whose emitter does what cf_service_emit does
//  (stamps id, stream, seq and occurred_at, applies the event, records its
//  encoding); upstream events are applied and journaled the same way, then
//  reacted to. So every test can end by
//  replaying the journal into a fresh state and comparing digests.
//  Commands are built from small argument lists; the last decision's
//  events, status and result stay readable until the next one.
#ifndef INTAKE_HARNESS_H
#define INTAKE_HARNESS_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_keystore.h"
#include "intake_decide.h"
#include "intake_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _harness_t harness_t;

//  A fresh state at 2022-01-10T10:00 Amsterdam. Asserts on failure.
harness_t *
harness_new (void);
void
harness_destroy (harness_t **self_p);

intake_state_t *
harness_state (harness_t *self);

//  Opens a sealed value of an emitted event for `field` (an
//  INTAKE_FIELD_*) with the harness's key store; asserts it opens. The
//  message is the harness's until the next call.
const Caseflow__V1__Personal *
harness_open (harness_t *self, const Caseflow__V1__Sealed *sealed, const char *field);

//  The text of a sealed value ("" for none), as harness_open.
const char *
harness_text (harness_t *self, const Caseflow__V1__Sealed *sealed, const char *field);

//  The full view of case `case_id` (personal data opened), the harness's
//  until the next call.
const Caseflow__V1__Intake__CaseView *
harness_view (harness_t *self, const char *case_id);

//  The harness clock (microseconds); moves only when set.
int64_t
harness_now (harness_t *self);
void
harness_set_now (harness_t *self, int64_t now);

//  Makes the n-th emit from now on fail (1: the next one), as a full store
//  would; 0: never.
void
harness_fail_emit (harness_t *self, size_t n);

//  Runs a command; returns its status code. Asserts that a refusal emitted
//  nothing.
Caseflow__V1__Status__Code
harness_command (harness_t *self, const Caseflow__V1__Intake__Command *command);

//  Journals, applies and decides on an upstream event of `stream` with
//  `seq` (the body is the caller's, the envelope is filled here).
void
harness_upstream (harness_t *self, const char *stream, uint64_t seq, Caseflow__V1__Event *event);

//  The last decision: its events (decoded copies), status and result.
size_t
harness_emitted (harness_t *self);
const Caseflow__V1__Event *
harness_event (harness_t *self, size_t index);
const char *
harness_field (harness_t *self);
const char *
harness_message (harness_t *self);
const Caseflow__V1__Intake__CommandResult *
harness_result (harness_t *self);

//  Runs an intake query; returns the status code. The result is readable
//  with harness_query_result until the next query.
Caseflow__V1__Status__Code
harness_query (harness_t *self, const Caseflow__V1__Intake__Query *query);
const Caseflow__V1__Intake__QueryResult *
harness_query_result (harness_t *self);

//  The harness's key store (intake's registry keeps its keys and hashes
//  there). Borrowed.
cf_keystore_t *
harness_keystore (harness_t *self);

//  Carries out the erasures journaled so far, as the runtime does once
//  they are durable: destroys each subject's keys and hashes in the key
//  store and compacts it. Returns how many were carried out.
size_t
harness_carry_out_erasures (harness_t *self);

//  How many journaled events hold `text` in their encoded bytes: intake's
//  own (`own`) or the upstream events the harness fed it.
size_t
harness_journal_holding (harness_t *self, const char *text, bool own);

//  Hex SHA-256 of the state.
void
harness_digest (harness_t *self, char hex [65]);

//  Replays the whole journal into a fresh state and asserts the digests
//  match.
void
harness_assert_replay (harness_t *self);

//  ------------------------------------------------------- command helpers

typedef struct {
    Caseflow__V1__Channel channel;
    const char *location, *name, *birth_date, *phone, *district, *bsn;
    Caseflow__V1__Domain domains [8];
    size_t n_domains;
    const char *question, *referred_by;
    Caseflow__V1__Urgency urgency;
    const char *reason;
    bool no_resident;
} harness_reg_t;

//  Register; on OK copies the case id into `case_id` (may be NULL).
Caseflow__V1__Status__Code
harness_register (harness_t *self, const harness_reg_t *args, char case_id [24]);

//  A phone registration of `name` born 1980-05-17 with domain DEBT, then
//  (unless urgency is UNSPECIFIED) triaged. Asserts OK; returns the id in
//  `case_id`.
void
harness_new_case (harness_t *self, const char *name, Caseflow__V1__Urgency urgency,
                  char case_id [24]);

Caseflow__V1__Status__Code
harness_triage (harness_t *self, const char *case_id, Caseflow__V1__Urgency urgency,
                const char *reason);
Caseflow__V1__Status__Code
harness_callback (harness_t *self, const char *case_id,
                  Caseflow__V1__Intake__CallbackOutcome outcome, const char *note);
Caseflow__V1__Status__Code
harness_create_track (harness_t *self, const char *track_id, const char *name, const char *location,
                      uint32_t capacity, const char *starts_on);
Caseflow__V1__Status__Code
harness_join_track (harness_t *self, const char *case_id, const char *track_id);
Caseflow__V1__Status__Code
harness_advise (harness_t *self, const char *case_id, const char *note);
Caseflow__V1__Status__Code
harness_withdraw (harness_t *self, const char *case_id, const char *reason);
Caseflow__V1__Status__Code
harness_close (harness_t *self, const char *case_id, const char *reason);

//  Erase, naming the resident by case, handover or subject (NULL: not
//  given).
Caseflow__V1__Status__Code
harness_erase (harness_t *self, const char *case_id, const char *handover_id, const char *subject,
               const char *reason);

//  The case's current status (asserts the case exists).
Caseflow__V1__CaseStatus
harness_status (harness_t *self, const char *case_id);

//  ------------------------------------------------------ upstream helpers

//  handover.HandoverCompleted with seq `seq`.
void
harness_handover (harness_t *self, uint64_t seq, const char *handover_id,
                  Caseflow__V1__Handover__NextStep next_step, const char *name, const char *bsn,
                  Caseflow__V1__Urgency urgency, const char *preferred_worker);

//  assignment.CaseAssigned / CaseStarted / CaseUnassigned / CaseCompleted.
void
harness_assigned (harness_t *self, uint64_t seq, const char *case_id, const char *worker);
void
harness_started (harness_t *self, uint64_t seq, const char *case_id, const char *worker);
void
harness_unassigned (harness_t *self, uint64_t seq, const char *case_id, const char *worker);
void
harness_completed (harness_t *self, uint64_t seq, const char *case_id, const char *worker);

//  assignment.LocationAdded: `location_id` serves `districts`.
void
harness_location (harness_t *self, uint64_t seq, const char *location_id,
                  const char *const *districts, size_t count);

#endif
