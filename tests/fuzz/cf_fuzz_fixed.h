//  cf_fuzz_fixed: the fixed inputs of the personal-data fuzz targets,
//  shared with make_corpus so that its seeds open.
//
//  fuzz_seal_open opens every input with one fixed key for one fixed
//  field; the seeds are sealed with that key under the fixed key id, with
//  a fixed nonce (so make_corpus writes the same bytes every time). The
//  box is made here as caseflow.v1.Sealed documents it (XChaCha20-
//  Poly1305-IETF, associated data "caseflow.v1.Sealed|<key_id>|<field>"),
//  independently of cf_seal, so the target also checks that cf_seal_open
//  follows the documented format.
//
//  fuzz_keystore reads its input as a key store to write with raw LMDB:
//      [cut: 2 bytes, little-endian] data.mdb loses cut x 64 bytes from
//                                    its end (0: kept whole)
//      [shape: 1 byte]               bit t (t = 0..3, the tables keys,
//                                    subjects, erased, meta): that table
//                                    made with MDB_DUPSORT; bit 5: "erased"
//                                    made as a plain record of the main
//                                    table instead of a table
//      then records, to the end:     [table: 1 byte, mod 4][key length:
//                                    1 byte][value length: 1 byte][key]
//                                    [value]
#ifndef CF_FUZZ_FIXED_H
#define CF_FUZZ_FIXED_H

#include "cf_seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define CF_FUZZ_KEY_ID "K0123456789ABCDEFGHJKMNPQRS"
#define CF_FUZZ_FIELD  "intake.CaseRegistered"

#define CF_FUZZ_STORE_TABLES    4
#define CF_FUZZ_STORE_MAX_CUT   65535
#define CF_FUZZ_STORE_UNIT      64
#define CF_FUZZ_STORE_PLAIN_BIT 5

//  The fixed key: bytes 0x40, 0x41, ... 0x5f.
static inline void
cf_fuzz_fixed_key (uint8_t key [CF_SEAL_KEY_BYTES])
{
    for (int i = 0; i < CF_SEAL_KEY_BYTES; i++)
        key [i] = (uint8_t) (0x40 + i);
}

//  Seals `plain` with the fixed key under `key_id` for the fixed field,
//  with `nonce`, into `box` (size + CF_SEAL_TAG_BYTES bytes) and points
//  `sealed` at them. `sealed` borrows key_id, nonce and box.
static inline void
cf_fuzz_fixed_seal (Caseflow__V1__Sealed *sealed, const char *key_id,
                    const uint8_t nonce [CF_SEAL_NONCE_BYTES], const uint8_t *plain, size_t size,
                    uint8_t *box)
{
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_fuzz_fixed_key (key);
    char ad [256];
    int ad_size = snprintf (ad, sizeof ad, "caseflow.v1.Sealed|%s|%s", key_id, CF_FUZZ_FIELD);
    unsigned long long box_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt (box, &box_size, plain, size, (const uint8_t *) ad,
                                                (unsigned long long) ad_size, NULL, nonce, key);
    caseflow__v1__sealed__init (sealed);
    sealed->key_id = (char *) key_id;
    sealed->nonce.data = (uint8_t *) nonce;
    sealed->nonce.len = CF_SEAL_NONCE_BYTES;
    sealed->box.data = box;
    sealed->box.len = (size_t) box_size;
}

#endif
