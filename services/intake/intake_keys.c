//  intake_keys: intake's key store at run time (see intake_keys.h).
#include "intake_keys.h"

#include "cf_case_id.h"
#include "cf_shards.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_time.h"
#include "intake_personal.h"
#include "intake_registry.h"
#include "cf_transit.h"

#include <sodium.h>
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

//  The shards' map (--shards), which must name the stream this process
//  writes unless it is intake itself. Returns 0, or CF_EINVAL after a line
//  naming the flag.
static int
s_shards (cf_service_t *service, cf_shards_t **shards_p)
{
    char why [300];
    const char *stream = cf_service_name (service);
    if (cf_shards_parse (cf_config_string (cf_service_config (service), "shards"), shards_p, why,
                         sizeof why)) {
        fprintf (stderr, "caseflow-intake: --shards (CASEFLOW_INTAKE_SHARDS): %s\n", why);
        return CF_EINVAL;
    }
    if (!cf_shards_has (*shards_p, stream)) {
        fprintf (stderr,
                 "caseflow-intake: --shards (CASEFLOW_INTAKE_SHARDS) does not name the shard "
                 "%s (--stream): it would serve no district\n",
                 stream);
        cf_shards_destroy (shards_p);
        return CF_EINVAL;
    }
    return 0;
}

void *
intake_state_new_hook (cf_service_t *service)
{
    cf_retention_t retention;
    if (cf_retention_configure (&retention, cf_service_config (service), "caseflow-intake"))
        return NULL;
    cf_shards_t *shards = NULL;
    if (s_shards (service, &shards))
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
        cf_shards_destroy (&shards);
        return NULL;
    }
    if (cf_keystore_check_secret (keystore, secret, size)) {
        fprintf (stderr,
                 "caseflow-intake: --match-secret (CASEFLOW_MATCH_SECRET): %s is not "
                 "the secret the key store %s was made with\n",
                 path, cf_keystore_dir (keystore));
        sodium_memzero (secret, sizeof secret);
        cf_shards_destroy (&shards);
        return NULL;
    }
    intake_state_t *state = intake_state_new ();
    intake_state_set_retention (state, &retention);
    //  A shard mints ids of its own (cf_case_id.h).
    intake_state_set_shard (state, cf_case_id_shard_of (cf_service_name (service)),
                            cf_shards_count (shards) ? &shards : NULL);
    cf_shards_destroy (&shards);
    intake_registry_t *registry = intake_registry_new (keystore, secret, size);
    cf_transit_t *transit = cf_transit_new (cf_service_keys (service));
    //  The key holders are the streams of those names intake follows; one
    //  it does not follow (--follow) is asked nothing.
    cf_config_t *config = cf_service_config (service);
    cf_transit_set (
        transit, CF_TRANSIT_HANDOVER,
        cf_config_has (config, "handover-api") ? cf_config_string (config, "handover-api") : NULL);
    cf_transit_set (transit, CF_TRANSIT_GATEWAY,
                    cf_config_has (config, "gateway-api") ? cf_config_string (config, "gateway-api")
                                                          : NULL);
    intake_registry_set_fetch (registry, cf_transit_fetch, transit, cf_transit_free);
    intake_state_set_registry (state, registry);
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

//  Learns the hashes of `kase`'s resident for `subject` now that the
//  value opens, unless they already find someone (that resident keeps
//  them: this case was registered unmatched).
static void
s_learn (intake_state_t *state, const intake_case_t *kase)
{
    intake_registry_t *registry = intake_state_registry (state);
    Caseflow__V1__PersonalData *resident = intake_personal_resident (state, kase);
    intake_hashes_t hashes;
    intake_registry_hashes (registry, resident, &hashes);
    char found [CF_SEAL_ID_SIZE];
    if (intake_registry_match (registry, &hashes, found, NULL) == CF_ENOTFOUND)
        intake_registry_learn (registry, kase->subject->id, &hashes);
    sodium_memzero (&hashes, sizeof hashes);
    caseflow__v1__personal_data__free_unpacked (resident, NULL);
}

//  Asks `holder` for the key `id` names; when it is `key_id`, adopts it
//  under `subject_id` and learns the resident of `kase`, now readable.
//  Returns 0 (adopted), CF_EMISMATCH (another key), or the fetch's or the
//  key store's error.
static int
s_adopt_from (intake_state_t *state, const char *subject_id, const char *key_id,
              cf_transit_holder_t holder, const char *id, const intake_case_t *kase)
{
    intake_registry_t *registry = intake_state_registry (state);
    char got [CF_SEAL_ID_SIZE];
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = intake_registry_fetch (registry, holder, id, got, key);
    if (rc == 0 && strcmp (got, key_id) != 0)
        rc = CF_EMISMATCH;
    if (rc == 0)
        rc = intake_registry_adopt (registry, subject_id, key_id, key);
    sodium_memzero (key, sizeof key);
    if (rc == 0)
        s_learn (state, kase);
    //  No journal batch goes with an adoption: durable now.
    if (rc == 0)
        rc = cf_keystore_commit (intake_registry_keystore (registry));
    if (rc == 0)
        cf_log_info ("case %s: the transit key of %s %s is adopted", kase->id,
                     holder == CF_TRANSIT_HANDOVER ? "handover" : "the gateway's referral", id);
    return rc;
}

