//  chaos_kill: the chaos driver. A thread that SIGKILLs a random service at
//  random moments of the load and starts it again on the same store and
//  ports, and that notices a service dying on its own.
//
//  The moments are points of the load's progress (commands answered), drawn
//  from the seed before the run, plus a random delay of up to 60 ms, so a
//  run has exactly the kills asked for whatever the machine's speed, spread
//  over the load, and a seed replays the same victims at the same points.
//  The pause before the restart (50-1500 ms) is random too. The next kill
//  usually waits until the victim is ready again (a point already passed
//  by then moves a few commands on); one time in five it does not, so a
//  service may also die while it replays its journal. One kill of the first
//  half, drawn, is the gateway's whatever the draw of victims, so every run
//  kills it while its publishers post (chaos_ingress.c).
#include "chaos.h"

#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct _chaos_kill_t {
    chaos_procs_t *procs;
    chaos_faults_t *faults;
    chaos_rng_t rng;
    size_t kills;
    size_t commands;
    size_t *points;       //  progress at which kill i happens, ascending
    size_t gateway_kill;  //  the kill whose victim is the gateway
    atomic_size_t *progress;
    atomic_bool stop;
    atomic_bool done;
    size_t killed;
    size_t per_service [CHAOS_SERVICES];
    pthread_t thread;
};

static void
s_sleep_ms (int64_t ms)
{
    if (ms > 0)
        zclock_sleep ((int) ms);
}

static int
s_compare (const void *a, const void *b)
{
    size_t x = *(const size_t *) a, y = *(const size_t *) b;
    return x < y ? -1 : x > y;
}

//  A service that exited although nobody killed it is a crash: reported,
//  and started again so the run can go on and show what else breaks.
static void
s_watch (chaos_kill_t *self)
{
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        cf_testproc_t *proc = &self->procs->proc [s];
        int status = 0;
        if (proc->pid <= 0 || waitpid (proc->pid, &status, WNOHANG) != proc->pid)
            continue;
        proc->pid = 0;
        chaos_report (self->faults, &self->faults->failures, "%s exited on its own (%s %d; log %s)",
                      chaos_service_name (s), WIFEXITED (status) ? "status" : "signal",
                      WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                      proc->log_path);
        chaos_procs_restart (self->procs, s);
    }
}

//  Waits until the progress reaches `point` (or a stop); false on stop.
static bool
s_wait_for (chaos_kill_t *self, size_t point)
{
    while (atomic_load (self->progress) < point) {
        if (atomic_load (&self->stop))
            return false;
        s_watch (self);
        s_sleep_ms (5);
    }
    return true;
}

static void *
s_run (void *args)
{
    chaos_kill_t *self = args;
    for (size_t k = 0; k < self->kills; k++) {
        if (!s_wait_for (self, self->points [k]))
            break;
        s_sleep_ms ((int64_t) chaos_rng_below (&self->rng, 60));
        s_watch (self);
        int victim = (int) chaos_rng_below (&self->rng, CHAOS_SERVICES);
        if (k == self->gateway_kill)
            victim = CHAOS_GATEWAY;
        cf_testproc_t *proc = &self->procs->proc [victim];
        int status = cf_testproc_stop (proc, SIGKILL, 10000);
        if (status != 128 + SIGKILL)
            chaos_report (self->faults, &self->faults->failures,
                          "%s had ended before its kill (status %d; log %s)",
                          chaos_service_name (victim), status, proc->log_path);
        self->killed++;
        self->per_service [victim]++;
        printf ("chaos: kill %zu of %zu: %s at %zu commands answered\n", k + 1, self->kills,
                chaos_service_name (victim), atomic_load (self->progress));
        fflush (stdout);
        s_sleep_ms (50 + (int64_t) chaos_rng_below (&self->rng, 1450));
        if (chaos_procs_restart (self->procs, victim) != 0)
            chaos_report (self->faults, &self->faults->failures, "%s could not be restarted",
                          chaos_service_name (victim));
        //  Mostly the next kill waits for the victim to be back, so kills
        //  spread over the load instead of piling up while it is down; now
        //  and then it may hit a service still replaying its journal.
        else if (chaos_rng_percent (&self->rng, 80))
            cf_testproc_wait_ready (proc, 120000);
        size_t now = atomic_load (self->progress);
        if (k + 1 < self->kills && self->points [k + 1] <= now)
            self->points [k + 1] = now + 1 + (size_t) chaos_rng_below (&self->rng, 60);
        if (k + 1 < self->kills && self->points [k + 1] > self->commands)
            self->points [k + 1] = self->commands;
    }
    atomic_store (&self->done, true);
    while (!atomic_load (&self->stop)) {
        s_watch (self);
        s_sleep_ms (20);
    }
    return NULL;
}

chaos_kill_t *
chaos_kill_new (chaos_procs_t *procs, uint64_t seed, size_t kills, size_t commands,
                atomic_size_t *progress, chaos_faults_t *faults)
{
    chaos_kill_t *self = calloc (1, sizeof *self);
    assert (self);
    self->procs = procs;
    self->faults = faults;
    self->rng.state = seed ^ UINT64_C (0x6B696C6C);  //  its own sequence
    self->kills = kills;
    self->commands = commands;
    self->progress = progress;
    self->points = calloc (kills + 1, sizeof *self->points);
    assert (self->points);
    //  Between 3% and 90% of the load: early enough that every kill has
    //  load around it, never in the setup.
    for (size_t k = 0; k < kills; k++)
        self->points [k] =
            commands * 3 / 100 + (size_t) chaos_rng_below (&self->rng, commands * 87 / 100 + 1);
    qsort (self->points, kills, sizeof *self->points, s_compare);
    //  Among the first half of the kills: a later one may be pushed past
    //  the end of the load (and of the publishers' requests) by the waits
    //  for the victims before it.
    self->gateway_kill = kills ? (size_t) chaos_rng_below (&self->rng, (kills + 1) / 2) : 0;
    atomic_init (&self->stop, false);
    atomic_init (&self->done, kills == 0);
    int rc = pthread_create (&self->thread, NULL, s_run, self);
    assert (rc == 0);
    return self;
}

bool
chaos_kill_done (chaos_kill_t *self)
{
    return atomic_load (&self->done);
}

size_t
chaos_kill_destroy (chaos_kill_t **self_p, size_t *per_service)
{
    chaos_kill_t *self = *self_p;
    if (!self)
        return 0;
    atomic_store (&self->stop, true);
    pthread_join (self->thread, NULL);
    //  A victim the stop caught between its kill and its restart.
    for (int s = 0; s < CHAOS_SERVICES; s++)
        if (self->procs->proc [s].pid <= 0)
            chaos_procs_restart (self->procs, s);
    size_t killed = self->killed;
    for (int s = 0; per_service && s < CHAOS_SERVICES; s++)
        per_service [s] = self->per_service [s];
    free (self->points);
    free (self);
    *self_p = NULL;
    return killed;
}
