//  assignment_validate: the field checks of the assignment commands (see
//  assignment_validate.h).
#include "assignment_validate.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_text.h"
#include "cf_words.h"

#include <string.h>

#define S_INVALID   CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_NOT_FOUND CASEFLOW__V1__STATUS__CODE__NOT_FOUND

//  The id grammar and its refusal are cf_id's, the same in every service.
bool
assignment_check_id (Caseflow__V1__Reply *reply, const char *field, const char *id)
{
    return cf_id_check (reply, field, id, true);
}

//  Required one-line free text: cf_text's rule and refusal.
bool
assignment_check_text (Caseflow__V1__Reply *reply, const char *field, const char *text, size_t max)
{
    return cf_text_check (reply, field, text, max, true, false);
}

bool
assignment_check_fte (Caseflow__V1__Reply *reply, const char *field, uint32_t fte_milli)
{
    if (fte_milli >= 100 && fte_milli <= 1000)
        return true;
    cf_api_reply_status (reply, S_INVALID, field,
                         "must be 100-1000 (thousandths of an FTE: 0.1-1.0), got %u", fte_milli);
    return false;
}

bool
assignment_check_max_caseload (Caseflow__V1__Reply *reply, const char *field, uint32_t max_caseload)
{
    if (max_caseload <= ASSIGNMENT_MAX_CASELOAD)
        return true;
    cf_api_reply_status (reply, S_INVALID, field, "must be at most %d (0: the limit per FTE)",
                         ASSIGNMENT_MAX_CASELOAD);
    return false;
}

bool
assignment_check_locations (assignment_state_t *state, Caseflow__V1__Reply *reply,
                            const char *field, char *const *locations, size_t count)
{
    if (count == 0 || count > ASSIGNMENT_MAX_LOCATIONS) {
        cf_api_reply_status (reply, S_INVALID, field, "1-%d locations are required",
                             ASSIGNMENT_MAX_LOCATIONS);
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (!assignment_check_id (reply, field, locations [i]))
            return false;
        for (size_t k = 0; k < i; k++)
            if (strcmp (locations [k], locations [i]) == 0) {
                cf_api_reply_status (reply, S_INVALID, field, "location \"%s\" is given twice",
                                     locations [i]);
                return false;
            }
        if (!assignment_state_location (state, locations [i])) {
            cf_api_reply_status (reply, S_NOT_FOUND, field, "no location \"%s\" (add it first)",
                                 locations [i]);
            return false;
        }
    }
    return true;
}

bool
assignment_check_expertise (Caseflow__V1__Reply *reply, const char *field,
                            const Caseflow__V1__Domain *domains, size_t count)
{
    if (count == 0) {
        cf_api_reply_status (reply, S_INVALID, field, "at least one domain is required");
        return false;
    }
    uint32_t seen = 0;
    for (size_t i = 0; i < count; i++) {
        int domain = domains [i];
        if (domain <= CASEFLOW__V1__DOMAIN__DOMAIN_UNSPECIFIED
            || domain > CASEFLOW__V1__DOMAIN__DOMAIN_OTHER) {
            cf_api_reply_status (reply, S_INVALID, field, "unknown domain %d", domain);
            return false;
        }
        if (seen & (1u << domain)) {
            cf_api_reply_status (reply, S_INVALID, field, "domain %s is given twice",
                                 cf_words_name (&cf_words_domain, domain));
            return false;
        }
        seen |= 1u << domain;
    }
    return true;
}
