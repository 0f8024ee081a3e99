//  bench_kit: what the benchmarks in tests/bench share, beside the load
//  generator (bench_drive.h) and the journal writer (bench_journals.h).
//
//  - Figures: every benchmark prints human lines and machine lines
//    "@@ <key> <value>" (one figure each), from which a table of figures
//    and their ratios to the raw limits is built.
//  - Time, percentiles, the load average, a process's memory and CPU time.
//  - The start of a benchmark: its size option, a clean environment, and
//    which runs BENCH_ONLY selects.
//  - Services: a real service binary (cf_testproc) on loopback ports with a
//    fresh data directory. A start waits for /readyz, makes sure the
//    answer came from this process, and starts again on fresh ports when
//    another program took one of them between the draw and the bind.
//  - An empty upstream producer (bk_fake_t) for a service started alone.
//
//  Whatever way a benchmark ends (return, exit, SIGINT, SIGTERM), the
//  services it started are killed and their files removed; if it crashes,
//  the kernel kills them (cf_testproc's die_with_parent).
#ifndef BENCH_KIT_H
#define BENCH_KIT_H

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BK_NS_PER_S  INT64_C (1000000000)
#define BK_NS_PER_MS INT64_C (1000000)

//  ----------------------------------------------------------- figures

//  CLOCK_MONOTONIC in nanoseconds.
int64_t
bk_now_ns (void);

//  Prints one machine-readable figure ("@@ key value") and flushes.
void
bk_figure (const char *key, double value);

