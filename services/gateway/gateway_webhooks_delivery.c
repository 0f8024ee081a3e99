//  gateway_webhooks_delivery: lanes, attempts and their verdicts (see the
//  header for the picture).
//
//  Invariant: a stream lane's in-memory cursor is never behind the
//  journaled one (gateway_subscription_cursor) and every event between
//  them was delivered or stepped over; a lane with attempts > 0 is retrying
//  `seq` = cursor + its steps, and nothing after it of that stream has
//  been sent. So journaling the cursor late loses nothing: the events
//  after the journaled cursor are simply sent again after a crash.
#include "gateway_webhooks_delivery.h"

#include "cf_error.h"
#include "cf_log.h"
#include "gateway_webhooks_render.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char stream [GATEWAY_STREAM_MAX + 1];  //  the resend lane: the entry being resent
    bool resend;
    uint64_t cursor;  //  stream lanes
    bool in_flight;
    uint64_t ticket;
    uint64_t seq;
    char event_id [65];
    uint32_t attempts;
    uint64_t first_ms;  //  monotonic start of the first attempt
    int64_t first_at;   //  the service clock then (for the operator)
    uint64_t next_ms;   //  no attempt before
} s_lane_t;

typedef struct {
    char id [GATEWAY_SUBSCRIPTION_ID_SIZE];
    s_lane_t *lanes;  //  one per cursor of the subscription, then the resend lane
    size_t n_lanes;
    uint64_t unflushed;  //  deliveries not yet in a DeliveryCursorMoved
    uint64_t last_flush_ms;
    uint64_t delivered, attempts, failed;
    char last_error [GATEWAY_REASON_MAX];
} s_runtime_t;

struct _gateway_delivery_t {
    gateway_webhooks_t *webhooks;
    gateway_retry_policy_t policy;
    s_runtime_t **runtimes;
    size_t count, room;
    uint64_t next_ticket;
    size_t in_flight;
};

gateway_delivery_t *
gateway_delivery_new (gateway_webhooks_t *webhooks, const gateway_retry_policy_t *policy)
{
    gateway_delivery_t *self = calloc (1, sizeof *self);
    assert (self);
    self->webhooks = webhooks;
    self->policy = *policy;
    return self;
}

void
gateway_delivery_destroy (gateway_delivery_t **self_p)
{
    gateway_delivery_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++) {
        free (self->runtimes [i]->lanes);
        free (self->runtimes [i]);
    }
    free (self->runtimes);
    free (self);
    *self_p = NULL;
}

static s_runtime_t *
s_runtime_find (gateway_delivery_t *self, const char *id)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->runtimes [i]->id, id) == 0)
            return self->runtimes [i];
    return NULL;
}

//  The runtime of `subscription`, made from its journaled cursors the
//  first time it is asked for.
static s_runtime_t *
s_runtime (gateway_delivery_t *self, const gateway_subscription_t *subscription)
{
    s_runtime_t *runtime = s_runtime_find (self, subscription->id);
    if (runtime)
        return runtime;
    runtime = calloc (1, sizeof *runtime);
    assert (runtime);
    snprintf (runtime->id, sizeof runtime->id, "%s", subscription->id);
    runtime->n_lanes = subscription->n_cursors + 1;
    runtime->lanes = calloc (runtime->n_lanes, sizeof *runtime->lanes);
    assert (runtime->lanes);
    for (size_t i = 0; i < subscription->n_cursors; i++) {
        snprintf (runtime->lanes [i].stream, sizeof runtime->lanes [i].stream, "%s",
                  subscription->cursors [i].stream);
        runtime->lanes [i].cursor = subscription->cursors [i].seq;
    }
    runtime->lanes [subscription->n_cursors].resend = true;
    if (self->count == self->room) {
        self->room = self->room ? self->room * 2 : 8;
        self->runtimes = realloc (self->runtimes, self->room * sizeof *self->runtimes);
        assert (self->runtimes);
    }
    self->runtimes [self->count++] = runtime;
    return runtime;
}

