//  cf_transit: fetching a transit key from its holder (see cf_transit.h).
#include "cf_transit.h"

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_config.h"
#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

//  Each holder's stream: the server key a CURVE client checks, the name
//  the log lines use.
static const char *const s_streams [CF_TRANSIT_HOLDERS] = { "handover", "gateway" };

struct _cf_transit_t {
    char *endpoints [CF_TRANSIT_HOLDERS];
    cf_keys_t *keys;
};

cf_transit_t *
cf_transit_new (cf_keys_t *keys)
{
    cf_transit_t *self = calloc (1, sizeof *self);
    assert (self);
    for (int h = 0; h < CF_TRANSIT_HOLDERS; h++) {
        self->endpoints [h] = strdup ("");
        assert (self->endpoints [h]);
    }
    self->keys = keys;
    return self;
}

void
cf_transit_set (cf_transit_t *self, cf_transit_holder_t holder, const char *endpoint)
{
    assert (holder < CF_TRANSIT_HOLDERS);
    free (self->endpoints [holder]);
    bool none = !endpoint || strcmp (endpoint, CF_CONFIG_NONE) == 0;
    self->endpoints [holder] = strdup (none ? "" : endpoint);
    assert (self->endpoints [holder]);
}

void
cf_transit_free (void *self_)
{
    cf_transit_t *self = self_;
    if (!self)
        return;
    for (int h = 0; h < CF_TRANSIT_HOLDERS; h++)
        free (self->endpoints [h]);
    free (self);
}

//  The transit key in a holder's answer, or NULL: its id, key and the id
//  it was asked by.
static const ProtobufCBinaryData *
s_answer (cf_transit_holder_t holder, const Caseflow__V1__Reply *reply, const char **key_id_p,
          const char **asked_p)
{
    if (reply->result_case != CASEFLOW__V1__REPLY__RESULT_QUERY)
        return NULL;
    const Caseflow__V1__QueryResult *result = reply->query;
    if (holder == CF_TRANSIT_HANDOVER && result->handover
        && result->handover->body_case == CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_TRANSIT_KEY) {
        *key_id_p = result->handover->transit_key->key_id;
        *asked_p = result->handover->transit_key->handover_id;
        return &result->handover->transit_key->key;
    }
    if (holder == CF_TRANSIT_GATEWAY && result->gateway
        && result->gateway->body_case == CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_TRANSIT_KEY) {
        *key_id_p = *asked_p = result->gateway->transit_key->key_id;
        return &result->gateway->transit_key->key;
    }
    return NULL;
}

//  The key in `reply`, checked: 0, or the error the reply means.
static int
s_take (cf_transit_holder_t holder, const char *id, Caseflow__V1__Reply *reply,
        char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES])
{
    const char *stream = s_streams [holder];
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        cf_log_warn ("%s %s: %s refused its transit key: %s %s", stream, id, stream,
                     cf_api_code_name (code), reply->status ? reply->status->message : "");
        return code == CASEFLOW__V1__STATUS__CODE__NOT_FOUND
                       || code == CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
                   ? CF_ENOTFOUND
                   : CF_EUNAVAILABLE;
    }
    const char *got_id = NULL, *asked = NULL;
    const ProtobufCBinaryData *answer = s_answer (holder, reply, &got_id, &asked);
    if (!answer || answer->len != CF_SEAL_KEY_BYTES || !cf_seal_id_valid (got_id, 'T')
        || strcmp (asked, id) != 0) {
        cf_log_warn ("%s %s: %s's answer is not a transit key", stream, id, stream);
        return CF_EPROTO;
    }
    memcpy (key_id, got_id, CF_SEAL_ID_SIZE);
    memcpy (key, answer->data, CF_SEAL_KEY_BYTES);
    sodium_memzero (answer->data, answer->len);
    return 0;
}

//  The GetTransitKey query of `holder` for `id`, into `request` (its
//  parts in `parts`, borrowed by the request).
typedef struct {
    Caseflow__V1__Handover__GetTransitKey handover;
    Caseflow__V1__Handover__Query handover_query;
    Caseflow__V1__Gateway__GetTransitKey gateway;
    Caseflow__V1__Gateway__Query gateway_query;
    Caseflow__V1__Query query;
} s_parts_t;

static void
s_request (cf_transit_holder_t holder, const char *id, s_parts_t *parts,
           Caseflow__V1__Request *request)
{
    caseflow__v1__query__init (&parts->query);
    if (holder == CF_TRANSIT_HANDOVER) {
        caseflow__v1__handover__get_transit_key__init (&parts->handover);
        parts->handover.handover_id = (char *) id;
        caseflow__v1__handover__query__init (&parts->handover_query);
        parts->handover_query.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_TRANSIT_KEY;
        parts->handover_query.get_transit_key = &parts->handover;
        parts->query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
        parts->query.handover = &parts->handover_query;
    } else {
        caseflow__v1__gateway__get_transit_key__init (&parts->gateway);
        parts->gateway.key_id = (char *) id;
        caseflow__v1__gateway__query__init (&parts->gateway_query);
        parts->gateway_query.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_TRANSIT_KEY;
        parts->gateway_query.transit_key = &parts->gateway;
        parts->query.body_case = CASEFLOW__V1__QUERY__BODY_GATEWAY;
        parts->query.gateway = &parts->gateway_query;
    }
    caseflow__v1__request__init (request);
    request->request_id = "";
    request->body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request->query = &parts->query;
}

int
cf_transit_fetch (void *self_, cf_transit_holder_t holder, const char *id,
                  char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES])
{
    cf_transit_t *self = self_;
    assert (holder < CF_TRANSIT_HOLDERS);
    if (!self || !*self->endpoints [holder])
        return CF_EUNAVAILABLE;
    const char *stream = s_streams [holder];
    cf_api_client_t *client = cf_api_client_new_secure (
        self->endpoints [holder], CF_TRANSIT_TIMEOUT_MS, CF_TRANSIT_TRIES - 1, self->keys, stream);
    if (!client)
        return CF_EUNAVAILABLE;
    s_parts_t parts;
    Caseflow__V1__Request request;
    s_request (holder, id, &parts, &request);
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, &rc);
    cf_api_client_destroy (&client);
    if (!reply) {
        cf_log_warn ("%s %s: %s's api %s did not answer for its transit key (%s)", stream, id,
                     stream, self->endpoints [holder], cf_strerror (rc));
        return CF_EUNAVAILABLE;
    }
    rc = s_take (holder, id, reply, key_id, key);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}
