//  test_http_client: libcurl's multi interface on a libuv loop, against the
//  scripted receiver of tests/support on loopback: statuses, headers and
//  bodies both ways, a peer that never answers (timeout), a closed port,
//  many requests at once, and a client destroyed with requests in flight.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_http_client.h"
#include "cf_testsink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct {
    int calls;
    int rc;
    long status;
    char retry_after [64];
    char allowed_origin [128];
    char error [256];
} s_result_t;

static void
s_done (int rc, const cf_http_response_t *response, void *arg)
{
    s_result_t *result = arg;
    result->calls++;
    result->rc = rc;
    result->status = cf_http_response_status (response);
    const char *value = cf_http_response_header (response, "retry-after");
    snprintf (result->retry_after, sizeof result->retry_after, "%s", value ? value : "");
    value = cf_http_response_header (response, "WebHook-Allowed-Origin");
    snprintf (result->allowed_origin, sizeof result->allowed_origin, "%s", value ? value : "");
    snprintf (result->error, sizeof result->error, "%s", cf_http_response_error (response));
}

static void
s_run (uv_loop_t *loop, cf_http_client_t *client)
{
    while (cf_http_client_pending (client) > 0)
        uv_run (loop, UV_RUN_ONCE);
}

static void
s_close_loop (uv_loop_t *loop)
{
    uv_run (loop, UV_RUN_DEFAULT);
    assert_int_equal (uv_loop_close (loop), 0);
}

static void
test_post_and_answers (void **state)
{
    (void) state;
    uv_loop_t loop;
    uv_loop_init (&loop);
    cf_http_client_t *client = cf_http_client_new (&loop);
    assert_non_null (client);
    cf_testsink_t *sink = cf_testsink_new ();
    cf_testsink_script (sink, "ok,500,429:7,410");

    const char *headers [] = { "Content-Type: application/cloudevents+json",
                               "Authorization: Bearer secret-token" };
    const char *body = "{\"id\":\"1\"}";
    cf_http_client_request_t request = { "POST", cf_testsink_url (sink), headers, 2,
                                         body,   strlen (body),          5000 };
    s_result_t results [4] = { 0 };
    //  One after the other, so the script's order is the requests' order.
    for (int i = 0; i < 4; i++) {
        assert_int_equal (cf_http_client_send (client, &request, s_done, &results [i]), 0);
        assert_int_equal (results [i].calls, 0);  //  never from inside send
        s_run (&loop, client);
        assert_int_equal (results [i].calls, 1);
        assert_int_equal (results [i].rc, 0);
    }
    assert_int_equal (results [0].status, 204);
    assert_int_equal (results [1].status, 500);
    assert_int_equal (results [2].status, 429);
    assert_string_equal (results [2].retry_after, "7");
    assert_int_equal (results [3].status, 410);

    assert_int_equal (cf_testsink_count (sink), 4);
    cf_testsink_request_t *seen = cf_testsink_request (sink, 0);
    assert_string_equal (seen->method, "POST");
    assert_string_equal (seen->path, "/hook");
    assert_string_equal (seen->body, body);
    assert_string_equal (seen->authorization, "Bearer secret-token");
    assert_string_equal (seen->content_type, "application/cloudevents+json");
    cf_testsink_request_free (&seen);

    //  The webhook handshake: OPTIONS with the origin, echoed back.
    const char *origin [] = { "WebHook-Request-Origin: caseflow.example" };
    cf_http_client_request_t options = {
        "OPTIONS", cf_testsink_url (sink), origin, 1, NULL, 0, 5000
    };
    s_result_t handshake = { 0 };
    assert_int_equal (cf_http_client_send (client, &options, s_done, &handshake), 0);
    s_run (&loop, client);
    assert_int_equal (handshake.status, 200);
    assert_string_equal (handshake.allowed_origin, "caseflow.example");

    cf_http_client_destroy (&client);
    assert_null (client);
    s_close_loop (&loop);
    cf_testsink_destroy (&sink);
}

