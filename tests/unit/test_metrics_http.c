//  test_metrics_http: the metrics registry and its rendering, and the HTTP
//  endpoints served on a real loopback socket.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_http.h"
#include "cf_metrics.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void
test_register_and_update (void **state)
{
    (void) state;
    cf_metrics_t *metrics = cf_metrics_new ("intake");
    cf_metric_t *ok =
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"ok\"");
    cf_metric_t *refused =
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"refused\"");
    cf_metric_t *waiting = cf_metrics_gauge (metrics, "waiting", "Residents waiting.", NULL);
    assert_ptr_not_equal (ok, refused);
    //  The same (name, labels) is the same metric.
    assert_ptr_equal (
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"ok\""), ok);

    assert_true (cf_metric_value (ok) == 0.0);
    cf_metric_add (ok, 1);
    cf_metric_add (ok, 41);
    cf_metric_add (refused, 3);
    assert_true (cf_metric_value (ok) == 42.0);
    assert_true (cf_metric_value (refused) == 3.0);
    assert_true (cf_metric_value (waiting) == 0.0);
    cf_metric_set (waiting, 12.5);
    assert_true (cf_metric_value (waiting) == 12.5);
    cf_metric_set (waiting, -1);
    assert_true (cf_metric_value (waiting) == -1.0);

    cf_metrics_destroy (&metrics);
    assert_null (metrics);
    cf_metrics_destroy (&metrics);
}

static void
test_render (void **state)
{
    (void) state;
    cf_metrics_t *metrics = cf_metrics_new ("intake");
    cf_metric_t *ok =
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"ok\"");
    cf_metric_t *waiting = cf_metrics_gauge (metrics, "waiting", "Residents waiting.", NULL);
    //  Registered after another name: rendered with its own name anyway.
    cf_metric_t *refused =
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"refused\"");
    cf_metric_t *ratio = cf_metrics_gauge (metrics, "ratio", "A fraction.", NULL);
    cf_metric_add (ok, 7);
    cf_metric_add (refused, 2);
    cf_metric_set (waiting, 120);
    cf_metric_set (ratio, 0.1);

    char *text = cf_metrics_render (metrics);
    assert_string_equal (text, "# HELP caseflow_commands_total Commands handled.\n"
                               "# TYPE caseflow_commands_total counter\n"
                               "caseflow_commands_total{service=\"intake\",code=\"ok\"} 7\n"
                               "caseflow_commands_total{service=\"intake\",code=\"refused\"} 2\n"
                               "# HELP caseflow_waiting Residents waiting.\n"
                               "# TYPE caseflow_waiting gauge\n"
                               "caseflow_waiting{service=\"intake\"} 120\n"
                               "# HELP caseflow_ratio A fraction.\n"
                               "# TYPE caseflow_ratio gauge\n"
                               "caseflow_ratio{service=\"intake\"} 0.1\n");
    free (text);

    cf_metric_set (ratio, NAN);
    cf_metric_set (waiting, INFINITY);
    text = cf_metrics_render (metrics);
    assert_non_null (strstr (text, "caseflow_ratio{service=\"intake\"} NaN\n"));
    assert_non_null (strstr (text, "caseflow_waiting{service=\"intake\"} +Inf\n"));
    free (text);
    cf_metrics_destroy (&metrics);

    //  An empty registry renders as an empty text.
    metrics = cf_metrics_new ("empty");
    text = cf_metrics_render (metrics);
    assert_string_equal (text, "");
    free (text);
    cf_metrics_destroy (&metrics);
}

//  ------------------------------------------------- a tiny blocking client

typedef struct {
    int status;
    char *head;  //  status line and headers
    char *body;
} s_reply_t;

static void
s_reply_free (s_reply_t *reply)
{
    free (reply->head);
    free (reply->body);
}

//  Sends one request to 127.0.0.1:port and reads the reply until the
//  server closes (HTTP/1.0, so it does).
static s_reply_t
s_request_with (uint16_t port, const char *method, const char *path, const char *headers);

static s_reply_t
s_request (uint16_t port, const char *method, const char *path)
{
    return s_request_with (port, method, path, "");
}

