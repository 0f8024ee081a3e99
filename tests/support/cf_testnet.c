//  cf_testnet: network namespaces as hosts (see cf_testnet.h).
//
//  Everything is made with iproute2 (`ip`, `tc`) run as a child process,
//  named by namespace (`ip -n NS ...`), so this process never has to be
//  in the namespace it changes; only cf_testnet_enter and the probes of
//  cf_testnet_http_get move a thread with setns.
#include "cf_testnet.h"

#include "cf_test.h"
#include "cf_testproc.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_MAX_HOSTS 16
#define S_PREFIX    "cfpt"
#define S_NETNS_DIR "/run/netns"

typedef struct {
    char name [16];
    char netns [40];
    char address [16];
} s_host_t;

struct _cf_testnet_t {
    char switch_ns [40];
    s_host_t hosts [S_MAX_HOSTS];
    size_t count;
    char errors [64];  //  a file for the tools' standard error
};

//  Runs `ip` or `tc` with the words of `command` (split at spaces), its
//  standard error into `errors`. Returns the exit status; on failure with
//  `why`, the first line it printed there.
static int
s_tool (const char *errors, char *why, size_t why_size, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

static int
s_tool (const char *errors, char *why, size_t why_size, const char *fmt, ...)
{
    char command [512];
    va_list args;
    va_start (args, fmt);
    vsnprintf (command, sizeof command, fmt, args);
    va_end (args);
    char said [512];
    snprintf (said, sizeof said, "%s", command);
    const char *argv [64];
    size_t argc = 0;
    for (char *word = strtok (command, " "); word && argc < 63; word = strtok (NULL, " "))
        argv [argc++] = word;
    argv [argc] = NULL;
    char path [64];
    snprintf (path, sizeof path, "/usr/sbin/%s", argv [0]);
    if (access (path, X_OK) != 0)
        snprintf (path, sizeof path, "/sbin/%s", argv [0]);
    argv [0] = path;
    int fd = open (errors, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0)
        close (fd);
    char out [512];
    int rc = cf_test_run (argv, NULL, errors, out, sizeof out);
    if (rc != 0 && why) {
        size_t size = 0;
        char *text = cf_test_read_file (errors, &size);
        snprintf (why, why_size, "%s: %s", said, text && *text ? text : "failed");
        why [strcspn (why, "\n")] = 0;
        free (text);
    }
    return rc;
}

static s_host_t *
s_host (cf_testnet_t *self, const char *name)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->hosts [i].name, name) == 0)
            return &self->hosts [i];
    assert (false && "no such host");
    return NULL;
}

void
cf_testnet_sweep (int pid)
{
    DIR *dir = opendir (S_NETNS_DIR);
    if (!dir)
        return;
    struct dirent *entry;
    char gone [64][300];
    size_t count = 0;
    while ((entry = readdir (dir)) && count < 64) {
        int owner = 0;
        if (sscanf (entry->d_name, S_PREFIX "%d-", &owner) != 1 || owner <= 0)
            continue;
        bool dead = kill ((pid_t) owner, 0) != 0 && errno == ESRCH;
        if (owner == pid || dead)
            snprintf (gone [count++], sizeof gone [0], "%s", entry->d_name);
    }
    closedir (dir);
    for (size_t i = 0; i < count; i++)
        s_tool ("/dev/null", NULL, 0, "ip netns delete %s", gone [i]);
}

cf_testnet_t *
cf_testnet_new (const char *const *hosts, char *why, size_t why_size)
{
    snprintf (why, why_size, "%s", "");
    if (geteuid () != 0) {
        snprintf (why, why_size, "network namespaces need root (running as uid %d)",
                  (int) geteuid ());
        return NULL;
    }
    if (access ("/usr/sbin/ip", X_OK) != 0 && access ("/sbin/ip", X_OK) != 0) {
        snprintf (why, why_size, "iproute2's ip is not installed");
        return NULL;
    }
    cf_testnet_sweep (0);
    cf_testnet_t *self = calloc (1, sizeof *self);
    assert (self);
    int pid = (int) getpid ();
    snprintf (self->errors, sizeof self->errors, "/tmp/cf-testnet-%d.err", pid);
    snprintf (self->switch_ns, sizeof self->switch_ns, S_PREFIX "%d-switch", pid);
    const char *errors = self->errors;
    int rc = s_tool (errors, why, why_size, "ip netns add %s", self->switch_ns);
    rc = rc ? rc
            : s_tool (errors, why, why_size, "ip -n %s link add br0 type bridge", self->switch_ns);
    rc = rc ? rc : s_tool (errors, why, why_size, "ip -n %s link set br0 up", self->switch_ns);
    for (size_t i = 0; hosts [i] && rc == 0; i++) {
        assert (i < S_MAX_HOSTS && strlen (hosts [i]) <= 12);
        s_host_t *host = &self->hosts [self->count++];
        snprintf (host->name, sizeof host->name, "%s", hosts [i]);
        snprintf (host->netns, sizeof host->netns, S_PREFIX "%d-%s", pid, hosts [i]);
        snprintf (host->address, sizeof host->address, "10.77.0.%zu", i + 2);
        rc = s_tool (errors, why, why_size, "ip netns add %s", host->netns);
        //  Made in the switch's namespace with its other end sent straight
        //  into the host's: never an interface of the machine's own.
        rc = rc ? rc
                : s_tool (errors, why, why_size,
                          "ip -n %s link add p-%s type veth peer name eth0 netns %s",
                          self->switch_ns, host->name, host->netns);
        rc = rc ? rc
                : s_tool (errors, why, why_size, "ip -n %s link set p-%s master br0 up",
                          self->switch_ns, host->name);
        rc = rc ? rc
                : s_tool (errors, why, why_size, "ip -n %s addr add %s/24 dev eth0", host->netns,
                          host->address);
        rc = rc ? rc : s_tool (errors, why, why_size, "ip -n %s link set eth0 up", host->netns);
        rc = rc ? rc : s_tool (errors, why, why_size, "ip -n %s link set lo up", host->netns);
    }
    if (rc != 0) {
        cf_testnet_destroy (&self);
        return NULL;
    }
    return self;
}

