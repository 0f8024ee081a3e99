//  test_webhooks_rules: the subscription lifecycle table, the retry rules
//  (back-off with jitter, Retry-After in seconds and as HTTP-dates, the
//  verdict of an attempt, the parking limits) and the type grammar.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "gateway_webhooks_lifecycle.h"
#include "gateway_webhooks_retry.h"
#include "gateway_webhooks_state.h"

#include <string.h>
#include <time.h>

static void
test_lifecycle_table (void **state)
{
    (void) state;
    gateway_subscription_state_t to;
    assert_int_equal (
        gateway_webhooks_lifecycle_next (GATEWAY_SUBSCRIPTION_ACTIVE, GATEWAY_WEBHOOK_PAUSE, &to),
        0);
    assert_int_equal (to, GATEWAY_SUBSCRIPTION_PAUSED);
    assert_int_equal (
        gateway_webhooks_lifecycle_next (GATEWAY_SUBSCRIPTION_PAUSED, GATEWAY_WEBHOOK_RESUME, &to),
        0);
    assert_int_equal (to, GATEWAY_SUBSCRIPTION_ACTIVE);
    assert_int_equal (
        gateway_webhooks_lifecycle_next (GATEWAY_SUBSCRIPTION_ACTIVE, GATEWAY_WEBHOOK_RETIRE, &to),
        0);
    assert_int_equal (to, GATEWAY_SUBSCRIPTION_RETIRED);
    //  The handshake passes (active) or fails (removed); nothing is sent
    //  before.
    assert_int_equal (gateway_webhooks_lifecycle_next (GATEWAY_SUBSCRIPTION_VERIFYING,
                                                       GATEWAY_WEBHOOK_VERIFY, &to),
                      0);
    assert_int_equal (to, GATEWAY_SUBSCRIPTION_ACTIVE);
    assert_false (gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_VERIFYING,
                                                     GATEWAY_WEBHOOK_DELIVER));
    assert_true (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_VERIFYING, GATEWAY_WEBHOOK_REMOVE));
    //  Only active subscriptions send; resend is taken while paused.
    assert_true (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_ACTIVE, GATEWAY_WEBHOOK_DELIVER));
    assert_false (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_PAUSED, GATEWAY_WEBHOOK_DELIVER));
    assert_true (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_PAUSED, GATEWAY_WEBHOOK_RESEND));
    assert_false (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_RETIRED, GATEWAY_WEBHOOK_RESEND));
    assert_false (
        gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_RETIRED, GATEWAY_WEBHOOK_RESUME));
    //  Removed is final.
    for (int action = 0; action < GATEWAY_WEBHOOK_ACTION_COUNT; action++)
        assert_false (gateway_webhooks_lifecycle_allows (GATEWAY_SUBSCRIPTION_REMOVED,
                                                         (gateway_webhook_action_t) action));
    //  One refusal, naming the state and where the action is allowed from.
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    assert_int_equal (gateway_webhooks_lifecycle_check ("W1", GATEWAY_SUBSCRIPTION_RETIRED,
                                                        GATEWAY_WEBHOOK_PAUSE, &to, &reply,
                                                        "subscription_id"),
                      CF_ESTATE);
    assert_int_equal (reply.status->code, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_string_equal (reply.status->message,
                         "subscription W1 is retired; pause needs it active");
    assert_string_equal (reply.status->field, "subscription_id");
    cf_api_reply_clear (&reply);
}

static void
test_backoff (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = gateway_retry_policy_default ();
    policy.base_ms = 100;
    policy.cap_ms = 1000;
    //  Attempt n waits within [d/2, d], d = min(cap, base * 2^(n-1)).
    uint64_t expected [] = { 100, 200, 400, 800, 1000, 1000, 1000 };
    for (uint32_t n = 1; n <= 7; n++) {
        uint64_t d = expected [n - 1];
        assert_int_equal (gateway_retry_delay_ms (&policy, n, 0), d - d / 2);
        assert_int_equal (gateway_retry_delay_ms (&policy, n, (uint32_t) (d / 2)), d);
        for (uint32_t r = 0; r < 1000; r += 37) {
            uint64_t wait = gateway_retry_delay_ms (&policy, n, r * 2654435761u);
            assert_true (wait >= d - d / 2 && wait <= d);
        }
    }
    //  Far past the cap: no overflow.
    assert_int_equal (gateway_retry_delay_ms (&policy, 4000000000u, 0), 500);
    //  The jitter spreads: not every random gives the same wait.
    assert_int_not_equal (gateway_retry_delay_ms (&policy, 3, 1),
                          gateway_retry_delay_ms (&policy, 3, 150));

    const char *field;
    assert_int_equal (gateway_retry_policy_check (&policy, &field), 0);
    policy.cap_ms = 50;
    assert_int_equal (gateway_retry_policy_check (&policy, &field), CF_EINVAL);
    assert_string_equal (field, "cap_ms");
    policy = gateway_retry_policy_default ();
    policy.max_attempts = 0;
    assert_int_equal (gateway_retry_policy_check (&policy, &field), CF_EINVAL);
    assert_string_equal (field, "max_attempts");
}

