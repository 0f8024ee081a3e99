//  cf_teststreams: four test services named as caseflow's streams (see
//  cf_teststreams.h).
#include "cf_teststreams.h"

#include "cf_testclient.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

static const char *s_names [CF_TESTSTREAMS_COUNT] = { "intake", "assignment", "handover",
                                                      "notification" };

const char *
cf_teststreams_name (int index)
{
    return s_names [index];
}

void
cf_teststreams_start (cf_teststreams_t *self, const char *dir)
{
    for (int i = 0; i < CF_TESTSTREAMS_COUNT; i++) {
        char data_dir [512];
        snprintf (data_dir, sizeof data_dir, "%s/%s", dir, s_names [i]);
        cf_testproc_init (&self->procs [i], cf_test_binary ("caseflow-testsvc"), data_dir);
        cf_testproc_setenv (&self->procs [i], "CASEFLOW_TESTSVC_STREAM", s_names [i]);
        if (!cf_testclient_start (&self->procs [i], NULL, true, 30000)) {
            cf_test_dump_log (self->procs [i].log_path);
            fail_msg ("the test service for stream %s did not turn ready", s_names [i]);
        }
        snprintf (self->flags [2 * i], sizeof self->flags [0], "--%s-events=%s", s_names [i],
                  self->procs [i].events);
        snprintf (self->flags [2 * i + 1], sizeof self->flags [0], "--%s-api=%s", s_names [i],
                  self->procs [i].api);
    }
}

int
cf_teststreams_add_flags (cf_teststreams_t *self, const char **extra, int at)
{
    for (int i = 0; i < 2 * CF_TESTSTREAMS_COUNT; i++)
        extra [at++] = self->flags [i];
    return at;
}

void
cf_teststreams_stop (cf_teststreams_t *self)
{
    for (int i = 0; i < CF_TESTSTREAMS_COUNT; i++) {
        assert_int_equal (cf_testproc_stop (&self->procs [i], 15, 10000), 0);
        cf_testproc_destroy (&self->procs [i]);
    }
}
