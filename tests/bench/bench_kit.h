//  bench_kit: what the benchmarks in tests/bench share (header-only,
//  static inline functions, like the integration tests' kits).
//
//  - Figures: every benchmark prints human lines and machine lines
//    "@@ <key> <value>" (one figure each), from which a table of figures
//    and their ratios to the raw limits is built.
//  - Time, percentiles, the load average, a process's resident memory.
//  - Services: start a real service binary (cf_testproc) on loopback ports
//    with a fresh data directory, wait until ready, stop and clean up.
//  - The load generator (bk_drive): DEALER sockets on one service's api,
//    one thread, requests either at a fixed offered rate (open loop: each
//    request has a scheduled send time, latency counts from that time, so
//    a slow service cannot hide its queue by slowing the sender, i.e. no
//    coordinated omission) or at saturation (closed loop: a window of
//    requests outstanding). It sleeps in ppoll on the sockets' ZMQ_FDs
//    with nanosecond timeouts, so it does not spin a core away from the
//    services on a small machine. One extra socket (a SUB) may be polled
//    in the same loop.
//  - Requests: intake Register (a fresh resident each time, valid BSN) and
//    the test service's Increment, packed into the caller's buffer.
#ifndef BENCH_KIT_H
#define BENCH_KIT_H

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"

#include <assert.h>
#include <czmq.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BK_NS_PER_S INT64_C (1000000000)
#define BK_NS_PER_MS INT64_C (1000000)

//  ----------------------------------------------------------- figures

static inline int64_t
bk_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * BK_NS_PER_S + now.tv_nsec;
}

//  One machine-readable figure for run.sh.
static inline void
bk_figure (const char *key, double value)
{
    printf ("@@ %s %.6g\n", key, value);
    fflush (stdout);
}

static inline int
bk_compare_i64 (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

//  The p-th percentile (0 < p <= 100) of `sorted` (nearest rank).
static inline int64_t
bk_percentile (const int64_t *sorted, size_t count, double p)
{
    if (count == 0)
        return 0;
    size_t rank = (size_t) ceil (p / 100.0 * (double) count);
    if (rank == 0)
        rank = 1;
    if (rank > count)
        rank = count;
    return sorted [rank - 1];
}

//  The 1-minute load average (-1 when unknown).
static inline double
bk_load (void)
{
    double load = -1;
    FILE *file = fopen ("/proc/loadavg", "r");
    if (file) {
        if (fscanf (file, "%lf", &load) != 1)
            load = -1;
        fclose (file);
    }
    return load;
}

//  A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM"); 0 when unknown.
static inline double
bk_proc_kib (pid_t pid, const char *field)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    double kib = 0;
    size_t len = strlen (field);
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, field, len) == 0 && line [len] == ':')
            kib = atof (line + len + 1);
    if (file)
        fclose (file);
    return kib;
}

//  CPU seconds (user + system) process `pid` has used; 0 when unknown.
static inline double
bk_proc_cpu_s (pid_t pid)
{
    char path [64], text [1024];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return 0;
    size_t size = fread (text, 1, sizeof text - 1, file);
    fclose (file);
    text [size] = 0;
    //  Fields after the command name (which may hold spaces): state is
    //  field 3, utime 14, stime 15.
    char *rest = strrchr (text, ')');
    unsigned long utime = 0, stime = 0;
    if (!rest || sscanf (rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
                         &utime, &stime) != 2)
        return 0;
    return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

//  Parses the common options: --smoke, --quick (a mid size for trying
//  things out). Returns 0, or 1 for --smoke, 2 for --quick; exits 2 on
//  anything else after printing `usage`.
static inline int
bk_size_option (int argc, char **argv, const char *usage)
{
    int size = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv [i], "--smoke") == 0)
            size = 1;
        else
        if (strcmp (argv [i], "--quick") == 0)
            size = 2;
        else {
            fprintf (stderr, "usage: %s %s\n", argv [0], usage);
            exit (2);
        }
    }
    return size;
}

//  ---------------------------------------------------------- services

