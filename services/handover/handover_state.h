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
//  Personal data (the resident, the support, notes, reasons, meeting
//  locations and participants, document titles) is in the state only as
//  the sealed bytes the events carried, under the handover's transit key
//  (handover_transit.h opens them for views); apply never decrypts, so a
//  replay needs no key and gives the same digest with or without one. The
//  state also follows intake's ResidentErased: a handover whose transit
//  key it names is erased from then on.
//
//  The structs are open to the service's own modules (lifecycle, decide,
//  query, progress, transit) for reading; only handover_state_apply writes
//  them.
#ifndef HANDOVER_STATE_H
#define HANDOVER_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "caseflow/v1/handover.pb-c.h"
#include "cf_hash.h"
#include "cf_inbound.h"
#include "cf_seal.h"
#include "cf_service.h"
#include "cf_strings.h"
#include "cf_transit.h"

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

//  The stream handover writes, and the one it follows.
#define HANDOVER_STREAM "handover"
#define HANDOVER_INTAKE "intake"

//  The fields of the associated data of sealed values: the event body each
//  travels in.
#define HANDOVER_FIELD_ANNOUNCED "handover.HandoverAnnounced"
#define HANDOVER_FIELD_MEETING   "handover.MeetingPlanned"
#define HANDOVER_FIELD_DECIDED   "handover.NextStepDecided"
#define HANDOVER_FIELD_FILES     "handover.FilesTransferred"
#define HANDOVER_FIELD_COMPLETED "handover.HandoverCompleted"
#define HANDOVER_FIELD_CANCELLED "handover.HandoverCancelled"

//  A value sealed under the handover's transit key, as the event carried
//  it: an encoded caseflow.v1.Sealed (owned); size 0 when the event had
//  none. Only handover_transit opens it; apply never does.
typedef struct {
    uint8_t *data;
    size_t size;
} handover_sealed_t;

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

//  The plain text of a handover (ids, document types) is interned in the
//  state's pool (handover_state_t.strings): borrowed, never freed alone.

//  One planning of the joint meeting; a re-plan adds another.
typedef struct {
    int64_t planned_at;          //  when it was planned (event time)
    int64_t at;                  //  when the meeting is
    handover_sealed_t personal;  //  location (text) and participants (texts)
} handover_meeting_t;

//  A document's title is the `position`-th text of the handover's file
//  batch `batch` (one FilesTransferred).
typedef struct {
    const char *type;
    int64_t received_at;
    size_t batch;
    size_t position;
} handover_document_t;

typedef struct {
    char id [HANDOVER_ID_SIZE];
    const char *provider_id;
    //  The transit key every personal value of the handover is sealed
    //  under ("T…"), from its announcement.
    char transit_key_id [CF_SEAL_ID_SIZE];
    handover_sealed_t announced;  //  resident and support
    Caseflow__V1__Domain *domains;
    size_t domain_count;
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
    handover_sealed_t decision;  //  the note (size 0: none)
    int64_t decided_at;
    handover_document_t *documents;
    size_t document_count;
    handover_sealed_t *file_batches;  //  the titles, one per FilesTransferred
    size_t file_batch_count;
    bool files_waived;
    int64_t files_recorded_at;
    int64_t completed_at;
    int64_t cancelled_at;
    handover_sealed_t cancel;  //  the reason
    //  Set by intake's ResidentErased naming the transit key: when, and the
    //  subject it erased (the key store's tombstone is recorded under it).
    int64_t erased_at;
    char erased_subject [CF_SEAL_ID_SIZE];
} handover_t;

typedef struct {
    handover_config_t config;
    zhashx_t *providers;     //  provider id -> handover_provider_t *, owned
    handover_t **handovers;  //  handover number N at [N - 1], owned
    size_t count;
    size_t capacity;
    cf_hash_t *by_key;                    //  transit key id (the handover's own) -> handover_t *
    cf_strings_t *strings;                //  the handovers' interned text
    uint64_t applied;                     //  events applied (own, and intake's erasures)
    struct _handover_transit_t *transit;  //  set by the owner; see handover_state_set_transit
    cf_inbound_t *inbound;                //  the gateway's announcements handled (InboundOutcome)
    //  How the gateway's transit keys are fetched (handover_inbound.h): set
    //  by the owner, not state; NULL: never (an announcement is rejected).
    cf_transit_fetch_fn *fetch;
    void *fetch_ctx;
    //  The key handover_inbound_ready fetched for the announcement about
    //  to be applied, kept for its reaction (not state: never in the
    //  digest; wiped once used).
    struct {
        char asked [CF_SEAL_ID_SIZE];  //  the key id asked for; "" when none kept
        int rc;
        char key_id [CF_SEAL_ID_SIZE];
        uint8_t key [CF_SEAL_KEY_BYTES];
    } fetched;
} handover_state_t;

//  Fresh, empty state with `config` (copied). Never NULL.
handover_state_t *
handover_state_new (const handover_config_t *config);

//  Frees the state, safe on NULL; nulls *self_p.
void
handover_state_destroy (handover_state_t **self_p);

//  Applies one journaled event. Deterministic; copies what it keeps (the
//  event is borrowed). An own event returns 0; one that does not fit the
//  state (an unknown handover, a move the lifecycle table does not list,
//  an id out of order, personal data in plain: a format-2 event) was
//  decided wrongly: logged and asserted. Of intake's stream only
//  ResidentErased counts (0: each handover whose transit key it names is
//  erased from then on); every other upstream event returns 1 ("not for
//  me") and changes nothing.
int
handover_state_apply (handover_state_t *self, const Caseflow__V1__Event *event);

//  The handover whose transit key is `key_id`, or NULL. Borrowed.
handover_t *
handover_state_by_key (const handover_state_t *self, const char *key_id);

//  The transit keys the state's owner keeps (handover_transit.h; not state:
//  apply never touches it). Set once by the owner; NULL until then.
//  Borrowed.
void
handover_state_set_transit (handover_state_t *self, struct _handover_transit_t *transit);

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

//  ------------------------------------ the canonical form (handover_state_view.c)

//  A fresh view of `handover` in the state's form: without the
//  clock-derived flags and with every personal field empty (the resident
//  absent, the texts "", a meeting's participants and a document's title
//  left out): handover_query_view opens and fills them. Free with
//  caseflow__v1__handover__handover_view__free_unpacked (view, NULL); every
//  part is heap-allocated, so it can be attached to a reply.
Caseflow__V1__Handover__HandoverView *
handover_state_view (const handover_t *handover);

//  A fresh view of `provider` (free with ..._provider_view__free_unpacked).
Caseflow__V1__Handover__ProviderView *
handover_state_provider_view (const handover_provider_t *provider);

//  Feeds the canonical state into `hash`: the number of events applied,
//  providers in id order, then handovers in id order, each as its encoded
//  state-form view (protobuf-c encodes fields in number order, so equal
//  states give equal bytes) followed by its transit key id and every
//  sealed value's bytes: the digest needs no key.
void
handover_state_digest (const handover_state_t *state, crypto_hash_sha256_state *hash);

//  ------------------------------------------- the runtime's hooks (main)

//  cf_service_def_t's apply and digest: the calls above (state_new and
//  state_destroy, which bring the transit keys along, are
//  handover_keys.h's).
int
handover_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
handover_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

#endif
