//  fuzz_seal_open: personal data as it comes out of an event, opened.
//
//  Each input is tried twice, with the fixed key and field of
//  cf_fuzz_fixed.h:
//    1. decoded as a caseflow.v1.Sealed and opened with cf_seal_open: the
//       answer is 0 with a message or CF_ECORRUPT without one, nothing
//       else; what opens seals again and opens to the same encoding.
//    2. taken as the plaintext of a box sealed with that key (so the
//       decoding behind the authentication, which mutations of a box
//       never reach, is fuzzed too): it opens exactly when the bytes
//       decode as a caseflow.v1.Personal, to the same message.
#include "cf_error.h"
#include "cf_fuzz.h"
#include "cf_fuzz_fixed.h"
#include "cf_seal.h"

#include <stdlib.h>
#include <string.h>

//  The encoding of `personal` (free with free); its size in *size_p.
static uint8_t *
s_pack (const Caseflow__V1__Personal *personal, size_t *size_p)
{
    *size_p = caseflow__v1__personal__get_packed_size (personal);
    uint8_t *data = malloc (*size_p ? *size_p : 1);
    CF_FUZZ_CHECK (data, "out of memory");
    caseflow__v1__personal__pack (personal, data);
    return data;
}

static void
s_open_sealed (const uint8_t key [CF_SEAL_KEY_BYTES], const uint8_t *data, size_t size)
{
    Caseflow__V1__Sealed *sealed = caseflow__v1__sealed__unpack (NULL, size, data);
    if (!sealed)
        return;
    Caseflow__V1__Personal *personal = (Caseflow__V1__Personal *) 1;
    int rc = cf_seal_open (key, sealed, CF_FUZZ_FIELD, &personal);
    CF_FUZZ_CHECK (rc == 0 || rc == CF_ECORRUPT, "cf_seal_open: neither 0 nor CF_ECORRUPT");
    CF_FUZZ_CHECK ((rc == 0) == (personal != NULL), "a message without success, or none with it");
    if (rc == 0) {
        //  What opened seals again, under the same key id, and opens to
        //  the same encoding.
        cf_sealed_t again;
        CF_FUZZ_CHECK (cf_seal (&again, key, sealed->key_id, CF_FUZZ_FIELD, personal) == 0,
                       "an opened value does not seal again");
        Caseflow__V1__Personal *reopened = NULL;
        CF_FUZZ_CHECK (cf_seal_open (key, &again.message, CF_FUZZ_FIELD, &reopened) == 0,
                       "a value sealed again does not open");
        size_t one_size, two_size;
        uint8_t *one = s_pack (personal, &one_size);
        uint8_t *two = s_pack (reopened, &two_size);
        CF_FUZZ_CHECK (one_size == two_size && memcmp (one, two, one_size) == 0,
                       "sealing again changed the value");
        free (one);
        free (two);
        caseflow__v1__personal__free_unpacked (reopened, NULL);
        caseflow__v1__personal__free_unpacked (personal, NULL);
        cf_sealed_release (&again);
    }
    caseflow__v1__sealed__free_unpacked (sealed, NULL);
}

static void
s_open_plain (const uint8_t key [CF_SEAL_KEY_BYTES], const uint8_t *data, size_t size)
{
    if (size > CF_SEAL_MAX_PLAIN)
        return;
    uint8_t nonce [CF_SEAL_NONCE_BYTES] = { 0 };
    uint8_t *box = malloc (size + CF_SEAL_TAG_BYTES);
    CF_FUZZ_CHECK (box, "out of memory");
    Caseflow__V1__Sealed sealed;
    cf_fuzz_fixed_seal (&sealed, CF_FUZZ_KEY_ID, nonce, data, size, box);
    Caseflow__V1__Personal *direct = caseflow__v1__personal__unpack (NULL, size, data);
    Caseflow__V1__Personal *opened = NULL;
    int rc = cf_seal_open (key, &sealed, CF_FUZZ_FIELD, &opened);
    CF_FUZZ_CHECK ((rc == 0) == (direct != NULL),
                   "a box of the documented format opens unlike its plaintext decodes");
    CF_FUZZ_CHECK (rc == 0 || rc == CF_ECORRUPT, "cf_seal_open: neither 0 nor CF_ECORRUPT");
    if (rc == 0) {
        size_t one_size, two_size;
        uint8_t *one = s_pack (direct, &one_size);
        uint8_t *two = s_pack (opened, &two_size);
        CF_FUZZ_CHECK (one_size == two_size && memcmp (one, two, one_size) == 0,
                       "the box opened to another message than its plaintext");
        free (one);
        free (two);
        caseflow__v1__personal__free_unpacked (opened, NULL);
    }
    if (direct)
        caseflow__v1__personal__free_unpacked (direct, NULL);
    free (box);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_fuzz_fixed_key (key);
    s_open_sealed (key, data, size);
    s_open_plain (key, data, size);
    return 0;
}