//  Tries to adopt the transit key `key_id` of `subject_id`: asks handover
//  for the key of each handover the subject came from until one has it,
//  then the gateway for the key itself when the subject's first case came
//  from neither handover (a referral through the gateway). Returns 0 when
//  nothing is left to adopt, CF_EUNAVAILABLE when a holder cannot answer
//  now, CF_ENOTFOUND when none hands it over.
static int
s_adopt_one (intake_state_t *state, const char *subject_id, const char *key_id)
{
    intake_registry_t *registry = intake_state_registry (state);
    cf_keystore_t *keystore = intake_registry_keystore (registry);
    const intake_subject_t *subject = intake_state_subject (state, subject_id);
    if (!subject || subject->erased_at || cf_keystore_get_key (keystore, key_id, NULL, NULL) == 0)
        return 0;
    for (size_t c = 0; c < subject->case_count; c++) {
        const intake_case_t *kase = intake_state_case (state, subject->case_ids [c]);
        for (size_t q = 0; kase && q <= kase->question_count; q++) {
            const char *handover_id =
                q == 0 ? kase->handover_id : kase->questions [q - 1].handover_id;
            if (!*handover_id)
                continue;
            int rc =
                s_adopt_from (state, subject_id, key_id, CF_TRANSIT_HANDOVER, handover_id, kase);
            //  Another handover's key, or none: the next one may have it.
            if (rc != CF_EMISMATCH && rc != CF_ENOTFOUND && rc != CF_EPROTO)
                return rc;
        }
    }
    const intake_case_t *first =
        subject->case_count ? intake_state_case (state, subject->case_ids [0]) : NULL;
    if (first && !*first->handover_id) {
        int rc = s_adopt_from (state, subject_id, key_id, CF_TRANSIT_GATEWAY, key_id, first);
        return rc == CF_EMISMATCH ? CF_ENOTFOUND : rc;
    }
    return CF_ENOTFOUND;
}

size_t
intake_keys_adopt_pending (intake_state_t *state)
{
    intake_registry_t *registry = intake_state_registry (state);
    for (size_t i = 0; i < intake_registry_pending (registry);) {
        const char *subject, *key_id;
        intake_registry_pending_at (registry, i, &subject, &key_id);
        int rc = s_adopt_one (state, subject, key_id);
        if (rc == 0)
            intake_registry_unpend (registry, i);
        else if (rc == CF_EUNAVAILABLE)
            break;  //  handover is away: the rest wait for the next try
        else
            i++;
    }
    return intake_registry_pending (registry);
}

//  Lists every transit key a subject (not erased) names that the key
//  store does not hold. Returns how many.
static size_t
s_find_unadopted (intake_state_t *state)
{
    intake_registry_t *registry = intake_state_registry (state);
    cf_keystore_t *keystore = intake_registry_keystore (registry);
    for (size_t i = 0; i < intake_state_subject_count (state); i++) {
        const intake_subject_t *subject = intake_state_subject_at (state, i);
        for (size_t k = 0; !subject->erased_at && k < subject->key_count; k++)
            if (subject->key_ids [k][0] == 'T'
                && cf_keystore_get_key (keystore, subject->key_ids [k], NULL, NULL) != 0)
                intake_registry_pend (registry, subject->id, subject->key_ids [k]);
    }
    return intake_registry_pending (registry);
}

//  Tries the pending adoptions when due; once none is left, readiness no
//  longer waits for them.
static void
s_retry_adoptions (intake_state_t *state, cf_service_t *service)
{
    intake_registry_t *registry = intake_state_registry (state);
    if (!intake_registry_pending (registry)
        || !intake_registry_retry_due (registry, cf_time_monotonic ()))
        return;
    if (intake_keys_adopt_pending (state) == 0 && intake_registry_adoption_blocks (registry)) {
        intake_registry_set_adoption_blocks (registry, false);
        cf_service_set_unready (service, NULL);
    }
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
            //  The journal holds it: durable. One that fails now (a key
            //  store commit lost just before a rebuild) is tried again
            //  after the next commit.
            if (intake_keys_erase (state, subject))
                intake_registry_queue_erasure (registry, subject->erased_seq, subject->id);
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
    if (missing) {
        cf_log_error ("%zu subjects have neither a key nor an erasure record", missing);
        return reason;
    }
    //  A handover's transit key intake could not fetch yet: tried now,
    //  then after commits and on the clock until adopted.
    static char waiting [320];
    if (s_find_unadopted (state) == 0)
        return NULL;
    intake_registry_retry_due (registry, cf_time_monotonic ());
    size_t pending = intake_keys_adopt_pending (state);
    if (pending == 0)
        return NULL;
    const char *subject, *key_id;
    intake_registry_pending_at (registry, 0, &subject, &key_id);
    snprintf (waiting, sizeof waiting,
              "%zu transit keys of handovers are not adopted yet (subject %s, key %s first): "
              "handover (--handover-api) has not handed them over; retried until it does",
              pending, subject, key_id);
    intake_registry_set_adoption_blocks (registry, true);
    return waiting;
}

void
intake_keys_clock_hook (void *state, cf_service_t *service, int64_t now)
{
    s_retry_adoptions (state, service);
    if (intake_registry_pending (intake_state_registry (state)))
        cf_service_wake_at (service, now + INTAKE_ADOPT_RETRY);
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
        if (!subject)
            continue;
        if (intake_keys_erase (state, subject)) {
            //  Not carried out: it waits for the next batch (and a restart
            //  carries it out from the journal in any case).
            intake_registry_queue_erasure (registry, subject->erased_seq, subject->id);
            break;
        }
        any = true;
    }
    //  A failed registration's key and hashes removed again
    //  (intake_registry_unenroll) are compacted away as an erasure's.
    if (intake_registry_take_compaction (registry) || any)
        s_compact (intake_registry_keystore (registry));
    s_retry_adoptions (state, service);
}
