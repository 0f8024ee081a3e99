//  intake_inbound: what intake does with the gateway's stream (see
//  intake_inbound.h).
//
//  Every path through a referral or a decision ends in s_outcome, once:
//  the reasons are fixed texts or a field's refusal, never a value.
#include "intake_inbound.h"

#include "cf_error.h"
#include "cf_inbound.h"
#include "cf_log.h"
#include "intake_decide.h"
#include "intake_personal.h"
#include "intake_registry.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

//  Register's refusals name "command.intake.register.<field>": a referral's
//  reason names the field alone.
#define S_REGISTER_PREFIX "command.intake.register."

//  Why nothing was recorded when intake's key store failed.
#define S_STORE_FAILED "intake could not record it (its key store failed): send it again"

//  Records the outcome of the gateway's `event`: applied (reason NULL) with
//  `case_id` (may be NULL), or rejected with `reason`.
static int
s_outcome (cf_decider_t *decider, const Caseflow__V1__Event *event, const char *reason,
           const char *case_id)
{
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    Caseflow__V1__InboundOutcome body;
    cf_inbound_outcome (&body, event->seq, accepted, reason, case_id, NULL);
    Caseflow__V1__Event out = CASEFLOW__V1__EVENT__INIT;
    out.body_case = CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME;
    out.intake_inbound_outcome = &body;
    if (reason)
        cf_log_info ("gateway seq %" PRIu64 " (%s from %s): rejected: %s", event->seq,
                     accepted->type, accepted->publisher_id, reason);
    else
        cf_log_info ("gateway seq %" PRIu64 " (%s from %s): applied%s%s", event->seq,
                     accepted->type, accepted->publisher_id, case_id ? " to case " : "",
                     case_id ? case_id : "");
    return intake_emit (decider, &out, case_id);
}

//  Opens the personal values of `sealed` with the gateway's transit key,
//  fetched: 0 with *personal_p (free with cf_seal_personal_free), the key
//  and its id (zero the key after use); the fetch's error
//  (CF_EUNAVAILABLE, CF_ENOTFOUND, CF_EPROTO); CF_EMISMATCH for another
//  key; CF_ECORRUPT when they do not open.
static int
s_open (intake_state_t *state, const Caseflow__V1__Sealed *sealed, char key_id [CF_SEAL_ID_SIZE],
        uint8_t key [CF_SEAL_KEY_BYTES], Caseflow__V1__Personal **personal_p)
{
    *personal_p = NULL;
    intake_registry_t *registry = intake_state_registry (state);
    int rc = registry
                 ? intake_registry_fetch (registry, CF_TRANSIT_GATEWAY, sealed->key_id, key_id, key)
                 : CF_EUNAVAILABLE;
    if (rc == 0 && strcmp (key_id, sealed->key_id) != 0)
        rc = CF_EMISMATCH;
    if (rc == 0 && cf_seal_open (key, sealed, CF_TRANSIT_FIELD_GATEWAY, personal_p))
        rc = CF_ECORRUPT;
    return rc;
}

//  The referral's channel by its publisher's, or UNSPECIFIED.
static Caseflow__V1__Channel
s_channel (Caseflow__V1__Gateway__PublisherChannel channel)
{
    switch (channel) {
        case CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER:
            return CASEFLOW__V1__CHANNEL__CHANNEL_PARTNER;
        case CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_MUNICIPALITY:
            return CASEFLOW__V1__CHANNEL__CHANNEL_MUNICIPALITY;
        default: return CASEFLOW__V1__CHANNEL__CHANNEL_UNSPECIFIED;
    }
}

//  Checks `command` as Register is checked: true, or false with the
//  refusal in `reason` (the field without Register's prefix).
static bool
s_check (const cf_decider_t *decider, const Caseflow__V1__Intake__Register *command, char *reason,
         size_t size)
{
    Caseflow__V1__Reply scratch = CASEFLOW__V1__REPLY__INIT;
    bool ok = intake_register_check (decider, command, &scratch);
    if (!ok) {
        const char *field = scratch.status->field;
        if (strncmp (field, S_REGISTER_PREFIX, strlen (S_REGISTER_PREFIX)) == 0)
            field += strlen (S_REGISTER_PREFIX);
        snprintf (reason, size, "%s: %s", field, scratch.status->message);
    }
    if (scratch.status)
        caseflow__v1__status__free_unpacked (scratch.status, NULL);
    return ok;
}

