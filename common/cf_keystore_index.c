//  cf_keystore_index: the key store's lookup by keyed hash, in memory
//  (see cf_keystore_index.h).
#include "cf_keystore_index.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
s_slot_hash (const uint8_t *prefix)
{
    uint64_t h;
    memcpy (&h, prefix, sizeof h);  //  already a keyed hash: its bytes are uniform
    return h;
}

void
cf_keystore_index_free (cf_keystore_index_t *index)
{
    free (index->slots);
    free (index->ids);
    memset (index, 0, sizeof *index);
}

static void
s_grow (cf_keystore_index_t *index)
{
    cf_keystore_index_t old = *index;
    index->cap = old.cap ? old.cap * 2 : 1024;
    index->slots = malloc (index->cap * sizeof *index->slots);
    assert (index->slots);
    for (size_t i = 0; i < index->cap; i++)
        index->slots [i].subject = CF_KEYSTORE_SLOT_NONE;
    index->used = index->live = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots [i].subject < CF_KEYSTORE_SLOT_DELETED)
            cf_keystore_index_put (index, old.slots [i].prefix, old.slots [i].subject);
    free (old.slots);
}

//  The slot of `hash`, or of the empty slot where it would go.
static cf_keystore_slot_t *
s_find (const cf_keystore_index_t *index, const uint8_t *hash, cf_keystore_slot_t **free_p)
{
    if (free_p)
        *free_p = NULL;
    if (!index->cap)
        return NULL;
    size_t mask = index->cap - 1;
    for (size_t at = s_slot_hash (hash) & mask;; at = (at + 1) & mask) {
        cf_keystore_slot_t *slot = &index->slots [at];
        if (slot->subject == CF_KEYSTORE_SLOT_NONE) {
            if (free_p && !*free_p)
                *free_p = slot;
            return NULL;
        }
        if (slot->subject == CF_KEYSTORE_SLOT_DELETED) {
            if (free_p && !*free_p)
                *free_p = slot;
            continue;
        }
        if (memcmp (slot->prefix, hash, CF_KEYSTORE_PREFIX) == 0)
            return slot;
    }
}

void
cf_keystore_index_put (cf_keystore_index_t *index, const uint8_t *hash, uint32_t subject)
{
    if ((index->used + 1) * 2 > index->cap)
        s_grow (index);
    cf_keystore_slot_t *free_slot;
    cf_keystore_slot_t *slot = s_find (index, hash, &free_slot);
    if (!slot) {
        slot = free_slot;
        if (slot->subject == CF_KEYSTORE_SLOT_NONE)
            index->used++;
        index->live++;
        memcpy (slot->prefix, hash, CF_KEYSTORE_PREFIX);
    }
    slot->subject = subject;
}

uint32_t
cf_keystore_index_id (cf_keystore_index_t *index, const char *subject)
{
    //  Subjects are added in the order they were enrolled, so the newest
    //  is almost always the one asked for.
    for (size_t back = 0; back < 4 && back < index->id_count; back++)
        if (memcmp (index->ids [index->id_count - 1 - back], subject, CF_SEAL_ID_SIZE) == 0)
            return (uint32_t) (index->id_count - 1 - back);
    if (index->id_count == index->id_cap) {
        index->id_cap = index->id_cap ? index->id_cap * 2 : 1024;
        index->ids = realloc (index->ids, index->id_cap * sizeof *index->ids);
        assert (index->ids);
    }
    memcpy (index->ids [index->id_count], subject, CF_SEAL_ID_SIZE);
    return (uint32_t) index->id_count++;
}

void
cf_keystore_index_remove (cf_keystore_index_t *index, const uint8_t *hash, const char *subject)
{
    cf_keystore_slot_t *slot = s_find (index, hash, NULL);
    if (slot && strcmp (index->ids [slot->subject], subject) == 0) {
        slot->subject = CF_KEYSTORE_SLOT_DELETED;
        index->live--;
    }
}

const char *
cf_keystore_index_find (const cf_keystore_index_t *self, const uint8_t *hash)
{
    const cf_keystore_slot_t *slot = s_find (self, hash, NULL);
    return slot ? self->ids [slot->subject] : NULL;
}
