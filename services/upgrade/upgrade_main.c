//  caseflow-upgrade: upgrades the stores of a deployment written by the
//  release before personal data was sealed (store format 2) to today's
//  format (3), together and offline (docs/privacy.md, "Upgrading a
//  deployment"; docs/operations.md, "Upgrading from store format 2").
//
//      caseflow-upgrade --intake DIR --assignment DIR --handover DIR
//                       --notification DIR [--intake-key-store DIR]
//                       [--handover-key-store DIR] [--match-secret FILE]
//
//  Every service is stopped (a store another process holds open is
//  refused) and every store backed up first. In order:
//
//  1. Each store's format is read. All of format 3: nothing to do (exit
//     0): a second run is harmless; unless handover's events are in plain
//     (format 3 from before handover sealed them): refused, exit 1. A mix that an interrupted swap left
//     (step 4) is finished; any other mix is refused.
//  2. New, empty key stores are staged: intake's, with the deployment's
//     matching secret (made when missing, as intake does), and handover's
//     (its transit keys).
//  3. Each store is written again into its staging folder
//     (upgrade_store.h), producers before the stores that copy them:
//     handover (its events sealed under transit keys: upgrade_handover.h),
//     intake (its events sealed: upgrade_intake.h; the transit keys of the
//     handovers that became its cases adopted), assignment, notification.
//     Each new store is verified. Any failure removes the staging folders
//     and leaves the deployment as it was (exit 1).
//  4. The swap (upgrade_swap.h): the key stores, then the four stores; the
//     old ones are kept as <dir>/format2/data.mdb.
//  Rollback: stop the services, restore the backups (or the kept
//  format2 files) and remove the new key store; see the docs.
#include "cf_config.h"
#include "cf_error.h"
#include "cf_event.h"
#include "cf_journal.h"
#include "cf_journal_check.h"
#include "cf_journal_upgrade.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "intake_keys.h"
#include "intake_registry.h"
#include "intake_state.h"
#include "upgrade_handover.h"
#include "upgrade_intake.h"
#include "upgrade_store.h"
#include "upgrade_swap.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

//  Producers before the stores that copy them.
enum { S_HANDOVER, S_INTAKE, S_ASSIGNMENT, S_NOTIFICATION, S_STORES };
static const char *const s_services [S_STORES] = { "handover", "intake", "assignment",
                                                   "notification" };

typedef struct {
    upgrade_store_t stores [S_STORES];
    char formats [S_STORES][16];  //  "" when there is no store
    char keystore [4096];
    char handover_keystore [4096];
    char secret [4200];
} s_plan_t;

static int
s_parse (cf_config_t *config, int argc, char **argv)
{
    static const cf_config_entry_t entries [] = {
        { "intake", NULL, CF_CONFIG_STRING, "./var/intake",
          "intake's store (caseflow-intake --data-dir)", NULL, 0, 0 },
        { "assignment", NULL, CF_CONFIG_STRING, "./var/assignment",
          "assignment's store (caseflow-assignment --data-dir)", NULL, 0, 0 },
        { "handover", NULL, CF_CONFIG_STRING, "./var/handover",
          "handover's store (caseflow-handover --data-dir)", NULL, 0, 0 },
        { "notification", NULL, CF_CONFIG_STRING, "./var/notification",
          "notification's store (caseflow-notification --data-dir)", NULL, 0, 0 },
        { "intake-key-store", NULL, CF_CONFIG_STRING, "",
          "intake's key store to make (caseflow-intake --key-store); it must hold none yet; "
          "default: <intake>-keys",
          NULL, 0, 0 },
        { "handover-key-store", NULL, CF_CONFIG_STRING, "",
          "handover's key store to make (caseflow-handover --key-store), for its transit "
          "keys; it must hold none yet; default: <handover>-keys",
          NULL, 0, 0 },
        { "match-secret", "CASEFLOW_MATCH_SECRET", CF_CONFIG_STRING, "",
          "file holding the deployment's matching secret, the one intake is given "
          "(caseflow-intake --match-secret); made (32 random bytes) when missing; default: "
          "<intake-key-store>.secret",
          NULL, 0, 0 },
        { "log-level", "CASEFLOW_LOG_LEVEL", CF_CONFIG_CHOICE, "warn",
          "lowest level logged (JSON lines on stderr)", "debug|info|warn|error", 0, 0 },
    };
    cf_config_add (config, entries, sizeof entries / sizeof entries [0]);
    return cf_config_parse (config, argc, argv, stdout, stderr);
}

