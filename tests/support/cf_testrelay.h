//  cf_testrelay: a TCP relay on loopback that records every byte it passes.
//
//  A test points a client at the relay instead of the service; the relay
//  forwards each connection to the service's port, both ways, and keeps a
//  copy of all the traffic (both directions, every connection, in one
//  buffer) - what a capture on the wire would show. One thread per relay.
//
//  It can also make its link a bad one (cf_testrelay_impair): each piece
//  of traffic held back for a delay, and some held back longer, as TCP
//  delivers what a lossy network dropped: after a retransmission timeout,
//  still in order (a relay of a byte stream cannot lose bytes; what loss
//  does to the services above TCP is late data, and that it does). For
//  tests on a kernel without tc netem. The relay may listen on any
//  address and forward to any address: made from a thread inside a
//  network namespace (cf_testnet_run_in), it and all its sockets live in
//  that namespace.
#ifndef CF_TESTRELAY_H
#define CF_TESTRELAY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_testrelay_t cf_testrelay_t;

//  Listens on a free port of 127.0.0.1 and forwards every connection to
//  127.0.0.1:`target_port`. Never NULL (asserted).
cf_testrelay_t *
cf_testrelay_new (int target_port);

//  Listens on a free port of `listen_address` and forwards every
//  connection to `target_address`:`target_port` (IPv4 addresses, from the
//  network namespace of the calling thread). Never NULL (asserted).
cf_testrelay_t *
cf_testrelay_new_at (const char *listen_address, const char *target_address, int target_port);

//  From now on, holds each piece it receives `delay_ms` before passing it
//  on, and with probability `loss_percent` / 100 another 200 ms (a
//  retransmission timeout), keeping each direction's order; draws from
//  `seed`. 0 and 0: passes everything at once again.
void
cf_testrelay_impair (cf_testrelay_t *self, int delay_ms, int loss_percent, unsigned seed);

//  Pieces held back as lost so far, and pieces passed on.
size_t
cf_testrelay_lost (cf_testrelay_t *self);
size_t
cf_testrelay_passed (cf_testrelay_t *self);

//  Closes every connection, stops the thread and frees; nulls *self_p.
void
cf_testrelay_destroy (cf_testrelay_t **self_p);

//  Forwards the connections made from now on to 127.0.0.1:`target_port`
//  (those already forwarded stay where they are): for a service that
//  moved to another port.
void
cf_testrelay_retarget (cf_testrelay_t *self, int target_port);

//  The relay's endpoint, "tcp://ADDRESS:PORT". Borrowed.
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
