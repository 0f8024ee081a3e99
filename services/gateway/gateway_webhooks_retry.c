//  gateway_webhooks_retry: back-off, Retry-After and verdicts (see the
//  header for the rules and why they are so).
#include "gateway_webhooks_retry.h"

#include "cf_error.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

gateway_retry_policy_t
gateway_retry_policy_default (void)
{
    return (gateway_retry_policy_t){
        .base_ms = 1000,
        .cap_ms = 300000,
        .max_attempts = 12,
        .max_age_ms = 3600000,
        .retry_after_max_ms = 3600000,
        .timeout_ms = 10000,
    };
}

int
gateway_retry_policy_check (const gateway_retry_policy_t *policy, const char **field_p)
{
    const char *field = NULL;
    if (policy->base_ms == 0)
        field = "base_ms";
    else if (policy->cap_ms < policy->base_ms)
        field = "cap_ms";
    else if (policy->max_attempts == 0)
        field = "max_attempts";
    else if (policy->timeout_ms == 0)
        field = "timeout_ms";
    if (field_p)
        *field_p = field;
    return field ? CF_EINVAL : 0;
}

uint64_t
gateway_retry_delay_ms (const gateway_retry_policy_t *policy, uint32_t attempts, uint32_t random)
{
    assert (attempts >= 1);
    uint64_t delay = policy->base_ms;
    //  Doubling stops at the cap (and long before 64 bits overflow).
    for (uint32_t i = 1; i < attempts && delay < policy->cap_ms; i++)
        delay *= 2;
    if (delay > policy->cap_ms)
        delay = policy->cap_ms;
    uint64_t half = delay / 2;
    return delay - half + (uint64_t) random % (half + 1);
}

//  An HTTP-date in any of the three forms RFC 9110 says a recipient takes.
static int
s_http_date (const char *value, int64_t *unix_p)
{
    static const char *forms [] = {
        "%a, %d %b %Y %H:%M:%S GMT",  //  IMF-fixdate
        "%A, %d-%b-%y %H:%M:%S GMT",  //  RFC 850
        "%a %b %e %H:%M:%S %Y",       //  asctime
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms [0]; i++) {
        struct tm tm;
        memset (&tm, 0, sizeof tm);
        const char *end = strptime (value, forms [i], &tm);
        if (end && *end == '\0') {
            *unix_p = (int64_t) timegm (&tm);
            return 0;
        }
    }
    return CF_EINVAL;
}

int
gateway_retry_after_parse (const gateway_retry_policy_t *policy, const char *value,
                           int64_t now_unix, uint64_t *delay_ms_p)
{
    if (!value || !*value)
        return CF_EINVAL;
    uint64_t delay_ms;
    if (isdigit ((unsigned char) value [0])) {
        char *end;
        unsigned long long seconds = strtoull (value, &end, 10);
        if (*end != '\0')
            return CF_EINVAL;
        //  Over the bound anyway: clamp before multiplying.
        delay_ms = seconds > policy->retry_after_max_ms / 1000 ? policy->retry_after_max_ms
                                                               : seconds * 1000;
    } else {
        int64_t at;
        if (s_http_date (value, &at) != 0)
            return CF_EINVAL;
        delay_ms = at <= now_unix ? 0 : (uint64_t) (at - now_unix) * 1000;
    }
    *delay_ms_p = delay_ms > policy->retry_after_max_ms ? policy->retry_after_max_ms : delay_ms;
    return 0;
}

gateway_attempt_verdict_t
gateway_attempt_verdict (int rc, long status, char *reason, size_t size)
{
    reason [0] = '\0';
    if (rc == CF_ETIMEOUT) {
        snprintf (reason, size, "timeout");
        return GATEWAY_ATTEMPT_RETRY;
    }
    if (rc != 0) {
        snprintf (reason, size, "connection failed");
        return GATEWAY_ATTEMPT_RETRY;
    }
    if (status >= 200 && status < 300)
        return GATEWAY_ATTEMPT_DELIVERED;
    snprintf (reason, size, "HTTP %ld", status);
    return status == 410 ? GATEWAY_ATTEMPT_GONE : GATEWAY_ATTEMPT_RETRY;
}

bool
gateway_retry_exhausted (const gateway_retry_policy_t *policy, uint32_t attempts, uint64_t age_ms)
{
    return attempts >= policy->max_attempts && age_ms >= policy->max_age_ms;
}
