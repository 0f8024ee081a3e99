//  gateway_state_view: the state's canonical views (a publisher's
//  PublisherInfo, an inbound event's InboundStatus) and the digest built
//  from them. Every part of a view is a fresh heap allocation, because
//  replies are freed the way protobuf-c frees what it unpacked.
#include "gateway_state.h"

#include "cf_api.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Caseflow__V1__Gateway__PublisherInfo *
gateway_state_publisher_view (const gateway_publisher_t *publisher)
{
    Caseflow__V1__Gateway__PublisherInfo *view = calloc (1, sizeof *view);
    assert (view);
    caseflow__v1__gateway__publisher_info__init (view);
    view->publisher_id = cf_strdup (publisher->publisher_id);
    view->source = cf_strdup (publisher->source);
    view->types = calloc (publisher->type_count + 1, sizeof *view->types);
    assert (view->types);
    for (size_t i = 0; i < publisher->type_count; i++)
        view->types [view->n_types++] = cf_strdup (publisher->types [i]);
    view->channel = publisher->channel;
    view->added_at = publisher->added_at;
    view->accepted = publisher->accepted;
    view->previous_token_valid_until =
        *publisher->previous_token_id ? publisher->previous_valid_until : 0;
    return view;
}

Caseflow__V1__Gateway__InboundStatus *
gateway_state_inbound_view (const gateway_inbound_t *inbound)
{
    Caseflow__V1__Gateway__InboundStatus *view = calloc (1, sizeof *view);
    assert (view);
    caseflow__v1__gateway__inbound_status__init (view);
    view->source = cf_strdup (inbound->source);
    view->ce_id = cf_strdup (inbound->ce_id);
    view->type = cf_strdup (inbound->type);
    view->received_at = inbound->received_at;
    view->state = inbound->status;
    view->reason = cf_strdup (inbound->reason);
    view->case_id = cf_strdup (inbound->case_id);
    view->handover_id = cf_strdup (inbound->handover_id);
    view->seq = inbound->seq;
    return view;
}

//  Hashes a length prefix and the bytes, so concatenations cannot collide.
static void
s_hash_bytes (crypto_hash_sha256_state *hash, const void *data, size_t size)
{
    uint8_t prefix [8];
    for (int i = 0; i < 8; i++)
        prefix [i] = (uint8_t) ((uint64_t) size >> (56 - 8 * i));
    crypto_hash_sha256_update (hash, prefix, sizeof prefix);
    crypto_hash_sha256_update (hash, data, size);
}

static void
s_hash_text (crypto_hash_sha256_state *hash, const char *text)
{
    s_hash_bytes (hash, text, strlen (text));
}

static void
s_hash_message (crypto_hash_sha256_state *hash, const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    protobuf_c_message_pack (message, data);
    s_hash_bytes (hash, data, size);
    free (data);
}

void
gateway_state_digest (const gateway_state_t *state, crypto_hash_sha256_state *hash)
{
    char line [96];
    snprintf (line, sizeof line, "gateway applied %llu publishers %zu inbound %zu retired %zu",
              (unsigned long long) state->applied, zhashx_size (state->publishers),
              state->inbound_count, state->retired_count);
    s_hash_text (hash, line);
    size_t count = 0;
    gateway_publisher_t **publishers = gateway_state_publishers (state, &count);
    for (size_t i = 0; i < count; i++) {
        const gateway_publisher_t *publisher = publishers [i];
        Caseflow__V1__Gateway__PublisherInfo *view = gateway_state_publisher_view (publisher);
        s_hash_message (hash, &view->base);
        caseflow__v1__gateway__publisher_info__free_unpacked (view, NULL);
        snprintf (line, sizeof line, "%d %lld", (int) publisher->status,
                  (long long) publisher->removed_at);
        s_hash_text (hash, line);
        s_hash_text (hash, publisher->token_id);
        s_hash_text (hash, publisher->previous_token_id);
    }
    free (publishers);
    for (size_t i = 0; i < state->retired_count; i++)
        s_hash_text (hash, state->retired [i]);
    for (size_t i = 0; i < state->inbound_count; i++) {
        const gateway_inbound_t *inbound = state->inbound [i];
        Caseflow__V1__Gateway__InboundStatus *view = gateway_state_inbound_view (inbound);
        s_hash_message (hash, &view->base);
        caseflow__v1__gateway__inbound_status__free_unpacked (view, NULL);
        s_hash_text (hash, inbound->publisher_id);
        s_hash_text (hash, inbound->transit_key_id);
        snprintf (line, sizeof line, "%lld", (long long) inbound->erased_at);
        s_hash_text (hash, line);
        s_hash_text (hash, inbound->erased_subject);
    }
}

void
gateway_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    gateway_state_digest (state, hash);
}
