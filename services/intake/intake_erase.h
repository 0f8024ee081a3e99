//  intake_erase: erasing a resident (AVG art. 17; docs/privacy.md).
//
//  The command names the resident by a case, the handover they came from,
//  or their subject id, with a reason. It emits ResidentErased: the
//  subject, every key id their events were sealed with (intake's and the
//  transit keys adopted), every case, the reason; no personal data. Every
//  key holder follows it and destroys those keys; intake destroys its own
//  once the event is durable (intake_keys.h). Nothing else changes: every
//  count, report and timeline stays as it was, the personal fields read
//  "erased". Erasing again answers the first erasure and emits nothing.
#ifndef INTAKE_ERASE_H
#define INTAKE_ERASE_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_decider.h"
#include "intake_state.h"

//  Decides on Erase into decider->reply: OK with ErasureResult; NOT_FOUND
//  for an unknown case, handover or subject; INVALID_ARGUMENT naming the
//  field (none or more than one of case_id, handover_id, subject; no
//  reason).
void
intake_decide_erase (intake_state_t *state, cf_decider_t *decider,
                     const Caseflow__V1__Intake__Erase *command, Caseflow__V1__Reply *reply);

#endif