typedef struct {
    cf_testproc_t proc;
    char *dir;                  //  parent of the data directory and the log
    char name [32];
} bk_service_t;

//  Prepares (does not start) caseflow-<name> with a fresh data directory
//  and fresh loopback ports.
static inline void
bk_service_init (bk_service_t *self, const char *name)
{
    memset (self, 0, sizeof *self);
    snprintf (self->name, sizeof self->name, "%s", name);
    char label [64], binary [64], data [300];
    snprintf (label, sizeof label, "bench-%s", name);
    snprintf (binary, sizeof binary, "caseflow-%s", name);
    self->dir = cf_test_tmpdir (label);
    snprintf (data, sizeof data, "%s/data", self->dir);
    //  For profiling: BENCH_WRAP=<program> runs the service as <program>
    //  <flags> with BENCH_REAL=<service binary> in its environment (e.g.
    //  a script that execs valgrind --tool=callgrind "$BENCH_REAL" "$@").
    const char *wrap = getenv ("BENCH_WRAP");
    cf_testproc_init (&self->proc, wrap && *wrap ? wrap : cf_test_binary (binary), data);
    if (wrap && *wrap)
        cf_testproc_setenv (&self->proc, "BENCH_REAL", cf_test_binary (binary));
}

//  Services started and not destroyed yet: a benchmark that exits early
//  (a failure, a signal) kills them and removes their files.
static bk_service_t *bk_live [16];

static inline void
bk_cleanup (void)
{
    for (size_t i = 0; i < sizeof bk_live / sizeof bk_live [0]; i++) {
        bk_service_t *service = bk_live [i];
        if (!service)
            continue;
        bk_live [i] = NULL;
        if (service->proc.pid > 0) {
            kill (service->proc.pid, SIGKILL);
            waitpid (service->proc.pid, NULL, 0);
        }
        if (service->dir)
            cf_test_rmtree (service->dir);
    }
}

static inline void
bk_on_signal (int signum)
{
    (void) signum;
    exit (3);                   //  runs bk_cleanup
}

static inline void
bk_live_set (bk_service_t *self, bool live)
{
    static bool registered = false;
    if (!registered) {
        registered = true;
        atexit (bk_cleanup);
        signal (SIGINT, bk_on_signal);
        signal (SIGTERM, bk_on_signal);
    }
    for (size_t i = 0; i < sizeof bk_live / sizeof bk_live [0]; i++)
        if (live ? bk_live [i] == NULL : bk_live [i] == self) {
            bk_live [i] = live ? self : NULL;
            return;
        }
}

//  Starts it with `extra` flags; with `wait_ms` > 0 waits that long for
//  /readyz. Exits the benchmark when it does not start.
static inline void
bk_service_start (bk_service_t *self, const char *const *extra, int wait_ms)
{
    bk_live_set (self, true);
    if (cf_testproc_start (&self->proc, extra)) {
        fprintf (stderr, "cannot start %s\n", self->proc.binary);
        exit (1);
    }
    if (wait_ms > 0 && !cf_testproc_wait_ready (&self->proc, wait_ms)) {
        fprintf (stderr, "%s did not become ready (log %s)\n", self->name, self->proc.log_path);
        cf_test_dump_log (self->proc.log_path);
        exit (1);
    }
}

//  Stops it (SIGTERM), removes its files, frees.
static inline void
bk_service_destroy (bk_service_t *self)
{
    bk_live_set (self, false);
    if (self->proc.pid > 0 && cf_testproc_stop (&self->proc, SIGTERM, 30000) != 0)
        fprintf (stderr, "%s did not stop cleanly (log %s)\n", self->name, self->proc.log_path);
    cf_testproc_destroy (&self->proc);
    cf_test_rmtree (self->dir);
    free (self->dir);
    self->dir = NULL;
}

//  Counts error lines in the service's log (JSON lines, "level":"error").
static inline size_t
bk_log_errors (const bk_service_t *self)
{
    FILE *file = fopen (self->proc.log_path, "r");
    char line [4096];
    size_t errors = 0;
    while (file && fgets (line, sizeof line, file))
        if (strstr (line, "\"level\":\"error\""))
            errors++;
    if (file)
        fclose (file);
    return errors;
}

