//  gateway_ingress: the gateway's HTTP routes (cf_service_route_t), run on
//  the service's loop like commands.
//
//      POST /events                 CloudEvents in (gateway_cloudevent.h:
//                                   structured, batch, binary)
//      GET  /events/{source}/{id}   what became of one (InboundStatus as
//                                   JSON, the keys of `gateway event`)
//
//  Both need `Authorization: Bearer <token>`: the token's keyed hash finds
//  its record in the key store (gateway_secrets.h), the record its
//  publisher in the state; a token rotated out works until its grace end.
//  The answers, in the order they are decided:
//      401  no or unknown token (WWW-Authenticate: Bearer)
//      405  another method (Allow)
//      413  a body over --max-body (cf_http, before anything here)
//      415  a Content-Type none of the three modes has
//      400  application/problem+json (RFC 9457) naming the attribute or
//           the data field ("attribute"), and in a batch the event's
//           position ("index"): the profile, a type the catalogue lacks,
//           the catalogue's data fields
//      403  a source that is not the publisher's, or a type it may not send
//      202  once the InboundAccepted of every event is committed (synced)
//           to the journal: the answer is held by the runtime until the
//           batch holding it is stored (cf_service_http_answer). A repeat
//           of an accepted (source, id) is 202 too, recorded nowhere, and
//           waits for the first one's commit when that is still under way.
//      503  the store refused the batch (nothing was accepted; send again)
//  A batch is all or nothing: one bad event refuses the request.
#ifndef GATEWAY_INGRESS_H
#define GATEWAY_INGRESS_H

#include "cf_metrics.h"
#include "cf_service.h"

//  What the ingress counts on /metrics: events accepted and repeats
//  answered 202 (caseflow_gateway_inbound_total{outcome="accepted"|
//  "repeat"}), and requests refused, by status
//  (caseflow_gateway_refused_total{status="400"|…|"503"}). The handles are
//  the registry's.
typedef struct _gateway_meters_t gateway_meters_t;

//  Registers the counters in `metrics` (again after a failed commit: the
//  registry hands back the same ones). Free with free.
gateway_meters_t *
gateway_meters_new (cf_metrics_t *metrics);

//  The route's handle (cf_service_route_t) for /events and below.
void
gateway_ingress_hook (void *state, cf_service_t *service, cf_http_request_t *request);

#endif
