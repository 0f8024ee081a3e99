//  cf_inbound: what a consumer did with each inbound event (see
//  cf_inbound.h).
//
//  The set holds one small record per CloudEvent, its key "source\x1fid"
//  inline (the unit separator cannot occur in a URN or an id the gateway
//  accepted), so an entry costs one allocation.
#include "cf_inbound.h"

#include "cf_error.h"
#include "cf_hash.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t gateway_seq;
    bool applied;
    char key [];
} s_entry_t;

struct _cf_inbound_t {
    cf_hash_t *entries;  //  key -> s_entry_t (owned)
    size_t applied;
    //  The order-free digest part: sums of each entry's own hash.
    uint64_t sum [4];
};

cf_inbound_t *
cf_inbound_new (void)
{
    cf_inbound_t *self = calloc (1, sizeof *self);
    assert (self);
    self->entries = cf_hash_new ();
    cf_hash_set_destructor (self->entries, free);
    return self;
}

void
cf_inbound_destroy (cf_inbound_t **self_p)
{
    assert (self_p);
    cf_inbound_t *self = *self_p;
    if (!self)
        return;
    cf_hash_destroy (&self->entries);
    free (self);
    *self_p = NULL;
}

//  A new entry (free it) keyed by (source, ce_id).
static s_entry_t *
s_entry (const char *source, const char *ce_id)
{
    size_t size = strlen (source) + 1 + strlen (ce_id) + 1;
    s_entry_t *entry = calloc (1, sizeof *entry + size);
    assert (entry);
    snprintf (entry->key, size, "%s\x1f%s", source, ce_id);
    return entry;
}

int
cf_inbound_record (cf_inbound_t *self, const Caseflow__V1__InboundOutcome *outcome)
{
    s_entry_t *entry = s_entry (outcome->source, outcome->ce_id);
    entry->gateway_seq = outcome->gateway_seq;
    entry->applied = outcome->applied;
    if (cf_hash_insert (self->entries, entry->key, entry)) {
        free (entry);
        return CF_EEXIST;
    }
    if (entry->applied)
        self->applied++;
    uint8_t digest [32];
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    crypto_hash_sha256_update (&hash, (const uint8_t *) entry->key, strlen (entry->key) + 1);
    uint8_t facts [9];
    for (int i = 0; i < 8; i++)
        facts [i] = (uint8_t) (entry->gateway_seq >> (8 * i));
    facts [8] = entry->applied;
    crypto_hash_sha256_update (&hash, facts, sizeof facts);
    crypto_hash_sha256_final (&hash, digest);
    for (int part = 0; part < 4; part++) {
        uint64_t word = 0;
        memcpy (&word, digest + 8 * part, 8);
        self->sum [part] += word;
    }
    return 0;
}

bool
cf_inbound_seen (const cf_inbound_t *self, const char *source, const char *ce_id)
{
    s_entry_t *probe = s_entry (source ? source : "", ce_id ? ce_id : "");
    bool seen = cf_hash_lookup (self->entries, probe->key) != NULL;
    free (probe);
    return seen;
}

size_t
cf_inbound_count (const cf_inbound_t *self, size_t *applied_p)
{
    if (applied_p)
        *applied_p = self->applied;
    return cf_hash_size (self->entries);
}

void
cf_inbound_digest (const cf_inbound_t *self, crypto_hash_sha256_state *hash)
{
    size_t count = cf_hash_size (self->entries);
    if (!count)
        return;
    char text [160];
    int size = snprintf (text, sizeof text, "inbound %zu %zu %016llx%016llx%016llx%016llx", count,
                         self->applied, (unsigned long long) self->sum [0],
                         (unsigned long long) self->sum [1], (unsigned long long) self->sum [2],
                         (unsigned long long) self->sum [3]);
    crypto_hash_sha256_update (hash, (const uint8_t *) text, (size_t) size);
}

void
cf_inbound_outcome (Caseflow__V1__InboundOutcome *outcome, uint64_t seq,
                    const Caseflow__V1__Gateway__InboundAccepted *accepted, const char *reason,
                    const char *case_id, const char *handover_id)
{
    caseflow__v1__inbound_outcome__init (outcome);
    outcome->gateway_seq = seq;
    outcome->source = accepted->source;
    outcome->ce_id = accepted->ce_id;
    outcome->applied = reason == NULL;
    outcome->reason = (char *) (reason ? reason : "");
    outcome->case_id = (char *) (case_id ? case_id : "");
    outcome->handover_id = (char *) (handover_id ? handover_id : "");
}
