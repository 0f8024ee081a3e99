//  cf_seal: personal data sealed under a resident's data key (see cf_seal.h).
#include "cf_seal.h"

#include "cf_error.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char s_base32 [] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define S_AD_PREFIX "caseflow.v1.Sealed|"
#define S_AD_SIZE   (sizeof S_AD_PREFIX + CF_SEAL_ID_SIZE + CF_SEAL_FIELD_MAX + 1)

//  Nonces and the random part of ids are taken from a pool refilled 4 KiB
//  at a time: libsodium's generator here is the kernel's (getrandom), and
//  a system call for each 24-byte nonce cost a registration more than a
//  microsecond of its loop's time. Bytes handed out are wiped from the
//  pool. Each thread has its own pool, and a forked child starts with an
//  empty one (s_pool_forked), so no two processes ever hand out the same
//  nonce. Keys are drawn on their own, never from the pool.
static _Thread_local uint8_t s_pool [4096];
static _Thread_local size_t s_pool_left;
static pthread_once_t s_pool_once = PTHREAD_ONCE_INIT;

static void
s_pool_forked (void)
{
    sodium_memzero (s_pool, sizeof s_pool);
    s_pool_left = 0;
}

static void
s_pool_init (void)
{
    int rc = pthread_atfork (NULL, NULL, s_pool_forked);
    assert (rc == 0);
}

static void
s_random (void *out, size_t size)
{
    assert (size <= sizeof s_pool);
    pthread_once (&s_pool_once, s_pool_init);
    if (size > s_pool_left) {
        randombytes_buf (s_pool, sizeof s_pool);
        s_pool_left = sizeof s_pool;
    }
    uint8_t *from = s_pool + sizeof s_pool - s_pool_left;
    memcpy (out, from, size);
    sodium_memzero (from, size);
    s_pool_left -= size;
}

static bool
s_field_valid (const char *field)
{
    return field && *field && strlen (field) <= CF_SEAL_FIELD_MAX;
}

//  The associated data, "caseflow.v1.Sealed|<key_id>|<field>", into `out`,
//  and its length. The callers check both parts first (an id's shape, a
//  field's length), so every box binds the whole id and the whole field:
//  nothing is ever cut to fit.
static size_t
s_associated (char out [S_AD_SIZE], const char *key_id, const char *field)
{
    size_t field_size = strlen (field);
    assert (strlen (key_id) == CF_SEAL_ID_SIZE - 1 && s_field_valid (field));
    size_t n = sizeof S_AD_PREFIX - 1;
    memcpy (out, S_AD_PREFIX, n);
    memcpy (out + n, key_id, CF_SEAL_ID_SIZE - 1);
    n += CF_SEAL_ID_SIZE - 1;
    out [n++] = '|';
    memcpy (out + n, field, field_size);
    n += field_size;
    assert (n < S_AD_SIZE);
    out [n] = '\0';
    return n;
}

static bool
s_key_id_valid (const char *key_id)
{
    return cf_seal_id_valid (key_id, 'K') || cf_seal_id_valid (key_id, 'T');
}

void
cf_seal_new_key (uint8_t key [CF_SEAL_KEY_BYTES])
{
    crypto_aead_xchacha20poly1305_ietf_keygen (key);
}

//  The wall clock in milliseconds.
static uint64_t
s_now_ms (void)
{
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    return (uint64_t) now.tv_sec * 1000 + (uint64_t) now.tv_nsec / 1000000;
}

//  10 characters of the wall clock's milliseconds, then 16 of fresh
//  randomness: ids made later sort later, so a key store appends them to
//  its tables instead of writing all over them.
static char *
s_make_id (char out [CF_SEAL_ID_SIZE], char kind, uint64_t ms, const uint8_t random [16])
{
    out [0] = kind;
    for (int i = 0; i < 10; i++)
        out [1 + i] = s_base32 [(ms >> (5 * (9 - i))) & 31];
    for (size_t i = 0; i < 16; i++)
        out [11 + i] = s_base32 [random [i] & 31];
    out [27] = '\0';
    return out;
}

char *
cf_seal_new_id (char out [CF_SEAL_ID_SIZE], char kind)
{
    uint8_t random [16];
    s_random (random, sizeof random);
    return s_make_id (out, kind, s_now_ms (), random);
}

void
cf_seal_new_subject (uint8_t key [CF_SEAL_KEY_BYTES], char subject [CF_SEAL_ID_SIZE],
                     char key_id [CF_SEAL_ID_SIZE], char kind)
{
    cf_seal_new_key (key);
    uint8_t random [32];
    s_random (random, sizeof random);
    uint64_t ms = s_now_ms ();
    s_make_id (subject, 'S', ms, random);
    s_make_id (key_id, kind, ms, random + 16);
}

