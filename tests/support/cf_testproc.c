//  cf_testproc: real service processes for integration tests.
#include "cf_testproc.h"

#include "cf_test.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

extern char **environ;

//  Whether this process may use `port`: a file named after it in a
//  directory every test program shares holds the pid of the program that
//  drew it, so two test programs ctest runs side by side never hand the
//  same port to their services (a port bound a moment after it was found
//  free could otherwise go to the other program's service, which then
//  answers for a stream this test never started). The file of a program
//  that is gone is taken over.
static bool
s_reserve_port (int port)
{
    static const char *dir = "/tmp/caseflow-test-ports";
    if (mkdir (dir, 01777) != 0 && errno != EEXIST)
        return true;  //  no shared directory: the bind check alone
    char path [64];
    snprintf (path, sizeof path, "%s/%d", dir, port);
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dprintf (fd, "%d\n", (int) getpid ());
            close (fd);
            return true;
        }
        if (errno != EEXIST)
            return true;
        FILE *file = fopen (path, "r");
        int holder = 0;
        if (file) {
            if (fscanf (file, "%d", &holder) != 1)
                holder = 0;
            fclose (file);
        }
        //  A holder still running keeps it; a file being written (no pid
        //  yet) is left alone too.
        if (holder <= 0 || (kill ((pid_t) holder, 0) == 0 || errno != ESRCH))
            return false;
        unlink (path);
    }
    return false;
}

//  Ports are drawn below Linux's ephemeral range (32768-60999 by default),
//  so the source port of some connection made meanwhile cannot take a
//  port a test picked for a service to bind a moment later. The draw is
//  seeded from the kernel's entropy: with getpid () ^ time () as the seed,
//  two programs ctest started a second apart could get the same seed and
//  draw the same ports in the same order.
int
cf_test_free_port (void)
{
    static bool seeded = false;
    if (!seeded) {
        unsigned seed;
        if (getrandom (&seed, sizeof seed, 0) != (ssize_t) sizeof seed)
            seed = (unsigned) getpid () * 2654435761u ^ (unsigned) time (NULL);
        srandom (seed);
        seeded = true;
    }
    for (int attempt = 0; attempt < 1000; attempt++) {
        int port = 20000 + (int) (random () % 12000);
        int fd = socket (AF_INET, SOCK_STREAM, 0);
        assert (fd >= 0);
        struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
        addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
        int rc = bind (fd, (struct sockaddr *) &addr, sizeof addr);
        close (fd);
        if (rc == 0 && s_reserve_port (port))
            return port;
    }
    assert (false && "no free port in 20000-31999");
    return -1;
}

const char *
cf_test_binary (const char *name)
{
    static char path [512];
    snprintf (path, sizeof path, "%s/bin/%s", CF_BINARY_DIR, name);
    return path;
}

void
cf_testproc_init (cf_testproc_t *self, const char *binary, const char *data_dir)
{
    memset (self, 0, sizeof *self);
    snprintf (self->binary, sizeof self->binary, "%s", binary);
    snprintf (self->data_dir, sizeof self->data_dir, "%s", data_dir);
    snprintf (self->log_path, sizeof self->log_path, "%s.log", data_dir);
    snprintf (self->host, sizeof self->host, "127.0.0.1");
    self->http_port = cf_test_free_port ();
    snprintf (self->api, sizeof self->api, "tcp://127.0.0.1:%d", cf_test_free_port ());
    snprintf (self->events, sizeof self->events, "tcp://127.0.0.1:%d", cf_test_free_port ());
}

static int
s_port (const char *endpoint)
{
    return atoi (strrchr (endpoint, ':') + 1);
}

void
cf_testproc_place (cf_testproc_t *self, const char *netns, const char *host)
{
    snprintf (self->netns, sizeof self->netns, "%s", netns);
    snprintf (self->host, sizeof self->host, "%s", host);
    int api = s_port (self->api), events = s_port (self->events);
    snprintf (self->api, sizeof self->api, "tcp://%s:%d", host, api);
    snprintf (self->events, sizeof self->events, "tcp://%s:%d", host, events);
}

