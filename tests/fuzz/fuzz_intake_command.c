//  fuzz_intake_command: intake's command decisions (validation first: the
//  shared rules of common/ and intake_validate.h, then the lifecycle) on a
//  sequence of hostile commands, with the runtime's promises checked by
//  cf_fuzz_service_run.
//
//  Decisions seal personal data under keys of intake's registry, so the
//  states get one, as in the service: a key store in a temporary directory
//  made once per process (removed at exit) and a registry over it with a
//  fixed matching secret. Nothing is ever committed to it (only an
//  erasure would, and no erasure is carried out here), so when the last
//  state of an input is gone the key store is closed and opened again,
//  which drops every key and hash the input made: each input starts from
//  an empty registry, as a fuzz input must not depend on the ones before.
#include "cf_fuzz.h"
#include "cf_keystore.h"
#include "intake_decide.h"
#include "intake_registry.h"
#include "intake_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_SECRET "fuzz matching secret"

static struct {
    char dir [4096];
    cf_keystore_t *keystore;
    intake_registry_t *registry;
    size_t users;  //  live states that borrow the registry
} s_keys;

static void
s_keys_open (void)
{
    int rc = cf_keystore_open (s_keys.dir, "intake", 64 << 20, &s_keys.keystore);
    CF_FUZZ_CHECK (rc == 0, "cannot open the key store");
    s_keys.registry =
        intake_registry_new (s_keys.keystore, (const uint8_t *) S_SECRET, strlen (S_SECRET));
}

static void
s_keys_close (void)
{
    intake_registry_destroy (&s_keys.registry);
    cf_keystore_destroy (&s_keys.keystore);
}

//  At exit: the key store's files (LMDB's two) and its directory.
static void
s_keys_remove (void)
{
    s_keys_close ();
    const char *files [] = { "data.mdb", "lock.mdb" };
    for (size_t i = 0; i < sizeof files / sizeof files [0]; i++) {
        char path [4200];
        snprintf (path, sizeof path, "%s/%s", s_keys.dir, files [i]);
        unlink (path);
    }
    rmdir (s_keys.dir);
}

static void *
s_state_new (void)
{
    if (!*s_keys.dir) {
        const char *tmp = getenv ("TMPDIR");
        snprintf (s_keys.dir, sizeof s_keys.dir, "%s/caseflow-fuzz-intake-XXXXXX",
                  tmp && *tmp ? tmp : "/tmp");
        CF_FUZZ_CHECK (mkdtemp (s_keys.dir), "cannot make the key store's directory");
        s_keys_open ();
        atexit (s_keys_remove);
    }
    intake_state_t *state = intake_state_new ();
    intake_state_set_registry (state, s_keys.registry);
    s_keys.users++;
    return state;
}

static void
s_state_destroy (void *state)
{
    intake_state_t *self = state;
    intake_state_destroy (&self);
    CF_FUZZ_CHECK (s_keys.users > 0, "a state destroyed twice");
    if (--s_keys.users > 0)
        return;
    //  The input is done: forget its erasures and its keys.
    char subject [CF_SEAL_ID_SIZE];
    while (intake_registry_next_erasure (s_keys.registry, UINT64_MAX, subject))
        ;
    if (cf_keystore_pending (s_keys.keystore)) {
        s_keys_close ();
        s_keys_open ();
    }
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return intake_state_apply (state, event);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    intake_state_digest (state, hash);
}

static bool
s_decide (void *state, cf_decider_t *decider, const uint8_t *data, size_t size)
{
    Caseflow__V1__Intake__Command *command =
        caseflow__v1__intake__command__unpack (NULL, size, data);
    if (!command)
        return false;
    intake_decide (state, decider, command);
    caseflow__v1__intake__command__free_unpacked (command, NULL);
    return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const cf_fuzz_service_t service = {
        "intake", s_state_new, s_state_destroy, s_apply, s_digest, s_decide,
    };
    return cf_fuzz_service_run (&service, data, size);
}
