//  cf_http_client: libcurl's multi interface on a libuv loop (see
//  cf_http_client.h).
//
//      libcurl ──socket fn(fd, in/out/remove)──▶ one uv_poll per socket
//              ──timer fn(ms)──────────────────▶ the one uv_timer
//      uv_poll fires / uv_timer fires ──▶ curl_multi_socket_action ──▶
//      curl_multi_info_read: each finished transfer ──▶ its callback
//
//  Handles are freed only in their close callbacks (libuv's rule), so the
//  client itself lives until its last handle has closed: destroy marks it
//  closing and the last close callback frees it. A socket libcurl has
//  stopped caring about is closed as a handle at once; the file
//  descriptor itself stays libcurl's.
#include "cf_http_client.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct _s_socket_t s_socket_t;
typedef struct _s_transfer_t s_transfer_t;

struct _cf_http_response_t {
    long status;
    char *names [CF_HTTP_CLIENT_HEADERS_MAX];
    char *values [CF_HTTP_CLIENT_HEADERS_MAX];
    size_t n_headers;
    char *body;
    size_t body_size;
    char error [CURL_ERROR_SIZE];
    double elapsed_ms;
};

struct _s_transfer_t {
    cf_http_client_t *client;
    CURL *easy;
    struct curl_slist *headers;
    cf_http_client_fn *fn;
    void *arg;
    uint64_t started;  //  uv_hrtime
    cf_http_response_t response;
    s_transfer_t *prev, *next;
};

struct _s_socket_t {
    uv_poll_t poll;  //  first: the handle's address is the socket's
    cf_http_client_t *client;
    curl_socket_t fd;
    s_socket_t *prev, *next;
};

struct _cf_http_client_t {
    uv_loop_t *loop;
    CURLM *multi;
    uv_timer_t timer;
    s_transfer_t *transfers;
    s_socket_t *sockets;
    size_t pending;
    size_t open_handles;  //  the timer and every poll not yet closed
    bool closing;
};

static pthread_once_t s_curl_once = PTHREAD_ONCE_INIT;
static CURLcode s_curl_init_rc;

//  curl_global_init is not safe to race; every client shares one.
static void
s_curl_init (void)
{
    s_curl_init_rc = curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
s_client_free_if_done (cf_http_client_t *self)
{
    if (self->closing && self->open_handles == 0)
        free (self);
}

static void
s_on_handle_closed (uv_handle_t *handle)
{
    cf_http_client_t *self = handle->data;
    assert (self->open_handles > 0);
    self->open_handles--;
    if (handle->type == UV_POLL)
        free (handle);
    s_client_free_if_done (self);
}

static void
s_response_clear (cf_http_response_t *response)
{
    for (size_t i = 0; i < response->n_headers; i++) {
        free (response->names [i]);
        free (response->values [i]);
    }
    response->n_headers = 0;
    free (response->body);
    response->body = NULL;
    response->body_size = 0;
}

static void
s_transfer_free (s_transfer_t *transfer)
{
    cf_http_client_t *self = transfer->client;
    if (transfer->prev)
        transfer->prev->next = transfer->next;
    else
        self->transfers = transfer->next;
    if (transfer->next)
        transfer->next->prev = transfer->prev;
    self->pending--;
    curl_multi_remove_handle (self->multi, transfer->easy);
    curl_easy_cleanup (transfer->easy);
    curl_slist_free_all (transfer->headers);
    s_response_clear (&transfer->response);
    free (transfer);
}

//  Hands every finished transfer to its callback.
static void
s_check_finished (cf_http_client_t *self)
{
    CURLMsg *message;
    int left;
    while ((message = curl_multi_info_read (self->multi, &left))) {
        if (message->msg != CURLMSG_DONE)
            continue;
        s_transfer_t *transfer = NULL;
        curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &transfer);
        assert (transfer);
        CURLcode result = message->data.result;
        cf_http_response_t *response = &transfer->response;
        int rc = 0;
        if (result == CURLE_OK)
            curl_easy_getinfo (transfer->easy, CURLINFO_RESPONSE_CODE, &response->status);
        else {
            rc = result == CURLE_OPERATION_TIMEDOUT ? CF_ETIMEOUT : CF_EIO;
            response->status = 0;
            if (response->error [0] == '\0')
                snprintf (response->error, sizeof response->error, "%s",
                          curl_easy_strerror (result));
        }
        response->elapsed_ms = (double) (uv_hrtime () - transfer->started) / 1e6;
        //  The callback may send more requests (and so call into libcurl);
        //  this transfer is out of the multi handle before it runs.
        curl_multi_remove_handle (self->multi, transfer->easy);
        transfer->fn (rc, response, transfer->arg);
        s_transfer_free (transfer);
    }
}

