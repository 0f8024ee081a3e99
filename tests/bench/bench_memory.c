//  bench_memory: resident memory per 1,000,000 open cases in intake and
//  assignment.
//
//  For each of the two services: the resident set (VmRSS) of the service
//  started on an empty store, then of the service started on a journal of
//  N open cases (CaseRegistered and CaseTriaged each: every case waiting;
//  kit/bench_journals.h), once ready. The difference, scaled to 1,000,000
//  cases, is the figure; it is split into anonymous memory (the state:
//  RssAnon) and file pages (RssFile: the store's map pages the replay
//  touched, which the kernel may drop at will). The encoded size of those
//  cases' events is printed beside it, as the size of what the state
//  remembers in its most compact form.
//
//  Usage: bench_memory [--smoke | --quick]   (N: 1,000,000; --smoke 10,000;
//  --quick 200,000)
#include "bench_journals.h"
#include "bench_kit.h"

#include "cf_log.h"

#include <stdio.h>

typedef struct {
    double rss, anon, file;  //  KiB
    bool failed;             //  did not start, or logged errors
} s_memory_t;

//  Starts the prepared service (waiting up to `wait_ms` for it to be
//  ready), measures it and destroys it.
static s_memory_t
s_start_and_measure (bk_service_t *svc, const char *service, int wait_ms)
{
    s_memory_t memory = { .failed = true };
    bk_fake_t *fake = bk_fake_new ();
    const char *argv [16] = { "--log-level=warn", "--map-size=16G" };
    size_t argc = 2;
    char storage [4 * 320];  //  up to four upstreams (the gateway's)
    if (fake) {
        bk_fake_flags (fake, bk_upstreams (service), argv, &argc, 16, storage);
        if (bk_service_start (svc, argv, wait_ms) == 0) {
            //  Let start-up work (the first wake-up, heartbeats) settle.
            zclock_sleep (500);
            memory.rss = bk_proc_kib (svc->proc.pid, "VmRSS");
            memory.anon = bk_proc_kib (svc->proc.pid, "RssAnon");
            memory.file = bk_proc_kib (svc->proc.pid, "RssFile");
            memory.failed = bk_service_errors (svc, "bench_memory") > 0;
        }
    }
    bk_service_destroy (svc);
    bk_fake_destroy (&fake);
    return memory;
}

static int
s_run (const char *service, uint64_t cases, int wait_ms)
{
    bk_service_t svc;
    bk_service_init (&svc, service);
    s_memory_t empty = s_start_and_measure (&svc, service, wait_ms);
    if (empty.failed) {
        fprintf (stderr, "bench_memory: %s: no figures\n", service);
        return 1;
    }
    bk_service_init (&svc, service);
    uint64_t bytes = 0;
    uint64_t events = bj_write (svc.proc.data_dir, service, 2 * cases, true, &bytes);
    if (events == 0) {
        bk_service_destroy (&svc);
        return 1;
    }
    double load = bk_load ();
    s_memory_t full = s_start_and_measure (&svc, service, wait_ms);
    if (full.failed) {
        fprintf (stderr, "bench_memory: %s: no figures\n", service);
        return 1;
    }
    double scale = 1e6 / (double) cases / 1024.0;  //  KiB for N -> MiB per 1M
    double rss = (full.rss - empty.rss) * scale;
    double anon = (full.anon - empty.anon) * scale;
    double file = (full.file - empty.file) * scale;
    double encoded = (double) bytes * 1e6 / (double) cases / 1048576.0;
    printf ("memory %-10s %8" PRIu64 " open cases (%" PRIu64 " events): VmRSS %.0f MiB "
            "(empty %.0f MiB) = %.0f MiB per 1,000,000 open cases (anonymous %.0f, file %.0f); "
            "their events encoded: %.0f MiB per 1,000,000; load %.2f\n",
            service, cases, events, full.rss / 1024, empty.rss / 1024, rss, anon, file, encoded,
            load);
    bk_figuref (rss, "memory.%s.rss_mib_per_1m", service);
    bk_figuref (anon, "memory.%s.anon_mib_per_1m", service);
    bk_figuref (file, "memory.%s.file_mib_per_1m", service);
    bk_figuref (encoded, "memory.%s.encoded_mib_per_1m", service);
    bk_figuref (load, "load.memory.%s", service);
    return 0;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    cf_log_init ("bench_memory", CF_LOG_WARN);
    uint64_t cases = size == 1 ? 10000 : size == 2 ? 200000 : 1000000;
    //  Long enough to replay the full size's store on a loaded machine.
    int wait_ms = size == 1 ? 60000 : 600000;
    int failed = s_run ("intake", cases, wait_ms);
    failed |= s_run ("assignment", cases, wait_ms);
    return failed;
}
