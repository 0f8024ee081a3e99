//  assignment_state: the assignment service's state and `apply`, the only
//  code that changes it.
//
//  The state is the roster (locations, workers with their absence), the
//  cases the service knows from intake, each case's worker and history,
//  and the waiting list. It is rebuilt from the journal by replaying every
//  event through assignment_state_apply: own events (roster changes and
//  the decisions the policy made) and intake's events (registrations,
//  triage, closure). Apply never decides anything; the policy
//  (assignment_policy.h) decides and emits events that apply records.
//
//  The entity structs are shared by the service's modules (policy, queries,
//  commands); only this module and assignment_state_waiting.c write them.
//  Entities are allocated one by one and never freed before the state is,
//  so pointers to them stay valid for the state's lifetime.
//
//  Matching is made cheap by interning location ids as small integers: a
//  worker's reach is the list of its location indexes; a case carries the
//  index of its location (-1 when none) and of its areas, the locations
//  intake found serving the resident's district at registration
//  (CaseRegistered.areas). The resident's district itself is personal
//  data, sealed in intake's events: assignment never sees it.
#ifndef ASSIGNMENT_STATE_H
#define ASSIGNMENT_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_config.h"
#include "cf_hash.h"
#include "cf_service.h"
#include "cf_strings.h"

#include <czmq.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The service's stream and the upstream stream it consumes.
#define ASSIGNMENT_STREAM   "assignment"
#define ASSIGNMENT_UPSTREAM "intake"

//  Short names for the generated enum values used throughout the service.
#define ASSIGNMENT_ST_REGISTERED CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define ASSIGNMENT_ST_WAITING    CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define ASSIGNMENT_ST_URGENT     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define ASSIGNMENT_ST_ASSIGNED   CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define ASSIGNMENT_ST_ACTIVE     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define ASSIGNMENT_ST_CLOSED     CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED
#define ASSIGNMENT_DOMAIN_FIRST  CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH
#define ASSIGNMENT_DOMAIN_LAST   CASEFLOW__V1__DOMAIN__DOMAIN_OTHER
#define ASSIGNMENT_REGULAR       CASEFLOW__V1__URGENCY__URGENCY_REGULAR
#define ASSIGNMENT_URGENT        CASEFLOW__V1__URGENCY__URGENCY_URGENT
#define ASSIGNMENT_RULE_CONTINUITY \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_CONTINUITY
#define ASSIGNMENT_RULE_BEST_MATCH \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_BEST_MATCH
#define ASSIGNMENT_RULE_MANUAL CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_MANUAL
#define ASSIGNMENT_TRIGGER_URGENT \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_URGENT
#define ASSIGNMENT_TRIGGER_WAITING_LIST \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_WAITING_LIST
#define ASSIGNMENT_TRIGGER_ABSENCE \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_ABSENCE
#define ASSIGNMENT_TRIGGER_LEAVE \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_LEAVE
#define ASSIGNMENT_TRIGGER_MANUAL \
    CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_MANUAL
#define ASSIGNMENT_HISTORY_QUEUED   CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_QUEUED
#define ASSIGNMENT_HISTORY_ASSIGNED CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_ASSIGNED
#define ASSIGNMENT_HISTORY_UNASSIGNED \
    CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_UNASSIGNED
#define ASSIGNMENT_HISTORY_ESCALATED CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_ESCALATED
#define ASSIGNMENT_HISTORY_STARTED   CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_STARTED
#define ASSIGNMENT_HISTORY_COMPLETED CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_COMPLETED
#define ASSIGNMENT_HISTORY_CLOSED    CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_CLOSED

//  Configuration the policy reads (the service's own config entries).
typedef struct {
    //  Caseload limit per 1.0 FTE for workers without a personal limit.
    uint32_t caseload_per_fte;
    //  How far above their limit a continuity worker still gets a case.
    uint32_t continuity_margin;
    //  An absence longer than this (microseconds), or without end date, is
    //  long: the worker's regular cases are reassigned too.
    int64_t long_absence;
} assignment_config_t;

//  Defaults of assignment_config_t (20 per FTE, margin 2, 14 days).
#define ASSIGNMENT_DEFAULT_CASELOAD_PER_FTE  20
#define ASSIGNMENT_DEFAULT_CONTINUITY_MARGIN 2
#define ASSIGNMENT_DEFAULT_LONG_ABSENCE_DAYS 14

//  The configuration's entries (cf_config_entry_t) with their keys after
//  `prefix` (a string literal): "" in the service, "assignment-" in the
//  console, whose what-if runs the policy with the same settings from the
//  same environment variables.
#define ASSIGNMENT_CONFIG_ENTRIES(prefix)                                                          \
    { prefix "caseload-per-fte",                                                                   \
      "CASEFLOW_ASSIGNMENT_CASELOAD_PER_FTE",                                                      \
      CF_CONFIG_INT,                                                                               \
      "20",                                                                                        \
      "caseload limit per 1.0 FTE for workers without a personal limit",                           \
      NULL,                                                                                        \
      1,                                                                                           \
      1000 },                                                                                      \
        { prefix "continuity-margin",                                                              \
          "CASEFLOW_ASSIGNMENT_CONTINUITY_MARGIN",                                                 \
          CF_CONFIG_INT,                                                                           \
          "2",                                                                                     \
          "cases a continuity worker may take above their limit",                                  \
          NULL,                                                                                    \
          0,                                                                                       \
          1000 },                                                                                  \
    {                                                                                              \
        prefix "long-absence", "CASEFLOW_ASSIGNMENT_LONG_ABSENCE", CF_CONFIG_DURATION, "14d",      \
            "an absence longer than this (or without end date) reassigns regular cases too", NULL, \
            CF_USEC_PER_HOUR, 3650 * CF_USEC_PER_DAY                                               \
    }

