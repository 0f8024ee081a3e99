//  bench_kit: figures, services and the empty upstream producer the
//  benchmarks share (see bench_kit.h).
#include "bench_kit.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

//  ----------------------------------------------------------- figures

int64_t
bk_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * BK_NS_PER_S + now.tv_nsec;
}

void
bk_figure (const char *key, double value)
{
    printf ("@@ %s %.6g\n", key, value);
    fflush (stdout);
}

void
bk_figuref (double value, const char *format, ...)
{
    char key [256];
    va_list args;
    va_start (args, format);
    vsnprintf (key, sizeof key, format, args);
    va_end (args);
    bk_figure (key, value);
}

int
bk_compare_i64 (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

int64_t
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

bk_latency_t
bk_latency (const int64_t *sorted, size_t count, size_t done, int64_t ns)
{
    double seconds = (double) ns / 1e9;
    return (bk_latency_t){
        .rate = seconds > 0 ? (double) done / seconds : 0,
        .p50_ms = (double) bk_percentile (sorted, count, 50) / 1e6,
        .p99_ms = (double) bk_percentile (sorted, count, 99) / 1e6,
        .p999_ms = (double) bk_percentile (sorted, count, 99.9) / 1e6,
        .max_ms = count ? (double) sorted [count - 1] / 1e6 : 0,
    };
}

void
bk_latency_figures (const char *key, const bk_latency_t *latency)
{
    bk_figuref (latency->rate, "%s.rate", key);
    bk_figuref (latency->p50_ms, "%s.p50_ms", key);
    bk_figuref (latency->p99_ms, "%s.p99_ms", key);
    bk_figuref (latency->p999_ms, "%s.p999_ms", key);
    bk_figuref (latency->max_ms, "%s.max_ms", key);
}

double
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

double
bk_proc_kib (pid_t pid, const char *field)
{
    return cf_test_proc_kib (pid, field);
}

size_t
bk_proc_entries (pid_t pid, const char *folder)
{
    char path [64];
    snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, folder);
    DIR *dir = opendir (path);
    if (!dir)
        return 0;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir (dir)))
        if (entry->d_name [0] != '.')
            count++;
    closedir (dir);
    return count;
}

double
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
    if (!rest
        || sscanf (rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime)
               != 2)
        return 0;
    return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

int
bk_size_option (int argc, char **argv, const char *usage)
{
    int size = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp (argv [i], "--smoke") == 0)
            size = 1;
        else if (strcmp (argv [i], "--quick") == 0)
            size = 2;
        else {
            fprintf (stderr, "usage: %s %s\n", argv [0], usage);
            exit (2);
        }
    }
    return size;
}

int
bk_main_init (int argc, char **argv, const char *usage)
{
    int size = bk_size_option (argc, argv, usage);
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    return size;
}

bool
bk_selected (const char *key)
{
    const char *only = getenv ("BENCH_ONLY");
    return !only || !*only || strncmp (key, only, strlen (only)) == 0;
}

//  ------------------------------------------------- cleanup on any exit

//  What is running and not destroyed yet, so that a benchmark that ends
//  early (a failure, exit, a signal) leaves no process or store behind.
//  The fakes must be stopped before czmq's own exit handler closes their
//  sockets under them (czmq then asserts in the actor's thread): the
//  handler below is registered after czmq's, so it runs first.
#define S_LIVE_MAX 32

static void *s_live_services [S_LIVE_MAX];  //  bk_service_t *
static void *s_live_fakes [S_LIVE_MAX];     //  bk_fake_t *

static void
s_cleanup (void)
{
    for (size_t i = 0; i < S_LIVE_MAX; i++) {
        bk_service_t *service = s_live_services [i];
        if (service) {
            s_live_services [i] = NULL;
            if (service->proc.pid > 0) {
                kill (service->proc.pid, SIGKILL);
                waitpid (service->proc.pid, NULL, 0);
                service->proc.pid = 0;
            }
            cf_test_rmtree (service->dir);
        }
    }
    for (size_t i = 0; i < S_LIVE_MAX; i++)
        if (s_live_fakes [i]) {
            bk_fake_t *fake = s_live_fakes [i];
            bk_fake_destroy (&fake);
        }
}