void
cf_testproc_setenv (cf_testproc_t *self, const char *name, const char *value)
{
    assert (self->env_count < sizeof self->env / sizeof self->env [0] - 1);
    char *entry = NULL;
    int rc = asprintf (&entry, "%s=%s", name, value);
    assert (rc > 0);
    self->env [self->env_count++] = entry;
}

int
cf_testproc_start (cf_testproc_t *self, const char *const *extra)
{
    char data_dir [300], api [100], events [100], http [100];
    snprintf (data_dir, sizeof data_dir, "--data-dir=%s", self->data_dir);
    snprintf (api, sizeof api, "--api-bind=%s", self->api);
    snprintf (events, sizeof events, "--events-bind=%s", self->events);
    snprintf (http, sizeof http, "--http-bind=%s:%d", self->host, self->http_port);
    const char *argv [64];
    size_t argc = 0;
    //  ip execs the binary in the namespace: the pid stays the service's.
    if (*self->netns) {
        argv [argc++] = "/usr/sbin/ip";
        argv [argc++] = "netns";
        argv [argc++] = "exec";
        argv [argc++] = self->netns;
    }
    argv [argc++] = self->binary;
    argv [argc++] = data_dir;
    argv [argc++] = api;
    argv [argc++] = events;
    argv [argc++] = http;
    for (size_t i = 0; extra && extra [i] && argc < 63; i++)
        argv [argc++] = extra [i];
    argv [argc] = NULL;
    pid_t parent = getpid ();
    pid_t pid = fork ();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        //  The parent may have ended between fork and prctl: then go too.
        if (self->die_with_parent
            && (prctl (PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid () != parent))
            _exit (127);
        for (size_t i = 0; i < self->env_count; i++)
            putenv (self->env [i]);
        //  Intake and handover follow the gateway's stream; a test that runs
        //  no gateway (most) says so, unless it wires one (flag or entry).
        setenv ("CASEFLOW_GATEWAY_EVENTS", "none", 0);
        int log = open (self->log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (log >= 0) {
            dup2 (log, STDERR_FILENO);
            close (log);
        }
        execv (argv [0], (char *const *) argv);
        _exit (127);
    }
    self->pid = pid;
    return 0;
}

static void
s_sleep_ms (int ms)
{
    struct timespec pause = { ms / 1000, (long) (ms % 1000) * 1000000L };
    nanosleep (&pause, NULL);
}

double
cf_test_proc_kib (pid_t pid, const char *field)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *file = fopen (path, "r");
    double kib = 0;
    size_t len = strlen (field);
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, field, len) == 0 && line [len] == ':')
            kib = atof (line + len + 1);
    if (file)
        fclose (file);
    return kib;
}

int
cf_test_ctl (const char *const *flags, const char *stderr_path, char *out, size_t out_size,
             va_list words)
{
    const char *argv [48] = { cf_test_binary ("caseflowctl") };
    size_t argc = 1;
    while (*flags && argc < 40)
        argv [argc++] = *flags++;
    argv [argc++] = "--timeout";
    argv [argc++] = "3000";
    const char *word;
    while ((word = va_arg (words, const char *)) && argc < 47)
        argv [argc++] = word;
    argv [argc] = NULL;
    return cf_test_run (argv, NULL, stderr_path, out, out_size);
}