//  A referral whose key the gateway could not hand over: its plain part
//  checked (the resident cannot be read yet), registered sealed as it came.
static int
s_referral_sealed (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event,
                   Caseflow__V1__Intake__Register *command, intake_arrival_t *arrival)
{
    //  Stand-ins for what is sealed, so the plain part is checked as any.
    Caseflow__V1__PersonalData unread = CASEFLOW__V1__PERSONAL_DATA__INIT;
    unread.name = "(sealed)";
    command->resident = &unread;
    command->question = "";
    command->reason = command->urgency ? "(sealed)" : "";
    char reason [300];
    if (!s_check (decider, command, reason, sizeof reason))
        return s_outcome (decider, event, reason, NULL);
    const Caseflow__V1__Sealed *sealed = event->inbound_accepted->personal;
    cf_log_warn ("gateway seq %" PRIu64 ": its transit key could not be had: the referral is "
                 "registered with the resident sealed as the gateway sent it, and the key is "
                 "adopted later",
                 event->seq);
    const intake_case_t *kase = NULL;
    int rc = intake_decide_arrival_sealed (state, decider, arrival, sealed, &kase);
    return rc ? s_outcome (decider, event, S_STORE_FAILED, NULL)
              : s_outcome (decider, event, NULL, kase->id);
}

//  True when this shard takes in `resident` (NULL: not read, the default
//  shard's), as cf_shards.h routes: only that shard records an outcome.
static bool
s_mine (const intake_state_t *state, const Caseflow__V1__PersonalData *resident)
{
    return intake_state_serves (state, resident ? resident->district : NULL);
}

static int
s_referral (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    const Caseflow__V1__Gateway__Referral *referral = accepted->referral;
    Caseflow__V1__Intake__Register command = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    command.channel = s_channel (accepted->channel);
    bool readable =
        command.channel && accepted->personal && cf_seal_id_valid (accepted->personal->key_id, 'T');
    if (!readable && !s_mine (state, NULL))
        return 0;
    if (!command.channel)
        return s_outcome (decider, event,
                          "channel: a referral comes from a partner or the municipality", NULL);
    if (!readable)
        return s_outcome (decider, event, "resident: required", NULL);
    command.location = referral->location;
    command.domains = referral->domains;
    command.n_domains = referral->n_domains;
    command.referred_by = accepted->publisher_id;
    command.urgency = referral->urgency;
    intake_arrival_t arrival = {
        .channel = command.channel,
        .location = referral->location,
        .referred_by = accepted->publisher_id,
        .preferred_worker = "",
        .handover_id = "",
        .provider_id = "",
        .urgency = referral->urgency,
    };
    char key_id [CF_SEAL_ID_SIZE] = "";
    uint8_t key [CF_SEAL_KEY_BYTES];
    Caseflow__V1__Personal *personal = NULL;
    int rc = s_open (state, accepted->personal, key_id, key, &personal);
    if (!s_mine (state, rc ? NULL : personal->resident)) {
        cf_seal_personal_free (personal);
        sodium_memzero (key, sizeof key);
        return 0;
    }
    if (rc == CF_EUNAVAILABLE || rc == CF_ENOTFOUND) {
        sodium_memzero (key, sizeof key);
        //  Checked below with stand-ins, so the domains are known here.
        arrival.domains = intake_domains_of (referral->domains, referral->n_domains);
        arrival.reason = "";
        return s_referral_sealed (state, decider, event, &command, &arrival);
    }
    if (rc) {
        sodium_memzero (key, sizeof key);
        return s_outcome (decider, event,
                          "data: the personal values do not open with the gateway's transit key",
                          NULL);
    }
    command.resident = personal->resident;
    command.question = personal->text;
    command.reason = personal->n_texts ? personal->texts [0] : "";
    char reason [300];
    if (!s_check (decider, &command, reason, sizeof reason))
        rc = s_outcome (decider, event, reason, NULL);
    else {
        arrival.resident = personal->resident;
        arrival.domains = intake_domains_of (referral->domains, referral->n_domains);
        arrival.question = command.question;
        arrival.reason = command.reason;
        arrival.transit_key_id = key_id;
        arrival.transit_key = key;
        const intake_case_t *kase = NULL;
        bool joined = false;
        rc = intake_decide_arrival (state, decider, &arrival, &kase, &joined);
        //  A key store that failed refused the registration before anything
        //  was emitted: recorded, so the publisher knows to send it again.
        rc = rc ? s_outcome (decider, event, S_STORE_FAILED, NULL)
                : s_outcome (decider, event, NULL, kase->id);
    }
    cf_seal_personal_free (personal);
    sodium_memzero (key, sizeof key);
    return rc;
}

//  Links an opened decision to `subject`: DecisionLinked (the resident's
//  open case, if any), the gateway's key adopted into the subject's set.
static int
s_link (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event,
        const intake_subject_t *subject, const char *key_id, const uint8_t *key)
{
    const Caseflow__V1__Gateway__Decision *decision = event->inbound_accepted->decision;
    const intake_case_t *open = intake_state_open_case (state, subject->id);
    int rc = intake_registry_adopt (intake_state_registry (state), subject->id, key_id, key);
    if (rc) {
        cf_log_error ("linking a decision: the key store failed (%s)", cf_strerror (rc));
        return s_outcome (decider, event, S_STORE_FAILED, NULL);
    }
    Caseflow__V1__Intake__DecisionLinked body = CASEFLOW__V1__INTAKE__DECISION_LINKED__INIT;
    body.decision_id = decision->decision_id;
    body.law = decision->law;
    body.issued = decision->issued;
    body.subject = (char *) subject->id;
    body.case_id = (char *) (open ? open->id : "");
    body.gateway_seq = event->seq;
    body.transit_key_id = (char *) key_id;
    Caseflow__V1__Event out = CASEFLOW__V1__EVENT__INIT;
    out.body_case = CASEFLOW__V1__EVENT__BODY_DECISION_LINKED;
    out.decision_linked = &body;
    if ((rc = intake_emit (decider, &out, body.case_id)))
        return rc;
    return s_outcome (decider, event, NULL, open ? open->id : NULL);
}

