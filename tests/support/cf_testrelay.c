//  cf_testrelay: a recording TCP relay (see cf_testrelay.h).
//
//  One thread polls the listening socket and every connection pair with a
//  short timeout (so a stop request is noticed quickly); what one side
//  sends is recorded and written whole to the other side. Test traffic is
//  small, so blocking writes are fine. Impaired, what arrives is queued
//  per direction with the time it is due (never before the piece ahead of
//  it: order holds) and written once due; the poll wakes for the first.
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
#include <time.h>
#include <unistd.h>

#define S_MAX_PAIRS 32
//  What a lost piece waits for: TCP's first retransmission timeout.
#define S_RTO_MS 200

//  A piece held back, due at `due` (CLOCK_MONOTONIC ms).
typedef struct s_piece_t {
    struct s_piece_t *next;
    int64_t due;
    size_t size;
    char data [];
} s_piece_t;

typedef struct {
    s_piece_t *head, *tail;
} s_queue_t;

struct _cf_testrelay_t {
    int listener;
    atomic_int target_port;
    char target [40];  //  the target's IPv4 address
    char endpoint [64];
    pthread_t thread;
    atomic_bool stop;
    int client [S_MAX_PAIRS];  //  -1: slot free
    int upstream [S_MAX_PAIRS];
    s_queue_t queue [S_MAX_PAIRS][2];  //  held back: [0] to upstream, [1] to client
    atomic_int delay_ms, loss_percent;
    atomic_uint seed;  //  the state of the draws of lost pieces
    atomic_size_t lost, passed;
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

static int64_t
s_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
s_queue_clear (s_queue_t *queue)
{
    while (queue->head) {
        s_piece_t *next = queue->head->next;
        free (queue->head);
        queue->head = next;
    }
    queue->tail = NULL;
}

//  Holds `data` back in `queue` until its time (see the header).
static void
s_queue_push (cf_testrelay_t *self, s_queue_t *queue, const char *data, size_t size)
{
    int64_t due = s_now_ms () + atomic_load (&self->delay_ms);
    int loss = atomic_load (&self->loss_percent);
    unsigned seed = atomic_load (&self->seed);
    bool lost = loss > 0 && (unsigned) rand_r (&seed) % 100 < (unsigned) loss;
    atomic_store (&self->seed, seed);
    if (lost) {
        due += S_RTO_MS;
        atomic_fetch_add (&self->lost, 1);
    }
    if (queue->tail && queue->tail->due > due)
        due = queue->tail->due;
    s_piece_t *piece = malloc (sizeof *piece + size);
    assert (piece);
    piece->next = NULL;
    piece->due = due;
    piece->size = size;
    memcpy (piece->data, data, size);
    if (queue->tail)
        queue->tail->next = piece;
    else
        queue->head = piece;
    queue->tail = piece;
}

static int
s_connect_target (cf_testrelay_t *self)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    assert (fd >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_port =
                                       htons ((uint16_t) atomic_load (&self->target_port)) };
    int rc = inet_pton (AF_INET, self->target, &address.sin_addr);
    assert (rc == 1);
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
    s_queue_clear (&self->queue [pair][0]);
    s_queue_clear (&self->queue [pair][1]);
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

//  Writes what is due of each queue; closes a pair whose side is gone.
//  Returns the milliseconds until the next piece is due (at most 50).
static int
s_flush_due (cf_testrelay_t *self)
{
    int64_t now = s_now_ms (), wait = 50;
    for (int pair = 0; pair < S_MAX_PAIRS; pair++)
        for (int way = 0; way < 2 && self->client [pair] != -1; way++) {
            s_queue_t *queue = &self->queue [pair][way];
            int to = way == 0 ? self->upstream [pair] : self->client [pair];
            while (queue->head && queue->head->due <= now) {
                s_piece_t *piece = queue->head;
                bool sent = s_write_all (to, piece->data, piece->size);
                queue->head = piece->next;
                if (!queue->head)
                    queue->tail = NULL;
                free (piece);
                atomic_fetch_add (&self->passed, 1);
                if (!sent) {
                    s_close_pair (self, pair);
                    break;
                }
            }
            if (queue->head && queue->head->due - now < wait)
                wait = queue->head->due - now;
        }
    return (int) wait;
}

static void *
s_run (void *arg)
{
    cf_testrelay_t *self = arg;
    char buffer [65536];
    while (!atomic_load (&self->stop)) {
        int wait = s_flush_due (self);
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
        if (poll (fds, count, wait) <= 0)
            continue;
        if (fds [0].revents & POLLIN)
            s_accept (self);
        for (nfds_t i = 1; i < count; i++) {
            if (!fds [i].revents)
                continue;
            int pair = pairs [i];
            if (self->client [pair] == -1)
                continue;  //  closed by its other side in this round
            bool upward = fds [i].fd == self->client [pair];
            int to = upward ? self->upstream [pair] : self->client [pair];
            ssize_t got = recv (fds [i].fd, buffer, sizeof buffer, 0);
            if (got <= 0) {
                s_close_pair (self, pair);
                continue;
            }
            s_record (self, buffer, (size_t) got);
            s_queue_t *queue = &self->queue [pair][upward ? 0 : 1];
            if (atomic_load (&self->delay_ms) > 0 || atomic_load (&self->loss_percent) > 0
                || queue->head)
                s_queue_push (self, queue, buffer, (size_t) got);
            else if (!s_write_all (to, buffer, (size_t) got))
                s_close_pair (self, pair);
            else
                atomic_fetch_add (&self->passed, 1);
        }
    }
    return NULL;
}

cf_testrelay_t *
cf_testrelay_new_at (const char *listen_address, const char *target_address, int target_port)
{
    cf_testrelay_t *self = calloc (1, sizeof *self);
    assert (self);
    atomic_init (&self->target_port, target_port);
    snprintf (self->target, sizeof self->target, "%s", target_address);
    for (int pair = 0; pair < S_MAX_PAIRS; pair++)
        self->client [pair] = self->upstream [pair] = -1;
    pthread_mutex_init (&self->lock, NULL);
    self->listener = socket (AF_INET, SOCK_STREAM, 0);
    assert (self->listener >= 0);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = 0 };
    int rc = inet_pton (AF_INET, listen_address, &address.sin_addr);
    assert (rc == 1);
    rc = bind (self->listener, (struct sockaddr *) &address, sizeof address);
    assert (rc == 0);
    rc = listen (self->listener, 16);
    assert (rc == 0);
    socklen_t length = sizeof address;
    rc = getsockname (self->listener, (struct sockaddr *) &address, &length);
    assert (rc == 0);
    snprintf (self->endpoint, sizeof self->endpoint, "tcp://%s:%d", listen_address,
              ntohs (address.sin_port));
    rc = pthread_create (&self->thread, NULL, s_run, self);
    assert (rc == 0);
    return self;
}

cf_testrelay_t *
cf_testrelay_new (int target_port)
{
    return cf_testrelay_new_at ("127.0.0.1", "127.0.0.1", target_port);
}

void
cf_testrelay_impair (cf_testrelay_t *self, int delay_ms, int loss_percent, unsigned seed)
{
    assert (delay_ms >= 0 && loss_percent >= 0 && loss_percent <= 100);
    atomic_store (&self->seed, seed);
    atomic_store (&self->delay_ms, delay_ms);
    atomic_store (&self->loss_percent, loss_percent);
}

size_t
cf_testrelay_lost (cf_testrelay_t *self)
{
    return atomic_load (&self->lost);
}

size_t
cf_testrelay_passed (cf_testrelay_t *self)
{
    return atomic_load (&self->passed);
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
