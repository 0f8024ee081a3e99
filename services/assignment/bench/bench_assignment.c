//  bench_assignment: time per assignment decision with 500 workers and
//  50,000 waiting cases (target under 1 ms a decision).
//
//  The policy runs in memory through the test harness (no journal, no
//  sockets: the figure is the decision, not the commit). A roster of 500
//  workers over 20 locations with two domains each is filled, then enough
//  regular cases arrive to leave 50,000 waiting. Then it measures:
//    - capacity freed: a case completes and the head of the waiting list
//      that its worker can take is found and assigned;
//    - urgent: an urgent case is triaged and assigned at once;
//    - absence: a worker with a full caseload becomes absent for long
//      (urgent cases reassigned, regular ones back on the list in order).
//  `--smoke` runs it at a tiny size (ctest).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "assignment_harness.h"
#include "cf_log.h"
#include "cf_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
s_compare_int64 (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

static void
s_report (const char *what, int64_t *samples, size_t count)
{
    qsort (samples, count, sizeof *samples, s_compare_int64);
    int64_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += samples [i];
    printf ("  %-44s n=%-5zu mean %7.1f us  p50 %6lld us  p99 %6lld us  max %6lld us\n", what,
            count, (double) total / (double) count, (long long) samples [count / 2],
            (long long) samples [count * 99 / 100], (long long) samples [count - 1]);
}

static const uint32_t s_domain_pairs [][2] = {
    { 1, 4 }, { 2, 6 }, { 3, 4 }, { 5, 7 }, { 1, 6 }, { 2, 5 }, { 3, 7 }, { 4, 5 },
};

int
main (int argc, char **argv)
{
    cf_log_init ("bench_assignment", CF_LOG_WARN);
    bool smoke = argc > 1 && strcmp (argv [1], "--smoke") == 0;
    size_t n_workers = smoke ? 20 : 500;
    size_t n_locations = smoke ? 4 : 20;
    size_t n_waiting = smoke ? 500 : 50000;
    size_t rounds = smoke ? 50 : 2000;

    ah_t *h = ah_new (NULL);
    h->quiet = true;
    char id [64], locations [64];
    for (size_t l = 0; l < n_locations; l++) {
        char districts [64];
        snprintf (id, sizeof id, "L%02zu", l);
        snprintf (districts, sizeof districts, "district-%zu", l);
        if (ah_add_location (h, id, districts) != 0)
            return 1;
    }
    for (size_t w = 0; w < n_workers; w++) {
        snprintf (id, sizeof id, "w%03zu", w);
        snprintf (locations, sizeof locations, "L%02zu,L%02zu", w % n_locations,
                  (w * 7 + 3) % n_locations);
        const uint32_t *pair = s_domain_pairs [w % 8];
        if (ah_add_worker (h, id, 600 + (uint32_t) (w % 5) * 100, locations,
                           (1u << pair [0]) | (1u << pair [1]), 0)
            != 0)
            return 1;
    }
    //  Regular cases until n_waiting wait (every domain, every location).
    size_t next_case = 0;
    int64_t started = cf_time_monotonic ();
    while (h->state->waiting.count < n_waiting) {
        snprintf (id, sizeof id, "C%07zu", next_case);
        snprintf (locations, sizeof locations, "L%02zu", (next_case * 13) % n_locations);
        h->now += 1000;
        ah_case (h, id, 1u << (1 + next_case % 7), locations, ASSIGNMENT_REGULAR);
        next_case++;
    }
    double fill_seconds = (double) (cf_time_monotonic () - started) / 1e6;
    size_t assigned = 0;
    for (size_t w = 0; w < n_workers; w++)
        assigned += h->state->workers [w]->n_cases;
    printf ("bench_assignment: %zu workers, %zu locations, %zu cases (%zu assigned, %zu "
            "waiting), set up in %.2f s\n",
            n_workers, n_locations, next_case, assigned, h->state->waiting.count, fill_seconds);

    int64_t *samples = calloc (rounds, sizeof *samples);
    if (!samples)
        return 1;
    //  1. Capacity freed: complete one case of each worker in turn.
    for (size_t r = 0; r < rounds; r++) {
        assignment_worker_t *worker = h->state->workers [(r * 37) % n_workers];
        if (worker->n_cases == 0)
            continue;
        char case_id [32];
        snprintf (case_id, sizeof case_id, "%s", worker->cases [0]->id);
        if (ah_start (h, case_id) != 0)
            return 1;
        int64_t t0 = cf_time_monotonic ();
        if (ah_complete (h, case_id, "done") != 0)
            return 1;
        samples [r] = cf_time_monotonic () - t0;
    }
    s_report ("capacity freed (complete + fill)", samples, rounds);

    //  2. Urgent triage: assigned at once (above the limit: all are full).
    for (size_t r = 0; r < rounds; r++) {
        snprintf (id, sizeof id, "U%07zu", r);
        snprintf (locations, sizeof locations, "L%02zu", (r * 3) % n_locations);
        h->now += 1000;
        ah_register (h, id, 1u << (1 + r % 7), locations, NULL, NULL);
        int64_t t0 = cf_time_monotonic ();
        ah_triage (h, id, ASSIGNMENT_URGENT);
        samples [r] = cf_time_monotonic () - t0;
    }
    s_report ("urgent triage (assign at once)", samples, rounds);

    //  3. Regular triage while everyone is full (joins the list, checked).
    for (size_t r = 0; r < rounds; r++) {
        snprintf (id, sizeof id, "R%07zu", r);
        h->now += 1000;
        ah_register (h, id, 1u << (1 + r % 7), "L00", NULL, NULL);
        int64_t t0 = cf_time_monotonic ();
        ah_triage (h, id, ASSIGNMENT_REGULAR);
        samples [r] = cf_time_monotonic () - t0;
    }
    s_report ("regular triage (queued)", samples, rounds);

    //  4. Long absence of a full worker: every case moves.
    size_t absences = smoke ? 5 : 50;
    for (size_t r = 0; r < absences; r++) {
        snprintf (id, sizeof id, "w%03zu", (r * 11) % n_workers);
        int64_t t0 = cf_time_monotonic ();
        if (ah_absent (h, id, 0, 0) != 0)
            return 1;
        samples [r] = cf_time_monotonic () - t0;
    }
    s_report ("long absence of a full worker (all cases)", samples, absences);
    printf ("bench_assignment: waiting at the end %zu\n", h->state->waiting.count);
    free (samples);
    ah_destroy (&h);
    return 0;
}