static void
s_on_signal (int signum)
{
    //  kill is safe here; the rest (waiting, removing files) runs in exit.
    for (size_t i = 0; i < S_LIVE_MAX; i++) {
        const bk_service_t *service = s_live_services [i];
        if (service && service->proc.pid > 0)
            kill (service->proc.pid, SIGKILL);
    }
    exit (128 + signum);
}

static void
s_init_once (void)
{
    static bool done = false;
    if (done)
        return;
    done = true;
    zsys_init ();
    atexit (s_cleanup);
    signal (SIGINT, s_on_signal);
    signal (SIGTERM, s_on_signal);
}

//  Adds `item` to `list` (live) or takes it out.
static void
s_track (void **list, void *item, bool live)
{
    s_init_once ();
    for (size_t i = 0; i < S_LIVE_MAX; i++)
        if (live ? list [i] == NULL : list [i] == item) {
            list [i] = live ? item : NULL;
            return;
        }
    assert (!live && "more than S_LIVE_MAX services or fakes at once");
}

//  ---------------------------------------------------------- services

void
bk_service_init (bk_service_t *self, const char *name)
{
    s_init_once ();
    memset (self, 0, sizeof *self);
    snprintf (self->name, sizeof self->name, "%s", name);
    char label [64], binary [64], data [300];
    snprintf (label, sizeof label, "bench-%s", name);
    snprintf (binary, sizeof binary, "caseflow-%s", name);
    self->dir = cf_test_tmpdir (label);
    snprintf (data, sizeof data, "%s/data", self->dir);
    const char *wrap = getenv ("BENCH_WRAP");
    cf_testproc_init (&self->proc, wrap && *wrap ? wrap : cf_test_binary (binary), data);
    self->proc.die_with_parent = true;
    if (wrap && *wrap)
        cf_testproc_setenv (&self->proc, "BENCH_REAL", cf_test_binary (binary));
    s_track (s_live_services, self, true);
}

int
bk_service_launch (bk_service_t *self, const char *const *extra)
{
    assert (self->proc.pid <= 0);
    self->launched = bk_now_ns ();
    self->ready_s = 0;
    if (cf_testproc_start (&self->proc, extra)) {
        fprintf (stderr, "cannot start %s: fork: %s\n", self->proc.binary, strerror (errno));
        return BK_EFAILED;
    }
    return 0;
}

bool
bk_service_lost_port (const bk_service_t *self)
{
    FILE *file = fopen (self->proc.log_path, "r");
    char line [4096];
    bool taken = false;
    while (file && !taken && fgets (line, sizeof line, file))
        taken = strstr (line, "Address already in use") != NULL;
    if (file)
        fclose (file);
    return taken;
}

