//  bench_service: one service, fully durable (group commit, LMDB's default
//  fsync), driven over its api like any client would.
//
//  For the real caseflow-intake (Register: a new resident each time, so
//  every command opens a case and emits CaseRegistered and CaseTriaged) and
//  for the test service (Increment: one event per command), each run on a
//  fresh service and store:
//    - fixed offered rates of 1,000/s and 10,000/s, open loop: requests are
//      sent on schedule from 16 DEALER sockets whatever the replies do, and
//      latency counts from the scheduled send time (no coordinated
//      omission);
//    - saturation: a closed loop with 4,096 requests outstanding.
//  Prints commands/s, latency p50/p99/p99.9/max and the service's CPU time
//  per command.
//
//  Usage: bench_service [--smoke | --quick]
//  BENCH_ONLY=<key prefix> (e.g. svc.intake.sat) runs only those runs.
#include "bench_drive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *label;
    const char *key;
    double rate;            //  0: saturation
    double seconds;         //  fixed rates: how long
    size_t count;           //  saturation: how many
    int64_t timeout_ns;     //  give up when the service answers nothing for this long
} s_phase_t;

//  One run on a fresh service. Returns 0; 1 when the service left
//  requests without an OK reply or logged errors; -1 when it (or the fake
//  upstream) did not start, so the next runs would not either.
static int
s_run (const char *service, size_t (*pack) (uint8_t *, size_t, size_t), const s_phase_t *phase)
{
    //  BENCH_ONLY=svc.intake.sat (a key prefix) runs only the matching runs,
    //  e.g. to profile one of them.
    const char *only = getenv ("BENCH_ONLY");
    char key [128];
    snprintf (key, sizeof key, "svc.%s.%s", service, phase->key);
    if (only && *only && strncmp (key, only, strlen (only)) != 0)
        return 0;
    bk_fake_t *fake = bk_fake_new ();
    if (!fake)
        return -1;
    bk_service_t svc;
    bk_service_init (&svc, service);
    const char *extra [16] = { "--log-level=warn", "--map-size=16G" };
    size_t argc = 2;
    char storage [3 * 320];
    bk_fake_flags (fake, bk_upstreams (service), extra, &argc, 16, storage);
    if (bk_service_start (&svc, extra, 60000)) {
        fprintf (stderr, "bench_service: %s did not start\n", service);
        bk_service_destroy (&svc);
        bk_fake_destroy (&fake);
        return -1;
    }
    bk_drive_t drive = {
        .endpoint = svc.proc.api,
        .sockets = 16,
        .rate = phase->rate,
        .window = 4096,
        .count = phase->rate > 0 ? (size_t) (phase->rate * phase->seconds) : phase->count,
        .timeout_ns = phase->timeout_ns,
        .pack = pack,
    };
    double cpu_before = bk_proc_cpu_s (svc.proc.pid);
    double load = bk_load ();
    int rc = bk_drive_run (&drive);
    double cpu = bk_proc_cpu_s (svc.proc.pid) - cpu_before;
    char label [128];
    snprintf (label, sizeof label, "%s %s", service, phase->label);
    bk_drive_report (&drive, key, label);
    printf ("    service CPU %.1f us/command, load average %.2f\n",
            drive.ok ? cpu * 1e6 / (double) drive.ok : 0, load);
    char name [160];
    snprintf (name, sizeof name, "%s.cpu_us", key);
    bk_figure (name, drive.ok ? cpu * 1e6 / (double) drive.ok : 0);
    snprintf (name, sizeof name, "load.%s", key);
    bk_figure (name, load);
    if (rc)
        fprintf (stderr, "bench_service: %s: %zu of %zu requests without an OK reply%s%s\n",
                 label, drive.count - drive.ok, drive.count,
                 drive.first_error [0] ? "; first: " : "", drive.first_error);
    size_t errors = bk_log_errors (&svc);
    if (errors) {
        fprintf (stderr, "bench_service: %s logged %zu errors\n", service, errors);
        cf_test_dump_log (svc.proc.log_path);
        rc = 1;
    }
    bk_drive_free (&drive);
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return rc;
}

int
main (int argc, char **argv)
{
    int size = bk_size_option (argc, argv, "[--smoke | --quick]");
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    double seconds = size == 1 ? 0.3 : size == 2 ? 3 : 10;
    size_t saturation = size == 1 ? 3000 : size == 2 ? 100000 : 400000;
    //  Silence this long is a service that stopped, whatever the load.
    int64_t timeout = (size == 1 ? 20 : 60) * BK_NS_PER_S;
    s_phase_t phases [] = {
        { "1,000/s offered", "r1000", 1000, seconds, 0, timeout },
        { "10,000/s offered", "r10000", 10000, seconds, 0, timeout },
        { "saturation (4,096 outstanding)", "sat", 0, 0, saturation, timeout },
    };
    int rc = 0, failed = 0;
    for (size_t i = 0; i < 6 && rc >= 0; i++) {
        rc = i < 3 ? s_run ("intake", bk_pack_register, &phases [i])
                   : s_run ("testsvc", bk_pack_increment, &phases [i - 3]);
        failed |= rc != 0;
    }
    return failed;
}
