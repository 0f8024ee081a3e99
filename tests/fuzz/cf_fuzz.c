//  cf_fuzz: what the fuzz targets share (see cf_fuzz.h).
#include "cf_fuzz.h"

#include "cf_api.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  2022-03-01T00:00:00Z: commands are decided a day apart from here.
#define S_START        (INT64_C (1646092800) * 1000000)
#define S_DAY          (INT64_C (86400) * 1000000)
#define S_MAX_COMMANDS 24

void
cf_fuzz_init (void)
{
    static bool ready = false;
    if (ready)
        return;
    ready = true;
    cf_time_init ();
    //  Decisions log at info; millions of runs must not.
    cf_log_init ("fuzz", CF_LOG_ERROR);
    if (sodium_init () < 0)
        abort ();
}

void
cf_fuzz_fail (const char *what, const char *file, int line)
{
    fprintf (stderr, "%s:%d: property violated: %s\n", file, line, what);
    abort ();
}

//  ---------------------------------------------------------- key stores

#define S_KEYSTORES 4

static struct {
    char service [32];
    char dir [4096];
    cf_keystore_t *keystore;
} s_keystores [S_KEYSTORES];

static void
s_keystores_remove (void)
{
    for (size_t i = 0; i < S_KEYSTORES && *s_keystores [i].service; i++) {
        cf_keystore_destroy (&s_keystores [i].keystore);
        const char *files [] = { "data.mdb", "lock.mdb" };
        for (size_t f = 0; f < sizeof files / sizeof files [0]; f++) {
            char path [4200];
            snprintf (path, sizeof path, "%s/%s", s_keystores [i].dir, files [f]);
            unlink (path);
        }
        rmdir (s_keystores [i].dir);
    }
}

cf_keystore_t *
cf_fuzz_service_keystore (const char *service)
{
    size_t i = 0;
    while (i < S_KEYSTORES && *s_keystores [i].service
           && strcmp (s_keystores [i].service, service) != 0)
        i++;
    CF_FUZZ_CHECK (i < S_KEYSTORES, "more key stores than cf_fuzz keeps");
    if (!*s_keystores [i].service) {
        if (i == 0)
            atexit (s_keystores_remove);
        snprintf (s_keystores [i].service, sizeof s_keystores [i].service, "%s", service);
        const char *tmp = getenv ("TMPDIR");
        snprintf (s_keystores [i].dir, sizeof s_keystores [i].dir, "%s/caseflow-fuzz-%s-XXXXXX",
                  tmp && *tmp ? tmp : "/tmp", service);
        CF_FUZZ_CHECK (mkdtemp (s_keystores [i].dir), "cannot make a key store's directory");
    }
    if (!s_keystores [i].keystore)
        CF_FUZZ_CHECK (
            cf_keystore_open (s_keystores [i].dir, service, 64 << 20, &s_keystores [i].keystore)
                == 0,
            "cannot open a key store");
    return s_keystores [i].keystore;
}

void
cf_fuzz_service_keystore_reset (const char *service)
{
    for (size_t i = 0; i < S_KEYSTORES; i++)
        if (strcmp (s_keystores [i].service, service) == 0 && s_keystores [i].keystore
            && cf_keystore_pending (s_keystores [i].keystore))
            cf_keystore_destroy (&s_keystores [i].keystore);
}

//  ----------------------------------------------------------- the runs

typedef struct {
    const cf_fuzz_service_t *service;
    void *state;
    uint64_t seq;
    int64_t now;
    size_t emitted;
    uint8_t **journal;  //  encoded events, in order
    size_t *sizes;
    size_t count;
} s_run_t;

//  What cf_service_emit does, without the store: stamp, encode, apply.
static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_run_t *run = ctx;
    Caseflow__V1__Event saved = *event;
    event->id = "01FUZZ00000000000000000000";
    event->stream = (char *) run->service->stream;
    event->seq = ++run->seq;
    if (!event->occurred_at)
        event->occurred_at = run->now;
    event->schema_version = 1;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    CF_FUZZ_CHECK (data, "out of memory");
    caseflow__v1__event__pack (event, data);
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    CF_FUZZ_CHECK (copy, "an emitted event does not decode");
    caseflow__v1__event__free_unpacked (copy, NULL);
    CF_FUZZ_CHECK (run->service->apply (run->state, event) == 0,
                   "the service did not apply its own event");
    run->journal = realloc (run->journal, (run->count + 1) * sizeof *run->journal);
    run->sizes = realloc (run->sizes, (run->count + 1) * sizeof *run->sizes);
    CF_FUZZ_CHECK (run->journal && run->sizes, "out of memory");
    run->journal [run->count] = data;
    run->sizes [run->count++] = size;
    run->emitted++;
    event->id = saved.id;
    event->stream = saved.stream;
    return 0;
}

static void
s_digest (const cf_fuzz_service_t *service, void *state, unsigned char *sum)
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    service->digest (state, &hash);
    crypto_hash_sha256_final (&hash, sum);
}

int
cf_fuzz_service_run (const cf_fuzz_service_t *service, const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    s_run_t run = { .service = service, .state = service->state_new (), .now = S_START };
    for (int index = 0; index < S_MAX_COMMANDS && size >= 2; index++) {
        size_t length = (size_t) data [0] | (size_t) data [1] << 8;
        data += 2;
        size -= 2;
        if (length > size)
            length = size;
        Caseflow__V1__Reply reply;
        cf_api_reply_init (&reply, "fuzz");
        run.emitted = 0;
        cf_decider_t decider;
        cf_decider_init (&decider, run.now, &reply, s_emit, &run);
        if (service->decide (run.state, &decider, data, length)) {
            Caseflow__V1__Status__Code code = cf_api_reply_code (&reply);
            CF_FUZZ_CHECK (code == CASEFLOW__V1__STATUS__CODE__OK || run.emitted == 0,
                           "a refused command emitted events");
            CF_FUZZ_CHECK (code != CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
                               || *reply.status->field,
                           "INVALID_ARGUMENT without the field's name");
            //  The reply must encode (it goes on the wire as it is).
            size_t reply_size = 0;
            free (cf_api_encode_reply (&reply, &reply_size));
        }
        cf_api_reply_clear (&reply);
        data += length;
        size -= length;
        run.now += S_DAY;
    }
    //  Decide, then apply: the journal replayed gives the same state.
    void *replayed = service->state_new ();
    for (size_t i = 0; i < run.count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, run.sizes [i], run.journal [i]);
        CF_FUZZ_CHECK (event && service->apply (replayed, event) == 0,
                       "a journaled event does not replay");
        caseflow__v1__event__free_unpacked (event, NULL);
        free (run.journal [i]);
    }
    unsigned char live [crypto_hash_sha256_BYTES], again [crypto_hash_sha256_BYTES];
    s_digest (service, run.state, live);
    s_digest (service, replayed, again);
    CF_FUZZ_CHECK (memcmp (live, again, sizeof live) == 0,
                   "replaying the journal gives another state digest");
    service->state_destroy (replayed);
    service->state_destroy (run.state);
    free (run.journal);
    free (run.sizes);
    return 0;
}