//  True unless it is certain that process `pid` holds no socket listening
//  on TCP `port`: a /readyz answer may come from another program that
//  took the port this service was given (this one then fails to bind).
static bool
s_listens (pid_t pid, int port)
{
    FILE *file = fopen ("/proc/net/tcp", "r");
    if (!file)
        return true;
    unsigned long inodes [8];
    size_t count = 0;
    char line [512];
    while (fgets (line, sizeof line, file) && count < 8) {
        unsigned local_port, state;
        unsigned long inode;
        if (sscanf (line, " %*u: %*x:%x %*x:%*x %x %*x:%*x %*x:%*x %*x %*u %*u %lu", &local_port,
                    &state, &inode)
                == 3
            && (int) local_port == port && state == 0x0A)
            inodes [count++] = inode;
    }
    fclose (file);
    if (count == 0)
        return true;  //  no IPv4 listener seen: cannot tell
    char path [64];
    snprintf (path, sizeof path, "/proc/%d/fd", (int) pid);
    DIR *fds = opendir (path);
    if (!fds)
        return false;  //  the process is gone
    bool found = false;
    struct dirent *entry;
    while (!found && (entry = readdir (fds))) {
        char link [600], target [64];
        snprintf (link, sizeof link, "%s/%s", path, entry->d_name);
        ssize_t len = readlink (link, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target [len] = 0;
        for (size_t i = 0; i < count && !found; i++) {
            char want [40];
            snprintf (want, sizeof want, "socket:[%lu]", inodes [i]);
            found = strcmp (target, want) == 0;
        }
    }
    closedir (fds);
    return found;
}

int
bk_service_await (bk_service_t *self, int wait_ms)
{
    const char *wrap = getenv ("BENCH_WRAP");
    int64_t give_up = bk_now_ns () + (int64_t) wait_ms * BK_NS_PER_MS;
    while (true) {
        if (cf_test_http_get (self->proc.http_port, "/readyz", NULL) == 200) {
            int64_t ready_at = bk_now_ns ();
            //  A wrapper may run the service in a child of its own: then the
            //  listener is not this pid's.
            if ((wrap && *wrap) || s_listens (self->proc.pid, self->proc.http_port)) {
                self->ready_s = (double) (ready_at - self->launched) / 1e9;
                return BK_READY;
            }
            fprintf (stderr,
                     "%s: another program answers on its http port %d; starting it "
                     "again on fresh ports\n",
                     self->name, self->proc.http_port);
            cf_testproc_stop (&self->proc, SIGKILL, 5000);
            return BK_EPORT;
        }
        int status;
        if (waitpid (self->proc.pid, &status, WNOHANG) == self->proc.pid) {
            self->proc.pid = 0;
            if (bk_service_lost_port (self)) {
                fprintf (stderr,
                         "%s: a port it was given was taken meanwhile; starting it "
                         "again on fresh ports\n",
                         self->name);
                return BK_EPORT;
            }
            bool exited = WIFEXITED (status);
            fprintf (stderr, "%s exited while starting (%s %d%s; log %s)\n", self->name,
                     exited ? "status" : "signal",
                     exited ? WEXITSTATUS (status) : WTERMSIG (status),
                     exited && WEXITSTATUS (status) == 127 ? ": could not execute it" : "",
                     self->proc.log_path);
            cf_test_dump_log (self->proc.log_path);
            return BK_EFAILED;
        }
        if (bk_now_ns () > give_up) {
            fprintf (stderr,
                     "%s not ready after %.0f s: /readyz on port %d never answered "
                     "200 (log %s)\n",
                     self->name, wait_ms / 1000.0, self->proc.http_port, self->proc.log_path);
            cf_test_dump_log (self->proc.log_path);
            cf_testproc_stop (&self->proc, SIGKILL, 5000);
            return BK_EFAILED;
        }
        //  Short polls: bench_replay times the start to ready.
        zclock_sleep (2);
    }
}

void
bk_service_new_ports (bk_service_t *self)
{
    assert (self->proc.pid <= 0);
    self->proc.http_port = cf_test_free_port ();
    snprintf (self->proc.api, sizeof self->proc.api, "tcp://127.0.0.1:%d", cf_test_free_port ());
    snprintf (self->proc.events, sizeof self->proc.events, "tcp://127.0.0.1:%d",
              cf_test_free_port ());
    unlink (self->proc.log_path);
}

int
bk_service_start (bk_service_t *self, const char *const *extra, int wait_ms)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0)
            bk_service_new_ports (self);
        if (bk_service_launch (self, extra))
            return BK_EFAILED;
        int rc = bk_service_await (self, wait_ms);
        if (rc != BK_EPORT)
            return rc;
    }
    fprintf (stderr, "%s: ports taken on three tries; giving up\n", self->name);
    return BK_EFAILED;
}

int
bk_service_stop (bk_service_t *self)
{
    if (self->proc.pid <= 0)
        return 0;
    int status = cf_testproc_stop (&self->proc, SIGTERM, 30000);
    if (status != 0)
        fprintf (stderr, "%s did not stop cleanly (%d; log %s)\n", self->name, status,
                 self->proc.log_path);
    return status;
}

void
bk_service_destroy (bk_service_t *self)
{
    bk_service_stop (self);
    s_track (s_live_services, self, false);
    cf_testproc_destroy (&self->proc);
    cf_test_rmtree (self->dir);
    free (self->dir);
    self->dir = NULL;
}

size_t
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

size_t
bk_service_errors (const bk_service_t *self, const char *program)
{
    size_t errors = bk_log_errors (self);
    if (errors) {
        fprintf (stderr, "%s: %s logged %zu errors\n", program, self->name, errors);
        cf_test_dump_log (self->proc.log_path);
    }
    return errors;
}

