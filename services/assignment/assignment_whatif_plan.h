//  assignment_whatif_plan: what the what-if sandbox reads from the recorded
//  streams before it runs (assignment_whatif.c is its only user).
//
//  Two readings, both from facts alone:
//
//  - the order: the one sequence in which the assignment service met
//    intake's events among its own, rebuilt from the two streams (see
//    assignment_whatif.h for the rule), with each intake event marked as
//    a fact to feed or as a mirror of a decision (to leave out), and the
//    moment the service reacted to it;
//  - the help: per case, each real assignment ("round") with the start
//    and completion that followed it, or the moment the round ended
//    without them; and the delays of every completed round, sorted, to
//    draw from for cases reality never helped.
#ifndef ASSIGNMENT_WHATIF_PLAN_H
#define ASSIGNMENT_WHATIF_PLAN_H

#include "cf_fold.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  One item of the rebuilt sequence: an event of intake's stream or of
//  assignment's, by index into its stream.
typedef struct {
    bool own;      //  assignment's stream (else intake's)
    size_t index;  //  into that stream
    //  When the service met it: an own event's occurred_at; for an intake
    //  event, the occurred_at of the first decision it caused, else its own.
    int64_t at;
    bool mirror;  //  intake's event caused by an assignment event
} assignment_whatif_item_t;

//  A worker's absences as they took effect (WorkerAbsenceStarted to
//  WorkerReturned), in time order; `until` is INT64_MAX while one lasts.
typedef struct {
    int64_t (*spans) [2];
    size_t count, cap;
} assignment_whatif_absences_t;

//  Records an absence starting or ending, when `event` is one
//  (WorkerAbsenceStarted, WorkerReturned), in `by_worker` (worker id ->
//  assignment_whatif_absences_t, owned: made with
//  assignment_whatif_absences_new).
void
assignment_whatif_absences_note (zhashx_t *by_worker, const Caseflow__V1__Event *event);

//  An empty map for assignment_whatif_absences_note.
zhashx_t *
assignment_whatif_absences_new (void);

//  How long worker `worker_id` was absent between `from` and `to` in
//  absences that had ended by `to` (microseconds; 0 when unknown or
//  never): time lost that the work after it made up for.
int64_t
assignment_whatif_absent_time (zhashx_t *by_worker, const char *worker_id, int64_t from,
                               int64_t to);

//  One real assignment of a case and the help that followed it. The
//  delays the sandbox copies are working time: the absences of the worker
//  that ended in between do not count. A start or completion made while
//  the worker was away (`*_away`) may be copied into an absence; any
//  other waits for the worker's return.
typedef struct {
    const char *worker;  //  borrowed from the stream
    int64_t assigned_at;
    bool started, completed;
    bool start_away, complete_away;
    int64_t started_at, completed_at;
    //  Positions of the start and the completion in the sequence.
    int64_t start_pos, complete_pos;
    //  When the round ended (completion, unassignment, the next
    //  assignment, a closure at intake; else the streams' last moment).
    int64_t ended_at;
    const char *outcome;  //  the completion's, borrowed; NULL when none
} assignment_whatif_round_t;

typedef struct {
    assignment_whatif_round_t *rounds;
    size_t n_rounds, cap_rounds;
    //  The sandbox's own count of this case's assignments, and a number
    //  that changes with each assignment or unassignment (a start or a
    //  completion planned under an older one is dropped).
    uint32_t sandbox_rounds;
    uint32_t generation;
} assignment_whatif_case_t;

typedef struct {
    assignment_whatif_item_t *items;
    size_t n_items;
    zhashx_t *cases;     //  case id -> assignment_whatif_case_t (owned)
    zhashx_t *absences;  //  the real ones, by worker id
    //  Working delays of every completed round (microseconds), sorted by
    //  start delay, then help, for the draws.
    int64_t (*delays) [2];
    size_t n_delays;
    int64_t last_at;  //  the latest occurred_at of both streams
} assignment_whatif_plan_t;

//  Reads the plan from the two streams (borrowed; the plan borrows texts
//  from them). Rounds still open at `seen_until` (0: the streams' last
//  event) end there. Never NULL.
assignment_whatif_plan_t *
assignment_whatif_plan_new (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                            int64_t seen_until);

//  For each of intake's events, whether it is a mirror of one of
//  assignment's decisions (caused by an assignment event, or a
//  CaseStatusChanged). Fresh array of intake->count entries (free).
bool *
assignment_whatif_mirrors (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment);

void
assignment_whatif_plan_destroy (assignment_whatif_plan_t **self_p);

//  The case's plan, added empty when reality never assigned it.
assignment_whatif_case_t *
assignment_whatif_plan_case (assignment_whatif_plan_t *self, const char *case_id);

//  Whether worker `worker_id` was away at `at` (an absence that had
//  started and not ended).
bool
assignment_whatif_away_at (zhashx_t *by_worker, const char *worker_id, int64_t at);

//  The round's working time from its assignment to its start (`start`)
//  or from its start to its completion, or to its end when that did not
//  happen (what reality was seen to take without it).
int64_t
assignment_whatif_plan_work (assignment_whatif_plan_t *self, const assignment_whatif_round_t *round,
                             bool start);

//  A completed round's delays drawn for `case_id`'s round `round`: the
//  same case and round always draw the same. False when no round was ever
//  completed.
bool
assignment_whatif_plan_draw (const assignment_whatif_plan_t *self, const char *case_id,
                             uint32_t round, int64_t *start_delay, int64_t *help);

#endif
