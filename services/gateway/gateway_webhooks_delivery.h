//  gateway_webhooks_delivery: which event each subscription sends next, and
//  what an attempt's end decides. Pure: no socket, no clock of its own;
//  the caller (gateway_webhooks) passes the monotonic time, sends, and
//  journals what this emits through a decider.
//
//  Per subscription it runs one lane per stream the subscription covers,
//  and one lane for resent parked events:
//
//      stream lane:  cursor ──next seq──▶ not its type? cursor++ (no send)
//                                      ▶ its type: attempt ──2xx──▶ cursor = seq
//                                                  │ fail: back-off, same seq again
//                                                  │ 410: SubscriptionRetired
//                                                  └ limits reached: EventParked,
//                                                    cursor = seq, later ones pass
//      resend lane:  first parked entry marked resending ──2xx──▶ ParkedDelivered
//                                                  └ limits again: EventParked
//
//  One attempt per lane at a time: a stream is delivered in order. Lanes
//  and their cursors live in memory; the cursors reach the journal as
//  DeliveryCursorMoved at most once a second per subscription (flush), so
//  a dead sink costs no journal writes at all until an event is parked,
//  and a crash redelivers from the last journaled cursor (at least once).
#ifndef GATEWAY_WEBHOOKS_DELIVERY_H
#define GATEWAY_WEBHOOKS_DELIVERY_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"
#include "gateway_webhooks_retry.h"
#include "gateway_webhooks_state.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Cursors reach the journal at most this often per subscription.
#define GATEWAY_FLUSH_INTERVAL_MS 1000
//  Events of other types one lane steps over in one call of _start.
#define GATEWAY_WALK_MAX 1024

typedef struct _gateway_delivery_t gateway_delivery_t;

//  The event `seq` of `stream`, or NULL when the gateway does not have it
//  (yet). Borrowed until the next call.
typedef const Caseflow__V1__Event *(gateway_delivery_lookup_fn) (void *ctx, const char *stream,
                                                                 uint64_t seq);

//  One attempt to make: POST `event` (borrowed until the next lookup) to
//  the subscription's sink. `ticket` names the attempt for _finish.
typedef struct {
    char subscription_id [GATEWAY_SUBSCRIPTION_ID_SIZE];
    char stream [GATEWAY_STREAM_MAX + 1];
    uint64_t seq;
    bool resend;
    uint64_t ticket;
    const Caseflow__V1__Event *event;
} gateway_delivery_job_t;

//  Figures of one subscription since the gateway started (with the
//  journaled ones folded in by the caller).
typedef struct {
    uint64_t delivered;  //  this run
    uint64_t attempts;   //  this run, failed ones included
    uint64_t failed;     //  this run
    uint64_t retrying;   //  lanes waiting to try again now
    uint64_t unflushed;  //  deliveries not yet in a DeliveryCursorMoved
    char last_error [GATEWAY_REASON_MAX];
    gateway_cursor_t cursors [16];  //  in-memory cursors (>= journaled)
    size_t n_cursors;
} gateway_delivery_figures_t;

//  A runtime over `webhooks` (borrowed; the caller applies the journal to
//  it) with `policy` (copied).
gateway_delivery_t *
gateway_delivery_new (gateway_webhooks_t *webhooks, const gateway_retry_policy_t *policy);

void
gateway_delivery_destroy (gateway_delivery_t **self_p);

//  Finds the attempts due at `now_ms`: for every active subscription and
//  lane with nothing in flight and no back-off pending, steps over events
//  not of its types and stops at the first of its types. Fills up to `max`
//  jobs and returns their number; the lanes are then in flight until
//  _finish.
size_t
gateway_delivery_start (gateway_delivery_t *self, uint64_t now_ms,
                        gateway_delivery_lookup_fn *lookup, void *ctx, gateway_delivery_job_t *jobs,
                        size_t max);

//  Records the end of the attempt `job` (rc and status as cf_http_client
//  reports them; `retry_after` the header or NULL; `now_unix` real
//  seconds, for an HTTP-date; `random` for the jitter). Emits through
//  `decider` what must be journaled (EventParked, ParkedDelivered,
//  SubscriptionRetired). A job whose subscription was removed or paused
//  meanwhile counts a success and drops a failure. Returns 0 or the
//  decider's failure.
int
gateway_delivery_finish (gateway_delivery_t *self, const gateway_delivery_job_t *job,
                         uint64_t now_ms, int rc, long status, const char *retry_after,
                         int64_t now_unix, uint32_t random, cf_decider_t *decider);

//  Emits DeliveryCursorMoved for each subscription whose cursors moved
//  and whose last one is GATEWAY_FLUSH_INTERVAL_MS old (or any, with
//  `force`: at shutdown). Returns 0 or the decider's failure.
int
gateway_delivery_flush (gateway_delivery_t *self, uint64_t now_ms, bool force,
                        cf_decider_t *decider);

//  True when _flush at `now_ms` would write something.
bool
gateway_delivery_flush_due (gateway_delivery_t *self, uint64_t now_ms);

//  Milliseconds from `now_ms` until something is due (a back-off ends, a
//  flush may be written); UINT64_MAX when nothing waits.
uint64_t
gateway_delivery_wait_ms (gateway_delivery_t *self, uint64_t now_ms);

//  Lets a resumed or resent subscription's lanes try at once (their
//  back-off forgotten). Call after applying SubscriptionResumed or
//  ParkedResent.
void
gateway_delivery_wake (gateway_delivery_t *self, const char *subscription_id);

//  The figures of one subscription. Returns 0 or CF_ENOTFOUND.
int
gateway_delivery_figures (gateway_delivery_t *self, const char *subscription_id,
                          gateway_delivery_figures_t *figures);

//  Attempts in flight, over all subscriptions.
size_t
gateway_delivery_in_flight (const gateway_delivery_t *self);

#endif
