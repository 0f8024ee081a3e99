//  cf_testproc: start, watch and stop real service processes in tests.
//
//  A test starts a service binary on loopback ports it picked (free ports
//  found by binding port 0), waits for /readyz, talks to it over ZeroMQ,
//  signals or kills it, and restarts it on the same data directory.
#ifndef CF_TESTPROC_H
#define CF_TESTPROC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    char binary [256];  //  path of the executable
    char *env [32];     //  "NAME=VALUE" entries added to the environment
    size_t env_count;
    char data_dir [256];
    char log_path [300];  //  stderr of the process (JSON log lines)
    int http_port;
    char api [64];  //  tcp://HOST:PORT
    char events [64];
    char host [40];   //  the address it binds and is reached at (127.0.0.1)
    char netns [40];  //  the network namespace it runs in ("": ours)
    //  Set after cf_testproc_init for a process that must not outlive the
    //  test even when it crashes: the child gets SIGKILL when the thread
    //  that started it ends (PR_SET_PDEATHSIG), so start it from a thread
    //  that lives as long as the process should.
    bool die_with_parent;
} cf_testproc_t;

//  A free TCP port on 127.0.0.1, drawn at random in 20000-31999 (bound,
//  then released) and reserved for this process among the test programs
//  running at once (a file per port under /tmp/caseflow-test-ports holds
//  the drawing program's pid; a dead program's reservation is taken
//  over). Another program that does not reserve may still take it before
//  the service binds it, see cf_testclient_start.
int
cf_test_free_port (void);

//  The path of a program built into the build tree's bin/ ("caseflow-testsvc").
//  Returns a static buffer.
const char *
cf_test_binary (const char *name);

//  Prepares (does not start) a process of `binary` with its data directory
//  `data_dir`, fresh loopback ports for api, events and http (passed as
//  --api-bind, --events-bind, --http-bind), and its log in data_dir.log.
void
cf_testproc_init (cf_testproc_t *self, const char *binary, const char *data_dir);

//  Runs the process in network namespace `netns` (through `ip netns exec`,
//  from the next start on) on address `host` of that namespace: its api,
//  events and http sockets bind there, on the ports it has, and
//  cf_testproc_wait_ready asks there. For a test whose hosts are
//  namespaces (cf_testnet.h).
void
cf_testproc_place (cf_testproc_t *self, const char *netns, const char *host);

//  Adds an environment entry ("NAME=VALUE", copied) for the next starts.
void
cf_testproc_setenv (cf_testproc_t *self, const char *name, const char *value);

//  Starts the process with its flags plus `extra` (NULL-terminated, may be
//  NULL), and CASEFLOW_GATEWAY_EVENTS=none unless the environment entries
//  set it (a flag in `extra` overrides it too). Returns 0 or -1.
int
cf_testproc_start (cf_testproc_t *self, const char *const *extra);

//  Polls GET /readyz until 200 or `timeout_ms`. True when ready.
bool
cf_testproc_wait_ready (cf_testproc_t *self, int timeout_ms);

//  Sends `signum`, then waits up to `timeout_ms` for the exit. Returns the
//  exit status (0-255), 128+signal if killed by one, or -1 on timeout
//  (the process is then killed with SIGKILL).
int
cf_testproc_stop (cf_testproc_t *self, int signum, int timeout_ms);

//  Frees the environment entries (the process must have exited).
void
cf_testproc_destroy (cf_testproc_t *self);

//  A field of /proc/<pid>/status in KiB ("VmRSS", "VmHWM", "RssAnon");
//  0 when unknown.
double
cf_test_proc_kib (pid_t pid, const char *field);

//  Runs the built caseflowctl with `flags` (NULL-terminated, borrowed: the
//  endpoints the test points it at), "--timeout 3000", then the words of
//  `words` up to a NULL (46 arguments at most), its standard error
//  appended to `stderr_path` (NULL: ours) and its standard output kept in
//  `out`, as cf_test_run does. Returns what cf_test_run returns. For a
//  test's own variadic s_ctl.
int
cf_test_ctl (const char *const *flags, const char *stderr_path, char *out, size_t out_size,
             va_list words);

//  GET http://127.0.0.1:port/path. Returns the HTTP status (0 when it
//  could not connect) and, if body_p is not NULL, the body (free with free).
int
cf_test_http_get (int port, const char *path, char **body_p);

//  The same to http://host:port/path (`host` an IPv4 address).
int
cf_test_http_get_at (const char *host, int port, const char *path, char **body_p);

//  `method` `path` to http://127.0.0.1:port with `headers` ("Name: value\r\n"
//  lines; may be NULL) and `body` (may be NULL: none). Returns the HTTP
//  status (0 when it could not connect) and, if body_p is not NULL, the
//  answer's body (free with free).
//  As cf_test_http_request, with the whole answer (status line, headers
//  and body) in *answer_p (free with free) instead of the body; NULL
//  when no answer came.
int
cf_test_http_answer (int port, const char *method, const char *path, const char *headers,
                     const char *body, char **answer_p);

int
cf_test_http_request (int port, const char *method, const char *path, const char *headers,
                      const char *body, char **body_p);

#endif
