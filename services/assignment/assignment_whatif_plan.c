//  assignment_whatif_plan: the order and the help, read from the recorded
//  streams for the what-if sandbox (see the header).
//
//  The order. The service consumed intake's stream in seq order and met
//  each event between two of its own commands or decisions; the streams
//  do not say where, but they bound it. An intake event came after every
//  own event whose mirror (intake's event caused by it) precedes it in
//  intake's stream, since intake wrote it after reacting; and before the
//  first own event it caused (or a later intake event caused). Between
//  those bounds the event is placed as early as its own time allows: at
//  the first own event that is not earlier than it, the moment the bus
//  brings an event in a running system.
#include "assignment_whatif_plan.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  ------------------------------------------------------------ absences

static void
s_absences_free (void **item)
{
    assignment_whatif_absences_t *absences = *item;
    if (absences)
        free (absences->spans);
    free (absences);
    *item = NULL;
}

zhashx_t *
assignment_whatif_absences_new (void)
{
    zhashx_t *by_worker = zhashx_new ();
    zhashx_set_destructor (by_worker, s_absences_free);
    return by_worker;
}

void
assignment_whatif_absences_note (zhashx_t *by_worker, const Caseflow__V1__Event *event)
{
    bool started = event->body_case == CASEFLOW__V1__EVENT__BODY_WORKER_ABSENCE_STARTED;
    if (!started && event->body_case != CASEFLOW__V1__EVENT__BODY_WORKER_RETURNED)
        return;
    const char *worker_id =
        started ? event->worker_absence_started->worker_id : event->worker_returned->worker_id;
    assignment_whatif_absences_t *absences = zhashx_lookup (by_worker, worker_id);
    if (!absences) {
        absences = calloc (1, sizeof *absences);
        assert (absences);
        zhashx_insert (by_worker, worker_id, absences);
    }
    bool open = absences->count && absences->spans [absences->count - 1][1] == INT64_MAX;
    if (!started) {
        if (open)
            absences->spans [absences->count - 1][1] = event->occurred_at;
        return;
    }
    if (open)
        return;  //  a replaced absence goes on
    if (absences->count == absences->cap) {
        absences->cap = absences->cap ? absences->cap * 2 : 4;
        absences->spans = realloc (absences->spans, absences->cap * sizeof *absences->spans);
        assert (absences->spans);
    }
    absences->spans [absences->count][0] = event->occurred_at;
    absences->spans [absences->count][1] = INT64_MAX;
    absences->count++;
}

int64_t
assignment_whatif_absent_time (zhashx_t *by_worker, const char *worker_id, int64_t from, int64_t to)
{
    assignment_whatif_absences_t *absences =
        worker_id ? zhashx_lookup (by_worker, worker_id) : NULL;
    int64_t total = 0;
    for (size_t i = 0; absences && i < absences->count; i++) {
        if (absences->spans [i][1] > to)
            continue;  //  not over by then
        int64_t a = absences->spans [i][0] > from ? absences->spans [i][0] : from;
        int64_t b = absences->spans [i][1] < to ? absences->spans [i][1] : to;
        if (b > a)
            total += b - a;
    }
    return total;
}

bool
assignment_whatif_away_at (zhashx_t *by_worker, const char *worker_id, int64_t at)
{
    assignment_whatif_absences_t *absences =
        worker_id ? zhashx_lookup (by_worker, worker_id) : NULL;
    for (size_t i = 0; absences && i < absences->count; i++)
        if (absences->spans [i][0] <= at && at < absences->spans [i][1])
            return true;
    return false;
}

//  --------------------------------------------------------------- cases

static void
s_case_free (void **item)
{
    assignment_whatif_case_t *kase = *item;
    if (kase)
        free (kase->rounds);
    free (kase);
    *item = NULL;
}

assignment_whatif_case_t *
assignment_whatif_plan_case (assignment_whatif_plan_t *self, const char *case_id)
{
    assignment_whatif_case_t *kase = zhashx_lookup (self->cases, case_id);
    if (!kase) {
        kase = calloc (1, sizeof *kase);
        assert (kase);
        zhashx_insert (self->cases, case_id, kase);
    }
    return kase;
}

//  The index of each event by its id (id -> index + 1).
static zhashx_t *
s_index_ids (const cf_fold_stream_t *stream)
{
    zhashx_t *ids = zhashx_new ();
    for (size_t i = 0; i < stream->count; i++)
        if (*stream->events [i]->id)
            zhashx_insert (ids, stream->events [i]->id, (void *) (uintptr_t) (i + 1));
    return ids;
}

static long
s_lookup (zhashx_t *ids, const char *id)
{
    return *id ? (long) (uintptr_t) zhashx_lookup (ids, id) - 1 : -1;
}

static void
s_push (assignment_whatif_plan_t *self, bool own, size_t index, int64_t at, bool mirror)
{
    self->items [self->n_items++] = (assignment_whatif_item_t){ own, index, at, mirror };
}

