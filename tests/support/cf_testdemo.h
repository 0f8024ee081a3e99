//  cf_testdemo: the demo's recorded streams, read for the tests that fold
//  them (tests/fixtures/demo/: the report's golden test, the what-if
//  sandbox's tests and benchmark).
//
//  No service runs: each service's journal is copied out of the source
//  tree into a temporary directory (LMDB writes its lock file beside the
//  data) and its produced events are read with the journal's own read
//  api, decoded, in seq order, as the replay api serves them.
#ifndef CF_TESTDEMO_H
#define CF_TESTDEMO_H

#include "cf_fold.h"

//  The five streams (every one available), owned.
typedef struct {
    Caseflow__V1__Event **events [CF_FOLD_STREAM_COUNT];
    size_t caps [CF_FOLD_STREAM_COUNT];
    cf_fold_streams_t streams;
    char *dir;
} cf_testdemo_t;

//  Reads the fixture's five journals. Never NULL (a failure fails the
//  test). Free with cf_testdemo_destroy.
cf_testdemo_t *
cf_testdemo_load (void);

//  Frees the events and removes the temporary directory; safe on NULL,
//  nulls *self_p.
void
cf_testdemo_destroy (cf_testdemo_t **self_p);

//  cmocka group set-up and tear-down: *state is the loaded demo.
int
cf_testdemo_setup (void **state);
int
cf_testdemo_teardown (void **state);

#endif
