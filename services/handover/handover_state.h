//  handover_state: the handover service's state, and `apply`, the only
//  function that changes it.
//
//  The state is every provider and every handover with its whole history
//  (when it was announced, each planning of the meeting, when it was held,
//  decided, completed or cancelled), so that figures for any past moment
//  (handover_progress) come from the same state the service decides on.
//  Handover ids are "H000001", "H000002", ... in announcement order; the
//  next id follows from the number of handovers applied, so replaying the
//  journal assigns exactly the ids that were decided.
//
//  The structs are open to the service's own modules (lifecycle, decide,
//  query, progress) for reading; only handover_state_apply writes them.
#ifndef HANDOVER_STATE_H
#define HANDOVER_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "caseflow/v1/handover.pb-c.h"
#include "cf_hash.h"
#include "cf_service.h"
#include "cf_strings.h"

#include <czmq.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The lifecycle state of one handover (the proto enum, shortened).
typedef Caseflow__V1__Handover__HandoverState handover_status_t;
#define HANDOVER_ANNOUNCED CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_ANNOUNCED
#define HANDOVER_MEETING_PLANNED \
    CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_PLANNED
#define HANDOVER_MEETING_HELD CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_MEETING_HELD
#define HANDOVER_DECIDED      CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_DECIDED
#define HANDOVER_COMPLETED    CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_COMPLETED
#define HANDOVER_CANCELLED    CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_CANCELLED
#define HANDOVER_NONE         CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_UNSPECIFIED

typedef Caseflow__V1__Handover__NextStep handover_next_step_t;
#define HANDOVER_NEXT_CONTINUE CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE
#define HANDOVER_NEXT_STAY     CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_STAY
#define HANDOVER_NEXT_END      CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_END
#define HANDOVER_NEXT_REFER    CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_REFER

//  Longest handover id ("H" and at least six digits) plus the NUL.
#define HANDOVER_ID_SIZE 16

//  The service's own configuration (see handover_main.c for the entries).
typedef struct {
    int64_t default_deadline;  //  deadline of an announcement that names none
    int64_t at_risk_window;    //  how long before the deadline a meeting must be planned
    int64_t forecast_window;   //  completions counted for the forecast's rate
} handover_config_t;

typedef struct {
    char *provider_id;
    char *name;
    int64_t added_at;
} handover_provider_t;

//  The text of a handover, its meetings and documents is interned in the
//  state's pool (handover_state_t.strings): borrowed, never freed alone.

//  One planning of the joint meeting; a re-plan adds another.
typedef struct {
    int64_t planned_at;  //  when it was planned (event time)
    int64_t at;          //  when the meeting is
    const char *location;
    const char **participants;
    size_t participant_count;
} handover_meeting_t;

typedef struct {
    const char *title;
    const char *type;
    int64_t received_at;
} handover_document_t;

typedef struct {
    char id [HANDOVER_ID_SIZE];
    const char *provider_id;
    //  A copy with its strings in one block (free with free).
    Caseflow__V1__PersonalData *resident;
    Caseflow__V1__Domain *domains;
    size_t domain_count;
    const char *support;
    const char *preferred_worker;
    const char *caseload_worker;
    Caseflow__V1__Urgency urgency;
    int64_t deadline;
    handover_status_t status;
    int64_t announced_at;
    handover_meeting_t *meetings;
    size_t meeting_count;
    int64_t held_at;
    handover_next_step_t next_step;
    const char *decision_note;
    int64_t decided_at;
    handover_document_t *documents;
    size_t document_count;
    bool files_waived;
    int64_t files_recorded_at;
    int64_t completed_at;
    int64_t cancelled_at;
    const char *cancel_reason;
    //  Key in the open-resident index while open; NULL otherwise.
    char *resident_key;
} handover_t;

typedef struct {
    handover_config_t config;
    zhashx_t *providers;     //  provider id -> handover_provider_t *, owned
    handover_t **handovers;  //  handover number N at [N - 1], owned
    size_t count;
    size_t capacity;
    cf_hash_t *open_residents;  //  resident key (the handover's) -> handover_t *, borrowed
    cf_strings_t *strings;      //  the handovers' interned text
    uint64_t applied;           //  events applied
} handover_state_t;

//  Fresh, empty state with `config` (copied). Never NULL.
handover_state_t *
handover_state_new (const handover_config_t *config);

//  Frees the state, safe on NULL; nulls *self_p.
void
handover_state_destroy (handover_state_t **self_p);

//  Applies one event of the handover stream (the service has no
//  upstreams: every event it applies is its own). Deterministic; copies
//  what it keeps (the event is borrowed). Returns 0. An event that does
//  not fit the state (an unknown handover, a move the lifecycle table does
//  not list, an id out of order) was decided wrongly: asserted.
int
handover_state_apply (handover_state_t *self, const Caseflow__V1__Event *event);

//  The handover with `id`, or NULL. Borrowed.
handover_t *
handover_state_find (const handover_state_t *self, const char *id);

//  The provider with `id`, or NULL. Borrowed.
handover_provider_t *
handover_state_provider (const handover_state_t *self, const char *id);

//  Providers in id order: a fresh array (free with free) of borrowed
//  pointers; *count_p is set. NULL when there are none.
handover_provider_t **
handover_state_providers (const handover_state_t *self, size_t *count_p);

//  Writes the id the next announced handover gets into `id`.
void
handover_state_next_id (const handover_state_t *self, char id [HANDOVER_ID_SIZE]);

//  The key that identifies a resident across announcements: "bsn:<bsn>"
//  when a BSN is given, else "nb:" and the identity key of name and birth
//  date (cf_resident_name_key, the one intake uses) when both are given,
//  else NULL (not identifiable). Fresh (free with free).
char *
handover_resident_key (const Caseflow__V1__PersonalData *resident);

//  The open handover of the resident with `key`, or NULL. Borrowed.
handover_t *
handover_state_open_resident (const handover_state_t *self, const char *key);

//  ------------------------------------ the canonical form (handover_state_view.c)

//  A fresh view of `handover` without the clock-derived flags (free with
//  caseflow__v1__handover__handover_view__free_unpacked (view, NULL); every
//  part is heap-allocated, so it can be attached to a reply).
Caseflow__V1__Handover__HandoverView *
handover_state_view (const handover_t *handover);

//  A fresh view of `provider` (free with ..._provider_view__free_unpacked).
Caseflow__V1__Handover__ProviderView *
handover_state_provider_view (const handover_provider_t *provider);

//  Feeds the canonical state into `hash`: the number of events applied,
//  providers in id order, then handovers in id order, each as its encoded
//  view (protobuf-c encodes fields in number order, so equal states give
//  equal bytes).
void
handover_state_digest (const handover_state_t *state, crypto_hash_sha256_state *hash);

//  ------------------------------------------- the runtime's hooks (main)

//  cf_service_def_t's state_new, state_destroy, apply and digest: the state
//  with the configuration read from `service`, and the calls above.
void *
handover_state_new_hook (cf_service_t *service);
void
handover_state_destroy_hook (void **state_p);
int
handover_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
handover_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

#endif
