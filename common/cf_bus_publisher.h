//  cf_bus_publisher: a service's events socket (PUB, made as an XPUB to
//  see what its subscribers asked for).
//
//  Publishes every committed event in one or both of two forms, each only
//  when some subscriber subscribed to it:
//      - single: [<stream>.<TypeName>][Event], so subscribers filter by
//        prefix ("intake.", "notification.ReminderDue");
//      - batch: [$batch.<stream>][EventBatch], the events of one commit
//        (up to CF_EVENT_MAX_SIZE bytes a message) in seq order, for
//        subscribers that follow the whole stream: one message, one
//        receive and one wake-up for many events.
//  A heartbeat [<stream>.$heartbeat][Heartbeat{stream, last_seq, sent_at,
//  batches}] goes out when asked (the runtime does it every second); its
//  `batches` tells subscribers they may switch to the batch form.
//  PUB drops at its high-water mark and for slow joiners: delivery is
//  guaranteed by the subscriber's cursor and catch-up, not by this socket.
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
cf_bus_publisher_new_secure (const char *endpoint, const char *stream, int sndhwm, cf_keys_t *keys);

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
cf_bus_publisher_send (cf_bus_publisher_t *self, const Caseflow__V1__Event *event, const void *data,
                       size_t size);

//  One committed event to publish: its body's type names the single
//  form's topic; `data`/`size` is its encoding.
typedef struct {
    Caseflow__V1__Event__BodyCase body_case;
    const void *data;
    size_t size;
} cf_bus_outgoing_t;

//  Publishes `count` committed events of this publisher's stream, in seq
//  order (one commit's worth): as singles to the topics someone subscribed
//  to, and as batches if someone subscribed to those. Copies the data;
//  never blocks. Returns 0 or CF_EIO (the first failure; the rest is still
//  tried).
int
cf_bus_publisher_send_all (cf_bus_publisher_t *self, const cf_bus_outgoing_t *events, size_t count);

//  Messages sent so far in each form (events sent singly; batch messages
//  and the events they carried). Any pointer may be NULL.
void
cf_bus_publisher_sent (cf_bus_publisher_t *self, uint64_t *singles_p, uint64_t *batches_p,
                       uint64_t *batched_events_p);

//  Sets the stream's epoch (cf_journal_epoch) that every heartbeat
//  carries from then on; 0 (the default) sends none.
void
cf_bus_publisher_set_epoch (cf_bus_publisher_t *self, uint64_t epoch);

//  Publishes a heartbeat with the stream's last committed seq, its epoch
//  and `now` (microseconds). Returns 0 or CF_EIO.
int
cf_bus_publisher_heartbeat (cf_bus_publisher_t *self, uint64_t last_seq, int64_t now);

#endif