//  Reads where everything is, and each store's format. 0, or exit code 1
//  (a store in use or unreadable, said on stderr).
static int
s_inspect (s_plan_t *plan, cf_config_t *config)
{
    for (int i = 0; i < S_STORES; i++) {
        upgrade_store_t *store = &plan->stores [i];
        store->service = s_services [i];
        snprintf (store->dir, sizeof store->dir, "%s", cf_config_string (config, s_services [i]));
        upgrade_swap_path (store->dir, UPGRADE_STAGING, store->staging, sizeof store->staging);
        store->rewritten = i == S_INTAKE || i == S_HANDOVER;
        plan->formats [i][0] = 0;
        if (!upgrade_swap_has_store (store->dir, NULL))
            continue;
        if (cf_journal_open_elsewhere (store->dir)) {
            fprintf (stderr,
                     "caseflow-upgrade: the %s store %s is open in another process: stop "
                     "every service first\n",
                     store->service, store->dir);
            return 1;
        }
        int rc = cf_journal_format_of (store->dir, store->service, plan->formats [i],
                                       sizeof plan->formats [i]);
        if (rc) {
            fprintf (stderr, "caseflow-upgrade: %s: not a readable %s store (%s)\n", store->dir,
                     store->service, cf_strerror (rc));
            return 1;
        }
    }
    const char *keystore = cf_config_string (config, "intake-key-store");
    if (*keystore)
        snprintf (plan->keystore, sizeof plan->keystore, "%s", keystore);
    else
        cf_keystore_default_dir (plan->stores [S_INTAKE].dir, plan->keystore,
                                 sizeof plan->keystore);
    intake_keys_secret_path (cf_config_string (config, "match-secret"), plan->keystore,
                             plan->secret, sizeof plan->secret);
    keystore = cf_config_string (config, "handover-key-store");
    if (*keystore)
        snprintf (plan->handover_keystore, sizeof plan->handover_keystore, "%s", keystore);
    else
        cf_keystore_default_dir (plan->stores [S_HANDOVER].dir, plan->handover_keystore,
                                 sizeof plan->handover_keystore);
    return 0;
}

static size_t
s_count (const s_plan_t *plan, const char *format)
{
    size_t count = 0;
    for (int i = 0; i < S_STORES; i++)
        count += strcmp (plan->formats [i], format) == 0;
    return count;
}

//  Removes every staging folder (what an earlier run left, or this one's
//  after a failure).
static void
s_discard (const s_plan_t *plan)
{
    for (int i = 0; i < S_STORES; i++)
        upgrade_swap_discard (plan->stores [i].dir);
    upgrade_swap_discard (plan->keystore);
    upgrade_swap_discard (plan->handover_keystore);
}

//  The swap of every store still of format 2 (the key store first, when
//  it is still staged). 0 or exit code 1.
static int
s_swap (s_plan_t *plan)
{
    if (upgrade_swap_has_store (plan->keystore, UPGRADE_STAGING)
        && upgrade_swap_keystore (plan->keystore))
        return 1;
    if (upgrade_swap_has_store (plan->handover_keystore, UPGRADE_STAGING)
        && upgrade_swap_keystore (plan->handover_keystore))
        return 1;
    for (int i = 0; i < S_STORES; i++) {
        if (strcmp (plan->formats [i], CF_JOURNAL_PREVIOUS_FORMAT) != 0)
            continue;
        if (upgrade_swap_journal (plan->stores [i].dir)) {
            fprintf (stderr,
                     "caseflow-upgrade: the swap stopped at the %s store; run the upgrade "
                     "again to finish it (docs/privacy.md)\n",
                     plan->stores [i].service);
            return 1;
        }
        printf ("%s: %s holds the new store; the old one is %s/%s/data.mdb\n",
                plan->stores [i].service, plan->stores [i].dir, plan->stores [i].dir, UPGRADE_KEPT);
    }
    return 0;
}

