//  chaos_inbound: what the publishers' CloudEvents became downstream in a
//  chaos run. Intake and handover follow the gateway's stream through
//  every kill (theirs, the gateway's, the others'); once the services
//  settled, each event a publisher got a 202 for must have been applied
//  exactly once by the service it is for:
//
//  - a referral: one InboundOutcome in intake's stream, applied, naming a
//    case; exactly one CaseRegistered caused by the referral's
//    InboundAccepted, for that case, with the partner's channel, referred
//    by the publisher; no two referrals the same case;
//  - an announcement: one InboundOutcome in handover's stream, applied,
//    naming a handover; exactly one HandoverAnnounced caused by it, for
//    that handover (the provider is added before the load);
//  - a decision: one InboundOutcome in intake's stream: applied (linked
//    to the resident's case when intake had one then), or rejected because
//    it came before its resident's referral, never for any other reason
//    (a gateway down while intake needed its key is no reason: intake
//    waits for it);
//  - a call: none (the figures fold calls; no service records an outcome).
//
//  The publisher then asks `GET /events/{source}/{id}` with its own token,
//  as cloudevents.md tells it to, for every one of its events: the state
//  and the case or handover must be what the streams say. An outcome for
//  an event no publisher got a 202 for, or two, is counted as well. The
//  cases and handovers found here are handed to chaos_check_state, which
//  otherwise knows only those the generator's commands made.
#include "chaos_load.h"

#include "cf_testhttp.h"

#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OK CASEFLOW__V1__STATUS__CODE__OK

//  One CloudEvent (source, id) as the streams have it.
typedef struct {
    char accepted_id [32];  //  the id of its InboundAccepted in the gateway's stream
    size_t outcomes;        //  InboundOutcome of intake and handover
    bool applied;
    int stream;  //  whose outcome (the last)
    char case_id [24];
    char handover_id [24];
    char reason [160];     //  why it was rejected
    size_t registrations;  //  CaseRegistered / HandoverAnnounced caused by it
    char made [24];        //  the case or handover that registration made
    int channel;           //  the registration's channel and referrer
    char referred_by [32];
    bool claimed;  //  a publisher got a 202 for it
} s_fate_t;

typedef struct {
    chaos_faults_t *faults;
    zhashx_t *fates;     //  "source id" -> s_fate_t
    zhashx_t *accepted;  //  InboundAccepted event id -> its s_fate_t (borrowed)
    int stream;
} s_inbound_t;

static s_fate_t *
s_fate (s_inbound_t *self, const char *source, const char *id)
{
    char key [400];
    snprintf (key, sizeof key, "%s %s", source, id);
    s_fate_t *fate = zhashx_lookup (self->fates, key);
    if (!fate) {
        fate = calloc (1, sizeof *fate);
        assert (fate);
        zhashx_insert (self->fates, key, fate);
    }
    return fate;
}

//  The gateway's stream: which InboundAccepted is which CloudEvent.
static void
s_gateway_event (void *ctx, const Caseflow__V1__Event *event)
{
    s_inbound_t *self = ctx;
    if (event->body_case != CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED)
        return;
    const Caseflow__V1__Gateway__InboundAccepted *accepted = event->inbound_accepted;
    s_fate_t *fate = s_fate (self, accepted->source, accepted->ce_id);
    snprintf (fate->accepted_id, sizeof fate->accepted_id, "%s", event->id);
    zhashx_update (self->accepted, event->id, fate);
}

//  A registration (intake) or announcement (handover) caused by an
//  InboundAccepted.
static s_fate_t *
s_made (s_inbound_t *self, const Caseflow__V1__Event *event, const char *made)
{
    s_fate_t *fate = zhashx_lookup (self->accepted, event->causation_id);
    if (!fate)
        return NULL;
    fate->registrations++;
    snprintf (fate->made, sizeof fate->made, "%s", made);
    return fate;
}

//  Intake's and handover's streams: outcomes and what they made.
static void
s_consumer_event (void *ctx, const Caseflow__V1__Event *event)
{
    s_inbound_t *self = ctx;
    const Caseflow__V1__InboundOutcome *outcome = NULL;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME:
            outcome = event->intake_inbound_outcome;
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME:
            outcome = event->handover_inbound_outcome;
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED: {
            const Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
            s_fate_t *fate = s_made (self, event, body->case_id);
            if (fate) {
                fate->channel = (int) body->channel;
                snprintf (fate->referred_by, sizeof fate->referred_by, "%s", body->referred_by);
            }
            return;
        }
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            s_made (self, event, event->handover_announced->handover_id);
            return;
        default: return;
    }
    s_fate_t *fate = s_fate (self, outcome->source, outcome->ce_id);
    fate->outcomes++;
    fate->applied = outcome->applied;
    fate->stream = self->stream;
    snprintf (fate->case_id, sizeof fate->case_id, "%s", outcome->case_id);
    snprintf (fate->handover_id, sizeof fate->handover_id, "%s", outcome->handover_id);
    snprintf (fate->reason, sizeof fate->reason, "%s", outcome->reason);
}

