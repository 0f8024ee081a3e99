//  assignment_harness: drives the assignment logic without the runtime,
//  for the unit tests and the benchmark.
//
//  The harness plays the runtime's part: it feeds intake events (apply,
//  then assignment_react), sends commands (assignment_decide), moves the
//  clock (assignment_on_clock), each with a cf_decider_t whose emitter
//  does what cf_service_emit does:
//  stamps the envelope (stream, seq, occurred_at = now), applies the event
//  at once and records it. Every event applied, intake's and own, goes
//  into an in-memory journal, so a test can rebuild the state by replay
//  and compare digests. A refused command that emitted anything fails the
//  test, as the runtime's assert would.
#ifndef ASSIGNMENT_HARNESS_H
#define ASSIGNMENT_HARNESS_H

#include "assignment_decide.h"
#include "assignment_lifecycle.h"
#include "assignment_policy.h"
#include "assignment_query.h"
#include "assignment_react.h"
#include "assignment_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  A domain bit for the masks the harness takes: AH_D (DEBT).
#define AH_D(name) (1u << CASEFLOW__V1__DOMAIN__DOMAIN_##name)

//  2022-01-03T09:03:00+01:00, the phone line's first call.
#define AH_START INT64_C (1641196980000000)

typedef struct {
    assignment_state_t *state;
    int64_t now;
    uint64_t own_seq;
    uint64_t intake_seq;
    //  Every event applied, in order (decoded copies, owned).
    Caseflow__V1__Event **journal;
    size_t n_journal, cap_journal;
    //  Index in the journal where the current step began.
    size_t step;
    //  The last command's status.
    int code;
    char field [128];
    char message [512];
    bool quiet;  //  skip recording (benchmark): events are applied only
} ah_t;

//  A harness over a fresh state; `config` NULL means the defaults.
ah_t *
ah_new (const assignment_config_t *config);
void
ah_destroy (ah_t **self_p);

//  The emitter the deciders get (ctx is the harness).
int
ah_emit (void *ctx, Caseflow__V1__Event *event);

//  ---------------------------------------------------------- intake side
//  Each applies one intake event and lets the service react. Strings may
//  be NULL; `domains` is a mask of AH_D bits; `areas_csv` lists the
//  case's areas ("L1,L2"), as intake resolves them from the district.
void
ah_register (ah_t *self, const char *case_id, uint32_t domains, const char *location,
             const char *areas_csv, const char *preferred_worker);
void
ah_triage (ah_t *self, const char *case_id, Caseflow__V1__Urgency urgency);
void
ah_question (ah_t *self, const char *case_id, uint32_t domains);
void
ah_close (ah_t *self, const char *case_id);
//  Registers and triages in one go.
void
ah_case (ah_t *self, const char *case_id, uint32_t domains, const char *location,
         Caseflow__V1__Urgency urgency);

//  ------------------------------------------------------------- commands
//  Each returns the status code (0 = OK); field and message in the harness.
int
ah_command (ah_t *self, const Caseflow__V1__Assignment__Command *command);
int
ah_add_location (ah_t *self, const char *id, const char *districts_csv);
int
ah_add_worker (ah_t *self, const char *id, uint32_t fte_milli, const char *locations_csv,
               uint32_t expertise, uint32_t max_caseload);
int
ah_change_worker (ah_t *self, const char *id, uint32_t fte_milli, uint32_t max_caseload);
int
ah_absent (ah_t *self, const char *id, int64_t from, int64_t until);
int
ah_returned (ah_t *self, const char *id);
int
ah_left (ah_t *self, const char *id);
int
ah_assign (ah_t *self, const char *case_id, const char *worker_id, const char *reason);
int
ah_start (ah_t *self, const char *case_id);
int
ah_complete (ah_t *self, const char *case_id, const char *outcome);

//  Moves the clock to `at` and runs on_clock.
void
ah_clock (ah_t *self, int64_t at);

//  ---------------------------------------------------------- inspection

//  The worker of an open case, or NULL (waiting, closed, unknown).
const char *
ah_worker_of (ah_t *self, const char *case_id);
//  The case, asserted to exist.
assignment_case_t *
ah_case_get (ah_t *self, const char *case_id);
//  Events of the current step (since the last intake event, command or
//  clock move), and the n-th of them of a body type (NULL when missing).
size_t
ah_step_count (ah_t *self);
const Caseflow__V1__Event *
ah_step_event (ah_t *self, Caseflow__V1__Event__BodyCase body, size_t nth);
//  The last CaseAssigned for a case in the whole journal, or NULL.
const Caseflow__V1__Assignment__CaseAssigned *
ah_last_assigned (ah_t *self, const char *case_id);
//  Position on the waiting list (1 = head) or 0.
uint32_t
ah_position (ah_t *self, const char *case_id);
//  Asserts that replaying the journal into a fresh state gives the same
//  digest as the live state.
void
ah_assert_replay_equal (ah_t *self);

//  ------------------------------------------------------------ fixtures

//  cmocka setup and teardown: a fresh harness with the defaults; at the
//  end, the journal replayed must give the live state's digest.
int
ah_setup (void **state);
int
ah_teardown (void **state);

//  Two locations: L1 serves districts North and East, L2 serves South.
void
ah_locations (ah_t *self);

//  The n-th CaseAssigned of the current step, or NULL.
const Caseflow__V1__Assignment__CaseAssigned *
ah_step_assigned (ah_t *self, size_t nth);

#endif
