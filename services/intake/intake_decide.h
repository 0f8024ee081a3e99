//  intake_decide: intake's decisions. Commands (register, triage, record
//  callback, create and join tracks, advise, withdraw, close) and reactions
//  to upstream events (a completed handover, assignment's case events)
//  validate fully, then emit events through a sink.
//
//  The sink is cf_service_emit in production and a collector in the unit
//  tests: either way it must stamp the envelope (seq, occurred_at) and
//  apply the event to the state before returning, so a decision that emits
//  two events sees the first applied, and the reply built after emitting
//  shows the case as it now is. A refused command emits nothing.
#ifndef INTAKE_DECIDE_H
#define INTAKE_DECIDE_H

#include "caseflow/v1/api.pb-c.h"
#include "intake_state.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    //  Records one event (borrowed for the call: copy what you keep) and
    //  applies it. Returns 0, or non-zero when it could not: the decision
    //  then stops at once (the runtime abandons the batch).
    int (*emit) (void *ctx, Caseflow__V1__Event *event);
    void *ctx;
    //  The service clock at the decision (microseconds since the epoch);
    //  used for validation only (a birth date in the future), never stored.
    int64_t now;
} intake_sink_t;

//  Decides on an intake command and fills `reply`: its status (OK, or
//  INVALID_ARGUMENT naming the field as "command.intake.<command>.<field>",
//  NOT_FOUND, CONFLICT, FAILED_PRECONDITION naming the case's status) and,
//  on success, its result (CommandResult.intake: RegisterResult for
//  register, TrackView for create_track, the CaseView after the command for
//  the rest).
void
intake_decide_command (intake_state_t *state, const intake_sink_t *sink,
                       const Caseflow__V1__Intake__Command *command, Caseflow__V1__Reply *reply);

//  Reacts to an upstream event already applied: a HandoverCompleted with
//  next step CONTINUE becomes a case (or joins the resident's open case);
//  assignment's CaseAssigned, CaseStarted and CaseUnassigned become
//  CaseStatusChanged, CaseCompleted becomes CaseClosed{COMPLETED}. Events
//  for unknown or closed cases, repeats and moves the lifecycle does not
//  allow are ignored (logged), never an error.
void
intake_decide_upstream (intake_state_t *state, const intake_sink_t *sink,
                        const Caseflow__V1__Event *event);

//  --------------------------------------------- shared by the two files

//  A resident's question arriving through any channel, already validated.
typedef struct {
    Caseflow__V1__Channel channel;
    const char *location;
    const Caseflow__V1__PersonalData *resident;  //  not NULL
    intake_domains_t domains;                    //  not empty
    const char *question, *referred_by, *preferred_worker, *handover_id, *provider_id;
    //  Triage to apply at once (UNSPECIFIED: none) and its reason.
    Caseflow__V1__Urgency urgency;
    const char *reason;
} intake_arrival_t;

//  Opens a case for the arrival (CaseRegistered, then CaseTriaged when it
//  carries an urgency) or, when the resident has an open case, joins it
//  (QuestionAdded, then CaseTriaged when the arrival's urgency escalates
//  the case to URGENT or the case was not triaged yet; a join never lowers
//  an urgency). Sets *case_p to the case and *joined_p. Returns 0 or the
//  sink's error.
int
intake_decide_arrival (intake_state_t *state, const intake_sink_t *sink,
                       const intake_arrival_t *arrival, const intake_case_t **case_p,
                       bool *joined_p);

//  Emits `event` with envelope case id `case_id` (may be NULL).
int
intake_emit (const intake_sink_t *sink, Caseflow__V1__Event *event, const char *case_id);

#endif