//  The same with `headers` ("Name: value\r\n" lines) and no body.
static s_reply_t
s_request_with (uint16_t port, const char *method, const char *path, const char *headers)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert_true (fd >= 0);
    struct timeval timeout = { .tv_sec = 10 };
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    assert_int_equal (connect (fd, (struct sockaddr *) &addr, sizeof addr), 0);

    char request [512];
    int len = snprintf (request, sizeof request, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%s\r\n",
                        method, path, headers);
    assert_int_equal (send (fd, request, (size_t) len, 0), len);

    size_t size = 0, capacity = 4096;
    char *data = malloc (capacity);
    for (;;) {
        if (size + 1024 > capacity)
            data = realloc (data, capacity *= 2);
        ssize_t got = recv (fd, data + size, capacity - size - 1, 0);
        assert_true (got >= 0);
        if (got == 0)
            break;
        size += (size_t) got;
    }
    data [size] = 0;
    close (fd);

    s_reply_t reply = { 0 };
    assert_int_equal (sscanf (data, "HTTP/1.%*d %d", &reply.status), 1);
    char *end = strstr (data, "\r\n\r\n");
    assert_non_null (end);
    reply.body = strdup (end + 4);
    *end = 0;
    reply.head = data;
    return reply;
}

static void
test_http_endpoints (void **state)
{
    (void) state;
    cf_metrics_t *metrics = cf_metrics_new ("intake");
    cf_metric_t *ok =
        cf_metrics_counter (metrics, "commands_total", "Commands handled.", "code=\"ok\"");
    cf_metric_add (ok, 5);
    atomic_bool ready = false;

    cf_http_t *http = cf_http_new ("127.0.0.1:0", metrics, &ready);
    assert_non_null (http);
    uint16_t port = cf_http_port (http);
    assert_true (port > 0);

    s_reply_t reply = s_request (port, "GET", "/healthz");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "ok\n");
    s_reply_free (&reply);

    reply = s_request (port, "GET", "/readyz");
    assert_int_equal (reply.status, 503);
    s_reply_free (&reply);
    //  Before ready, a path no route serves yet may be one about to be
    //  added: 503, send again; after, 404 and 405 (below).
    reply = s_request (port, "POST", "/events");
    assert_int_equal (reply.status, 503);
    s_reply_free (&reply);
    reply = s_request (port, "GET", "/nothing");
    assert_int_equal (reply.status, 503);
    s_reply_free (&reply);
    atomic_store (&ready, true);
    reply = s_request (port, "GET", "/readyz");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "ready\n");
    s_reply_free (&reply);

    cf_metric_add (ok, 1);
    reply = s_request (port, "GET", "/metrics");
    assert_int_equal (reply.status, 200);
    assert_non_null (strstr (reply.head, "text/plain; version=0.0.4"));
    assert_non_null (strstr (reply.body, "# TYPE caseflow_commands_total counter\n"));
    assert_non_null (
        strstr (reply.body, "caseflow_commands_total{service=\"intake\",code=\"ok\"} 6\n"));
    s_reply_free (&reply);

    reply = s_request (port, "GET", "/metrics?x=1");
    assert_int_equal (reply.status, 200);
    s_reply_free (&reply);

    reply = s_request (port, "GET", "/nothing");
    assert_int_equal (reply.status, 404);
    s_reply_free (&reply);

    reply = s_request (port, "HEAD", "/healthz");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "");
    s_reply_free (&reply);

    reply = s_request (port, "DELETE", "/healthz");
    assert_int_equal (reply.status, 405);
    s_reply_free (&reply);

    cf_http_destroy (&http);
    assert_null (http);
    cf_http_destroy (&http);
    cf_metrics_destroy (&metrics);
}

