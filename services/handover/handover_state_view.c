//  handover_state_view: the state as protobuf views (the canonical form of
//  a provider and a handover, personal fields left empty: the state holds
//  them sealed), the digest built from them and the sealed bytes, and the
//  runtime's apply and digest hooks (which call down into
//  handover_state.c, never the other way). Every part of a view is a fresh
//  heap allocation, because replies are freed the way protobuf-c frees
//  what it unpacked. The clock-derived flags of a view
//  (overdue, at risk) are the query's (handover_query_view): the state's
//  form, and so the digest, does not depend on the clock.
#include "handover_state.h"

#include "cf_api.h"
#include "cf_digest.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void *
s_alloc (size_t size)
{
    void *data = calloc (1, size ? size : 1);
    assert (data);
    return data;
}

static Caseflow__V1__Handover__Meeting *
s_meeting_view (const handover_meeting_t *meeting)
{
    Caseflow__V1__Handover__Meeting *view = s_alloc (sizeof *view);
    caseflow__v1__handover__meeting__init (view);
    view->planned_at = meeting->planned_at;
    view->at = meeting->at;
    view->location = cf_strdup ("");
    return view;
}

static Caseflow__V1__Handover__Document *
s_document_view (const handover_document_t *document)
{
    Caseflow__V1__Handover__Document *view = s_alloc (sizeof *view);
    caseflow__v1__handover__document__init (view);
    view->title = cf_strdup ("");
    view->type = cf_strdup (document->type);
    view->received_at = document->received_at;
    return view;
}

Caseflow__V1__Handover__HandoverView *
handover_state_view (const handover_t *handover)
{
    Caseflow__V1__Handover__HandoverView *view = s_alloc (sizeof *view);
    caseflow__v1__handover__handover_view__init (view);
    view->handover_id = cf_strdup (handover->id);
    view->provider_id = cf_strdup (handover->provider_id);
    view->state = handover->status;
    if (handover->domain_count) {
        view->domains = s_alloc (handover->domain_count * sizeof *view->domains);
        memcpy (view->domains, handover->domains, handover->domain_count * sizeof *view->domains);
        view->n_domains = handover->domain_count;
    }
    view->support = cf_strdup ("");
    view->preferred_worker = cf_strdup (handover->preferred_worker);
    view->urgency = handover->urgency;
    view->deadline = handover->deadline;
    view->caseload_worker = cf_strdup (handover->caseload_worker);
    view->announced_at = handover->announced_at;
    if (handover->meeting_count) {
        view->meetings = s_alloc (handover->meeting_count * sizeof *view->meetings);
        for (size_t i = 0; i < handover->meeting_count; i++)
            view->meetings [i] = s_meeting_view (&handover->meetings [i]);
        view->n_meetings = handover->meeting_count;
    }
    view->held_at = handover->held_at;
    view->next_step = handover->next_step;
    view->decision_note = cf_strdup ("");
    view->decided_at = handover->decided_at;
    if (handover->document_count) {
        view->documents = s_alloc (handover->document_count * sizeof *view->documents);
        for (size_t i = 0; i < handover->document_count; i++)
            view->documents [i] = s_document_view (&handover->documents [i]);
        view->n_documents = handover->document_count;
    }
    view->files_waived = handover->files_waived;
    view->files_recorded_at = handover->files_recorded_at;
    view->completed_at = handover->completed_at;
    view->cancelled_at = handover->cancelled_at;
    view->cancel_reason = cf_strdup ("");
    view->erased = handover->erased_at != 0;
    return view;
}

Caseflow__V1__Handover__ProviderView *
handover_state_provider_view (const handover_provider_t *provider)
{
    Caseflow__V1__Handover__ProviderView *view = s_alloc (sizeof *view);
    caseflow__v1__handover__provider_view__init (view);
    view->provider_id = cf_strdup (provider->provider_id);
    view->name = cf_strdup (provider->name);
    view->added_at = provider->added_at;
    return view;
}

//  Sealed values are hashed as the bytes the events carried: the digest
//  needs no key and stays the same after an erasure.
static void
s_hash_sealed (crypto_hash_sha256_state *hash, const handover_sealed_t *sealed)
{
    cf_digest_bytes (hash, sealed->data, sealed->size);
}

void
handover_state_digest (const handover_state_t *state, crypto_hash_sha256_state *hash)
{
    char line [64];
    int len = snprintf (line, sizeof line, "handover applied %llu providers %zu handovers %zu\n",
                        (unsigned long long) state->applied, zhashx_size (state->providers),
                        state->count);
    cf_digest_bytes (hash, line, (size_t) len);
    size_t count = 0;
    handover_provider_t **providers = handover_state_providers (state, &count);
    for (size_t i = 0; i < count; i++) {
        Caseflow__V1__Handover__ProviderView *view = handover_state_provider_view (providers [i]);
        cf_digest_message (hash, &view->base);
        caseflow__v1__handover__provider_view__free_unpacked (view, NULL);
    }
    free (providers);
    for (size_t i = 0; i < state->count; i++) {
        const handover_t *handover = state->handovers [i];
        Caseflow__V1__Handover__HandoverView *view = handover_state_view (handover);
        cf_digest_message (hash, &view->base);
        caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
        //  The sealed values as the events carried them: no key needed.
        cf_digest_text (hash, handover->transit_key_id);
        s_hash_sealed (hash, &handover->announced);
        for (size_t m = 0; m < handover->meeting_count; m++)
            s_hash_sealed (hash, &handover->meetings [m].personal);
        s_hash_sealed (hash, &handover->decision);
        for (size_t b = 0; b < handover->file_batch_count; b++)
            s_hash_sealed (hash, &handover->file_batches [b]);
        s_hash_sealed (hash, &handover->cancel);
    }
    cf_inbound_digest (state->inbound, hash);
}

//  ------------------------------------------------------ the runtime's hooks

int
handover_state_apply_hook (void *state, const Caseflow__V1__Event *event)
{
    return handover_state_apply (state, event);
}

void
handover_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    handover_state_digest (state, hash);
}
