//  cf_test: helpers shared by caseflow's tests (unit, integration, bench).
#ifndef CF_TEST_H
#define CF_TEST_H

#include <stdbool.h>
#include <stddef.h>

//  Creates a fresh empty directory under $TMPDIR (or /tmp) named after
//  `label` and returns its path (free with free). Aborts on failure.
char *
cf_test_tmpdir (const char *label);

//  Removes a directory tree (rm -rf). Safe on NULL.
void
cf_test_rmtree (const char *path);

//  Runs the program `argv [0]` with `argv` (NULL-terminated) and waits for
//  it. Its standard input is the file `stdin_path` (NULL: ours), its
//  standard error is appended to `stderr_path` (NULL: ours), and its
//  standard output is kept in `out` (at most out_size - 1 bytes, then
//  NUL). Returns its exit status, 128 + the signal that killed it, or 126
//  when a file could not be opened and 127 when the program could not run.
int
cf_test_run (const char *const *argv, const char *stdin_path, const char *stderr_path, char *out,
             size_t out_size);

//  Runs `fn (ctx)` in a child process and returns true when the child died
//  of SIGABRT (a failed assert), false when it returned or died otherwise.
//  For the asserts that guard programming errors: the child's stderr (the
//  assert's line) goes to /dev/null.
bool
cf_test_aborts (void (*fn) (void *ctx), void *ctx);

//  The same, true when the child exited with `code` (a refusal that ends
//  the process, such as a store the service cannot replay).
bool
cf_test_exits (void (*fn) (void *ctx), void *ctx, int code);

//  The whole content of the file at `path`, NUL-terminated (free with
//  free), its length in *size_p when size_p is not NULL; NULL when it
//  cannot be read.
char *
cf_test_read_file (const char *path, size_t *size_p);

//  The refusal's list of a transition table's row: the names of the states
//  whose cell in `row` is not 0 (0: refused from that state), in table
//  order, as "a, b or c", into buf. `states [i]` is the state of column i,
//  `name` its word. Returns buf. For the lifecycle tests, which write the
//  expected table out on their own.
char *
cf_test_allowed_from (const int *row, const int *states, size_t count, const char *(*name) (int),
                      char *buf, size_t size);

#endif