static void
s_lane_reset (s_lane_t *lane)
{
    lane->attempts = 0;
    lane->first_ms = 0;
    lane->first_at = 0;
    lane->next_ms = 0;
}

static void
s_job (gateway_delivery_t *self, s_lane_t *lane, const char *subscription_id,
       const Caseflow__V1__Event *event, uint64_t now_ms, gateway_delivery_job_t *job)
{
    memset (job, 0, sizeof *job);
    snprintf (job->subscription_id, sizeof job->subscription_id, "%s", subscription_id);
    snprintf (job->stream, sizeof job->stream, "%s", event->stream);
    job->seq = event->seq;
    job->resend = lane->resend;
    job->event = event;
    job->ticket = ++self->next_ticket;
    if (lane->attempts == 0)
        lane->first_ms = now_ms;
    lane->seq = event->seq;
    snprintf (lane->event_id, sizeof lane->event_id, "%s", event->id);
    lane->in_flight = true;
    lane->ticket = job->ticket;
    self->in_flight++;
}

//  A stream lane's next job: the event it is retrying, or the first one of
//  the subscription's types after its cursor. True when `job` was filled.
static bool
s_stream_next (gateway_delivery_t *self, const gateway_subscription_t *subscription, s_lane_t *lane,
               uint64_t now_ms, gateway_delivery_lookup_fn *lookup, void *ctx,
               gateway_delivery_job_t *job)
{
    if (lane->attempts > 0) {
        const Caseflow__V1__Event *event = lookup (ctx, lane->stream, lane->seq);
        if (!event)
            return false;
        s_job (self, lane, subscription->id, event, now_ms, job);
        return true;
    }
    char type [GATEWAY_TYPE_MAX + 32];
    for (size_t steps = 0; steps < GATEWAY_WALK_MAX; steps++) {
        const Caseflow__V1__Event *event = lookup (ctx, lane->stream, lane->cursor + 1);
        if (!event)
            return false;
        gateway_webhooks_type (event, type, sizeof type);
        if (gateway_subscription_wants (subscription, type)) {
            s_job (self, lane, subscription->id, event, now_ms, job);
            return true;
        }
        lane->cursor++;
    }
    return false;
}

//  The resend lane's next job: the first parked entry marked resending.
static bool
s_resend_next (gateway_delivery_t *self, const gateway_subscription_t *subscription, s_lane_t *lane,
               uint64_t now_ms, gateway_delivery_lookup_fn *lookup, void *ctx,
               gateway_delivery_job_t *job)
{
    for (size_t i = 0; i < subscription->n_parked; i++) {
        const gateway_parked_t *parked = &subscription->parked [i];
        if (!parked->resending)
            continue;
        if (strcmp (lane->stream, parked->stream) != 0 || lane->seq != parked->seq) {
            s_lane_reset (lane);
            snprintf (lane->stream, sizeof lane->stream, "%s", parked->stream);
            lane->seq = parked->seq;
        }
        const Caseflow__V1__Event *event = lookup (ctx, parked->stream, parked->seq);
        if (!event)
            continue;
        s_job (self, lane, subscription->id, event, now_ms, job);
        return true;
    }
    return false;
}

size_t
gateway_delivery_start (gateway_delivery_t *self, uint64_t now_ms,
                        gateway_delivery_lookup_fn *lookup, void *ctx, gateway_delivery_job_t *jobs,
                        size_t max)
{
    size_t count = 0;
    size_t subscriptions = gateway_webhooks_count (self->webhooks);
    for (size_t s = 0; s < subscriptions && count < max; s++) {
        const gateway_subscription_t *subscription = gateway_webhooks_at (self->webhooks, s);
        if (!gateway_webhooks_lifecycle_allows (subscription->state, GATEWAY_WEBHOOK_DELIVER))
            continue;
        s_runtime_t *runtime = s_runtime (self, subscription);
        for (size_t l = 0; l < runtime->n_lanes && count < max; l++) {
            s_lane_t *lane = &runtime->lanes [l];
            if (lane->in_flight || lane->next_ms > now_ms)
                continue;
            bool started =
                lane->resend
                    ? s_resend_next (self, subscription, lane, now_ms, lookup, ctx, &jobs [count])
                    : s_stream_next (self, subscription, lane, now_ms, lookup, ctx, &jobs [count]);
            if (started)
                count++;
        }
    }
    return count;
}

