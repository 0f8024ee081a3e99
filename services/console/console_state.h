//  console_state: the console's state, and `apply`, the only code that
//  changes it.
//
//  The console is the read side: it decides nothing and emits nothing. Its
//  state is every event of every followed stream (console_log: compact,
//  decoded on demand) and the projections kept live as the events are
//  applied, so a question is answered from what is already there:
//    - per stream, the events in seq order (the report's folds read them);
//    - per case, where its events are in those logs (its timeline);
//    - the waiting list in assignment's order (urgent first, then by the
//      time first triaged, then by case id: cf_waiting.h);
//    - the fired callback reminders not yet answered, cancelled or
//      acknowledged, with who holds each (claimed, parked): callbacks to
//      make today, per location;
//    - urgent cases without a worker;
//    - open cases per worker and per location (caseload);
//    - the handovers, applied to handover's own state type so that the
//      progress figures are handover's own fold (handover_progress), one
//      definition;
//    - the council report's case fold, kept close behind the newest
//      events with checkpoints along the history (cf_report_checkpoints),
//      so a report at any moment folds only the events after the nearest.
//  A case record is a few interned pointers, times and small numbers; its
//  events are references into the logs, never copies.
//
//  Every event is applied in the order the runtime journaled it (each
//  stream in seq order), so the same journal rebuilt gives the same state
//  and digest. The structs are open to the console's own modules (query,
//  view) for reading; only console_state_apply writes them.
#ifndef CONSOLE_STATE_H
#define CONSOLE_STATE_H

#include "console_log.h"

#include "handover_state.h"

#include "caseflow/v1/event.pb-c.h"
#include "cf_fold.h"
#include "cf_hash.h"
#include "cf_report_checkpoints.h"
#include "cf_strings.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The streams the console follows: the five the folds read (cf_fold.h),
//  in their order.
typedef cf_fold_stream_id_t console_stream_t;
#define CONSOLE_INTAKE       CF_FOLD_INTAKE
#define CONSOLE_ASSIGNMENT   CF_FOLD_ASSIGNMENT
#define CONSOLE_HANDOVER     CF_FOLD_HANDOVER
#define CONSOLE_NOTIFICATION CF_FOLD_NOTIFICATION
#define CONSOLE_GATEWAY      CF_FOLD_GATEWAY
#define CONSOLE_STREAM_COUNT CF_FOLD_STREAM_COUNT

//  A reference to one event: its stream and its index in that stream's log.
typedef uint64_t console_ref_t;
#define CONSOLE_REF(stream, index) (((uint64_t) (stream) << 56) | (uint64_t) (index))
#define CONSOLE_REF_STREAM(ref)    ((console_stream_t) ((ref) >> 56))
#define CONSOLE_REF_INDEX(ref)     ((size_t) ((ref) & ((UINT64_C (1) << 56) - 1)))

//  Where one subject's events are in the logs, in the order applied.
typedef struct {
    console_ref_t *refs;
    uint32_t count, cap;
} console_refs_t;

typedef struct {
    const char *id;        //  interned
    const char *location;  //  interned; "" when none
    const char *worker;    //  interned; "" while unassigned
    int64_t registered_at;
    int64_t triaged_at;     //  first triage (0: not yet): the waiting order
    int64_t urgent_since;   //  when it last became urgent (0: regular)
    console_refs_t events;  //  its events (not its handovers')
    uint16_t domains;       //  bit (1 << Domain) per question domain
    uint8_t status;         //  Caseflow__V1__CaseStatus
    uint8_t urgency;        //  Caseflow__V1__Urgency
    bool escalated;         //  assignment escalated it and no worker took it since
    bool listed;            //  on the waiting list
} console_case_t;

//  A fired callback reminder not yet answered, cancelled or acknowledged,
//  with its claim (notification's claims: docs of services/notification).
typedef struct {
    const char *id;  //  interned
    console_case_t *kase;
    int64_t due_at;
    int64_t answer_by;
    uint64_t number;
    const char *claimed_by;  //  interned; "" when nobody holds it
    int64_t lease_until;     //  of the claim (0: none)
    bool parked;             //  set aside for a team lead
} console_callback_t;

