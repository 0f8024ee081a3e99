//  intake_state_digest: the canonical state as one hash (cases in id
//  order, tracks in id order, every field as tagged, length-prefixed
//  text), read through the state's accessors; and the runtime's hooks of
//  the state room. The indexes and counts are derived and not hashed.
#include "intake_state.h"

#include "cf_digest.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

//  A field: its tag, ' ', the value in the counted text encoding, '\n'.
static void
s_put_bytes (crypto_hash_sha256_state *hash, const char *tag, const void *data, size_t size)
{
    crypto_hash_sha256_update (hash, (const unsigned char *) tag, strlen (tag));
    crypto_hash_sha256_update (hash, (const unsigned char *) " ", 1);
    cf_digest_counted (hash, data, size);
    crypto_hash_sha256_update (hash, (const unsigned char *) "\n", 1);
}

static void
s_put (crypto_hash_sha256_state *hash, const char *tag, const char *text)
{
    s_put_bytes (hash, tag, text, text ? strlen (text) : 0);
}

static void
s_put_int (crypto_hash_sha256_state *hash, const char *tag, int64_t value)
{
    char text [32];
    snprintf (text, sizeof text, "%" PRId64, value);
    s_put (hash, tag, text);
}

//  Sealed values are hashed as the bytes the events carried: the digest
//  needs no key and stays the same after an erasure.
static void
s_put_sealed (crypto_hash_sha256_state *hash, const char *tag, const intake_sealed_t *sealed)
{
    s_put_bytes (hash, tag, sealed->data, sealed->size);
}

static void
s_digest_case (const intake_case_t *kase, crypto_hash_sha256_state *hash)
{
    s_put (hash, "case", kase->id);
    s_put_int (hash, "status", kase->status);
    s_put_int (hash, "urgency", kase->urgency);
    s_put_int (hash, "channel", kase->channel);
    s_put_int (hash, "domains", kase->domains);
    s_put (hash, "location", kase->location);
    s_put (hash, "subject", kase->subject->id);
    s_put_sealed (hash, "personal", &kase->personal);
    for (size_t i = 0; i < kase->area_count; i++)
        s_put (hash, "area", kase->areas [i]);
    s_put_int (hash, "age_band", kase->age_band);
    s_put (hash, "referred_by", kase->referred_by);
    s_put (hash, "preferred_worker", kase->preferred_worker);
    s_put (hash, "handover_id", kase->handover_id);
    s_put (hash, "provider_id", kase->provider_id);
    s_put_int (hash, "registered_at", kase->registered_at);
    s_put_int (hash, "triaged_at", kase->triaged_at);
    s_put_int (hash, "last_triaged_at", kase->last_triaged_at);
    s_put_int (hash, "status_changed_at", kase->status_changed_at);
    s_put_sealed (hash, "triage_reason", &kase->triage_reason);
    s_put (hash, "worker_id", kase->worker_id);
    for (size_t i = 0; i < kase->callback_count; i++) {
        const intake_callback_t *callback = &kase->callbacks [i];
        s_put_int (hash, "callback", callback->recorded_at);
        s_put_int (hash, "due_at", callback->due_at);
        s_put_int (hash, "outcome", callback->outcome);
        s_put_sealed (hash, "note", &callback->note);
        s_put (hash, "reminder_id", callback->reminder_id);
    }
    s_put_int (hash, "unanswered", kase->consecutive_unanswered);
    s_put_int (hash, "awaiting_retriage", kase->awaiting_retriage);
    for (size_t i = 0; i < kase->track_count; i++)
        s_put (hash, "track", kase->tracks [i]);
    for (size_t i = 0; i < kase->question_count; i++) {
        const intake_question_t *question = &kase->questions [i];
        s_put_int (hash, "question_added", question->added_at);
        s_put_int (hash, "channel", question->channel);
        s_put_int (hash, "domains", question->domains);
        s_put_sealed (hash, "question", &question->personal);
        s_put (hash, "referred_by", question->referred_by);
        s_put (hash, "handover_id", question->handover_id);
        s_put (hash, "provider_id", question->provider_id);
    }
    s_put_int (hash, "closed_at", kase->closed_at);
    s_put_int (hash, "closure", kase->closure);
    s_put_sealed (hash, "close_reason", &kase->close_reason);
}

void
intake_state_digest (const intake_state_t *self, crypto_hash_sha256_state *hash)
{
    s_put_int (hash, "next_number", (int64_t) intake_state_next_number (self));
    for (size_t i = 0; i < intake_state_case_count (self); i++)
        s_digest_case (intake_state_case_at (self, i), hash);
    for (size_t i = 0; i < intake_state_track_count (self); i++) {
        const intake_track_t *track = intake_state_track_at (self, i);
        s_put (hash, "track", track->id);
        s_put (hash, "name", track->name);
        s_put (hash, "location", track->location);
        s_put (hash, "starts_on", track->starts_on);
        s_put_int (hash, "capacity", track->capacity);
        for (size_t k = 0; k < track->case_count; k++)
            s_put (hash, "member", track->case_ids [k]);
    }
    for (size_t i = 0; i < intake_state_subject_count (self); i++) {
        const intake_subject_t *subject = intake_state_subject_at (self, i);
        s_put (hash, "subject", subject->id);
        for (size_t k = 0; k < subject->key_count; k++)
            s_put (hash, "key", subject->key_ids [k]);
        s_put_int (hash, "erased_at", subject->erased_at);
        //  Absent, as before holds existed, for a resident never held.
        if (subject->held_at) {
            s_put_int (hash, "held", subject->held);
            s_put_int (hash, "held_at", subject->held_at);
        }
    }
    cf_inbound_digest (intake_state_inbound (self), hash);
}

//  ------------------------------------------------------ the runtime's hooks
//  (state_new and state_destroy are intake_keys.c's: they bring the
//  registry along)

int
intake_state_apply_hook (void *state, const Caseflow__V1__Event *event)
{
    return intake_state_apply (state, event);
}

void
intake_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    intake_state_digest (state, hash);
}
