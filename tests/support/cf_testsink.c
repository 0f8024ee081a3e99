//  cf_testsink: a scripted webhook receiver (see cf_testsink.h).
#include "cf_testsink.h"

#include <arpa/inet.h>
#include <assert.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_SCRIPT_MAX 256

typedef enum { S_STATUS, S_RETRY_SECONDS, S_RETRY_DATE, S_SLOW } s_kind_t;

typedef struct {
    s_kind_t kind;
    unsigned value;  //  status, seconds or milliseconds
} s_answer_t;

typedef struct {
    char *body;
    size_t size;
} s_upload_t;

struct _cf_testsink_t {
    pthread_mutex_t mutex;
    struct MHD_Daemon *daemon;
    uint16_t port;
    char url [64];
    s_answer_t script [S_SCRIPT_MAX];
    size_t script_head, script_tail;
    bool refuse_handshake;
    atomic_bool stopping;
    cf_testsink_request_t **requests;
    size_t count, room;
};

static size_t
s_record (cf_testsink_t *self, struct MHD_Connection *connection, const char *url,
          const char *method, const char *body)
{
    cf_testsink_request_t *request = calloc (1, sizeof *request);
    assert (request);
    snprintf (request->method, sizeof request->method, "%s", method);
    snprintf (request->path, sizeof request->path, "%s", url);
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    request->received_ns = (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
    request->body = strdup (body ? body : "");
    assert (request->body);
    const char *value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Authorization");
    snprintf (request->authorization, sizeof request->authorization, "%s", value ? value : "");
    value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "Content-Type");
    snprintf (request->content_type, sizeof request->content_type, "%s", value ? value : "");
    value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "WebHook-Request-Origin");
    snprintf (request->origin, sizeof request->origin, "%s", value ? value : "");
    pthread_mutex_lock (&self->mutex);
    if (self->count == self->room) {
        self->room = self->room ? self->room * 2 : 64;
        self->requests = realloc (self->requests, self->room * sizeof *self->requests);
        assert (self->requests);
    }
    size_t index = self->count++;
    self->requests [index] = request;
    pthread_mutex_unlock (&self->mutex);
    return index;
}

static void
s_set_status (cf_testsink_t *self, size_t index, unsigned status)
{
    pthread_mutex_lock (&self->mutex);
    self->requests [index]->status = status;
    pthread_mutex_unlock (&self->mutex);
}

static enum MHD_Result
s_answer (struct MHD_Connection *connection, unsigned status, const char *name, const char *value)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
    assert (response);
    if (name)
        MHD_add_response_header (response, name, value);
    enum MHD_Result result = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return result;
}

static enum MHD_Result
s_handle (void *cls, struct MHD_Connection *connection, const char *url, const char *method,
          const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    (void) version;
    cf_testsink_t *self = cls;
    s_upload_t *upload = *con_cls;
    if (!upload) {
        upload = calloc (1, sizeof *upload);
        assert (upload);
        *con_cls = upload;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        upload->body = realloc (upload->body, upload->size + *upload_data_size + 1);
        assert (upload->body);
        memcpy (upload->body + upload->size, upload_data, *upload_data_size);
        upload->size += *upload_data_size;
        upload->body [upload->size] = '\0';
        *upload_data_size = 0;
        return MHD_YES;
    }
    size_t index = s_record (self, connection, url, method, upload->body);
    if (strcmp (method, "OPTIONS") == 0) {
        const char *origin =
            MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "WebHook-Request-Origin");
        pthread_mutex_lock (&self->mutex);
        bool refuse = self->refuse_handshake;
        pthread_mutex_unlock (&self->mutex);
        s_set_status (self, index, 200);
        if (refuse || !origin)
            return s_answer (connection, 200, NULL, NULL);
        return s_answer (connection, 200, "WebHook-Allowed-Origin", origin);
    }
    s_answer_t answer = { S_STATUS, 204 };
    pthread_mutex_lock (&self->mutex);
    if (self->script_head < self->script_tail)
        answer = self->script [self->script_head++];
    pthread_mutex_unlock (&self->mutex);
    char value [64];
    switch (answer.kind) {
        case S_RETRY_SECONDS:
            snprintf (value, sizeof value, "%u", answer.value);
            s_set_status (self, index, 429);
            return s_answer (connection, 429, "Retry-After", value);
        case S_RETRY_DATE: {
            time_t at = time (NULL) + (time_t) answer.value;
            struct tm tm;
            gmtime_r (&at, &tm);
            strftime (value, sizeof value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            s_set_status (self, index, 429);
            return s_answer (connection, 429, "Retry-After", value);
        }
        case S_SLOW:
            for (unsigned waited = 0; waited < answer.value && !atomic_load (&self->stopping);
                 waited += 10)
                usleep (10 * 1000);
            s_set_status (self, index, 200);
            return s_answer (connection, 200, NULL, NULL);
        case S_STATUS: break;
    }
    s_set_status (self, index, answer.value);
    return s_answer (connection, answer.value, NULL, NULL);
}

