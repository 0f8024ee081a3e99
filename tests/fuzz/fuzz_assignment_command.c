//  fuzz_assignment_command: assignment's command decisions (roster,
//  manual assignment, start and completion, with the policy reacting) on
//  a sequence of hostile commands, with the runtime's promises checked by
//  cf_fuzz_service_run.
#include "assignment_decide.h"
#include "assignment_state.h"
#include "cf_fuzz.h"

static void *
s_state_new (void)
{
    static const assignment_config_t config = {
        .caseload_per_fte = ASSIGNMENT_DEFAULT_CASELOAD_PER_FTE,
        .continuity_margin = ASSIGNMENT_DEFAULT_CONTINUITY_MARGIN,
        .long_absence = (int64_t) ASSIGNMENT_DEFAULT_LONG_ABSENCE_DAYS * 86400 * 1000000,
    };
    return assignment_state_new (&config);
}

static void
s_state_destroy (void *state)
{
    assignment_state_t *self = state;
    assignment_state_destroy (&self);
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    return assignment_state_apply (state, event);
}

static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    assignment_state_digest (state, hash);
}

static bool
s_decide (void *state, cf_decider_t *decider, const uint8_t *data, size_t size)
{
    Caseflow__V1__Assignment__Command *command =
        caseflow__v1__assignment__command__unpack (NULL, size, data);
    if (!command)
        return false;
    assignment_decide (state, decider, command);
    caseflow__v1__assignment__command__free_unpacked (command, NULL);
    return true;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static const cf_fuzz_service_t service = {
        "assignment", s_state_new, s_state_destroy, s_apply, s_digest, s_decide,
    };
    return cf_fuzz_service_run (&service, data, size);
}