//  A deployment whose swap was interrupted: every store is either swapped
//  (format 3, the old one kept) or staged, and the key store is in place.
static bool
s_interrupted (const s_plan_t *plan)
{
    if (!upgrade_swap_has_store (plan->keystore, NULL)
        || !upgrade_swap_has_store (plan->handover_keystore, NULL))
        return false;
    for (int i = 0; i < S_STORES; i++) {
        const upgrade_store_t *store = &plan->stores [i];
        bool previous = strcmp (plan->formats [i], CF_JOURNAL_PREVIOUS_FORMAT) == 0;
        if (previous ? !upgrade_swap_has_store (store->dir, UPGRADE_STAGING)
                     : !upgrade_swap_has_store (store->dir, UPGRADE_KEPT))
            return false;
    }
    return true;
}

//  Finishes an interrupted swap, once each staged store verifies.
static int
s_resume (s_plan_t *plan)
{
    printf ("an upgrade was interrupted while swapping the stores in: finishing it\n");
    for (int i = 0; i < S_STORES; i++) {
        if (strcmp (plan->formats [i], CF_JOURNAL_PREVIOUS_FORMAT) != 0)
            continue;
        int rc;
        cf_journal_t *staged =
            cf_journal_open_readonly (plan->stores [i].staging, s_services [i], &rc);
        cf_journal_check_t check;
        if (staged)
            rc = cf_journal_verify (staged, &check);
        cf_journal_destroy (&staged);
        if (rc) {
            fprintf (stderr,
                     "caseflow-upgrade: the staged %s store %s does not verify (%s): roll "
                     "back (docs/privacy.md)\n",
                     s_services [i], plan->stores [i].staging, cf_strerror (rc));
            return 1;
        }
    }
    return s_swap (plan);
}

static void
s_report (const upgrade_store_t *store)
{
    printf ("%s: %llu records: %llu own events (%llu rewritten), %llu copies replaced by their "
            "producer's; %llu cursors; %llu stored replies (%llu stripped, %llu dropped)\n",
            store->service, (unsigned long long) store->records, (unsigned long long) store->own,
            (unsigned long long) store->changed, (unsigned long long) store->copies,
            (unsigned long long) store->cursors, (unsigned long long) store->replies,
            (unsigned long long) store->stripped, (unsigned long long) store->dropped);
}

