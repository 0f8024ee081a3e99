//  test_decide: the gateway's decisions and apply without the runtime:
//  publisher commands (validated fully, the token kept only as a keyed
//  hash, the lifecycle asked), inbound events accepted once per (source,
//  id) with their personal values sealed under a transit key of their own,
//  outcomes folded by the inbound table, and a replay of the journal
//  giving the same digest.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_test.h"
#include "cf_time.h"
#include "gateway_decide.h"
#include "gateway_query.h"
#include "gateway_react.h"
#include "gateway_secrets.h"
#include "gateway_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX    64
#define S_TOKEN  "token-token-token-token-token-token-1"
#define S_TOKEN2 "token-token-token-token-token-token-2"
#define S_SOURCE "urn:nld:oin:1:fo"

typedef struct {
    gateway_state_t *state;
    char *dir;
    cf_keystore_t *keystore;
    gateway_secrets_t *secrets;
    int64_t now;
    uint8_t *journal [S_MAX];
    size_t sizes [S_MAX];
    size_t count;
    Caseflow__V1__Status__Code code;
    char field [256];
} s_kit_t;

static const gateway_config_t s_config = { 24 * CF_USEC_PER_HOUR, 1 << 20 };

//  The test's emitter: stamps, journals (encoded) and applies the decoded copy.
static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_kit_t *kit = ctx;
    assert_true (kit->count < S_MAX);
    assert_int_equal (cf_keystore_commit (kit->keystore), 0);
    Caseflow__V1__Event stamped = *event;
    char id [32];
    snprintf (id, sizeof id, "01TEST%020zu", kit->count + 1);
    stamped.id = id;
    stamped.stream = GATEWAY_STREAM;
    stamped.seq = kit->count + 1;
    size_t size = caseflow__v1__event__get_packed_size (&stamped);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (&stamped, data);
    kit->journal [kit->count] = data;
    kit->sizes [kit->count++] = size;
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert_int_equal (gateway_state_apply (kit->state, copy), 0);
    caseflow__v1__event__free_unpacked (copy, NULL);
    return 0;
}

static int
s_setup (void **state)
{
    s_kit_t *kit = calloc (1, sizeof *kit);
    assert_non_null (kit);
    cf_time_init ();
    cf_log_init ("gateway-test", CF_LOG_WARN);
    kit->dir = cf_test_tmpdir ("gateway-keys");
    char path [512];
    snprintf (path, sizeof path, "%s/keys", kit->dir);
    assert_int_equal (cf_keystore_open (path, "gateway", 0, &kit->keystore), 0);
    kit->secrets = gateway_secrets_new (kit->keystore);
    assert_non_null (kit->secrets);
    kit->state = gateway_state_new (&s_config);
    gateway_state_set_secrets (kit->state, kit->secrets);
    assert_int_equal (cf_time_parse ("2022-03-01T09:00", &kit->now), 0);
    *state = kit;
    return 0;
}

static int
s_teardown (void **state)
{
    s_kit_t *kit = *state;
    gateway_state_destroy (&kit->state);
    gateway_secrets_destroy (&kit->secrets);
    cf_keystore_destroy (&kit->keystore);
    cf_test_rmtree (kit->dir);
    free (kit->dir);
    for (size_t i = 0; i < kit->count; i++)
        free (kit->journal [i]);
    free (kit);
    return 0;
}

static Caseflow__V1__Status__Code
s_run (s_kit_t *kit, Caseflow__V1__Gateway__Command *command)
{
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "test");
    size_t before = kit->count;
    cf_decider_t decider;
    cf_decider_init (&decider, kit->now, &reply, s_emit, kit);
    gateway_decide (kit->state, &decider, command);
    kit->code = cf_api_reply_code (&reply);
    kit->field [0] = 0;
    if (reply.status)
        snprintf (kit->field, sizeof kit->field, "%s", reply.status->field);
    if (kit->code != CASEFLOW__V1__STATUS__CODE__OK)
        assert_int_equal (kit->count, before);
    cf_api_reply_clear (&reply);
    return kit->code;
}

