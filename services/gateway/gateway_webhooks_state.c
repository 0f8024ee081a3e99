//  gateway_webhooks_state: subscriptions and their journaled positions (see
//  the header). Subscriptions are few (a municipality has a handful of
//  consumers), so they are an array searched by id; parked entries per
//  subscription an array in the order parked.
#include "gateway_webhooks_state.h"

#include "cf_digest.h"
#include "cf_error.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _gateway_webhooks_t {
    gateway_subscription_t **subscriptions;
    size_t count, room;
};

gateway_webhooks_t *
gateway_webhooks_new (void)
{
    gateway_webhooks_t *self = calloc (1, sizeof *self);
    assert (self);
    return self;
}

static void
s_subscription_free (gateway_subscription_t *subscription)
{
    free (subscription->sink);
    for (size_t i = 0; i < subscription->n_types; i++)
        free (subscription->types [i]);
    free (subscription->types);
    free (subscription->cursors);
    free (subscription->parked);
    if (subscription->token)
        caseflow__v1__sealed__free_unpacked (subscription->token, NULL);
    free (subscription);
}

void
gateway_webhooks_destroy (gateway_webhooks_t **self_p)
{
    gateway_webhooks_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++)
        s_subscription_free (self->subscriptions [i]);
    free (self->subscriptions);
    free (self);
    *self_p = NULL;
}

size_t
gateway_webhooks_count (const gateway_webhooks_t *self)
{
    return self->count;
}

gateway_subscription_t *
gateway_webhooks_at (const gateway_webhooks_t *self, size_t index)
{
    assert (index < self->count);
    return self->subscriptions [index];
}

gateway_subscription_t *
gateway_webhooks_find (const gateway_webhooks_t *self, const char *id)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->subscriptions [i]->id, id) == 0)
            return self->subscriptions [i];
    return NULL;
}

gateway_cursor_t *
gateway_subscription_cursor (const gateway_subscription_t *subscription, const char *stream)
{
    for (size_t i = 0; i < subscription->n_cursors; i++)
        if (strcmp (subscription->cursors [i].stream, stream) == 0)
            return &subscription->cursors [i];
    return NULL;
}

gateway_parked_t *
gateway_subscription_parked (const gateway_subscription_t *subscription, const char *stream,
                             uint64_t seq)
{
    for (size_t i = 0; i < subscription->n_parked; i++)
        if (subscription->parked [i].seq == seq
            && strcmp (subscription->parked [i].stream, stream) == 0)
            return &subscription->parked [i];
    return NULL;
}

