//  bench_keystore: what personal data costs in a key store and in CPU.
//
//  1. A key store (cf_keystore) of N residents as intake keeps them: a
//     new subject id, one data key and two keyed hashes (BSN; name and
//     birth date) each, registered 1,000 to a commit with the default
//     durable commit. Its data.mdb size after the build, per 1,000,000
//     residents, beside the bytes the records themselves hold.
//  2. Erasing one resident among N: cf_keystore_erase (keys, hashes, the
//     tombstone, one synced commit) and then cf_keystore_compact (the
//     whole store rewritten from its live records, synced, swapped in,
//     reopened), three times at different places; the median and each.
//     data.mdb's size after the compactions.
//  3. cf_seal and cf_seal_open per second for a registration's personal
//     part: name, birth date, phone, district, BSN and a 200-byte question.
//
//  Prints human lines and "@@ keystore.<figure> <value>" lines
//  (tests/bench/run.sh puts them in its table). Figures are printed, never
//  judged: the run fails only when the store answers wrongly.
//
//  Usage: bench_keystore [--smoke | --quick]   (N: 1,000,000; --smoke 2,000;
//  --quick 100,000)
#include "bench_kit.h"

#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_seal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_PER_COMMIT 1000
#define S_ERASURES   3
//  What one resident's records hold: the key record (id, subject, key)
//  and the subject's list of hashes (subject, two hashes); the lookup by
//  hash is an index in memory (cf_keystore_index.h), not in the file.
#define S_RECORD_BYTES                                                     \
    ((CF_SEAL_ID_SIZE - 1) * 2 + CF_SEAL_KEY_BYTES + (CF_SEAL_ID_SIZE - 1) \
     + 2 * CF_KEYSTORE_HASH_BYTES)

typedef struct {
    char subject [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
} s_erasable_t;

static double
s_file_bytes (const char *dir)
{
    char path [4096];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    struct stat info;
    return stat (path, &info) ? 0 : (double) info.st_size;
}

//  Registers `count` residents; keeps the ids of those at `picks` (count
//  S_ERASURES) in `erasable`. Returns 0 or the failing call's code.
static int
s_build (cf_keystore_t *store, size_t count, const size_t *picks, s_erasable_t *erasable)
{
    for (size_t i = 0; i < count; i++) {
        char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE];
        uint8_t key [CF_SEAL_KEY_BYTES], hashes [2][CF_KEYSTORE_HASH_BYTES];
        cf_seal_new_id (subject, 'S');
        cf_seal_new_id (key_id, 'K');
        cf_seal_new_key (key);
        randombytes_buf (hashes, sizeof hashes);
        int rc = cf_keystore_put_key (store, key_id, subject, key);
        for (int h = 0; h < 2 && rc == 0; h++)
            rc = cf_keystore_put_match (store, hashes [h], subject);
        if (rc == 0 && (i % S_PER_COMMIT == S_PER_COMMIT - 1 || i == count - 1))
            rc = cf_keystore_commit (store);
        if (rc)
            return rc;
        for (int e = 0; e < S_ERASURES; e++)
            if (picks [e] == i) {
                memcpy (erasable [e].subject, subject, sizeof subject);
                memcpy (erasable [e].key_id, key_id, sizeof key_id);
            }
    }
    return 0;
}

static int
s_compare_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

