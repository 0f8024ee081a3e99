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

static const char *const s_names [] = { "intake", "assignment", "handover", "notification", NULL };

void
cf_teststreams_start (cf_teststreams_t *self, const char *dir, const char *const *names)
{
    self->count = 0;
    for (int i = 0; (names ? names : s_names) [i]; i++) {
        assert_true (i < CF_TESTSTREAMS_COUNT);
        const char *name = (names ? names : s_names) [i];
        self->count++;
        char data_dir [512];
        snprintf (data_dir, sizeof data_dir, "%s/%s", dir, name);
        cf_testproc_init (&self->procs [i], cf_test_binary ("caseflow-testsvc"), data_dir);
        //  A failed test leaves no stand-in running.
        self->procs [i].die_with_parent = true;
        cf_testproc_setenv (&self->procs [i], "CASEFLOW_TESTSVC_STREAM", name);
        if (!cf_testclient_start (&self->procs [i], NULL, true, 30000)) {
            cf_test_dump_log (self->procs [i].log_path);
            fail_msg ("the test service for stream %s did not turn ready", name);
        }
        snprintf (self->flags [2 * i], sizeof self->flags [0], "--%s-events=%s", name,
                  self->procs [i].events);
        snprintf (self->flags [2 * i + 1], sizeof self->flags [0], "--%s-api=%s", name,
                  self->procs [i].api);
    }
}

int
cf_teststreams_add_flags (cf_teststreams_t *self, const char **extra, int at)
{
    for (int i = 0; i < 2 * self->count; i++)
        extra [at++] = self->flags [i];
    return at;
}

void
cf_teststreams_stop (cf_teststreams_t *self)
{
    for (int i = 0; i < self->count; i++) {
        assert_int_equal (cf_testproc_stop (&self->procs [i], 15, 10000), 0);
        cf_testproc_destroy (&self->procs [i]);
    }
}