static void
s_on_poll (uv_poll_t *handle, int status, int events)
{
    s_socket_t *sock = (s_socket_t *) handle;
    cf_http_client_t *self = sock->client;
    int flags = 0;
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    else {
        if (events & UV_READABLE)
            flags |= CURL_CSELECT_IN;
        if (events & UV_WRITABLE)
            flags |= CURL_CSELECT_OUT;
    }
    int running;
    curl_multi_socket_action (self->multi, sock->fd, flags, &running);
    s_check_finished (self);
}

static void
s_on_timer (uv_timer_t *timer)
{
    cf_http_client_t *self = timer->data;
    int running;
    curl_multi_socket_action (self->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    s_check_finished (self);
}

static void
s_socket_close (cf_http_client_t *self, s_socket_t *sock)
{
    if (sock->prev)
        sock->prev->next = sock->next;
    else
        self->sockets = sock->next;
    if (sock->next)
        sock->next->prev = sock->prev;
    uv_poll_stop (&sock->poll);
    uv_close ((uv_handle_t *) &sock->poll, s_on_handle_closed);
}

//  CURLMOPT_SOCKETFUNCTION: watch `fd` for what libcurl waits on.
static int
s_on_socket (CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    (void) easy;
    cf_http_client_t *self = userp;
    s_socket_t *sock = socketp;
    if (what == CURL_POLL_REMOVE) {
        if (sock) {
            curl_multi_assign (self->multi, fd, NULL);
            s_socket_close (self, sock);
        }
        return 0;
    }
    if (!sock) {
        sock = calloc (1, sizeof *sock);
        assert (sock);
        sock->client = self;
        sock->fd = fd;
        int rc = uv_poll_init_socket (self->loop, &sock->poll, fd);
        if (rc != 0) {
            cf_log_error ("uv_poll_init_socket: %s", uv_strerror (rc));
            free (sock);
            return -1;
        }
        sock->poll.data = self;
        self->open_handles++;
        sock->next = self->sockets;
        if (self->sockets)
            self->sockets->prev = sock;
        self->sockets = sock;
        curl_multi_assign (self->multi, fd, sock);
    }
    int events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= UV_WRITABLE;
    int rc = uv_poll_start (&sock->poll, events, s_on_poll);
    if (rc != 0) {
        cf_log_error ("uv_poll_start: %s", uv_strerror (rc));
        return -1;
    }
    return 0;
}

//  CURLMOPT_TIMERFUNCTION: -1 stops the timer; any other value (0 too)
//  starts it, since libcurl must not be re-entered from this callback.
static int
s_on_timeout (CURLM *multi, long timeout_ms, void *userp)
{
    (void) multi;
    cf_http_client_t *self = userp;
    if (timeout_ms < 0)
        uv_timer_stop (&self->timer);
    else
        uv_timer_start (&self->timer, s_on_timer, (uint64_t) timeout_ms, 0);
    return 0;
}

static size_t
s_on_body (char *data, size_t size, size_t count, void *userp)
{
    s_transfer_t *transfer = userp;
    cf_http_response_t *response = &transfer->response;
    size_t bytes = size * count;
    size_t room = CF_HTTP_CLIENT_BODY_MAX - response->body_size;
    size_t take = bytes < room ? bytes : room;
    if (take > 0) {
        char *body = realloc (response->body, response->body_size + take + 1);
        assert (body);
        memcpy (body + response->body_size, data, take);
        response->body = body;
        response->body_size += take;
        body [response->body_size] = '\0';
    }
    //  The rest is read and dropped: answering less would fail the transfer.
    return bytes;
}

static char *
s_trimmed (const char *start, const char *end)
{
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start
           && (end [-1] == ' ' || end [-1] == '\t' || end [-1] == '\r' || end [-1] == '\n'))
        end--;
    return strndup (start, (size_t) (end - start));
}

static size_t
s_on_header (char *data, size_t size, size_t count, void *userp)
{
    s_transfer_t *transfer = userp;
    cf_http_response_t *response = &transfer->response;
    size_t bytes = size * count;
    //  A new status line starts a new response (after a 100 Continue):
    //  only the last response's headers count.
    if (bytes >= 5 && memcmp (data, "HTTP/", 5) == 0) {
        for (size_t i = 0; i < response->n_headers; i++) {
            free (response->names [i]);
            free (response->values [i]);
        }
        response->n_headers = 0;
        return bytes;
    }
    const char *colon = memchr (data, ':', bytes);
    if (!colon || response->n_headers == CF_HTTP_CLIENT_HEADERS_MAX)
        return bytes;
    response->names [response->n_headers] = s_trimmed (data, colon);
    response->values [response->n_headers] = s_trimmed (colon + 1, data + bytes);
    assert (response->names [response->n_headers] && response->values [response->n_headers]);
    response->n_headers++;
    return bytes;
}

