//  gateway_state: the state and its one writer, apply.
//
//  Publishers are few and live in a hash table by id (anything that lists
//  them sorts their ids). Inbound events are appended in seq order (the
//  order they were accepted), so an outcome naming a gateway seq finds its
//  event by binary search, and the digest walks them in order without
//  sorting. Two indexes over them: (source, id) for deduplication, and
//  the transit key id for intake's ResidentErased.
#include "gateway_state.h"

#include "gateway_webhooks_run.h"
#include "gateway_lifecycle.h"

#include "cf_streams.h"
#include "cf_log.h"
#include "cf_sorted.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Largest "source\x1fid" key: both are bounded by validation.
#define S_KEY_SIZE 600

static char *
s_dup (const char *text)
{
    char *copy = strdup (text ? text : "");
    assert (copy);
    return copy;
}

static void
s_publisher_free (void **item_p)
{
    gateway_publisher_t *publisher = *item_p;
    if (publisher) {
        free (publisher->publisher_id);
        free (publisher->source);
        for (size_t i = 0; i < publisher->type_count; i++)
            free (publisher->types [i]);
        free (publisher->types);
        free (publisher);
    }
    *item_p = NULL;
}

gateway_state_t *
gateway_state_new (const gateway_config_t *config)
{
    gateway_state_t *self = calloc (1, sizeof *self);
    assert (self);
    self->config = *config;
    self->publishers = zhashx_new ();
    assert (self->publishers);
    zhashx_set_destructor (self->publishers, s_publisher_free);
    self->tokens = cf_hash_new ();
    self->sources = cf_hash_new ();
    self->dedup = cf_hash_new ();
    self->by_key = cf_hash_new ();
    self->strings = cf_strings_new ();
    self->webhooks = gateway_webhooks_new ();
    return self;
}

void
gateway_state_destroy (gateway_state_t **self_p)
{
    assert (self_p);
    gateway_state_t *self = *self_p;
    if (!self)
        return;
    gateway_webhooks_destroy (&self->webhooks);
    cf_hash_destroy (&self->tokens);
    cf_hash_destroy (&self->sources);
    cf_hash_destroy (&self->dedup);
    cf_hash_destroy (&self->by_key);
    zhashx_destroy (&self->publishers);
    for (size_t i = 0; i < self->inbound_count; i++)
        free (self->inbound [i]);
    free (self->inbound);
    free (self->retired);
    cf_strings_destroy (&self->strings);
    free (self);
    *self_p = NULL;
}

//  The dedup key of (source, ce_id): a unit separator between them, which
//  validation allows in neither. Interned, so the index can borrow it.
static const char *
s_dedup_key (cf_strings_t *strings, const char *source, const char *ce_id)
{
    char key [S_KEY_SIZE];
    snprintf (key, sizeof key, "%s\x1f%s", source, ce_id);
    return cf_strings_intern (strings, key);
}

gateway_publisher_t *
gateway_state_publisher (const gateway_state_t *self, const char *id)
{
    return id ? zhashx_lookup (self->publishers, id) : NULL;
}

gateway_publisher_t *
gateway_state_token_owner (const gateway_state_t *self, const char *token_id, int64_t now)
{
    gateway_publisher_t *publisher = token_id ? cf_hash_lookup (self->tokens, token_id) : NULL;
    if (!publisher || publisher->status != GATEWAY_PUBLISHER_ACTIVE)
        return NULL;
    if (strcmp (publisher->token_id, token_id) == 0)
        return publisher;
    //  The rotated-out token, until its grace end.
    if (strcmp (publisher->previous_token_id, token_id) == 0
        && now < publisher->previous_valid_until)
        return publisher;
    return NULL;
}

gateway_publisher_t *
gateway_state_source_owner (const gateway_state_t *self, const char *source)
{
    return source ? cf_hash_lookup (self->sources, source) : NULL;
}

gateway_publisher_t **
gateway_state_publishers (const gateway_state_t *self, size_t *count_p)
{
    //  By key: the key of every entry is its id.
    return (gateway_publisher_t **) cf_sorted_values (self->publishers, count_p);
}

gateway_inbound_t *
gateway_state_inbound (const gateway_state_t *self, const char *source, const char *ce_id)
{
    if (!source || !ce_id || strlen (source) + strlen (ce_id) + 2 > S_KEY_SIZE)
        return NULL;
    char key [S_KEY_SIZE];
    snprintf (key, sizeof key, "%s\x1f%s", source, ce_id);
    return cf_hash_lookup (self->dedup, key);
}

gateway_inbound_t *
gateway_state_by_key (const gateway_state_t *self, const char *key_id)
{
    return key_id && *key_id ? cf_hash_lookup (self->by_key, key_id) : NULL;
}

void
gateway_state_set_secrets (gateway_state_t *self, struct _gateway_secrets_t *secrets)
{
    self->secrets = secrets;
}

