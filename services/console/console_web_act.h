//  console_web_act: the web page's actions sent to the services as the
//  signed-in person: claims, releases and parks to notification, a call's
//  outcome and a resident's details to intake.
//
//  Every request names the person as `on_behalf_of` (the console's key
//  has the proxy role, DESIGN.md), so they are the actor of the events it
//  leads to and the reader of record in intake's access log; a caller
//  never types a name. A claim's `caller` is left empty: notification
//  takes the person from on_behalf_of.
//
//  The calls are made on the console's loop and block it for a bounded
//  time (CONSOLE_WEB_ACT_TRIES tries of CONSOLE_WEB_ACT_TIMEOUT_MS, Lazy
//  Pirate with one request id, so a retried command acts once), as
//  intake's transit-key fetch does (cf_transit.h): a person's click is
//  rare beside the streams the console follows, and a service that does
//  not answer costs at most 1.5 s, answered "not now" (503).
#ifndef CONSOLE_WEB_ACT_H
#define CONSOLE_WEB_ACT_H

#include "console_web.h"

#include "cf_service.h"

#define CONSOLE_WEB_ACT_TRIES      3
#define CONSOLE_WEB_ACT_TIMEOUT_MS 500

typedef struct _console_web_act_t console_web_act_t;

//  The sender for `service` (borrowed: its configuration names intake's
//  and notification's api endpoints, --intake-api and
//  --notification-api, and its keys, if any, are used). Never NULL.
console_web_act_t *
console_web_act_new (cf_service_t *service);

//  Frees, safe on NULL; nulls *self_p.
void
console_web_act_destroy (console_web_act_t **self_p);

//  The source's `act` (console_web.h) with `ctx` a console_web_act_t:
//  sends the action, then calls `done` before it returns. Returns 0, or
//  CF_EUNAVAILABLE (done not called) when the service it needs is not
//  configured (`none`).
int
console_web_act (void *ctx, const console_web_action_t *action, console_web_done_fn *done,
                 void *done_ctx);

#endif
