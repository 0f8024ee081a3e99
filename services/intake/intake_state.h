//  intake_state: everything intake knows, and `apply`, the only code that
//  changes it.
//
//  The state holds the cases in case-id order (ids are assigned in order,
//  so the array is sorted by construction), the group tracks in track-id
//  order, the next case number, the residents as subjects (personal data
//  only as the sealed bytes the events carried: docs/privacy.md), the
//  locations serving each district (from assignment's stream), and two
//  indexes rebuilt by apply: open cases by subject, and the handovers that
//  already became (or joined) a case. The case and track
//  records are visible to the other intake modules read-only: only apply
//  writes them. Every string in them is owned by the state (apply copies
//  what it keeps: events are borrowed).
#ifndef INTAKE_STATE_H
#define INTAKE_STATE_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_inbound.h"
#include "cf_retention.h"
#include "cf_shards.h"
#include "cf_seal.h"
#include "cf_service.h"
#include "intake_lifecycle.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The stream intake writes.
#define INTAKE_STREAM "intake"

//  A set of domains as bits (1 << Caseflow__V1__Domain).
typedef uint32_t intake_domains_t;

//  A value sealed under its resident's key, as the event carried it: an
//  encoded caseflow.v1.Sealed (owned); size 0 when the event had none.
//  Only intake_registry opens it; apply never does.
typedef struct {
    uint8_t *data;
    size_t size;
} intake_sealed_t;

