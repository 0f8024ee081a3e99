//  fuzz_handover_command: handover's command decisions (validation first:
//  handover_validate.h, then the lifecycle) on a sequence of hostile
//  commands, with the runtime's promises checked by cf_fuzz_service_run.
#include "cf_fuzz.h"
#include "handover_decide.h"
#include "handover_state.h"

#include <stdlib.h>

static void *
s_state_new (void)
{
    //  The service's defaults: the first cohort's deadline, two and four
    //  weeks for the at-risk and forecast windows.
    static const handover_config_t config = {
        .default_deadline = INT64_C (1656626400) * 1000000,
        .at_risk_window = INT64_C (14) * 86400 * 1000000,
        .forecast_window = INT64_C (28) * 86400 * 1000000,
    };
    return handover_state_new (&config);
}

static void
s_state_destroy (void *state)
{
    handover_state_t *self = state;
    handover_state_destroy (&self);
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return handover_state_apply (state, event);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    handover_state_digest (state, hash);
}

static bool
s_decide (void *state, cf_decider_t *decider, const uint8_t *data, size_t size)
{
    Caseflow__V1__Handover__Command *command =
        caseflow__v1__handover__command__unpack (NULL, size, data);
    if (!command)
        return false;
    handover_decide (state, decider, command);
    caseflow__v1__handover__command__free_unpacked (command, NULL);
    return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const cf_fuzz_service_t service = {
        "handover", s_state_new, s_state_destroy, s_apply, s_digest, s_decide,
    };
    return cf_fuzz_service_run (&service, data, size);
}
