//  bench_raw: the physical limits the other benchmarks are compared with,
//  measured in the same run on the same machine.
//
//  - LMDB: synced appends of 200-byte values with plain mdb_put (no
//    cf_journal, no protobuf) into an MDB_INTEGERKEY table with
//    MDB_APPEND, the way the journal writes, with LMDB's default durable
//    commit (fsync), at 1, 100 and 1,000 values per commit. At 1 per
//    commit the commit's own latency (p50, p99) is the floor of any
//    durable command's latency.
//  - ZeroMQ: PUB/SUB of 200-byte single-frame messages, ipc and tcp
//    loopback, publisher and subscriber in two threads of this process,
//    high-water marks off (nothing dropped): messages/s received.
//
//  Usage: bench_raw [--smoke | --quick]
#include "bench_kit.h"

#include <assert.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_VALUE_SIZE 200

typedef struct {
    int per_commit;
    double seconds;     //  run at least this long
    size_t max_values;  //  and stop at this many values
} s_lmdb_run_t;

static void
s_check (int rc, const char *what)
{
    if (rc) {
        fprintf (stderr, "bench_raw: %s: %s\n", what, mdb_strerror (rc));
        exit (1);
    }
}

//  One LMDB run in a fresh environment; prints its figures.
static void
s_lmdb (const s_lmdb_run_t *run)
{
    char *dir = cf_test_tmpdir ("bench-raw-lmdb");
    MDB_env *env;
    s_check (mdb_env_create (&env), "mdb_env_create");
    s_check (mdb_env_set_maxdbs (env, 2), "mdb_env_set_maxdbs");
    s_check (mdb_env_set_mapsize (env, (size_t) 8 << 30), "mdb_env_set_mapsize");
    //  The journal's flags: MDB_NOTLS, and the default durable commit.
    s_check (mdb_env_open (env, dir, MDB_NOTLS, 0600), "mdb_env_open");
    MDB_txn *txn;
    MDB_dbi dbi;
    s_check (mdb_txn_begin (env, NULL, 0, &txn), "mdb_txn_begin");
    s_check (mdb_dbi_open (txn, "journal", MDB_INTEGERKEY | MDB_CREATE, &dbi), "mdb_dbi_open");
    s_check (mdb_txn_commit (txn), "mdb_txn_commit");

    uint8_t value [S_VALUE_SIZE];
    memset (value, 'v', sizeof value);
    size_t cap = run->max_values / (size_t) run->per_commit + 2;
    int64_t *commits = malloc (cap * sizeof *commits);
    assert (commits);
    size_t commit_count = 0;
    uint64_t key = 0;
    int64_t started = bk_now_ns ();
    int64_t until = started + (int64_t) (run->seconds * 1e9);
    while (key + (uint64_t) run->per_commit <= run->max_values
           && (bk_now_ns () < until || commit_count < 3)) {
        s_check (mdb_txn_begin (env, NULL, 0, &txn), "mdb_txn_begin");
        for (int i = 0; i < run->per_commit; i++) {
            key++;
            memcpy (value, &key, sizeof key);
            MDB_val k = { sizeof key, &key }, v = { sizeof value, value };
            s_check (mdb_put (txn, dbi, &k, &v, MDB_APPEND), "mdb_put");
        }
        int64_t commit_started = bk_now_ns ();
        s_check (mdb_txn_commit (txn), "mdb_txn_commit");
        commits [commit_count++] = bk_now_ns () - commit_started;
    }
    double seconds = (double) (bk_now_ns () - started) / 1e9;
    double rate = (double) key / seconds;
    qsort (commits, commit_count, sizeof *commits, bk_compare_i64);
    double p50 = (double) bk_percentile (commits, commit_count, 50) / 1e6;
    double p99 = (double) bk_percentile (commits, commit_count, 99) / 1e6;
    printf ("lmdb synced appends, %4d per commit: %9.0f values/s (%" PRIu64
            " in %.2f s, %zu commits; commit ms p50 %.3f p99 %.3f)\n",
            run->per_commit, rate, key, seconds, commit_count, p50, p99);
    bk_figuref (rate, "raw.lmdb.c%d.rate", run->per_commit);
    bk_figuref (p50, "raw.lmdb.c%d.commit_p50_ms", run->per_commit);
    bk_figuref (p99, "raw.lmdb.c%d.commit_p99_ms", run->per_commit);
    free (commits);
    mdb_env_close (env);
    cf_test_rmtree (dir);
    free (dir);
}

//  ------------------------------------------------------------- zeromq

typedef struct {
    char endpoint [256];
    size_t count;
    atomic_bool joined;         //  the subscriber saw a warm-up message
    atomic_bool ready;          //  the subscriber is connected and subscribed
    atomic_bool failed;         //  ... or could not connect
    int64_t first_at, last_at;  //  measured messages received
    size_t received;
} s_zmq_run_t;

