//  gateway_secrets: what the gateway keeps in its key store, and what it
//  does with it: publishers' tokens and the transit keys of inbound
//  personal data.
//
//  Tokens are kept only as keyed hashes. The hashing key (the "pepper": 32
//  random bytes) is a key of the key store under a fixed id, made the
//  first time the store is used; a token's hash is BLAKE2b keyed with it,
//  stored as a match record (cf_keystore_put_match) finding the token's
//  record id ("S…", the token_id that PublisherAdded and
//  PublisherTokenRotated name). A bearer token presented over HTTP is
//  hashed the same way and looked up: the token itself is never stored,
//  logged or journaled, and a copy of the journal alone does not let
//  anyone publish. The pepper never leaves the key store's file, so a
//  leaked key store still needs the token to be brute-forced against a
//  32-character minimum.
//
//  A retired token's record (superseded by a second rotation, or of a
//  removed publisher) is erased from the key store after the commit that
//  retires it; erasing again is harmless.
//
//  Each inbound event with personal values gets a transit key of its own
//  ("T…", under a fresh transit subject), as handover's announcements do
//  (services/handover/handover_transit.h): intake or handover adopts it
//  (GetTransitKey) when it takes the resident in; intake's ResidentErased
//  naming it queues its destruction, carried out after the batch that
//  journals the erasure is durable.
//
//  Not state: apply never calls it, so a replay needs no key. Used from the
//  loop thread only.
#ifndef GATEWAY_SECRETS_H
#define GATEWAY_SECRETS_H

#include "caseflow/v1/common.pb-c.h"
#include "cf_keystore.h"
#include "cf_seal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _gateway_secrets_t gateway_secrets_t;

//  Shortest and longest bearer token taken (RFC 6750 token68 characters).
#define GATEWAY_TOKEN_MIN 32
#define GATEWAY_TOKEN_MAX 512

//  The secrets of `keystore` (borrowed; must outlive them). Reads the
//  pepper, making it when the store has none (written with the store's
//  open batch). NULL (logged) when the key store fails.
gateway_secrets_t *
gateway_secrets_new (cf_keystore_t *keystore);

//  Frees them (not the key store); safe on NULL; nulls *self_p.
void
gateway_secrets_destroy (gateway_secrets_t **self_p);

//  The key store. Borrowed.
cf_keystore_t *
gateway_secrets_keystore (gateway_secrets_t *self);

//  True when `token` has the shape of a token: GATEWAY_TOKEN_MIN to _MAX
//  characters of A-Z a-z 0-9 - . _ ~ + / and trailing '='.
bool
gateway_secrets_token_valid (const char *token);

//  Records `token` under a fresh token id (into `token_id`), written with
//  the key store's open batch (durable before the journal batch naming
//  it). CF_EEXIST when the token is already recorded (whoever holds it);
//  else 0 or a key store error.
int
gateway_secrets_add_token (gateway_secrets_t *self, const char *token,
                           char token_id [CF_SEAL_ID_SIZE]);

//  The token id `token` (`size` bytes, need not be terminated) was
//  recorded under: 0, CF_ENOTFOUND, or a key store error.
int
gateway_secrets_find_token (gateway_secrets_t *self, const char *token, size_t size,
                            char token_id [CF_SEAL_ID_SIZE]);

//  Erases the token record `token_id` (its hash) from the key store; 0
//  also when it was gone already.
int
gateway_secrets_erase_token (gateway_secrets_t *self, const char *token_id);

//  True when the token record `token_id` was erased.
bool
gateway_secrets_token_erased (gateway_secrets_t *self, const char *token_id);

//  Makes a transit key under a fresh transit subject, written with the
//  open batch of the key store; its id into `key_id`. 0 or a key store
//  error.
int
gateway_secrets_make_transit_key (gateway_secrets_t *self, char key_id [CF_SEAL_ID_SIZE]);

//  Seals `personal` for `field` under transit key `key_id` into *out
//  (release with cf_sealed_release either way). CF_ENOTFOUND when gone.
int
gateway_secrets_seal (gateway_secrets_t *self, const char *key_id, const char *field,
                      const Caseflow__V1__Personal *personal, cf_sealed_t *out);

//  Transit key `key_id` into `key` and its subject into `subject` (either
//  may be NULL): 0, CF_ENOTFOUND, or a key store error.
int
gateway_secrets_transit_key (gateway_secrets_t *self, const char *key_id,
                             uint8_t key [CF_SEAL_KEY_BYTES], char subject [CF_SEAL_ID_SIZE]);

//  Queues the destruction of transit key `key_id` for intake's `subject`
//  (both copied), carried out by gateway_secrets_erase_queued.
void
gateway_secrets_queue_erasure (gateway_secrets_t *self, const char *subject, const char *key_id);

//  Carries out the queued erasures (intake's subject recorded as erased,
//  the key destroyed), then compacts the key store when anything went.
//  Returns the number that failed (logged; they stay queued for the next
//  call).
size_t
gateway_secrets_erase_queued (gateway_secrets_t *self, int64_t at);

#endif
