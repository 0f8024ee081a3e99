//  handover_transit: handover's transit keys (see handover_transit.h).
#include "handover_transit.h"
#include "handover_lifecycle.h"

#include "cf_error.h"
#include "cf_hash.h"
#include "cf_log.h"
#include "cf_resident.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  One entry of the resident index; the table's key is its own hex.
typedef struct {
    char hex [HANDOVER_RESIDENT_HASH_SIZE];
    char handover_id [HANDOVER_ID_SIZE];
} s_entry_t;

typedef struct {
    char stream [CF_STREAM_MAX + 1];  //  the intake stream ("" with seq 0)
    uint64_t seq;                     //  its ResidentErased (0: durable already)
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
} s_erasure_t;

struct _handover_transit_t {
    cf_keystore_t *keystore;
    uint8_t hash_key [crypto_generichash_KEYBYTES];  //  random, this process only
    cf_hash_t *index;                                //  hex -> s_entry_t, owned
    bool indexed;
    s_erasure_t *erasures;  //  queued, oldest first
    size_t erasure_count;
};

static void
s_entry_free (void *entry)
{
    free (entry);
}

handover_transit_t *
handover_transit_new (cf_keystore_t *keystore)
{
    assert (keystore);
    handover_transit_t *self = calloc (1, sizeof *self);
    assert (self);
    self->keystore = keystore;
    randombytes_buf (self->hash_key, sizeof self->hash_key);
    self->index = cf_hash_new ();
    cf_hash_set_destructor (self->index, s_entry_free);
    return self;
}

void
handover_transit_destroy (handover_transit_t **self_p)
{
    handover_transit_t *self = *self_p;
    if (!self)
        return;
    sodium_memzero (self->hash_key, sizeof self->hash_key);
    cf_hash_destroy (&self->index);
    free (self->erasures);
    free (self);
    *self_p = NULL;
}

cf_keystore_t *
handover_transit_keystore (handover_transit_t *self)
{
    return self->keystore;
}

int
handover_transit_make_key (handover_transit_t *self, char key_id [CF_SEAL_ID_SIZE])
{
    //  A transit key belongs to a subject of handover's own, never intake's.
    char subject [CF_SEAL_ID_SIZE];
    return cf_keystore_new_key (self->keystore, 'T', subject, key_id);
}

int
handover_transit_key (handover_transit_t *self, const char *key_id, uint8_t key [CF_SEAL_KEY_BYTES])
{
    return cf_keystore_get_key (self->keystore, key_id, key, NULL);
}

int
handover_transit_seal (handover_transit_t *self, const char *key_id, const char *field,
                       const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    return cf_keystore_seal (self->keystore, key_id, field, personal, out);
}

int
handover_transit_open (handover_transit_t *self, const handover_t *handover,
                       const handover_sealed_t *sealed, const char *field,
                       Caseflow__V1__Personal **personal_p)
{
    *personal_p = NULL;
    if (!sealed->size)
        return 1;
    if (handover->erased_at)
        return CF_ENOTFOUND;
    Caseflow__V1__Sealed *message = caseflow__v1__sealed__unpack (NULL, sealed->size, sealed->data);
    int rc = CF_ECORRUPT;
    uint8_t key [CF_SEAL_KEY_BYTES];
    //  Only the handover's own key opens its values: a box re-labelled with
    //  another handover's key id is refused before any key is read.
    if (message && strcmp (message->key_id, handover->transit_key_id) == 0
        && cf_keystore_get_key (self->keystore, message->key_id, key, NULL) == 0)
        rc = cf_seal_open (key, message, field, personal_p) ? CF_ECORRUPT : 0;
    sodium_memzero (key, sizeof key);
    if (message)
        caseflow__v1__sealed__free_unpacked (message, NULL);
    if (rc)
        cf_log_error ("handover %s: a sealed %s does not open: shown as \"%s\"", handover->id,
                      field, HANDOVER_UNREADABLE);
    return rc;
}

//  ------------------------------------------------------ the resident index

