//  intake_erase: erasing a resident (AVG art. 17; docs/privacy.md), on
//  request and when their retention period is over, and the holds that
//  keep them past it.
//
//  The command names the resident by a case, the handover they came from,
//  or their subject id, with a reason. It emits ResidentErased: the
//  subject, every key id their events were sealed with (intake's and the
//  transit keys adopted), every case, the reason; no personal data. Every
//  key holder follows it and destroys those keys; intake destroys its own
//  once the event is durable (intake_keys.h). Nothing else changes: every
//  count, report and timeline stays as it was, the personal fields read
//  "erased". Erasing again answers the first erasure and emits nothing.
//
//  A request the law lets caseflow refuse is refused (intake_retention.h:
//  the resident is held, or a refusable domain's period runs) unless it
//  sets override_retention; the event then says so (retention_overridden)
//  and the reason says why. Retention itself erases through the same
//  event, with basis RETENTION, when notification says a resident's period
//  is over (RetentionDue), unless by then they are held, erased or have an
//  open case again. The resident's states and moves (kept, held, erased)
//  are a table (intake_lifecycle.h).
#ifndef INTAKE_ERASE_H
#define INTAKE_ERASE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "intake_state.h"

//  Decides on Erase into `reply`: OK with ErasureResult; NOT_FOUND
//  for an unknown case, handover or subject; INVALID_ARGUMENT naming the
//  field (none or more than one of case_id, handover_id, subject; no
//  reason); FAILED_PRECONDITION on command.intake.erase.override_retention
//  naming the hold or the retention rule, when the request may be refused
//  and does not override retention.
void
intake_decide_erase (intake_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Intake__Erase *command, Caseflow__V1__Reply *reply);

//  Decides on Hold into `reply`: OK with HoldResult (holding a held
//  resident again emits nothing); NOT_FOUND, INVALID_ARGUMENT as Erase (no
//  handover_id); FAILED_PRECONDITION naming the state for an erased one.
void
intake_decide_hold (intake_state_t *state, cf_decider_t *decider,
                    const Caseflow__V1__Intake__Hold *command, Caseflow__V1__Reply *reply);

//  Decides on Release into `reply`: OK with HoldResult; NOT_FOUND,
//  INVALID_ARGUMENT as Hold; FAILED_PRECONDITION naming the state for a
//  resident who is not held.
void
intake_decide_release (intake_state_t *state, cf_decider_t *decider,
                       const Caseflow__V1__Intake__Release *command, Caseflow__V1__Reply *reply);

//  Reacts to notification's RetentionDue `event` (borrowed): emits
//  ResidentErased with basis RETENTION, unless the subject is unknown,
//  held or erased, has an open case, or closed a case after the closure
//  the timer counted from (each logged; notification counts again from
//  the next closure or release). Returns 0 or the emit error.
int
intake_erase_when_due (intake_state_t *state, cf_decider_t *decider,
                       const Caseflow__V1__Event *event);

#endif
