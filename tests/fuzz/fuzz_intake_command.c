//  fuzz_intake_command: intake's command decisions (validation first: the
//  shared rules of common/ and intake_validate.h, then the lifecycle) on a
//  sequence of hostile commands, with the runtime's promises checked by
//  cf_fuzz_service_run.
//
//  Decisions seal personal data under keys of intake's registry, so each
//  state gets one, as in the service: a registry with a fixed matching
//  secret over cf_fuzz's key store for intake. Nothing is ever committed to
//  it (only an erasure would, and no erasure is carried out here), so when
//  the last state of an input is gone the key store drops every key and
//  hash the input made (cf_fuzz_service_keystore_reset): each input starts
//  from an empty registry, as a fuzz input must not depend on the ones
//  before.
#include "cf_fuzz.h"
#include "cf_keystore.h"
#include "intake_decide.h"
#include "intake_registry.h"
#include "intake_state.h"

#include <stdlib.h>
#include <string.h>

#define S_SECRET "fuzz matching secret"

static size_t s_states;  //  live states of the input being run

static void *
s_state_new (void)
{
    intake_state_t *state = intake_state_new ();
    intake_state_set_registry (state,
                               intake_registry_new (cf_fuzz_service_keystore ("intake"),
                                                    (const uint8_t *) S_SECRET, strlen (S_SECRET)));
    s_states++;
    return state;
}

static void
s_state_destroy (void *state)
{
    intake_state_t *self = state;
    intake_registry_t *registry = intake_state_registry (self);
    intake_registry_destroy (&registry);
    intake_state_destroy (&self);
    CF_FUZZ_CHECK (s_states > 0, "a state destroyed twice");
    if (--s_states == 0)
        cf_fuzz_service_keystore_reset ("intake");
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
