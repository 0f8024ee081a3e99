//  test_fuzz_corpus: every fuzz target's committed inputs, replayed in the
//  normal test build (any compiler, with the sanitizers of that build).
//
//  tests/fuzz/corpus/<target>/ holds the seed corpus the fuzzers start
//  from; tests/fuzz/regressions/<target>/ holds inputs that once crashed a
//  target, each kept here as a regression test once fixed. Each target's
//  entry point is compiled into this program under its own name (see
//  tests/fuzz/CMakeLists.txt).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (s_target_fn) (const uint8_t *data, size_t size);

#define S_TARGETS(X)       \
    X (api_request)        \
    X (event)              \
    X (replay_batch)       \
    X (config)             \
    X (intake_command)     \
    X (handover_command)   \
    X (assignment_command) \
    X (seal_open)          \
    X (keystore)           \
    X (ce_structured)      \
    X (ce_batch)           \
    X (ce_binary)

#define S_DECLARE(name) int cf_fuzz_##name (const uint8_t *data, size_t size);
S_TARGETS (S_DECLARE)

//  Runs every file in CF_FUZZ_DIR/<kind>/<target>/ through `fn`; returns
//  how many.
static size_t
s_replay_dir (const char *kind, const char *target, s_target_fn *fn)
{
    char path [1024];
    snprintf (path, sizeof path, "%s/%s/%s", CF_FUZZ_DIR, kind, target);
    DIR *dir = opendir (path);
    if (!dir)
        return 0;
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir (dir))) {
        if (entry->d_name [0] == '.')
            continue;
        char file [2048];
        snprintf (file, sizeof file, "%s/%s", path, entry->d_name);
        FILE *input = fopen (file, "rb");
        assert_non_null (input);
        fseek (input, 0, SEEK_END);
        long size = ftell (input);
        fseek (input, 0, SEEK_SET);
        uint8_t *data = malloc (size > 0 ? (size_t) size : 1);
        assert_non_null (data);
        assert_int_equal (fread (data, 1, (size_t) size, input), (size_t) size);
        fclose (input);
        fn (data, (size_t) size);
        free (data);
        count++;
    }
    closedir (dir);
    return count;
}

static void
s_replay (const char *target, s_target_fn *fn)
{
    size_t seeds = s_replay_dir ("corpus", target, fn);
    size_t regressions = s_replay_dir ("regressions", target, fn);
    printf ("fuzz_%s: %zu corpus inputs, %zu regression inputs replayed\n", target, seeds,
            regressions);
    //  Every target has a committed seed corpus.
    assert_true (seeds > 0);
}

#define S_TEST(name)                       \
    static void test_##name (void **state) \
    {                                      \
        (void) state;                      \
        s_replay (#name, cf_fuzz_##name);  \
    }
S_TARGETS (S_TEST)

#define S_ENTRY(name) cmocka_unit_test (test_##name),

int
main (void)
{
    const struct CMUnitTest tests [] = { S_TARGETS (S_ENTRY) };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
