//  caseflow-healthcheck: the container image's health probe.
//
//      caseflow-healthcheck [PATH]      PATH: /healthz (default) or /readyz
//
//  Asks the caseflow service running in the same container (or pod
//  network) for PATH over HTTP and exits 0 when it answers 200, 1
//  otherwise (one line on stderr saying why). It replaces curl in the
//  runtime image: a few kilobytes instead of libcurl and its dependencies.
//
//  Where the service listens, first match wins:
//    1. CASEFLOW_HTTP_BIND, the variable the service itself reads;
//    2. the --http-bind flag on the command line of the caseflow-* process
//       (PID 1 in the image, found through /proc);
//    3. that service's default port (DESIGN.md).
//  A wildcard host (empty, 0.0.0.0, *, ::) is asked on loopback.
//
//  Built by deploy/container/Containerfile with the C compiler alone; no
//  caseflow library, so it stays out of the project's CMake build.
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TIMEOUT_MS 3000

static const struct {
    const char *name;
    const char *port;
} s_defaults [] = {
    { "caseflow-intake", "8601" },   { "caseflow-assignment", "8611" },
    { "caseflow-handover", "8621" }, { "caseflow-notification", "8631" },
    { "caseflow-gateway", "8641" },
};

//  Reads /proc/<pid>/cmdline into buf (NUL-separated words); returns its
//  length, or 0 when unreadable.
static size_t
s_read_cmdline (const char *pid, char *buf, size_t size)
{
    char path [300];
    snprintf (path, sizeof path, "/proc/%s/cmdline", pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return 0;
    size_t len = fread (buf, 1, size - 1, file);
    fclose (file);
    buf [len] = 0;
    return len;
}

//  Finds the caseflow service process and copies its http address (from
//  --http-bind, else its default port) into address. Returns 0, or -1 when
//  no caseflow service runs here.
static int
s_address_from_process (char *address, size_t size)
{
    DIR *proc = opendir ("/proc");
    if (!proc)
        return -1;
    struct dirent *entry;
    int rc = -1;
    char cmdline [8192];
    while (rc != 0 && (entry = readdir (proc))) {
        if (entry->d_name [0] < '1' || entry->d_name [0] > '9')
            continue;
        size_t len = s_read_cmdline (entry->d_name, cmdline, sizeof cmdline);
        if (len == 0)
            continue;
        const char *base = strrchr (cmdline, '/');
        base = base ? base + 1 : cmdline;
        for (size_t d = 0; d < sizeof s_defaults / sizeof s_defaults [0]; d++)
            if (strcmp (base, s_defaults [d].name) == 0) {
                snprintf (address, size, ":%s", s_defaults [d].port);
                rc = 0;
            }
        if (rc != 0)
            continue;
        //  Its own flag, if given, beats the default.
        for (const char *word = cmdline; word < cmdline + len; word += strlen (word) + 1) {
            if (strncmp (word, "--http-bind=", 12) == 0)
                snprintf (address, size, "%s", word + 12);
            else if (strcmp (word, "--http-bind") == 0 && word + strlen (word) + 1 < cmdline + len)
                snprintf (address, size, "%s", word + strlen (word) + 1);
        }
    }
    closedir (proc);
    return rc;
}

//  Connects to host:port with a timeout; returns the socket or -1.
static int
s_connect (const char *host, const char *port)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *found = NULL;
    if (getaddrinfo (host, port, &hints, &found) != 0 || !found)
        return -1;
    int fd = -1;
    for (struct addrinfo *ai = found; ai && fd < 0; ai = ai->ai_next) {
        fd = socket (ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect (fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        int err = 0;
        socklen_t err_len = sizeof err;
        if (errno != EINPROGRESS || poll (&pfd, 1, TIMEOUT_MS) != 1
            || getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0 || err != 0) {
            close (fd);
            fd = -1;
        }
    }
    freeaddrinfo (found);
    return fd;
}

int
main (int argc, char **argv)
{
    const char *path = argc > 1 ? argv [1] : "/healthz";
    if (argc > 2 || path [0] != '/') {
        fprintf (stderr, "usage: caseflow-healthcheck [/healthz|/readyz]\n");
        return 2;
    }
    char address [256];
    const char *bind = getenv ("CASEFLOW_HTTP_BIND");
    if (bind && *bind)
        snprintf (address, sizeof address, "%s", bind);
    else if (s_address_from_process (address, sizeof address) != 0) {
        fprintf (stderr, "caseflow-healthcheck: no caseflow service runs here and "
                         "CASEFLOW_HTTP_BIND is not set\n");
        return 1;
    }
    //  "host:port", ":port" or "[v6]:port", as the service reads it.
    char *colon = strrchr (address, ':');
    if (!colon || !colon [1]) {
        fprintf (stderr, "caseflow-healthcheck: cannot read host:port from \"%s\"\n", address);
        return 1;
    }
    *colon = 0;
    const char *port = colon + 1;
    char *host = address;
    if (host [0] == '[' && host [strlen (host) - 1] == ']') {
        host [strlen (host) - 1] = 0;
        host++;
    }
    if (!*host || strcmp (host, "0.0.0.0") == 0 || strcmp (host, "*") == 0)
        host = "127.0.0.1";
    else if (strcmp (host, "::") == 0)
        host = "::1";

    int fd = s_connect (host, port);
    if (fd < 0) {
        fprintf (stderr, "caseflow-healthcheck: cannot connect to %s port %s\n", host, port);
        return 1;
    }
    char request [512];
    int len = snprintf (request, sizeof request,
                        "GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n", path);
    char reply [256] = "";
    size_t got = 0;
    if (len > 0 && send (fd, request, (size_t) len, MSG_NOSIGNAL) == len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        while (got < sizeof reply - 1 && !strchr (reply, '\n') && poll (&pfd, 1, TIMEOUT_MS) == 1) {
            ssize_t n = recv (fd, reply + got, sizeof reply - 1 - got, 0);
            if (n <= 0)
                break;
            got += (size_t) n;
            reply [got] = 0;
        }
    }
    close (fd);
    //  "HTTP/1.1 200 OK"
    const char *code = strchr (reply, ' ');
    if (code && strncmp (code + 1, "200", 3) == 0)
        return 0;
    char *eol = strpbrk (reply, "\r\n");
    if (eol)
        *eol = 0;
    fprintf (stderr, "caseflow-healthcheck: %s:%s%s answered \"%s\"\n", host, port, path,
             got ? reply : "nothing");
    return 1;
}