static void
s_completed (void *cls, struct MHD_Connection *connection, void **con_cls,
             enum MHD_RequestTerminationCode code)
{
    (void) cls;
    (void) connection;
    (void) code;
    s_upload_t *upload = *con_cls;
    if (upload) {
        free (upload->body);
        free (upload);
        *con_cls = NULL;
    }
}

static void
s_start (cf_testsink_t *self)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (self->port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    atomic_store (&self->stopping, false);
    self->daemon = MHD_start_daemon (
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG,
        self->port, NULL, NULL, s_handle, self, MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &addr,
        MHD_OPTION_NOTIFY_COMPLETED, s_completed, self, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned) 1, MHD_OPTION_END);
    assert (self->daemon);
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info (self->daemon, MHD_DAEMON_INFO_BIND_PORT);
    assert (info);
    self->port = info->port;
}

cf_testsink_t *
cf_testsink_new (void)
{
    cf_testsink_t *self = calloc (1, sizeof *self);
    assert (self);
    pthread_mutex_init (&self->mutex, NULL);
    s_start (self);
    snprintf (self->url, sizeof self->url, "http://127.0.0.1:%u/hook", (unsigned) self->port);
    return self;
}

void
cf_testsink_down (cf_testsink_t *self)
{
    if (!self->daemon)
        return;
    atomic_store (&self->stopping, true);
    MHD_stop_daemon (self->daemon);
    self->daemon = NULL;
}

void
cf_testsink_up (cf_testsink_t *self)
{
    if (!self->daemon)
        s_start (self);
}

void
cf_testsink_destroy (cf_testsink_t **self_p)
{
    cf_testsink_t *self = *self_p;
    if (!self)
        return;
    cf_testsink_down (self);
    for (size_t i = 0; i < self->count; i++)
        cf_testsink_request_free (&self->requests [i]);
    free (self->requests);
    pthread_mutex_destroy (&self->mutex);
    free (self);
    *self_p = NULL;
}

uint16_t
cf_testsink_port (cf_testsink_t *self)
{
    return self->port;
}

const char *
cf_testsink_url (cf_testsink_t *self)
{
    return self->url;
}

void
cf_testsink_script (cf_testsink_t *self, const char *script)
{
    char *copy = strdup (script);
    assert (copy);
    pthread_mutex_lock (&self->mutex);
    char *save = NULL;
    for (char *word = strtok_r (copy, ",", &save); word; word = strtok_r (NULL, ",", &save)) {
        assert (self->script_tail < S_SCRIPT_MAX);
        s_answer_t answer = { S_STATUS, 204 };
        if (strncmp (word, "429:date:", 9) == 0)
            answer = (s_answer_t){ S_RETRY_DATE, (unsigned) atoi (word + 9) };
        else if (strncmp (word, "429:", 4) == 0)
            answer = (s_answer_t){ S_RETRY_SECONDS, (unsigned) atoi (word + 4) };
        else if (strncmp (word, "slow:", 5) == 0)
            answer = (s_answer_t){ S_SLOW, (unsigned) atoi (word + 5) };
        else if (strcmp (word, "ok") != 0) {
            answer.value = (unsigned) atoi (word);
            assert (answer.value >= 100 && answer.value < 600);
        }
        self->script [self->script_tail++] = answer;
    }
    pthread_mutex_unlock (&self->mutex);
    free (copy);
}

void
cf_testsink_refuse_handshake (cf_testsink_t *self, bool refuse)
{
    pthread_mutex_lock (&self->mutex);
    self->refuse_handshake = refuse;
    pthread_mutex_unlock (&self->mutex);
}

size_t
cf_testsink_count (cf_testsink_t *self)
{
    pthread_mutex_lock (&self->mutex);
    size_t count = self->count;
    pthread_mutex_unlock (&self->mutex);
    return count;
}

cf_testsink_request_t *
cf_testsink_request (cf_testsink_t *self, size_t index)
{
    cf_testsink_request_t *copy = calloc (1, sizeof *copy);
    assert (copy);
    pthread_mutex_lock (&self->mutex);
    assert (index < self->count);
    *copy = *self->requests [index];
    copy->body = strdup (self->requests [index]->body);
    pthread_mutex_unlock (&self->mutex);
    assert (copy->body);
    return copy;
}

void
cf_testsink_request_free (cf_testsink_request_t **request_p)
{
    cf_testsink_request_t *request = *request_p;
    if (!request)
        return;
    free (request->body);
    free (request);
    *request_p = NULL;
}
