//  gateway_secrets: tokens and transit keys in the key store (see
//  gateway_secrets.h).
#include "gateway_secrets.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The pepper's record: fixed ids of the key store's shape (27 characters),
//  which no random id can take ('P' is no kind cf_seal_new_id is asked for).
#define S_PEPPER_ID      "P00000000000000000000000000"
#define S_PEPPER_SUBJECT "S00000000000000000000000000"

typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
} s_erasure_t;

struct _gateway_secrets_t {
    cf_keystore_t *keystore;
    uint8_t pepper [CF_SEAL_KEY_BYTES];
    s_erasure_t *erasures;  //  queued, oldest first
    size_t erasure_count;
};

gateway_secrets_t *
gateway_secrets_new (cf_keystore_t *keystore)
{
    assert (keystore);
    gateway_secrets_t *self = calloc (1, sizeof *self);
    assert (self);
    self->keystore = keystore;
    int rc = cf_keystore_get_key (keystore, S_PEPPER_ID, self->pepper, NULL);
    if (rc == CF_ENOTFOUND) {
        cf_seal_new_key (self->pepper);
        rc = cf_keystore_put_key (keystore, S_PEPPER_ID, S_PEPPER_SUBJECT, self->pepper);
    }
    if (rc) {
        cf_log_error ("key store %s: the token hashing key cannot be read or made: %s",
                      cf_keystore_dir (keystore), cf_strerror (rc));
        gateway_secrets_destroy (&self);
    }
    return self;
}

void
gateway_secrets_destroy (gateway_secrets_t **self_p)
{
    gateway_secrets_t *self = *self_p;
    if (!self)
        return;
    sodium_memzero (self->pepper, sizeof self->pepper);
    free (self->erasures);
    free (self);
    *self_p = NULL;
}

cf_keystore_t *
gateway_secrets_keystore (gateway_secrets_t *self)
{
    return self->keystore;
}

bool
gateway_secrets_token_valid (const char *token)
{
    size_t length = token ? strlen (token) : 0;
    if (length < GATEWAY_TOKEN_MIN || length > GATEWAY_TOKEN_MAX)
        return false;
    size_t i = 0;
    for (; i < length && token [i] != '='; i++)
        if (!strchr ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/",
                     token [i]))
            return false;
    for (; i < length; i++)
        if (token [i] != '=')
            return false;
    return true;
}

//  The keyed hash a token is found by.
static void
s_hash (const gateway_secrets_t *self, const char *token, size_t size,
        uint8_t hash [CF_KEYSTORE_HASH_BYTES])
{
    static const char domain [] = "caseflow gateway token";
    crypto_generichash_state state;
    crypto_generichash_init (&state, self->pepper, sizeof self->pepper, CF_KEYSTORE_HASH_BYTES);
    crypto_generichash_update (&state, (const uint8_t *) domain, sizeof domain);
    crypto_generichash_update (&state, (const uint8_t *) token, size);
    crypto_generichash_final (&state, hash, CF_KEYSTORE_HASH_BYTES);
}

int
gateway_secrets_add_token (gateway_secrets_t *self, const char *token,
                           char token_id [CF_SEAL_ID_SIZE])
{
    uint8_t hash [CF_KEYSTORE_HASH_BYTES];
    s_hash (self, token, strlen (token), hash);
    char found [CF_SEAL_ID_SIZE];
    int rc = cf_keystore_get_match (self->keystore, hash, found);
    if (rc == 0)
        rc = CF_EEXIST;
    else if (rc == CF_ENOTFOUND) {
        cf_seal_new_id (token_id, 'S');
        rc = cf_keystore_put_match (self->keystore, hash, token_id);
    }
    sodium_memzero (hash, sizeof hash);
    return rc;
}

int
gateway_secrets_find_token (gateway_secrets_t *self, const char *token, size_t size,
                            char token_id [CF_SEAL_ID_SIZE])
{
    uint8_t hash [CF_KEYSTORE_HASH_BYTES];
    s_hash (self, token, size, hash);
    int rc = cf_keystore_get_match (self->keystore, hash, token_id);
    sodium_memzero (hash, sizeof hash);
    return rc;
}

int
gateway_secrets_erase_token (gateway_secrets_t *self, const char *token_id)
{
    if (cf_keystore_erased (self->keystore, token_id))
        return 0;
    return cf_keystore_erase (self->keystore, token_id, NULL, 0, 0, NULL);
}

bool
gateway_secrets_token_erased (gateway_secrets_t *self, const char *token_id)
{
    return cf_keystore_erased (self->keystore, token_id);
}

int
gateway_secrets_make_transit_key (gateway_secrets_t *self, char key_id [CF_SEAL_ID_SIZE])
{
    //  A transit key belongs to a subject of the gateway's own, never intake's.
    char subject [CF_SEAL_ID_SIZE];
    return cf_keystore_new_key (self->keystore, 'T', subject, key_id);
}

int
gateway_secrets_seal (gateway_secrets_t *self, const char *key_id, const char *field,
                      const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    return cf_keystore_seal (self->keystore, key_id, field, personal, out);
}

int
gateway_secrets_transit_key (gateway_secrets_t *self, const char *key_id,
                             uint8_t key [CF_SEAL_KEY_BYTES], char subject [CF_SEAL_ID_SIZE])
{
    if (!cf_seal_id_valid (key_id, 'T'))
        return CF_ENOTFOUND;
    return cf_keystore_get_key (self->keystore, key_id, key, subject);
}

void
gateway_secrets_queue_erasure (gateway_secrets_t *self, const char *subject, const char *key_id)
{
    self->erasures = realloc (self->erasures, (self->erasure_count + 1) * sizeof *self->erasures);
    assert (self->erasures);
    s_erasure_t *erasure = &self->erasures [self->erasure_count++];
    snprintf (erasure->subject, sizeof erasure->subject, "%s", subject);
    snprintf (erasure->key_id, sizeof erasure->key_id, "%s", key_id);
}

size_t
gateway_secrets_erase_queued (gateway_secrets_t *self, int64_t at)
{
    size_t failed = 0, kept = 0;
    bool erased = false;
    for (size_t i = 0; i < self->erasure_count; i++) {
        s_erasure_t *erasure = &self->erasures [i];
        const char *ids [] = { erasure->key_id };
        size_t destroyed = 0;
        int rc = cf_keystore_erase (self->keystore, erasure->subject, ids, 1, at, &destroyed);
        if (rc) {
            failed++;
            cf_log_error ("transit key %s: destroying it failed (%s): tried again after the "
                          "next commit",
                          erasure->key_id, cf_strerror (rc));
            self->erasures [kept++] = *erasure;
            continue;
        }
        erased = erased || destroyed > 0;
        if (destroyed)
            cf_log_info ("transit key %s destroyed: intake erased the resident", erasure->key_id);
    }
    self->erasure_count = kept;
    if (erased && cf_keystore_needs_compaction (self->keystore)) {
        int rc = cf_keystore_compact (self->keystore);
        if (rc)
            cf_log_error ("compacting the key store %s failed (%s): erased keys may still be in "
                          "its file until the next compaction",
                          cf_keystore_dir (self->keystore), cf_strerror (rc));
    }
    return failed;
}