//  An empty upstream producer for services started alone: one ROUTER
//  answering every replay request with "nothing after your cursor" (so
//  the service's subscribers are caught up at once and it becomes ready),
//  and one PUB that stays silent. Every upstream of the service may point
//  at the same pair: --<stream>-api=fake->api --<stream>-events=fake->events.
typedef struct {
    zactor_t *actor;
    char api [64];
    char events [64];
} bk_fake_t;

static inline void
bk_fake_actor (zsock_t *pipe, void *args)
{
    bk_fake_t *self = args;
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    assert (router && pub);
    zsock_set_linger (router, 0);
    int api_port = zsock_bind (router, "tcp://127.0.0.1:*");
    int events_port = zsock_bind (pub, "tcp://127.0.0.1:*");
    assert (api_port > 0 && events_port > 0);
    snprintf (self->api, sizeof self->api, "tcp://127.0.0.1:%d", api_port);
    snprintf (self->events, sizeof self->events, "tcp://127.0.0.1:%d", events_port);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        zsock_t *which = zpoller_wait (poller, -1);
        if (which != router)
            break;
        zmsg_t *msg = zmsg_recv (router);
        if (!msg)
            break;
        zframe_t *identity = zmsg_pop (msg);
        zframe_t *body = zmsg_pop (msg);
        Caseflow__V1__Request *request =
            body ? caseflow__v1__request__unpack (NULL, zframe_size (body), zframe_data (body))
                 : NULL;
        if (request && request->body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY) {
            Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
            batch.stream = request->replay->stream;
            batch.last_seq = request->replay->from_seq ? request->replay->from_seq - 1 : 0;
            Caseflow__V1__Reply reply = CASEFLOW__V1__REPLY__INIT;
            reply.request_id = request->request_id;
            reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
            reply.replay = &batch;
            uint8_t buffer [512];
            size_t size = caseflow__v1__reply__pack (&reply, buffer);
            zframe_send (&identity, router, ZFRAME_MORE);
            zmq_send (zsock_resolve (router), buffer, size, 0);
        }
        if (request)
            caseflow__v1__request__free_unpacked (request, NULL);
        zframe_destroy (&identity);
        zframe_destroy (&body);
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    zsock_destroy (&pub);
}

static inline bk_fake_t *
bk_fake_new (void)
{
    bk_fake_t *self = calloc (1, sizeof *self);
    assert (self);
    self->actor = zactor_new (bk_fake_actor, self);
    assert (self->actor);
    return self;
}

static inline void
bk_fake_destroy (bk_fake_t **self_p)
{
    if (*self_p) {
        zactor_destroy (&(*self_p)->actor);
        free (*self_p);
        *self_p = NULL;
    }
}

//  Adds to `argv` (at *argc_p, bounded by `cap`) the flags pointing every
//  stream in `upstreams` (NULL-terminated) at the fake; the strings are
//  kept in `storage` (at least 2 * 160 bytes per upstream).
static inline void
bk_fake_flags (const bk_fake_t *self, const char *const *upstreams, const char **argv,
               size_t *argc_p, size_t cap, char *storage)
{
    for (size_t i = 0; upstreams [i] && *argc_p + 2 < cap; i++) {
        char *events = storage + 320 * i, *api = events + 160;
        snprintf (events, 160, "--%s-events=%s", upstreams [i], self->events);
        snprintf (api, 160, "--%s-api=%s", upstreams [i], self->api);
        argv [(*argc_p)++] = events;
        argv [(*argc_p)++] = api;
    }
    argv [*argc_p] = NULL;
}

