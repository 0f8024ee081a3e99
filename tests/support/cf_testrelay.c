//  cf_testrelay: a recording TCP relay (see cf_testrelay.h).
//
//  One thread polls the listening socket and every connection pair with a
//  short timeout (so a stop request is noticed quickly); what one side
//  sends is recorded and written whole to the other side. Test traffic is
//  small, so blocking writes are fine.
#include "cf_testrelay.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define S_MAX_PAIRS 32

struct _cf_testrelay_t {
    int listener;
    atomic_int target_port;
    char endpoint [64];
    pthread_t thread;
    atomic_bool stop;
    int client [S_MAX_PAIRS];  //  -1: slot free
    int upstream [S_MAX_PAIRS];
    pthread_mutex_t lock;  //  guards the recording
    char *bytes;
    size_t size, cap;
};

static void
s_record (cf_testrelay_t *self, const char *data, size_t size)
{
    pthread_mutex_lock (&self->lock);
    if (self->size + size > self->cap) {
        self->cap = (self->size + size) * 2;
        self->bytes = realloc (self->bytes, self->cap);
        assert (self->bytes);
    }
    memcpy (self->bytes + self->size, data, size);
    self->size += size;
    pthread_mutex_unlock (&self->lock);
}

static bool
s_write_all (int fd, const char *data, size_t size)
{
    while (size) {
        ssize_t sent = send (fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data += sent;
        size -= (size_t) sent;
    }
    return true;
}

static int
s_connect_target (cf_testrelay_t *self)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert (fd >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_port =
                                       htons ((uint16_t) atomic_load (&self->target_port)) };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    if (connect (fd, (struct sockaddr *) &address, sizeof address) != 0) {
        close (fd);
        return -1;
    }
    return fd;
}

static void
s_close_pair (cf_testrelay_t *self, int pair)
{
    close (self->client [pair]);
    close (self->upstream [pair]);
    self->client [pair] = self->upstream [pair] = -1;
}

static void
s_accept (cf_testrelay_t *self)
{
    int client = accept (self->listener, NULL, NULL);
    if (client < 0)
        return;
    int upstream = s_connect_target (self);
    int pair = 0;
    while (pair < S_MAX_PAIRS && self->client [pair] != -1)
        pair++;
    if (upstream < 0 || pair == S_MAX_PAIRS) {
        close (client);
        if (upstream >= 0)
            close (upstream);
        return;
    }
    self->client [pair] = client;
    self->upstream [pair] = upstream;
}

static void *
s_run (void *arg)
{
    cf_testrelay_t *self = arg;
    char buffer [65536];
    while (!atomic_load (&self->stop)) {
        struct pollfd fds [1 + 2 * S_MAX_PAIRS];
        int pairs [1 + 2 * S_MAX_PAIRS];
        nfds_t count = 0;
        fds [count++] = (struct pollfd){ .fd = self->listener, .events = POLLIN };
        for (int pair = 0; pair < S_MAX_PAIRS; pair++)
            if (self->client [pair] != -1) {
                pairs [count] = pair;
                fds [count++] = (struct pollfd){ .fd = self->client [pair], .events = POLLIN };
                pairs [count] = pair;
                fds [count++] = (struct pollfd){ .fd = self->upstream [pair], .events = POLLIN };
            }
        if (poll (fds, count, 50) <= 0)
            continue;
        if (fds [0].revents & POLLIN)
            s_accept (self);
        for (nfds_t i = 1; i < count; i++) {
            if (!fds [i].revents)
                continue;
            int pair = pairs [i];
            if (self->client [pair] == -1)
                continue;  //  closed by its other side in this round
            int to =
                fds [i].fd == self->client [pair] ? self->upstream [pair] : self->client [pair];
            ssize_t got = recv (fds [i].fd, buffer, sizeof buffer, 0);
            if (got <= 0) {
                s_close_pair (self, pair);
                continue;
            }
            s_record (self, buffer, (size_t) got);
            if (!s_write_all (to, buffer, (size_t) got))
                s_close_pair (self, pair);
        }
    }
    return NULL;
}

cf_testrelay_t *
cf_testrelay_new (int target_port)
{
    cf_testrelay_t *self = calloc (1, sizeof *self);
    assert (self);
    atomic_init (&self->target_port, target_port);
    for (int pair = 0; pair < S_MAX_PAIRS; pair++)
        self->client [pair] = self->upstream [pair] = -1;
    pthread_mutex_init (&self->lock, NULL);
    self->listener = socket (AF_INET, SOCK_STREAM, 0);
    assert (self->listener >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
    address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    int rc = bind (self->listener, (struct sockaddr *) &address, sizeof address);
    assert (rc == 0);
    rc = listen (self->listener, 16);
    assert (rc == 0);
    socklen_t length = sizeof address;
    rc = getsockname (self->listener, (struct sockaddr *) &address, &length);
    assert (rc == 0);
    snprintf (self->endpoint, sizeof self->endpoint, "tcp://127.0.0.1:%d",
              ntohs (address.sin_port));
    rc = pthread_create (&self->thread, NULL, s_run, self);
    assert (rc == 0);
    return self;
}

void
cf_testrelay_destroy (cf_testrelay_t **self_p)
{
    assert (self_p);
    cf_testrelay_t *self = *self_p;
    if (!self)
        return;
    atomic_store (&self->stop, true);
    pthread_join (self->thread, NULL);
    for (int pair = 0; pair < S_MAX_PAIRS; pair++)
        if (self->client [pair] != -1)
            s_close_pair (self, pair);
    close (self->listener);
    pthread_mutex_destroy (&self->lock);
    free (self->bytes);
    free (self);
    *self_p = NULL;
}

void
cf_testrelay_retarget (cf_testrelay_t *self, int target_port)
{
    atomic_store (&self->target_port, target_port);
}

const char *
cf_testrelay_endpoint (cf_testrelay_t *self)
{
    return self->endpoint;
}

size_t
cf_testrelay_size (cf_testrelay_t *self)
{
    pthread_mutex_lock (&self->lock);
    size_t size = self->size;
    pthread_mutex_unlock (&self->lock);
    return size;
}

char *
cf_testrelay_bytes (cf_testrelay_t *self, size_t *size_p)
{
    pthread_mutex_lock (&self->lock);
    char *copy = malloc (self->size + 1);
    assert (copy);
    if (self->size)
        memcpy (copy, self->bytes, self->size);
    copy [self->size] = 0;
    *size_p = self->size;
    pthread_mutex_unlock (&self->lock);
    return copy;
}

bool
cf_testrelay_saw (cf_testrelay_t *self, const char *text)
{
    pthread_mutex_lock (&self->lock);
    bool found = self->size && memmem (self->bytes, self->size, text, strlen (text)) != NULL;
    pthread_mutex_unlock (&self->lock);
    return found;
}