//  Steps 2 and 3: the staged key store and stores. 0 or exit code 1.
static int
s_stage (s_plan_t *plan)
{
    uint8_t secret [256];
    size_t size = 0;
    if (intake_registry_secret_load (plan->secret, secret, &size, sizeof secret)) {
        fprintf (stderr, "caseflow-upgrade: --match-secret: %s is not a usable matching secret\n",
                 plan->secret);
        return 1;
    }
    char staging [4200];
    upgrade_swap_path (plan->keystore, UPGRADE_STAGING, staging, sizeof staging);
    cf_keystore_t *keystore = NULL;
    int rc = cf_keystore_open (staging, INTAKE_STREAM, 0, &keystore);
    if (rc == 0)
        rc = cf_keystore_check_secret (keystore, secret, size);
    upgrade_intake_t *intake = keystore ? upgrade_intake_new (keystore, secret, size) : NULL;
    sodium_memzero (secret, sizeof secret);
    if (rc)
        fprintf (stderr, "caseflow-upgrade: cannot make the key store in %s (%s)\n", staging,
                 cf_strerror (rc));
    char handover_staging [4200];
    upgrade_swap_path (plan->handover_keystore, UPGRADE_STAGING, handover_staging,
                       sizeof handover_staging);
    cf_keystore_t *transit_keys = NULL;
    if (rc == 0 && (rc = cf_keystore_open (handover_staging, "handover", 0, &transit_keys)))
        fprintf (stderr, "caseflow-upgrade: cannot make the key store in %s (%s)\n",
                 handover_staging, cf_strerror (rc));
    upgrade_handover_t *handover = transit_keys ? upgrade_handover_new (transit_keys) : NULL;
    if (handover && intake)
        upgrade_intake_set_transit (intake, upgrade_handover_key, handover);
    upgrade_store_t *producers [S_STORES];
    for (int i = 0; i < S_STORES; i++)
        producers [i] = &plan->stores [i];
    for (int i = 0; i < S_STORES && rc == 0; i++)
        rc = upgrade_store_open (&plan->stores [i]);
    for (int i = 0; i < S_STORES && rc == 0; i++) {
        upgrade_rewrite_t rewrite = { 0 };
        if (i == S_INTAKE)
            rewrite = upgrade_intake_rewrite (intake);
        if (i == S_HANDOVER)
            rewrite = upgrade_handover_rewrite (handover);
        rc = upgrade_store_write (&plan->stores [i], producers, S_STORES, &rewrite);
        if (rc == 0)
            s_report (&plan->stores [i]);
    }
    if (rc == 0)
        rc = cf_keystore_commit (keystore);
    if (rc == 0)
        rc = cf_keystore_commit (transit_keys);
    if (rc == 0)
        printf ("intake key store %s: %zu subjects, %llu values sealed (matching secret %s)\n",
                plan->keystore, upgrade_intake_subjects (intake),
                (unsigned long long) upgrade_intake_sealed (intake), plan->secret);
    if (rc == 0)
        printf ("handover key store %s: %zu transit keys, %llu values sealed\n",
                plan->handover_keystore, upgrade_handover_keys (handover),
                (unsigned long long) upgrade_handover_sealed (handover));
    upgrade_intake_destroy (&intake);
    upgrade_handover_destroy (&handover);
    cf_keystore_destroy (&keystore);
    cf_keystore_destroy (&transit_keys);
    for (int i = 0; i < S_STORES; i++)
        upgrade_store_close (&plan->stores [i]);
    return rc ? 1 : 0;
}

//  Stops at handover's first own announcement: 1 when it holds the
//  resident or the support in plain (its seq in *ctx), 2 when sealed.
static int
s_first_announcement (void *ctx, uint64_t position, const void *data, size_t size)
{
    (void) position;
    Caseflow__V1__Event *event = cf_event_decode (data, size, NULL, NULL);
    if (!event)
        return 0;  //  --verify's to name; the services refuse it too
    int rc = 0;
    if (event->body_case == CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED
        && strcmp (event->stream, "handover") == 0) {
        const Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
        bool plain = body->resident || (body->support && *body->support);
        *(uint64_t *) ctx = event->seq;
        rc = plain ? 1 : 2;
    }
    caseflow__v1__event__free_unpacked (event, NULL);
    return rc;
}

//  A handover store of format 3 written before handover sealed its events
//  (main between 075fda5 and 59b28dc, without a new format number): the
//  seq of its first announcement in plain, 0 when there is none.
static uint64_t
s_plain_handover (const s_plan_t *plan)
{
    cf_journal_t *journal =
        cf_journal_open_readonly (plan->stores [S_HANDOVER].dir, "handover", NULL);
    if (!journal)
        return 0;
    uint64_t seq = 0;
    int rc = cf_journal_read_records (journal, 0, s_first_announcement, &seq);
    cf_journal_destroy (&journal);
    return rc == 1 ? seq : 0;
}