static int
s_decision (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    const Caseflow__V1__Gateway__Decision *decision = accepted->decision;
    bool readable = accepted->personal && cf_seal_id_valid (accepted->personal->key_id, 'T');
    bool known_law = decision->law >= CASEFLOW__V1__GATEWAY__LAW__LAW_WMO
                     && decision->law <= CASEFLOW__V1__GATEWAY__LAW__LAW_OTHER;
    //  Refused before the resident is read: the default shard says so.
    if ((!*decision->decision_id || !known_law || !readable) && !s_mine (state, NULL))
        return 0;
    if (!*decision->decision_id)
        return s_outcome (decider, event, "decision_id: required", NULL);
    if (!known_law)
        return s_outcome (decider, event, "law: unknown law", NULL);
    if (!readable)
        return s_outcome (decider, event, "resident: required (bsn, or name and birth_date)", NULL);
    char key_id [CF_SEAL_ID_SIZE] = "";
    uint8_t key [CF_SEAL_KEY_BYTES];
    Caseflow__V1__Personal *personal = NULL;
    int rc = s_open (state, accepted->personal, key_id, key, &personal);
    const Caseflow__V1__PersonalData *resident = personal ? personal->resident : NULL;
    if (!s_mine (state, rc ? NULL : resident))
        rc = 0;
    else if (rc)
        rc = s_outcome (decider, event,
                        rc == CF_EUNAVAILABLE || rc == CF_ENOTFOUND
                            ? "resident: the gateway's transit key could not be had: not linked"
                            : "data: the personal values do not open with the gateway's "
                              "transit key",
                        NULL);
    else if (!resident || (!*resident->bsn && (!*resident->name || !*resident->birth_date)))
        rc = s_outcome (decider, event, "resident: bsn, or name and birth_date, required", NULL);
    else {
        intake_hashes_t hashes;
        const intake_subject_t *subject = intake_personal_find (state, resident, &hashes);
        sodium_memzero (&hashes, sizeof hashes);
        rc = subject ? s_link (state, decider, event, subject, key_id, key)
                     : s_outcome (decider, event,
                                  "resident: no resident known to intake matches (never "
                                  "registered, or erased)",
                                  NULL);
    }
    cf_seal_personal_free (personal);
    sodium_memzero (key, sizeof key);
    return rc;
}

bool
intake_inbound_ready (intake_state_t *state, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED)
        return true;
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    intake_registry_t *registry = intake_state_registry (state);
    //  Only a decision waits, and only one s_decision will open; unsharded,
    //  a referral is registered sealed meanwhile. Sharded, a referral waits
    //  too: which shard takes it in depends on the district inside, and
    //  every shard must read it alike (cf_shards.h).
    bool referral =
        accepted->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_REFERRAL
        && intake_state_sharded (state);
    bool decision =
        accepted->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION
        && *accepted->decision->decision_id
        && accepted->decision->law >= CASEFLOW__V1__GATEWAY__LAW__LAW_WMO
        && accepted->decision->law <= CASEFLOW__V1__GATEWAY__LAW__LAW_OTHER;
    if ((!referral && !decision) || !registry || !accepted->personal
        || !cf_seal_id_valid (accepted->personal->key_id, 'T')
        || cf_inbound_seen (intake_state_inbound (state), accepted->source, accepted->ce_id))
        return true;
    if (intake_registry_prefetch (registry, CF_TRANSIT_GATEWAY, accepted->personal->key_id)
        != CF_EUNAVAILABLE)
        return true;
    cf_log_warn ("gateway seq %" PRIu64 ": the gateway does not hand over the %s's "
                 "transit key now: %s when it does",
                 event->seq, referral ? "referral" : "decision", referral ? "taken in" : "linked");
    return false;
}

int
intake_inbound_react (intake_state_t *state, cf_decider_t *decider,
                      const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED)
        return 0;
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    bool referral =
        accepted->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_REFERRAL;
    bool decision =
        accepted->content_case == CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION;
    if (!referral && !decision)
        return 0;  //  an announcement (handover's) or a call (the figures')
    if (cf_inbound_seen (intake_state_inbound (state), accepted->source, accepted->ce_id)) {
        cf_log_info ("gateway seq %" PRIu64 ": CloudEvent %s of %s already has its outcome: "
                     "ignored",
                     event->seq, accepted->ce_id, accepted->source);
        return 0;
    }
    return referral ? s_referral (state, decider, event) : s_decision (state, decider, event);
}
