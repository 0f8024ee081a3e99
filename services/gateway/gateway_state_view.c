//  gateway_state_view: the state's canonical views (a publisher's
//  PublisherInfo, an inbound event's InboundStatus) and the digest built
//  from them. Every part of a view is a fresh heap allocation, because
//  replies are freed the way protobuf-c frees what it unpacked.
#include "gateway_state.h"

#include "cf_api.h"
#include "cf_digest.h"

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

void
gateway_state_digest (const gateway_state_t *state, crypto_hash_sha256_state *hash)
{
    char line [96];
    snprintf (line, sizeof line, "gateway applied %llu publishers %zu inbound %zu retired %zu",
              (unsigned long long) state->applied, zhashx_size (state->publishers),
              state->inbound_count, state->retired_count);
    cf_digest_text (hash, line);
    size_t count = 0;
    gateway_publisher_t **publishers = gateway_state_publishers (state, &count);
    for (size_t i = 0; i < count; i++) {
        const gateway_publisher_t *publisher = publishers [i];
        Caseflow__V1__Gateway__PublisherInfo *view = gateway_state_publisher_view (publisher);
        cf_digest_message (hash, &view->base);
        caseflow__v1__gateway__publisher_info__free_unpacked (view, NULL);
        snprintf (line, sizeof line, "%d %lld", (int) publisher->status,
                  (long long) publisher->removed_at);
        cf_digest_text (hash, line);
        cf_digest_text (hash, publisher->token_id);
        cf_digest_text (hash, publisher->previous_token_id);
    }
    free (publishers);
    for (size_t i = 0; i < state->retired_count; i++)
        cf_digest_text (hash, state->retired [i]);
    for (size_t i = 0; i < state->inbound_count; i++) {
        const gateway_inbound_t *inbound = state->inbound [i];
        Caseflow__V1__Gateway__InboundStatus *view = gateway_state_inbound_view (inbound);
        cf_digest_message (hash, &view->base);
        caseflow__v1__gateway__inbound_status__free_unpacked (view, NULL);
        cf_digest_text (hash, inbound->publisher_id);
        cf_digest_text (hash, inbound->transit_key_id);
        snprintf (line, sizeof line, "%lld", (long long) inbound->erased_at);
        cf_digest_text (hash, line);
        cf_digest_text (hash, inbound->erased_subject);
    }
    gateway_webhooks_digest (state->webhooks, hash);
}

void
gateway_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    gateway_state_digest (state, hash);
}
