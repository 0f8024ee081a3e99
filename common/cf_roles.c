//  cf_roles: the role table (see cf_roles.h). One table, so the rule and
//  the words that explain a refusal can never disagree.
#include "cf_roles.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

static const char *s_role_names [] = { "none", "service", "operator", "consumer" };

static const char *s_action_names [CF_ACTION_COUNT] = { "command", "query", "replay", "subscribe" };

//  Rows: actions; columns: roles in cf_role_t order (none first).
static const bool s_allowed [CF_ACTION_COUNT][4] = {
    [CF_ACTION_COMMAND] = { false, true, true, false },
    [CF_ACTION_QUERY] = { false, true, true, false },
    [CF_ACTION_REPLAY] = { false, true, true, true },
    [CF_ACTION_SUBSCRIBE] = { false, true, true, true },
};

cf_role_t
cf_role_parse (const char *text)
{
    if (text)
        for (cf_role_t role = CF_ROLE_SERVICE; role <= CF_ROLE_CONSUMER; role++)
            if (strcmp (text, s_role_names [role]) == 0)
                return role;
    return CF_ROLE_NONE;
}

const char *
cf_role_name (cf_role_t role)
{
    assert (role >= CF_ROLE_NONE && role <= CF_ROLE_CONSUMER);
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
    if (role < CF_ROLE_NONE || role > CF_ROLE_CONSUMER)
        return false;
    return s_allowed [action][role];
}

const char *
cf_action_roles (cf_action_t action)
{
    assert (action >= 0 && action < CF_ACTION_COUNT);
    //  Written out rather than joined at run time: a handful of fixed
    //  sentences, checked against the table by the unit test.
    return s_allowed [action][CF_ROLE_CONSUMER] ? "service, operator or consumer"
                                                : "operator or service";
}