//  A resident of the registry (intake_registry.h): their subject id, the
//  data key intake seals their new events under, every key their events
//  were sealed with (intake's and transit keys adopted), their cases and
//  their erasure.
typedef struct {
    char id [CF_SEAL_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
    char **key_ids;  //  in the order first used
    size_t key_count;
    char **case_ids;  //  in registration order
    size_t case_count;
    int64_t erased_at;  //  0 while not erased
    uint64_t erased_seq;
    bool held;        //  kept past retention until released (ResidentHeld)
    int64_t held_at;  //  when last held (0: never)
} intake_subject_t;

typedef struct {
    int64_t recorded_at;
    int64_t due_at;  //  0: unknown
    Caseflow__V1__Intake__CallbackOutcome outcome;
    intake_sealed_t note;
    char *reminder_id;
} intake_callback_t;

//  A registration or handover that joined an open case.
typedef struct {
    int64_t added_at;
    Caseflow__V1__Channel channel;
    intake_domains_t domains;
    intake_sealed_t personal;  //  the resident's data and the question
    char *referred_by, *handover_id, *provider_id;
} intake_question_t;

typedef struct {
    uint64_t number;
    const char *id;  //  in the case's text block
    Caseflow__V1__CaseStatus status;
    Caseflow__V1__Urgency urgency;
    Caseflow__V1__Channel channel;
    intake_domains_t domains;
    char *location;
    intake_subject_t *subject;  //  the state's
    intake_sealed_t personal;   //  the resident's data and the question
    char **areas;               //  location ids serving the resident's district
    size_t area_count;
    Caseflow__V1__AgeBand age_band;
    char *referred_by, *preferred_worker, *handover_id, *provider_id;
    int64_t registered_at;
    int64_t triaged_at, last_triaged_at;  //  0: not triaged
    int64_t status_changed_at;
    intake_sealed_t triage_reason;
    char *worker_id;  //  "" unless assigned/active
    intake_callback_t *callbacks;
    size_t callback_count;
    uint32_t consecutive_unanswered;
    bool awaiting_retriage;
    char **tracks;  //  track ids, join order
    size_t track_count;
    intake_question_t *questions;
    size_t question_count;
    int64_t closed_at;  //  0 while open
    Caseflow__V1__Intake__Closure closure;
    intake_sealed_t close_reason;
    //  The strings the registration brought, laid out after the case.
    size_t text_size;
    char text [];
} intake_case_t;

typedef struct {
    char *id, *name, *location, *starts_on;
    uint32_t capacity;
    char **case_ids;  //  join order
    size_t case_count;
} intake_track_t;

typedef struct _intake_state_t intake_state_t;

//  A new, empty state (next case number 1). Never NULL.
intake_state_t *
intake_state_new (void);

//  Frees the state and every record; safe on NULL; nulls *self_p.
void
intake_state_destroy (intake_state_t **self_p);

//  Applies one journaled event. Intake's own events (stream "intake")
//  change the state and return 0; an own event that does not fit the
//  state (an unknown case or track, a case id out of order) was decided
//  wrongly: logged and asserted. Upstream events change nothing (intake
//  reacts with its own events): returns 0 for the types intake reacts to,
//  1 for the rest ("not for me"). `event` is borrowed.
int
intake_state_apply (intake_state_t *self, const Caseflow__V1__Event *event);

//  The case with id `case_id`, or NULL (unknown or not a case id).
const intake_case_t *
intake_state_case (const intake_state_t *self, const char *case_id);

//  Cases in id order: the count and the one at `index` (< count).
size_t
intake_state_case_count (const intake_state_t *self);
const intake_case_t *
intake_state_case_at (const intake_state_t *self, size_t index);

//  Index of the first case whose number is greater than `number` (the
//  count when none is).
size_t
intake_state_case_index_after (const intake_state_t *self, uint64_t number);

//  The shard the state is (cf_case_id.h): `shard`, "" (the default, also
//  before any is set) or the part after "intake-" of the stream the
//  service writes, whose case ids the state mints and reads (copied); and
//  the map of the shards' districts (cf_shards.h; the state takes it,
//  NULL: no sharding). Set once, before the first apply.
void
intake_state_set_shard (intake_state_t *self, const char *shard, cf_shards_t **shards_p);
const char *
intake_state_shard (const intake_state_t *self);

//  True when a resident of `district` (may be NULL or "": none, or not
//  readable) is this shard's to take in: always without sharding; else
//  when the map routes the district to this shard's stream.
bool
intake_state_serves (const intake_state_t *self, const char *district);

//  True when intake runs as shards (a map was set).
bool
intake_state_sharded (const intake_state_t *self);

//  The stream of the shard that serves `district` ("intake" without
//  sharding). Borrowed.
const char *
intake_state_route (const intake_state_t *self, const char *district);

//  The number the next registered case gets (1 on an empty state).
uint64_t
intake_state_next_number (const intake_state_t *self);

//  The subject `subject_id`, or NULL.
const intake_subject_t *
intake_state_subject (const intake_state_t *self, const char *subject_id);

//  Subjects: the count, and each in the order they were first seen.
size_t
intake_state_subject_count (const intake_state_t *self);
const intake_subject_t *
intake_state_subject_at (const intake_state_t *self, size_t index);

//  The subject's oldest open case, or NULL.
const intake_case_t *
intake_state_open_case (const intake_state_t *self, const char *subject_id);

//  The locations serving `district` (LocationAdded on the assignment
//  stream), in the order they were added: the count, and the ids in
//  *ids_p (borrowed). 0 for an empty or unknown district.
size_t
intake_state_areas (const intake_state_t *self, const char *district, char *const **ids_p);

//  The intake registry decisions and queries use (not state: apply never
//  touches it). Set once by the owner; NULL until then. Borrowed.
struct _intake_registry_t;
void
intake_state_set_registry (intake_state_t *self, struct _intake_registry_t *registry);
struct _intake_registry_t *
intake_state_registry (const intake_state_t *self);

//  The retention periods decisions use (not state: apply never reads
//  them): cf_retention's defaults until the owner sets the configured
//  ones (copied). Borrowed.
void
intake_state_set_retention (intake_state_t *self, const cf_retention_t *retention);
const cf_retention_t *
intake_state_retention (const intake_state_t *self);

//  The gateway's events intake handled (their InboundOutcome). Borrowed.
const cf_inbound_t *
intake_state_inbound (const intake_state_t *self);

//  True when the handover `handover_id` already became or joined a case.
bool
intake_state_handover_seen (const intake_state_t *self, const char *handover_id);

//  Tracks in id order.
const intake_track_t *
intake_state_track (const intake_state_t *self, const char *track_id);
size_t
intake_state_track_count (const intake_state_t *self);
const intake_track_t *
intake_state_track_at (const intake_state_t *self, size_t index);

//  True when the case joined the track.
bool
intake_case_in_track (const intake_case_t *kase, const char *track_id);

//  Cases with `status` (kept up to date by apply).
uint64_t
intake_state_status_count (const intake_state_t *self, Caseflow__V1__CaseStatus status);

//  Feeds the canonical state (cases in id order, tracks in id order, every
//  field as length-prefixed text) into `hash`.
void
intake_state_digest (const intake_state_t *self, crypto_hash_sha256_state *hash);

//  A resident's state in their retention table (intake_lifecycle.h).
intake_resident_state_t
intake_subject_state (const intake_subject_t *subject);

//  Applies ResidentHeld (`held`) or ResidentReleased `event` to `subject`
//  (intake_state_apply's part for them). Returns 0, or CF_ESTATE when the
//  resident's table has no such move (nothing changed).
int
intake_subject_apply_hold (intake_subject_t *subject, const Caseflow__V1__Event *event, bool held);

//  cf_service_def_t's apply and digest: the calls above, for the runtime
//  (state_new and state_destroy are intake_keys.h's).
int
intake_state_apply_hook (void *state, const Caseflow__V1__Event *event);
void
intake_state_digest_hook (void *state, crypto_hash_sha256_state *hash);

//  Domain sets: the bit of one domain (0 for UNSPECIFIED or unknown
//  values), and the set of a list of domains.
intake_domains_t
intake_domain_bit (int domain);
intake_domains_t
intake_domains_of (const Caseflow__V1__Domain *domains, size_t count);

//  The domains of a set in domain order, into `out` (at least
//  INTAKE_DOMAIN_MAX slots). Returns the count.
#define INTAKE_DOMAIN_MAX 8
size_t
intake_domains_list (intake_domains_t set, Caseflow__V1__Domain *out);

#endif
