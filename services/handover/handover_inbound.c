//  handover_inbound: the gateway's announcements (see handover_inbound.h).
#include "handover_inbound.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"
#include "handover_decide.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

//  The Announce command's refusals name "command.handover.announce.<field>":
//  an announcement's reason names the field alone.
#define S_ANNOUNCE_PREFIX "command.handover.announce."

//  Records the outcome of the gateway's `event`: applied (reason NULL)
//  with `handover_id`, or rejected with `reason`.
static int
s_outcome (cf_decider_t *decider, const Caseflow__V1__Event *event, const char *reason,
           const char *handover_id)
{
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    Caseflow__V1__InboundOutcome body;
    cf_inbound_outcome (&body, event->seq, accepted, reason, NULL, handover_id);
    Caseflow__V1__Event out = CASEFLOW__V1__EVENT__INIT;
    out.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME;
    out.handover_inbound_outcome = &body;
    out.occurred_at = decider->now;
    if (reason)
        cf_log_info ("gateway seq %" PRIu64 " (announcement from %s): rejected: %s", event->seq,
                     accepted->publisher_id, reason);
    else
        cf_log_info ("gateway seq %" PRIu64 " (announcement from %s): handover %s", event->seq,
                     accepted->publisher_id, handover_id);
    return cf_decider_emit (decider, &out);
}

//  Announces the opened `personal` as the Announce command of the
//  publisher would: 0 with the new handover's id in `handover_id`, or 1
//  with the refusal in `reason`; an emit error otherwise.
static int
s_announce (handover_state_t *state, cf_decider_t *decider,
            const Caseflow__V1__Gateway__InboundAccepted *accepted,
            const Caseflow__V1__Personal *personal, char *handover_id, char *reason, size_t size)
{
    const Caseflow__V1__Gateway__Announcement *announcement = accepted->announcement;
    Caseflow__V1__Handover__Announce announce = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    announce.provider_id = accepted->publisher_id;
    announce.resident = personal->resident;
    announce.domains = announcement->domains;
    announce.n_domains = announcement->n_domains;
    announce.support = personal->text;
    announce.preferred_worker = announcement->preferred_worker;
    announce.deadline = announcement->deadline;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    command.announce = &announce;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "");
    cf_decider_t decider_here = *decider;
    decider_here.reply = &reply;
    handover_decide (state, &decider_here, &command);
    int rc = 0;
    Caseflow__V1__Status__Code code = cf_api_reply_code (&reply);
    if (code == CASEFLOW__V1__STATUS__CODE__OK && reply.command && reply.command->handover
        && reply.command->handover->handover)
        snprintf (handover_id, HANDOVER_ID_SIZE, "%s",
                  reply.command->handover->handover->handover_id);
    else if (code == CASEFLOW__V1__STATUS__CODE__OK)
        rc = CF_EUNAVAILABLE;  //  an emit failed: the runtime refuses the batch
    else {
        //  A refusal of the fields, the provider, an open handover, or of
        //  the key store (UNAVAILABLE): recorded as the reason either way.
        const char *field = reply.status->field;
        if (strncmp (field, S_ANNOUNCE_PREFIX, strlen (S_ANNOUNCE_PREFIX)) == 0)
            field += strlen (S_ANNOUNCE_PREFIX);
        snprintf (reason, size, "%s: %s", field, reply.status->message);
        rc = 1;
    }
    cf_api_reply_clear (&reply);
    return rc;
}

//  The announcement of `event` whose key handover would fetch, or NULL:
//  another event, one already handled, or one rejected before any fetch.
static const Caseflow__V1__Gateway__InboundAccepted *
s_to_open (handover_state_t *state, const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED
        || event->inbound_accepted->content_case
               != CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_ANNOUNCEMENT)
        return NULL;
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    if (cf_inbound_seen (state->inbound, accepted->source, accepted->ce_id)
        || accepted->channel != CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER
        || !accepted->personal || !cf_seal_id_valid (accepted->personal->key_id, 'T'))
        return NULL;
    return accepted;
}