//  The upstream streams of each caseflow service (as in its main).
static inline const char *const *
bk_upstreams (const char *service)
{
    static const char *const intake [] = { "handover", "assignment", NULL };
    static const char *const assignment [] = { "intake", NULL };
    static const char *const notification [] = { "intake", "assignment", "handover", NULL };
    static const char *const none [] = { NULL };
    if (strcmp (service, "intake") == 0)
        return intake;
    if (strcmp (service, "assignment") == 0)
        return assignment;
    if (strcmp (service, "notification") == 0)
        return notification;
    return none;
}

//  ----------------------------------------------------------- requests

//  Request ids are "bk<index>" so a reply maps back to its request.
static inline size_t
bk_request_index (const char *request_id)
{
    return request_id && request_id [0] == 'b' && request_id [1] == 'k'
             ? (size_t) strtoull (request_id + 2, NULL, 10)
             : SIZE_MAX;
}

//  A BSN (9 digits passing the eleven-test) for `number`, or "" when the
//  number's digits admit none.
static inline void
bk_bsn (char bsn [16], uint64_t number)
{
    char digits [16];
    snprintf (digits, sizeof digits, "%08" PRIu64, (number % 99999999) + 1);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (9 - i) * (digits [i] - '0');
    int check = sum % 11;
    if (check == 10) {
        bsn [0] = 0;
        return;
    }
    snprintf (bsn, 16, "%.8s%d", digits, check);
}

//  Packs an intake Register for resident number `index` (a new resident:
//  a new case) with request id bk<index>. Returns the size.
static inline size_t
bk_pack_register (uint8_t *buffer, size_t cap, size_t index)
{
    char request_id [32], name [48], birth [16], phone [24], district [16], bsn [16];
    snprintf (request_id, sizeof request_id, "bk%zu", index);
    snprintf (name, sizeof name, "Resident %zu", index);
    snprintf (birth, sizeof birth, "19%02zu-%02zu-%02zu", 40 + index % 60, 1 + index % 12,
              1 + index % 28);
    snprintf (phone, sizeof phone, "06 %08zu", index % 100000000);
    snprintf (district, sizeof district, "D%02zu", index % 20);
    bk_bsn (bsn, index);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = name;
    resident.birth_date = birth;
    resident.phone = phone;
    resident.district = district;
    resident.bsn = bsn;
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 2;
    body.question = "Rent arrears since the spring and a letter from the housing corporation";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.reason = "regular: no acute risk";
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    inner.register_ = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = request_id;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    assert (size <= cap);
    return caseflow__v1__request__pack (&request, buffer);
}

//  Packs a test service Increment of one of 64 counters.
static inline size_t
bk_pack_increment (uint8_t *buffer, size_t cap, size_t index)
{
    char request_id [32], counter [16];
    snprintf (request_id, sizeof request_id, "bk%zu", index);
    snprintf (counter, sizeof counter, "c%02zu", index % 64);
    Caseflow__V1__Testing__Increment body = CASEFLOW__V1__TESTING__INCREMENT__INIT;
    body.counter = counter;
    body.amount = 1;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INCREMENT;
    command.increment = &body;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = request_id;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    assert (size <= cap);
    return caseflow__v1__request__pack (&request, buffer);
}

//  ------------------------------------------------------ the generator

typedef struct bk_drive_s bk_drive_t;

struct bk_drive_s {
    //  Set by the caller.
    const char *endpoint;       //  the service's api
    int sockets;                //  DEALERs (requests go round robin)
    double rate;                //  offered requests/s; 0: closed loop
    size_t window;              //  closed loop: requests outstanding
    size_t count;               //  requests to send
    int64_t timeout_ns;         //  give up this long after the last send
    size_t (*pack) (uint8_t *buffer, size_t cap, size_t index);
    //  Called for each OK reply (may be NULL).
    void (*on_reply) (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply,
                      int64_t now);
    //  An extra socket polled in the loop, and its reader (called when it
    //  may have input; must read until nothing is left). The loop ends
    //  only when `done` says so (NULL: when every reply came).
    zsock_t *extra;
    void (*on_extra) (bk_drive_t *drive, int64_t now);
    bool (*done) (bk_drive_t *drive);
    void *ctx;

