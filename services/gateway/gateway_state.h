//  gateway_state: the gateway's state, and `apply`, the only function that
//  changes it.
//
//  The state is what the gateway must know to take CloudEvents in and to
//  answer what became of them:
//    - the publishers (PublisherAdded / TokenRotated / Removed): each one's
//      source, the types it may send, its channel, and the ids of its
//      tokens' hash records in the key store (the current one and, until
//      its grace end, the one rotated out). The tokens themselves are never
//      here: gateway_secrets finds a token's record by its keyed hash;
//    - every inbound event accepted (InboundAccepted), indexed by
//      (source, id): the dedup index, which a replay rebuilds, so a repeat
//      is answered 202 again after any restart and applied once; with its
//      seq, type, arrival, the transit key its personal values are sealed
//      under, and what intake or handover made of it (their
//      InboundOutcome events, which the gateway follows back).
//  Personal data is never here: it travels sealed in the InboundAccepted
//  events only (the state keeps the transit key's id, so intake's
//  ResidentErased finds the keys to destroy).
//
//  The structs are open to the service's own modules for reading; only
//  gateway_state_apply writes them.
#ifndef GATEWAY_STATE_H
#define GATEWAY_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "caseflow/v1/gateway.pb-c.h"
#include "cf_hash.h"
#include "cf_seal.h"
#include "cf_service.h"
#include "cf_strings.h"

#include <czmq.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The stream the gateway writes, and the ones it follows back.
#define GATEWAY_STREAM   "gateway"
#define GATEWAY_INTAKE   "intake"
#define GATEWAY_HANDOVER "handover"

//  The field of the associated data every personal value is sealed with.
#define GATEWAY_FIELD_INBOUND "gateway.InboundAccepted"

typedef Caseflow__V1__Gateway__PublisherChannel gateway_channel_t;
typedef Caseflow__V1__Gateway__InboundState gateway_inbound_state_t;
#define GATEWAY_INBOUND_NONE     CASEFLOW__V1__GATEWAY__INBOUND_STATE__INBOUND_STATE_UNSPECIFIED
#define GATEWAY_INBOUND_ACCEPTED CASEFLOW__V1__GATEWAY__INBOUND_STATE__INBOUND_STATE_ACCEPTED
#define GATEWAY_INBOUND_APPLIED  CASEFLOW__V1__GATEWAY__INBOUND_STATE__INBOUND_STATE_APPLIED
#define GATEWAY_INBOUND_REJECTED CASEFLOW__V1__GATEWAY__INBOUND_STATE__INBOUND_STATE_REJECTED

//  A publisher's lifecycle (gateway_lifecycle.h). No proto enum: the
//  state is implied by which events happened.
typedef enum {
    GATEWAY_PUBLISHER_NONE = 0,
    GATEWAY_PUBLISHER_ACTIVE,
    GATEWAY_PUBLISHER_REMOVED,
    GATEWAY_PUBLISHER_STATE_COUNT
} gateway_publisher_state_t;

//  The service's own configuration (gateway_main.c lists the entries).
typedef struct {
    int64_t rotation_grace;  //  default grace of a rotated-out token
    size_t max_body;         //  largest request body taken (bytes)
} gateway_config_t;

typedef struct {
    char *publisher_id;
    char *source;
    char **types;
    size_t type_count;
    gateway_channel_t channel;
    gateway_publisher_state_t status;
    int64_t added_at;
    int64_t removed_at;
    uint64_t accepted;  //  inbound events accepted from it
    char token_id [CF_SEAL_ID_SIZE];
    //  The token rotated out, valid until previous_valid_until ("" none).
    char previous_token_id [CF_SEAL_ID_SIZE];
    int64_t previous_valid_until;
} gateway_publisher_t;

//  One inbound event accepted. Its text (ids, type) is interned in the
//  state's pool: borrowed, never freed alone.
typedef struct {
    const char *source;
    const char *ce_id;
    const char *type;
    const char *publisher_id;
    uint64_t seq;  //  of its InboundAccepted
    int64_t received_at;
    gateway_inbound_state_t status;
    const char *reason;  //  "" unless rejected
    const char *case_id;
    const char *handover_id;
    //  The transit key of its personal values ("" for none: a call).
    char transit_key_id [CF_SEAL_ID_SIZE];
    int64_t erased_at;  //  intake erased the resident (the key goes)
    char erased_subject [CF_SEAL_ID_SIZE];
} gateway_inbound_t;

