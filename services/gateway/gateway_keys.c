//  gateway_keys: the gateway's key store at run time (see gateway_keys.h).
#include "gateway_keys.h"
#include "gateway_ingress.h"
#include "gateway_secrets.h"

#include "cf_error.h"
#include "cf_log.h"

#include <stdio.h>
#include <stdlib.h>

void *
gateway_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    gateway_config_t own = {
        .rotation_grace = cf_config_int (config, "rotation-grace"),
        .max_body = (size_t) cf_config_int (config, "max-body"),
    };
    gateway_secrets_t *secrets = gateway_secrets_new (cf_service_keystore (service));
    if (!secrets)
        return NULL;
    gateway_state_t *state = gateway_state_new (&own);
    gateway_state_set_secrets (state, secrets);
    state->meters = gateway_meters_new (cf_service_metrics (service));
    return state;
}

void
gateway_state_destroy_hook (void **state_p)
{
    gateway_state_t *state = *state_p;
    if (state) {
        gateway_secrets_destroy (&state->secrets);
        free (state->meters);
        state->meters = NULL;
    }
    gateway_state_destroy (&state);
    *state_p = NULL;
}

size_t
gateway_keys_erase_retired (gateway_state_t *state)
{
    size_t failed = 0;
    //  Newest first: what was retired last is most likely still there, and
    //  the walk stops being useful once it meets erased records only.
    for (size_t i = state->retired_count; i-- > 0;) {
        const char *token_id = state->retired [i];
        if (gateway_secrets_token_erased (state->secrets, token_id))
            break;
        int rc = gateway_secrets_erase_token (state->secrets, token_id);
        if (rc) {
            failed++;
            cf_log_error ("erasing retired token record %s failed: %s", token_id, cf_strerror (rc));
        }
    }
    return failed;
}

const char *
gateway_keys_check_hook (void *state_, cf_service_t *service)
{
    gateway_state_t *state = state_;
    cf_keystore_t *keystore = gateway_secrets_keystore (state->secrets);
    static char reason [320];
    size_t missing = 0;
    //  Every retired record, not only the newest: the key store may be
    //  older than the journal.
    for (size_t i = 0; i < state->retired_count; i++)
        if (!gateway_secrets_token_erased (state->secrets, state->retired [i])
            && gateway_secrets_erase_token (state->secrets, state->retired [i]))
            cf_log_error ("erasing retired token record %s failed", state->retired [i]);
    for (size_t i = 0; i < state->inbound_count; i++) {
        const gateway_inbound_t *inbound = state->inbound [i];
        if (!*inbound->transit_key_id)
            continue;
        if (inbound->erased_at) {
            gateway_secrets_queue_erasure (state->secrets, inbound->erased_subject,
                                           inbound->transit_key_id);
            continue;
        }
        if (gateway_secrets_transit_key (state->secrets, inbound->transit_key_id, NULL, NULL) == 0)
            continue;
        if (missing++ == 0)
            snprintf (reason, sizeof reason,
                      "inbound event seq %llu has neither its transit key nor an erasure record "
                      "in the key store %s: the key store is older than the journal; restore the "
                      "key store's backup that goes with it (services/gateway/README.md)",
                      (unsigned long long) inbound->seq, cf_keystore_dir (keystore));
    }
    gateway_secrets_erase_queued (state->secrets, cf_service_now (service));
    if (missing)
        cf_log_error ("%zu inbound events have neither a transit key nor an erasure record",
                      missing);
    return missing ? reason : NULL;
}

void
gateway_keys_after_commit_hook (void *state_, cf_service_t *service)
{
    gateway_state_t *state = state_;
    gateway_keys_erase_retired (state);
    gateway_secrets_erase_queued (state->secrets, cf_service_now (service));
}
