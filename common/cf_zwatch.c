//  cf_zwatch: a libuv poll handle on a ZeroMQ socket's ZMQ_FD.
#include "cf_zwatch.h"

#include "cf_log.h"

#include <assert.h>
#include <stdlib.h>

struct _cf_zwatch_t {
    uv_poll_t poll;  //  first, so the handle's address is the watch's
    cf_zwatch_fn *fn;
    void *ctx;
};

static void
s_on_poll (uv_poll_t *handle, int status, int events)
{
    (void) events;
    cf_zwatch_t *self = (cf_zwatch_t *) handle;
    //  An error status still means "look": the owner reads ZMQ_EVENTS.
    if (status < 0)
        cf_log_debug ("uv_poll: %s", uv_strerror (status));
    self->fn (self->ctx);
}

cf_zwatch_t *
cf_zwatch_new (uv_loop_t *loop, zsock_t *socket, cf_zwatch_fn *fn, void *ctx)
{
    cf_zwatch_t *self = calloc (1, sizeof *self);
    assert (self);
    self->fn = fn;
    self->ctx = ctx;
    int rc = uv_poll_init_socket (loop, &self->poll, zsock_fd (socket));
    if (rc == 0)
        rc = uv_poll_start (&self->poll, UV_READABLE, s_on_poll);
    if (rc != 0) {
        cf_log_error ("uv_poll_start: %s", uv_strerror (rc));
        free (self);
        return NULL;
    }
    return self;
}

static void
s_on_close (uv_handle_t *handle)
{
    free (handle);
}

void
cf_zwatch_destroy (cf_zwatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    cf_zwatch_t *self = *self_p;
    uv_poll_stop (&self->poll);
    uv_close ((uv_handle_t *) &self->poll, s_on_close);
    *self_p = NULL;
}
