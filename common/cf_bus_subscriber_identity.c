//  cf_bus_subscriber_identity: the subscriber as its owner reads it (see
//  cf_bus_subscriber.h): its cursor and the cursor's identity (set from
//  the store, read for `stream status` and the epoch to store), the
//  producer's head, whether it caught up or diverged; and the operator's
//  accept. Part of cf_bus_subscriber; the judging of the producer's word
//  is in cf_bus_subscriber.c, beside the messages it judges.
#include "cf_bus_subscriber_private.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *
cf_bus_subscriber_stream (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->stream;
}

uint64_t
cf_bus_subscriber_cursor (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->cursor;
}

uint64_t
cf_bus_subscriber_head (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->head;
}

bool
cf_bus_subscriber_caught_up (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->caught_up;
}

void
cf_bus_subscriber_set_identity (cf_bus_subscriber_t *self, uint64_t epoch, const char *last_id)
{
    assert (self);
    self->epoch = epoch;
    self->stored_epoch = epoch;
    snprintf (self->last_id, sizeof self->last_id, "%s", last_id ? last_id : "");
}

uint64_t
cf_bus_subscriber_epoch (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->epoch;
}

bool
cf_bus_subscriber_epoch_to_store (cf_bus_subscriber_t *self, uint64_t *epoch_p)
{
    assert (self);
    if (self->epoch == self->stored_epoch)
        return false;
    self->stored_epoch = self->epoch;
    *epoch_p = self->epoch;
    return true;
}

const char *
cf_bus_subscriber_last_id (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->last_id;
}

uint64_t
cf_bus_subscriber_producer_epoch (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->producer_epoch;
}

cf_bus_verdict_t
cf_bus_subscriber_verdict (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->verdict;
}

const char *
cf_bus_subscriber_divergence (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->verdict == CF_BUS_AGREES ? NULL : self->divergence;
}

int
cf_bus_subscriber_accept (cf_bus_subscriber_t *self, int64_t now, uint64_t *cursor_p,
                          uint64_t *epoch_p)
{
    assert (self);
    if (self->verdict == CF_BUS_AGREES)
        return -1;
    //  The producer's head as it said at the divergence: the seqs above it
    //  are its new history's, to be applied; below, what we applied stays.
    uint64_t cursor = self->head < self->cursor ? self->head : self->cursor;
    uint64_t epoch = self->producer_epoch;
    cf_log_info ("bus %s: an operator accepted the producer's history: cursor seq %" PRIu64
                 " of epoch %016" PRIx64 " (was seq %" PRIu64 " of epoch %016" PRIx64 ")",
                 self->stream, cursor, epoch, self->cursor, self->epoch);
    cf_bus_subscriber_reset (self, cursor, now);
    cf_bus_subscriber_set_identity (self, epoch, "");
    *cursor_p = cursor;
    *epoch_p = epoch;
    return 0;
}

const char *
cf_bus_subscriber_silent (cf_bus_subscriber_t *self)
{
    assert (self);
    return self->silent ? self->silence : NULL;
}
