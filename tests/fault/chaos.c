//  chaos: the crash-fault test. Five real services under load (the gateway's
//  publishers posting CloudEvents among the commands, intake and handover
//  applying them, a webhook sink taking the gateway's deliveries), a random
//  one killed with SIGKILL at random moments and restarted (the gateway at
//  least once); at the end nothing acknowledged may be missing, nothing may
//  be applied twice, every event a publisher got a 202 for must be applied
//  downstream once, every subscribed event delivered, and every service's
//  state must equal a fresh replay of its journal.
//
//  Usage: chaos [--full] [--commands N] [--kills N] [--seed N] [--clients N]
//               [--window N] [--days N] [--timeout-ms N] [--bin-dir DIR] [--keep]
//
//  The default is the reduced round CI runs (3,000 commands, 6 kills);
//  --full is 50,000 commands and 20 kills. The seed is printed first; the
//  same seed makes the same choices again (commands, kill points, victims),
//  though the services' timing makes every run's interleaving its own. The
//  work directory (stores, logs, commands.tsv: every answered command) is
//  kept when the run fails, or with --keep. Exit status 0 when every check
//  passed, 1 on any violation, 2 for bad arguments. docs/testing.md has the
//  whole story.
#include "chaos_load.h"

#include "cf_log.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_time.h"

#include <assert.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_CLOCK_START "2022-04-01T08:00"
#define S_PRINT_MAX   40

static atomic_size_t s_printed;

void
chaos_report (chaos_faults_t *faults, atomic_size_t *counter, const char *fmt, ...)
{
    const char *kind = counter == &faults->lost         ? "LOST"
                       : counter == &faults->duplicated ? "DUPLICATED"
                       : counter == &faults->mismatched ? "MISMATCHED"
                                                        : "FAILED";
    atomic_fetch_add (counter, 1);
    if (atomic_fetch_add (&s_printed, 1) >= S_PRINT_MAX * 4)
        return;
    char text [1024];
    va_list args;
    va_start (args, fmt);
    vsnprintf (text, sizeof text, fmt, args);
    va_end (args);
    printf ("chaos: %s: %s\n", kind, text);
    fflush (stdout);
}

size_t
chaos_faults_total (chaos_faults_t *faults)
{
    return atomic_load (&faults->lost) + atomic_load (&faults->duplicated)
           + atomic_load (&faults->mismatched) + atomic_load (&faults->failures);
}

void *
chaos_string_dup (const void *item)
{
    char *copy = strdup (item);
    assert (copy);
    return copy;
}

void
chaos_item_free (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

//  1234567 as "1,234,567" into `out` (>= 32 bytes).
static const char *
s_thousands (uint64_t value, char *out)
{
    char digits [24];
    int len = snprintf (digits, sizeof digits, "%" PRIu64, value);
    int o = 0;
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            out [o++] = ',';
        out [o++] = digits [i];
    }
    out [o] = 0;
    return out;
}

static int
s_usage (const char *problem)
{
    fprintf (stderr,
             "chaos: %s\nusage: chaos [--full] [--commands N] [--kills N] [--seed N] "
             "[--clients N] [--window N] [--days N] [--timeout-ms N] [--bin-dir DIR] "
             "[--keep]\n",
             problem);
    return 2;
}

//  Parses the options; returns 0, or the exit status for a bad argument.
static int
s_parse (int argc, char **argv, chaos_options_t *options)
{
    for (int i = 1; i < argc; i++) {
        const char *flag = argv [i];
        if (strcmp (flag, "--full") == 0) {
            options->commands = 50000;
            options->kills = 20;
            continue;
        }
        if (strcmp (flag, "--keep") == 0) {
            options->keep = true;
            continue;
        }
        if (i + 1 >= argc)
            return s_usage ("a flag without its value, or an unknown flag");
        const char *value = argv [++i];
        char *end = NULL;
        unsigned long long number = strtoull (value, &end, 10);
        bool numeric = *value && end && !*end;
        if (strcmp (flag, "--bin-dir") == 0)
            options->bin_dir = value;
        else if (!numeric)
            return s_usage ("flags take whole numbers (but --bin-dir)");
        else if (strcmp (flag, "--commands") == 0 && number >= 100)
            options->commands = (size_t) number;
        else if (strcmp (flag, "--kills") == 0)
            options->kills = (size_t) number;
        else if (strcmp (flag, "--seed") == 0)
            options->seed = number;
        else if (strcmp (flag, "--clients") == 0 && number >= 1 && number <= 16)
            options->clients = (int) number;
        else if (strcmp (flag, "--window") == 0 && number >= 1 && number <= 4096)
            options->window = (int) number;
        else if (strcmp (flag, "--days") == 0 && number >= 1 && number <= 3650)
            options->days = (int) number;
        else if (strcmp (flag, "--timeout-ms") == 0 && number >= 100)
            options->timeout_ms = (int) number;
        else
            return s_usage ("unknown flag or value out of range");
    }
    return 0;
}

