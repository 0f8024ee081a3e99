//  gateway_query: the gateway's queries (see gateway_query.h).
#include "gateway_query.h"
#include "gateway_secrets.h"
#include "gateway_validate.h"

#include "cf_api.h"
#include "cf_decider.h"
#include "cf_error.h"

#include <assert.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define S_PREFIX "query.gateway."

static Caseflow__V1__Gateway__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *outer = cf_api_reply_query (reply);
    if (!outer->gateway) {
        Caseflow__V1__Gateway__QueryResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__gateway__query_result__init (result);
        outer->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_GATEWAY;
        outer->gateway = result;
    }
    return outer->gateway;
}

//  Every publisher still active, in id order (a removed one's tokens are
//  gone; its accepted events still answer `inbound`).
static void
s_publishers (const gateway_state_t *state, Caseflow__V1__Reply *reply)
{
    size_t count = 0;
    gateway_publisher_t **publishers = gateway_state_publishers (state, &count);
    Caseflow__V1__Gateway__PublisherList *list = calloc (1, sizeof *list);
    assert (list);
    caseflow__v1__gateway__publisher_list__init (list);
    list->publishers = calloc (count + 1, sizeof *list->publishers);
    assert (list->publishers);
    for (size_t i = 0; i < count; i++)
        if (publishers [i]->status == GATEWAY_PUBLISHER_ACTIVE)
            list->publishers [list->n_publishers++] = gateway_state_publisher_view (publishers [i]);
    free (publishers);
    Caseflow__V1__Gateway__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_PUBLISHERS;
    result->publishers = list;
}

static void
s_inbound (const gateway_state_t *state, const Caseflow__V1__Gateway__InboundQuery *query,
           Caseflow__V1__Reply *reply)
{
    if (!gateway_source_valid (query->source)) {
        cf_api_reply_invalid (reply, S_PREFIX "inbound.source",
                              "must be an NL GOV source URN (\"urn:nld:...\")");
        return;
    }
    if (!*query->ce_id) {
        cf_api_reply_invalid (reply, S_PREFIX "inbound.ce_id", "is required");
        return;
    }
    const gateway_inbound_t *inbound = gateway_state_inbound (state, query->source, query->ce_id);
    if (!inbound) {
        //  Neither value is personal (the profile forbids it in attributes).
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, S_PREFIX "inbound",
                             "no event %s of %s was accepted", query->ce_id, query->source);
        return;
    }
    Caseflow__V1__Gateway__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_INBOUND;
    result->inbound = gateway_state_inbound_view (inbound);
}

static void
s_transit_key (const gateway_state_t *state, const Caseflow__V1__Gateway__GetTransitKey *query,
               bool key_holder, Caseflow__V1__Reply *reply)
{
    const char *field = S_PREFIX "transit_key.key_id";
    if (!key_holder) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED,
                             S_PREFIX "transit_key",
                             "transit keys are handed only to a caller with the role service");
        return;
    }
    if (!cf_seal_id_valid (query->key_id, 'T')) {
        cf_api_reply_invalid (reply, field, "is not a transit key id (\"T...\")");
        return;
    }
    const gateway_inbound_t *inbound = gateway_state_by_key (state, query->key_id);
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = !inbound || inbound->erased_at || !state->secrets
                 ? CF_ENOTFOUND
                 : gateway_secrets_transit_key (state->secrets, query->key_id, key, NULL);
    if (rc) {
        cf_api_reply_status (reply,
                             rc == CF_ENOTFOUND ? CASEFLOW__V1__STATUS__CODE__NOT_FOUND
                                                : CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                             field, "transit key %s is %s", query->key_id,
                             !inbound             ? "not one of the gateway's"
                             : inbound->erased_at ? "erased"
                                                  : "not in the key store");
        return;
    }
    Caseflow__V1__Gateway__TransitKey *answer = calloc (1, sizeof *answer);
    assert (answer);
    caseflow__v1__gateway__transit_key__init (answer);
    answer->key_id = cf_strdup (query->key_id);
    answer->key.data = malloc (sizeof key);
    assert (answer->key.data);
    memcpy (answer->key.data, key, sizeof key);
    answer->key.len = sizeof key;
    sodium_memzero (key, sizeof key);
    Caseflow__V1__Gateway__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_TRANSIT_KEY;
    result->transit_key = answer;
}

void
gateway_query (const gateway_state_t *state, const Caseflow__V1__Gateway__Query *query,
               bool key_holder, Caseflow__V1__Reply *reply)
{
    assert (state && query && reply);
    switch (query->body_case) {
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_PUBLISHERS: s_publishers (state, reply); break;
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_INBOUND:
            s_inbound (state, query->inbound, reply);
            break;
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_TRANSIT_KEY:
            s_transit_key (state, query->transit_key, key_holder, reply);
            break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "query.gateway", "not a gateway query");
    }
}

void
gateway_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                    Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_query_body (query, CASEFLOW__V1__QUERY__BODY_GATEWAY, "gateway", reply);
    if (!own)
        return;
    bool key_holder =
        !cf_service_keys (service) || cf_service_caller_role (service) == CF_ROLE_SERVICE;
    gateway_query (state, (const Caseflow__V1__Gateway__Query *) own, key_holder, reply);
    const Caseflow__V1__QueryResult *outer = reply->query;
    if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__OK && outer && outer->gateway
        && outer->gateway->body_case == CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_TRANSIT_KEY) {
        //  The key opens a resident's personal data: a read, by its subject.
        char subject [CF_SEAL_ID_SIZE] = "";
        gateway_state_t *own_state = state;
        gateway_secrets_transit_key (own_state->secrets, outer->gateway->transit_key->key_id, NULL,
                                     subject);
        cf_service_record_access (service, "transit_key", NULL, NULL, subject);
    }
}
