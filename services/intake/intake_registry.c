//  intake_registry: intake as the resident registry (see
//  intake_registry.h).
#include "intake_registry.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_resident.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    uint64_t seq;
    char subject [CF_SEAL_ID_SIZE];
} s_erasure_t;

typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
} s_pending_t;

struct _intake_registry_t {
    cf_keystore_t *keystore;
    uint8_t secret [crypto_generichash_KEYBYTES];
    s_erasure_t *erasures;  //  queued, in seq order
    size_t erasure_count;
    intake_fetch_fn *fetch;
    void *fetch_ctx;
    void (*free_fetch_ctx) (void *ctx);
    s_pending_t *pending;  //  transit keys not adopted yet, oldest first
    size_t pending_count;
    int64_t tried_at;  //  monotonic: the last try of the pending adoptions (0: none)
    bool adoption_blocks;
    bool compaction_due;  //  an enrolment was undone since the last compaction
    //  A key fetched ahead (intake_registry_prefetch) for the fetch that
    //  follows; asked "" when none is kept.
    struct {
        char asked [CF_SEAL_ID_SIZE * 2];
        cf_transit_holder_t holder;
        int rc;
        char key_id [CF_SEAL_ID_SIZE];
        uint8_t key [CF_SEAL_KEY_BYTES];
    } fetched;
};

intake_registry_t *
intake_registry_new (cf_keystore_t *keystore, const uint8_t *secret, size_t size)
{
    intake_registry_t *self = calloc (1, sizeof *self);
    assert (self && keystore);
    self->keystore = keystore;
    //  Whatever its length, the secret becomes one hashing key.
    crypto_generichash (self->secret, sizeof self->secret, secret, size, NULL, 0);
    return self;
}

void
intake_registry_destroy (intake_registry_t **self_p)
{
    intake_registry_t *self = *self_p;
    if (!self)
        return;
    sodium_memzero (self->secret, sizeof self->secret);
    sodium_memzero (&self->fetched, sizeof self->fetched);
    free (self->erasures);
    free (self->pending);
    if (self->free_fetch_ctx)
        self->free_fetch_ctx (self->fetch_ctx);
    free (self);
    *self_p = NULL;
}

void
intake_registry_set_fetch (intake_registry_t *self, intake_fetch_fn *fetch, void *ctx,
                           void (*free_ctx) (void *ctx))
{
    if (self->free_fetch_ctx)
        self->free_fetch_ctx (self->fetch_ctx);
    self->fetch = fetch;
    self->fetch_ctx = ctx;
    self->free_fetch_ctx = free_ctx;
}

int
intake_registry_fetch (intake_registry_t *self, cf_transit_holder_t holder, const char *id,
                       char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES])
{
    int rc;
    if (*self->fetched.asked && self->fetched.holder == holder
        && strcmp (self->fetched.asked, id) == 0) {
        rc = self->fetched.rc;
        memcpy (key_id, self->fetched.key_id, CF_SEAL_ID_SIZE);
        memcpy (key, self->fetched.key, CF_SEAL_KEY_BYTES);
    } else if (!self->fetch)
        rc = CF_EUNAVAILABLE;
    else
        rc = self->fetch (self->fetch_ctx, holder, id, key_id, key);
    sodium_memzero (&self->fetched, sizeof self->fetched);
    if (rc == 0 && !cf_seal_id_valid (key_id, 'T'))
        rc = CF_EPROTO;
    return rc;
}

int
intake_registry_prefetch (intake_registry_t *self, cf_transit_holder_t holder, const char *id)
{
    sodium_memzero (&self->fetched, sizeof self->fetched);
    if (!self->fetch || strlen (id) >= sizeof self->fetched.asked)
        return CF_EUNAVAILABLE;
    int rc = self->fetch (self->fetch_ctx, holder, id, self->fetched.key_id, self->fetched.key);
    if (rc == CF_EUNAVAILABLE) {
        sodium_memzero (&self->fetched, sizeof self->fetched);
        return rc;
    }
    snprintf (self->fetched.asked, sizeof self->fetched.asked, "%s", id);
    self->fetched.holder = holder;
    self->fetched.rc = rc;
    return rc;
}

int
intake_registry_adopt (intake_registry_t *self, const char *subject, const char *key_id,
                       const uint8_t key [CF_SEAL_KEY_BYTES])
{
    int rc = cf_keystore_put_key (self->keystore, key_id, subject, key);
    return rc == CF_EEXIST ? 0 : rc;
}