static Caseflow__V1__Status__Code
s_add (s_kit_t *kit, const char *id, const char *source, const char *type, const char *token,
       Caseflow__V1__Gateway__PublisherChannel channel)
{
    Caseflow__V1__Gateway__PublisherAdd add = CASEFLOW__V1__GATEWAY__PUBLISHER_ADD__INIT;
    add.publisher_id = (char *) id;
    add.source = (char *) source;
    char *types [] = { (char *) type };
    add.types = types;
    add.n_types = 1;
    add.channel = channel;
    add.token = (char *) token;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_ADD;
    command.publisher_add = &add;
    return s_run (kit, &command);
}

#define S_MUNICIPALITY CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_MUNICIPALITY
#define S_REFERRAL     "nl.sociaal-domein.verwijzing-ontvangen"

//  The publisher `token` finds at the kit's time, or NULL.
static const gateway_publisher_t *
s_owner (s_kit_t *kit, const char *token)
{
    char token_id [CF_SEAL_ID_SIZE];
    if (gateway_secrets_find_token (kit->secrets, token, strlen (token), token_id))
        return NULL;
    return gateway_state_token_owner (kit->state, token_id, kit->now);
}

static void
s_digest (gateway_state_t *state, uint8_t out [32])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    gateway_state_digest (state, &hash);
    crypto_hash_sha256_final (&hash, out);
}

