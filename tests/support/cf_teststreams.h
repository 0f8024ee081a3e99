//  cf_teststreams: stand-ins for the four streams the gateway follows.
//
//  The gateway follows intake, assignment, handover and notification (any
//  of their events can go to a webhook). A test of the gateway alone runs
//  four caseflow-testsvc processes named after them instead: each serves
//  a stream of that name (CounterIncremented events on a counter command),
//  so the gateway catches up with each and turns ready, and a test can make
//  "intake" events at will.
#ifndef CF_TESTSTREAMS_H
#define CF_TESTSTREAMS_H

#include "cf_testproc.h"

#define CF_TESTSTREAMS_COUNT 4

typedef struct {
    cf_testproc_t procs [CF_TESTSTREAMS_COUNT];  //  in the order started
    char flags [2 * CF_TESTSTREAMS_COUNT][160];  //  --<stream>-events=…, --<stream>-api=…
    int count;
} cf_teststreams_t;

//  Starts one stand-in per name of `names` (NULL-terminated, at most 4;
//  NULL: intake, assignment, handover and notification) under `dir`
//  (dir/<stream>) and waits until each is ready (a cmocka failure
//  otherwise).
void
cf_teststreams_start (cf_teststreams_t *self, const char *dir, const char *const *names);

//  Copies the endpoint flags (two per stream) into `extra` from `at` on;
//  returns the index after the last.
int
cf_teststreams_add_flags (cf_teststreams_t *self, const char **extra, int at);

//  SIGTERM to each, asserting a clean exit, and frees.
void
cf_teststreams_stop (cf_teststreams_t *self);

#endif
