//  cf_testclient: requests to the test service (tests/testsvc) for
//  integration tests, and a few calls that check the answer.
//
//  A cf_testreq_t holds a Request and every piece it may point to, so a
//  test builds one on the stack with one call (no allocation), sends it
//  with cf_api_client_call (or encodes it to send raw bytes), and sends it
//  again with the same request id to test idempotency. A cf_testreq_t
//  points into itself: build it where it is used, never copy it.
//
//  The cf_testclient_* calls send a request and check the reply with
//  cmocka assertions (naming the request and the status on failure), for
//  the common case where the test only needs the value. A few serve every
//  service: a command or query of any service, the checks of a full store
//  (status, refusal, log line).
#ifndef CF_TESTCLIENT_H
#define CF_TESTCLIENT_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_testproc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    Caseflow__V1__Request request;  //  send this
    Caseflow__V1__Command command;
    Caseflow__V1__Query query;
    Caseflow__V1__ReplayRequest replay;
    Caseflow__V1__ClockSet clock_set;
    Caseflow__V1__ClockAdvance clock_advance;
    Caseflow__V1__Testing__Increment increment;
    Caseflow__V1__Testing__Generate generate;
    Caseflow__V1__Testing__Stall stall;
    Caseflow__V1__StatusQuery status;
    Caseflow__V1__DigestQuery digest;
    Caseflow__V1__ClockQuery clock;
    Caseflow__V1__Testing__GetCounter get_counter;
    Caseflow__V1__Testing__GetSummary get_summary;
    char request_id [CF_API_MAX_REQUEST_ID + 1];
    char name [128];  //  counter or stream name
} cf_testreq_t;

//  Commands. `request_id` may be NULL or "" (cf_api_client_call then uses
//  a fresh ULID); it is copied, as is `counter`.
void
cf_testreq_increment (cf_testreq_t *self, const char *request_id, const char *counter,
                      int64_t amount);
void
cf_testreq_generate (cf_testreq_t *self, const char *request_id, uint32_t count, uint32_t size);
void
cf_testreq_stall (cf_testreq_t *self, const char *request_id, uint32_t millis);
void
cf_testreq_clock_set (cf_testreq_t *self, const char *request_id, int64_t at);
void
cf_testreq_clock_advance (cf_testreq_t *self, const char *request_id, int64_t micros);

//  Queries and replay, each with a fresh request id of its own.
void
cf_testreq_status (cf_testreq_t *self);
void
cf_testreq_digest (cf_testreq_t *self);
void
cf_testreq_clock (cf_testreq_t *self);
void
cf_testreq_get_counter (cf_testreq_t *self, const char *counter);
void
cf_testreq_summary (cf_testreq_t *self);
void
cf_testreq_replay (cf_testreq_t *self, const char *stream, uint64_t from_seq, uint32_t max_events,
                   uint32_t max_bytes);

//  Encodes the request as it is (an empty request id stays empty).
//  Returns a fresh buffer (free with free) and sets *size_p.
void *
cf_testreq_encode (const cf_testreq_t *self, size_t *size_p);

//  A client of `endpoint` with the tests' patience (5 s per try, 3
//  retries). Never NULL (asserted).
cf_api_client_t *
cf_testclient_new (const char *endpoint);

//  Sends `req` and returns the reply (free with
//  caseflow__v1__reply__free_unpacked), asserting that one came.
Caseflow__V1__Reply *
cf_testclient_call (cf_api_client_t *client, cf_testreq_t *req);

//  Sends a command of any service (borrowed) with `request_id` (NULL or
//  "": a fresh one) and returns the reply (free with
//  caseflow__v1__reply__free_unpacked), asserting that one came.
Caseflow__V1__Reply *
cf_testclient_command (cf_api_client_t *client, const char *request_id,
                       Caseflow__V1__Command *command);

//  The same for a query (borrowed), with a fresh request id.
Caseflow__V1__Reply *
cf_testclient_query (cf_api_client_t *client, Caseflow__V1__Query *query);

//  Asserts that `reply` has status `code` and, unless NULL, names `field`.
void
cf_testclient_assert_status (const Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code,
                             const char *field);

