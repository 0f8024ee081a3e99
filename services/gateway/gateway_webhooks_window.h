//  gateway_webhooks_window: the events of every stream the gateway follows
//  that a subscription may still have to send, kept packed in memory.
//
//  The gateway's apply hands it every event it applies (its own and each
//  upstream's, in each stream's seq order); the delivery looks events up by
//  (stream, seq) and the runtime drops, per stream, what every subscription
//  is done with. A replay at start refills it from the journal, so a
//  restarted gateway finds every event after the journaled cursors.
#ifndef GATEWAY_WEBHOOKS_WINDOW_H
#define GATEWAY_WEBHOOKS_WINDOW_H

#include "caseflow/v1/event.pb-c.h"

#include <stddef.h>
#include <stdint.h>

typedef struct _gateway_window_t gateway_window_t;

gateway_window_t *
gateway_window_new (void);

void
gateway_window_destroy (gateway_window_t **self_p);

//  Keeps a packed copy of `event`. A seq not after the stream's last kept
//  one is a repeat and ignored.
void
gateway_window_keep (gateway_window_t *self, const Caseflow__V1__Event *event);

//  The event `seq` of `stream`, decoded; borrowed until the next call.
//  NULL when not held.
const Caseflow__V1__Event *
gateway_window_lookup (gateway_window_t *self, const char *stream, uint64_t seq);

//  Drops the events of `stream` up to and including `seq`.
void
gateway_window_drop (gateway_window_t *self, const char *stream, uint64_t seq);

//  The first seq of `stream` held (0: none held).
uint64_t
gateway_window_first (const gateway_window_t *self, const char *stream);

//  The last seq of `stream` seen (0: none).
uint64_t
gateway_window_head (const gateway_window_t *self, const char *stream);

//  Number of streams seen, and the name of each (borrowed).
size_t
gateway_window_streams (const gateway_window_t *self);
const char *
gateway_window_stream (const gateway_window_t *self, size_t index);

//  Events held, over all streams.
size_t
gateway_window_size (const gateway_window_t *self);

#endif