typedef struct {
    gateway_config_t config;
    zhashx_t *publishers;         //  publisher id -> gateway_publisher_t *, owned
    cf_hash_t *tokens;            //  token id -> gateway_publisher_t *, borrowed
    cf_hash_t *sources;           //  source -> the active gateway_publisher_t *, borrowed
    gateway_inbound_t **inbound;  //  in seq order, owned
    size_t inbound_count;
    size_t inbound_capacity;
    cf_hash_t *dedup;   //  "source\x1fce_id" -> gateway_inbound_t *, borrowed
    cf_hash_t *by_key;  //  transit key id -> gateway_inbound_t *, borrowed
    cf_strings_t *strings;
    //  Token ids no longer valid (superseded by a second rotation, or of a
    //  removed publisher), in the order retired: their hash records are
    //  erased from the key store after the commit (gateway_keys.h).
    char (*retired) [CF_SEAL_ID_SIZE];
    size_t retired_count;
    uint64_t applied;                    //  events applied (own and upstream)
    struct _gateway_secrets_t *secrets;  //  set by the owner; see gateway_state_set_secrets
    //  The ingress's counters (gateway_ingress.h), set by the owner; NULL
    //  outside the service. Not state: apply never touches them.
    struct _gateway_meters_t *meters;
} gateway_state_t;

//  Fresh, empty state with `config` (copied). Never NULL.
gateway_state_t *
gateway_state_new (const gateway_config_t *config);

//  Frees the state, safe on NULL; nulls *self_p.
void
gateway_state_destroy (gateway_state_t **self_p);

//  Applies one journaled event. Deterministic; copies what it keeps. An
//  own event returns 0 (one that does not fit the state was decided wrongly:
//  logged and asserted). Of the upstream streams, InboundOutcome (intake's
//  and handover's) and intake's ResidentErased count (0); every other
//  upstream event, and an outcome for an event already settled or unknown,
//  returns 1 ("not for me") and changes nothing.
int
gateway_state_apply (gateway_state_t *self, const Caseflow__V1__Event *event);

//  The publisher with `id`, or NULL (removed ones included). Borrowed.
gateway_publisher_t *
gateway_state_publisher (const gateway_state_t *self, const char *id);

//  The active publisher whose token record is `token_id` at `now` (the
//  current token, or the rotated-out one before its grace end), or NULL.
gateway_publisher_t *
gateway_state_token_owner (const gateway_state_t *self, const char *token_id, int64_t now);

//  The active publisher publishing as `source`, or NULL. Borrowed.
gateway_publisher_t *
gateway_state_source_owner (const gateway_state_t *self, const char *source);

//  Publishers in id order: a fresh array (free with free) of borrowed
//  pointers; *count_p is set. NULL when there are none.
gateway_publisher_t **
gateway_state_publishers (const gateway_state_t *self, size_t *count_p);

//  The inbound event (`source`, `ce_id`), or NULL. Borrowed.
gateway_inbound_t *
gateway_state_inbound (const gateway_state_t *self, const char *source, const char *ce_id);

//  The inbound event whose transit key is `key_id`, or NULL. Borrowed.
gateway_inbound_t *
gateway_state_by_key (const gateway_state_t *self, const char *key_id);

//  The gateway's helpers that live beside the state (gateway_secrets.h:
//  not state, apply never touches them). Set once by the owner. Borrowed.
void
gateway_state_set_secrets (gateway_state_t *self, struct _gateway_secrets_t *secrets);

//  A fresh InboundStatus of `inbound` (free with
//  caseflow__v1__gateway__inbound_status__free_unpacked (status, NULL)).
Caseflow__V1__Gateway__InboundStatus *
gateway_state_inbound_view (const gateway_inbound_t *inbound);

//  A fresh PublisherInfo of `publisher` (free with
//  caseflow__v1__gateway__publisher_info__free_unpacked (info, NULL)).
Caseflow__V1__Gateway__PublisherInfo *
gateway_state_publisher_view (const gateway_publisher_t *publisher);

//  Feeds the canonical state into `hash`: the number of events applied,
//  publishers in id order (their view, state and token ids), retired token
//  ids, then inbound events in seq order (their view, transit key id and
//  erasure): equal states give equal bytes.
void
gateway_state_digest (const gateway_state_t *state, crypto_hash_sha256_state *hash);

//  cf_service_def_t's apply and digest: the calls above.
int
gateway_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
gateway_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

#endif
