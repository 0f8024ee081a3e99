//  cf_test: helpers shared by caseflow's tests (unit, integration, bench).
#ifndef CF_TEST_H
#define CF_TEST_H

#include <stddef.h>

//  Creates a fresh empty directory under $TMPDIR (or /tmp) named after
//  `label` and returns its path (free with free). Aborts on failure.
char *
    cf_test_tmpdir (const char *label);

//  Removes a directory tree (rm -rf). Safe on NULL.
void
    cf_test_rmtree (const char *path);

#endif