    //  Results.
    int64_t *scheduled;         //  [index]: when it was due to be sent (ns)
    int64_t *latency;           //  [index]: reply - scheduled (ns), -1: no OK reply
    size_t sent, replied, ok, failed;
    int64_t started, last_sent, finished, last_reply;
    char first_error [160];
};

static inline void
bk_drive_read (bk_drive_t *self, zsock_t *socket)
{
    void *handle = zsock_resolve (socket);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (zmq_msg_recv (&msg, handle, ZMQ_DONTWAIT) >= 0) {
        int64_t now = bk_now_ns ();
        Caseflow__V1__Reply *reply =
            caseflow__v1__reply__unpack (NULL, zmq_msg_size (&msg), zmq_msg_data (&msg));
        size_t index = reply ? bk_request_index (reply->request_id) : SIZE_MAX;
        if (index < self->count && self->latency [index] == -2) {
            self->replied++;
            self->last_reply = now;
            bool ok = !reply->status
                   || reply->status->code == CASEFLOW__V1__STATUS__CODE__OK;
            if (ok) {
                self->ok++;
                self->latency [index] = now - self->scheduled [index];
                if (self->on_reply)
                    self->on_reply (self, index, reply, now);
            }
            else {
                self->failed++;
                self->latency [index] = -1;
                if (!self->first_error [0])
                    snprintf (self->first_error, sizeof self->first_error, "%s: %s",
                              cf_api_code_name (reply->status->code),
                              reply->status->message ? reply->status->message : "");
            }
        }
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    zmq_msg_close (&msg);
}

static inline bool
bk_pollin (zsock_t *socket)
{
    return (zsock_events (socket) & ZMQ_POLLIN) != 0;
}

//  Runs the load. Returns 0 when every request got an OK reply (and
//  `done` said so), else 1 (the figures are still filled).
static inline int
bk_drive_run (bk_drive_t *self)
{
    assert (self->sockets > 0 && self->sockets <= 256);
    self->scheduled = calloc (self->count + 1, sizeof *self->scheduled);
    self->latency = calloc (self->count + 1, sizeof *self->latency);
    assert (self->scheduled && self->latency);
    for (size_t i = 0; i < self->count; i++)
        self->latency [i] = -2;         //  not answered yet
    zsock_t *dealers [256];
    struct pollfd fds [257];
    size_t nfds = 0;
    for (int i = 0; i < self->sockets; i++) {
        dealers [i] = zsock_new (ZMQ_DEALER);
        assert (dealers [i]);
        zsock_set_sndhwm (dealers [i], 0);
        zsock_set_rcvhwm (dealers [i], 0);
        zsock_set_linger (dealers [i], 0);
        int rc = zsock_connect (dealers [i], "%s", self->endpoint);
        assert (rc == 0);
        fds [nfds++] = (struct pollfd) { .fd = zsock_fd (dealers [i]), .events = POLLIN };
    }
    if (self->extra)
        fds [nfds++] = (struct pollfd) { .fd = zsock_fd (self->extra), .events = POLLIN };
    //  Let the connections settle before the clock starts.
    zclock_sleep (200);

    uint8_t buffer [2048];
    int64_t interval = self->rate > 0 ? (int64_t) (1e9 / self->rate) : 0;
    self->started = bk_now_ns ();
    int64_t give_up = INT64_MAX;
    size_t next = 0;
    while (true) {
        int64_t now = bk_now_ns ();
        //  Send what is due.
        while (next < self->count) {
            int64_t due = interval ? self->started + (int64_t) next * interval : now;
            if (interval ? due > now : next - self->replied >= self->window)
                break;
            size_t size = self->pack (buffer, sizeof buffer, next);
            self->scheduled [next] = due;
            zsock_t *dealer = dealers [next % (size_t) self->sockets];
            int rc = zmq_send (zsock_resolve (dealer), buffer, size, ZMQ_DONTWAIT);
            assert (rc >= 0);
            next++;
            self->sent++;
            if (next == self->count) {
                self->last_sent = bk_now_ns ();
                give_up = self->last_sent + self->timeout_ns;
            }
        }
        //  Read what came.
        for (int i = 0; i < self->sockets; i++)
            if (bk_pollin (dealers [i]))
                bk_drive_read (self, dealers [i]);
        if (self->extra && self->on_extra)
            self->on_extra (self, bk_now_ns ());
        bool all_replied = self->replied == self->count;
        if (all_replied && (!self->done || self->done (self)))
            break;
        now = bk_now_ns ();
        if (now > give_up)
            break;
        //  Sleep until the next send is due or a socket wakes us.
        bool input = false;
        for (int i = 0; i < self->sockets && !input; i++)
            input = bk_pollin (dealers [i]);
        if (self->extra && !input)
            input = bk_pollin (self->extra);
        if (input)
            continue;
        int64_t wait = 100 * BK_NS_PER_MS;
        if (interval && next < self->count) {
            int64_t due = self->started + (int64_t) next * interval;
            wait = due > now ? due - now : 0;
        }
        else
        if (!interval && next < self->count && next - self->replied < self->window)
            wait = 0;
        if (wait > 0) {
            struct timespec timeout = { wait / BK_NS_PER_S, wait % BK_NS_PER_S };
            ppoll (fds, nfds, &timeout, NULL);
        }
    }
    self->finished = bk_now_ns ();
    for (int i = 0; i < self->sockets; i++)
        zsock_destroy (&dealers [i]);
    return self->ok == self->count && (!self->done || self->done (self)) ? 0 : 1;
}

//  Sorts the latencies of the OK replies into a fresh array (free with
//  free); sets *count_p.
static inline int64_t *
bk_drive_sorted (const bk_drive_t *self, size_t *count_p)
{
    int64_t *sorted = malloc ((self->count + 1) * sizeof *sorted);
    assert (sorted);
    size_t count = 0;
    for (size_t i = 0; i < self->count; i++)
        if (self->latency [i] >= 0)
            sorted [count++] = self->latency [i];
    qsort (sorted, count, sizeof *sorted, bk_compare_i64);
    *count_p = count;
    return sorted;
}

static inline void
bk_drive_free (bk_drive_t *self)
{
    free (self->scheduled);
    free (self->latency);
    self->scheduled = self->latency = NULL;
}

//  Prints the throughput and latency of a run, human and @@ lines under
//  `key` (key.rate, key.p50_ms, key.p99_ms, key.p999_ms, key.max_ms).
//  The rate is OK replies over the time from the first send to the last
//  reply.
static inline void
bk_drive_report (const bk_drive_t *self, const char *key, const char *label)
{
    size_t count;
    int64_t *sorted = bk_drive_sorted (self, &count);
    double seconds = (double) (self->last_reply - self->started) / 1e9;
    double rate = seconds > 0 ? (double) self->ok / seconds : 0;
    double p50 = (double) bk_percentile (sorted, count, 50) / 1e6;
    double p99 = (double) bk_percentile (sorted, count, 99) / 1e6;
    double p999 = (double) bk_percentile (sorted, count, 99.9) / 1e6;
    double max = count ? (double) sorted [count - 1] / 1e6 : 0;
    printf ("%-44s %8zu ok %6zu failed  %9.0f /s  latency ms p50 %7.2f  p99 %7.2f  "
            "p99.9 %7.2f  max %7.2f\n",
            label, self->ok, self->count - self->ok, rate, p50, p99, p999, max);
    if (self->first_error [0])
        printf ("    first refusal: %s\n", self->first_error);
    char name [160];
    snprintf (name, sizeof name, "%.100s.rate", key);
    bk_figure (name, rate);
    snprintf (name, sizeof name, "%.100s.p50_ms", key);
    bk_figure (name, p50);
    snprintf (name, sizeof name, "%.100s.p99_ms", key);
    bk_figure (name, p99);
    snprintf (name, sizeof name, "%.100s.p999_ms", key);
    bk_figure (name, p999);
    snprintf (name, sizeof name, "%.100s.max_ms", key);
    bk_figure (name, max);
    free (sorted);
}

#endif