static s_lane_t *
s_lane_of (s_runtime_t *runtime, const gateway_delivery_job_t *job)
{
    for (size_t l = 0; l < runtime->n_lanes; l++) {
        s_lane_t *lane = &runtime->lanes [l];
        if (lane->in_flight && lane->ticket == job->ticket)
            return lane;
    }
    return NULL;
}

static int
s_emit_parked (const char *subscription_id, const s_lane_t *lane, const char *reason,
               cf_decider_t *decider)
{
    //  Copies: applying the event rewrites the parked entry these may
    //  otherwise point into.
    char stream [GATEWAY_STREAM_MAX + 1], event_id [65], why [GATEWAY_REASON_MAX];
    snprintf (stream, sizeof stream, "%s", lane->stream);
    snprintf (event_id, sizeof event_id, "%s", lane->event_id);
    snprintf (why, sizeof why, "%s", reason);
    Caseflow__V1__Gateway__EventParked body = CASEFLOW__V1__GATEWAY__EVENT_PARKED__INIT;
    body.subscription_id = (char *) subscription_id;
    body.stream = stream;
    body.seq = lane->seq;
    body.event_id = event_id;
    body.reason = why;
    body.attempts = lane->attempts;
    body.first_attempt_at = lane->first_at;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_EVENT_PARKED;
    event.event_parked = &body;
    cf_log_warn ("webhook %s: %s seq %llu parked after %u attempts (%s)", subscription_id, stream,
                 (unsigned long long) body.seq, body.attempts, why);
    return cf_decider_emit (decider, &event);
}

static int
s_emit_parked_delivered (const char *subscription_id, const s_lane_t *lane, cf_decider_t *decider)
{
    char stream [GATEWAY_STREAM_MAX + 1];
    snprintf (stream, sizeof stream, "%s", lane->stream);
    Caseflow__V1__Gateway__ParkedDelivered body = CASEFLOW__V1__GATEWAY__PARKED_DELIVERED__INIT;
    body.subscription_id = (char *) subscription_id;
    body.stream = stream;
    body.seq = lane->seq;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PARKED_DELIVERED;
    event.parked_delivered = &body;
    return cf_decider_emit (decider, &event);
}

static int
s_emit_retired (const char *subscription_id, const s_lane_t *lane, cf_decider_t *decider)
{
    char stream [GATEWAY_STREAM_MAX + 1];
    snprintf (stream, sizeof stream, "%s", lane->stream);
    Caseflow__V1__Gateway__SubscriptionRetired body =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_RETIRED__INIT;
    body.subscription_id = (char *) subscription_id;
    body.stream = stream;
    body.seq = lane->seq;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RETIRED;
    event.subscription_retired = &body;
    cf_log_warn ("webhook %s retired: the sink answered 410 Gone", subscription_id);
    return cf_decider_emit (decider, &event);
}