//  Builds self->items (see the file's essay).
static void
s_order (assignment_whatif_plan_t *self, const cf_fold_stream_t *intake,
         const cf_fold_stream_t *own)
{
    zhashx_t *intake_ids = s_index_ids (intake);
    zhashx_t *own_ids = s_index_ids (own);
    size_t n = intake->count, m = own->count;
    //  For each own event: the intake event that caused it (-1: none) and
    //  the first mirror of it or of any later own event (suffix minimum).
    long *cause = malloc ((m + 1) * sizeof *cause);
    size_t *first_mirror = malloc ((m + 1) * sizeof *first_mirror);
    int64_t *react_at = malloc ((n + 1) * sizeof *react_at);
    bool *mirror = assignment_whatif_mirrors (intake, own);
    assert (cause && first_mirror && react_at);
    for (size_t j = 0; j <= m; j++)
        first_mirror [j] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        react_at [i] = INT64_MIN;
        long by = s_lookup (own_ids, event->causation_id);
        if (by >= 0 && i < first_mirror [by])
            first_mirror [by] = i;
    }
    for (size_t j = m; j-- > 0;)
        if (first_mirror [j + 1] < first_mirror [j])
            first_mirror [j] = first_mirror [j + 1];
    for (size_t j = 0; j < m; j++) {
        cause [j] = s_lookup (intake_ids, own->events [j]->causation_id);
        if (cause [j] >= 0 && react_at [cause [j]] == INT64_MIN)
            react_at [cause [j]] = own->events [j]->occurred_at;
    }
    self->items = malloc ((n + m + 1) * sizeof *self->items);
    assert (self->items);
    size_t p = 0;
    for (size_t j = 0; j < m; j++) {
        const Caseflow__V1__Event *event = own->events [j];
        while (p < n
               && ((long) p <= cause [j]
                   || (intake->events [p]->occurred_at <= event->occurred_at
                       && p < first_mirror [j]))) {
            int64_t at = react_at [p] != INT64_MIN ? react_at [p] : intake->events [p]->occurred_at;
            s_push (self, false, p, at, mirror [p]);
            p++;
        }
        s_push (self, true, j, event->occurred_at, false);
    }
    for (; p < n; p++)
        s_push (self, false, p,
                react_at [p] != INT64_MIN ? react_at [p] : intake->events [p]->occurred_at,
                mirror [p]);
    free (cause);
    free (first_mirror);
    free (react_at);
    free (mirror);
    zhashx_destroy (&intake_ids);
    zhashx_destroy (&own_ids);
}

static assignment_whatif_round_t *
s_open_round (assignment_whatif_case_t *kase)
{
    if (kase->n_rounds == 0)
        return NULL;
    assignment_whatif_round_t *round = &kase->rounds [kase->n_rounds - 1];
    return round->ended_at ? NULL : round;
}

//  Reads the rounds of every case from the sequence (own events in their
//  order, intake's closures where they fall).
static void
s_rounds (assignment_whatif_plan_t *self, const cf_fold_stream_t *intake,
          const cf_fold_stream_t *own)
{
    for (size_t k = 0; k < self->n_items; k++) {
        const assignment_whatif_item_t *item = &self->items [k];
        const Caseflow__V1__Event *event =
            item->own ? own->events [item->index] : intake->events [item->index];
        if (!item->own) {
            //  A closure at intake ends the case's round (not a mirror of
            //  a completion: that ends it below).
            if (item->mirror || event->body_case != CASEFLOW__V1__EVENT__BODY_CASE_CLOSED)
                continue;
            assignment_whatif_case_t *kase =
                zhashx_lookup (self->cases, event->case_closed->case_id);
            assignment_whatif_round_t *round = kase ? s_open_round (kase) : NULL;
            if (round)
                round->ended_at = event->occurred_at;
            continue;
        }
        assignment_whatif_absences_note (self->absences, event);
        const char *case_id = cf_fold_event_case_id (event);
        int64_t at = event->occurred_at;
        switch (event->body_case) {
            case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED: {
                assignment_whatif_case_t *kase = assignment_whatif_plan_case (self, case_id);
                assignment_whatif_round_t *round = s_open_round (kase);
                if (round)
                    round->ended_at = at;
                if (kase->n_rounds == kase->cap_rounds) {
                    kase->cap_rounds = kase->cap_rounds ? kase->cap_rounds * 2 : 2;
                    kase->rounds = realloc (kase->rounds, kase->cap_rounds * sizeof *kase->rounds);
                    assert (kase->rounds);
                }
                kase->rounds [kase->n_rounds++] =
                    (assignment_whatif_round_t){ .worker = event->case_assigned->worker_id,
                                                 .assigned_at = at };
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED: {
                assignment_whatif_case_t *kase = zhashx_lookup (self->cases, case_id);
                assignment_whatif_round_t *round = kase ? s_open_round (kase) : NULL;
                if (round)
                    round->ended_at = at;
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_CASE_STARTED: {
                assignment_whatif_case_t *kase = zhashx_lookup (self->cases, case_id);
                assignment_whatif_round_t *round = kase ? s_open_round (kase) : NULL;
                if (round && !round->started) {
                    round->started = true;
                    round->started_at = at;
                    round->start_pos = (int64_t) k;
                }
                break;
            }
            case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED: {
                assignment_whatif_case_t *kase = zhashx_lookup (self->cases, case_id);
                assignment_whatif_round_t *round = kase ? s_open_round (kase) : NULL;
                if (round && round->started) {
                    round->completed = true;
                    round->completed_at = round->ended_at = at;
                    round->complete_pos = (int64_t) k;
                    round->outcome = event->case_completed->outcome;
                }
                break;
            }
            default: break;
        }
    }
}

static int
s_compare_delays (const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x [0] != y [0])
        return x [0] < y [0] ? -1 : 1;
    return (x [1] > y [1]) - (x [1] < y [1]);
}

bool *
assignment_whatif_mirrors (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment)
{
    zhashx_t *own_ids = s_index_ids (assignment);
    bool *mirror = calloc (intake->count + 1, sizeof *mirror);
    assert (mirror);
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *event = intake->events [i];
        mirror [i] = s_lookup (own_ids, event->causation_id) >= 0
                     || event->body_case == CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    }
    zhashx_destroy (&own_ids);
    return mirror;
}

