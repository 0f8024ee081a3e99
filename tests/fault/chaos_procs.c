//  chaos_procs: the five real services of a chaos run: wiring, start,
//  restart on the same store and ports, and the closing digest check (each
//  service's state against a fresh replay of its own journal, plus the
//  offline --verify of its store).
#include "chaos.h"

#include "cf_api.h"
#include "cf_testclient.h"

#include <assert.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_READY_MS 120000

static const char *s_names [CHAOS_SERVICES] = { "handover", "intake", "assignment", "notification",
                                                "gateway" };

//  Upstreams of each service, as in production (docs/operations.md): intake
//  and handover follow the gateway too, so the publishers' referrals and
//  announcements become cases and handovers while services die
//  (chaos_inbound.c checks each became one). Notification does not follow
//  the gateway here: nothing in the run parks a webhook event.
static const int s_upstreams [CHAOS_SERVICES][5] = {
    [CHAOS_HANDOVER] = { CHAOS_INTAKE, CHAOS_GATEWAY, -1 },
    [CHAOS_INTAKE] = { CHAOS_HANDOVER, CHAOS_ASSIGNMENT, CHAOS_NOTIFICATION, CHAOS_GATEWAY, -1 },
    [CHAOS_ASSIGNMENT] = { CHAOS_INTAKE, -1 },
    [CHAOS_NOTIFICATION] = { CHAOS_INTAKE, CHAOS_ASSIGNMENT, CHAOS_HANDOVER, -1 },
    [CHAOS_GATEWAY] = { CHAOS_INTAKE, CHAOS_HANDOVER, CHAOS_ASSIGNMENT, CHAOS_NOTIFICATION, -1 },
};

const char *
chaos_service_name (int service)
{
    assert (service >= 0 && service < CHAOS_SERVICES);
    return s_names [service];
}

//  The flags of every service from the current ports.
static void
s_wire (chaos_procs_t *self, const char *clock_start)
{
    const char *level = getenv ("CASEFLOW_LOG_LEVEL");
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        size_t n = 0;
        snprintf (self->flags [s][n++], sizeof self->flags [s][0], "--clock=manual");
        snprintf (self->flags [s][n++], sizeof self->flags [s][0], "--clock-start=%s", clock_start);
        //  Every command logs at info: thousands of lines per second would
        //  cost the machine more than the services' work.
        snprintf (self->flags [s][n++], sizeof self->flags [s][0], "--log-level=%s",
                  level && *level ? level : "warn");
        //  Deliveries retried within a fraction of a second (the run's sink
        //  answers 2xx; a retry follows a kill of the gateway or a cut
        //  connection), so the check need not wait out the 1 s default.
        if (s == CHAOS_GATEWAY) {
            snprintf (self->flags [s][n++], sizeof self->flags [s][0],
                      "--webhook-retry-base-ms=50");
            snprintf (self->flags [s][n++], sizeof self->flags [s][0],
                      "--webhook-retry-cap-ms=500");
        }
        for (int u = 0; s_upstreams [s][u] >= 0; u++) {
            int up = s_upstreams [s][u];
            snprintf (self->flags [s][n++], sizeof self->flags [s][0], "--%s-events=%s",
                      s_names [up], self->proc [up].events);
            snprintf (self->flags [s][n++], sizeof self->flags [s][0], "--%s-api=%s", s_names [up],
                      self->proc [up].api);
        }
        for (size_t i = 0; i < n; i++)
            self->argv [s][i] = self->flags [s][i];
        self->argv [s][n] = NULL;
    }
}

void
chaos_procs_init (chaos_procs_t *self, const char *bin_dir, char *dir, const char *clock_start)
{
    memset (self, 0, sizeof *self);
    self->dir = dir;
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        char binary [512], data [512];
        snprintf (binary, sizeof binary, "%s/caseflow-%s", bin_dir, s_names [s]);
        snprintf (data, sizeof data, "%s/%s", dir, s_names [s]);
        cf_testproc_init (&self->proc [s], binary, data);
    }
    //  The clock start is copied into the flags once, here.
    s_wire (self, clock_start);
}

int
chaos_procs_start_all (chaos_procs_t *self)
{
    char clock_start [160];
    const char *flag = self->flags [0][1];
    snprintf (clock_start, sizeof clock_start, "%s", flag + strlen ("--clock-start="));
    for (int attempt = 0; attempt < 3; attempt++) {
        for (int s = 0; s < CHAOS_SERVICES; s++)
            if (cf_testproc_start (&self->proc [s], self->argv [s]) != 0) {
                fprintf (stderr, "chaos: cannot start %s\n", self->proc [s].binary);
                return -1;
            }
        bool ready = true, exited = false;
        for (int s = 0; s < CHAOS_SERVICES && ready; s++) {
            ready = cf_testproc_wait_ready (&self->proc [s], S_READY_MS);
            exited = self->proc [s].pid <= 0;
        }
        if (ready)
            return 0;
        for (int s = 0; s < CHAOS_SERVICES; s++)
            if (self->proc [s].pid > 0)
                cf_testproc_stop (&self->proc [s], SIGKILL, 10000);
        if (!exited)
            break;
        //  A service exited at once: a port picked was taken meanwhile.
        //  Every service names the others' ports, so all are picked again.
        fprintf (stderr, "chaos: a service exited at start; trying fresh ports\n");
        for (int s = 0; s < CHAOS_SERVICES; s++) {
            cf_testproc_t *proc = &self->proc [s];
            proc->http_port = cf_test_free_port ();
            snprintf (proc->api, sizeof proc->api, "tcp://127.0.0.1:%d", cf_test_free_port ());
            snprintf (proc->events, sizeof proc->events, "tcp://127.0.0.1:%d",
                      cf_test_free_port ());
        }
        s_wire (self, clock_start);
    }
    fprintf (stderr, "chaos: the services did not become ready (logs in %s)\n", self->dir);
    return -1;
}

