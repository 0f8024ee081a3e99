//  cf_api_client: a blocking client of one service's api endpoint.
//
//  The zguide's Lazy Pirate on a DEALER: send, wait up to the timeout for
//  the reply carrying our request id, and if none comes, close the socket
//  (linger 0, so the unanswered request goes with it) and resend the same
//  request id on a fresh one. The service answers a retried command with
//  the reply it stored, so a command sent twice acts once. Replies to other
//  ids (late answers to an earlier call) are read and dropped.
//
//  For tools and tests only: every call blocks its thread.
#include "cf_api.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_ulid.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  Replies are bounded by the service (CF_API_MAX_MESSAGE); a little
//  leniency here costs nothing and spares a tool from failing on a batch a
//  service packed right up to its limit plus the envelope.
#define CF_API_CLIENT_REPLY_MAX (2 * (size_t) CF_API_MAX_MESSAGE)

struct _cf_api_client_t {
    char *endpoint;
    int timeout_ms;
    int retries;
    zsock_t *dealer;
    cf_keys_t *keys;  //  NULL: plaintext
    char server_key [CF_KEYS_Z85_SIZE];
};

static int64_t
s_wall_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

//  (Re)opens the DEALER. Returns 0, or -1 if the endpoint is malformed.
static int
s_open (cf_api_client_t *self)
{
    zsock_destroy (&self->dealer);
    self->dealer = zsock_new (ZMQ_DEALER);
    if (!self->dealer) {
        cf_log_error ("zsock_new (DEALER): %s", zmq_strerror (zmq_errno ()));
        return -1;
    }
    //  An abandoned request must not be delivered later behind our back,
    //  nor hold the process at exit.
    zsock_set_linger (self->dealer, 0);
    zsock_set_rcvtimeo (self->dealer, 0);
    if (self->keys)
        cf_keys_set_client (self->keys, self->dealer, self->server_key);
    //  No ZMQ_IMMEDIATE: the first request on a fresh socket waits in the
    //  queue until the connection is up, which is what a tool wants.
    if (zsock_connect (self->dealer, "%s", self->endpoint) == -1) {
        cf_log_error ("zsock_connect (%s): %s", self->endpoint, zmq_strerror (zmq_errno ()));
        zsock_destroy (&self->dealer);
        return -1;
    }
    return 0;
}

//  Waits until `deadline` (zclock_mono milliseconds) for a message and
//  returns it (destroy with zmsg_destroy), or NULL when time is up.
static zmsg_t *
s_wait (cf_api_client_t *self, int64_t deadline)
{
    while (true) {
        //  Read whatever is there before looking at the clock: a reply that
        //  is already waiting counts even if the deadline just passed.
        if (zsock_events (self->dealer) & ZMQ_POLLIN) {
            zmsg_t *msg = zmsg_recv (self->dealer);
            if (msg)
                return msg;
        }
        int64_t remaining = deadline - zclock_mono ();
        if (remaining <= 0)
            return NULL;
        zmq_pollitem_t items [] = { { zsock_resolve (self->dealer), 0, ZMQ_POLLIN, 0 } };
        if (zmq_poll (items, 1, (long) remaining) == -1 && zmq_errno () != EINTR) {
            cf_log_error ("zmq_poll: %s", zmq_strerror (zmq_errno ()));
            return NULL;
        }
    }
}

//  Reads and drops whatever is waiting (late answers to earlier calls).
static void
s_drain (cf_api_client_t *self)
{
    while (zsock_events (self->dealer) & ZMQ_POLLIN) {
        zmsg_t *msg = zmsg_recv (self->dealer);
        if (!msg)
            break;
        zmsg_destroy (&msg);
    }
}

cf_api_client_t *
cf_api_client_new (const char *endpoint, int timeout_ms, int retries)
{
    return cf_api_client_new_secure (endpoint, timeout_ms, retries, NULL, NULL);
}

cf_api_client_t *
cf_api_client_new_secure (const char *endpoint, int timeout_ms, int retries, cf_keys_t *keys,
                          const char *server)
{
    assert (endpoint);
    assert (timeout_ms > 0);
    assert (retries >= 0);
    assert (!keys || server);
    char server_key [CF_KEYS_Z85_SIZE] = "";
    if (keys && cf_keys_peer_key (keys, server, server_key))
        return NULL;
    cf_api_client_t *self = calloc (1, sizeof *self);
    assert (self);
    self->keys = keys;
    memcpy (self->server_key, server_key, sizeof server_key);
    self->endpoint = strdup (endpoint);
    assert (self->endpoint);
    self->timeout_ms = timeout_ms;
    self->retries = retries;
    if (s_open (self) == -1) {
        cf_api_client_destroy (&self);
        return NULL;
    }
    return self;
}

