//  fuzz_handover_command: handover's command decisions (validation first:
//  handover_validate.h, then the lifecycle) on a sequence of hostile
//  commands, with the runtime's promises checked by cf_fuzz_service_run.
//
//  Decisions seal under transit keys, so each state gets its transit keys
//  as in the service (handover_transit.h), over cf_fuzz's key store for
//  handover; once an input's last state is gone the keys it made are
//  dropped (cf_fuzz_service_keystore_reset).
#include "cf_fuzz.h"
#include "cf_keystore.h"
#include "handover_decide.h"
#include "handover_state.h"
#include "handover_transit.h"

#include <stdlib.h>

static size_t s_states;  //  live states of the input being run

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
    handover_state_t *state = handover_state_new (&config);
    handover_state_set_transit (state,
                                handover_transit_new (cf_fuzz_service_keystore ("handover")));
    s_states++;
    return state;
}

static void
s_state_destroy (void *state)
{
    handover_state_t *self = state;
    handover_transit_destroy (&self->transit);
    handover_state_destroy (&self);
    if (--s_states == 0)
        cf_fuzz_service_keystore_reset ("handover");
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
