//  cf_roles: who may do what on a service's sockets once CURVE keys are on.
//
//  Every key pair in a key set carries one role (docs/protocol.md,
//  "Security"):
//
//      action      service  operator  consumer  proxy
//      command       yes       yes       -        yes
//      query         yes       yes       -        yes
//      replay        yes       yes      yes       yes
//      subscribe     yes       yes      yes       yes
//
//  "service" is every program that feeds caseflow: its own services (which
//  follow each other's streams) and the external services that send
//  commands (a front office registering residents). Operators use
//  caseflowctl. Consumers only read: they follow a stream live and catch
//  up on a gap through replay. A proxy (the console) acts for people who
//  sign in to it: it may do what an operator may, and it alone may name
//  the person a request is made for (Request.on_behalf_of; see
//  cf_role_may_act_for). Pure functions, no state.
#ifndef CF_ROLES_H
#define CF_ROLES_H

#include <stdbool.h>

typedef enum {
    CF_ROLE_NONE = 0,  //  a key without a (known) role: may do nothing
    CF_ROLE_SERVICE,
    CF_ROLE_OPERATOR,
    CF_ROLE_CONSUMER,
    CF_ROLE_PROXY,
    CF_ROLE_LAST = CF_ROLE_PROXY
} cf_role_t;

typedef enum {
    CF_ACTION_COMMAND = 0,
    CF_ACTION_QUERY,
    CF_ACTION_REPLAY,
    CF_ACTION_SUBSCRIBE,
    CF_ACTION_COUNT
} cf_action_t;

//  Parses "service", "operator", "consumer" or "proxy". Returns the role,
//  or CF_ROLE_NONE for anything else (NULL included).
cf_role_t
cf_role_parse (const char *text);

//  "service", "operator", "consumer", "proxy", or "none". Static.
const char *
cf_role_name (cf_role_t role);

//  "command", "query", "replay", "subscribe". Static.
const char *
cf_action_name (cf_action_t action);

//  True when `role` may perform `action`.
bool
cf_role_allows (cf_role_t role, cf_action_t action);

//  The roles that may perform `action`, for messages: "service, operator
//  or proxy", "service, operator, consumer or proxy". Static.
const char *
cf_action_roles (cf_action_t action);

//  True when a request from `role` may name the person it acts for
//  (on_behalf_of): only a proxy's may. Without keys there is no role and
//  the runtime does not ask (every client is trusted, as for everything
//  else).
bool
cf_role_may_act_for (cf_role_t role);

#endif
