//  gateway_lifecycle: the transition tables and the names of their states
//  and actions (an inbound state's word is cf_words_inbound_state's).
//  Nothing else in the service knows which move is legal.
#include "gateway_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_words.h"

static const cf_lifecycle_move_t s_publisher_moves [] = {
    { GATEWAY_PUBLISHER_ADD, GATEWAY_PUBLISHER_NONE, GATEWAY_PUBLISHER_ACTIVE },
    { GATEWAY_PUBLISHER_ADD, GATEWAY_PUBLISHER_REMOVED, GATEWAY_PUBLISHER_ACTIVE },
    { GATEWAY_PUBLISHER_ROTATE, GATEWAY_PUBLISHER_ACTIVE, GATEWAY_PUBLISHER_ACTIVE },
    { GATEWAY_PUBLISHER_REMOVE, GATEWAY_PUBLISHER_ACTIVE, GATEWAY_PUBLISHER_REMOVED },
};

static const cf_lifecycle_move_t s_inbound_moves [] = {
    { GATEWAY_INBOUND_APPLY, GATEWAY_INBOUND_ACCEPTED, GATEWAY_INBOUND_APPLIED },
    { GATEWAY_INBOUND_REJECT, GATEWAY_INBOUND_ACCEPTED, GATEWAY_INBOUND_REJECTED },
};

const char *
gateway_publisher_state_name (gateway_publisher_state_t state)
{
    static const char *names [GATEWAY_PUBLISHER_STATE_COUNT] = {
        [GATEWAY_PUBLISHER_NONE] = "none",
        [GATEWAY_PUBLISHER_ACTIVE] = "active",
        [GATEWAY_PUBLISHER_REMOVED] = "removed",
    };
    return (unsigned) state < GATEWAY_PUBLISHER_STATE_COUNT ? names [state] : "unknown";
}

static const char *
s_publisher_state_word (int state)
{
    return gateway_publisher_state_name ((gateway_publisher_state_t) state);
}

static const char *
s_publisher_action_word (int action)
{
    static const char *names [GATEWAY_PUBLISHER_ACTION_COUNT] = {
        [GATEWAY_PUBLISHER_ADD] = "add",
        [GATEWAY_PUBLISHER_ROTATE] = "rotate",
        [GATEWAY_PUBLISHER_REMOVE] = "remove",
    };
    return (unsigned) action < GATEWAY_PUBLISHER_ACTION_COUNT ? names [action] : "unknown";
}

static const char *
s_inbound_state_word (int state)
{
    return cf_words_name (&cf_words_inbound_state, state);
}

static const char *
s_inbound_action_word (int action)
{
    return action == GATEWAY_INBOUND_APPLY ? "apply" : "reject";
}

static const cf_lifecycle_t s_publisher = {
    "publisher",
    s_publisher_moves,
    sizeof s_publisher_moves / sizeof s_publisher_moves [0],
    s_publisher_state_word,
    s_publisher_action_word,
};

static const cf_lifecycle_t s_inbound = {
    "inbound event",
    s_inbound_moves,
    sizeof s_inbound_moves / sizeof s_inbound_moves [0],
    s_inbound_state_word,
    s_inbound_action_word,
};

int
gateway_lifecycle_publisher_next (gateway_publisher_state_t from, gateway_publisher_action_t action,
                                  gateway_publisher_state_t *next_p)
{
    int next;
    int rc = cf_lifecycle_next (&s_publisher, (int) from, (int) action, &next);
    if (rc == 0 && next_p)
        *next_p = (gateway_publisher_state_t) next;
    return rc;
}

int
gateway_lifecycle_publisher_check (const char *id, gateway_publisher_state_t from,
                                   gateway_publisher_action_t action, Caseflow__V1__Reply *reply,
                                   const char *field)
{
    int next;
    return cf_lifecycle_check (&s_publisher, id, (int) from, (int) action, &next, reply, field);
}

int
gateway_lifecycle_inbound_next (gateway_inbound_state_t from, gateway_inbound_action_t action,
                                gateway_inbound_state_t *next_p)
{
    int next;
    int rc = cf_lifecycle_next (&s_inbound, (int) from, (int) action, &next);
    if (rc == 0 && next_p)
        *next_p = (gateway_inbound_state_t) next;
    return rc;
}