//  Fetches the transit key `asked` from the gateway, or takes the one
//  handover_inbound_ready fetched for it (wiped from the state).
static int
s_fetch (handover_state_t *state, const char *asked, char key_id [CF_SEAL_ID_SIZE],
         uint8_t key [CF_SEAL_KEY_BYTES])
{
    int rc;
    if (*state->fetched.asked && strcmp (state->fetched.asked, asked) == 0) {
        rc = state->fetched.rc;
        memcpy (key_id, state->fetched.key_id, CF_SEAL_ID_SIZE);
        memcpy (key, state->fetched.key, CF_SEAL_KEY_BYTES);
    } else
        rc = state->fetch ? state->fetch (state->fetch_ctx, CF_TRANSIT_GATEWAY, asked, key_id, key)
                          : CF_EUNAVAILABLE;
    sodium_memzero (&state->fetched, sizeof state->fetched);
    return rc;
}

bool
handover_inbound_ready (handover_state_t *state, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__InboundAccepted *accepted = s_to_open (state, event);
    if (!accepted || !state->fetch)
        return true;
    sodium_memzero (&state->fetched, sizeof state->fetched);
    int rc = state->fetch (state->fetch_ctx, CF_TRANSIT_GATEWAY, accepted->personal->key_id,
                           state->fetched.key_id, state->fetched.key);
    if (rc == CF_EUNAVAILABLE) {
        sodium_memzero (&state->fetched, sizeof state->fetched);
        cf_log_warn ("gateway seq %" PRIu64 ": the gateway does not hand over the "
                     "announcement's transit key now: taken when it does",
                     event->seq);
        return false;
    }
    snprintf (state->fetched.asked, sizeof state->fetched.asked, "%s", accepted->personal->key_id);
    state->fetched.rc = rc;
    return true;
}

int
handover_inbound_react (handover_state_t *state, cf_decider_t *decider,
                        const Caseflow__V1__Event *event)
{
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED
        || event->inbound_accepted->content_case
               != CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_ANNOUNCEMENT)
        return 0;
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    if (cf_inbound_seen (state->inbound, accepted->source, accepted->ce_id)) {
        cf_log_info ("gateway seq %" PRIu64 ": CloudEvent %s of %s already has its outcome: "
                     "ignored",
                     event->seq, accepted->ce_id, accepted->source);
        return 0;
    }
    if (accepted->channel != CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER)
        return s_outcome (decider, event, "channel: an announcement comes from a care provider",
                          NULL);
    if (!accepted->personal || !cf_seal_id_valid (accepted->personal->key_id, 'T'))
        return s_outcome (decider, event, "resident: required", NULL);
    char key_id [CF_SEAL_ID_SIZE] = "";
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = s_fetch (state, accepted->personal->key_id, key_id, key);
    if (rc == 0 && strcmp (key_id, accepted->personal->key_id) != 0)
        rc = CF_EMISMATCH;
    Caseflow__V1__Personal *personal = NULL;
    if (rc == 0 && cf_seal_open (key, accepted->personal, CF_TRANSIT_FIELD_GATEWAY, &personal))
        rc = CF_ECORRUPT;
    sodium_memzero (key, sizeof key);
    if (rc)
        return s_outcome (decider, event,
                          rc == CF_ECORRUPT || rc == CF_EMISMATCH
                              ? "data: the personal values do not open with the gateway's "
                                "transit key"
                              : "resident: the gateway's transit key could not be had",
                          NULL);
    char handover_id [HANDOVER_ID_SIZE] = "", reason [300] = "";
    rc = s_announce (state, decider, accepted, personal, handover_id, reason, sizeof reason);
    cf_seal_personal_free (personal);
    if (rc < 0) {
        cf_log_error ("gateway seq %" PRIu64 ": the announcement could not be recorded (%s)",
                      event->seq, cf_strerror (rc));
        return rc;
    }
    return s_outcome (decider, event, rc ? reason : NULL, rc ? NULL : handover_id);
}