void
intake_registry_pend (intake_registry_t *self, const char *subject, const char *key_id)
{
    for (size_t i = 0; i < self->pending_count; i++)
        if (strcmp (self->pending [i].key_id, key_id) == 0
            && strcmp (self->pending [i].subject, subject) == 0)
            return;
    self->pending = realloc (self->pending, (self->pending_count + 1) * sizeof *self->pending);
    assert (self->pending);
    s_pending_t *pending = &self->pending [self->pending_count++];
    snprintf (pending->subject, sizeof pending->subject, "%s", subject);
    snprintf (pending->key_id, sizeof pending->key_id, "%s", key_id);
}

size_t
intake_registry_pending (const intake_registry_t *self)
{
    return self->pending_count;
}

void
intake_registry_pending_at (const intake_registry_t *self, size_t index, const char **subject_p,
                            const char **key_id_p)
{
    assert (index < self->pending_count);
    *subject_p = self->pending [index].subject;
    *key_id_p = self->pending [index].key_id;
}

void
intake_registry_unpend (intake_registry_t *self, size_t index)
{
    assert (index < self->pending_count);
    memmove (self->pending + index, self->pending + index + 1,
             (--self->pending_count - index) * sizeof *self->pending);
}

bool
intake_registry_retry_due (intake_registry_t *self, int64_t now)
{
    if (self->tried_at && now - self->tried_at < INTAKE_ADOPT_RETRY)
        return false;
    self->tried_at = now;
    return true;
}

void
intake_registry_set_adoption_blocks (intake_registry_t *self, bool blocks)
{
    self->adoption_blocks = blocks;
}

bool
intake_registry_adoption_blocks (const intake_registry_t *self)
{
    return self->adoption_blocks;
}

cf_keystore_t *
intake_registry_keystore (intake_registry_t *self)
{
    return self->keystore;
}

static void
s_hash (const intake_registry_t *self, const char *kind, const char *value, uint8_t *out)
{
    crypto_generichash_state state;
    crypto_generichash_init (&state, self->secret, sizeof self->secret, CF_KEYSTORE_HASH_BYTES);
    crypto_generichash_update (&state, (const uint8_t *) kind, strlen (kind) + 1);
    crypto_generichash_update (&state, (const uint8_t *) value, strlen (value));
    crypto_generichash_final (&state, out, CF_KEYSTORE_HASH_BYTES);
}

void
intake_registry_hashes (const intake_registry_t *self, const Caseflow__V1__PersonalData *resident,
                        intake_hashes_t *out)
{
    memset (out, 0, sizeof *out);
    if (!resident)
        return;
    if (resident->bsn && *resident->bsn) {
        s_hash (self, "bsn", resident->bsn, out->hash [out->count++]);
        out->has_bsn = true;
    }
    char key [CF_RESIDENT_KEY_SIZE];
    cf_resident_name_key (resident->name, resident->birth_date, key, sizeof key);
    if (*key)
        s_hash (self, "name+birth", key, out->hash [out->count++]);
    sodium_memzero (key, sizeof key);
}

int
intake_registry_match (intake_registry_t *self, const intake_hashes_t *hashes,
                       char subject [CF_SEAL_ID_SIZE], bool *by_bsn_p)
{
    for (size_t i = 0; i < hashes->count; i++) {
        int rc = cf_keystore_get_match (self->keystore, hashes->hash [i], subject);
        if (rc == 0 && by_bsn_p)
            *by_bsn_p = hashes->has_bsn && i == 0;
        if (rc != CF_ENOTFOUND)
            return rc;
    }
    return CF_ENOTFOUND;
}

int
intake_registry_enroll (intake_registry_t *self, char subject [CF_SEAL_ID_SIZE],
                        char key_id [CF_SEAL_ID_SIZE])
{
    return cf_keystore_new_key (self->keystore, 'K', subject, key_id);
}

int
intake_registry_unenroll (intake_registry_t *self, const char *subject, const char *const *key_ids,
                          size_t key_count, int64_t at)
{
    int rc = cf_keystore_erase (self->keystore, subject, key_ids, key_count, at, NULL);
    if (rc)
        cf_log_error ("a failed registration's subject %s: removing its key and hashes failed "
                      "(%s): they stay in the key store",
                      subject, cf_strerror (rc));
    else
        self->compaction_due = true;
    return rc;
}

