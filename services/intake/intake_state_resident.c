//  intake_state_resident: what the state knows of a resident besides their
//  cases (see intake_state.h): the sets of their question domains, one bit
//  per domain (cf_retention's bits, so a set is what their retention rule
//  is asked with), and their state in the retention table with the holds
//  apply makes.
#include "intake_state.h"

#include "cf_error.h"

intake_domains_t
intake_domain_bit (int domain)
{
    if (domain < CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH || domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER)
        return 0;
    return (intake_domains_t) 1 << domain;
}

intake_domains_t
intake_domains_of (const Caseflow__V1__Domain *domains, size_t count)
{
    return cf_retention_domain_set (domains, count);
}

size_t
intake_domains_list (intake_domains_t set, Caseflow__V1__Domain *out)
{
    size_t count = 0;
    for (int domain = CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH;
         domain <= CASEFLOW__V1__DOMAIN__DOMAIN_OTHER; domain++)
        if (set & intake_domain_bit (domain))
            out [count++] = (Caseflow__V1__Domain) domain;
    return count;
}

intake_resident_state_t
intake_subject_state (const intake_subject_t *subject)
{
    if (subject->erased_at)
        return INTAKE_RESIDENT_ERASED;
    return subject->held ? INTAKE_RESIDENT_HELD : INTAKE_RESIDENT_KEPT;
}

int
intake_subject_apply_hold (intake_subject_t *subject, const Caseflow__V1__Event *event, bool held)
{
    //  A decision never emits a hold that changes nothing (holding a held
    //  resident again records nothing).
    if (subject->held == held
        || intake_resident_next (intake_subject_state (subject),
                                 held ? INTAKE_HOLD : INTAKE_RELEASE, NULL))
        return CF_ESTATE;
    subject->held = held;
    if (held)
        subject->held_at = event->occurred_at;
    return 0;
}