static void
test_publishers (void **state)
{
    s_kit_t *kit = *state;
    assert_int_equal (s_add (kit, "fo", S_SOURCE, S_REFERRAL, "short", S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (kit->field, "command.gateway.publisher_add.token");
    assert_int_equal (
        s_add (kit, "fo", S_SOURCE, "nl.telefonie.gesprek-aangeboden", S_TOKEN, S_MUNICIPALITY),
        CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    assert_string_equal (kit->field, "command.gateway.publisher_add.types");
    assert_null (s_owner (kit, S_TOKEN));  //  a refusal recorded no hash
    assert_int_equal (s_add (kit, "fo", S_SOURCE, S_REFERRAL, S_TOKEN, S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__OK);
    const gateway_publisher_t *fo = s_owner (kit, S_TOKEN);
    assert_non_null (fo);
    assert_string_equal (fo->publisher_id, "fo");
    //  The event names the token's record, never the token.
    assert_null (memmem (kit->journal [0], kit->sizes [0], S_TOKEN, strlen (S_TOKEN)));
    assert_int_equal (s_add (kit, "fo", "urn:nld:other", S_REFERRAL, S_TOKEN2, S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_int_equal (s_add (kit, "fo2", S_SOURCE, S_REFERRAL, S_TOKEN2, S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__CONFLICT);

    //  Rotation: the old token until the grace end, then only the new one.
    Caseflow__V1__Gateway__PublisherRotate rotate = CASEFLOW__V1__GATEWAY__PUBLISHER_ROTATE__INIT;
    rotate.publisher_id = "fo";
    rotate.token = S_TOKEN2;
    rotate.grace_seconds = 600;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_ROTATE;
    command.publisher_rotate = &rotate;
    assert_int_equal (s_run (kit, &command), CASEFLOW__V1__STATUS__CODE__OK);
    assert_non_null (s_owner (kit, S_TOKEN));
    assert_non_null (s_owner (kit, S_TOKEN2));
    kit->now += 601 * CF_USEC_PER_SEC;
    assert_null (s_owner (kit, S_TOKEN));
    assert_non_null (s_owner (kit, S_TOKEN2));

    //  Removal: no token works; the lifecycle refuses a second removal.
    Caseflow__V1__Gateway__PublisherRemove remove = CASEFLOW__V1__GATEWAY__PUBLISHER_REMOVE__INIT;
    remove.publisher_id = "fo";
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_REMOVE;
    command.publisher_remove = &remove;
    assert_int_equal (s_run (kit, &command), CASEFLOW__V1__STATUS__CODE__OK);
    assert_null (s_owner (kit, S_TOKEN2));
    assert_int_equal (kit->state->retired_count, 2);
    assert_int_equal (s_run (kit, &command), CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    remove.publisher_id = "nobody";
    assert_int_equal (s_run (kit, &command), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
}

//  An inbound referral with `id`, as the ingress hands it to the decision.
static void
s_inbound (s_kit_t *kit, const gateway_publisher_t *publisher, const char *const *ids, size_t count,
           uint64_t *wait_p)
{
    gateway_ce_t events [4];
    gateway_data_t data [4];
    assert_true (count <= 4);
    for (size_t i = 0; i < count; i++) {
        events [i] = (gateway_ce_t){ (char *) ids [i], S_SOURCE, S_REFERRAL, "", kit->now, NULL };
        json_t *json = json_loads ("{\"resident\":{\"name\":\"Jan Jansen\",\"birth_date\":"
                                   "\"1980-02-03\"},\"domains\":[\"debt\"],\"question\":\"q\"}",
                                   0, NULL);
        gateway_problem_t problem;
        assert_int_equal (
            gateway_data_read (GATEWAY_KIND_REFERRAL, json, "2022-03-01", &data [i], &problem), 0);
        json_decref (json);
    }
    cf_decider_t decider;
    cf_decider_init (&decider, kit->now, NULL, s_emit, kit);
    assert_int_equal (
        gateway_decide_inbound (kit->state, &decider, publisher, events, data, count, wait_p), 0);
    for (size_t i = 0; i < count; i++)
        gateway_data_release (&data [i]);
}

static void
s_outcome (s_kit_t *kit, uint64_t gateway_seq, const char *ce_id, bool applied, uint64_t seq)
{
    Caseflow__V1__InboundOutcome body = CASEFLOW__V1__INBOUND_OUTCOME__INIT;
    body.gateway_seq = gateway_seq;
    body.source = S_SOURCE;
    body.ce_id = (char *) ce_id;
    body.applied = applied;
    body.reason = applied ? "" : "unknown location";
    body.case_id = applied ? "C000001" : "";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = "intake";
    event.seq = seq;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME;
    event.intake_inbound_outcome = &body;
    //  Upstream events are journaled too: the replay below reads them.
    size_t size = caseflow__v1__event__get_packed_size (&event);
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__event__pack (&event, data);
    kit->journal [kit->count] = data;
    kit->sizes [kit->count++] = size;
    gateway_state_apply (kit->state, &event);
}

static void
test_inbound (void **state)
{
    s_kit_t *kit = *state;
    assert_int_equal (s_add (kit, "fo", S_SOURCE, S_REFERRAL, S_TOKEN, S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__OK);
    const gateway_publisher_t *fo = s_owner (kit, S_TOKEN);
    const char *first [] = { "e1", "e2", "e1" };
    uint64_t wait = 0;
    s_inbound (kit, fo, first, 3, &wait);
    assert_int_equal (kit->count, 3);  //  added, e1, e2: the repeat inside the call is skipped
    assert_int_equal (wait, 3);
    const char *again [] = { "e1" };
    s_inbound (kit, fo, again, 1, &wait);
    assert_int_equal (kit->count, 3);  //  a repeat: nothing emitted, wait for the first
    assert_int_equal (wait, 2);
    assert_int_equal (fo->accepted, 2);
    gateway_inbound_t *e1 = gateway_state_inbound (kit->state, S_SOURCE, "e1");
    gateway_inbound_t *e2 = gateway_state_inbound (kit->state, S_SOURCE, "e2");
    assert_non_null (e1);
    assert_true (cf_seal_id_valid (e1->transit_key_id, 'T'));
    assert_string_not_equal (e1->transit_key_id, e2->transit_key_id);
    //  Sealed: the name is in no event in plain.
    for (size_t i = 0; i < kit->count; i++)
        assert_null (memmem (kit->journal [i], kit->sizes [i], "Jan Jansen", 10));
    //  Outcomes: the first settles; a second word changes nothing.
    s_outcome (kit, e1->seq, "e1", true, 1);
    assert_int_equal (e1->status, GATEWAY_INBOUND_APPLIED);
    assert_string_equal (e1->case_id, "C000001");
    s_outcome (kit, e1->seq, "e1", false, 2);
    assert_int_equal (e1->status, GATEWAY_INBOUND_APPLIED);
    s_outcome (kit, e2->seq, "e2", false, 3);
    assert_int_equal (e2->status, GATEWAY_INBOUND_REJECTED);
    assert_string_equal (e2->reason, "unknown location");
    s_outcome (kit, e2->seq, "other", true, 4);  //  not this event: ignored
    assert_int_equal (e2->status, GATEWAY_INBOUND_REJECTED);

    //  A replay of the journal gives the same state.
    uint8_t live [32], replayed [32];
    s_digest (kit->state, live);
    gateway_state_t *fresh = gateway_state_new (&s_config);
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->sizes [i], kit->journal [i]);
        gateway_state_apply (fresh, event);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    s_digest (fresh, replayed);
    assert_memory_equal (live, replayed, 32);
    assert_non_null (gateway_state_inbound (fresh, S_SOURCE, "e2"));
    gateway_state_destroy (&fresh);
}

//  Intake erased the resident of e1: the state marks it, the reaction
//  queues its transit key, and once carried out the key is gone for good.
static void
test_erasure (void **state)
{
    s_kit_t *kit = *state;
    assert_int_equal (s_add (kit, "fo", S_SOURCE, S_REFERRAL, S_TOKEN, S_MUNICIPALITY),
                      CASEFLOW__V1__STATUS__CODE__OK);
    const char *ids [] = { "e1", "e2" };
    uint64_t wait = 0;
    s_inbound (kit, s_owner (kit, S_TOKEN), ids, 2, &wait);
    gateway_inbound_t *e1 = gateway_state_inbound (kit->state, S_SOURCE, "e1");
    gateway_inbound_t *e2 = gateway_state_inbound (kit->state, S_SOURCE, "e2");
    char key_id [CF_SEAL_ID_SIZE];
    snprintf (key_id, sizeof key_id, "%s", e1->transit_key_id);

    //  The key is handed to a key holder only.
    Caseflow__V1__Gateway__GetTransitKey get = CASEFLOW__V1__GATEWAY__GET_TRANSIT_KEY__INIT;
    get.key_id = key_id;
    Caseflow__V1__Gateway__Query query = CASEFLOW__V1__GATEWAY__QUERY__INIT;
    query.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_TRANSIT_KEY;
    query.transit_key = &get;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "q");
    gateway_query (kit->state, &query, false, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED);
    cf_api_reply_clear (&reply);
    cf_api_reply_init (&reply, "q");
    gateway_query (kit->state, &query, true, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (reply.query->gateway->transit_key->key.len, CF_SEAL_KEY_BYTES);
    cf_api_reply_clear (&reply);

    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = "S0000000000000000000000001A";
    char *keys [] = { key_id, "K0000000000000000000000000A" };
    body.key_ids = keys;
    body.n_key_ids = 2;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = "intake";
    event.seq = 9;
    event.occurred_at = kit->now;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    assert_int_equal (gateway_state_apply (kit->state, &event), 0);
    assert_int_equal (e1->erased_at, kit->now);
    assert_int_equal (e2->erased_at, 0);
    gateway_react (kit->state, &event);
    assert_int_equal (gateway_secrets_erase_queued (kit->secrets, kit->now), 0);
    assert_int_equal (gateway_secrets_transit_key (kit->secrets, key_id, NULL, NULL), CF_ENOTFOUND);
    assert_int_equal (gateway_secrets_transit_key (kit->secrets, e2->transit_key_id, NULL, NULL),
                      0);
    cf_api_reply_init (&reply, "q");
    gateway_query (kit->state, &query, true, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    cf_api_reply_clear (&reply);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_publishers, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_inbound, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_erasure, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
