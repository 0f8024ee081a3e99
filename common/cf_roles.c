//  cf_roles: the role table (see cf_roles.h). One table, so the rule and
//  the words that explain a refusal can never disagree.
#include "cf_roles.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

static const char *s_role_names [CF_ROLE_LAST + 1] = { "none", "service", "operator", "consumer",
                                                       "proxy" };

static const char *s_action_names [CF_ACTION_COUNT] = { "command", "query", "replay", "subscribe" };

//  Rows: actions; columns: roles in cf_role_t order (none first).
static const bool s_allowed [CF_ACTION_COUNT][CF_ROLE_LAST + 1] = {
    [CF_ACTION_COMMAND] = { false, true, true, false, true },
    [CF_ACTION_QUERY] = { false, true, true, false, true },
    [CF_ACTION_REPLAY] = { false, true, true, true, true },
    [CF_ACTION_SUBSCRIBE] = { false, true, true, true, true },
};

cf_role_t
cf_role_parse (const char *text)
{
    if (text)
        for (cf_role_t role = CF_ROLE_SERVICE; role <= CF_ROLE_LAST; role++)
            if (strcmp (text, s_role_names [role]) == 0)
                return role;
    return CF_ROLE_NONE;
}

const char *
cf_role_name (cf_role_t role)
{
    assert (role >= CF_ROLE_NONE && role <= CF_ROLE_LAST);
    return s_role_names [role];
}

const char *
cf_action_name (cf_action_t action)
{
    assert (action >= 0 && action < CF_ACTION_COUNT);
    return s_action_names [action];
}

bool
cf_role_allows (cf_role_t role, cf_action_t action)
{
    assert (action >= 0 && action < CF_ACTION_COUNT);
    if (role < CF_ROLE_NONE || role > CF_ROLE_LAST)
        return false;
    return s_allowed [action][role];
}

const char *
cf_action_roles (cf_action_t action)
{
    assert (action >= 0 && action < CF_ACTION_COUNT);
    //  Written out rather than joined at run time: a handful of fixed
    //  sentences, checked against the table by the unit test.
    return s_allowed [action][CF_ROLE_CONSUMER] ? "service, operator, consumer or proxy"
                                                : "service, operator or proxy";
}

bool
cf_role_may_act_for (cf_role_t role)
{
    return role == CF_ROLE_PROXY;
}
