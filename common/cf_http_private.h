//  cf_http_private: the request's struct and the calls cf_http.c makes on
//  it; nothing else includes this (cf_http_request.h is the public side).
#ifndef CF_HTTP_PRIVATE_H
#define CF_HTTP_PRIVATE_H

#include "cf_http_request.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

//  libmicrohttpd's memory pool bounds a request's headers anyway; this
//  bounds how many are copied.
#define CF_HTTP_MAX_HEADERS 64
#define CF_HTTP_MAX_ARGS    32
#define CF_HTTP_MAX_EXTRA   8

struct _cf_http_request_t {
    struct MHD_Connection *connection;
    char *method;
    char *path;
    char *names [CF_HTTP_MAX_HEADERS];
    char *values [CF_HTTP_MAX_HEADERS];
    size_t header_count;
    char *arg_names [CF_HTTP_MAX_ARGS];
    char *arg_values [CF_HTTP_MAX_ARGS];
    size_t arg_count;
    char peer [64];  //  the client's address, text form ("" when unknown)
    char *body;
    size_t size, capacity, max_body;
    bool too_large;   //  more than max_body came: answered 413
    bool dispatched;  //  handed to the route
    //  The answer, under `lock` (any thread answers; libmicrohttpd's
    //  thread queues it).
    pthread_mutex_t lock;
    bool suspended;
    bool answered;
    unsigned status;
    char *content_type;
    char *answer;
    size_t answer_size;
    char *extra_names [CF_HTTP_MAX_EXTRA];
    char *extra_values [CF_HTTP_MAX_EXTRA];
    size_t extra_count;
};

//  A request on `connection` with its headers copied; a body up to
//  `max_body` bytes will be kept. Never NULL.
cf_http_request_t *
cf_http_request_new (struct MHD_Connection *connection, const char *method, const char *path,
                     size_t max_body);

//  Frees it; safe on NULL; nulls *self_p.
void
cf_http_request_destroy (cf_http_request_t **self_p);

//  Appends upload data (dropped, and too_large set, past max_body).
void
cf_http_request_append (cf_http_request_t *self, const char *data, size_t size);

//  On libmicrohttpd's thread, after handing the request to its route:
//  suspends the connection unless the answer is there already (true).
bool
cf_http_request_suspend_unless_answered (cf_http_request_t *self);

//  Queues the answer on the connection (libmicrohttpd's thread).
enum MHD_Result
cf_http_request_queue (cf_http_request_t *self);

#endif