int
gateway_delivery_finish (gateway_delivery_t *self, const gateway_delivery_job_t *job,
                         uint64_t now_ms, int rc, long status, const char *retry_after,
                         int64_t now_unix, uint32_t random, cf_decider_t *decider)
{
    s_runtime_t *runtime = s_runtime_find (self, job->subscription_id);
    s_lane_t *lane = runtime ? s_lane_of (runtime, job) : NULL;
    if (!lane)
        return 0;  //  not ours (any more)
    lane->in_flight = false;
    assert (self->in_flight > 0);
    self->in_flight--;
    runtime->attempts++;
    const gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, job->subscription_id);
    assert (subscription);
    char reason [GATEWAY_REASON_MAX];
    gateway_attempt_verdict_t verdict = gateway_attempt_verdict (rc, status, reason, sizeof reason);
    if (verdict == GATEWAY_ATTEMPT_DELIVERED) {
        runtime->delivered++;
        runtime->last_error [0] = '\0';
        int result = 0;
        if (lane->resend) {
            if (subscription->state != GATEWAY_SUBSCRIPTION_REMOVED)
                result = s_emit_parked_delivered (subscription->id, lane, decider);
        } else {
            lane->cursor = lane->seq;
            runtime->unflushed++;
        }
        s_lane_reset (lane);
        return result;
    }
    runtime->failed++;
    snprintf (runtime->last_error, sizeof runtime->last_error, "%s", reason);
    //  Paused or removed while the attempt was out: nothing to decide.
    if (!gateway_webhooks_lifecycle_allows (subscription->state, GATEWAY_WEBHOOK_DELIVER)) {
        s_lane_reset (lane);
        return 0;
    }
    if (verdict == GATEWAY_ATTEMPT_GONE) {
        s_lane_reset (lane);
        return s_emit_retired (subscription->id, lane, decider);
    }
    lane->attempts++;
    if (lane->attempts == 1)
        lane->first_at = decider->now;
    if (gateway_retry_exhausted (&self->policy, lane->attempts, now_ms - lane->first_ms)) {
        int result = s_emit_parked (subscription->id, lane, reason, decider);
        if (!lane->resend)
            lane->cursor = lane->seq;
        s_lane_reset (lane);
        return result;
    }
    uint64_t delay_ms;
    if (status != 429
        || gateway_retry_after_parse (&self->policy, retry_after, now_unix, &delay_ms) != 0)
        delay_ms = gateway_retry_delay_ms (&self->policy, lane->attempts, random);
    lane->next_ms = now_ms + delay_ms;
    return 0;
}

//  The lanes' cursors that are ahead of the journal, as StreamCursors.
static size_t
s_moved (const gateway_subscription_t *subscription, const s_runtime_t *runtime,
         Caseflow__V1__Gateway__StreamCursor *cursors, Caseflow__V1__Gateway__StreamCursor **list,
         size_t max)
{
    size_t count = 0;
    for (size_t l = 0; l < runtime->n_lanes && count < max; l++) {
        const s_lane_t *lane = &runtime->lanes [l];
        if (lane->resend)
            continue;
        const gateway_cursor_t *journaled =
            gateway_subscription_cursor (subscription, lane->stream);
        if (!journaled || journaled->seq >= lane->cursor)
            continue;
        caseflow__v1__gateway__stream_cursor__init (&cursors [count]);
        cursors [count].stream = (char *) lane->stream;
        cursors [count].seq = lane->cursor;
        list [count] = &cursors [count];
        count++;
    }
    return count;
}

int
gateway_delivery_flush (gateway_delivery_t *self, uint64_t now_ms, bool force,
                        cf_decider_t *decider)
{
    for (size_t i = 0; i < self->count; i++) {
        s_runtime_t *runtime = self->runtimes [i];
        if (!force && now_ms - runtime->last_flush_ms < GATEWAY_FLUSH_INTERVAL_MS)
            continue;
        const gateway_subscription_t *subscription =
            gateway_webhooks_find (self->webhooks, runtime->id);
        if (!subscription || subscription->state == GATEWAY_SUBSCRIPTION_REMOVED)
            continue;
        Caseflow__V1__Gateway__StreamCursor cursors [runtime->n_lanes];
        Caseflow__V1__Gateway__StreamCursor *list [runtime->n_lanes];
        size_t moved = s_moved (subscription, runtime, cursors, list, runtime->n_lanes);
        if (moved == 0 && runtime->unflushed == 0)
            continue;
        Caseflow__V1__Gateway__DeliveryCursorMoved body =
            CASEFLOW__V1__GATEWAY__DELIVERY_CURSOR_MOVED__INIT;
        body.subscription_id = runtime->id;
        body.cursors = list;
        body.n_cursors = moved;
        body.delivered = runtime->unflushed;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_DELIVERY_CURSOR_MOVED;
        event.delivery_cursor_moved = &body;
        int rc = cf_decider_emit (decider, &event);
        if (rc)
            return rc;
        runtime->unflushed = 0;
        runtime->last_flush_ms = now_ms;
    }
    return 0;
}

