//  cf_testrelay: a TCP relay on loopback that records every byte it passes.
//
//  A test points a client at the relay instead of the service; the relay
//  forwards each connection to the service's port, both ways, and keeps a
//  copy of all the traffic (both directions, every connection, in one
//  buffer) - what a capture on the wire would show. One thread per relay.
#ifndef CF_TESTRELAY_H
#define CF_TESTRELAY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_testrelay_t cf_testrelay_t;

//  Listens on a free port of 127.0.0.1 and forwards every connection to
//  127.0.0.1:`target_port`. Never NULL (asserted).
cf_testrelay_t *
cf_testrelay_new (int target_port);

//  Closes every connection, stops the thread and frees; nulls *self_p.
void
cf_testrelay_destroy (cf_testrelay_t **self_p);

//  Forwards the connections made from now on to 127.0.0.1:`target_port`
//  (those already forwarded stay where they are): for a service that
//  moved to another port.
void
cf_testrelay_retarget (cf_testrelay_t *self, int target_port);

//  The relay's endpoint, "tcp://127.0.0.1:PORT". Borrowed.
const char *
cf_testrelay_endpoint (cf_testrelay_t *self);

//  Bytes recorded so far, both directions.
size_t
cf_testrelay_size (cf_testrelay_t *self);

//  A copy of the bytes recorded so far (free with free; never NULL), their
//  number in *size_p.
char *
cf_testrelay_bytes (cf_testrelay_t *self, size_t *size_p);

//  True when the recorded traffic contains `text` anywhere.
bool
cf_testrelay_saw (cf_testrelay_t *self, const char *text);

#endif
