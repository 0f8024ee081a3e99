//  intake_keys: intake's key store at run time (see intake_keys.h).
#include "intake_keys.h"

#include "cf_error.h"
#include "cf_log.h"
#include "intake_registry.h"

#include <stdio.h>
#include <string.h>

void
intake_keys_secret_path (const char *configured, const char *keystore_dir, char *out, size_t size)
{
    if (*configured)
        snprintf (out, size, "%s", configured);
    else
        snprintf (out, size, "%s.secret", keystore_dir);
}

void *
intake_state_new_hook (cf_service_t *service)
{
    cf_retention_t retention;
    if (cf_retention_configure (&retention, cf_service_config (service), "caseflow-intake"))
        return NULL;
    cf_keystore_t *keystore = cf_service_keystore (service);
    char path [4200];
    intake_keys_secret_path (cf_config_string (cf_service_config (service), "match-secret"),
                             cf_keystore_dir (keystore), path, sizeof path);
    uint8_t secret [256];
    size_t size = 0;
    if (intake_registry_secret_load (path, secret, &size, sizeof secret)) {
        fprintf (stderr,
                 "caseflow-intake: --match-secret (CASEFLOW_MATCH_SECRET): %s is not "
                 "a usable matching secret\n",
                 path);
        return NULL;
    }
    if (cf_keystore_check_secret (keystore, secret, size)) {
        fprintf (stderr,
                 "caseflow-intake: --match-secret (CASEFLOW_MATCH_SECRET): %s is not "
                 "the secret the key store %s was made with\n",
                 path, cf_keystore_dir (keystore));
        sodium_memzero (secret, sizeof secret);
        return NULL;
    }
    intake_state_t *state = intake_state_new ();
    intake_state_set_retention (state, &retention);
    intake_state_set_registry (state, intake_registry_new (keystore, secret, size));
    sodium_memzero (secret, sizeof secret);
    return state;
}

void
intake_state_destroy_hook (void **state_p)
{
    intake_state_t *state = *state_p;
    if (state) {
        intake_registry_t *registry = intake_state_registry (state);
        intake_registry_destroy (&registry);
    }
    intake_state_destroy (&state);
    *state_p = NULL;
}

int
intake_keys_erase (intake_state_t *state, const intake_subject_t *subject)
{
    intake_registry_t *registry = intake_state_registry (state);
    size_t destroyed = 0;
    int rc = cf_keystore_erase (intake_registry_keystore (registry), subject->id,
                                (const char *const *) subject->key_ids, subject->key_count,
                                subject->erased_at, &destroyed);
    if (rc)
        cf_log_error ("erasing subject %s in the key store failed: %s", subject->id,
                      cf_strerror (rc));
    else if (destroyed)
        cf_log_info ("subject %s erased: keys destroyed", subject->id);
    return rc;
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

const char *
intake_keys_check_hook (void *state_, cf_service_t *service)
{
    (void) service;
    intake_state_t *state = state_;
    intake_registry_t *registry = intake_state_registry (state);
    cf_keystore_t *keystore = intake_registry_keystore (registry);
    static char reason [320];
    size_t missing = 0;
    for (size_t i = 0; i < intake_state_subject_count (state); i++) {
        const intake_subject_t *subject = intake_state_subject_at (state, i);
        if (subject->erased_at) {
            intake_keys_erase (state, subject);
            continue;
        }
        if (!*subject->key_id || cf_keystore_get_key (keystore, subject->key_id, NULL, NULL) == 0
            || cf_keystore_erased (keystore, subject->id))
            continue;
        if (missing++ == 0)
            snprintf (reason, sizeof reason,
                      "subject %s (case %s) has neither a key nor an erasure record in the key "
                      "store %s: the key store is older than the journal; restore the key "
                      "store's backup that goes with it (docs/privacy.md)",
                      subject->id, subject->case_count ? subject->case_ids [0] : "none",
                      cf_keystore_dir (keystore));
    }
    s_compact (keystore);
    if (missing)
        cf_log_error ("%zu subjects have neither a key nor an erasure record", missing);
    return missing ? reason : NULL;
}

void
intake_keys_after_commit_hook (void *state_, cf_service_t *service)
{
    intake_state_t *state = state_;
    intake_registry_t *registry = intake_state_registry (state);
    uint64_t committed = cf_service_committed_seq (service);
    char id [CF_SEAL_ID_SIZE];
    bool any = false;
    while (intake_registry_next_erasure (registry, committed, id)) {
        const intake_subject_t *subject = intake_state_subject (state, id);
        if (subject)
            any |= intake_keys_erase (state, subject) == 0;
    }
    if (any)
        s_compact (intake_registry_keystore (registry));
}
