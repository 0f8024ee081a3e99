//  cf_testpublisher: the systems around the social teams, as the programs
//  that load the gateway see them: a publisher (its id, source, token and
//  the one type it sends), made known to the gateway over its api, its
//  CloudEvents by number (the same number, the same event: a repeat is
//  the same (source, id) with the same content), posted in structured,
//  binary or batch mode over a kept-alive connection (cf_testhttp); and a
//  tally of the gateway's stream, InboundAccepted by (source, id), to
//  check that each event accepted is recorded exactly once.
//
//  Used by the ingress load test (tests/integration/test_gateway_load.c),
//  the chaos run's publishers (tests/fault/chaos_ingress.c) and the ingress
//  benchmark (tests/bench/bench_gateway.c). Nothing here asserts with
//  cmocka: calls return what happened, each program judges.
#ifndef CF_TESTPUBLISHER_H
#define CF_TESTPUBLISHER_H

#include "cf_testhttp.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  One kind of publisher per inbound type family of the catalogue; each
//  sends one type.
typedef enum {
    CF_TESTPUBLISHER_REFERRAL,      //  a partner: nl.sociaal-domein.verwijzing-ontvangen
    CF_TESTPUBLISHER_ANNOUNCEMENT,  //  a provider: nl.sociaal-domein.overdracht-aangekondigd
    CF_TESTPUBLISHER_DECISION,      //  the back office: nl.sociaal-domein.beschikking-aangevraagd
    CF_TESTPUBLISHER_CALL,          //  the telephone platform: nl.telefonie.gesprek-aangeboden
    CF_TESTPUBLISHER_KINDS
} cf_testpublisher_kind_t;

typedef struct {
    cf_testpublisher_kind_t kind;
    char id [32];      //  publisher id, "publisher-<n>"
    char source [96];  //  "urn:nld:oin:…:systeem:<kind>-<n>"
    char token [64];   //  its bearer token (48 characters)
    char auth [96];    //  "Authorization: Bearer <token>\r\n"
    const char *type;  //  the type it sends (static)
    int channel;       //  Caseflow__V1__Gateway__PublisherChannel
} cf_testpublisher_t;

//  Fills `self` for publisher number `number` (0-999) of `kind`; numbers
//  make the id, source and token distinct.
void
cf_testpublisher_init (cf_testpublisher_t *self, int number, cf_testpublisher_kind_t kind);

//  Adds the publisher through the gateway's api at `api` (PublisherAdd).
//  Returns 0 when added, else the refusal's Status code, or -1 when no
//  answer came.
int
cf_testpublisher_add (const cf_testpublisher_t *self, const char *api);

//  The id of the publisher's event number `number` ("ev-<number>").
void
cf_testpublisher_event_id (uint64_t number, char *id, size_t size);

//  Posts events `numbers` (`count` of them, 1-1000) to POST /events on
//  `http`: one event in structured mode, or in binary mode with `binary`;
//  more as one batch. Returns the HTTP status, or -1 when no answer came
//  (cf_testhttp_request).
int
cf_testpublisher_post (const cf_testpublisher_t *self, cf_testhttp_t *http, const uint64_t *numbers,
                       size_t count, bool binary);

//  ------------------------------------------------------------- the plan

//  One request of a plan: slots [first, first + count), in binary mode
//  when it is one event and `binary`.
typedef struct {
    size_t first, count;
    bool binary;
} cf_testpublisher_request_t;

//  What one publisher sends, drawn from a seed: event numbers in sending
//  order (repeats included), cut into requests.
typedef struct {
    uint64_t *slots;
    size_t slot_count;
    size_t distinct;  //  different event numbers among the slots
    cf_testpublisher_request_t *requests;
    size_t request_count;
} cf_testpublisher_plan_t;

//  A plan of `events` slots: every tenth (slots 9, 19, ...) a repeat of
//  one of the (up to) 20 fresh events before it, so that it is often still
//  in flight or in the same batch; cut into requests, half of them single
//  events (one in four of those in binary mode), the others batches of 2
//  to `batch_max` events (2-1000). The same `seed`, the same plan. Free
//  with cf_testpublisher_plan_free.
void
cf_testpublisher_plan_init (cf_testpublisher_plan_t *self, size_t events, size_t batch_max,
                            uint64_t seed);

void
cf_testpublisher_plan_free (cf_testpublisher_plan_t *self);

//  Posts request `r` of `plan` (cf_testpublisher_post).
int
cf_testpublisher_post_request (const cf_testpublisher_t *self, cf_testhttp_t *http,
                               const cf_testpublisher_plan_t *plan, size_t r);

//  ------------------------------------------------------------ the tally

typedef struct _cf_testpublisher_tally_t cf_testpublisher_tally_t;

//  Reads the gateway's stream at `api` from seq 1 through replay and
//  counts its InboundAccepted by (source, id). Returns a fresh tally
//  (cf_testpublisher_tally_destroy), or NULL when a replay went
//  unanswered (said on stderr).
cf_testpublisher_tally_t *
cf_testpublisher_tally_new (const char *api);

void
cf_testpublisher_tally_destroy (cf_testpublisher_tally_t **self_p);

//  How many InboundAccepted name (source, id).
size_t
cf_testpublisher_tally_times (const cf_testpublisher_tally_t *self, const char *source,
                              const char *id);

//  InboundAccepted in the stream; distinct (source, id) among them; the
//  stream's last seq.
size_t
cf_testpublisher_tally_accepted (const cf_testpublisher_tally_t *self);
size_t
cf_testpublisher_tally_distinct (const cf_testpublisher_tally_t *self);
uint64_t
cf_testpublisher_tally_head (const cf_testpublisher_tally_t *self);

#endif
