//  intake_lifecycle: the case transition table (see intake_lifecycle.h).
//
//  Why the less obvious rows exist:
//    - registered → assigned: an operator may assign a case manually before
//      intake triaged it; assignment's CaseAssigned is a fact intake follows
//      rather than a request it may refuse.
//    - assigned/active → waiting/urgent: CaseUnassigned (the worker is
//      absent or left) puts the case back; it goes to `urgent` when the
//      case is urgent, so the status keeps telling assignment's priority.
//    - active → assigned: a reassignment to a worker who has not started.
#include "intake_lifecycle.h"

#define S_STATUS_MAX CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED

enum {
    S_REG = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED,
    S_WAIT = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING,
    S_URG = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT,
    S_ASS = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED,
    S_ACT = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE,
    S_CLO = 1 << CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED,
};

//  s_moves [from]: the set of statuses `from` may move to.
static const unsigned s_moves [S_STATUS_MAX + 1] = {
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED] = S_WAIT | S_URG | S_ASS | S_CLO,
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING] = S_WAIT | S_URG | S_ASS | S_CLO,
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT] = S_WAIT | S_URG | S_ASS | S_CLO,
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED] = S_WAIT | S_URG | S_ASS | S_ACT | S_CLO,
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE] = S_WAIT | S_URG | S_ASS | S_ACT | S_CLO,
    [CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED] = 0,
};

static bool
s_known (Caseflow__V1__CaseStatus status)
{
    return status >= CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED && status <= S_STATUS_MAX;
}

bool
intake_lifecycle_allows (Caseflow__V1__CaseStatus from, Caseflow__V1__CaseStatus to)
{
    if (!s_known (from) || !s_known (to))
        return false;
    return (s_moves [from] & (1u << to)) != 0;
}

bool
intake_lifecycle_is_open (Caseflow__V1__CaseStatus status)
{
    return s_known (status) && status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
}

bool
intake_lifecycle_is_unassigned (Caseflow__V1__CaseStatus status)
{
    return status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
           || status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
           || status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT;
}

Caseflow__V1__CaseStatus
intake_lifecycle_status_for (Caseflow__V1__Urgency urgency)
{
    return urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
               ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
               : CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
}
