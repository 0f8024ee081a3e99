//  handover_state_view: the state as protobuf views (the canonical form of
//  a provider and a handover), the digest built from them, and the
//  runtime's hooks of the state room (which call down into
//  handover_state.c, never the other way). Every part of a view is a fresh
//  heap allocation, because replies are freed the way protobuf-c frees
//  what it unpacked. The clock-derived flags of a view
//  (overdue, at risk) are the query's (handover_query_view): the state's
//  form, and so the digest, does not depend on the clock.
#include "handover_state.h"

#include "cf_api.h"

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

static Caseflow__V1__PersonalData *
s_copy_resident (const Caseflow__V1__PersonalData *resident)
{
    Caseflow__V1__PersonalData *copy = s_alloc (sizeof *copy);
    caseflow__v1__personal_data__init (copy);
    copy->name = cf_strdup (resident->name);
    copy->birth_date = cf_strdup (resident->birth_date);
    copy->phone = cf_strdup (resident->phone);
    copy->district = cf_strdup (resident->district);
    copy->bsn = cf_strdup (resident->bsn);
    return copy;
}

static Caseflow__V1__Handover__Meeting *
s_meeting_view (const handover_meeting_t *meeting)
{
    Caseflow__V1__Handover__Meeting *view = s_alloc (sizeof *view);
    caseflow__v1__handover__meeting__init (view);
    view->planned_at = meeting->planned_at;
    view->at = meeting->at;
    view->location = cf_strdup (meeting->location);
    if (meeting->participant_count) {
        view->participants = s_alloc (meeting->participant_count * sizeof *view->participants);
        for (size_t i = 0; i < meeting->participant_count; i++)
            view->participants [i] = cf_strdup (meeting->participants [i]);
        view->n_participants = meeting->participant_count;
    }
    return view;
}

static Caseflow__V1__Handover__Document *
s_document_view (const handover_document_t *document)
{
    Caseflow__V1__Handover__Document *view = s_alloc (sizeof *view);
    caseflow__v1__handover__document__init (view);
    view->title = cf_strdup (document->title);
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
    view->resident = s_copy_resident (handover->resident);
    if (handover->domain_count) {
        view->domains = s_alloc (handover->domain_count * sizeof *view->domains);
        memcpy (view->domains, handover->domains, handover->domain_count * sizeof *view->domains);
        view->n_domains = handover->domain_count;
    }
    view->support = cf_strdup (handover->support);
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
    view->decision_note = cf_strdup (handover->decision_note);
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
    view->cancel_reason = cf_strdup (handover->cancel_reason);
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

//  Hashes a length prefix and the bytes, so concatenations cannot collide.
static void
s_hash_bytes (crypto_hash_sha256_state *hash, const uint8_t *data, size_t size)
{
    uint8_t prefix [8];
    for (int i = 0; i < 8; i++)
        prefix [i] = (uint8_t) ((uint64_t) size >> (56 - 8 * i));
    crypto_hash_sha256_update (hash, prefix, sizeof prefix);
    crypto_hash_sha256_update (hash, data, size);
}

static void
s_hash_message (crypto_hash_sha256_state *hash, const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    uint8_t *data = s_alloc (size);
    protobuf_c_message_pack (message, data);
    s_hash_bytes (hash, data, size);
    free (data);
}

void
handover_state_digest (const handover_state_t *state, crypto_hash_sha256_state *hash)
{
    char line [64];
    int len = snprintf (line, sizeof line, "handover applied %llu providers %zu handovers %zu\n",
                        (unsigned long long) state->applied, zhashx_size (state->providers),
                        state->count);
    s_hash_bytes (hash, (const uint8_t *) line, (size_t) len);
    size_t count = 0;
    handover_provider_t **providers = handover_state_providers (state, &count);
    for (size_t i = 0; i < count; i++) {
        Caseflow__V1__Handover__ProviderView *view = handover_state_provider_view (providers [i]);
        s_hash_message (hash, &view->base);
        caseflow__v1__handover__provider_view__free_unpacked (view, NULL);
    }
    free (providers);
    for (size_t i = 0; i < state->count; i++) {
        Caseflow__V1__Handover__HandoverView *view = handover_state_view (state->handovers [i]);
        s_hash_message (hash, &view->base);
        caseflow__v1__handover__handover_view__free_unpacked (view, NULL);
    }
}

//  ------------------------------------------------------ the runtime's hooks

void *
handover_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    handover_config_t own = {
        .default_deadline = cf_config_int (config, "deadline"),
        .at_risk_window = cf_config_int (config, "at-risk-window"),
        .forecast_window = cf_config_int (config, "forecast-window"),
    };
    return handover_state_new (&own);
}

void
handover_state_destroy_hook (void **state_p)
{
    handover_state_t *state = *state_p;
    handover_state_destroy (&state);
    *state_p = NULL;
}

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