//  The inbound event accepted at gateway seq `seq`, or NULL.
static gateway_inbound_t *
s_inbound_by_seq (const gateway_state_t *self, uint64_t seq)
{
    size_t low = 0, high = self->inbound_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (self->inbound [middle]->seq < seq)
            low = middle + 1;
        else
            high = middle;
    }
    return low < self->inbound_count && self->inbound [low]->seq == seq ? self->inbound [low]
                                                                        : NULL;
}

//  ------------------------------------------------------------- appliers

static void
s_wrong (const Caseflow__V1__Event *event, const char *why) __attribute__ ((noreturn));

static void
s_wrong (const Caseflow__V1__Event *event, const char *why)
{
    cf_log_error ("gateway seq %" PRIu64 " does not fit the state: %s", event->seq, why);
    assert (false && "an own event that does not fit the state");
    abort ();
}

static void
s_retire (gateway_state_t *self, const char *token_id)
{
    if (!*token_id)
        return;
    cf_hash_delete (self->tokens, token_id);
    self->retired = realloc (self->retired, (self->retired_count + 1) * sizeof *self->retired);
    assert (self->retired);
    snprintf (self->retired [self->retired_count++], CF_SEAL_ID_SIZE, "%s", token_id);
}

//  Moves `publisher` by `action`, as the table says (an own event always
//  makes a move it lists).
static void
s_move (const Caseflow__V1__Event *event, gateway_publisher_t *publisher,
        gateway_publisher_action_t action)
{
    gateway_publisher_state_t next;
    if (gateway_lifecycle_publisher_next (publisher->status, action, &next))
        s_wrong (event, "a publisher move the lifecycle table does not list");
    publisher->status = next;
}

static void
s_apply_publisher_added (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__PublisherAdded *body = event->publisher_added;
    gateway_publisher_t *publisher = zhashx_lookup (self->publishers, body->publisher_id);
    if (!publisher) {
        publisher = calloc (1, sizeof *publisher);
        assert (publisher);
        publisher->publisher_id = s_dup (body->publisher_id);
        int rc = zhashx_insert (self->publishers, publisher->publisher_id, publisher);
        assert (rc == 0);
    } else {
        //  Added again after removal: what it was is replaced.
        free (publisher->source);
        for (size_t i = 0; i < publisher->type_count; i++)
            free (publisher->types [i]);
        free (publisher->types);
        publisher->types = NULL;
        publisher->type_count = 0;
        publisher->previous_token_id [0] = 0;
        publisher->previous_valid_until = 0;
        publisher->removed_at = 0;
    }
    s_move (event, publisher, GATEWAY_PUBLISHER_ADD);
    publisher->source = s_dup (body->source);
    publisher->types = calloc (body->n_types + 1, sizeof *publisher->types);
    assert (publisher->types);
    for (size_t i = 0; i < body->n_types; i++)
        publisher->types [publisher->type_count++] = s_dup (body->types [i]);
    publisher->channel = body->channel;
    publisher->added_at = event->occurred_at;
    snprintf (publisher->token_id, sizeof publisher->token_id, "%s", body->token_id);
    //  The tables' keys are the pool's copies: a publisher's own fields
    //  change in place.
    cf_hash_update (self->tokens, cf_strings_intern (self->strings, body->token_id), publisher);
    cf_hash_update (self->sources, cf_strings_intern (self->strings, body->source), publisher);
}

static void
s_apply_token_rotated (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__PublisherTokenRotated *body = event->publisher_token_rotated;
    gateway_publisher_t *publisher = zhashx_lookup (self->publishers, body->publisher_id);
    if (!publisher)
        s_wrong (event, "a rotation for an unknown publisher");
    s_move (event, publisher, GATEWAY_PUBLISHER_ROTATE);
    //  Only one token is in its grace at a time: the one before goes.
    s_retire (self, publisher->previous_token_id);
    snprintf (publisher->previous_token_id, sizeof publisher->previous_token_id, "%s",
              publisher->token_id);
    publisher->previous_valid_until = body->previous_valid_until;
    snprintf (publisher->token_id, sizeof publisher->token_id, "%s", body->token_id);
    cf_hash_update (self->tokens, cf_strings_intern (self->strings, body->token_id), publisher);
}

static void
s_apply_publisher_removed (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__PublisherRemoved *body = event->publisher_removed;
    gateway_publisher_t *publisher = zhashx_lookup (self->publishers, body->publisher_id);
    if (!publisher)
        s_wrong (event, "a removal of an unknown publisher");
    s_move (event, publisher, GATEWAY_PUBLISHER_REMOVE);
    s_retire (self, publisher->previous_token_id);
    s_retire (self, publisher->token_id);
    publisher->previous_token_id [0] = 0;
    publisher->previous_valid_until = 0;
    publisher->removed_at = event->occurred_at;
    if (cf_hash_lookup (self->sources, publisher->source) == publisher)
        cf_hash_delete (self->sources, publisher->source);
}