static void
test_http_bad_address (void **state)
{
    (void) state;
    assert_null (cf_http_new ("nonsense", NULL, NULL));
    assert_null (cf_http_new ("127.0.0.1:99999", NULL, NULL));
    assert_null (cf_http_new ("127.0.0.1:", NULL, NULL));
    assert_null (cf_http_new ("::1:80", NULL, NULL));

    //  A port in use cannot be bound twice.
    cf_http_t *first = cf_http_new ("127.0.0.1:0", NULL, NULL);
    assert_non_null (first);
    char address [32];
    snprintf (address, sizeof address, "127.0.0.1:%u", (unsigned) cf_http_port (first));
    assert_null (cf_http_new (address, NULL, NULL));

    //  No registry and no flag: empty metrics, always ready.
    s_reply_t reply = s_request (cf_http_port (first), "GET", "/metrics");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "");
    s_reply_free (&reply);
    reply = s_request (cf_http_port (first), "GET", "/readyz");
    assert_int_equal (reply.status, 200);
    s_reply_free (&reply);
    cf_http_destroy (&first);
}

//  A route's owner answering from another thread, as a service's loop does.
static void *
s_answer_later (void *arg)
{
    cf_http_request_t *request = arg;
    usleep (50000);
    char body [128];
    snprintf (body, sizeof body, "%s %s later", cf_http_request_method (request),
              cf_http_request_path (request));
    cf_http_request_add_header (request, "X-Answered", "later");
    cf_http_request_respond (request, 202, "text/plain", body, strlen (body));
    return NULL;
}

static void
s_route (void *ctx, cf_http_request_t *request)
{
    int *calls = ctx;
    (*calls)++;
    if (strcmp (cf_http_request_path (request), "/echo/now") == 0) {
        //  The header, the query's arguments (decoded) and the client.
        const char *who = cf_http_request_header (request, "x-who");
        const char *at = cf_http_request_argument (request, "at");
        const char *name = cf_http_request_argument (request, "name");
        const char *peer = cf_http_request_peer (request);
        char body [256];
        snprintf (body, sizeof body, "%s|%s|%s|%s", who ? who : "-", at ? at : "-",
                  name ? name : "-", peer ? peer : "-");
        cf_http_request_respond (request, 200, "text/plain", body, strlen (body));
        return;
    }
    pthread_t thread;
    assert_int_equal (pthread_create (&thread, NULL, s_answer_later, request), 0);
    pthread_detach (thread);
}

static void
test_http_routes (void **state)
{
    (void) state;
    cf_http_t *http = cf_http_new ("127.0.0.1:0", NULL, NULL);
    assert_non_null (http);
    int calls = 0;
    assert_int_equal (cf_http_route (http, "/echo", 16, s_route, &calls), 0);
    uint16_t port = cf_http_port (http);
    //  Answered at once on the server's thread, headers read.
    s_reply_t reply = s_request_with (port, "GET", "/echo/now", "X-Who: tester\r\n");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "tester|-|-|127.0.0.1");
    s_reply_free (&reply);
    reply = s_request (port, "GET", "/echo/now?at=2022-01-21&name=%3Cb%3E+c&at=2");
    assert_int_equal (reply.status, 200);
    assert_string_equal (reply.body, "-|2022-01-21|<b> c|127.0.0.1");
    s_reply_free (&reply);
    //  Answered later from another thread: the connection waited.
    reply = s_request (port, "POST", "/echo");
    assert_int_equal (reply.status, 202);
    assert_string_equal (reply.body, "POST /echo later");
    assert_non_null (strstr (reply.head, "X-Answered: later"));
    s_reply_free (&reply);
    //  Over the limit: 413 here, the route never sees it.
    reply = s_request_with (port, "POST", "/echo/x", "Content-Length: 17\r\n");
    assert_int_equal (reply.status, 413);
    assert_non_null (strstr (reply.head, "application/problem+json"));
    s_reply_free (&reply);
    assert_int_equal (calls, 3);
    //  Not the route: a path that only starts like it, and the probes.
    reply = s_request (port, "GET", "/echoes");
    assert_int_equal (reply.status, 404);
    s_reply_free (&reply);
    reply = s_request (port, "GET", "/healthz");
    assert_int_equal (reply.status, 200);
    s_reply_free (&reply);
    cf_http_destroy (&http);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_register_and_update), cmocka_unit_test (test_render),
        cmocka_unit_test (test_http_endpoints),      cmocka_unit_test (test_http_bad_address),
        cmocka_unit_test (test_http_routes),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
