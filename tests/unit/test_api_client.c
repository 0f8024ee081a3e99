//  test_api_client: the Lazy Pirate client against a ROUTER in a thread.
//
//  The server (a czmq actor) answers each Request with an OK command reply
//  carrying last_seq = 42, and can be told to drop the first requests, to
//  send a reply to another id first, to answer junk, or to say nothing.
//  What it saw is read after the actor is gone (zactor_destroy joins it).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_test.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_IDS 16

typedef struct {
    int drop_first;       //  Drop this many requests unanswered
    bool wrong_id_first;  //  Before each answer, one to another id
    bool junk;            //  Answer bytes that are not a Reply
    bool silent;          //  Answer nothing
    int requests;         //  Requests seen
    char ids [S_MAX_IDS][CF_API_MAX_REQUEST_ID + 1];
} s_server_t;

static void
s_send (zsock_t *router, zframe_t *identity, const void *data, size_t size)
{
    zframe_send (&identity, router, ZFRAME_MORE | ZFRAME_REUSE);
    zmq_send (zsock_resolve (router), data, size, 0);
}

static void
s_answer (s_server_t *self, zsock_t *router, zmsg_t *msg)
{
    if (zmsg_size (msg) != 2)
        return;
    zframe_t *identity = zmsg_first (msg);
    zframe_t *body = zmsg_next (msg);
    Caseflow__V1__Reply reply;
    //  "" rather than NULL: cf_api_decode_request frees the id it
    //  replaces, which must then be a heap string.
    cf_api_reply_init (&reply, "");
    Caseflow__V1__Request *request =
        cf_api_decode_request (zframe_data (body), zframe_size (body), &reply);
    if (request) {
        if (self->requests < S_MAX_IDS)
            snprintf (self->ids [self->requests], sizeof self->ids [0], "%s", request->request_id);
        self->requests++;
        caseflow__v1__request__free_unpacked (request, NULL);
        if (self->silent || self->requests <= self->drop_first) {
            cf_api_reply_clear (&reply);
            return;
        }
        cf_api_reply_command (&reply)->last_seq = 42;
    }
    //  (A request that does not decode is answered with the reply
    //  cf_api_decode_request filled in: INVALID_ARGUMENT.)
    size_t size;
    void *data = cf_api_encode_reply (&reply, &size);
    if (self->junk)
        s_send (router, identity, "\x0a\x05xy", 4);
    else {
        if (self->wrong_id_first) {
            Caseflow__V1__Reply other;
            cf_api_reply_init (&other, "someone-else");
            cf_api_reply_command (&other)->last_seq = 666;
            size_t other_size;
            void *other_data = cf_api_encode_reply (&other, &other_size);
            s_send (router, identity, other_data, other_size);
            free (other_data);
            cf_api_reply_clear (&other);
        }
        s_send (router, identity, data, size);
    }
    free (data);
    cf_api_reply_clear (&reply);
}

