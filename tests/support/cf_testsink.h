//  cf_testsink: a webhook receiver on loopback that misbehaves on cue.
//
//  A libmicrohttpd server (a thread per connection, so a slow answer holds
//  only its own connection) that records every request it gets and answers
//  each POST by a script: "500,500,429:2,slow:1500,410,ok" answers the next
//  POSTs 500, 500, 429 with Retry-After 2, 200 after 1.5 s, 410, 200, and
//  every later POST `ok` (204). It answers the NL GOV webhook handshake
//  (OPTIONS with WebHook-Request-Origin) with WebHook-Allowed-Origin, unless
//  told to refuse. It can go down (its port closed) and come back on the
//  same port, to play a receiver that is away for a while.
#ifndef CF_TESTSINK_H
#define CF_TESTSINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _cf_testsink_t cf_testsink_t;

//  One request as it came.
typedef struct {
    char method [16];
    char path [128];
    char *body;  //  NUL-terminated
    char authorization [256];
    char content_type [128];
    char origin [128];    //  WebHook-Request-Origin
    int64_t received_ns;  //  CLOCK_MONOTONIC when its body had arrived
    unsigned status;      //  what it was answered (0: the connection was cut)
} cf_testsink_request_t;

//  Listens on a free port of 127.0.0.1. Never NULL (asserted).
cf_testsink_t *
cf_testsink_new (void);

//  Stops and frees; nulls *self_p.
void
cf_testsink_destroy (cf_testsink_t **self_p);

uint16_t
cf_testsink_port (cf_testsink_t *self);

//  "http://127.0.0.1:PORT/hook". Borrowed.
const char *
cf_testsink_url (cf_testsink_t *self);

//  Appends answers for the coming POSTs (see the top). Words: a status
//  number, "429:S" (Retry-After S seconds), "429:date:S" (Retry-After as
//  an HTTP-date S seconds from now), "slow:MS" (200 after MS ms), "ok".
void
cf_testsink_script (cf_testsink_t *self, const char *script);

//  Answers the handshake (OPTIONS) without WebHook-Allowed-Origin.
void
cf_testsink_refuse_handshake (cf_testsink_t *self, bool refuse);

//  Closes the port (requests are refused) or opens it again on the same
//  port.
void
cf_testsink_down (cf_testsink_t *self);
void
cf_testsink_up (cf_testsink_t *self);

//  Requests recorded so far (every method).
size_t
cf_testsink_count (cf_testsink_t *self);

//  A copy of request `index` (free with cf_testsink_request_free).
//  Asserts index < count.
cf_testsink_request_t *
cf_testsink_request (cf_testsink_t *self, size_t index);

void
cf_testsink_request_free (cf_testsink_request_t **request_p);

#endif