void
cf_api_client_destroy (cf_api_client_t **self_p)
{
    assert (self_p);
    cf_api_client_t *self = *self_p;
    if (!self)
        return;
    zsock_destroy (&self->dealer);
    free (self->endpoint);
    free (self);
    *self_p = NULL;
}

Caseflow__V1__Reply *
cf_api_client_call (cf_api_client_t *self, Caseflow__V1__Request *request, int *rc_p)
{
    assert (self);
    assert (request);
    //  The fresh id is lent to the request only while it is encoded, so the
    //  caller's request keeps its own (static empty) string and can be
    //  freed however it was made; the id used comes back in the reply.
    char fresh [CF_ULID_SIZE];
    char *given = request->request_id;
    const char *id = given;
    if (!id || !*id) {
        id = cf_ulid_new (fresh, s_wall_now ());
        request->request_id = fresh;
    }
    size_t size = caseflow__v1__request__get_packed_size (request);
    uint8_t *buffer = malloc (size ? size : 1);
    assert (buffer);
    caseflow__v1__request__pack (request, buffer);
    request->request_id = given;

    Caseflow__V1__Reply *result = NULL;
    int rc = CF_ETIMEOUT;
    for (int attempt = 0; attempt <= self->retries && rc == CF_ETIMEOUT; attempt++) {
        if (attempt > 0) {
            cf_log_info ("no reply to request %s from %s in %d ms; retrying (%d of %d)", id,
                         self->endpoint, self->timeout_ms, attempt, self->retries);
            //  Lazy Pirate: a fresh socket, so nothing of the last try lingers.
            if (s_open (self) == -1) {
                rc = CF_EIO;
                break;
            }
        }
        if (!self->dealer && s_open (self) == -1) {
            rc = CF_EIO;
            break;
        }
        //  Never blocks: without a connection the request waits in the
        //  socket's queue; if even that is full this try just times out.
        if (zmq_send (zsock_resolve (self->dealer), buffer, size, ZMQ_DONTWAIT) == -1)
            cf_log_debug ("zmq_send (%s): %s", self->endpoint, zmq_strerror (zmq_errno ()));

        int64_t deadline = zclock_mono () + self->timeout_ms;
        zmsg_t *msg;
        while (rc == CF_ETIMEOUT && (msg = s_wait (self, deadline))) {
            zframe_t *frame = zmsg_first (msg);
            if (zmsg_size (msg) != 1 || zframe_size (frame) > CF_API_CLIENT_REPLY_MAX)
                cf_log_warn ("request %s: dropped a reply of %zu frames", id, zmsg_size (msg));
            else {
                Caseflow__V1__Reply *reply =
                    caseflow__v1__reply__unpack (NULL, zframe_size (frame), zframe_data (frame));
                if (!reply) {
                    cf_log_warn ("request %s: undecodable reply from %s", id, self->endpoint);
                    rc = CF_EPROTO;
                } else if (strcmp (reply->request_id, id) != 0) {
                    cf_log_debug ("request %s: ignored a reply to %.64s", id, reply->request_id);
                    caseflow__v1__reply__free_unpacked (reply, NULL);
                } else {
                    result = reply;
                    rc = 0;
                }
            }
            zmsg_destroy (&msg);
        }
    }
    free (buffer);
    if (rc == CF_ETIMEOUT)
        cf_log_warn ("request %s: no reply from %s after %d tries", id, self->endpoint,
                     self->retries + 1);
    if (rc_p)
        *rc_p = rc;
    return result;
}

void *
cf_api_client_call_raw (cf_api_client_t *self, const void *data, size_t size, size_t *size_p)
{
    assert (self);
    assert (data || size == 0);
    assert (size_p);
    *size_p = 0;
    if (!self->dealer && s_open (self) == -1)
        return NULL;
    //  Any one-frame answer counts, so earlier answers must not be taken
    //  for this one.
    s_drain (self);
    if (zmq_send (zsock_resolve (self->dealer), data, size, ZMQ_DONTWAIT) == -1) {
        cf_log_debug ("zmq_send (%s): %s", self->endpoint, zmq_strerror (zmq_errno ()));
        return NULL;
    }
    int64_t deadline = zclock_mono () + self->timeout_ms;
    zmsg_t *msg;
    while ((msg = s_wait (self, deadline))) {
        if (zmsg_size (msg) == 1) {
            zframe_t *frame = zmsg_first (msg);
            //  One spare byte, so an empty answer is still a non-NULL buffer.
            void *answer = malloc (zframe_size (frame) + 1);
            assert (answer);
            memcpy (answer, zframe_data (frame), zframe_size (frame));
            *size_p = zframe_size (frame);
            zmsg_destroy (&msg);
            return answer;
        }
        zmsg_destroy (&msg);
    }
    return NULL;
}
