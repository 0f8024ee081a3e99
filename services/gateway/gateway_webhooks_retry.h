//  gateway_webhooks_retry: what one delivery attempt's end means, and when
//  to try again.
//
//  Every time here is monotonic: milliseconds of uv_now (CLOCK_MONOTONIC),
//  never the service's clock, which a test or demo may have set weeks
//  ahead (DESIGN.md "CloudEvents at the edge"). The one exception is an
//  HTTP-date in Retry-After, which only makes sense against the real
//  calendar: it is turned into a delay against the real time (the caller
//  passes CLOCK_REALTIME seconds) and that delay then runs on the
//  monotonic clock.
//
//  Back-off: attempt n (1, 2, ...) failed, so wait
//  min(cap, base * 2^(n-1)), "equal jitter": half of it fixed, the other
//  half random, so many subscriptions failing together do not retry in
//  step and no wait is shorter than half the schedule. A 429's Retry-After
//  replaces the back-off (bounded by retry_after_max_ms, so a sink cannot
//  stall a stream for ever with one header). An event is parked once it
//  has been tried max_attempts times AND its first attempt is max_age_ms
//  old: both, so neither a burst of fast failures nor one long Retry-After
//  parks it early.
#ifndef GATEWAY_WEBHOOKS_RETRY_H
#define GATEWAY_WEBHOOKS_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t base_ms;             //  first back-off (default 1,000)
    uint64_t cap_ms;              //  longest back-off (default 300,000)
    uint32_t max_attempts;        //  park after this many attempts ... (default 12)
    uint64_t max_age_ms;          //  ... and this long since the first (default 3,600,000)
    uint64_t retry_after_max_ms;  //  longest Retry-After honoured (default 3,600,000)
    uint64_t timeout_ms;          //  one attempt's time limit (default 10,000)
} gateway_retry_policy_t;

//  The defaults above.
gateway_retry_policy_t
gateway_retry_policy_default (void);

//  Checks a policy: 0, or CF_EINVAL with *field_p naming the first bad
//  value (base 0, cap below base, no attempts, timeout 0).
int
gateway_retry_policy_check (const gateway_retry_policy_t *policy, const char **field_p);

//  The wait after attempt `attempts` (>= 1) failed, with `random` (any
//  32-bit value) choosing the jittered half. Always in
//  [delay/2, delay] for delay = min(cap, base * 2^(attempts-1)).
uint64_t
gateway_retry_delay_ms (const gateway_retry_policy_t *policy, uint32_t attempts, uint32_t random);

//  Parses a Retry-After value: delay-seconds ("120") or an HTTP-date
//  (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete RFC 850
//  and asctime forms), the latter against `now_unix` (real seconds since
//  the epoch; a date in the past is 0). Sets *delay_ms_p, bounded by the
//  policy's retry_after_max_ms. Returns 0, or CF_EINVAL when the value is
//  neither.
int
gateway_retry_after_parse (const gateway_retry_policy_t *policy, const char *value,
                           int64_t now_unix, uint64_t *delay_ms_p);

typedef enum {
    GATEWAY_ATTEMPT_DELIVERED,  //  2xx
    GATEWAY_ATTEMPT_RETRY,      //  anything else: 5xx, 4xx, 3xx, timeout, refused
    GATEWAY_ATTEMPT_GONE,       //  410: the subscription retires
} gateway_attempt_verdict_t;

//  What an attempt that ended with cf_http_client's `rc` and `status`
//  means; writes the failure's words ("HTTP 500", "timeout", "connection
//  failed") into `reason` (empty when delivered).
gateway_attempt_verdict_t
gateway_attempt_verdict (int rc, long status, char *reason, size_t size);

//  True when an event tried `attempts` times, first `age_ms` ago, is to be
//  parked.
bool
gateway_retry_exhausted (const gateway_retry_policy_t *policy, uint32_t attempts, uint64_t age_ms);

#endif