static void
test_retry_after (void **state)
{
    (void) state;
    gateway_retry_policy_t policy = gateway_retry_policy_default ();
    policy.retry_after_max_ms = 600000;
    uint64_t delay;
    assert_int_equal (gateway_retry_after_parse (&policy, "120", 0, &delay), 0);
    assert_int_equal (delay, 120000);
    assert_int_equal (gateway_retry_after_parse (&policy, "0", 0, &delay), 0);
    assert_int_equal (delay, 0);
    //  Bounded, even for a number that would overflow when multiplied.
    assert_int_equal (gateway_retry_after_parse (&policy, "99999999999999999", 0, &delay), 0);
    assert_int_equal (delay, 600000);
    //  1994-11-06T08:49:37Z is 784111777 in every form RFC 9110 lists.
    int64_t now = 784111777 - 30;
    assert_int_equal (
        gateway_retry_after_parse (&policy, "Sun, 06 Nov 1994 08:49:37 GMT", now, &delay), 0);
    assert_int_equal (delay, 30000);
    assert_int_equal (
        gateway_retry_after_parse (&policy, "Sunday, 06-Nov-94 08:49:37 GMT", now, &delay), 0);
    assert_int_equal (delay, 30000);
    assert_int_equal (gateway_retry_after_parse (&policy, "Sun Nov  6 08:49:37 1994", now, &delay),
                      0);
    assert_int_equal (delay, 30000);
    //  A date in the past: at once.
    assert_int_equal (
        gateway_retry_after_parse (&policy, "Sun, 06 Nov 1994 08:49:37 GMT", now + 3600, &delay),
        0);
    assert_int_equal (delay, 0);
    const char *bad [] = { "", "soon", "12s", "-5", "Sun, 06 Nov 1994", "1.5" };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++)
        assert_int_equal (gateway_retry_after_parse (&policy, bad [i], now, &delay), CF_EINVAL);
    assert_int_equal (gateway_retry_after_parse (&policy, NULL, now, &delay), CF_EINVAL);
}

static void
test_verdicts_and_limits (void **state)
{
    (void) state;
    char reason [64];
    assert_int_equal (gateway_attempt_verdict (0, 200, reason, sizeof reason),
                      GATEWAY_ATTEMPT_DELIVERED);
    assert_string_equal (reason, "");
    assert_int_equal (gateway_attempt_verdict (0, 204, reason, sizeof reason),
                      GATEWAY_ATTEMPT_DELIVERED);
    assert_int_equal (gateway_attempt_verdict (0, 410, reason, sizeof reason),
                      GATEWAY_ATTEMPT_GONE);
    assert_string_equal (reason, "HTTP 410");
    assert_int_equal (gateway_attempt_verdict (0, 500, reason, sizeof reason),
                      GATEWAY_ATTEMPT_RETRY);
    assert_string_equal (reason, "HTTP 500");
    assert_int_equal (gateway_attempt_verdict (0, 301, reason, sizeof reason),
                      GATEWAY_ATTEMPT_RETRY);
    assert_int_equal (gateway_attempt_verdict (0, 429, reason, sizeof reason),
                      GATEWAY_ATTEMPT_RETRY);
    assert_int_equal (gateway_attempt_verdict (CF_ETIMEOUT, 0, reason, sizeof reason),
                      GATEWAY_ATTEMPT_RETRY);
    assert_string_equal (reason, "timeout");
    assert_int_equal (gateway_attempt_verdict (CF_EIO, 0, reason, sizeof reason),
                      GATEWAY_ATTEMPT_RETRY);
    assert_string_equal (reason, "connection failed");

    gateway_retry_policy_t policy = gateway_retry_policy_default ();
    policy.max_attempts = 3;
    policy.max_age_ms = 1000;
    //  Both limits, not either.
    assert_false (gateway_retry_exhausted (&policy, 2, 5000));
    assert_false (gateway_retry_exhausted (&policy, 50, 999));
    assert_true (gateway_retry_exhausted (&policy, 3, 1000));
}

static void
test_types (void **state)
{
    (void) state;
    char stream [GATEWAY_STREAM_MAX + 1];
    assert_int_equal (
        gateway_webhooks_type_stream ("nl.sociaal-domein.notification.reminder-due", stream), 0);
    assert_string_equal (stream, "notification");
    assert_int_equal (gateway_webhooks_type_stream ("nl.sociaal-domein.intake-west.*", stream), 0);
    assert_string_equal (stream, "intake-west");
    const char *bad [] = { "nl.sociaal-domein.intake",
                           "nl.sociaal-domein..x",
                           "nl.telefonie.gesprek-aangeboden",
                           "nl.sociaal-domein.Intake.x",
                           "nl.sociaal-domein.intake.case_registered",
                           "nl.sociaal-domein.a.b.c",
                           "nl.sociaal-domein.intake.*x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++)
        assert_int_equal (gateway_webhooks_type_stream (bad [i], stream), CF_EINVAL);

    char *types [] = { "nl.sociaal-domein.notification.reminder-due",
                       "nl.sociaal-domein.intake.*" };
    gateway_subscription_t subscription = { .types = types, .n_types = 2 };
    assert_true (
        gateway_subscription_wants (&subscription, "nl.sociaal-domein.notification.reminder-due"));
    assert_false (gateway_subscription_wants (&subscription,
                                              "nl.sociaal-domein.notification.reminder-scheduled"));
    assert_true (
        gateway_subscription_wants (&subscription, "nl.sociaal-domein.intake.case-registered"));
    assert_false (gateway_subscription_wants (&subscription,
                                              "nl.sociaal-domein.intake-west.case-registered"));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_lifecycle_table), cmocka_unit_test (test_backoff),
        cmocka_unit_test (test_retry_after),     cmocka_unit_test (test_verdicts_and_limits),
        cmocka_unit_test (test_types),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
