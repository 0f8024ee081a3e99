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

//  One run on a fresh service. Returns 0; 1 when the service left
//  requests without an OK reply or logged errors; -1 when it (or the fake
//  upstream) did not start, so the next runs would not either.
static int
s_run (const char *service, size_t (*pack) (uint8_t *, size_t, size_t), const bk_phase_t *phase)
{
    char key [128];
    snprintf (key, sizeof key, "svc.%s.%s", service, phase->key);
    if (!bk_selected (key))
        return 0;
    bk_fake_t *fake = bk_fake_new ();
    if (!fake)
        return -1;
    bk_service_t svc;
    bk_service_init (&svc, service);
    const char *extra [16] = { "--log-level=warn", "--map-size=16G" };
    size_t argc = 2;
    char storage [4 * 320];  //  up to four upstreams (the gateway's)
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
        .count = bk_phase_requests (phase),
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
    bk_figuref (drive.ok ? cpu * 1e6 / (double) drive.ok : 0, "%s.cpu_us", key);
    bk_figuref (load, "load.%s", key);
    if (rc)
        fprintf (stderr, "bench_service: %s: %zu of %zu requests without an OK reply%s%s\n", label,
                 drive.count - drive.ok, drive.count, drive.first_error [0] ? "; first: " : "",
                 drive.first_error);
    if (bk_service_errors (&svc, "bench_service"))
        rc = 1;
    bk_drive_free (&drive);
    bk_service_destroy (&svc);
    bk_fake_destroy (&fake);
    return rc;
}

int
main (int argc, char **argv)
{
    int size = bk_main_init (argc, argv, "[--smoke | --quick]");
    double seconds = size == 1 ? 0.3 : size == 2 ? 3 : 10;
    size_t saturation = size == 1 ? 3000 : size == 2 ? 100000 : 400000;
    //  Silence this long is a service that stopped, whatever the load.
    int64_t timeout = (size == 1 ? 20 : 60) * BK_NS_PER_S;
    bk_phase_t phases [BK_PHASES];
    bk_phases_init (phases, seconds, saturation, timeout);
    int rc = 0, failed = 0;
    for (size_t i = 0; i < 2 * BK_PHASES && rc >= 0; i++) {
        rc = i < BK_PHASES ? s_run ("intake", bk_pack_register, &phases [i])
                           : s_run ("testsvc", bk_pack_increment, &phases [i - BK_PHASES]);
        failed |= rc != 0;
    }
    return failed;
}
