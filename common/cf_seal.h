//  cf_seal: personal data sealed under a resident's data key.
//
//  A value is the encoding of a caseflow.v1.Personal, sealed with
//  XChaCha20-Poly1305-IETF (libsodium) under a 256-bit key with a random
//  nonce; the associated data binds the box to its key id and to the field
//  it travels in, so a box moved to another event body or re-labelled with
//  another key fails to open. Opening checks what it decodes (sizes, UTF-8
//  is the caller's rule) and never trusts a box: a wrong key, a changed
//  byte or a truncated box is CF_ECORRUPT, nothing else.
//
//  Ids made here are random, never derived from what they name: subject
//  ids ("S…"), intake's key ids ("K…") and transit key ids ("T…"), 27
//  characters of Crockford base32: the letter, 10 of the time they were
//  made (milliseconds) and 16 random ones (80 bits).
#ifndef CF_SEAL_H
#define CF_SEAL_H

#include "caseflow/v1/common.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_SEAL_KEY_BYTES   32
#define CF_SEAL_NONCE_BYTES 24
#define CF_SEAL_TAG_BYTES   16
//  An id: a letter and 26 base32 characters, and the NUL.
#define CF_SEAL_ID_SIZE 28
//  The largest Personal sealed or opened (a registration's name, question
//  and fields are far below it).
#define CF_SEAL_MAX_PLAIN (256 * 1024)
//  The longest field name (an event body's name, e.g. "intake.CaseRegistered").
#define CF_SEAL_FIELD_MAX 128

//  Fills `key` with a fresh random key.
void
cf_seal_new_key (uint8_t key [CF_SEAL_KEY_BYTES]);

//  A fresh random key, a fresh subject id ('S') and a fresh id of kind
//  `kind` for the key, as cf_seal_new_key and cf_seal_new_id make them
//  (the two ids with one reading of the clock).
void
cf_seal_new_subject (uint8_t key [CF_SEAL_KEY_BYTES], char subject [CF_SEAL_ID_SIZE],
                     char key_id [CF_SEAL_ID_SIZE], char kind);

//  Writes a fresh random id with prefix letter `kind` ('S' subject, 'K' key).
char *
cf_seal_new_id (char out [CF_SEAL_ID_SIZE], char kind);

//  True when `id` has the shape of an id of `kind`.
bool
cf_seal_id_valid (const char *id, char kind);

//  A sealed value and the memory it points into (the message's fields
//  point into this struct, so it must not be copied while in use).
typedef struct {
    Caseflow__V1__Sealed message;
    char key_id [CF_SEAL_ID_SIZE];
    uint8_t nonce [CF_SEAL_NONCE_BYTES];
    uint8_t *box;  //  owned
} cf_sealed_t;

//  Seals `personal` for `field` under `key` (id `key_id`) into `self`.
//  Returns 0, or CF_ETOOBIG when its encoding is over CF_SEAL_MAX_PLAIN,
//  or CF_EINVAL when `key_id` is not a key id ('K' or 'T', see
//  cf_seal_id_valid) or `field` is empty or over CF_SEAL_FIELD_MAX; on an
//  error `self` is left zeroed (cf_sealed_release is safe on it).
int
cf_seal (cf_sealed_t *self, const uint8_t key [CF_SEAL_KEY_BYTES], const char *key_id,
         const char *field, const Caseflow__V1__Personal *personal);

//  Frees what cf_seal allocated; safe on a zeroed struct.
void
cf_sealed_release (cf_sealed_t *self);

//  Opens `sealed` for `field` with `key`; on success *personal_p is a new
//  message (free with caseflow__v1__personal__free_unpacked (p, NULL)).
//  CF_ECORRUPT when the box does not open or does not decode (whatever
//  the bytes of `sealed`); CF_EINVAL when `field` is empty or over
//  CF_SEAL_FIELD_MAX.
int
cf_seal_open (const uint8_t key [CF_SEAL_KEY_BYTES], const Caseflow__V1__Sealed *sealed,
              const char *field, Caseflow__V1__Personal **personal_p);

//  Frees what cf_seal_open made, its strings zeroed first: opened personal
//  data does not linger in freed memory. Safe on NULL.
void
cf_seal_personal_free (Caseflow__V1__Personal *personal);

#endif