//  ------------------------------------------------------ one publisher

typedef struct {
    size_t acked, applied, once, duplicates, linked, unmatched, agreed;
} s_tally_t;

//  The one reason a decision of the run may be rejected for: it came
//  before the referral of its resident. A transit key that "could not be
//  had" while the gateway was down is a lost decision.
#define S_UNMATCHED "resident: no resident known to intake matches"

//  What `GET /events/{source}/{id}` says of one event, against `fate`:
//  true when the state and the case or handover agree.
static bool
s_asked (cf_testhttp_t *http, const cf_testpublisher_t *publisher, const char *id,
         const s_fate_t *fate, chaos_faults_t *faults)
{
    //  The source's ':' may stand as it is in a path segment (RFC 3986).
    char path [400];
    snprintf (path, sizeof path, "/events/%s/%s", publisher->source, id);
    int status = cf_testhttp_request (http, "GET", path, publisher->auth, NULL, 0);
    json_t *root = status == 200 ? json_loads (cf_testhttp_body (http), 0, NULL) : NULL;
    const char *state = json_string_value (json_object_get (root, "state"));
    const char *case_id = json_string_value (json_object_get (root, "case_id"));
    const char *handover_id = json_string_value (json_object_get (root, "handover_id"));
    const char *want = !fate->outcomes ? "accepted" : fate->applied ? "applied" : "rejected";
    bool agreed = state && strcmp (state, want) == 0
                  && strcmp (case_id ? case_id : "", fate->case_id) == 0
                  && strcmp (handover_id ? handover_id : "", fate->handover_id) == 0;
    if (!agreed)
        chaos_report (faults, &faults->mismatched,
                      "gateway: GET %s answered %d %.200s; the streams say %s, case \"%s\", "
                      "handover \"%s\"",
                      path, status, cf_testhttp_body (http), want, fate->case_id,
                      fate->handover_id);
    json_decref (root);
    return agreed;
}

//  Checks each event of `publisher` answered 202 against its fate.
static void
s_check_publisher (s_inbound_t *self, chaos_model_t *model, cf_testhttp_t *http,
                   const cf_testpublisher_t *publisher, const bool *acked, size_t distinct,
                   s_tally_t *tally)
{
    chaos_faults_t *faults = self->faults;
    bool referral = publisher->kind == CF_TESTPUBLISHER_REFERRAL;
    bool makes = referral || publisher->kind == CF_TESTPUBLISHER_ANNOUNCEMENT;
    int stream = publisher->kind == CF_TESTPUBLISHER_ANNOUNCEMENT ? CHAOS_HANDOVER : CHAOS_INTAKE;
    size_t want = publisher->kind == CF_TESTPUBLISHER_CALL ? 0 : 1;
    zhashx_t *made_set = referral ? model->inbound_cases : model->inbound_handovers;
    for (uint64_t n = 0; n < distinct; n++) {
        if (!acked [n])
            continue;
        tally->acked++;
        char id [32];
        cf_testpublisher_event_id (n, id, sizeof id);
        s_fate_t *fate = s_fate (self, publisher->source, id);
        fate->claimed = true;
        bool once = fate->outcomes == want && (!want || fate->stream == stream);
        if (!once)
            chaos_report (faults,
                          fate->outcomes > want   ? &faults->duplicated
                          : fate->outcomes < want ? &faults->lost
                                                  : &faults->mismatched,
                          "%s's event (%s, %s) has %zu outcomes (the last from %s), expected "
                          "%zu from %s",
                          publisher->id, publisher->source, id, fate->outcomes,
                          fate->outcomes ? chaos_service_name (fate->stream) : "none", want,
                          chaos_service_name (stream));
        tally->duplicates += fate->outcomes > want;
        tally->applied += fate->outcomes && fate->applied;
        tally->linked += *fate->case_id != 0;
        if (makes) {
            //  Applied, naming what exactly one registration caused by
            //  the event made.
            const char *named = referral ? fate->case_id : fate->handover_id;
            bool made = fate->applied && fate->registrations == 1 && *named
                        && strcmp (named, fate->made) == 0;
            if (!made)
                chaos_report (faults,
                              fate->registrations > 1 ? &faults->duplicated
                              : !fate->registrations  ? &faults->lost
                                                      : &faults->mismatched,
                              "%s: %s's event (%s, %s): applied %d naming \"%s\", %zu "
                              "registrations caused by it (the last \"%s\")",
                              chaos_service_name (stream), publisher->id, publisher->source, id,
                              fate->applied, named, fate->registrations, fate->made);
            //  The case as the publisher made it: its channel, referred
            //  by the publisher.
            if (referral && made
                && (fate->channel != CASEFLOW__V1__CHANNEL__CHANNEL_PARTNER
                    || strcmp (fate->referred_by, publisher->id) != 0)) {
                made = false;
                chaos_report (faults, &faults->mismatched,
                              "intake: case %s of %s's referral %s has channel %d, referred by "
                              "\"%s\"",
                              fate->made, publisher->id, id, fate->channel, fate->referred_by);
            }
            tally->duplicates += fate->registrations > 1;
            once = once && made;
            //  One referral, one case; one announcement, one handover.
            if (*fate->made && zhashx_insert (made_set, fate->made, (void *) 1) != 0) {
                tally->duplicates++;
                chaos_report (faults, &faults->duplicated, "%s: %s was made by two of %s's events",
                              chaos_service_name (stream), fate->made, publisher->id);
            }
        }
        if (publisher->kind == CF_TESTPUBLISHER_DECISION && fate->outcomes && !fate->applied) {
            bool unmatched = strncmp (fate->reason, S_UNMATCHED, strlen (S_UNMATCHED)) == 0;
            tally->unmatched += unmatched;
            if (!unmatched) {
                once = false;
                chaos_report (faults, &faults->lost, "intake: %s's decision (%s, %s) rejected: %s",
                              publisher->id, publisher->source, id, fate->reason);
            }
        }
        tally->once += once;
        tally->agreed += s_asked (http, publisher, id, fate, faults);
    }
}

