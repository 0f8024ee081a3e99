//  cf_fuzz: what the fuzz targets share.
//
//  Every target is a libFuzzer entry point, LLVMFuzzerTestOneInput, over
//  one decoder or validator that takes outside bytes. Built with clang's
//  -fsanitize=fuzzer (tests/fuzz/run.sh) they are fuzzers; built into
//  test_fuzz_corpus (any compiler, the normal test build) each entry point
//  is renamed and replays the committed corpus and the regression inputs,
//  so a crash once found stays fixed.
//
//  A violated property aborts (libFuzzer reports it as a crash, with the
//  input). The service command targets read their input as a sequence of
//  commands, each [length, 2 bytes little-endian][encoded command], so the
//  fuzzer can build state (a case, then a triage of it) before the command
//  under attack.
#ifndef CF_FUZZ_H
#define CF_FUZZ_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_decider.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Once per process: time zone, quiet logs.
void
cf_fuzz_init (void);

//  Aborts with `what` on stderr when `condition` is false (stays on in
//  every build, unlike assert).
#define CF_FUZZ_CHECK(condition, what) \
    ((condition) ? (void) 0 : cf_fuzz_fail (what, __FILE__, __LINE__))
void
cf_fuzz_fail (const char *what, const char *file, int line) __attribute__ ((noreturn));

//  A service's pure decision code, as the command targets drive it.
typedef struct {
    const char *stream;
    void *(*state_new) (void);
    void (*state_destroy) (void *state);
    //  Applies one event; 0 when it was the service's.
    int (*apply) (void *state, const Caseflow__V1__Event *event);
    void (*digest) (void *state, crypto_hash_sha256_state *hash);
    //  Decodes one command from the bytes and decides on it with
    //  `decider` (its clock, its reply, and an emitter that does what
    //  cf_service_emit does, in memory). False when the bytes are not a
    //  command (nothing decided).
    bool (*decide) (void *state, cf_decider_t *decider, const uint8_t *data, size_t size);
} cf_fuzz_service_t;

//  A key store for `service` (cf_keystore.h), for targets whose decisions
//  seal personal data as the service does: in a temporary directory made
//  on first use and removed at exit, one per service name (at most four).
//  Borrowed.
struct _cf_keystore_t;
struct _cf_keystore_t *
cf_fuzz_service_keystore (const char *service);

//  Drops every write an input made to `service`'s key store (nothing is
//  committed to it: when writes are pending it is closed and opened
//  again), so an input never depends on the ones before. Call when the
//  input's last state is gone.
void
cf_fuzz_service_keystore_reset (const char *service);

//  Runs the commands in `data` against a fresh state and checks the
//  runtime's promises: a refused command emitted nothing; INVALID_ARGUMENT
//  names a field; every event encodes and decodes; replaying the events
//  into a fresh state gives the same digest. Returns 0.
int
cf_fuzz_service_run (const cf_fuzz_service_t *service, const uint8_t *data, size_t size);

#endif