//  True when the subscription of `runtime` has delivered or stepped over
//  something the journal does not know yet.
static bool
s_unflushed (gateway_delivery_t *self, const s_runtime_t *runtime)
{
    const gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, runtime->id);
    if (!subscription || subscription->state == GATEWAY_SUBSCRIPTION_REMOVED)
        return false;
    if (runtime->unflushed > 0)
        return true;
    for (size_t l = 0; l < runtime->n_lanes; l++) {
        const s_lane_t *lane = &runtime->lanes [l];
        const gateway_cursor_t *journaled =
            lane->resend ? NULL : gateway_subscription_cursor (subscription, lane->stream);
        if (journaled && journaled->seq < lane->cursor)
            return true;
    }
    return false;
}

bool
gateway_delivery_flush_due (gateway_delivery_t *self, uint64_t now_ms)
{
    for (size_t i = 0; i < self->count; i++) {
        const s_runtime_t *runtime = self->runtimes [i];
        if (now_ms - runtime->last_flush_ms >= GATEWAY_FLUSH_INTERVAL_MS
            && s_unflushed (self, runtime))
            return true;
    }
    return false;
}

uint64_t
gateway_delivery_wait_ms (gateway_delivery_t *self, uint64_t now_ms)
{
    uint64_t wait = UINT64_MAX;
    for (size_t i = 0; i < self->count; i++) {
        const s_runtime_t *runtime = self->runtimes [i];
        const gateway_subscription_t *subscription =
            gateway_webhooks_find (self->webhooks, runtime->id);
        if (!subscription)
            continue;
        if (gateway_webhooks_lifecycle_allows (subscription->state, GATEWAY_WEBHOOK_DELIVER))
            for (size_t l = 0; l < runtime->n_lanes; l++) {
                const s_lane_t *lane = &runtime->lanes [l];
                if (!lane->in_flight && lane->next_ms > now_ms && lane->next_ms - now_ms < wait)
                    wait = lane->next_ms - now_ms;
            }
        if (s_unflushed (self, runtime)) {
            uint64_t due = runtime->last_flush_ms + GATEWAY_FLUSH_INTERVAL_MS;
            uint64_t until = due > now_ms ? due - now_ms : 0;
            if (until < wait)
                wait = until;
        }
    }
    return wait;
}

void
gateway_delivery_wake (gateway_delivery_t *self, const char *subscription_id)
{
    s_runtime_t *runtime = s_runtime_find (self, subscription_id);
    if (!runtime)
        return;
    for (size_t l = 0; l < runtime->n_lanes; l++)
        runtime->lanes [l].next_ms = 0;
}

int
gateway_delivery_figures (gateway_delivery_t *self, const char *subscription_id,
                          gateway_delivery_figures_t *figures)
{
    memset (figures, 0, sizeof *figures);
    const gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, subscription_id);
    if (!subscription)
        return CF_ENOTFOUND;
    s_runtime_t *runtime = s_runtime (self, subscription);
    figures->delivered = runtime->delivered;
    figures->attempts = runtime->attempts;
    figures->failed = runtime->failed;
    figures->unflushed = runtime->unflushed;
    snprintf (figures->last_error, sizeof figures->last_error, "%s", runtime->last_error);
    for (size_t l = 0; l < runtime->n_lanes; l++) {
        const s_lane_t *lane = &runtime->lanes [l];
        if (lane->attempts > 0)
            figures->retrying++;
        if (!lane->resend
            && figures->n_cursors < sizeof figures->cursors / sizeof figures->cursors [0]) {
            gateway_cursor_t *cursor = &figures->cursors [figures->n_cursors++];
            snprintf (cursor->stream, sizeof cursor->stream, "%s", lane->stream);
            cursor->seq = lane->cursor;
        }
    }
    return 0;
}

size_t
gateway_delivery_in_flight (const gateway_delivery_t *self)
{
    return self->in_flight;
}
