//  cf_bus_publisher: a service's events socket (PUB).
//
//  Publishes every committed event as two frames [topic][Event], topic
//  "<stream>.<TypeName>", so subscribers filter by prefix; and a heartbeat
//  [<stream>.$heartbeat][Heartbeat{stream, last_seq, sent_at}] when asked
//  (the runtime does it every second). PUB drops at its high-water mark and
//  for slow joiners: delivery is guaranteed by the subscriber's cursor and
//  catch-up, not by this socket.
#ifndef CF_BUS_PUBLISHER_H
#define CF_BUS_PUBLISHER_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_keys.h"

#include <czmq.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_bus_publisher_t cf_bus_publisher_t;

//  Binds a PUB socket on `endpoint` (e.g. "tcp://127.0.0.1:5601",
//  "tcp://127.0.0.1:*", "ipc:///path") for stream `stream` with send
//  high-water mark `sndhwm` (0: libzmq's default, 1000). Linger is set to
//  a bounded value so close does not hang. Returns NULL (logged) on failure.
cf_bus_publisher_t *
    cf_bus_publisher_new (const char *endpoint, const char *stream, int sndhwm);

//  The same, and with `keys` (borrowed; must outlive the publisher) a CURVE
//  server: only keys the process's authenticator admits may subscribe
//  (cf_keys.h). NULL keys: plaintext, as cf_bus_publisher_new.
cf_bus_publisher_t *
    cf_bus_publisher_new_secure (const char *endpoint, const char *stream, int sndhwm,
                                 cf_keys_t *keys);

//  Closes the socket and frees, safe on NULL; nulls *self_p.
void
    cf_bus_publisher_destroy (cf_bus_publisher_t **self_p);

//  The endpoint actually bound (the port resolved when "*" was asked).
//  Borrowed.
const char *
    cf_bus_publisher_endpoint (cf_bus_publisher_t *self);

//  Publishes one committed event: `event` gives the topic, `data`/`size` is
//  its encoding (copied). Never blocks: a message over the high-water mark
//  is dropped by ZeroMQ. Returns 0 or CF_EIO.
int
    cf_bus_publisher_send (cf_bus_publisher_t *self, const Caseflow__V1__Event *event,
                           const void *data, size_t size);

//  Publishes a heartbeat with the stream's last committed seq and `now`
//  (microseconds). Returns 0 or CF_EIO.
int
    cf_bus_publisher_heartbeat (cf_bus_publisher_t *self, uint64_t last_seq, int64_t now);

#endif