//  Increment: asserts OK and returns the counter's new value.
int64_t
cf_testclient_increment (cf_api_client_t *client, const char *request_id, const char *counter,
                         int64_t amount);

//  Generate `count` notes of `size` bytes: asserts OK, returns last_seq.
uint64_t
cf_testclient_generate (cf_api_client_t *client, const char *request_id, uint32_t count,
                        uint32_t size);

//  GetCounter: asserts OK and returns the value.
int64_t
cf_testclient_counter (cf_api_client_t *client, const char *counter);

//  StateDigest: asserts OK, copies the hex SHA-256 into `sha` and returns
//  events_applied.
uint64_t
cf_testclient_digest (cf_api_client_t *client, char sha [65]);

//  ClockQuery: asserts OK and returns the clock's reading.
int64_t
cf_testclient_clock (cf_api_client_t *client);

//  ServiceStatus: asserts OK and returns the reply (free with
//  caseflow__v1__reply__free_unpacked); the status is reply->query->status.
Caseflow__V1__Reply *
cf_testclient_status (cf_api_client_t *client);

//  ServiceStatus: asserts OK and that the store is full (`full`) or not,
//  and returns the service's last_seq.
uint64_t
cf_testclient_store_full (cf_api_client_t *client, bool full);

//  Registers resident `number` at intake with `request_id`: a name of its
//  own ("Resident 00042") and a question of about 4 kB, so a store fills in
//  a few hundred (the full-store tests). The reply as cf_testclient_command.
Caseflow__V1__Reply *
cf_testclient_register_bulky (cf_api_client_t *client, const char *request_id, int number);

//  Asserts that `reply` refused a command for want of room: UNAVAILABLE,
//  with a message that says the store is full.
void
cf_testclient_assert_refused_full (const Caseflow__V1__Reply *reply);

//  Asserts that the log at `path` has a line holding `text`.
void
cf_test_assert_logged (const char *path, const char *text);

//  GetSummary without assertions, for polling: returns 0 and fills
//  *summary, or -1 when no OK answer came.
int
cf_testclient_summary (cf_api_client_t *client, Caseflow__V1__Testing__Summary *summary);

//  Starts `proc` with `extra` flags (see cf_testproc_start) and waits up to
//  `timeout_ms` for /readyz. On a first start (`first`), a process that
//  exits at once is taken for a port another program grabbed between the
//  pick and the bind: fresh ports are picked and it is started again (up
//  to 3 times). Returns true when ready.
bool
cf_testclient_start (cf_testproc_t *proc, const char *const *extra, bool first, int timeout_ms);

//  For a test of a service that follows intake's stream (handover, for
//  ResidentErased) but is not about intake: a real caseflow-intake with
//  its data in `data_dir` whose own upstreams point at ports nobody
//  listens on, so it never writes an event (the follower's journal holds
//  only its own) and never turns ready, but serves its stream; started and
//  waited for until /healthz answers. Fills `intake` (the test stops and
//  destroys it) and `flags` with "--intake-events=…" and "--intake-api=…"
//  for the follower.
void
cf_testclient_start_intake (cf_testproc_t *intake, const char *data_dir, char flags [2][128]);

//  The same intake with `extra` flags too (NULL-terminated, at most 8;
//  NULL: none), for a test of intake alone (its commands, caseflowctl's
//  intake verbs): started and waited for until /healthz answers.
void
cf_testclient_start_lone_intake (cf_testproc_t *intake, const char *data_dir,
                                 const char *const *extra);

//  Removes every CASEFLOW_* variable but CASEFLOW_LOG_LEVEL from this
//  process's environment, so the services a test starts see only what the
//  test gives them, whatever the shell or CI job exported. Call first in
//  main, before any thread starts.
void
cf_test_clear_caseflow_env (void);

//  Prints the last 40 lines of a service's log on stderr (to tell why a
//  test failed). Nothing if the file cannot be read.
void
cf_test_dump_log (const char *path);

//  Sleeps `ms` milliseconds.
void
cf_test_sleep_ms (int ms);

//  CLOCK_MONOTONIC in milliseconds.
int64_t
cf_test_now_ms (void);

#endif