//  The same with the key formatted from `format` (at most 255 bytes).
void
bk_figuref (double value, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

//  Throughput and latency of a run, as printed and as figures.
typedef struct {
    double rate;  //  per second
    double p50_ms, p99_ms, p999_ms, max_ms;
} bk_latency_t;

//  `done` operations over `ns` nanoseconds (rate 0 when no time passed)
//  and the percentiles of `sorted` (`count` latencies in ns, ascending).
bk_latency_t
bk_latency (const int64_t *sorted, size_t count, size_t done, int64_t ns);

//  Prints the figures key.rate, key.p50_ms, key.p99_ms, key.p999_ms and
//  key.max_ms.
void
bk_latency_figures (const char *key, const bk_latency_t *latency);

//  qsort comparison of int64_t values, ascending.
int
bk_compare_i64 (const void *a, const void *b);

//  The p-th percentile (0 < p <= 100) of `sorted` (nearest rank); 0 when
//  count is 0.
int64_t
bk_percentile (const int64_t *sorted, size_t count, double p);

//  The 1-minute load average (-1 when unknown).
double
bk_load (void);

//  A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM", "RssAnon");
//  0 when unknown.
double
bk_proc_kib (pid_t pid, const char *field);

//  How many entries /proc/<pid>/<folder> holds ("fd": open files, "task":
//  threads); 0 when unknown.
size_t
bk_proc_entries (pid_t pid, const char *folder);

//  CPU seconds (user + system) process `pid` has used; 0 when unknown.
double
bk_proc_cpu_s (pid_t pid);

//  Parses the common options: --smoke (a tiny size for ctest), --quick (a
//  mid size for trying things out). Returns 0 (full size), 1 for --smoke,
//  2 for --quick; exits 2 on anything else after printing `usage`.
int
bk_size_option (int argc, char **argv, const char *usage);

//  The start of a benchmark that runs services: parses the options as
//  bk_size_option (returns the same), removes the CASEFLOW_* environment
//  (cf_test_clear_caseflow_env) and leaves SIGINT and SIGTERM to the kit's
//  cleanup rather than czmq's handler. Call first in main.
int
bk_main_init (int argc, char **argv, const char *usage);

//  True when the run named `key` is selected: BENCH_ONLY is unset, empty
//  or a prefix of `key` (to profile one run of many).
bool
bk_selected (const char *key);

//  ---------------------------------------------------------- services

typedef struct {
    cf_testproc_t proc;
    char *dir;  //  parent of the data directory and the log
    char name [32];
    int64_t launched;  //  when the last start forked (bk_now_ns)
    double ready_s;    //  from that fork to /readyz answering 200
} bk_service_t;

//  How a start ended (bk_service_await).
#define BK_READY   0
#define BK_EFAILED -1  //  exited or not ready in time (printed why)
#define BK_EPORT   -2  //  a port was taken by another program

//  Prepares (does not start) caseflow-<name> with a fresh data directory
//  and fresh loopback ports. For profiling, BENCH_WRAP=<program> runs the
//  service as <program> <flags> with BENCH_REAL=<service binary> in its
//  environment (e.g. a script that execs valgrind "$BENCH_REAL" "$@").
void
bk_service_init (bk_service_t *self, const char *name);

//  Starts it with `extra` flags (NULL-terminated, may be NULL) and waits
//  up to `wait_ms` for /readyz; on a port another program took, starts it
//  again on fresh ports (3 tries). Returns 0 when ready, else BK_EFAILED
//  after printing why (the process is stopped; destroy still required).
int
bk_service_start (bk_service_t *self, const char *const *extra, int wait_ms);

//  The two halves of bk_service_start, for services started together whose
//  flags name each other's ports: launch forks the process (returns 0 or
//  BK_EFAILED); await waits up to `wait_ms` and returns BK_READY, BK_EPORT
//  (the process is stopped: call bk_service_new_ports, fix the flags that
//  name its ports, launch again) or BK_EFAILED (printed why, stopped).
int
bk_service_launch (bk_service_t *self, const char *const *extra);
int
bk_service_await (bk_service_t *self, int wait_ms);

//  Draws fresh ports for a stopped service and empties its log (so the
//  failed bind does not count as an error of the next run).
void
bk_service_new_ports (bk_service_t *self);

//  True when the service's log says a bind found its address in use.
bool
bk_service_lost_port (const bk_service_t *self);

//  Stops it (SIGTERM, then SIGKILL after 30 s). Returns the exit status
//  as cf_testproc_stop does; 0 when it was not running.
int
bk_service_stop (bk_service_t *self);

//  Stops it, removes its files, frees what init allocated.
void
bk_service_destroy (bk_service_t *self);

//  Counts error lines in the service's log (JSON lines, "level":"error").
size_t
bk_log_errors (const bk_service_t *self);

//  The same; when there are any, says so on stderr as `program` and prints
//  the end of the log (cf_test_dump_log).
size_t
bk_service_errors (const bk_service_t *self, const char *program);

//  The upstream streams of each caseflow service (as in its main), a
//  NULL-terminated static array.
const char *const *
bk_upstreams (const char *service);

//  Services started together (bk_fleet_start): at most this many.
#define BK_FLEET_MAX 8

//  Launches `count` services (initialised with bk_service_init, names among
//  the caseflow services), each following those of its upstreams
//  (bk_upstreams) that are among them, with LMDB's default durable commit,
//  a 16G map and a PUB high-water mark a listening benchmark is not
//  dropped at; waits until all are ready. A port another program took
//  starts them all again on fresh ports (3 tries). Returns 0 when all are
//  ready, else -1 after printing why as `program` (the processes stopped;
//  destroy still required).
int
bk_fleet_start (bk_service_t *services, size_t count, const char *program);

//  ------------------------------------------------------ fake upstream

//  An empty upstream producer for services started alone: one ROUTER
//  answering every replay request with "nothing after your cursor" (so
//  the service's subscribers are caught up at once and it becomes ready),
//  and one PUB that stays silent, both on ports the kernel picks. Every
//  upstream of the service may point at the same pair.
typedef struct {
    zactor_t *actor;
    char api [64];
    char events [64];
    char error [128];  //  why the actor could not bind, if it could not
} bk_fake_t;

//  A running fake, or NULL after printing why it could not start.
bk_fake_t *
bk_fake_new (void);

//  Stops and frees it; safe on NULL; nulls the pointer.
void
bk_fake_destroy (bk_fake_t **self_p);

//  Adds to `argv` (at *argc_p, bounded by `cap`, NULL-terminated after)
//  the flags pointing every stream in `upstreams` (NULL-terminated) at
//  the fake: --<stream>-events=... --<stream>-api=...; the strings are
//  kept in `storage` (at least 320 bytes per upstream).
void
bk_fake_flags (const bk_fake_t *self, const char *const *upstreams, const char **argv,
               size_t *argc_p, size_t cap, char *storage);

#endif
