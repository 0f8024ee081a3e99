//  intake_retention: a resident's retention rule as intake sees it
//  (docs/privacy.md, "Retention"; the rules are common/cf_retention's).
//
//  From the resident's cases: the domains of all of them (registrations
//  and the questions that joined), whether one is still open, when the
//  last one closed, and so the rule (cf_retention_span) and the moment its
//  period ends. Intake asks it to refuse an erasure request the law lets
//  it refuse (intake_erase.h) and to word a retention erasure's reason;
//  notification keeps the timer that says when a period is over.
#ifndef INTAKE_RETENTION_H
#define INTAKE_RETENTION_H

#include "cf_retention.h"
#include "intake_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  What a resident's rule is decided from.
typedef struct {
    intake_domains_t domains;   //  of every case of theirs
    const intake_case_t *open;  //  an open case of theirs (the first), or NULL
    int64_t last_closed_at;     //  the latest closure (0: none)
    cf_retention_span_t span;   //  their rule under the periods in force
} intake_retention_t;

//  The facts of `subject` (a subject of `state`) into *out.
void
intake_retention_of (const intake_state_t *state, const intake_subject_t *subject,
                     intake_retention_t *out);

//  Whether the law lets caseflow refuse an erasure request of `subject` at
//  `now`: the resident is held, or a refusable domain's period still runs
//  (a case is open, or the last closed less than that period ago). Then
//  returns true with the refusal in `why` (naming the hold, or the rule:
//  domain, years, source, and until when); false when the request must be
//  honoured.
bool
intake_retention_refusable (const intake_state_t *state, const intake_subject_t *subject,
                            int64_t now, char *why, size_t size);

//  The reason of a retention erasure: "retention: <years> years after the
//  last case closed (<source of domain's rule>)", into `buf`. Returns buf.
char *
intake_retention_reason (int domain, unsigned years, char *buf, size_t size);

#endif
