//  cf_upstreams: the streams a service follows (see cf_upstreams.h).
#include "cf_upstreams.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _cf_upstreams_t {
    cf_bus_subscriber_t **subscribers;
    size_t *slots;  //  each subscriber's index in the service's list of streams
    size_t count;
};

int
cf_upstreams_new (const char *const *streams, cf_config_t *config, cf_journal_t *journal,
                  cf_keys_t *keys, cf_bus_deliver_fn *deliver, void *ctx, cf_upstreams_t **self_p)
{
    cf_upstreams_t *self = calloc (1, sizeof *self);
    assert (self);
    *self_p = self;
    size_t count = 0;
    while (streams && streams [count])
        count++;
    self->subscribers = calloc (count + 1, sizeof *self->subscribers);
    self->slots = calloc (count + 1, sizeof *self->slots);
    assert (self->subscribers && self->slots);
    for (size_t i = 0; i < count; i++) {
        char name [96];
        snprintf (name, sizeof name, "%s-events", streams [i]);
        const char *events = cf_config_string (config, name);
        //  A stream the deployment does not run: not followed, its cursor
        //  kept for the day it is.
        if (strcmp (events, CF_CONFIG_NONE) == 0) {
            cf_log_info ("upstream %s: not followed (--%s is %s)", streams [i], name,
                         CF_CONFIG_NONE);
            continue;
        }
        snprintf (name, sizeof name, "%s-api", streams [i]);
        const char *api = cf_config_string (config, name);
        uint64_t cursor = 0, epoch = 0;
        char id [CF_JOURNAL_EVENT_ID_MAX + 1];
        if (cf_journal_cursor_identity (journal, NULL, streams [i], &cursor, &epoch, id, sizeof id))
            return CF_ESTORE;
        cf_bus_subscriber_t *sub =
            cf_bus_subscriber_new_secure (streams [i], events, api, cursor, deliver, ctx, keys);
        if (!sub)
            return CF_EIO;
        cf_bus_subscriber_set_identity (sub, epoch, id);
        self->slots [self->count] = i;
        self->subscribers [self->count++] = sub;
    }
    return 0;
}

void
cf_upstreams_destroy (cf_upstreams_t **self_p)
{
    assert (self_p);
    cf_upstreams_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++)
        cf_bus_subscriber_destroy (&self->subscribers [i]);
    free (self->subscribers);
    free (self->slots);
    free (self);
    *self_p = NULL;
}

size_t
cf_upstreams_count (const cf_upstreams_t *self)
{
    return self->count;
}

cf_bus_subscriber_t *
cf_upstreams_subscriber (cf_upstreams_t *self, size_t index)
{
    assert (index < self->count);
    return self->subscribers [index];
}

size_t
cf_upstreams_process (cf_upstreams_t *self, int64_t now, size_t max_messages)
{
    size_t handled = 0;
    for (size_t i = 0; i < self->count; i++)
        handled += cf_bus_subscriber_process (self->subscribers [i], now, max_messages);
    return handled;
}

bool
cf_upstreams_caught_up (cf_upstreams_t *self)
{
    for (size_t i = 0; i < self->count; i++)
        if (!cf_bus_subscriber_caught_up (self->subscribers [i]))
            return false;
    return true;
}

const char *
cf_upstreams_silent (cf_upstreams_t *self)
{
    for (size_t i = 0; i < self->count; i++) {
        const char *why = cf_bus_subscriber_silent (self->subscribers [i]);
        if (why)
            return why;
    }
    return NULL;
}

void
cf_upstreams_measure (cf_upstreams_t *self, cf_metric_t **lag, cf_metric_t **diverged)
{
    for (size_t i = 0; i < self->count; i++) {
        uint64_t head = cf_bus_subscriber_head (self->subscribers [i]);
        uint64_t cursor = cf_bus_subscriber_cursor (self->subscribers [i]);
        cf_metric_set (lag [self->slots [i]], head > cursor ? (double) (head - cursor) : 0);
        cf_metric_set (diverged [self->slots [i]],
                       cf_bus_subscriber_divergence (self->subscribers [i]) ? 1 : 0);
    }
}

const char *
cf_upstreams_divergence (cf_upstreams_t *self)
{
    for (size_t i = 0; i < self->count; i++) {
        const char *why = cf_bus_subscriber_divergence (self->subscribers [i]);
        if (why)
            return why;
    }
    return NULL;
}

void
cf_upstreams_rewind (cf_upstreams_t *self, cf_journal_t *journal, int64_t now)
{
    for (size_t i = 0; i < self->count; i++) {
        uint64_t cursor = 0, epoch = 0;
        char id [CF_JOURNAL_EVENT_ID_MAX + 1];
        cf_journal_cursor_identity (journal, NULL, cf_bus_subscriber_stream (self->subscribers [i]),
                                    &cursor, &epoch, id, sizeof id);
        cf_bus_subscriber_reset (self->subscribers [i], cursor, now);
        cf_bus_subscriber_set_identity (self->subscribers [i], epoch, id);
    }
}

void
cf_upstreams_status (cf_upstreams_t *self, Caseflow__V1__ServiceStatus *status)
{
    status->n_upstreams = self->count;
    status->upstreams = calloc (self->count + 1, sizeof *status->upstreams);
    assert (status->upstreams);
    for (size_t i = 0; i < self->count; i++) {
        cf_bus_subscriber_t *sub = self->subscribers [i];
        Caseflow__V1__UpstreamStatus *up = malloc (sizeof *up);
        assert (up);
        caseflow__v1__upstream_status__init (up);
        up->stream = cf_strdup (cf_bus_subscriber_stream (sub));
        up->cursor = cf_bus_subscriber_cursor (sub);
        up->head = cf_bus_subscriber_head (sub);
        up->lag = up->head > up->cursor ? up->head - up->cursor : 0;
        up->caught_up = cf_bus_subscriber_caught_up (sub);
        status->upstreams [i] = up;
    }
}