//  A port that accepts connections (the kernel's backlog) but never reads
//  or answers: the request ends in CF_ETIMEOUT on time.
static void
test_timeout_and_refused (void **state)
{
    (void) state;
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    assert_int_equal (bind (fd, (struct sockaddr *) &addr, sizeof addr), 0);
    assert_int_equal (listen (fd, 8), 0);
    socklen_t len = sizeof addr;
    getsockname (fd, (struct sockaddr *) &addr, &len);
    char url [64];
    snprintf (url, sizeof url, "http://127.0.0.1:%u/hook", (unsigned) ntohs (addr.sin_port));

    uv_loop_t loop;
    uv_loop_init (&loop);
    cf_http_client_t *client = cf_http_client_new (&loop);
    cf_http_client_request_t request = { "POST", url, NULL, 0, "{}", 2, 300 };
    s_result_t result = { 0 };
    uint64_t started = uv_hrtime ();
    assert_int_equal (cf_http_client_send (client, &request, s_done, &result), 0);
    s_run (&loop, client);
    double elapsed_ms = (double) (uv_hrtime () - started) / 1e6;
    assert_int_equal (result.calls, 1);
    assert_int_equal (result.rc, CF_ETIMEOUT);
    assert_int_equal (result.status, 0);
    assert_true (elapsed_ms >= 250 && elapsed_ms < 3000);
    close (fd);

    //  The same port, closed now: refused at once.
    s_result_t refused = { 0 };
    assert_int_equal (cf_http_client_send (client, &request, s_done, &refused), 0);
    s_run (&loop, client);
    assert_int_equal (refused.rc, CF_EIO);
    assert_true (strlen (refused.error) > 0);

    //  Not http: refused at the call, the callback never called.
    cf_http_client_request_t bad = { "POST", "file:///etc/passwd", NULL, 0, NULL, 0, 0 };
    s_result_t never = { 0 };
    assert_int_equal (cf_http_client_send (client, &bad, s_done, &never), CF_EINVAL);
    bad.url = NULL;
    assert_int_equal (cf_http_client_send (client, &bad, s_done, &never), CF_EINVAL);
    assert_int_equal (never.calls, 0);
    cf_http_client_destroy (&client);
    s_close_loop (&loop);
}

#define S_MANY 60

static void
test_many_at_once_and_destroy_in_flight (void **state)
{
    (void) state;
    uv_loop_t loop;
    uv_loop_init (&loop);
    cf_http_client_t *client = cf_http_client_new (&loop);
    cf_testsink_t *sink = cf_testsink_new ();
    s_result_t results [S_MANY] = { 0 };
    char body [64];
    for (int i = 0; i < S_MANY; i++) {
        snprintf (body, sizeof body, "{\"n\":%d}", i);
        cf_http_client_request_t request = { "POST", cf_testsink_url (sink), NULL, 0,
                                             body,   strlen (body),          5000 };
        assert_int_equal (cf_http_client_send (client, &request, s_done, &results [i]), 0);
    }
    assert_int_equal (cf_http_client_pending (client), S_MANY);
    s_run (&loop, client);
    for (int i = 0; i < S_MANY; i++) {
        assert_int_equal (results [i].calls, 1);
        assert_int_equal (results [i].status, 204);
    }
    assert_int_equal (cf_testsink_count (sink), S_MANY);

    //  Slow answers still in flight when the client goes: no callback, no
    //  leak, the loop closes cleanly.
    cf_testsink_script (sink, "slow:2000,slow:2000");
    s_result_t abandoned [2] = { 0 };
    cf_http_client_request_t request = { "POST", cf_testsink_url (sink), NULL, 0, "{}", 2, 5000 };
    cf_http_client_send (client, &request, s_done, &abandoned [0]);
    cf_http_client_send (client, &request, s_done, &abandoned [1]);
    for (int i = 0; i < 20; i++)
        uv_run (&loop, UV_RUN_NOWAIT), usleep (5000);
    cf_http_client_destroy (&client);
    s_close_loop (&loop);
    assert_int_equal (abandoned [0].calls + abandoned [1].calls, 0);
    cf_testsink_destroy (&sink);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_post_and_answers),
        cmocka_unit_test (test_timeout_and_refused),
        cmocka_unit_test (test_many_at_once_and_destroy_in_flight),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