//  The actor: binds, tells its endpoint, answers until $TERM.
static void
s_server_actor (zsock_t *pipe, void *args)
{
    s_server_t *self = args;
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    assert (router);
    zsock_set_linger (router, 0);
    int port = zsock_bind (router, "tcp://127.0.0.1:*");
    assert (port > 0);
    zsock_signal (pipe, 0);
    zstr_sendf (pipe, "tcp://127.0.0.1:%d", port);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (true) {
        void *which = zpoller_wait (poller, -1);
        if (which == router) {
            zmsg_t *msg = zmsg_recv (router);
            if (msg)
                s_answer (self, router, msg);
            zmsg_destroy (&msg);
        } else {
            //  The pipe ($TERM) or an interrupted wait: stop.
            zmsg_t *msg = which ? zmsg_recv (pipe) : NULL;
            zmsg_destroy (&msg);
            break;
        }
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
}

static zactor_t *
s_server_start (s_server_t *server, char **endpoint_p)
{
    zactor_t *actor = zactor_new (s_server_actor, server);
    assert_non_null (actor);
    *endpoint_p = zstr_recv (actor);
    assert_non_null (*endpoint_p);
    return actor;
}

//  A status query; `request_id` NULL leaves it empty for the client to fill.
static void
s_request_init (Caseflow__V1__Request *request, Caseflow__V1__Query *query,
                Caseflow__V1__StatusQuery *status, const char *request_id)
{
    caseflow__v1__status_query__init (status);
    caseflow__v1__query__init (query);
    query->body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query->status = status;
    caseflow__v1__request__init (request);
    if (request_id)
        request->request_id = (char *) request_id;
    request->body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request->query = query;
}

static void
test_retry_keeps_id (void **state)
{
    (void) state;
    s_server_t server = { .drop_first = 1 };
    char *endpoint;
    zactor_t *actor = s_server_start (&server, &endpoint);
    cf_api_client_t *client = cf_api_client_new (endpoint, 300, 3);
    assert_non_null (client);

    Caseflow__V1__Request request;
    Caseflow__V1__Query query;
    Caseflow__V1__StatusQuery status;
    s_request_init (&request, &query, &status, NULL);
    int rc = -1;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, &rc);
    assert_non_null (reply);
    assert_int_equal (rc, 0);
    assert_int_equal (reply->result_case, CASEFLOW__V1__REPLY__RESULT_COMMAND);
    assert_int_equal (reply->command->last_seq, 42);
    //  A fresh ULID was used for the call and the request left as it was.
    assert_int_equal (strlen (reply->request_id), 26);
    assert_string_equal (request.request_id, "");
    char id [CF_API_MAX_REQUEST_ID + 1];
    snprintf (id, sizeof id, "%s", reply->request_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  The caller's own id is kept; no retry needed this time.
    s_request_init (&request, &query, &status, "my-request-1");
    reply = cf_api_client_call (client, &request, NULL);
    assert_non_null (reply);
    assert_string_equal (reply->request_id, "my-request-1");
    caseflow__v1__reply__free_unpacked (reply, NULL);

    cf_api_client_destroy (&client);
    assert_null (client);
    cf_api_client_destroy (&client);
    zactor_destroy (&actor);
    //  The dropped first try and its retry carried the same id.
    assert_int_equal (server.requests, 3);
    assert_string_equal (server.ids [0], id);
    assert_string_equal (server.ids [1], id);
    assert_string_equal (server.ids [2], "my-request-1");
    zstr_free (&endpoint);
}

static void
test_timeout (void **state)
{
    (void) state;
    s_server_t server = { .silent = true };
    char *endpoint;
    zactor_t *actor = s_server_start (&server, &endpoint);
    cf_api_client_t *client = cf_api_client_new (endpoint, 200, 2);
    assert_non_null (client);

    Caseflow__V1__Request request;
    Caseflow__V1__Query query;
    Caseflow__V1__StatusQuery status;
    s_request_init (&request, &query, &status, "patient-request");
    int64_t started = zclock_mono ();
    int rc = 0;
    assert_null (cf_api_client_call (client, &request, &rc));
    assert_int_equal (rc, CF_ETIMEOUT);
    //  Three tries of 200 ms each.
    assert_true (zclock_mono () - started >= 600);
    cf_api_client_destroy (&client);
    zactor_destroy (&actor);
    assert_int_equal (server.requests, 3);
    for (int index = 0; index < 3; index++)
        assert_string_equal (server.ids [index], "patient-request");
    zstr_free (&endpoint);

    //  No server at all: the same, and no hang at destroy.
    client = cf_api_client_new (endpoint = strdup ("tcp://127.0.0.1:1"), 100, 1);
    assert_non_null (client);
    assert_null (cf_api_client_call (client, &request, &rc));
    assert_int_equal (rc, CF_ETIMEOUT);
    cf_api_client_destroy (&client);
    free (endpoint);

    //  A malformed endpoint is refused at once.
    assert_null (cf_api_client_new ("not an endpoint", 100, 1));
}

static void
test_other_ids_and_junk (void **state)
{
    (void) state;
    s_server_t server = { .wrong_id_first = true };
    char *endpoint;
    zactor_t *actor = s_server_start (&server, &endpoint);
    cf_api_client_t *client = cf_api_client_new (endpoint, 1000, 0);
    assert_non_null (client);

    Caseflow__V1__Request request;
    Caseflow__V1__Query query;
    Caseflow__V1__StatusQuery status;
    s_request_init (&request, &query, &status, "mine");
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    assert_non_null (reply);
    assert_string_equal (reply->request_id, "mine");
    assert_int_equal (reply->command->last_seq, 42);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    //  Raw bytes that are no Request: the server's INVALID_ARGUMENT comes
    //  back as one frame. (call_raw takes any one-frame answer, so this
    //  server must not send an extra reply first.)
    zactor_destroy (&actor);
    zstr_free (&endpoint);
    cf_api_client_destroy (&client);

    memset (&server, 0, sizeof server);
    actor = s_server_start (&server, &endpoint);
    client = cf_api_client_new (endpoint, 1000, 0);
    size_t size = 0;
    uint8_t *answer = cf_api_client_call_raw (client, "\xff\xff\xff", 3, &size);
    assert_non_null (answer);
    Caseflow__V1__Reply *decoded = caseflow__v1__reply__unpack (NULL, size, answer);
    assert_non_null (decoded);
    assert_int_equal (cf_api_reply_code (decoded), CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
    caseflow__v1__reply__free_unpacked (decoded, NULL);
    free (answer);
    zactor_destroy (&actor);
    zstr_free (&endpoint);
    cf_api_client_destroy (&client);

    //  An answer that is not a Reply: CF_EPROTO, without waiting for more.
    memset (&server, 0, sizeof server);
    server.junk = true;
    actor = s_server_start (&server, &endpoint);
    client = cf_api_client_new (endpoint, 2000, 3);
    int64_t started = zclock_mono ();
    int rc = 0;
    assert_null (cf_api_client_call (client, &request, &rc));
    assert_int_equal (rc, CF_EPROTO);
    assert_true (zclock_mono () - started < 1500);
    cf_api_client_destroy (&client);
    zactor_destroy (&actor);
    assert_int_equal (server.requests, 1);
    zstr_free (&endpoint);
}

int
main (void)
{
    //  Signals belong to the runtime (libuv), not to czmq.
    zsys_handler_set (NULL);
    cf_log_init ("test_api_client", getenv ("CF_TEST_DEBUG") ? CF_LOG_DEBUG : CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_retry_keeps_id),
        cmocka_unit_test (test_timeout),
        cmocka_unit_test (test_other_ids_and_junk),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
