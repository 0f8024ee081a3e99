//  handover_keys: handover's key store at run time (see handover_keys.h).
#include "handover_keys.h"
#include "handover_transit.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *
handover_state_new_hook (cf_service_t *service)
{
    cf_config_t *config = cf_service_config (service);
    handover_config_t own = {
        .default_deadline = cf_config_int (config, "deadline"),
        .at_risk_window = cf_config_int (config, "at-risk-window"),
        .forecast_window = cf_config_int (config, "forecast-window"),
    };
    handover_state_t *state = handover_state_new (&own);
    handover_state_set_transit (state, handover_transit_new (cf_service_keystore (service)));
    cf_transit_t *fetcher = cf_transit_new (cf_service_keys (service));
    cf_transit_set (fetcher, CF_TRANSIT_GATEWAY,
                    cf_config_has (config, "gateway-api") ? cf_config_string (config, "gateway-api")
                                                          : NULL);
    state->fetch = cf_transit_fetch;
    state->fetch_ctx = fetcher;
    return state;
}

void
handover_state_destroy_hook (void **state_p)
{
    handover_state_t *state = *state_p;
    if (state) {
        handover_transit_destroy (&state->transit);
        cf_transit_free (state->fetch_ctx);
    }
    handover_state_destroy (&state);
    *state_p = NULL;
}

static void
s_compact (cf_keystore_t *keystore)
{
    if (!cf_keystore_needs_compaction (keystore))
        return;
    int rc = cf_keystore_compact (keystore);
    if (rc)
        cf_log_error ("compacting the key store %s failed (%s): erased keys may still be in "
                      "its file until the next compaction",
                      cf_keystore_dir (keystore), cf_strerror (rc));
}

size_t
handover_keys_erase_durable (handover_state_t *state, handover_durable_fn *durable, void *ctx)
{
    handover_transit_t *transit = state->transit;
    cf_keystore_t *keystore = handover_transit_keystore (transit);
    char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE], stream [CF_STREAM_MAX + 1];
    uint64_t seq = 0;
    //  Those that fail wait for the next commit, in their order.
    struct {
        uint64_t seq;
        char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE], stream [CF_STREAM_MAX + 1];
    } *failed = NULL;
    size_t failed_count = 0;
    while (handover_transit_next_erasure (transit, durable, ctx, subject, key_id, stream, &seq)) {
        const handover_t *handover = handover_state_by_key (state, key_id);
        const char *ids [] = { key_id };
        size_t destroyed = 0;
        int rc = cf_keystore_erase (keystore, subject, ids, 1, handover ? handover->erased_at : 0,
                                    &destroyed);
        if (rc) {
            cf_log_error ("handover %s: destroying its transit key failed: %s (tried again "
                          "after the next commit)",
                          handover ? handover->id : "?", cf_strerror (rc));
            failed = realloc (failed, (failed_count + 1) * sizeof *failed);
            assert (failed);
            failed [failed_count].seq = seq;
            memcpy (failed [failed_count].subject, subject, sizeof subject);
            memcpy (failed [failed_count].key_id, key_id, sizeof key_id);
            memcpy (failed [failed_count].stream, stream, sizeof stream);
            failed_count++;
            continue;
        }
        if (destroyed)
            cf_log_info ("handover %s: resident erased, transit key destroyed",
                         handover ? handover->id : "?");
    }
    for (size_t i = 0; i < failed_count; i++)
        handover_transit_queue_erasure (transit, failed [i].stream, failed [i].seq,
                                        failed [i].subject, failed [i].key_id);
    free (failed);
    s_compact (keystore);
    return failed_count;
}

static uint64_t
s_durable_up_to (void *ctx, const char *stream)
{
    (void) stream;
    return *(const uint64_t *) ctx;
}

size_t
handover_keys_erase_queued (handover_state_t *state, uint64_t durable_seq)
{
    return handover_keys_erase_durable (state, s_durable_up_to, &durable_seq);
}

//  What handover's own journal holds of an intake stream: its cursor as
//  committed, not as applied.
static uint64_t
s_committed (void *service, const char *stream)
{
    return cf_service_committed_cursor (service, stream);
}

const char *
handover_keys_check_hook (void *state_, cf_service_t *service)
{
    (void) service;
    handover_state_t *state = state_;
    handover_transit_t *transit = state->transit;
    cf_keystore_t *keystore = handover_transit_keystore (transit);
    static char reason [320];
    size_t missing = 0;
    for (size_t i = 0; i < state->count; i++) {
        const handover_t *handover = state->handovers [i];
        if (handover->erased_at) {
            //  Again: the key store may be older than the erasure.
            handover_transit_queue_erasure (transit, "", 0, handover->erased_subject,
                                            handover->transit_key_id);
            continue;
        }
        if (cf_keystore_get_key (keystore, handover->transit_key_id, NULL, NULL) == 0)
            continue;
        if (missing++ == 0)
            snprintf (reason, sizeof reason,
                      "handover %s has neither its transit key nor an erasure record in the key "
                      "store %s: the key store is older than the journal; restore the key store's "
                      "backup that goes with it (services/handover/README.md)",
                      handover->id, cf_keystore_dir (keystore));
    }
    handover_keys_erase_queued (state, 0);
    handover_transit_index_build (transit, state);
    if (missing)
        cf_log_error ("%zu handovers have neither a transit key nor an erasure record", missing);
    return missing ? reason : NULL;
}

void
handover_keys_after_commit_hook (void *state, cf_service_t *service)
{
    //  Only what handover's own journal holds: each erasure waits for the
    //  committed cursor of the intake stream (or shard) it came from.
    handover_keys_erase_durable (state, s_committed, service);
}