const char *const *
bk_upstreams (const char *service)
{
    static const char *const intake [] = { "handover", "assignment", "notification", NULL };
    static const char *const assignment [] = { "intake", NULL };
    static const char *const notification [] = { "intake", "assignment", "handover", NULL };
    static const char *const handover [] = { "intake", NULL };
    static const char *const gateway [] = { "intake", "handover", "assignment", "notification",
                                            NULL };
    static const char *const console [] = { "intake",       "assignment", "handover",
                                            "notification", "gateway",    NULL };
    static const char *const none [] = { NULL };
    if (strcmp (service, "intake") == 0)
        return intake;
    if (strcmp (service, "handover") == 0)
        return handover;
    if (strcmp (service, "assignment") == 0)
        return assignment;
    if (strcmp (service, "notification") == 0)
        return notification;
    if (strcmp (service, "gateway") == 0)
        return gateway;
    if (strcmp (service, "console") == 0)
        return console;
    return none;
}

//  Launches the services, each following its upstreams among them at
//  their current ports, and waits for all of them. A service that lost a
//  port to another program gets fresh ones and all start again (their
//  flags name each other's ports).
int
bk_fleet_start (bk_service_t *services, size_t count, const char *program)
{
    assert (count <= BK_FLEET_MAX);
    for (int attempt = 0; attempt < 3; attempt++) {
        char flags [BK_FLEET_MAX][2 * BK_FLEET_MAX][200];
        const char *argv [BK_FLEET_MAX][2 * BK_FLEET_MAX + 4];
        bool launched = true;
        for (size_t i = 0; i < count && launched; i++) {
            size_t argc = 0;
            argv [i][argc++] = "--log-level=warn";
            argv [i][argc++] = "--map-size=16G";
            //  The benchmark's subscriber must not be dropped at the PUB's
            //  high-water mark (the services catch up through replay, a
            //  consumer that only listens would not).
            argv [i][argc++] = "--pub-hwm=10000000";
            const char *const *upstreams = bk_upstreams (services [i].name);
            for (size_t u = 0; upstreams [u]; u++)
                for (size_t j = 0; j < count; j++)
                    if (strcmp (services [j].name, upstreams [u]) == 0) {
                        snprintf (flags [i][2 * u], 200, "--%.40s-events=%.100s", upstreams [u],
                                  services [j].proc.events);
                        snprintf (flags [i][2 * u + 1], 200, "--%.40s-api=%.100s", upstreams [u],
                                  services [j].proc.api);
                        argv [i][argc++] = flags [i][2 * u];
                        argv [i][argc++] = flags [i][2 * u + 1];
                    }
            argv [i][argc] = NULL;
            launched = bk_service_launch (&services [i], argv [i]) == 0;
        }
        //  A service waits for its upstreams before it is ready: after a
        //  lost port, waiting for the others is pointless.
        int rc = launched ? BK_READY : BK_EFAILED;
        size_t lost = SIZE_MAX;
        for (size_t i = 0; i < count && rc == BK_READY; i++) {
            rc = bk_service_await (&services [i], 60000);
            if (rc == BK_EPORT)
                lost = i;
        }
        if (rc == BK_READY)
            return 0;
        //  Killed: they may still be starting, and their exit says nothing.
        for (size_t i = 0; i < count; i++)
            cf_testproc_stop (&services [i].proc, SIGKILL, 5000);
        if (rc == BK_EFAILED)
            return -1;
        //  Another service may have lost a port too; the rest start over
        //  with empty logs (their complaints about the missing peer are
        //  no error of the next run).
        for (size_t i = 0; i < count; i++)
            if (i == lost || bk_service_lost_port (&services [i]))
                bk_service_new_ports (&services [i]);
            else
                unlink (services [i].proc.log_path);
    }
    fprintf (stderr, "%s: ports taken on three tries; giving up\n", program);
    return -1;
}

//  ------------------------------------------------------ fake upstream

