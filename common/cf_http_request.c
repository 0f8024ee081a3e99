//  cf_http_request: a request copied off libmicrohttpd's connection, and
//  the hand-over of its answer back to libmicrohttpd's thread (see
//  cf_http_request.h). cf_http.c makes, fills and frees it through the
//  functions of cf_http_private.h; a route's owner reads and answers it.
//
//  The answer meets the connection under the request's lock: the thread
//  of libmicrohttpd suspends the connection only while holding it, and
//  only when no answer is there yet; an answer arriving later resumes it.
//  So an answer given at once, on libmicrohttpd's own thread, is queued
//  without a suspension, and one given from the service's loop while the
//  connection is being suspended cannot be lost.
#include "cf_http_private.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *
s_dup (const char *text)
{
    char *copy = strdup (text ? text : "");
    if (!copy)
        abort ();
    return copy;
}

static enum MHD_Result
s_copy_header (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void) kind;
    cf_http_request_t *self = cls;
    if (self->header_count == CF_HTTP_MAX_HEADERS)
        return MHD_NO;
    self->names [self->header_count] = s_dup (key);
    self->values [self->header_count] = s_dup (value);
    self->header_count++;
    return MHD_YES;
}

static enum MHD_Result
s_copy_argument (void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void) kind;
    cf_http_request_t *self = cls;
    if (self->arg_count == CF_HTTP_MAX_ARGS)
        return MHD_NO;
    self->arg_names [self->arg_count] = s_dup (key);
    //  A key without '=' ("?flag") has no value: read as "".
    self->arg_values [self->arg_count] = s_dup (value);
    self->arg_count++;
    return MHD_YES;
}

static void
s_copy_peer (cf_http_request_t *self, struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *address = info ? info->client_addr : NULL;
    if (address && address->sa_family == AF_INET)
        inet_ntop (AF_INET, &((const struct sockaddr_in *) address)->sin_addr, self->peer,
                   sizeof self->peer);
    else if (address && address->sa_family == AF_INET6)
        inet_ntop (AF_INET6, &((const struct sockaddr_in6 *) address)->sin6_addr, self->peer,
                   sizeof self->peer);
}

cf_http_request_t *
cf_http_request_new (struct MHD_Connection *connection, const char *method, const char *path,
                     size_t max_body)
{
    cf_http_request_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->connection = connection;
    self->method = s_dup (method);
    self->path = s_dup (path);
    self->max_body = max_body;
    pthread_mutex_init (&self->lock, NULL);
    MHD_get_connection_values (connection, MHD_HEADER_KIND, s_copy_header, self);
    MHD_get_connection_values (connection, MHD_GET_ARGUMENT_KIND, s_copy_argument, self);
    s_copy_peer (self, connection);
    return self;
}

void
cf_http_request_destroy (cf_http_request_t **self_p)
{
    cf_http_request_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->header_count; i++) {
        free (self->names [i]);
        free (self->values [i]);
    }
    for (size_t i = 0; i < self->arg_count; i++) {
        free (self->arg_names [i]);
        free (self->arg_values [i]);
    }
    for (size_t i = 0; i < self->extra_count; i++) {
        free (self->extra_names [i]);
        free (self->extra_values [i]);
    }
    free (self->method);
    free (self->path);
    free (self->body);
    free (self->content_type);
    free (self->answer);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

void
cf_http_request_append (cf_http_request_t *self, const char *data, size_t size)
{
    if (self->too_large || self->size + size > self->max_body) {
        //  Read and dropped: only the limit ever sits in memory.
        self->too_large = true;
        return;
    }
    if (self->size + size + 1 > self->capacity) {
        size_t capacity = self->capacity ? self->capacity : 4096;
        while (capacity < self->size + size + 1)
            capacity *= 2;
        self->body = realloc (self->body, capacity);
        if (!self->body)
            abort ();
        self->capacity = capacity;
    }
    memcpy (self->body + self->size, data, size);
    self->size += size;
    self->body [self->size] = 0;
}

bool
cf_http_request_suspend_unless_answered (cf_http_request_t *self)
{
    pthread_mutex_lock (&self->lock);
    bool answered = self->answered;
    if (!answered) {
        self->suspended = true;
        MHD_suspend_connection (self->connection);
    }
    pthread_mutex_unlock (&self->lock);
    return answered;
}

enum MHD_Result
cf_http_request_queue (cf_http_request_t *self)
{
    pthread_mutex_lock (&self->lock);
    assert (self->answered);
    struct MHD_Response *response = MHD_create_response_from_buffer (
        self->answer_size, self->answer ? self->answer : (void *) "", MHD_RESPMEM_MUST_COPY);
    pthread_mutex_unlock (&self->lock);
    if (!response)
        return MHD_NO;
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, self->content_type);
    MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (size_t i = 0; i < self->extra_count; i++)
        MHD_add_response_header (response, self->extra_names [i], self->extra_values [i]);
    enum MHD_Result result = MHD_queue_response (self->connection, self->status, response);
    MHD_destroy_response (response);
    return result;
}

const char *
cf_http_request_method (const cf_http_request_t *self)
{
    return self->method;
}

const char *
cf_http_request_path (const cf_http_request_t *self)
{
    return self->path;
}

const char *
cf_http_request_header (const cf_http_request_t *self, const char *name)
{
    for (size_t i = 0; i < self->header_count; i++)
        if (strcasecmp (self->names [i], name) == 0)
            return self->values [i];
    return NULL;
}

const char *
cf_http_request_argument (const cf_http_request_t *self, const char *name)
{
    for (size_t i = 0; i < self->arg_count; i++)
        if (strcmp (self->arg_names [i], name) == 0)
            return self->arg_values [i];
    return NULL;
}

const char *
cf_http_request_peer (const cf_http_request_t *self)
{
    return self->peer [0] ? self->peer : NULL;
}

size_t
cf_http_request_header_count (const cf_http_request_t *self)
{
    return self->header_count;
}

void
cf_http_request_header_at (const cf_http_request_t *self, size_t index, const char **name_p,
                           const char **value_p)
{
    assert (index < self->header_count);
    *name_p = self->names [index];
    *value_p = self->values [index];
}

const char *
cf_http_request_body (const cf_http_request_t *self, size_t *size_p)
{
    *size_p = self->size;
    return self->body ? self->body : "";
}

void
cf_http_request_add_header (cf_http_request_t *self, const char *name, const char *value)
{
    assert (!self->answered && self->extra_count < CF_HTTP_MAX_EXTRA);
    self->extra_names [self->extra_count] = s_dup (name);
    self->extra_values [self->extra_count] = s_dup (value);
    self->extra_count++;
}

void
cf_http_request_respond (cf_http_request_t *self, unsigned status, const char *content_type,
                         const char *body, size_t size)
{
    pthread_mutex_lock (&self->lock);
    assert (!self->answered);
    self->status = status;
    self->content_type = s_dup (content_type);
    self->answer = malloc (size ? size : 1);
    if (!self->answer)
        abort ();
    memcpy (self->answer, body, size);
    self->answer_size = size;
    self->answered = true;
    if (self->suspended) {
        self->suspended = false;
        MHD_resume_connection (self->connection);
    }
    pthread_mutex_unlock (&self->lock);
}