void
chaos_inbound_check (chaos_ingress_t *ingress, chaos_procs_t *procs, chaos_model_t *model,
                     chaos_faults_t *faults, chaos_gateway_figures_t *figures)
{
    s_inbound_t self = { .faults = faults, .fates = zhashx_new (), .accepted = zhashx_new () };
    assert (self.fates && self.accepted);
    zhashx_set_destructor (self.fates, chaos_item_free);
    chaos_replay (procs->proc [CHAOS_GATEWAY].api, "gateway", s_gateway_event, &self, faults);
    int consumers [2] = { CHAOS_INTAKE, CHAOS_HANDOVER };
    for (int c = 0; c < 2; c++) {
        self.stream = consumers [c];
        chaos_replay (procs->proc [self.stream].api, chaos_service_name (self.stream),
                      s_consumer_event, &self, faults);
    }
    s_tally_t tallies [CF_TESTPUBLISHER_KINDS] = { { 0 } };
    for (int kind = 0; kind < CF_TESTPUBLISHER_KINDS; kind++) {
        const bool *acked = NULL;
        size_t distinct = 0;
        const cf_testpublisher_t *publisher =
            chaos_ingress_publisher (ingress, kind, &acked, &distinct);
        cf_testhttp_t *http = cf_testhttp_new (procs->proc [CHAOS_GATEWAY].http_port, 10000);
        s_check_publisher (&self, model, http, publisher, acked, distinct, &tallies [kind]);
        cf_testhttp_destroy (&http);
    }
    //  Outcomes left are for events no publisher got a 202 for.
    size_t strays = 0;
    for (s_fate_t *fate = zhashx_first (self.fates); fate; fate = zhashx_next (self.fates))
        if (fate->outcomes && !fate->claimed) {
            strays++;
            chaos_report (faults, &faults->mismatched,
                          "%s: an outcome for %s, which no publisher got a 202 for",
                          chaos_service_name (fate->stream),
                          (const char *) zhashx_cursor (self.fates));
        }
    const s_tally_t *referrals = &tallies [CF_TESTPUBLISHER_REFERRAL];
    const s_tally_t *announcements = &tallies [CF_TESTPUBLISHER_ANNOUNCEMENT];
    const s_tally_t *decisions = &tallies [CF_TESTPUBLISHER_DECISION];
    const s_tally_t *calls = &tallies [CF_TESTPUBLISHER_CALL];
    printf ("chaos: gateway downstream: referrals 202'd %zu, applied once %zu (%zu cases), "
            "duplicates %zu; announcements 202'd %zu, applied once %zu (%zu handovers), "
            "duplicates %zu; decisions 202'd %zu, one outcome each %zu (%zu linked to a case, %zu "
            "before their resident's referral); "
            "calls 202'd %zu, outcomes none %zu; outcomes for nothing sent %zu; GET /events "
            "agreed %zu of %zu\n",
            referrals->acked, referrals->once, zhashx_size (model->inbound_cases),
            referrals->duplicates, announcements->acked, announcements->once,
            zhashx_size (model->inbound_handovers), announcements->duplicates, decisions->acked,
            decisions->once, decisions->linked, decisions->unmatched, calls->acked, calls->once,
            strays, referrals->agreed + announcements->agreed + decisions->agreed + calls->agreed,
            referrals->acked + announcements->acked + decisions->acked + calls->acked);
    fflush (stdout);
    figures->referrals = referrals->acked;
    figures->referrals_once = referrals->once;
    figures->announcements = announcements->acked;
    figures->announcements_once = announcements->once;
    figures->duplicates = referrals->duplicates + announcements->duplicates + decisions->duplicates
                          + calls->duplicates;
    zhashx_destroy (&self.accepted);
    zhashx_destroy (&self.fates);
}
