//  cf_testfixture: one service process per test, owned by the test's
//  cmocka fixture (setup/teardown), for the integration tests that start
//  a single binary (caseflow-testsvc mostly) again and again.
//
//  The fixture holds a fresh temporary directory, one cf_testproc_t of the
//  binary with its data directory in it, and an api client made at the
//  first start. The first start may move to fresh ports when the service
//  loses a port race (cf_testclient_start); later starts keep the ports,
//  so the client and the test's own sockets stay pointed at the service.
//  Teardown kills what still runs (SIGKILL: a failed assertion leaves the
//  service mid-work), prints the end of the log unless the test set
//  `passed`, and removes the directory unless CF_TEST_KEEP is set.
//
//  The struct is public: tests read proc (endpoints, pid, log path) and
//  client, and set flags, passed and proc.die_with_parent.
#ifndef CF_TESTFIXTURE_H
#define CF_TESTFIXTURE_H

#include "cf_api.h"
#include "cf_testproc.h"

#include <stdbool.h>

//  How long a start may take to become ready, and a stop to end.
#define CF_TESTFIXTURE_READY_MS 20000
#define CF_TESTFIXTURE_STOP_MS  15000

typedef struct {
    char *tmp;                 //  the temporary directory of it all
    cf_testproc_t proc;        //  data in tmp/<binary without "caseflow-">, log beside it
    cf_api_client_t *client;   //  NULL until the first start
    const char *const *flags;  //  extra flags for every start (borrowed, NULL: none)
    bool started;              //  once: later starts keep the ports the client knows
    bool passed;               //  set by the test at its end: teardown keeps quiet
} cf_testfixture_t;

//  Prepares (does not start) `binary` (a name built into bin/, such as
//  "caseflow-testsvc") under a fresh temporary directory named after
//  `label`. Never NULL (asserted). Destroy with cf_testfixture_destroy.
cf_testfixture_t *
cf_testfixture_new (const char *label, const char *binary);

//  Kills the process if it runs, prints its log unless `passed`, removes
//  the directory (kept, and named on stderr, when CF_TEST_KEEP is set),
//  frees the fixture and nulls the caller's pointer. Safe on NULL.
void
cf_testfixture_destroy (cf_testfixture_t **self_p);

//  Starts (or restarts) the process with self->flags and waits until it is
//  ready; a cmocka failure naming the log if it is not. Makes the client
//  at the first start.
void
cf_testfixture_start (cf_testfixture_t *self);

//  Stops the process with `signum` and asserts how it ended: killed by
//  SIGKILL when that was the signal, otherwise exit code 0.
void
cf_testfixture_stop (cf_testfixture_t *self, int signum);

//  A cmocka teardown for a test whose setup put a fixture in *state:
//  cf_testfixture_destroy on it. Returns 0.
int
cf_testfixture_teardown (void **state);

#endif
