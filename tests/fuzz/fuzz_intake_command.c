//  fuzz_intake_command: intake's command decisions (validation first: the
//  shared rules of common/ and intake_validate.h, then the lifecycle) on a
//  sequence of hostile commands, with the runtime's promises checked by
//  cf_fuzz_service_run.
#include "cf_fuzz.h"
#include "intake_decide.h"
#include "intake_state.h"

static void *
s_state_new (void)
{
    return intake_state_new ();
}

static void
s_state_destroy (void *state)
{
    intake_state_t *self = state;
    intake_state_destroy (&self);
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
