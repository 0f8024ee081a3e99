//  cf_lifecycle: the transition-table lookups and the one refusal (see
//  cf_lifecycle.h). Tables are a few dozen rows: a linear scan is the
//  fastest and simplest lookup.
#include "cf_lifecycle.h"

#include "cf_api.h"
#include "cf_error.h"

#include <assert.h>
#include <stdio.h>

int
cf_lifecycle_next (const cf_lifecycle_t *self, int from, int action, int *to_p)
{
    for (size_t i = 0; i < self->count; i++)
        if (self->moves [i].action == action && self->moves [i].from == from) {
            if (to_p)
                *to_p = self->moves [i].to;
            return 0;
        }
    return CF_ESTATE;
}

bool
cf_lifecycle_allows (const cf_lifecycle_t *self, int from, int action)
{
    return cf_lifecycle_next (self, from, action, NULL) == 0;
}

char *
cf_lifecycle_allowed_from (const cf_lifecycle_t *self, int action, char *buf, size_t size)
{
    assert (buf && size > 0);
    size_t count = 0;
    for (size_t i = 0; i < self->count; i++)
        count += self->moves [i].action == action;
    buf [0] = 0;
    if (count == 0) {
        snprintf (buf, size, "nothing");
        return buf;
    }
    size_t len = 0, index = 0;
    for (size_t i = 0; i < self->count && len < size; i++) {
        if (self->moves [i].action != action)
            continue;
        const char *separator = index == 0 ? "" : index + 1 == count ? " or " : ", ";
        int n = snprintf (buf + len, size - len, "%s%s", separator,
                          self->state_word (self->moves [i].from));
        if (n < 0)
            break;
        len += (size_t) n;
        index++;
    }
    return buf;
}

char *
cf_lifecycle_refusal (const cf_lifecycle_t *self, const char *id, int from, int action, char *buf,
                      size_t size)
{
    char allowed [160];
    snprintf (buf, size, "%s %s is %s; %s needs it %s", self->entity, id, self->state_word (from),
              self->action_word (action),
              cf_lifecycle_allowed_from (self, action, allowed, sizeof allowed));
    return buf;
}

int
cf_lifecycle_check (const cf_lifecycle_t *self, const char *id, int from, int action, int *to_p,
                    Caseflow__V1__Reply *reply, const char *field)
{
    if (cf_lifecycle_next (self, from, action, to_p) == 0)
        return 0;
    char refusal [CF_LIFECYCLE_REFUSAL_SIZE];
    cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, field, "%s",
                         cf_lifecycle_refusal (self, id, from, action, refusal, sizeof refusal));
    return CF_ESTATE;
}