void
cf_testnet_destroy (cf_testnet_t **self_p)
{
    assert (self_p);
    cf_testnet_t *self = *self_p;
    if (!self)
        return;
    //  Deleting the switch's namespace takes its veth ends, and so the
    //  hosts' eth0, with it.
    for (size_t i = 0; i < self->count; i++)
        s_tool (self->errors, NULL, 0, "ip netns delete %s", self->hosts [i].netns);
    s_tool (self->errors, NULL, 0, "ip netns delete %s", self->switch_ns);
    unlink (self->errors);
    free (self);
    *self_p = NULL;
}

const char *
cf_testnet_netns (cf_testnet_t *self, const char *host)
{
    return s_host (self, host)->netns;
}

const char *
cf_testnet_address (cf_testnet_t *self, const char *host)
{
    return s_host (self, host)->address;
}

int
cf_testnet_enter (cf_testnet_t *self, const char *host)
{
    char path [96];
    snprintf (path, sizeof path, S_NETNS_DIR "/%s", s_host (self, host)->netns);
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = setns (fd, CLONE_NEWNET);
    close (fd);
    return rc;
}

int
cf_testnet_cut (cf_testnet_t *self, const char *host)
{
    return s_tool (self->errors, NULL, 0, "ip -n %s link set p-%s down", self->switch_ns,
                   s_host (self, host)->name);
}

int
cf_testnet_heal (cf_testnet_t *self, const char *host)
{
    return s_tool (self->errors, NULL, 0, "ip -n %s link set p-%s up", self->switch_ns,
                   s_host (self, host)->name);
}

int
cf_testnet_netem (cf_testnet_t *self, const char *host, int delay_ms, int loss_percent, char *why,
                  size_t why_size)
{
    s_host_t *h = s_host (self, host);
    if (delay_ms == 0 && loss_percent == 0) {
        s_tool (self->errors, NULL, 0, "tc -n %s qdisc del dev eth0 root", h->netns);
        s_tool (self->errors, NULL, 0, "tc -n %s qdisc del dev p-%s root", self->switch_ns,
                h->name);
        return 0;
    }
    int rc = s_tool (self->errors, why, why_size,
                     "tc -n %s qdisc replace dev eth0 root netem delay %dms loss %d%%", h->netns,
                     delay_ms, loss_percent);
    return rc ? -1
           : s_tool (self->errors, why, why_size,
                     "tc -n %s qdisc replace dev p-%s root netem delay %dms loss %d%%",
                     self->switch_ns, h->name, delay_ms, loss_percent)
               ? -1
               : 0;
}

typedef struct {
    cf_testnet_t *net;
    const char *host;
    void (*fn) (void *ctx);
    void *ctx;
    int rc;
} s_visit_t;

static void *
s_visit (void *arg)
{
    s_visit_t *visit = arg;
    visit->rc = cf_testnet_enter (visit->net, visit->host);
    if (visit->rc == 0)
        visit->fn (visit->ctx);
    return NULL;
}

int
cf_testnet_run_in (cf_testnet_t *self, const char *host, void (*fn) (void *ctx), void *ctx)
{
    s_visit_t visit = { .net = self, .host = host, .fn = fn, .ctx = ctx, .rc = -1 };
    pthread_t thread;
    int rc = pthread_create (&thread, NULL, s_visit, &visit);
    assert (rc == 0);
    pthread_join (thread, NULL);
    return visit.rc;
}

typedef struct {
    const char *address;
    int port;
    const char *path;
    char *body;
    int status;
} s_probe_t;

static void
s_probe (void *ctx)
{
    s_probe_t *probe = ctx;
    probe->status = cf_test_http_get_at (probe->address, probe->port, probe->path, &probe->body);
}

int
cf_testnet_http_get (cf_testnet_t *self, const char *host, int port, const char *path,
                     char **body_p)
{
    s_probe_t probe = { .address = cf_testnet_address (self, host), .port = port, .path = path };
    cf_testnet_run_in (self, host, s_probe, &probe);
    if (body_p)
        *body_p = probe.body;
    else
        free (probe.body);
    return probe.status;
}