static int
s_run (s_plan_t *plan)
{
    size_t previous = s_count (plan, CF_JOURNAL_PREVIOUS_FORMAT);
    size_t current = s_count (plan, "3");
    if (current == S_STORES) {
        uint64_t seq = s_plain_handover (plan);
        if (seq) {
            fprintf (stderr,
                     "caseflow-upgrade: the handover store %s holds personal data in plain "
                     "(seq %llu): a store of format 3 from before handover sealed its events, "
                     "which this upgrade does not convert and today's handover does not start "
                     "on (docs/operations.md, \"Upgrading\"); nothing was changed\n",
                     plan->stores [S_HANDOVER].dir, (unsigned long long) seq);
            return 1;
        }
        printf ("every store is of format 3 already: nothing to upgrade\n");
        return 0;
    }
    if (previous + current < S_STORES) {
        for (int i = 0; i < S_STORES; i++) {
            const char *format = plan->formats [i];
            if (strcmp (format, CF_JOURNAL_PREVIOUS_FORMAT) == 0 || strcmp (format, "3") == 0)
                continue;
            if (*format)
                fprintf (stderr,
                         "caseflow-upgrade: %s: a store of format \"%s\"; this upgrade reads "
                         "format \"%s\" (docs/operations.md, \"Upgrading\")\n",
                         plan->stores [i].dir, format, CF_JOURNAL_PREVIOUS_FORMAT);
            else
                fprintf (stderr, "caseflow-upgrade: %s: no store here (data.mdb)\n",
                         plan->stores [i].dir);
        }
        return 1;
    }
    if (s_interrupted (plan))
        return s_resume (plan);
    if (current) {
        fprintf (stderr,
                 "caseflow-upgrade: %zu of the stores are of format 3 already and the rest "
                 "cannot be swapped in from what an earlier run left: roll back "
                 "(docs/privacy.md, \"Upgrading a deployment\")\n",
                 current);
        return 1;
    }
    if (upgrade_swap_has_store (plan->keystore, NULL)) {
        fprintf (stderr,
                 "caseflow-upgrade: %s holds a key store already; the upgrade makes intake's "
                 "key store anew (move that one away, or name another with "
                 "--intake-key-store)\n",
                 plan->keystore);
        return 1;
    }
    if (upgrade_swap_has_store (plan->handover_keystore, NULL)) {
        fprintf (stderr,
                 "caseflow-upgrade: %s holds a key store already; the upgrade makes handover's "
                 "key store anew (move that one away, or name another with "
                 "--handover-key-store)\n",
                 plan->handover_keystore);
        return 1;
    }
    //  What an earlier run that stopped before its swap left.
    s_discard (plan);
    if (s_stage (plan)) {
        s_discard (plan);
        fprintf (stderr, "caseflow-upgrade: nothing was changed: the stores are as they were\n");
        return 1;
    }
    int rc = s_swap (plan);
    if (rc == 0)
        printf ("upgraded. The old stores hold personal data in plain: remove each "
                "<dir>/%s once the upgraded deployment runs (docs/privacy.md)\n",
                UPGRADE_KEPT);
    return rc;
}

int
main (int argc, char **argv)
{
    cf_config_t *config =
        cf_config_new ("caseflow-upgrade",
                       "upgrades a deployment's stores of format 2 (personal data in plain) to "
                       "format 3 (sealed), together and offline: stop every service and back "
                       "up every store first (docs/privacy.md)");
    int rc = s_parse (config, argc, argv);
    if (rc) {
        cf_config_destroy (&config);
        return rc == CF_EHELP ? 0 : 2;
    }
    cf_log_level_t level = CF_LOG_WARN;
    cf_log_level_parse (cf_config_string (config, "log-level"), &level);
    cf_log_init ("upgrade", level);
    if (sodium_init () < 0) {
        fprintf (stderr, "caseflow-upgrade: sodium_init failed\n");
        cf_config_destroy (&config);
        return 1;
    }
    static s_plan_t plan;
    rc = s_inspect (&plan, config);
    cf_config_destroy (&config);
    return rc ? rc : s_run (&plan);
}