assignment_whatif_plan_t *
assignment_whatif_plan_new (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                            int64_t seen_until)
{
    assignment_whatif_plan_t *self = calloc (1, sizeof *self);
    assert (self);
    self->cases = zhashx_new ();
    zhashx_set_destructor (self->cases, s_case_free);
    self->absences = assignment_whatif_absences_new ();
    for (size_t i = 0; i < intake->count; i++)
        if (intake->events [i]->occurred_at > self->last_at)
            self->last_at = intake->events [i]->occurred_at;
    for (size_t i = 0; i < assignment->count; i++)
        if (assignment->events [i]->occurred_at > self->last_at)
            self->last_at = assignment->events [i]->occurred_at;
    if (seen_until)
        self->last_at = seen_until;
    s_order (self, intake, assignment);
    s_rounds (self, intake, assignment);
    //  Rounds still open saw no end before the history stops; the
    //  completed ones give the draws.
    size_t cap = 0;
    for (assignment_whatif_case_t *kase = zhashx_first (self->cases); kase;
         kase = zhashx_next (self->cases))
        for (size_t r = 0; r < kase->n_rounds; r++) {
            assignment_whatif_round_t *round = &kase->rounds [r];
            if (!round->ended_at)
                round->ended_at = self->last_at;
            if (round->started)
                round->start_away =
                    assignment_whatif_away_at (self->absences, round->worker, round->started_at);
            if (!round->completed)
                continue;
            round->complete_away =
                assignment_whatif_away_at (self->absences, round->worker, round->completed_at);
            if (self->n_delays == cap) {
                cap = cap ? cap * 2 : 256;
                self->delays = realloc (self->delays, cap * sizeof *self->delays);
                assert (self->delays);
            }
            self->delays [self->n_delays][0] = assignment_whatif_plan_work (self, round, true);
            self->delays [self->n_delays][1] = assignment_whatif_plan_work (self, round, false);
            self->n_delays++;
        }
    if (self->n_delays)
        qsort (self->delays, self->n_delays, sizeof *self->delays, s_compare_delays);
    return self;
}

void
assignment_whatif_plan_destroy (assignment_whatif_plan_t **self_p)
{
    assignment_whatif_plan_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->cases);
    zhashx_destroy (&self->absences);
    free (self->items);
    free (self->delays);
    free (self);
    *self_p = NULL;
}

int64_t
assignment_whatif_plan_work (assignment_whatif_plan_t *self, const assignment_whatif_round_t *round,
                             bool start)
{
    int64_t from = start ? round->assigned_at : round->started_at;
    int64_t to = start ? (round->started ? round->started_at : round->ended_at)
                       : (round->completed ? round->completed_at : round->ended_at);
    return to - from - assignment_whatif_absent_time (self->absences, round->worker, from, to);
}

bool
assignment_whatif_plan_draw (const assignment_whatif_plan_t *self, const char *case_id,
                             uint32_t round, int64_t *start_delay, int64_t *help)
{
    if (!self->n_delays)
        return false;
    //  FNV-1a over the case id and the round: stable across runs and
    //  machines, unlike an address or a seeded generator.
    uint64_t hash = UINT64_C (14695981039346656037);
    for (const unsigned char *c = (const unsigned char *) case_id; *c; c++)
        hash = (hash ^ *c) * UINT64_C (1099511628211);
    hash = (hash ^ round) * UINT64_C (1099511628211);
    size_t pick = (size_t) (hash % self->n_delays);
    *start_delay = self->delays [pick][0];
    *help = self->delays [pick][1];
    return true;
}
