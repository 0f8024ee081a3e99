//  console_web_source: the web page (console_web) over the console's own
//  projections, and its place in the service: the routes on the HTTP
//  port and the state hooks that make and free it beside the state.
//
//  The page is made with the state (console_web_state_new_hook wraps the
//  state's own hook), so a bad --web-* value refuses the start like any
//  bad configuration; it is kept in the state's `web` field, which only
//  these hooks touch (it is no state: never applied, never digested).
//  Requests arrive on the loop thread like commands (cf_service_route_t)
//  and are answered through cf_service_http_answer.
//
//  What the page shows comes from console_view, as the api's queries
//  answer it, turned into the JSON of docs/console.md: the waiting list,
//  the callbacks to make today, the urgent cases without a worker, and a
//  case with its events across the streams, the council report at a
//  moment (console_report, with handover's progress embedded as
//  caseflowctl embeds it) and handover progress now (handover's own
//  report). Actions go to the services (console_web_act).
#ifndef CONSOLE_WEB_SOURCE_H
#define CONSOLE_WEB_SOURCE_H

#include "cf_service.h"

//  The routes to put in the service's definition, and their count (a
//  constant, for the definition's static initialiser).
#define CONSOLE_WEB_ROUTE_COUNT 8
extern const cf_service_route_t console_web_routes [CONSOLE_WEB_ROUTE_COUNT];

//  The state hooks to put in the definition in place of the state's own:
//  they call console_state_new_hook / console_state_destroy_hook and make
//  or free the web page beside. new returns NULL (the line naming the
//  flag logged) when a --web-* value is malformed or the form key cannot
//  be read or made in the data directory.
void *
console_web_state_new_hook (cf_service_t *service);
void
console_web_state_destroy_hook (void **state_p);

#endif