int
chaos_procs_restart (chaos_procs_t *self, int service)
{
    return cf_testproc_start (&self->proc [service], self->argv [service]);
}

void
chaos_procs_destroy (chaos_procs_t *self)
{
    for (int s = CHAOS_SERVICES - 1; s >= 0; s--) {
        if (self->proc [s].pid > 0)
            cf_testproc_stop (&self->proc [s], SIGTERM, 20000);
        cf_testproc_destroy (&self->proc [s]);
    }
}

//  ------------------------------------------------------------ digests

//  The digest query: 0 and the hex SHA-256 and events applied, or -1.
static int
s_digest (const char *endpoint, char sha [65], uint64_t *applied_p)
{
    cf_api_client_t *client = cf_api_client_new (endpoint, 10000, 5);
    assert (client);
    Caseflow__V1__DigestQuery digest = CASEFLOW__V1__DIGEST_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_DIGEST;
    query.digest = &digest;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    int rc = -1;
    if (reply && cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__OK && reply->query
        && reply->query->digest) {
        snprintf (sha, 65, "%s", reply->query->digest->sha256);
        *applied_p = reply->query->digest->events_applied;
        rc = 0;
    }
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return rc;
}

//  Runs `binary --verify --data-dir=DIR`; true when it exits 0 and says
//  "verify: OK". Its output goes to DIR.verify.
static bool
s_verify (const cf_testproc_t *proc)
{
    char out_path [400], data_dir [300];
    snprintf (out_path, sizeof out_path, "%s.verify", proc->data_dir);
    snprintf (data_dir, sizeof data_dir, "--data-dir=%s", proc->data_dir);
    fflush (NULL);  //  or the child's exit would print our buffer again
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        int out = open (out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || dup2 (out, STDOUT_FILENO) < 0)
            _exit (127);
        execl (proc->binary, proc->binary, "--verify", data_dir, (char *) NULL);
        _exit (127);
    }
    int status = 0;
    waitpid (pid, &status, 0);
    char text [4096] = "";
    FILE *file = fopen (out_path, "r");
    if (file) {
        size_t got = fread (text, 1, sizeof text - 1, file);
        text [got] = 0;
        fclose (file);
    }
    return WIFEXITED (status) && WEXITSTATUS (status) == 0 && strstr (text, "verify: OK");
}

int
chaos_procs_check_digests (chaos_procs_t *self, chaos_faults_t *faults)
{
    int equal = 0;
    //  Downstream first: a service restarted later finds its consumers
    //  already checked, and nothing new flows meanwhile.
    for (int s = CHAOS_SERVICES - 1; s >= 0; s--) {
        cf_testproc_t *proc = &self->proc [s];
        char before [65] = "", after [65] = "";
        uint64_t applied_before = 0, applied_after = 0;
        if (s_digest (proc->api, before, &applied_before) != 0) {
            chaos_report (faults, &faults->failures, "%s: no answer to the digest query",
                          s_names [s]);
            continue;
        }
        int status = cf_testproc_stop (proc, SIGTERM, 30000);
        if (status != 0)
            chaos_report (faults, &faults->failures,
                          "%s: SIGTERM ended it with status %d, not 0 (log %s)", s_names [s],
                          status, proc->log_path);
        if (!s_verify (proc))
            chaos_report (faults, &faults->failures,
                          "%s: --verify did not find its store intact (see %s.verify)", s_names [s],
                          proc->data_dir);
        if (chaos_procs_restart (self, s) != 0 || !cf_testproc_wait_ready (proc, S_READY_MS)) {
            chaos_report (faults, &faults->failures, "%s: not ready after a restart (log %s)",
                          s_names [s], proc->log_path);
            continue;
        }
        if (s_digest (proc->api, after, &applied_after) != 0) {
            chaos_report (faults, &faults->failures,
                          "%s: no answer to the digest query after the restart", s_names [s]);
            continue;
        }
        if (strcmp (before, after) != 0 || applied_before != applied_after)
            chaos_report (faults, &faults->mismatched,
                          "%s: digest %.16s… over %llu events, after a fresh replay %.16s… "
                          "over %llu",
                          s_names [s], before, (unsigned long long) applied_before, after,
                          (unsigned long long) applied_after);
        else
            equal++;
    }
    return equal;
}