bool
handover_transit_resident_hash (const handover_transit_t *self,
                                const Caseflow__V1__PersonalData *resident,
                                char hex [HANDOVER_RESIDENT_HASH_SIZE])
{
    hex [0] = 0;
    if (!resident)
        return false;
    //  The same one key as ever: the BSN when given, else name and birth
    //  date; the kind goes into the hash so the two never meet.
    const char *kind = "bsn";
    char value [CF_RESIDENT_KEY_SIZE];
    if (resident->bsn && *resident->bsn)
        snprintf (value, sizeof value, "%s", resident->bsn);
    else if (cf_resident_name_key (resident->name, resident->birth_date, value, sizeof value))
        kind = "name+birth";
    else
        return false;
    uint8_t hash [32];
    crypto_generichash_state state;
    crypto_generichash_init (&state, self->hash_key, sizeof self->hash_key, sizeof hash);
    crypto_generichash_update (&state, (const uint8_t *) kind, strlen (kind) + 1);
    crypto_generichash_update (&state, (const uint8_t *) value, strlen (value));
    crypto_generichash_final (&state, hash, sizeof hash);
    sodium_memzero (value, sizeof value);
    sodium_bin2hex (hex, HANDOVER_RESIDENT_HASH_SIZE, hash, sizeof hash);
    return true;
}

handover_t *
handover_transit_find_open (handover_transit_t *self, const handover_state_t *state,
                            const char *hex)
{
    const s_entry_t *entry = hex && *hex ? cf_hash_lookup (self->index, hex) : NULL;
    if (!entry)
        return NULL;
    handover_t *handover = handover_state_find (state, entry->handover_id);
    if (handover && handover_status_is_open (handover->status))
        return handover;
    //  Closed since: the resident is free again.
    cf_hash_delete (self->index, hex);
    return NULL;
}

void
handover_transit_index (handover_transit_t *self, const char *hex, const char *handover_id)
{
    s_entry_t *entry = calloc (1, sizeof *entry);
    assert (entry);
    snprintf (entry->hex, sizeof entry->hex, "%s", hex);
    snprintf (entry->handover_id, sizeof entry->handover_id, "%s", handover_id);
    cf_hash_update (self->index, entry->hex, entry);
}

size_t
handover_transit_index_build (handover_transit_t *self, const handover_state_t *state)
{
    if (self->indexed)
        return 0;
    size_t unread = 0;
    for (size_t i = 0; i < state->count; i++) {
        const handover_t *handover = state->handovers [i];
        if (!handover_status_is_open (handover->status))
            continue;
        Caseflow__V1__Personal *personal = NULL;
        if (handover_transit_open (self, handover, &handover->announced, HANDOVER_FIELD_ANNOUNCED,
                                   &personal)) {
            unread++;
            continue;
        }
        char hex [HANDOVER_RESIDENT_HASH_SIZE];
        if (handover_transit_resident_hash (self, personal->resident, hex))
            handover_transit_index (self, hex, handover->id);
        cf_seal_personal_free (personal);
    }
    self->indexed = true;
    return unread;
}

//  ---------------------------------------------------------------- erasure

void
handover_transit_queue_erasure (handover_transit_t *self, const char *stream, uint64_t seq,
                                const char *subject, const char *key_id)
{
    self->erasures = realloc (self->erasures, (self->erasure_count + 1) * sizeof *self->erasures);
    assert (self->erasures);
    //  In seq order (after those of the same seq): one that failed and is
    //  queued again goes before those still waiting for their batch.
    size_t at = self->erasure_count;
    while (at > 0 && self->erasures [at - 1].seq > seq)
        at--;
    memmove (self->erasures + at + 1, self->erasures + at,
             (self->erasure_count - at) * sizeof *self->erasures);
    self->erasure_count++;
    s_erasure_t *erasure = &self->erasures [at];
    erasure->seq = seq;
    snprintf (erasure->stream, sizeof erasure->stream, "%s", stream ? stream : "");
    snprintf (erasure->subject, sizeof erasure->subject, "%s", subject);
    snprintf (erasure->key_id, sizeof erasure->key_id, "%s", key_id);
}

bool
handover_transit_next_erasure (handover_transit_t *self, handover_durable_fn *durable, void *ctx,
                               char subject [CF_SEAL_ID_SIZE], char key_id [CF_SEAL_ID_SIZE],
                               char *stream, uint64_t *seq_p)
{
    for (size_t i = 0; i < self->erasure_count; i++) {
        s_erasure_t *erasure = &self->erasures [i];
        if (erasure->seq && erasure->seq > durable (ctx, erasure->stream))
            continue;
        *seq_p = erasure->seq;
        memcpy (subject, erasure->subject, CF_SEAL_ID_SIZE);
        memcpy (key_id, erasure->key_id, CF_SEAL_ID_SIZE);
        memcpy (stream, erasure->stream, sizeof erasure->stream);
        memmove (erasure, erasure + 1, (--self->erasure_count - i) * sizeof *self->erasures);
        return true;
    }
    return false;
}