int
main (int argc, char **argv)
{
    static char default_bin [512];
    snprintf (default_bin, sizeof default_bin, "%s/bin", CF_BINARY_DIR);
    chaos_options_t options = {
        .commands = 3000,
        .kills = 6,
        .clients = 3,
        .window = 48,
        .days = 120,
        .timeout_ms = 3000,
        .bin_dir = default_bin,
    };
    options.seed = ((uint64_t) time (NULL) * 1000003u) ^ (uint64_t) getpid ();
    options.seed %= 1000000000;
    if (argc > 1 && (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0)) {
        printf ("usage: chaos [--full] [--commands N] [--kills N] [--seed N] [--clients N] "
                "[--window N] [--days N] [--timeout-ms N] [--bin-dir DIR] [--keep]\n"
                "  default: %zu commands, %zu kills, %d clients per service, window %d, "
                "%d days, timeout %d ms\n",
                options.commands, options.kills, options.clients, options.window, options.days,
                options.timeout_ms);
        return 0;
    }
    int rc = s_parse (argc, argv, &options);
    if (rc)
        return rc;
    cf_test_clear_caseflow_env ();
    cf_time_init ();
    zsys_handler_set (NULL);
    signal (SIGPIPE, SIG_IGN);
    //  The clients' and followers' retries are routine here: warnings only.
    cf_log_init ("chaos", CF_LOG_WARN);
    printf ("chaos: seed %" PRIu64 " (run again with --seed %" PRIu64 "): %zu commands, %zu "
            "kills, %d clients per service, window %d, %d days\n",
            options.seed, options.seed, options.commands, options.kills, options.clients,
            options.window, options.days);
    fflush (stdout);
    int64_t started = zclock_mono ();
    chaos_faults_t faults;
    atomic_init (&faults.lost, 0);
    atomic_init (&faults.duplicated, 0);
    atomic_init (&faults.mismatched, 0);
    atomic_init (&faults.failures, 0);

    char *dir = cf_test_tmpdir ("chaos");
    chaos_procs_t procs;
    chaos_procs_init (&procs, options.bin_dir, dir, S_CLOCK_START);
    if (chaos_procs_start_all (&procs) != 0) {
        chaos_procs_destroy (&procs);
        printf ("chaos: FAILED: the services did not start (kept %s)\n", dir);
        free (dir);
        return 1;
    }
    int64_t clock_start = 0;
    rc = cf_time_parse (S_CLOCK_START, &clock_start);
    assert (rc == 0);
    chaos_follower_t *notification = chaos_follower_new (&procs, CHAOS_NOTIFICATION);
    chaos_follower_t *assignment = chaos_follower_new (&procs, CHAOS_ASSIGNMENT);
    char record [600];
    snprintf (record, sizeof record, "%s/commands.tsv", dir);
    chaos_load_t *load =
        chaos_load_new (&options, &procs, notification, assignment, &faults, clock_start, record);

    //  As many CloudEvents as commands, posted while the load runs.
    chaos_ingress_t *ingress =
        chaos_ingress_new (&procs, options.seed, options.commands, options.commands,
                           chaos_load_progress (load), &faults);
    //  A webhook sink, subscribed before the load, takes deliveries
    //  through all of it.
    chaos_webhooks_t *webhooks = chaos_webhooks_new (&procs, &faults);

    //  The load, with the kills.
    size_t kills = 0, per_service [CHAOS_SERVICES] = { 0 };
    bool ran = webhooks && chaos_load_setup (load) == 0 && chaos_ingress_start (ingress) == 0;
    if (ran) {
        chaos_kill_t *kill = chaos_kill_new (&procs, options.seed, options.kills, options.commands,
                                             chaos_load_progress (load), &faults);
        ran = chaos_load_run (load, kill) == 0;
        kills = chaos_kill_destroy (&kill, per_service);
        ran = chaos_ingress_finish (ingress, 120000) == 0 && ran;
    }
    double load_seconds = (double) (zclock_mono () - started) / 1000.0;
    chaos_model_t *model = chaos_load_model (load);

    //  The checks, once everything settled: the deliveries first, then
    //  (the subscription removed and its last cursor consumed) the rest.
    size_t checked = 0, events = 0;
    int digests = 0;
    chaos_gateway_figures_t gateway = { 0 };
    bool settled =
        ran
        && chaos_check_settle (&procs, notification, assignment, model->clock, false, &faults) == 0;
    if (settled) {
        chaos_webhooks_check (webhooks, 180000, &gateway);
        settled =
            chaos_check_settle (&procs, notification, assignment, model->clock, true, &faults) == 0;
    }
    if (settled) {
        chaos_inbound_check (ingress, &procs, model, &faults, &gateway);
        checked = chaos_check_state (&procs, model, &faults);
        events = chaos_check_streams (&procs, model, notification, assignment, &faults);
        chaos_ingress_check (ingress);
        digests = chaos_procs_check_digests (&procs, &faults);
    }

    char a [32], b [32], c [32], d [32], e [32];
    size_t races = model->refused_by_code [CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION];
    printf ("chaos: commands acknowledged %s of %s sent (%s load, the rest setup and clock "
            "moves; refused %s: %zu failed-precondition races, %zu other), clock moved %zu "
            "times to %s on every service\n",
            s_thousands (model->acked, a), s_thousands (model->sent_all, b),
            s_thousands (model->sent, e), s_thousands (model->refused, c), races,
            model->refused - races, model->clock_moves,
            cf_time_format_date (model->clock, d, sizeof d));
    printf ("chaos: acknowledged by service: handover %zu, intake %zu, assignment %zu, "
            "notification %zu, gateway %zu (clock moves included)\n",
            model->acked_by_service [CHAOS_HANDOVER], model->acked_by_service [CHAOS_INTAKE],
            model->acked_by_service [CHAOS_ASSIGNMENT],
            model->acked_by_service [CHAOS_NOTIFICATION], model->acked_by_service [CHAOS_GATEWAY]);
    printf ("chaos: requests sent again after no answer in time %s, sent twice on purpose %s\n",
            s_thousands (model->resends, a), s_thousands (model->echoes, b));
    printf ("chaos: kills %zu (handover %zu, intake %zu, assignment %zu, notification %zu, "
            "gateway %zu), load %.1f s\n",
            kills, per_service [CHAOS_HANDOVER], per_service [CHAOS_INTAKE],
            per_service [CHAOS_ASSIGNMENT], per_service [CHAOS_NOTIFICATION],
            per_service [CHAOS_GATEWAY], load_seconds);
    printf ("chaos: entities checked %s (%zu cases, %zu workers, %zu handovers), events "
            "checked %s\n",
            s_thousands (checked, a), model->case_count, model->worker_count, model->handover_count,
            s_thousands (events, b));
    printf ("chaos: lost %zu, duplicated %zu, mismatched %zu, failures %zu\n",
            atomic_load (&faults.lost), atomic_load (&faults.duplicated),
            atomic_load (&faults.mismatched), atomic_load (&faults.failures));
    printf ("chaos: digests equal %d/%d after a fresh replay\n", digests, CHAOS_SERVICES);
    printf ("chaos: gateway: referrals 202'd %zu, applied once %zu; announcements 202'd %zu, "
            "applied once %zu; duplicates %zu; webhook deliveries %s of %s subscribed events, "
            "missing %zu\n",
            gateway.referrals, gateway.referrals_once, gateway.announcements,
            gateway.announcements_once, gateway.duplicates, s_thousands (gateway.deliveries, a),
            s_thousands (gateway.subscribed, b), gateway.missing);
    bool passed = ran && digests == CHAOS_SERVICES && chaos_faults_total (&faults) == 0;
    printf ("chaos: %s: commands acknowledged %s, kills %zu, events checked %s, lost %zu, "
            "duplicated %zu, referrals applied once %zu/%zu, deliveries %s, missing %zu, "
            "digests equal %d/%d, seed %" PRIu64 ", %.1f s\n",
            passed ? "PASSED" : "FAILED", s_thousands (model->acked, a), kills,
            s_thousands (events, b), atomic_load (&faults.lost), atomic_load (&faults.duplicated),
            gateway.referrals_once, gateway.referrals, s_thousands (gateway.deliveries, c),
            gateway.missing, digests, CHAOS_SERVICES, options.seed,
            (double) (zclock_mono () - started) / 1000.0);

    chaos_webhooks_destroy (&webhooks);
    chaos_ingress_destroy (&ingress);
    chaos_load_destroy (&load);
    chaos_follower_destroy (&notification);
    chaos_follower_destroy (&assignment);
    chaos_procs_destroy (&procs);
    if (passed && !options.keep)
        cf_test_rmtree (dir);
    else
        printf ("chaos: stores, logs and commands.tsv kept in %s\n", dir);
    free (dir);
    return passed ? 0 : 1;
}