//  Answers one replay request with a batch ending where it was asked
//  from: a subscriber with a cursor asks first from the cursor's own seq
//  (stream identity, cf_bus_subscriber.h), and is shown an event there
//  without an id (which it cannot compare: it takes it as the producer's)
//  at the head, so it is caught up at once; from seq 1, an empty stream.
static void
s_fake_answer (zsock_t *router, zmsg_t *msg)
{
    zframe_t *identity = zmsg_first (msg);
    zframe_t *body = zmsg_next (msg);
    Caseflow__V1__Request *request =
        body ? caseflow__v1__request__unpack (NULL, zframe_size (body), zframe_data (body)) : NULL;
    if (request && request->body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY) {
        Caseflow__V1__ReplayBatch batch = CASEFLOW__V1__REPLAY_BATCH__INIT;
        batch.stream = request->replay->stream;
        uint64_t from = request->replay->from_seq;
        Caseflow__V1__Event at_cursor = CASEFLOW__V1__EVENT__INIT;
        Caseflow__V1__Event *events [1] = { &at_cursor };
        at_cursor.stream = batch.stream;
        at_cursor.seq = from;
        batch.last_seq = from > 1 ? from : 0;
        batch.n_events = from > 1 ? 1 : 0;
        batch.events = events;
        Caseflow__V1__Reply reply = CASEFLOW__V1__REPLY__INIT;
        reply.request_id = request->request_id;
        reply.result_case = CASEFLOW__V1__REPLY__RESULT_REPLAY;
        reply.replay = &batch;
        uint8_t buffer [512];
        size_t size = caseflow__v1__reply__get_packed_size (&reply);
        //  A ROUTER drops what it cannot route (the service went away):
        //  nothing to check beyond the size.
        if (size <= sizeof buffer) {
            caseflow__v1__reply__pack (&reply, buffer);
            if (zframe_send (&identity, router, ZFRAME_MORE | ZFRAME_REUSE) == 0)
                zmq_send (zsock_resolve (router), buffer, size, 0);
        }
    }
    if (request)
        caseflow__v1__request__free_unpacked (request, NULL);
}

static void
s_fake_actor (zsock_t *pipe, void *args)
{
    bk_fake_t *self = args;
    //  SIGINT and SIGTERM go to the main thread: their handler exits, and
    //  exit stops this thread and waits for it.
    sigset_t signals;
    sigemptyset (&signals);
    sigaddset (&signals, SIGINT);
    sigaddset (&signals, SIGTERM);
    pthread_sigmask (SIG_BLOCK, &signals, NULL);
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    int api_port = -1, events_port = -1;
    if (router && pub) {
        zsock_set_linger (router, 0);
        zsock_set_linger (pub, 0);
        api_port = zsock_bind (router, "tcp://127.0.0.1:*");
        events_port = api_port > 0 ? zsock_bind (pub, "tcp://127.0.0.1:*") : -1;
    }
    if (api_port > 0 && events_port > 0) {
        snprintf (self->api, sizeof self->api, "tcp://127.0.0.1:%d", api_port);
        snprintf (self->events, sizeof self->events, "tcp://127.0.0.1:%d", events_port);
    } else
        snprintf (self->error, sizeof self->error, "%s: %s",
                  router && pub ? "zsock_bind" : "zsock_new", zmq_strerror (zmq_errno ()));
    zsock_signal (pipe, 0);
    zpoller_t *poller = self->error [0] ? NULL : zpoller_new (pipe, router, NULL);
    while (poller) {
        //  Anything on the pipe is $TERM; NULL is an interrupt or the end.
        if (zpoller_wait (poller, -1) != router)
            break;
        zmsg_t *msg = zmsg_recv (router);
        if (!msg)
            break;
        s_fake_answer (router, msg);
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    zsock_destroy (&pub);
}

bk_fake_t *
bk_fake_new (void)
{
    s_init_once ();
    bk_fake_t *self = calloc (1, sizeof *self);
    assert (self);
    //  zactor_new returns once the actor signalled: api/events or error
    //  are set by then.
    self->actor = zactor_new (s_fake_actor, self);
    if (!self->actor || self->error [0]) {
        fprintf (stderr, "bench: the fake upstream could not start: %s\n",
                 self->actor ? self->error : "zactor_new failed");
        zactor_destroy (&self->actor);
        free (self);
        return NULL;
    }
    s_track (s_live_fakes, self, true);
    return self;
}

void
bk_fake_destroy (bk_fake_t **self_p)
{
    bk_fake_t *self = *self_p;
    if (!self)
        return;
    s_track (s_live_fakes, self, false);
    zactor_destroy (&self->actor);
    free (self);
    *self_p = NULL;
}

void
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
