//  cf_upstreams: the streams a service follows, one cf_bus_subscriber
//  each, taken together: made from the configuration (--<stream>-events,
//  --<stream>-api) at the cursors the store keeps, processed in one go,
//  rewound to the store together, and reported together (readiness, lag,
//  the status query).
#ifndef CF_UPSTREAMS_H
#define CF_UPSTREAMS_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_bus_subscriber.h"
#include "cf_config.h"
#include "cf_journal.h"
#include "cf_keys.h"
#include "cf_metrics.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_upstreams_t cf_upstreams_t;

//  Follows each stream of `streams` (NULL-terminated; NULL for none) from
//  the cursor `journal` keeps for it, at the endpoints `config` names,
//  with `keys` (NULL: plaintext); a stream whose events endpoint is
//  CF_CONFIG_NONE is not followed (not counted, not waited for). Each event in order goes to `deliver`
//  (see cf_bus_subscriber.h). Returns 0 and sets *self_p, or CF_ESTORE
//  (a cursor could not be read) or CF_EIO (a socket), logged.
int
cf_upstreams_new (const char *const *streams, cf_config_t *config, cf_journal_t *journal,
                  cf_keys_t *keys, cf_bus_deliver_fn *deliver, void *ctx, cf_upstreams_t **self_p);

//  Frees every subscriber; safe on NULL; nulls *self_p.
void
cf_upstreams_destroy (cf_upstreams_t **self_p);

//  The number of streams followed (those not CF_CONFIG_NONE), and the i-th
//  subscriber (borrowed).
size_t
cf_upstreams_count (const cf_upstreams_t *self);
cf_bus_subscriber_t *
cf_upstreams_subscriber (cf_upstreams_t *self, size_t index);

//  Processes every subscriber (at most `max_messages` each) at monotonic
//  time `now`; returns the messages handled.
size_t
cf_upstreams_process (cf_upstreams_t *self, int64_t now, size_t max_messages);

//  True when every stream is caught up (none followed: true).
bool
cf_upstreams_caught_up (cf_upstreams_t *self);

//  The reason of the first stream whose producer has not been heard for a
//  while (cf_bus_subscriber_silent; borrowed), or NULL when every producer
//  is heard.
const char *
cf_upstreams_silent (cf_upstreams_t *self);

//  Sets each followed stream's lag and diverged gauges: `lag` [i] and
//  `diverged` [i] for the i-th stream of the list given to
//  cf_upstreams_new.
void
cf_upstreams_measure (cf_upstreams_t *self, cf_metric_t **lag, cf_metric_t **diverged);

//  The first followed stream that diverged (cf_bus_subscriber_divergence:
//  a line naming it and why, borrowed until the next rewind), or NULL.
const char *
cf_upstreams_divergence (cf_upstreams_t *self);

//  Rewinds every subscriber to the cursor `journal` has stored for it,
//  with its identity (cf_journal_cursor_identity).
void
cf_upstreams_rewind (cf_upstreams_t *self, cf_journal_t *journal, int64_t now);

//  Fills `status`'s upstreams (fresh, freed with the reply that holds it).
void
cf_upstreams_status (cf_upstreams_t *self, Caseflow__V1__ServiceStatus *status);

#endif
