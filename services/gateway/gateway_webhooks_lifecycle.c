//  gateway_webhooks_lifecycle: the table (see the header); nothing else in
//  the gateway knows which move of a subscription is legal.
#include "gateway_webhooks_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_words.h"

#define S_ACTIVE  GATEWAY_SUBSCRIPTION_ACTIVE
#define S_PAUSED  GATEWAY_SUBSCRIPTION_PAUSED
#define S_RETIRED GATEWAY_SUBSCRIPTION_RETIRED
#define S_REMOVED GATEWAY_SUBSCRIPTION_REMOVED
#define S_VERIFY  GATEWAY_SUBSCRIPTION_VERIFYING

static const cf_lifecycle_move_t s_moves [] = {
    { GATEWAY_WEBHOOK_VERIFY, S_VERIFY, S_ACTIVE },
    { GATEWAY_WEBHOOK_REMOVE, S_VERIFY, S_REMOVED },
    { GATEWAY_WEBHOOK_PAUSE, S_ACTIVE, S_PAUSED },
    { GATEWAY_WEBHOOK_RESUME, S_PAUSED, S_ACTIVE },
    { GATEWAY_WEBHOOK_RETIRE, S_ACTIVE, S_RETIRED },
    { GATEWAY_WEBHOOK_REMOVE, S_ACTIVE, S_REMOVED },
    { GATEWAY_WEBHOOK_REMOVE, S_PAUSED, S_REMOVED },
    { GATEWAY_WEBHOOK_REMOVE, S_RETIRED, S_REMOVED },
    { GATEWAY_WEBHOOK_RESEND, S_ACTIVE, S_ACTIVE },
    { GATEWAY_WEBHOOK_RESEND, S_PAUSED, S_PAUSED },
    { GATEWAY_WEBHOOK_DELIVER, S_ACTIVE, S_ACTIVE },
};

static const char *
s_state_word (int state)
{
    return cf_words_name (&cf_words_subscription_state, state);
}

static const char *
s_action_word (int action)
{
    return gateway_webhooks_action_name ((gateway_webhook_action_t) action);
}

static const cf_lifecycle_t s_lifecycle = {
    "subscription", s_moves, sizeof s_moves / sizeof s_moves [0], s_state_word, s_action_word,
};

int
gateway_webhooks_lifecycle_next (gateway_subscription_state_t from, gateway_webhook_action_t action,
                                 gateway_subscription_state_t *to_p)
{
    int to;
    int rc = cf_lifecycle_next (&s_lifecycle, (int) from, (int) action, &to);
    if (rc == 0 && to_p)
        *to_p = (gateway_subscription_state_t) to;
    return rc;
}

bool
gateway_webhooks_lifecycle_allows (gateway_subscription_state_t from,
                                   gateway_webhook_action_t action)
{
    return cf_lifecycle_allows (&s_lifecycle, (int) from, (int) action);
}

int
gateway_webhooks_lifecycle_check (const char *subscription_id, gateway_subscription_state_t from,
                                  gateway_webhook_action_t action,
                                  gateway_subscription_state_t *to_p, Caseflow__V1__Reply *reply,
                                  const char *field)
{
    int to;
    int rc = cf_lifecycle_check (&s_lifecycle, subscription_id, (int) from, (int) action, &to,
                                 reply, field);
    if (rc == 0 && to_p)
        *to_p = (gateway_subscription_state_t) to;
    return rc;
}

const char *
gateway_webhooks_action_name (gateway_webhook_action_t action)
{
    static const char *names [GATEWAY_WEBHOOK_ACTION_COUNT] = {
        [GATEWAY_WEBHOOK_PAUSE] = "pause",   [GATEWAY_WEBHOOK_RESUME] = "resume",
        [GATEWAY_WEBHOOK_RETIRE] = "retire", [GATEWAY_WEBHOOK_REMOVE] = "remove",
        [GATEWAY_WEBHOOK_RESEND] = "resend", [GATEWAY_WEBHOOK_DELIVER] = "deliver",
        [GATEWAY_WEBHOOK_VERIFY] = "verify",
    };
    return (unsigned) action < GATEWAY_WEBHOOK_ACTION_COUNT ? names [action] : "unknown";
}