bool
cf_seal_id_valid (const char *id, char kind)
{
    if (!id || id [0] != kind || strlen (id) != CF_SEAL_ID_SIZE - 1)
        return false;
    for (size_t i = 1; i < CF_SEAL_ID_SIZE - 1; i++)
        if (!strchr (s_base32, id [i]) || id [i] == '\0')
            return false;
    return true;
}

int
cf_seal (cf_sealed_t *self, const uint8_t key [CF_SEAL_KEY_BYTES], const char *key_id,
         const char *field, const Caseflow__V1__Personal *personal)
{
    //  Zeroed first: whatever is refused below leaves nothing to free.
    memset (self, 0, sizeof *self);
    if (!s_key_id_valid (key_id) || !s_field_valid (field))
        return CF_EINVAL;
    size_t plain_size = caseflow__v1__personal__get_packed_size (personal);
    if (plain_size > CF_SEAL_MAX_PLAIN)
        return CF_ETOOBIG;
    caseflow__v1__sealed__init (&self->message);
    memcpy (self->key_id, key_id, sizeof self->key_id);
    //  A registration's personal part is a few hundred bytes: encoded on
    //  the stack, without an allocation of its own.
    uint8_t room [1024];
    uint8_t *plain = plain_size <= sizeof room ? room : malloc (plain_size);
    self->box = malloc (plain_size + CF_SEAL_TAG_BYTES);
    assert (plain && self->box);
    caseflow__v1__personal__pack (personal, plain);
    s_random (self->nonce, sizeof self->nonce);
    char ad [S_AD_SIZE];
    size_t ad_size = s_associated (ad, key_id, field);
    unsigned long long box_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt (self->box, &box_size, plain, plain_size,
                                                (const uint8_t *) ad, ad_size, NULL, self->nonce,
                                                key);
    sodium_memzero (plain, plain_size);
    if (plain != room)
        free (plain);
    self->message.key_id = self->key_id;
    self->message.nonce.data = self->nonce;
    self->message.nonce.len = sizeof self->nonce;
    self->message.box.data = self->box;
    self->message.box.len = (size_t) box_size;
    return 0;
}

void
cf_sealed_release (cf_sealed_t *self)
{
    free (self->box);
    self->box = NULL;
}

int
cf_seal_open (const uint8_t key [CF_SEAL_KEY_BYTES], const Caseflow__V1__Sealed *sealed,
              const char *field, Caseflow__V1__Personal **personal_p)
{
    *personal_p = NULL;
    if (!s_field_valid (field))
        return CF_EINVAL;
    if (!sealed || !s_key_id_valid (sealed->key_id))
        return CF_ECORRUPT;
    if (sealed->nonce.len != CF_SEAL_NONCE_BYTES || sealed->box.len < CF_SEAL_TAG_BYTES
        || sealed->box.len > CF_SEAL_MAX_PLAIN + CF_SEAL_TAG_BYTES)
        return CF_ECORRUPT;
    size_t plain_size = sealed->box.len - CF_SEAL_TAG_BYTES;
    uint8_t *plain = malloc (plain_size ? plain_size : 1);
    assert (plain);
    char ad [S_AD_SIZE];
    size_t ad_size = s_associated (ad, sealed->key_id, field);
    unsigned long long opened = 0;
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &opened, NULL, sealed->box.data,
                                                         sealed->box.len, (const uint8_t *) ad,
                                                         ad_size, sealed->nonce.data, key);
    if (rc == 0)
        *personal_p = caseflow__v1__personal__unpack (NULL, (size_t) opened, plain);
    sodium_memzero (plain, plain_size);
    free (plain);
    return *personal_p ? 0 : CF_ECORRUPT;
}

static void
s_wipe (char *text)
{
    if (text && *text)
        sodium_memzero (text, strlen (text));
}

void
cf_seal_personal_free (Caseflow__V1__Personal *personal)
{
    if (!personal)
        return;
    Caseflow__V1__PersonalData *resident = personal->resident;
    if (resident) {
        s_wipe (resident->name);
        s_wipe (resident->birth_date);
        s_wipe (resident->phone);
        s_wipe (resident->district);
        s_wipe (resident->bsn);
    }
    s_wipe (personal->text);
    for (size_t i = 0; i < personal->n_texts; i++)
        s_wipe (personal->texts [i]);
    caseflow__v1__personal__free_unpacked (personal, NULL);
}