//  Open cases (with a worker) of one worker or one location.
typedef struct {
    const char *id;  //  interned
    uint32_t open;
} console_count_t;

typedef struct {
    console_log_t *logs [CONSOLE_STREAM_COUNT];
    cf_strings_t *strings;  //  ids, locations, workers
    cf_hash_t *cases;       //  case id -> console_case_t *, owned
    //  Handover id -> console_refs_t * (owned, key interned): the handover
    //  stream's events of each handover, for the timelines of the cases
    //  that came from it.
    cf_hash_t *handover_events;
    //  Reminder id -> console_refs_t * (borrowed from handover_events) of
    //  the reminders about a handover and no case (a deadline reminder):
    //  their later events name only the reminder.
    cf_hash_t *handover_reminders;
    size_t case_count;
    //  The waiting list, in order (borrowed case pointers).
    console_case_t **waiting;
    size_t waiting_count, waiting_cap;
    cf_hash_t *callbacks;  //  reminder id -> console_callback_t *, owned
    cf_hash_t *workers;    //  worker id -> console_count_t *, owned
    cf_hash_t *locations;  //  location id -> console_count_t *, owned
    handover_state_t *handovers;
    //  The report's case fold kept along intake's and assignment's logs,
    //  with its checkpoints (cf_report_checkpoints.h): a cache of what the
    //  logs hold, never digested.
    cf_report_checkpoints_t *checkpoints;
    uint64_t applied;
    //  Which streams the deployment follows (configuration, not state: a
    //  stream set to `none` is unknown, never empty). All, unless the
    //  owner says otherwise.
    bool followed [CONSOLE_STREAM_COUNT];
    //  The web page beside the state (console_web_source.c, which alone
    //  touches it): no state, never applied or digested.
    void *web;
} console_state_t;

//  Fresh, empty state; `handover` configures the handover fold (deadline
//  and windows, as the handover service's). Never NULL.
console_state_t *
console_state_new (const handover_config_t *handover);

//  Frees the state, safe on NULL; nulls *self_p.
void
console_state_destroy (console_state_t **self_p);

//  The stream an event belongs to (its envelope's `stream`), or
//  CONSOLE_STREAM_COUNT for one the console does not follow.
console_stream_t
console_stream_of (const char *name);

//  Applies one journaled upstream event (borrowed). Returns 0, or 1 for an
//  event of a stream the console does not follow (nothing changes).
int
console_state_apply (console_state_t *self, const Caseflow__V1__Event *event);

//  The same, with `event`'s encoding as journaled (`size` bytes at
//  `data`, what `event` decodes from), which the log keeps as it is
//  instead of encoding the event again (console_log_append_encoded).
int
console_state_apply_encoded (console_state_t *self, const Caseflow__V1__Event *event,
                             const void *data, size_t size);

//  The case with `id`, or NULL. Borrowed.
const console_case_t *
console_state_case (const console_state_t *self, const char *id);

//  The events of handover `id` (the handover stream's, and notification's
//  about its reminders), or NULL. Borrowed.
const console_refs_t *
console_state_handover_events (const console_state_t *self, const char *id);

//  Feeds the canonical state into `hash`: every log's events in order,
//  then the cases in id order with their projected fields, the waiting
//  list's order, the open callbacks in id order, and the handover state's
//  own digest.
void
console_state_digest (const console_state_t *self, crypto_hash_sha256_state *hash);

//  The bytes the state holds in its logs, for /metrics.
size_t
console_state_log_memory (const console_state_t *self);

//  ------------------------------------------- the runtime's hooks (main)

void *
console_state_new_hook (cf_service_t *service);
void
console_state_destroy_hook (void **state_p);
int
console_state_apply_hook (void *state, const Caseflow__V1__Event *event, const void *data,
                          size_t size);
void
console_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

#endif