//  Erases each resident of `erasable` and compacts after each; their times
//  in ms in erase_ms and compact_ms. Returns 0, or 1 when the store
//  answered wrongly.
static int
s_erase_all (cf_keystore_t *store, const s_erasable_t *erasable, double *erase_ms,
             double *compact_ms)
{
    for (int e = 0; e < S_ERASURES; e++) {
        const char *ids [] = { erasable [e].key_id };
        size_t destroyed = 0;
        int64_t started = bk_now_ns ();
        int rc = cf_keystore_erase (store, erasable [e].subject, ids, 1, 1, &destroyed);
        int64_t erased = bk_now_ns ();
        if (rc == 0)
            rc = cf_keystore_compact (store);
        int64_t compacted = bk_now_ns ();
        if (rc || destroyed != 1
            || cf_keystore_get_key (store, erasable [e].key_id, NULL, NULL) != CF_ENOTFOUND
            || !cf_keystore_erased (store, erasable [e].subject)) {
            fprintf (stderr, "bench_keystore: erasure %d failed (%s)\n", e, cf_strerror (rc));
            return 1;
        }
        erase_ms [e] = (double) (erased - started) / (double) BK_NS_PER_MS;
        compact_ms [e] = (double) (compacted - erased) / (double) BK_NS_PER_MS;
    }
    return 0;
}

//  Seals and opens a registration's personal part `count` times each.
static int
s_seal_rates (size_t count)
{
    char question [201];
    memset (question, 'q', 200);
    question [200] = '\0';
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Fatima el Amrani";
    resident.birth_date = "1987-04-12";
    resident.phone = "+31 6 1234 5678";
    resident.district = "Oost";
    resident.bsn = "111222333";
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident;
    personal.text = question;
    uint8_t key [CF_SEAL_KEY_BYTES];
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_key (key);
    cf_seal_new_id (key_id, 'K');

    cf_sealed_t sealed;
    size_t box = 0;
    int64_t started = bk_now_ns ();
    for (size_t i = 0; i < count; i++) {
        if (cf_seal (&sealed, key, key_id, "intake.CaseRegistered", &personal))
            return 1;
        box = sealed.message.box.len;
        cf_sealed_release (&sealed);
    }
    int64_t sealed_ns = bk_now_ns () - started;

    if (cf_seal (&sealed, key, key_id, "intake.CaseRegistered", &personal))
        return 1;
    size_t wrong = 0;
    started = bk_now_ns ();
    for (size_t i = 0; i < count; i++) {
        Caseflow__V1__Personal *opened = NULL;
        if (cf_seal_open (key, &sealed.message, "intake.CaseRegistered", &opened))
            return 1;
        wrong += strcmp (opened->resident->bsn, resident.bsn) != 0;
        caseflow__v1__personal__free_unpacked (opened, NULL);
    }
    int64_t opened_ns = bk_now_ns () - started;
    cf_sealed_release (&sealed);
    if (wrong)
        return 1;
    double seal_rate = (double) count * (double) BK_NS_PER_S / (double) sealed_ns;
    double open_rate = (double) count * (double) BK_NS_PER_S / (double) opened_ns;
    size_t plain = caseflow__v1__personal__get_packed_size (&personal);
    printf ("seal: %zu registrations' personal parts (%zu bytes encoded, box %zu bytes): "
            "%.0f sealed/s (%.2f µs each), %.0f opened/s (%.2f µs each)\n",
            count, plain, box, seal_rate, 1e6 / seal_rate, open_rate, 1e6 / open_rate);
    bk_figure ("keystore.seal.rate", seal_rate);
    bk_figure ("keystore.open.rate", open_rate);
    bk_figure ("keystore.seal.box_bytes", (double) box);
    return 0;
}

