//  assignment_whatif: the real demand replayed under another roster or
//  policy, in a sandbox (docs/whatif.md has the method and its limits).
//
//  In: intake's and assignment's recorded streams (decoded, seq order,
//  borrowed), the policy's configuration and the changes to try. Out: the
//  two streams as they would have been, for the report folds
//  (common/cf_report.h) to read like the real ones.
//
//  The sandbox is a fresh assignment_state_t driven by assignment's own
//  decide, react and policy functions (assignment_decide.h,
//  assignment_react.h, assignment_policy.h): the same code the service
//  runs, with an emitter that keeps the events in memory. It touches no
//  store, no socket and no clock. What it is fed is the real history with
//  the decisions taken out:
//
//  - intake's facts (registrations, triage, questions, closures), except
//    intake's mirrors of assignment's decisions (events caused by an
//    assignment event), which the sandbox writes anew from its own
//    decisions;
//  - the operators' roster commands (the first event of each command:
//    LocationAdded, WorkerJoined, WorkerChanged, WorkerAbsent, a
//    WorkerReturned that was not a planned end, WorkerLeft) and manual
//    assignments, rebuilt as commands and decided again;
//  - the clock: absences start and end when the sandbox's time passes them.
//
//  Helping a case (Start, Complete) is the worker's doing, not the
//  policy's: the sandbox starts and completes each case it assigned after
//  the same delays the case had in reality, measured from the matching
//  real assignment; where reality has no such delay (the case never got
//  that help, or the history ends first), the delays of the case's own
//  later help, else a deterministic draw from every completed case's
//  delays, at least as long as the real case was seen to wait.
//
//  The order the service saw intake's events among its own commands is
//  rebuilt from the streams: an event is placed as early as its time and
//  the mirrors allow (intake's events after a mirror of a decision came
//  after that decision), and never after a decision it caused.
//
//  With no changes the sandbox decides what the service decided, at the
//  same moments: the report folds give the real figures (the faithfulness
//  test pins this on the demo's data). The same inputs give the same
//  streams, byte for byte.
#ifndef ASSIGNMENT_WHATIF_H
#define ASSIGNMENT_WHATIF_H

#include "assignment_state.h"
#include "cf_fold.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Added workers get ids "whatif-1", "whatif-2", …
#define ASSIGNMENT_WHATIF_WORKER_PREFIX "whatif-"
//  At most this many added workers and removed absences.
#define ASSIGNMENT_WHATIF_MAX_ADDED   100
#define ASSIGNMENT_WHATIF_MAX_REMOVED 64
//  The longest period (--from to --to), in weeks.
#define ASSIGNMENT_WHATIF_MAX_PERIOD_WEEKS 106

//  The changes to try. Everything is borrowed; a zeroed struct (with
//  from and to) is "no change".
typedef struct {
    int64_t from;  //  the changes take effect from here (microseconds)
    int64_t to;    //  the period's end: the figures are for this moment
    //  Workers added at `starting` (0: from), each with this FTE,
    //  location and expertise (bit d for Domain d).
    uint32_t add_workers;
    uint32_t add_fte_milli;
    const char *add_location;
    uint32_t add_expertise_mask;
    int64_t add_starting;
    //  Workers whose absences overlapping the period did not happen.
    const char *const *remove_absences;
    size_t n_remove_absences;
    //  From `from`, every worker's caseload limit (0: unchanged).
    uint32_t max_caseload;
    //  From `from`, the continuity margin (when set).
    bool set_continuity_margin;
    uint32_t continuity_margin;
    //  Where the recorded history ends (0: at the streams' last event):
    //  a case not helped by then was seen to wait that long. A forecast
    //  feeds facts beyond it.
    int64_t seen_until;
} assignment_whatif_changes_t;

typedef struct _assignment_whatif_t assignment_whatif_t;

//  Checks `changes` against the recorded streams: the period (from
//  given, to not before it, at most ASSIGNMENT_WHATIF_MAX_PERIOD_WEEKS), the added workers' FTE, location (on the roster) and
//  expertise, the workers named (on the roster), the limits. Returns 0, or
//  CF_EINVAL with a message naming the option ("--from", "--to", "--fte",
//  "--location", "--expertise", "--remove-absence", "--max-caseload",
//  "--starting") in `error`.
int
assignment_whatif_check (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                         const assignment_whatif_changes_t *changes, char *error,
                         size_t error_size);

//  Runs the sandbox over the two streams (borrowed; both must be
//  available) with the policy's configuration `config` and `changes`
//  (checked with assignment_whatif_check first: CF_EINVAL and its message
//  when they do not pass). The sandbox runs to the later of `to` and the
//  streams' last event. Returns 0 with *result_p set (free with
//  assignment_whatif_destroy).
int
assignment_whatif_run (const cf_fold_stream_t *intake, const cf_fold_stream_t *assignment,
                       const assignment_config_t *config,
                       const assignment_whatif_changes_t *changes, assignment_whatif_t **result_p,
                       char *error, size_t error_size);

//  The sandbox's intake or assignment stream (CF_FOLD_INTAKE or
//  CF_FOLD_ASSIGNMENT; any other id is unavailable), borrowed from
//  `self`: the events are valid until it is destroyed.
cf_fold_stream_t
assignment_whatif_stream (const assignment_whatif_t *self, cf_fold_stream_id_t stream);

//  The decisions the sandbox took (own events emitted), for the logs.
size_t
assignment_whatif_decisions (const assignment_whatif_t *self);

//  Frees the result, safe on NULL; nulls *self_p.
void
assignment_whatif_destroy (assignment_whatif_t **self_p);

#endif