static void
s_apply_inbound_accepted (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__InboundAccepted *body = event->inbound_accepted;
    if (gateway_state_inbound (self, body->source, body->ce_id))
        s_wrong (event, "an inbound event accepted twice");
    if (self->inbound_count && self->inbound [self->inbound_count - 1]->seq >= event->seq)
        s_wrong (event, "an inbound event out of order");
    gateway_inbound_t *inbound = calloc (1, sizeof *inbound);
    assert (inbound);
    inbound->source = cf_strings_intern (self->strings, body->source);
    inbound->ce_id = cf_strings_intern (self->strings, body->ce_id);
    inbound->type = cf_strings_intern (self->strings, body->type);
    inbound->publisher_id = cf_strings_intern (self->strings, body->publisher_id);
    inbound->seq = event->seq;
    inbound->received_at = event->occurred_at;
    inbound->status = GATEWAY_INBOUND_ACCEPTED;
    inbound->reason = inbound->case_id = inbound->handover_id =
        cf_strings_intern (self->strings, "");
    if (body->personal)
        snprintf (inbound->transit_key_id, sizeof inbound->transit_key_id, "%s",
                  body->personal->key_id);
    if (self->inbound_count == self->inbound_capacity) {
        self->inbound_capacity = self->inbound_capacity ? 2 * self->inbound_capacity : 64;
        self->inbound = realloc (self->inbound, self->inbound_capacity * sizeof *self->inbound);
        assert (self->inbound);
    }
    self->inbound [self->inbound_count++] = inbound;
    cf_hash_insert (self->dedup, s_dedup_key (self->strings, body->source, body->ce_id), inbound);
    if (*inbound->transit_key_id)
        cf_hash_update (self->by_key, inbound->transit_key_id, inbound);
    gateway_publisher_t *publisher = zhashx_lookup (self->publishers, body->publisher_id);
    if (publisher)
        publisher->accepted++;
}

//  An outcome of intake or handover: the first one settles the event;
//  anything else about it (a repeat, a second consumer's word) is not for
//  the state. Returns 0 when it settled one, else 1.
static int
s_apply_outcome (gateway_state_t *self, const Caseflow__V1__InboundOutcome *body)
{
    gateway_inbound_t *inbound = s_inbound_by_seq (self, body->gateway_seq);
    if (!inbound || strcmp (inbound->source, body->source) != 0
        || strcmp (inbound->ce_id, body->ce_id) != 0)
        return 1;
    gateway_inbound_state_t next;
    if (gateway_lifecycle_inbound_next (
            inbound->status, body->applied ? GATEWAY_INBOUND_APPLY : GATEWAY_INBOUND_REJECT, &next))
        return 1;
    inbound->status = next;
    inbound->reason = cf_strings_intern (self->strings, body->reason);
    inbound->case_id = cf_strings_intern (self->strings, body->case_id);
    inbound->handover_id = cf_strings_intern (self->strings, body->handover_id);
    return 0;
}

//  Intake erased a resident: each inbound event whose transit key it names
//  is erased from then on (gateway_react queues the key's destruction).
static int
s_apply_resident_erased (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Intake__ResidentErased *body = event->resident_erased;
    int rc = 1;
    for (size_t i = 0; i < body->n_key_ids; i++) {
        gateway_inbound_t *inbound = gateway_state_by_key (self, body->key_ids [i]);
        if (!inbound || inbound->erased_at)
            continue;
        inbound->erased_at = event->occurred_at;
        snprintf (inbound->erased_subject, sizeof inbound->erased_subject, "%s", body->subject);
        rc = 0;
    }
    return rc;
}

int
gateway_state_apply (gateway_state_t *self, const Caseflow__V1__Event *event)
{
    assert (self && event);
    //  Every event, of every stream, may be one a webhook delivers.
    if (self->run)
        gateway_webhooks_run_observe (self->run, event);
    int rc = gateway_webhooks_apply (self->webhooks, event);
    if (rc != 0) {
        if (rc < 0)
            s_wrong (event, "a webhook event of a subscription the gateway does not know");
        self->applied++;
        return 0;
    }
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_PUBLISHER_ADDED:
            s_apply_publisher_added (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_PUBLISHER_TOKEN_ROTATED:
            s_apply_token_rotated (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_PUBLISHER_REMOVED:
            s_apply_publisher_removed (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED:
            s_apply_inbound_accepted (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME:
            rc = s_apply_outcome (self, event->intake_inbound_outcome);
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME:
            rc = s_apply_outcome (self, event->handover_inbound_outcome);
            break;
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED:
            rc = s_apply_resident_erased (self, event);
            break;
        default:
            if (cf_stream_of (event->stream, GATEWAY_STREAM))
                s_wrong (event, "an own event of a kind the gateway never decides");
            rc = 1;  //  an upstream event the gateway does not need
    }
    //  What changed the state counts, as in every service's digest.
    if (rc == 0)
        self->applied++;
    return rc;
}

int
gateway_state_apply_hook (void *state, const Caseflow__V1__Event *event)
{
    return gateway_state_apply (state, event);
}
