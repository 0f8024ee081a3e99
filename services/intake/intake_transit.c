//  intake_transit: fetching a transit key from handover (see
//  intake_transit.h).
#include "intake_transit.h"

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

//  The stream whose server key a CURVE client of handover's api checks.
#define S_HANDOVER "handover"

struct _intake_transit_t {
    char *endpoint;
    cf_keys_t *keys;
};

intake_transit_t *
intake_transit_new (const char *endpoint, cf_keys_t *keys)
{
    intake_transit_t *self = calloc (1, sizeof *self);
    assert (self);
    self->endpoint = strdup (endpoint ? endpoint : "");
    assert (self->endpoint);
    self->keys = keys;
    return self;
}

void
intake_transit_free (void *self_)
{
    intake_transit_t *self = self_;
    if (!self)
        return;
    free (self->endpoint);
    free (self);
}

//  The key in `reply`, checked: 0, or the error the reply means.
static int
s_take (const char *handover_id, Caseflow__V1__Reply *reply, char key_id [CF_SEAL_ID_SIZE],
        uint8_t key [CF_SEAL_KEY_BYTES])
{
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    if (code != CASEFLOW__V1__STATUS__CODE__OK) {
        cf_log_warn ("handover %s: handover refused its transit key: %s %s", handover_id,
                     cf_api_code_name (code), reply->status ? reply->status->message : "");
        return code == CASEFLOW__V1__STATUS__CODE__NOT_FOUND
                       || code == CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION
                   ? CF_ENOTFOUND
                   : CF_EUNAVAILABLE;
    }
    const Caseflow__V1__Handover__TransitKey *answer =
        reply->result_case == CASEFLOW__V1__REPLY__RESULT_QUERY && reply->query->handover
                && reply->query->handover->body_case
                       == CASEFLOW__V1__HANDOVER__QUERY_RESULT__BODY_TRANSIT_KEY
            ? reply->query->handover->transit_key
            : NULL;
    if (!answer || answer->key.len != CF_SEAL_KEY_BYTES || !cf_seal_id_valid (answer->key_id, 'T')
        || strcmp (answer->handover_id, handover_id) != 0) {
        cf_log_warn ("handover %s: handover's answer is not a transit key", handover_id);
        return CF_EPROTO;
    }
    memcpy (key_id, answer->key_id, CF_SEAL_ID_SIZE);
    memcpy (key, answer->key.data, CF_SEAL_KEY_BYTES);
    sodium_memzero (answer->key.data, answer->key.len);
    return 0;
}

int
intake_transit_fetch (void *self_, const char *handover_id, char key_id [CF_SEAL_ID_SIZE],
                      uint8_t key [CF_SEAL_KEY_BYTES])
{
    intake_transit_t *self = self_;
    if (!self || !*self->endpoint)
        return CF_EUNAVAILABLE;
    cf_api_client_t *client =
        cf_api_client_new_secure (self->endpoint, INTAKE_TRANSIT_TIMEOUT_MS,
                                  INTAKE_TRANSIT_TRIES - 1, self->keys, S_HANDOVER);
    if (!client)
        return CF_EUNAVAILABLE;
    Caseflow__V1__Handover__GetTransitKey get = CASEFLOW__V1__HANDOVER__GET_TRANSIT_KEY__INIT;
    get.handover_id = (char *) handover_id;
    Caseflow__V1__Handover__Query inner = CASEFLOW__V1__HANDOVER__QUERY__INIT;
    inner.body_case = CASEFLOW__V1__HANDOVER__QUERY__BODY_GET_TRANSIT_KEY;
    inner.get_transit_key = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
    query.handover = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, &rc);
    cf_api_client_destroy (&client);
    if (!reply) {
        cf_log_warn ("handover %s: handover's api %s did not answer for its transit key (%s)",
                     handover_id, self->endpoint, cf_strerror (rc));
        return CF_EUNAVAILABLE;
    }
    rc = s_take (handover_id, reply, key_id, key);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}
