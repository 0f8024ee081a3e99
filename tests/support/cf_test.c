//  cf_test: helpers shared by caseflow's tests.
#include "cf_test.h"

#include <assert.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *
cf_test_tmpdir (const char *label)
{
    const char *base = getenv ("TMPDIR");
    char *path = NULL;
    int rc = asprintf (&path, "%s/cf-%s-XXXXXX", base && *base ? base : "/tmp", label);
    assert (rc > 0);
    char *made = mkdtemp (path);
    assert (made);
    return path;
}

static int
s_remove (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return remove (path);
}

void
cf_test_rmtree (const char *path)
{
    if (path)
        nftw (path, s_remove, 16, FTW_DEPTH | FTW_PHYS);
}
