//  cf_testhttp: a kept-alive HTTP/1.1 connection (see cf_testhttp.h).
//
//  Blocking sockets with poll for the deadline: one request is written
//  whole (head and body, sendmsg), then the answer is read into one buffer
//  until the head's blank line and Content-Length bytes after it are in.
#include "cf_testhttp.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

struct _cf_testhttp_t {
    int port;
    int timeout_ms;
    int fd;  //  -1 when not connected
    size_t connects;
    char *in;  //  the answer as read
    size_t in_cap;
    const char *body;  //  into `in`, or ""
};

static int64_t
s_now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

cf_testhttp_t *
cf_testhttp_new (int port, int timeout_ms)
{
    cf_testhttp_t *self = calloc (1, sizeof *self);
    assert (self);
    self->port = port;
    self->timeout_ms = timeout_ms;
    self->fd = -1;
    self->in_cap = 4096;
    self->in = malloc (self->in_cap);
    assert (self->in);
    self->body = "";
    return self;
}

void
cf_testhttp_close (cf_testhttp_t *self)
{
    if (self->fd >= 0)
        close (self->fd);
    self->fd = -1;
}

void
cf_testhttp_destroy (cf_testhttp_t **self_p)
{
    cf_testhttp_t *self = *self_p;
    if (!self)
        return;
    cf_testhttp_close (self);
    free (self->in);
    free (self);
    *self_p = NULL;
}

static int
s_connect (cf_testhttp_t *self)
{
    int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) self->port) };
    addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        close (fd);
        return -1;
    }
    //  Small requests one after the other: Nagle would hold each body back
    //  until the previous answer's ACK.
    int one = 1;
    setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    self->fd = fd;
    self->connects++;
    return 0;
}

//  Waits until the socket is ready for `events` or the deadline passed.
static bool
s_wait (cf_testhttp_t *self, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - s_now_ms ();
        if (left <= 0)
            return false;
        struct pollfd item = { .fd = self->fd, .events = events };
        int rc = poll (&item, 1, (int) left);
        if (rc > 0)
            return true;
        if (rc < 0 && errno != EINTR)
            return false;
    }
}

static int
s_send (cf_testhttp_t *self, const char *head, size_t head_size, const char *body, size_t size,
        int64_t deadline)
{
    struct iovec parts [2] = { { (void *) head, head_size }, { (void *) body, size } };
    int count = size ? 2 : 1;
    struct iovec *at = parts;
    while (count > 0) {
        if (!s_wait (self, POLLOUT, deadline))
            return -1;
        //  MSG_NOSIGNAL: a server that closed the socket is an answer of
        //  -1, not a SIGPIPE.
        struct msghdr message = { .msg_iov = at, .msg_iovlen = (size_t) count };
        ssize_t n = sendmsg (self->fd, &message, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        while (count > 0 && (size_t) n >= at->iov_len) {
            n -= (ssize_t) at->iov_len;
            at++;
            count--;
        }
        if (count > 0) {
            at->iov_base = (char *) at->iov_base + n;
            at->iov_len -= (size_t) n;
        }
    }
    return 0;
}

//  The value of header `name` in the head [text, end), or NULL.
static const char *
s_header (const char *text, const char *end, const char *name)
{
    size_t length = strlen (name);
    for (const char *line = strstr (text, "\r\n"); line && line + 2 < end;
         line = strstr (line + 2, "\r\n")) {
        const char *start = line + 2;
        if ((size_t) (end - start) > length && strncasecmp (start, name, length) == 0
            && start [length] == ':') {
            start += length + 1;
            while (*start == ' ')
                start++;
            return start;
        }
    }
    return NULL;
}

static int
s_receive (cf_testhttp_t *self, int64_t deadline)
{
    size_t got = 0, head = 0, total = 0;
    bool closing = false;
    for (;;) {
        if (head && got >= total)
            break;
        if (got + 1 >= self->in_cap) {
            self->in_cap *= 2;
            self->in = realloc (self->in, self->in_cap);
            assert (self->in);
        }
        if (!s_wait (self, POLLIN, deadline))
            return -1;
        ssize_t n = recv (self->fd, self->in + got, self->in_cap - 1 - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t) n;
        self->in [got] = 0;
        if (!head) {
            char *blank = strstr (self->in, "\r\n\r\n");
            if (!blank)
                continue;
            head = (size_t) (blank - self->in) + 4;
            const char *length = s_header (self->in, blank + 2, "Content-Length");
            total = head + (length ? strtoul (length, NULL, 10) : 0);
            const char *connection = s_header (self->in, blank + 2, "Connection");
            closing = connection && strncasecmp (connection, "close", 5) == 0;
        }
    }
    int status = 0;
    if (sscanf (self->in, "HTTP/1.%*d %d", &status) != 1 || status < 100 || status > 599)
        return -1;
    self->in [total] = 0;
    self->body = self->in + head;
    if (closing)
        cf_testhttp_close (self);
    return status;
}

int
cf_testhttp_request (cf_testhttp_t *self, const char *method, const char *path, const char *headers,
                     const char *body, size_t size)
{
    self->body = "";
    int64_t deadline = s_now_ms () + self->timeout_ms;
    if (self->fd < 0 && s_connect (self) != 0)
        return -1;
    char head [4096];
    int head_size = snprintf (head, sizeof head,
                              "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sContent-Length: %zu\r\n\r\n",
                              method, path, headers, size);
    assert (head_size > 0 && (size_t) head_size < sizeof head);
    int status = -1;
    if (s_send (self, head, (size_t) head_size, body, size, deadline) == 0)
        status = s_receive (self, deadline);
    if (status < 0) {
        cf_testhttp_close (self);
        self->body = "";
    }
    return status;
}

const char *
cf_testhttp_body (const cf_testhttp_t *self)
{
    return self->body;
}

size_t
cf_testhttp_connects (const cf_testhttp_t *self)
{
    return self->connects;
}