cf_http_client_t *
cf_http_client_new (uv_loop_t *loop)
{
    pthread_once (&s_curl_once, s_curl_init);
    if (s_curl_init_rc != CURLE_OK) {
        cf_log_error ("curl_global_init: %s", curl_easy_strerror (s_curl_init_rc));
        return NULL;
    }
    cf_http_client_t *self = calloc (1, sizeof *self);
    assert (self);
    self->loop = loop;
    self->multi = curl_multi_init ();
    if (!self->multi) {
        cf_log_error ("curl_multi_init failed");
        free (self);
        return NULL;
    }
    curl_multi_setopt (self->multi, CURLMOPT_SOCKETFUNCTION, s_on_socket);
    curl_multi_setopt (self->multi, CURLMOPT_SOCKETDATA, self);
    curl_multi_setopt (self->multi, CURLMOPT_TIMERFUNCTION, s_on_timeout);
    curl_multi_setopt (self->multi, CURLMOPT_TIMERDATA, self);
    int rc = uv_timer_init (loop, &self->timer);
    assert (rc == 0);
    self->timer.data = self;
    self->open_handles = 1;
    return self;
}

void
cf_http_client_destroy (cf_http_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    cf_http_client_t *self = *self_p;
    *self_p = NULL;
    while (self->transfers)
        s_transfer_free (self->transfers);
    curl_multi_cleanup (self->multi);
    self->multi = NULL;
    //  Sockets libcurl did not tell us to remove during its cleanup.
    while (self->sockets)
        s_socket_close (self, self->sockets);
    self->closing = true;
    uv_timer_stop (&self->timer);
    uv_close ((uv_handle_t *) &self->timer, s_on_handle_closed);
}

static bool
s_is_http_url (const char *url)
{
    return strncasecmp (url, "http://", 7) == 0 || strncasecmp (url, "https://", 8) == 0;
}

int
cf_http_client_send (cf_http_client_t *self, const cf_http_client_request_t *request,
                     cf_http_client_fn *fn, void *arg)
{
    assert (self && request && fn);
    assert (!self->closing);
    if (!request->method || !*request->method || !request->url || !s_is_http_url (request->url))
        return CF_EINVAL;
    s_transfer_t *transfer = calloc (1, sizeof *transfer);
    assert (transfer);
    transfer->client = self;
    transfer->fn = fn;
    transfer->arg = arg;
    transfer->easy = curl_easy_init ();
    assert (transfer->easy);
    CURL *easy = transfer->easy;
    curl_easy_setopt (easy, CURLOPT_URL, request->url);
    curl_easy_setopt (easy, CURLOPT_PRIVATE, transfer);
    curl_easy_setopt (easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt (easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt (easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt (easy, CURLOPT_ERRORBUFFER, transfer->response.error);
    long timeout_ms = request->timeout_ms > 0 ? request->timeout_ms : 30000;
    curl_easy_setopt (easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt (easy, CURLOPT_WRITEFUNCTION, s_on_body);
    curl_easy_setopt (easy, CURLOPT_WRITEDATA, transfer);
    curl_easy_setopt (easy, CURLOPT_HEADERFUNCTION, s_on_header);
    curl_easy_setopt (easy, CURLOPT_HEADERDATA, transfer);
    if (strcmp (request->method, "GET") != 0)
        curl_easy_setopt (easy, CURLOPT_CUSTOMREQUEST, request->method);
    if (request->body) {
        curl_easy_setopt (easy, CURLOPT_POSTFIELDSIZE, (long) request->body_size);
        curl_easy_setopt (easy, CURLOPT_COPYPOSTFIELDS, request->body);
    }
    //  No "Expect: 100-continue" wait before a body: sinks answer at once.
    transfer->headers = curl_slist_append (NULL, "Expect:");
    for (size_t i = 0; i < request->n_headers; i++)
        transfer->headers = curl_slist_append (transfer->headers, request->headers [i]);
    assert (transfer->headers);
    curl_easy_setopt (easy, CURLOPT_HTTPHEADER, transfer->headers);

    transfer->next = self->transfers;
    if (self->transfers)
        self->transfers->prev = transfer;
    self->transfers = transfer;
    self->pending++;
    transfer->started = uv_hrtime ();
    //  Adding only arms the timer: the transfer starts on the loop, so
    //  `fn` is never called from inside this function.
    CURLMcode mrc = curl_multi_add_handle (self->multi, easy);
    assert (mrc == CURLM_OK);
    return 0;
}

size_t
cf_http_client_pending (const cf_http_client_t *self)
{
    return self->pending;
}

long
cf_http_response_status (const cf_http_response_t *response)
{
    return response->status;
}

const char *
cf_http_response_header (const cf_http_response_t *response, const char *name)
{
    for (size_t i = 0; i < response->n_headers; i++)
        if (strcasecmp (response->names [i], name) == 0)
            return response->values [i];
    return NULL;
}

const char *
cf_http_response_body (const cf_http_response_t *response, size_t *size_p)
{
    if (size_p)
        *size_p = response->body_size;
    return response->body ? response->body : "";
}

const char *
cf_http_response_error (const cf_http_response_t *response)
{
    return response->error;
}

double
cf_http_response_elapsed_ms (const cf_http_response_t *response)
{
    return response->elapsed_ms;
}