//  The settings of ASSIGNMENT_CONFIG_ENTRIES (`prefix` as given there)
//  read from `config`.
assignment_config_t
assignment_config_read (cf_config_t *config, const char *prefix);

typedef struct _assignment_case_t assignment_case_t;

typedef struct {
    char *id;
    char *name;
    char **districts;  //  as given, in order (intake resolves areas with them)
    size_t n_districts;
    Caseflow__V1__Assignment__LocationKind kind;
    int index;  //  interned location id
} assignment_location_t;

typedef struct {
    char *id;
    char *name;
    uint32_t fte_milli;
    char **locations;  //  as given, in order
    size_t n_locations;
    int *location_ids;        //  interned, same order
    uint32_t expertise_mask;  //  bit d set for Domain d
    uint32_t max_caseload;    //  personal limit; 0: per FTE
    int64_t joined_at;
    bool left;
    int64_t left_at;
    //  Absence: planned (recorded, `from` not reached yet) or started.
    bool absence_planned;
    bool absent;
    bool long_absence;
    int64_t absent_from;   //  0 when no absence
    int64_t absent_until;  //  0: no end date
    //  Open cases (assigned or active), in no particular order.
    assignment_case_t **cases;
    size_t n_cases, cap_cases;
} assignment_worker_t;

typedef struct {
    int64_t at;
    uint64_t seq;
    Caseflow__V1__Assignment__HistoryKind kind;
    const char *worker_id;  //  pooled; may be NULL
    Caseflow__V1__Assignment__AssignmentRule rule;
    Caseflow__V1__Assignment__AssignmentTrigger trigger;
    const char *reason;  //  pooled; may be NULL
    bool over_limit;
} assignment_history_t;

struct _assignment_case_t {
    char *id;
    //  REGISTERED, WAITING / URGENT (on the waiting list), ASSIGNED,
    //  ACTIVE, CLOSED.
    Caseflow__V1__CaseStatus status;
    Caseflow__V1__Urgency urgency;
    Caseflow__V1__Channel channel;
    uint32_t domain_mask;
    const char *location;         //  pooled; NULL when none
    int location_id;              //  interned, -1 when none
    uint32_t n_areas;             //  of area_ids
    char *preferred_worker;       //  continuity named at registration; NULL
    char *previous_worker;        //  taken from this worker (absence); NULL
    assignment_worker_t *worker;  //  open: the worker; closed: the last one
    int64_t registered_at;
    int64_t triaged_at;  //  first triage: the waiting-list order
    bool waiting;        //  on the waiting list
    bool escalated;      //  urgent, nobody could take it
    char *outcome;
    assignment_history_t *history;
    size_t n_history, cap_history;
    //  The case's areas: the locations serving the resident's district at
    //  registration (CaseRegistered.areas), interned, in intake's order.
    //  They live in the case's own block, and the case's id right after
    //  them.
    int area_ids [];
};

//  The waiting list: cases in order (urgent first, then first triage
//  time, then case id), kept sorted in one array (assignment_state_waiting.c).
typedef struct {
    assignment_case_t **items;
    size_t count, cap;
    size_t urgent;           //  urgent cases on the list (at its head)
    size_t with_continuity;  //  cases with a continuity worker named
} assignment_waiting_t;

typedef struct {
    assignment_config_t config;
    assignment_location_t **locations;  //  sorted by id
    size_t n_locations, cap_locations;
    assignment_worker_t **workers;  //  sorted by id
    size_t n_workers, cap_workers;
    cf_hash_t *cases;  //  id (the case's own) -> assignment_case_t * (owned)
    //  The case found or added last: an upstream event and the decision
    //  on it name the same case. Cases are never removed.
    assignment_case_t *last_case;
    //  The cases' repeated text (locations, areas, history reasons and
    //  workers): one copy each, kept as long as the state.
    cf_strings_t *texts;
    assignment_waiting_t waiting;
    //  Location ids interned (assignment_state_location_index): by id
    //  (id -> index + 1) and by index (pooled ids).
    zhashx_t *location_names;
    const char **location_ids;
    size_t n_location_ids, cap_location_ids;
    uint64_t own_events;
    uint64_t upstream_events;
} assignment_state_t;

//  A fresh, empty state with `config` (copied). Never NULL.
assignment_state_t *
assignment_state_new (const assignment_config_t *config);

//  Frees the state and everything in it, safe on NULL; nulls *self_p.
void
assignment_state_destroy (assignment_state_t **self_p);