int
main (int argc, char *argv [])
{
    int size = bk_size_option (argc, argv, "bench_keystore [--smoke | --quick]");
    size_t residents = size == 1 ? 2000 : size == 2 ? 100000 : 1000000;
    size_t seals = size == 1 ? 2000 : size == 2 ? 100000 : 300000;
    cf_log_init ("bench_keystore", CF_LOG_WARN);
    bk_figure ("load.keystore", bk_load ());
    if (sodium_init () < 0)
        return 1;

    char *dir = cf_test_tmpdir ("bench-keystore");
    cf_keystore_t *store = NULL;
    //  Room to spare: the store of 1,000,000 residents is well under 1 GiB.
    int rc = cf_keystore_open (dir, "intake", (size_t) 4 << 30, &store);
    if (rc) {
        fprintf (stderr, "cf_keystore_open: %s\n", cf_strerror (rc));
        cf_test_rmtree (dir);
        free (dir);
        return 1;
    }
    //  Near the start, the middle and the end of the registrations.
    const size_t picks [S_ERASURES] = { residents / 7, residents / 2, residents - 3 };
    s_erasable_t erasable [S_ERASURES];
    int64_t started = bk_now_ns ();
    rc = s_build (store, residents, picks, erasable);
    double build_s = (double) (bk_now_ns () - started) / (double) BK_NS_PER_S;
    size_t keys = 0, matches = 0;
    if (rc == 0)
        rc = cf_keystore_counts (store, &keys, &matches, NULL);
    int failed = rc != 0 || keys != residents || matches != 2 * residents;
    if (failed)
        fprintf (stderr, "bench_keystore: build failed (%s, %zu keys, %zu matches)\n",
                 cf_strerror (rc), keys, matches);

    double erase_ms [S_ERASURES] = { 0 }, compact_ms [S_ERASURES] = { 0 };
    double built = s_file_bytes (dir), compacted = 0;
    double scale = 1e6 / (double) residents;
    if (!failed) {
        printf ("keystore: %zu residents (1 key, 2 hashes each) registered %d per commit in "
                "%.1f s (%.0f/s)\n",
                residents, S_PER_COMMIT, build_s, (double) residents / build_s);
        printf ("keystore: data.mdb %.1f MiB after the build = %.0f MiB per 1,000,000 "
                "residents (%.0f bytes each; their records hold %d bytes)\n",
                built / 1048576, built * scale / 1048576, built / (double) residents,
                S_RECORD_BYTES);
        failed = s_erase_all (store, erasable, erase_ms, compact_ms);
        compacted = s_file_bytes (dir);
    }
    if (!failed) {
        double total [S_ERASURES];
        for (int e = 0; e < S_ERASURES; e++)
            total [e] = erase_ms [e] + compact_ms [e];
        printf ("keystore: erasing one resident among %zu: erase", residents);
        for (int e = 0; e < S_ERASURES; e++)
            printf (" %.1f", erase_ms [e]);
        printf (" ms; compaction");
        for (int e = 0; e < S_ERASURES; e++)
            printf (" %.0f", compact_ms [e]);
        printf (" ms\n");
        qsort (erase_ms, S_ERASURES, sizeof erase_ms [0], s_compare_double);
        qsort (compact_ms, S_ERASURES, sizeof compact_ms [0], s_compare_double);
        qsort (total, S_ERASURES, sizeof total [0], s_compare_double);
        printf ("keystore: median erase %.1f ms + compaction %.0f ms = %.0f ms; data.mdb "
                "%.1f MiB after compacting = %.0f MiB per 1,000,000 residents\n",
                erase_ms [1], compact_ms [1], total [1], compacted / 1048576,
                compacted * scale / 1048576);
        bk_figure ("keystore.residents", (double) residents);
        bk_figure ("keystore.build.rate", (double) residents / build_s);
        bk_figure ("keystore.built.mib_per_1m", built * scale / 1048576);
        bk_figure ("keystore.compacted.mib_per_1m", compacted * scale / 1048576);
        bk_figure ("keystore.record_bytes", S_RECORD_BYTES);
        bk_figure ("keystore.erase_ms", erase_ms [1]);
        bk_figure ("keystore.compact_ms", compact_ms [1]);
        bk_figure ("keystore.erase_total_ms", total [1]);
    }
    cf_keystore_destroy (&store);
    cf_test_rmtree (dir);
    free (dir);
    if (!failed && s_seal_rates (seals)) {
        fprintf (stderr, "bench_keystore: sealing or opening failed\n");
        failed = 1;
    }
    return failed ? 1 : 0;
}