bool
intake_registry_take_compaction (intake_registry_t *self)
{
    bool due = self->compaction_due;
    self->compaction_due = false;
    return due;
}

int
intake_registry_learn (intake_registry_t *self, const char *subject, const intake_hashes_t *hashes)
{
    int rc = 0;
    for (size_t i = 0; i < hashes->count && rc == 0; i++) {
        rc = cf_keystore_put_match (self->keystore, hashes->hash [i], subject);
        if (rc == CF_ETOOBIG)
            rc = 0;  //  found by enough ways already: the registration goes on
    }
    return rc;
}

int
intake_registry_seal (intake_registry_t *self, const char *key_id, const char *field,
                      const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    return cf_keystore_seal (self->keystore, key_id, field, personal, out);
}

int
intake_registry_open (intake_registry_t *self, const uint8_t *data, size_t size, const char *field,
                      Caseflow__V1__Personal **personal_p)
{
    *personal_p = NULL;
    Caseflow__V1__Sealed *sealed = caseflow__v1__sealed__unpack (NULL, size, data);
    if (!sealed)
        return CF_ECORRUPT;
    //  A holder's value, taken in as it came, keeps the holder's field: the
    //  key id does not tell which holder, the associated data does.
    bool transit = cf_seal_id_valid (sealed->key_id, 'T');
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = cf_keystore_get_key (self->keystore, sealed->key_id, key, NULL);
    if (rc == 0) {
        rc = cf_seal_open (key, sealed, transit ? INTAKE_FIELD_HANDOVER : field, personal_p);
        if (rc && transit)
            rc = cf_seal_open (key, sealed, CF_TRANSIT_FIELD_GATEWAY, personal_p);
    } else if (rc != CF_ENOTFOUND)
        rc = CF_ECORRUPT;
    sodium_memzero (key, sizeof key);
    caseflow__v1__sealed__free_unpacked (sealed, NULL);
    return rc;
}

void
intake_registry_queue_erasure (intake_registry_t *self, uint64_t seq, const char *subject)
{
    self->erasures = realloc (self->erasures, (self->erasure_count + 1) * sizeof *self->erasures);
    assert (self->erasures);
    s_erasure_t *erasure = &self->erasures [self->erasure_count++];
    erasure->seq = seq;
    snprintf (erasure->subject, sizeof erasure->subject, "%s", subject);
}

bool
intake_registry_next_erasure (intake_registry_t *self, uint64_t committed_seq,
                              char subject [CF_SEAL_ID_SIZE])
{
    if (!self->erasure_count || self->erasures [0].seq > committed_seq)
        return false;
    memcpy (subject, self->erasures [0].subject, CF_SEAL_ID_SIZE);
    memmove (self->erasures, self->erasures + 1, --self->erasure_count * sizeof *self->erasures);
    return true;
}

int
intake_registry_secret_load (const char *path, uint8_t *secret, size_t *size_p, size_t max)
{
    int fd = open (path, O_RDONLY);
    if (fd < 0 && errno == ENOENT) {
        uint8_t fresh [32];
        randombytes_buf (fresh, sizeof fresh);
        fd = open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        bool written =
            fd >= 0 && write (fd, fresh, sizeof fresh) == (ssize_t) sizeof fresh && fsync (fd) == 0;
        sodium_memzero (fresh, sizeof fresh);
        if (fd >= 0)
            close (fd);
        if (!written) {
            cf_log_error ("cannot make the matching secret %s: %s", path, strerror (errno));
            return CF_EIO;
        }
        //  The file's name must outlive a crash too: the key store records
        //  the secret's fingerprint from now on.
        char dir [4096];
        snprintf (dir, sizeof dir, "%s", path);
        char *slash = strrchr (dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        int dir_fd = open (slash ? dir : ".", O_RDONLY | O_DIRECTORY);
        if (dir_fd >= 0) {
            fsync (dir_fd);
            close (dir_fd);
        }
        cf_log_warn ("made a new matching secret in %s: keep it apart from the key store's "
                     "backups (docs/privacy.md)",
                     path);
        fd = open (path, O_RDONLY);
    }
    if (fd < 0) {
        cf_log_error ("cannot read the matching secret %s: %s", path, strerror (errno));
        return CF_EIO;
    }
    ssize_t n = read (fd, secret, max);
    close (fd);
    if (n < 16) {
        cf_log_error ("the matching secret %s holds fewer than 16 bytes", path);
        return CF_EINVAL;
    }
    *size_p = (size_t) n;
    return 0;
}