//  Applies one journaled event: an own event (stream "assignment") or an
//  intake event. Deterministic; copies what it keeps (`event` is
//  borrowed). Returns 0 when the event changed or was recorded in the
//  state, -1 when an intake event is not for this service (a type it does
//  not follow, an unknown case, a move the case table does not allow, a
//  malformed event): ignored, not an error. An own event that does not fit
//  the state (an unknown case or worker, a move the lifecycle tables do
//  not list) was decided wrongly: asserted.
int
assignment_state_apply (assignment_state_t *self, const Caseflow__V1__Event *event);

//  Feeds the canonical state (sorted, address-free text) into `hash`.
void
assignment_state_digest (assignment_state_t *self, crypto_hash_sha256_state *hash);

//  Lookups; NULL when unknown. Borrowed.
assignment_location_t *
assignment_state_location (assignment_state_t *self, const char *id);
assignment_worker_t *
assignment_state_worker (assignment_state_t *self, const char *id);
assignment_case_t *
assignment_state_case (assignment_state_t *self, const char *id);

//  The worker's caseload limit in force: the personal limit, or the
//  configured limit per FTE times FTE (rounded down, at least 1).
uint32_t
assignment_capacity (const assignment_state_t *self, const assignment_worker_t *worker);

//  Open cases of the worker (assigned or active).
static inline uint32_t
assignment_caseload (const assignment_worker_t *worker)
{
    return (uint32_t) worker->n_cases;
}

//  True when the worker can be given cases: not left, absence not started.
static inline bool
assignment_present (const assignment_worker_t *worker)
{
    return !worker->left && !worker->absent;
}

//  True when one of the worker's locations is the case's location or one
//  of its areas; a case with neither location nor areas is served by
//  everyone.
bool
assignment_serves (const assignment_worker_t *worker, const assignment_case_t *kase);

//  True when the worker has expertise in one of the case's domains and
//  serves it (presence and load are not considered).
bool
assignment_matches (const assignment_worker_t *worker, const assignment_case_t *kase);

//  The worker continuity would choose for the case (the preferred worker
//  named at registration, else the worker it was taken from during an
//  absence), if that worker is on the roster; else NULL.
assignment_worker_t *
assignment_continuity_worker (assignment_state_t *self, const assignment_case_t *kase);

//  True when the case is open and has a worker (assigned or active).
static inline bool
assignment_case_has_worker (const assignment_case_t *kase)
{
    return kase->status == ASSIGNMENT_ST_ASSIGNED || kase->status == ASSIGNMENT_ST_ACTIVE;
}

//  ----------------------------------------------- the runtime's hooks

//  cf_service_def_t's state_new (the configuration read from `service`),
//  state_destroy, apply and digest: the calls above, for the runtime.
void *
assignment_state_new_hook (cf_service_t *service);
void
assignment_state_destroy_hook (void **state_p);
int
assignment_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
assignment_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

//  -------------------------------------------------------------- the roster
//  (assignment_state_roster.c; called by assignment_state.c only)

//  Applies a roster event of this stream (LocationAdded, WorkerJoined,
//  WorkerChanged, WorkerAbsent, WorkerAbsenceStarted, WorkerReturned,
//  WorkerLeft); any other body is not an assignment event (asserted).
void
assignment_state_apply_roster (assignment_state_t *self, const Caseflow__V1__Event *event);

//  Frees the locations and workers.
void
assignment_state_roster_free (assignment_state_t *self);

//  The index of location id `id`, interned on first use (known or not:
//  intake's events may name a location the roster does not have).
int
assignment_state_location_index (assignment_state_t *self, const char *id);

//  The domain bits (1 << domain) of known domains in `domains`.
uint32_t
assignment_domain_mask (const Caseflow__V1__Domain *domains, size_t count);

//  ------------------------------------------------------ the waiting list
//  (assignment_state_waiting.c; called by apply only)

//  Ordering of the waiting list: < 0 when a goes before b.
int
assignment_waiting_compare (const assignment_case_t *a, const assignment_case_t *b);

//  Inserts the case at its place (the case must not be on the list).
void
assignment_waiting_insert (assignment_waiting_t *self, assignment_case_t *kase);

//  Removes the case (which must be on the list).
void
assignment_waiting_remove (assignment_waiting_t *self, assignment_case_t *kase);

//  The case's index on the list (0 = head), or -1 when it is not on it.
long
assignment_waiting_index (const assignment_waiting_t *self, const assignment_case_t *kase);

void
assignment_waiting_free (assignment_waiting_t *self);

//  ------------------------------------------------------------------ words

//  The case's domains as "debt, housing" into buf. Returns buf.
char *
assignment_domains_text (uint32_t mask, char *buf, size_t size);

//  Where the case is served from, as "location L1 or area L2, L3",
//  "location L1" or "area L2, L3" into buf ("" when neither: any location
//  serves it). Location ids only, never the resident's district; an area
//  that is the case's location is not repeated. Areas that do not fit are
//  counted ("and 3 more"). Returns buf.
char *
assignment_reach_text (const assignment_state_t *self, const assignment_case_t *kase, char *buf,
                       size_t size);

#endif
