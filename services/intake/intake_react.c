//  intake_react: intake's reactions to upstream events (see
//  intake_react.h).
//
//  "Exactly once" has two guards: the runtime delivers each upstream seq
//  once (the cursor is committed with the events decided here), and a
//  handover id that already became or joined a case is never taken again,
//  should the producer ever publish a second completion of it.
//
//  A completion carries the resident sealed under the handover's transit
//  key. Intake fetches the key from handover's api (intake_registry_fetch:
//  a bounded wait on the loop thread, cf_transit.h), opens the
//  resident and takes them in as any arrival, adopting the key. When
//  handover cannot hand the key over, the case is not lost: it is
//  registered with the value as it came, and the key is adopted later
//  (intake_keys.h). A completion with the resident in plain comes from a
//  handover older than this release and is taken in as before.
#include "intake_react.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_words.h"
#include "intake_erase.h"
#include "intake_inbound.h"
#include "intake_lifecycle.h"
#include "intake_personal.h"
#include "intake_registry.h"

#include <assert.h>
#include <sodium.h>
#include <string.h>

//  The case an upstream event names: the body's case id, else the envelope's.
static const intake_case_t *
s_open_case (const intake_state_t *state, const Caseflow__V1__Event *event,
             const char *body_case_id)
{
    const char *case_id = body_case_id && *body_case_id ? body_case_id : event->case_id;
    const intake_case_t *kase = intake_state_case (state, case_id);
    if (!kase || !intake_lifecycle_is_open (kase->status)) {
        cf_log_debug ("%s seq %llu: case %s is %s: ignored", event->stream,
                      (unsigned long long) event->seq, case_id ? case_id : "",
                      kase ? "closed" : "unknown");
        return NULL;
    }
    return kase;
}

//  Takes in the resident of a sealed completion: with the transit key
//  fetched, opened and adopted; else as it came, the key pending.
static int
s_handover_sealed (intake_state_t *state, cf_decider_t *decider, intake_arrival_t *arrival,
                   const Caseflow__V1__Sealed *sealed, const intake_case_t **case_p, bool *joined_p)
{
    intake_registry_t *registry = intake_state_registry (state);
    char key_id [CF_SEAL_ID_SIZE] = "";
    uint8_t key [CF_SEAL_KEY_BYTES];
    Caseflow__V1__Personal *personal = NULL;
    int rc = registry ? intake_registry_fetch (registry, CF_TRANSIT_HANDOVER, arrival->handover_id,
                                               key_id, key)
                      : CF_EUNAVAILABLE;
    if (rc == 0 && strcmp (key_id, sealed->key_id) != 0)
        rc = CF_EMISMATCH;
    if (rc == 0 && cf_seal_open (key, sealed, INTAKE_FIELD_HANDOVER, &personal))
        rc = CF_ECORRUPT;
    if (rc == 0 && (!personal->resident || !*personal->resident->name)) {
        cf_log_warn ("handover %s: its completion has no resident name: ignored",
                     arrival->handover_id);
        cf_seal_personal_free (personal);
        sodium_memzero (key, sizeof key);
        return 0;
    }
    if (rc == 0 && !intake_state_serves (state, personal->resident->district)) {
        cf_log_debug ("handover %s: the resident's district is %s's: not taken in here",
                      arrival->handover_id,
                      intake_state_route (state, personal->resident->district));
        cf_seal_personal_free (personal);
        sodium_memzero (key, sizeof key);
        return 0;
    }
    //  Unread, the resident is the default shard's (cf_shards.h).
    if (rc != 0 && !intake_state_serves (state, NULL)) {
        cf_log_debug ("handover %s: its resident cannot be read here: the default shard takes "
                      "them in",
                      arrival->handover_id);
        sodium_memzero (key, sizeof key);
        return 0;
    }
    if (rc == 0) {
        arrival->resident = personal->resident;
        arrival->question = personal->text;
        arrival->transit_key_id = key_id;
        arrival->transit_key = key;
        rc = intake_decide_arrival (state, decider, arrival, case_p, joined_p);
    } else {
        cf_log_warn ("handover %s: its transit key could not be had (%s): the case is "
                     "registered with the resident sealed as handover sent it, and the key is "
                     "adopted later",
                     arrival->handover_id, cf_strerror (rc));
        *joined_p = false;
        rc = intake_decide_arrival_sealed (state, decider, arrival, sealed, case_p);
    }
    cf_seal_personal_free (personal);
    sodium_memzero (key, sizeof key);
    return rc;
}

static int
s_handover_completed (intake_state_t *state, cf_decider_t *decider,
                      const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
    if (body->next_step != CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE) {
        cf_log_debug ("handover %s does not continue here: no case", body->handover_id);
        return 0;
    }
    bool sealed = body->personal && cf_seal_id_valid (body->personal->key_id, 'T');
    if (!*body->handover_id || (!sealed && (!body->resident || !*body->resident->name))) {
        cf_log_warn ("handover seq %llu: completion without a handover id or resident "
                     "name: ignored",
                     (unsigned long long) event->seq);
        return 0;
    }
    if (intake_state_handover_seen (state, body->handover_id)) {
        cf_log_debug ("handover %s already became a case: ignored", body->handover_id);
        return 0;
    }
    intake_domains_t domains = intake_domains_of (body->domains, body->n_domains);
    if (!domains)
        domains = intake_domain_bit (CASEFLOW__V1__DOMAIN__DOMAIN_OTHER);
    //  The handover's urgency, triaged at once; a handover without one waits.
    Caseflow__V1__Urgency urgency = body->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                        ? CASEFLOW__V1__URGENCY__URGENCY_URGENT
                                        : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    intake_arrival_t arrival = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER,
        .location = "",
        .resident = body->resident,
        .domains = domains,
        .question = body->support,
        .referred_by = body->provider_id,
        .preferred_worker = body->preferred_worker,
        .handover_id = body->handover_id,
        .provider_id = body->provider_id,
        .urgency = urgency,
        .reason = "handover",
    };
    const intake_case_t *kase = NULL;
    bool joined = false;
    int rc = 0;
    if (sealed)
        rc = s_handover_sealed (state, decider, &arrival, body->personal, &kase, &joined);
    else if (intake_state_serves (state, body->resident->district))
        rc = intake_decide_arrival (state, decider, &arrival, &kase, &joined);
    if (rc == 0 && kase)
        cf_decider_log (decider, "handover %s %s case %s", body->handover_id,
                        joined ? "joined open" : "became", kase->id);
    return rc;
}