static bool
s_word (const char *start, size_t length, bool star)
{
    if (length == 0)
        return false;
    if (star && length == 1 && *start == '*')
        return true;
    for (size_t i = 0; i < length; i++) {
        char c = start [i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

int
gateway_webhooks_type_stream (const char *type, char stream [GATEWAY_STREAM_MAX + 1])
{
    size_t prefix = strlen (GATEWAY_TYPE_PREFIX);
    if (!type || strncmp (type, GATEWAY_TYPE_PREFIX, prefix) != 0
        || strlen (type) > GATEWAY_TYPE_MAX)
        return CF_EINVAL;
    const char *start = type + prefix;
    const char *dot = strchr (start, '.');
    if (!dot || (size_t) (dot - start) > GATEWAY_STREAM_MAX || !s_word (start, dot - start, false)
        || !s_word (dot + 1, strlen (dot + 1), true))
        return CF_EINVAL;
    memcpy (stream, start, (size_t) (dot - start));
    stream [dot - start] = '\0';
    return 0;
}

bool
gateway_subscription_wants (const gateway_subscription_t *subscription, const char *type)
{
    char stream [GATEWAY_STREAM_MAX + 1];
    if (gateway_webhooks_type_stream (type, stream) != 0)
        return false;
    for (size_t i = 0; i < subscription->n_types; i++) {
        const char *wanted = subscription->types [i];
        if (strcmp (wanted, type) == 0)
            return true;
        //  "nl.sociaal-domein.<stream>.*": the same stream, any event.
        size_t length = strlen (wanted);
        if (length > 2 && strcmp (wanted + length - 2, ".*") == 0
            && strncmp (wanted, type, length - 1) == 0)
            return true;
    }
    return false;
}

static void
s_cursor_set (gateway_cursor_t *cursor, const char *stream, uint64_t seq)
{
    snprintf (cursor->stream, sizeof cursor->stream, "%s", stream);
    cursor->seq = seq;
}

static int
s_add (gateway_webhooks_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__SubscriptionAdded *body = event->subscription_added;
    gateway_subscription_t *subscription = calloc (1, sizeof *subscription);
    assert (subscription);
    snprintf (subscription->id, sizeof subscription->id, "%s", body->subscription_id);
    subscription->sink = strdup (body->sink);
    assert (subscription->sink);
    subscription->types = calloc (body->n_types + 1, sizeof (char *));
    assert (subscription->types);
    for (size_t i = 0; i < body->n_types; i++) {
        subscription->types [i] = strdup (body->types [i]);
        assert (subscription->types [i]);
    }
    subscription->n_types = body->n_types;
    snprintf (subscription->token_key_id, sizeof subscription->token_key_id, "%s",
              body->token_key_id);
    subscription->state = GATEWAY_SUBSCRIPTION_VERIFYING;
    if (body->token) {
        //  A copy through the wire format: the event's memory is not ours.
        size_t size = caseflow__v1__sealed__get_packed_size (body->token);
        uint8_t *bytes = malloc (size + 1);
        assert (bytes);
        caseflow__v1__sealed__pack (body->token, bytes);
        subscription->token = caseflow__v1__sealed__unpack (NULL, size, bytes);
        assert (subscription->token);
        free (bytes);
    }
    subscription->added_at = event->occurred_at;
    subscription->cursors = calloc (body->n_cursors + 1, sizeof *subscription->cursors);
    assert (subscription->cursors);
    for (size_t i = 0; i < body->n_cursors; i++)
        s_cursor_set (&subscription->cursors [i], body->cursors [i]->stream,
                      body->cursors [i]->seq);
    subscription->n_cursors = body->n_cursors;
    if (self->count == self->room) {
        self->room = self->room ? self->room * 2 : 8;
        self->subscriptions =
            realloc (self->subscriptions, self->room * sizeof *self->subscriptions);
        assert (self->subscriptions);
    }
    self->subscriptions [self->count++] = subscription;
    return 1;
}

//  A lifecycle move recorded in the journal: taken as the journal says (the
//  decision asked the table before emitting it).
static int
s_move (gateway_webhooks_t *self, const char *id, gateway_webhook_action_t action)
{
    gateway_subscription_t *subscription = gateway_webhooks_find (self, id);
    if (!subscription)
        return CF_ENOTFOUND;
    gateway_subscription_state_t to;
    if (gateway_webhooks_lifecycle_next (subscription->state, action, &to) == 0)
        subscription->state = to;
    return 1;
}

static int
s_removed (gateway_webhooks_t *self, const Caseflow__V1__Gateway__SubscriptionRemoved *body)
{
    int rc = s_move (self, body->subscription_id, GATEWAY_WEBHOOK_REMOVE);
    if (rc == 1)
        snprintf (gateway_webhooks_find (self, body->subscription_id)->removed_reason,
                  GATEWAY_REASON_MAX, "%s", body->reason ? body->reason : "");
    return rc;
}

static void
s_cursor_at_least (gateway_subscription_t *subscription, const char *stream, uint64_t seq)
{
    gateway_cursor_t *cursor = gateway_subscription_cursor (subscription, stream);
    if (cursor && cursor->seq < seq)
        cursor->seq = seq;
}

static int
s_cursor_moved (gateway_webhooks_t *self, const Caseflow__V1__Gateway__DeliveryCursorMoved *body)
{
    gateway_subscription_t *subscription = gateway_webhooks_find (self, body->subscription_id);
    if (!subscription)
        return CF_ENOTFOUND;
    for (size_t i = 0; i < body->n_cursors; i++)
        s_cursor_at_least (subscription, body->cursors [i]->stream, body->cursors [i]->seq);
    subscription->delivered += body->delivered;
    return 1;
}

static int
s_parked (gateway_webhooks_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__EventParked *body = event->event_parked;
    gateway_subscription_t *subscription = gateway_webhooks_find (self, body->subscription_id);
    if (!subscription)
        return CF_ENOTFOUND;
    //  Parked again after a resend: the entry is updated where it stands.
    gateway_parked_t *parked = gateway_subscription_parked (subscription, body->stream, body->seq);
    if (!parked) {
        gateway_parked_t *grown =
            realloc (subscription->parked, (subscription->n_parked + 1) * sizeof *grown);
        assert (grown);
        subscription->parked = grown;
        parked = &grown [subscription->n_parked++];
        memset (parked, 0, sizeof *parked);
        snprintf (parked->stream, sizeof parked->stream, "%s", body->stream);
        parked->seq = body->seq;
    }
    snprintf (parked->event_id, sizeof parked->event_id, "%s", body->event_id);
    snprintf (parked->reason, sizeof parked->reason, "%s", body->reason);
    parked->attempts = body->attempts;
    parked->parked_at = event->occurred_at;
    parked->resending = false;
    //  In order per stream: everything before it is done too.
    s_cursor_at_least (subscription, body->stream, body->seq);
    return 1;
}

static int
s_resent (gateway_webhooks_t *self, const Caseflow__V1__Gateway__ParkedResent *body)
{
    gateway_subscription_t *subscription = gateway_webhooks_find (self, body->subscription_id);
    if (!subscription)
        return CF_ENOTFOUND;
    for (size_t i = 0; i < body->n_events; i++) {
        gateway_parked_t *parked = gateway_subscription_parked (
            subscription, body->events [i]->stream, body->events [i]->seq);
        if (parked)
            parked->resending = true;
    }
    return 1;
}

static int
s_parked_delivered (gateway_webhooks_t *self, const Caseflow__V1__Gateway__ParkedDelivered *body)
{
    gateway_subscription_t *subscription = gateway_webhooks_find (self, body->subscription_id);
    if (!subscription)
        return CF_ENOTFOUND;
    gateway_parked_t *parked = gateway_subscription_parked (subscription, body->stream, body->seq);
    if (parked) {
        size_t index = (size_t) (parked - subscription->parked);
        memmove (parked, parked + 1, (subscription->n_parked - index - 1) * sizeof *parked);
        subscription->n_parked--;
    }
    subscription->delivered++;
    return 1;
}

int
gateway_webhooks_apply (gateway_webhooks_t *self, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_ADDED: return s_add (self, event);
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_PAUSED:
            return s_move (self, event->subscription_paused->subscription_id,
                           GATEWAY_WEBHOOK_PAUSE);
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RESUMED:
            return s_move (self, event->subscription_resumed->subscription_id,
                           GATEWAY_WEBHOOK_RESUME);
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_REMOVED:
            return s_removed (self, event->subscription_removed);
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_VERIFIED:
            return s_move (self, event->subscription_verified->subscription_id,
                           GATEWAY_WEBHOOK_VERIFY);
        case CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RETIRED:
            return s_move (self, event->subscription_retired->subscription_id,
                           GATEWAY_WEBHOOK_RETIRE);
        case CASEFLOW__V1__EVENT__BODY_DELIVERY_CURSOR_MOVED:
            return s_cursor_moved (self, event->delivery_cursor_moved);
        case CASEFLOW__V1__EVENT__BODY_EVENT_PARKED: return s_parked (self, event);
        case CASEFLOW__V1__EVENT__BODY_PARKED_RESENT: return s_resent (self, event->parked_resent);
        case CASEFLOW__V1__EVENT__BODY_PARKED_DELIVERED:
            return s_parked_delivered (self, event->parked_delivered);
        default: return 0;
    }
}

void
gateway_webhooks_digest (const gateway_webhooks_t *self, crypto_hash_sha256_state *hash)
{
    cf_digest_native_u64 (hash, self->count);
    for (size_t i = 0; i < self->count; i++) {
        const gateway_subscription_t *subscription = self->subscriptions [i];
        cf_digest_native_text (hash, subscription->id);
        cf_digest_native_text (hash, subscription->sink);
        cf_digest_native_u64 (hash, subscription->n_types);
        for (size_t t = 0; t < subscription->n_types; t++)
            cf_digest_native_text (hash, subscription->types [t]);
        cf_digest_native_text (hash, subscription->token_key_id);
        cf_digest_native_text (hash, subscription->removed_reason);
        cf_digest_native_u64 (hash, (uint64_t) subscription->state);
        cf_digest_native_u64 (hash, (uint64_t) subscription->added_at);
        cf_digest_native_u64 (hash, subscription->delivered);
        cf_digest_native_u64 (hash, subscription->n_cursors);
        for (size_t c = 0; c < subscription->n_cursors; c++) {
            cf_digest_native_text (hash, subscription->cursors [c].stream);
            cf_digest_native_u64 (hash, subscription->cursors [c].seq);
        }
        cf_digest_native_u64 (hash, subscription->n_parked);
        for (size_t p = 0; p < subscription->n_parked; p++) {
            const gateway_parked_t *parked = &subscription->parked [p];
            cf_digest_native_text (hash, parked->stream);
            cf_digest_native_u64 (hash, parked->seq);
            cf_digest_native_text (hash, parked->event_id);
            cf_digest_native_text (hash, parked->reason);
            cf_digest_native_u64 (hash, parked->attempts);
            cf_digest_native_u64 (hash, (uint64_t) parked->parked_at);
            cf_digest_native_u64 (hash, parked->resending);
        }
    }
}