static int
s_http_answer (const char *host, int port, const char *method, const char *path,
               const char *headers, const char *body, char **answer_p)
{
    *answer_p = NULL;
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons ((uint16_t) port) };
    if (inet_pton (AF_INET, host, &addr.sin_addr) != 1) {
        close (fd);
        return 0;
    }
    struct timeval timeout = { body ? 10 : 2, 0 };
    setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
        close (fd);
        return 0;
    }
    char *request = NULL;
    int len = body ? asprintf (&request,
                               "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                               "Content-Length: %zu\r\n\r\n%s",
                               method, path, headers ? headers : "", strlen (body), body)
                   : asprintf (&request,
                               "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                               "\r\n",
                               method, path, headers ? headers : "");
    assert (len > 0);
    //  A server may answer (413) and close before a large body is all sent:
    //  stop sending then, and read what it answered.
    size_t sent = 0;
    while (sent < (size_t) len) {
        ssize_t put = send (fd, request + sent, (size_t) len - sent, MSG_NOSIGNAL);
        if (put <= 0)
            break;
        sent += (size_t) put;
    }
    free (request);
    size_t cap = 4096, size = 0;
    char *response = malloc (cap);
    assert (response);
    ssize_t got;
    while ((got = read (fd, response + size, cap - size - 1)) > 0) {
        size += (size_t) got;
        if (size + 1 == cap) {
            cap *= 2;
            response = realloc (response, cap);
            assert (response);
        }
    }
    close (fd);
    response [size] = 0;
    int status = 0;
    if (sscanf (response, "HTTP/%*s %d", &status) != 1)
        status = 0;
    *answer_p = response;
    return status;
}

int
cf_test_http_answer (int port, const char *method, const char *path, const char *headers,
                     const char *body, char **answer_p)
{
    return s_http_answer ("127.0.0.1", port, method, path, headers, body, answer_p);
}

//  The answer's body of a request to host:port.
static int
s_http_request (const char *host, int port, const char *method, const char *path,
                const char *headers, const char *body, char **body_p)
{
    if (body_p)
        *body_p = NULL;
    char *answer = NULL;
    int status = s_http_answer (host, port, method, path, headers, body, &answer);
    char *text = answer ? strstr (answer, "\r\n\r\n") : NULL;
    if (body_p && text)
        *body_p = strdup (text + 4);
    free (answer);
    return status;
}

int
cf_test_http_request (int port, const char *method, const char *path, const char *headers,
                      const char *body, char **body_p)
{
    return s_http_request ("127.0.0.1", port, method, path, headers, body, body_p);
}

int
cf_test_http_get (int port, const char *path, char **body_p)
{
    return cf_test_http_get_at ("127.0.0.1", port, path, body_p);
}

int
cf_test_http_get_at (const char *host, int port, const char *path, char **body_p)
{
    return s_http_request (host, port, "GET", path, NULL, NULL, body_p);
}

bool
cf_testproc_wait_ready (cf_testproc_t *self, int timeout_ms)
{
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        if (cf_test_http_get_at (self->host, self->http_port, "/readyz", NULL) == 200)
            return true;
        int status;
        if (waitpid (self->pid, &status, WNOHANG) == self->pid) {
            fprintf (stderr, "%s exited while starting (see %s)\n", self->binary, self->log_path);
            self->pid = 0;
            return false;
        }
        s_sleep_ms (50);
    }
    return false;
}

int
cf_testproc_stop (cf_testproc_t *self, int signum, int timeout_ms)
{
    if (self->pid <= 0)
        return -1;
    kill (self->pid, signum);
    for (int waited = 0; waited <= timeout_ms; waited += 10) {
        int status;
        pid_t done = waitpid (self->pid, &status, WNOHANG);
        if (done == self->pid) {
            self->pid = 0;
            if (WIFEXITED (status))
                return WEXITSTATUS (status);
            return 128 + WTERMSIG (status);
        }
        s_sleep_ms (10);
    }
    kill (self->pid, SIGKILL);
    waitpid (self->pid, NULL, 0);
    self->pid = 0;
    return -1;
}

void
cf_testproc_destroy (cf_testproc_t *self)
{
    if (self->pid > 0)
        cf_testproc_stop (self, SIGKILL, 5000);
    for (size_t i = 0; i < self->env_count; i++)
        free (self->env [i]);
    self->env_count = 0;
}