static int
s_emit_status (cf_decider_t *decider, const intake_case_t *kase, Caseflow__V1__CaseStatus to,
               const char *worker_id)
{
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = (char *) kase->id;
    body.status = to;
    body.previous = kase->status;
    body.worker_id = (char *) worker_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    return intake_emit (decider, &event, kase->id);
}

//  Follows an assignment fact, `action`, with `worker_id` ("" when the case
//  has no worker any more), where the table allows it.
static int
s_follow (cf_decider_t *decider, const Caseflow__V1__Event *event, const intake_case_t *kase,
          intake_action_t action, const char *worker_id)
{
    Caseflow__V1__CaseStatus to;
    if (intake_lifecycle_next (kase->status, action, &to)) {
        char refusal [256];
        cf_log_warn (
            "%s seq %llu: %s: ignored", event->stream, (unsigned long long) event->seq,
            intake_lifecycle_refusal (kase->id, kase->status, action, refusal, sizeof refusal));
        return 0;
    }
    if (kase->status == to && strcmp (kase->worker_id, worker_id) == 0)
        return 0;  //  nothing changes: a repeat of what intake already shows
    int rc = s_emit_status (decider, kase, to, worker_id);
    if (rc == 0)
        cf_decider_log (decider, "case %s is %s", kase->id,
                        cf_words_name (&cf_words_case_status, to));
    return rc;
}

static int
s_case_completed (const intake_state_t *state, cf_decider_t *decider, const intake_case_t *kase,
                  const Caseflow__V1__Assignment__CaseCompleted *body)
{
    //  Completion closes from every open status (the table's row).
    int rc = intake_lifecycle_next (kase->status, INTAKE_COMPLETED, NULL);
    assert (rc == 0);
    Caseflow__V1__Intake__CaseClosed closed = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    closed.case_id = (char *) kase->id;
    closed.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED;
    cf_sealed_t reason;
    closed.personal = intake_personal_seal_text (
        state, kase, INTAKE_FIELD_CLOSED, *body->outcome ? body->outcome : "completed", &reason);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &closed;
    rc = intake_emit (decider, &event, kase->id);
    cf_sealed_release (&reason);
    if (rc == 0)
        cf_decider_log (decider, "case %s closed (completed)", kase->id);
    return rc;
}

void
intake_react (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event)
{
    const intake_case_t *kase;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            s_handover_completed (state, decider, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
            kase = s_open_case (state, event, event->case_assigned->case_id);
            if (kase)
                s_follow (decider, event, kase, INTAKE_ASSIGNED, event->case_assigned->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STARTED:
            kase = s_open_case (state, event, event->case_started->case_id);
            if (kase)
                s_follow (decider, event, kase, INTAKE_STARTED,
                          *event->case_started->worker_id ? event->case_started->worker_id
                                                          : kase->worker_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            kase = s_open_case (state, event, event->case_unassigned->case_id);
            if (kase)
                s_follow (decider, event, kase, intake_lifecycle_unassigned_action (kase->urgency),
                          "");
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED:
            kase = s_open_case (state, event, event->case_completed->case_id);
            if (kase)
                s_case_completed (state, decider, kase, event->case_completed);
            break;
        case CASEFLOW__V1__EVENT__BODY_RETENTION_DUE:
            intake_erase_when_due (state, decider, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED:
            intake_inbound_react (state, decider, event);
            break;
        default: break;
    }
}

//  Sharded, a completion that continues here waits while handover does not
//  answer for its transit key: which shard takes the resident in depends
//  on the district inside, and every shard must read it alike
//  (cf_shards.h). Unsharded it is registered sealed meanwhile.
static bool
s_handover_ready (intake_state_t *state, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED
        || !intake_state_sharded (state))
        return true;
    const Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
    intake_registry_t *registry = intake_state_registry (state);
    if (body->next_step != CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE
        || !*body->handover_id || !registry || !body->personal
        || !cf_seal_id_valid (body->personal->key_id, 'T')
        || intake_state_handover_seen (state, body->handover_id))
        return true;
    if (intake_registry_prefetch (registry, CF_TRANSIT_HANDOVER, body->handover_id)
        != CF_EUNAVAILABLE)
        return true;
    cf_log_warn ("handover %s: handover does not hand over its transit key now: taken in when "
                 "it does",
                 body->handover_id);
    return false;
}

bool
intake_upstream_ready_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    (void) service;
    return intake_inbound_ready (state, event) && s_handover_ready (state, event);
}

void
intake_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    intake_react (state, &decider, event);
}