static void *
s_subscriber (void *arg)
{
    s_zmq_run_t *run = arg;
    void *context = zsys_init ();
    void *sub = zmq_socket (context, ZMQ_SUB);
    int zero = 0;
    zmq_setsockopt (sub, ZMQ_RCVHWM, &zero, sizeof zero);
    zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect (sub, run->endpoint) != 0) {
        fprintf (stderr, "bench_raw: zmq_connect %s: %s\n", run->endpoint,
                 zmq_strerror (zmq_errno ()));
        zmq_close (sub);
        atomic_store (&run->failed, true);
        return NULL;
    }
    atomic_store (&run->ready, true);
    uint8_t buffer [S_VALUE_SIZE + 16];
    while (run->received < run->count) {
        int size = zmq_recv (sub, buffer, sizeof buffer, 0);
        if (size < 0)
            break;
        if (buffer [0] == 'w') {
            atomic_store (&run->joined, true);
            continue;
        }
        if (run->received == 0)
            run->first_at = bk_now_ns ();
        run->received++;
    }
    run->last_at = bk_now_ns ();
    zmq_close (sub);
    return NULL;
}

//  One ZeroMQ run; prints its figure. Returns 0, or 1 when a socket could
//  not bind or connect (printed).
static int
s_zmq (const char *transport, size_t count)
{
    s_zmq_run_t run = { .count = count };
    void *context = zsys_init ();
    void *pub = zmq_socket (context, ZMQ_PUB);
    int zero = 0;
    zmq_setsockopt (pub, ZMQ_SNDHWM, &zero, sizeof zero);
    char *dir = NULL;
    if (strcmp (transport, "ipc") == 0) {
        dir = cf_test_tmpdir ("bench-raw-ipc");
        snprintf (run.endpoint, sizeof run.endpoint, "ipc://%s/pub", dir);
    } else
        snprintf (run.endpoint, sizeof run.endpoint, "tcp://127.0.0.1:*");
    int rc = zmq_bind (pub, run.endpoint);
    size_t len = sizeof run.endpoint;
    if (rc == 0)
        rc = zmq_getsockopt (pub, ZMQ_LAST_ENDPOINT, run.endpoint, &len);
    pthread_t thread;
    if (rc == 0)
        rc = pthread_create (&thread, NULL, s_subscriber, &run);
    else
        fprintf (stderr, "bench_raw: zmq_bind %s: %s\n", run.endpoint, zmq_strerror (zmq_errno ()));
    if (rc) {
        zmq_close (pub);
        cf_test_rmtree (dir);
        free (dir);
        return 1;
    }
    while (!atomic_load (&run.ready) && !atomic_load (&run.failed))
        zclock_sleep (1);
    //  Slow joiner: warm-up messages until the subscriber sees one.
    while (!atomic_load (&run.joined) && !atomic_load (&run.failed)) {
        zmq_send (pub, "w", 1, 0);
        zclock_sleep (1);
    }
    if (atomic_load (&run.failed)) {
        pthread_join (thread, NULL);
        zmq_close (pub);
        cf_test_rmtree (dir);
        free (dir);
        return 1;
    }
    uint8_t message [S_VALUE_SIZE];
    memset (message, 'm', sizeof message);
    int64_t started = bk_now_ns ();
    //  No high-water mark: a send only fails if the context ends.
    for (size_t i = 0; i < count; i++) {
        rc = zmq_send (pub, message, sizeof message, 0);
        assert (rc == (int) sizeof message);
    }
    pthread_join (thread, NULL);
    double seconds = (double) (run.last_at - started) / 1e9;
    double rate = (double) run.received / seconds;
    printf ("zeromq PUB/SUB %s, 200-byte messages: %9.0f msgs/s (%zu in %.2f s)\n", transport, rate,
            run.received, seconds);
    bk_figuref (rate, "raw.zmq.%s.rate", transport);
    zmq_close (pub);
    cf_test_rmtree (dir);
    free (dir);
    return 0;
}

int
main (int argc, char **argv)
{
    int size = bk_size_option (argc, argv, "[--smoke | --quick]");
    zsys_handler_set (NULL);
    zsys_set_linger (0);
    printf ("bench_raw: load average %.2f\n", bk_load ());
    bk_figure ("load.raw", bk_load ());
    double seconds = size == 1 ? 0.2 : size == 2 ? 1 : 3;
    size_t cap = size == 1 ? 20000 : 3000000;
    s_lmdb_run_t runs [] = {
        { 1, seconds, cap },
        { 100, seconds, cap },
        { 1000, seconds, cap },
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs [0]; i++)
        s_lmdb (&runs [i]);
    size_t messages = size == 1 ? 20000 : size == 2 ? 500000 : 3000000;
    int failed = s_zmq ("ipc", messages);
    failed |= s_zmq ("tcp", messages);
    return failed;
}
