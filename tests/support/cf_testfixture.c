//  cf_testfixture: one service process per test, owned by the fixture.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_testfixture.h"

#include "cf_test.h"
#include "cf_testclient.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cf_testfixture_t *
cf_testfixture_new (const char *label, const char *binary)
{
    cf_testfixture_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->tmp = cf_test_tmpdir (label);
    //  "caseflow-testsvc" keeps its data in tmp/testsvc, as every test
    //  named it before there was one fixture.
    const char *short_name = strncmp (binary, "caseflow-", 9) == 0 ? binary + 9 : binary;
    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/%s", self->tmp, short_name);
    cf_testproc_init (&self->proc, cf_test_binary (binary), data_dir);
    return self;
}

void
cf_testfixture_destroy (cf_testfixture_t **self_p)
{
    cf_testfixture_t *self = *self_p;
    if (!self)
        return;
    cf_api_client_destroy (&self->client);
    if (self->proc.pid > 0)
        cf_testproc_stop (&self->proc, SIGKILL, CF_TESTFIXTURE_STOP_MS);
    if (!self->passed)
        cf_test_dump_log (self->proc.log_path);
    cf_testproc_destroy (&self->proc);
    //  CF_TEST_KEEP=1 keeps the data directories and logs to look at.
    if (getenv ("CF_TEST_KEEP"))
        fprintf (stderr, "kept %s\n", self->tmp);
    else
        cf_test_rmtree (self->tmp);
    free (self->tmp);
    free (self);
    *self_p = NULL;
}

int
cf_testfixture_teardown (void **state)
{
    cf_testfixture_t *self = *state;
    cf_testfixture_destroy (&self);
    *state = NULL;
    return 0;
}

void
cf_testfixture_start (cf_testfixture_t *self)
{
    if (!cf_testclient_start (&self->proc, self->flags, !self->started, CF_TESTFIXTURE_READY_MS))
        fail_msg ("the service did not become ready (log: %s)", self->proc.log_path);
    self->started = true;
    if (!self->client)
        self->client = cf_testclient_new (self->proc.api);
}

void
cf_testfixture_stop (cf_testfixture_t *self, int signum)
{
    int status = cf_testproc_stop (&self->proc, signum, CF_TESTFIXTURE_STOP_MS);
    if (signum == SIGKILL)
        assert_int_equal (status, 128 + SIGKILL);
    else
        assert_int_equal (status, 0);
}
