//  intake_retention: a resident's retention rule (see intake_retention.h).
//
//  The facts are read from the cases each time they are asked for: a
//  resident has a few cases, and what is asked (an erasure request, a
//  retention that fell due) is rare; nothing to keep up to date in apply.
#include "intake_retention.h"

#include "cf_time.h"
#include "cf_words.h"

#include <stdio.h>
#include <string.h>

void
intake_retention_of (const intake_state_t *state, const intake_subject_t *subject,
                     intake_retention_t *out)
{
    memset (out, 0, sizeof *out);
    for (size_t i = 0; i < subject->case_count; i++) {
        const intake_case_t *kase = intake_state_case (state, subject->case_ids [i]);
        if (!kase)
            continue;
        //  A case's set holds the domains of the questions that joined it.
        out->domains |= kase->domains;
        if (!out->open && intake_lifecycle_is_open (kase->status))
            out->open = kase;
        if (kase->closed_at > out->last_closed_at)
            out->last_closed_at = kase->closed_at;
    }
    out->span = cf_retention_span (intake_state_retention (state), out->domains);
}

bool
intake_retention_refusable (const intake_state_t *state, const intake_subject_t *subject,
                            int64_t now, char *why, size_t size)
{
    char date [32], until [32];
    if (subject->held) {
        snprintf (why, size,
                  "resident %s is held (since %s): their data is kept past retention until "
                  "released; erase with override_retention and the reason why",
                  subject->id, cf_time_format_date (subject->held_at, date, sizeof date));
        return true;
    }
    intake_retention_t facts;
    intake_retention_of (state, subject, &facts);
    if (!facts.span.refuse_domain)
        return false;
    char runs [160];
    if (facts.open)
        snprintf (runs, sizeof runs, "case %s is open", facts.open->id);
    else {
        int64_t end = cf_retention_until (facts.last_closed_at, facts.span.refuse_years);
        if (end <= now)
            return false;
        snprintf (runs, sizeof runs, "the last case closed on %s, so it runs until %s",
                  cf_time_format_date (facts.last_closed_at, date, sizeof date),
                  cf_time_format_date (end, until, sizeof until));
    }
    const cf_retention_rule_t *rule = cf_retention_rule (facts.span.refuse_domain);
    snprintf (why, size,
              "the retention rule of %s (%u years after the last case closed: %s) lets caseflow "
              "refuse an erasure request while it runs (%s): %s; erase with override_retention "
              "and the reason why",
              cf_words_name (&cf_words_domain, rule->domain), facts.span.refuse_years, rule->source,
              rule->request, runs);
    return true;
}

char *
intake_retention_reason (int domain, unsigned years, char *buf, size_t size)
{
    const cf_retention_rule_t *rule = cf_retention_rule (domain);
    snprintf (buf, size, "retention: %u years after the last case closed (%s)", years,
              rule ? rule->source : "no rule known for its domain");
    return buf;
}
