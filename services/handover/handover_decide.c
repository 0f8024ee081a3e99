//  handover_decide: one handler per command (validate, emit, answer).
//
//  Checks run in a fixed order: the fields (INVALID_ARGUMENT), then the
//  entities they name (NOT_FOUND), then conflicts and the lifecycle
//  (CONFLICT, FAILED_PRECONDITION). The lifecycle question is always put
//  to handover_lifecycle, never answered here.
//
//  Every personal value an event carries is sealed under the handover's
//  transit key before anything is emitted (handover_transit.h): the
//  resident and the support at announcement, the meeting's location and
//  participants, the decision's note, the documents' titles, the reason of
//  a cancellation, and for the completion all of the resident's, opened
//  and sealed again for intake. A key store that fails is UNAVAILABLE
//  (nothing emitted, not remembered: a retry may succeed).
#include "handover_decide.h"
#include "handover_lifecycle.h"
#include "handover_query.h"
#include "handover_transit.h"
#include "handover_validate.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PREFIX "command.handover."

//  One command's decision: the state, and the decider's clock and reply
//  at hand.
typedef struct {
    handover_state_t *state;
    int64_t now;
    Caseflow__V1__Reply *reply;
    cf_decider_t *decider;
} s_decision_t;

static int
s_emit (s_decision_t *self, Caseflow__V1__Event *event)
{
    event->occurred_at = self->now;
    return cf_decider_emit (self->decider, event);
}

//  ------------------------------------------------------------- replies

static Caseflow__V1__Handover__CommandResult *
s_result (s_decision_t *self)
{
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (self->reply);
    if (!outer->handover) {
        Caseflow__V1__Handover__CommandResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__handover__command_result__init (result);
        outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_HANDOVER;
        outer->handover = result;
    }
    return outer->handover;
}

//  The handover after the command, without its personal data: a command's
//  reply is stored in the journal's store for retries, outside the key
//  store, so it must hold nothing an erasure could not reach. The caller
//  sent the personal data itself; GetHandover shows it.
static void
s_reply_handover (s_decision_t *self, const handover_t *handover)
{
    Caseflow__V1__Handover__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_HANDOVER;
    result->handover = handover_query_view (self->state, handover, self->now, false);
}

//  --------------------------------------------------------- common checks

//  The handover `id` names, if `action` may be taken on it now; else NULL
//  with the reply's status set.
static handover_t *
s_find_for (s_decision_t *self, const char *id, handover_action_t action, const char *command)
{
    char field [96];
    snprintf (field, sizeof field, S_PREFIX "%s.handover_id", command);
    if (!cf_id_check (self->reply, field, id, true))
        return NULL;
    handover_t *handover = handover_state_find (self->state, id);
    if (!handover) {
        //  A well-formed id is safe to echo: it is an id, never personal data.
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                             "no handover %s", id);
        return NULL;
    }
    if (handover_lifecycle_check (handover, action, NULL, self->reply, field))
        return NULL;
    return handover;
}

static int
s_check_deadline (s_decision_t *self, int64_t deadline, const char *command)
{
    if (deadline >= 0)
        return 0;
    char field [96];
    snprintf (field, sizeof field, S_PREFIX "%s.deadline", command);
    return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field,
                                "deadline must not be negative (0 means the cohort deadline)");
}

//  Seals `personal` for `field` under `handover_id`'s transit key `key_id`
//  into *out (release it with cf_sealed_release either way). Returns 0, or
//  refuses the reply UNAVAILABLE when the key store cannot (logged).
static int
s_seal (s_decision_t *self, const char *handover_id, const char *key_id, const char *field,
        const Caseflow__V1__Personal *personal, cf_sealed_t *out)
{
    memset (out, 0, sizeof *out);
    int rc = self->state->transit
                 ? handover_transit_seal (self->state->transit, key_id, field, personal, out)
                 : CF_EUNAVAILABLE;
    if (rc == 0)
        return 0;
    cf_log_error ("handover %s: sealing %s failed: %s", handover_id, field, cf_strerror (rc));
    return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                                "command.handover",
                                "the key store cannot seal for handover %s (%s): nothing recorded",
                                handover_id, cf_strerror (rc));
}

//  Seals one text (none: *sealed_p NULL, nothing sealed).
static int
s_seal_text (s_decision_t *self, const handover_t *handover, const char *field, const char *text,
             cf_sealed_t *out, Caseflow__V1__Sealed **sealed_p)
{
    memset (out, 0, sizeof *out);
    *sealed_p = NULL;
    if (!text || !*text)
        return 0;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = (char *) text;
    if (s_seal (self, handover->id, handover->transit_key_id, field, &personal, out))
        return -1;
    *sealed_p = &out->message;
    return 0;
}

//  Refuses a resident who already has an open handover (one joint look
//  per resident at a time). `hex` is the resident's hash ("": not
//  identifiable, never refused).
static int
s_check_open_resident (s_decision_t *self, const char *hex, const char *field)
{
    handover_t *open = NULL;
    if (self->state->transit) {
        handover_transit_index_build (self->state->transit, self->state);
        open = handover_transit_find_open (self->state->transit, self->state, hex);
    }
    if (!open)
        return 0;
    return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__CONFLICT, field,
                                "the resident already has an open handover %s", open->id);
}

static handover_provider_t *
s_find_provider (s_decision_t *self, const char *id, const char *command)
{
    handover_provider_t *provider = handover_state_provider (self->state, id);
    if (!provider) {
        char field [96];
        snprintf (field, sizeof field, S_PREFIX "%s.provider_id", command);
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                             "no provider %s", id);
    }
    return provider;
}

//  ------------------------------------------------------------- providers

static void
s_add_provider (s_decision_t *self, const Caseflow__V1__Handover__AddProvider *command)
{
    const char *prefix = S_PREFIX "add_provider";
    if (handover_check_id (command->provider_id, true, prefix, "provider_id", self->reply)
        || handover_check_text (command->name, true, HANDOVER_MAX_NAME, false, prefix, "name",
                                self->reply))
        return;
    if (handover_state_provider (self->state, command->provider_id)) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__CONFLICT,
                             S_PREFIX "add_provider.provider_id", "provider %s already exists",
                             command->provider_id);
        return;
    }
    Caseflow__V1__Handover__ProviderAdded body = CASEFLOW__V1__HANDOVER__PROVIDER_ADDED__INIT;
    body.provider_id = command->provider_id;
    body.name = command->name;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED;
    event.provider_added = &body;
    if (s_emit (self, &event))
        return;
    cf_decider_log (self->decider, "provider %s added", command->provider_id);
    Caseflow__V1__Handover__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_PROVIDER;
    result->provider =
        handover_state_provider_view (handover_state_provider (self->state, command->provider_id));
}

//  ---------------------------------------------------------- announcement

//  What one announced resident needs; shared by announce and caseload.
typedef struct {
    const Caseflow__V1__PersonalData *resident;
    const Caseflow__V1__Domain *domains;
    size_t domain_count;
    const char *support;
    Caseflow__V1__Urgency urgency;
} s_resident_t;

static int
s_check_resident (s_decision_t *self, const s_resident_t *resident, const char *prefix)
{
    char today [32];
    cf_time_format_date (self->now, today, sizeof today);
    return handover_check_resident (resident->resident, prefix, today, self->reply)
           || handover_check_domains (resident->domains, resident->domain_count, prefix,
                                      self->reply)
           || handover_check_text (resident->support, false, HANDOVER_MAX_TEXT, true, prefix,
                                   "support", self->reply)
           || handover_check_urgency (resident->urgency, prefix, self->reply);
}

//  One announcement made ready to emit: the resident's transit key made
//  and the resident and support sealed under it.
typedef struct {
    char key_id [CF_SEAL_ID_SIZE];
    cf_sealed_t sealed;
} s_prepared_t;

//  Makes the transit key of a new handover and seals `resident` under it
//  into *out (release out->sealed). Returns 0, or refuses UNAVAILABLE.
static int
s_prepare (s_decision_t *self, const s_resident_t *resident, s_prepared_t *out)
{
    memset (out, 0, sizeof *out);
    char id [HANDOVER_ID_SIZE];
    handover_state_next_id (self->state, id);
    int rc = self->state->transit ? handover_transit_make_key (self->state->transit, out->key_id)
                                  : CF_EUNAVAILABLE;
    if (rc) {
        cf_log_error ("making a transit key failed: %s", cf_strerror (rc));
        return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                                    "command.handover",
                                    "the key store cannot make a transit key (%s): nothing "
                                    "recorded",
                                    cf_strerror (rc));
    }
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = (Caseflow__V1__PersonalData *) resident->resident;
    personal.text = (char *) resident->support;
    return s_seal (self, id, out->key_id, HANDOVER_FIELD_ANNOUNCED, &personal, &out->sealed);
}

//  Emits one HandoverAnnounced with the prepared sealed resident; returns
//  the new handover or NULL when the emit failed. The resident's hash
//  finds it from now on.
static handover_t *
s_announce_one (s_decision_t *self, const char *provider_id, const s_resident_t *resident,
                s_prepared_t *prepared, const char *preferred_worker, const char *caseload_worker,
                int64_t deadline)
{
    char id [HANDOVER_ID_SIZE];
    handover_state_next_id (self->state, id);
    Caseflow__V1__Handover__HandoverAnnounced body =
        CASEFLOW__V1__HANDOVER__HANDOVER_ANNOUNCED__INIT;
    body.handover_id = id;
    body.provider_id = (char *) provider_id;
    body.personal = &prepared->sealed.message;
    body.domains = (Caseflow__V1__Domain *) resident->domains;
    body.n_domains = resident->domain_count;
    body.preferred_worker = (char *) preferred_worker;
    body.caseload_worker = (char *) caseload_worker;
    body.urgency = resident->urgency == CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED
                       ? CASEFLOW__V1__URGENCY__URGENCY_REGULAR
                       : resident->urgency;
    body.deadline = deadline ? deadline : self->state->config.default_deadline;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED;
    event.handover_announced = &body;
    if (s_emit (self, &event))
        return NULL;
    cf_decider_log (self->decider, "handover %s announced by provider %s%s", id, provider_id,
                    *caseload_worker ? " (caseload)" : "");
    handover_t *handover = handover_state_find (self->state, id);
    assert (handover);
    char hex [HANDOVER_RESIDENT_HASH_SIZE];
    if (handover_transit_resident_hash (self->state->transit, resident->resident, hex))
        handover_transit_index (self->state->transit, hex, handover->id);
    return handover;
}

//  The resident's hash into `hex` ("" when not identifiable).
static const char *
s_hash (s_decision_t *self, const Caseflow__V1__PersonalData *resident,
        char hex [HANDOVER_RESIDENT_HASH_SIZE])
{
    hex [0] = 0;
    if (self->state->transit)
        handover_transit_resident_hash (self->state->transit, resident, hex);
    return hex;
}

static void
s_announce (s_decision_t *self, const Caseflow__V1__Handover__Announce *command)
{
    const char *prefix = S_PREFIX "announce";
    s_resident_t resident = { command->resident, command->domains, command->n_domains,
                              command->support, command->urgency };
    if (handover_check_id (command->provider_id, true, prefix, "provider_id", self->reply)
        || s_check_resident (self, &resident, prefix)
        || handover_check_id (command->preferred_worker, false, prefix, "preferred_worker",
                              self->reply)
        || s_check_deadline (self, command->deadline, "announce"))
        return;
    if (!s_find_provider (self, command->provider_id, "announce"))
        return;
    char hex [HANDOVER_RESIDENT_HASH_SIZE];
    if (s_check_open_resident (self, s_hash (self, command->resident, hex),
                               S_PREFIX "announce.resident"))
        return;
    s_prepared_t prepared;
    int rc = s_prepare (self, &resident, &prepared);
    handover_t *handover = rc ? NULL
                              : s_announce_one (self, command->provider_id, &resident, &prepared,
                                                command->preferred_worker, "", command->deadline);
    cf_sealed_release (&prepared.sealed);
    if (handover)
        s_reply_handover (self, handover);
}

static void
s_announce_caseload (s_decision_t *self, const Caseflow__V1__Handover__AnnounceCaseload *command)
{
    const char *prefix = S_PREFIX "announce_caseload";
    if (handover_check_id (command->provider_id, true, prefix, "provider_id", self->reply)
        || handover_check_id (command->worker_id, true, prefix, "worker_id", self->reply)
        || s_check_deadline (self, command->deadline, "announce_caseload"))
        return;
    if (command->n_residents == 0 || command->n_residents > HANDOVER_MAX_CASELOAD) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "announce_caseload.residents",
                             "residents must list 1-%d residents", HANDOVER_MAX_CASELOAD);
        return;
    }
    char path [96];
    for (size_t i = 0; i < command->n_residents; i++) {
        const Caseflow__V1__Handover__CaseloadResident *entry = command->residents [i];
        snprintf (path, sizeof path, "%s.residents[%zu]", prefix, i);
        if (!entry) {
            cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, path,
                                 "residents[%zu] is empty", i);
            return;
        }
        s_resident_t resident = { entry->resident, entry->domains, entry->n_domains, entry->support,
                                  entry->urgency };
        if (s_check_resident (self, &resident, path))
            return;
    }
    if (!s_find_provider (self, command->provider_id, "announce_caseload"))
        return;
    //  Every resident must be free, also of each other, before any is
    //  announced: the caseload is all or nothing.
    zhashx_t *seen = zhashx_new ();
    assert (seen);
    int rc = 0;
    for (size_t i = 0; i < command->n_residents && rc == 0; i++) {
        char hex [HANDOVER_RESIDENT_HASH_SIZE];
        s_hash (self, command->residents [i]->resident, hex);
        snprintf (path, sizeof path, "%s.residents[%zu].resident", prefix, i);
        rc = s_check_open_resident (self, hex, path);
        if (rc == 0 && *hex && zhashx_insert (seen, hex, (void *) 1) != 0)
            rc = cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__CONFLICT, path,
                                      "residents[%zu] is a resident already in the caseload", i);
    }
    zhashx_destroy (&seen);
    if (rc)
        return;
    //  Every key made and every resident sealed before the first is
    //  announced: a key store that fails leaves nothing half done.
    s_prepared_t *prepared = calloc (command->n_residents, sizeof *prepared);
    assert (prepared);
    for (size_t i = 0; i < command->n_residents && rc == 0; i++) {
        const Caseflow__V1__Handover__CaseloadResident *entry = command->residents [i];
        s_resident_t resident = { entry->resident, entry->domains, entry->n_domains, entry->support,
                                  entry->urgency };
        rc = s_prepare (self, &resident, &prepared [i]);
    }
    if (rc) {
        for (size_t i = 0; i < command->n_residents; i++)
            cf_sealed_release (&prepared [i].sealed);
        free (prepared);
        return;
    }

    Caseflow__V1__Handover__HandoverIds *ids = calloc (1, sizeof *ids);
    assert (ids);
    caseflow__v1__handover__handover_ids__init (ids);
    ids->handover_ids = calloc (command->n_residents, sizeof *ids->handover_ids);
    assert (ids->handover_ids);
    for (size_t i = 0; i < command->n_residents; i++) {
        const Caseflow__V1__Handover__CaseloadResident *entry = command->residents [i];
        s_resident_t resident = { entry->resident, entry->domains, entry->n_domains, entry->support,
                                  entry->urgency };
        handover_t *handover =
            s_announce_one (self, command->provider_id, &resident, &prepared [i],
                            command->worker_id, command->worker_id, command->deadline);
        if (!handover)
            break;
        ids->handover_ids [ids->n_handover_ids++] = cf_strdup (handover->id);
    }
    for (size_t i = 0; i < command->n_residents; i++)
        cf_sealed_release (&prepared [i].sealed);
    free (prepared);
    Caseflow__V1__Handover__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_CASELOAD;
    result->caseload = ids;
}

//  -------------------------------------------------------------- meeting

static void
s_plan (s_decision_t *self, const Caseflow__V1__Handover__Plan *command)
{
    const char *prefix = S_PREFIX "plan";
    if (!*command->handover_id) {
        s_find_for (self, command->handover_id, HANDOVER_PLAN, "plan");
        return;
    }
    if (command->at <= 0) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "plan.at", "at is required");
        return;
    }
    if (handover_check_meeting (command->location, command->participants, command->n_participants,
                                prefix, self->reply))
        return;
    handover_t *handover = s_find_for (self, command->handover_id, HANDOVER_PLAN, "plan");
    if (!handover)
        return;
    //  A location may be the resident's address, a participant a name.
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = command->location;
    personal.texts = command->participants;
    personal.n_texts = command->n_participants;
    cf_sealed_t sealed;
    if (s_seal (self, handover->id, handover->transit_key_id, HANDOVER_FIELD_MEETING, &personal,
                &sealed))
        return;
    Caseflow__V1__Handover__MeetingPlanned body = CASEFLOW__V1__HANDOVER__MEETING_PLANNED__INIT;
    body.handover_id = handover->id;
    body.at = command->at;
    body.personal = &sealed.message;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED;
    event.meeting_planned = &body;
    int rc = s_emit (self, &event);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (self->decider, "handover %s: meeting planned", handover->id);
    s_reply_handover (self, handover);
}

static void
s_held (s_decision_t *self, const Caseflow__V1__Handover__Held *command)
{
    handover_t *handover = s_find_for (self, command->handover_id, HANDOVER_HOLD, "held");
    if (!handover)
        return;
    Caseflow__V1__Handover__MeetingHeld body = CASEFLOW__V1__HANDOVER__MEETING_HELD__INIT;
    body.handover_id = handover->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_MEETING_HELD;
    event.meeting_held = &body;
    if (s_emit (self, &event))
        return;
    cf_decider_log (self->decider, "handover %s: meeting held", handover->id);
    s_reply_handover (self, handover);
}

static void
s_decide_next (s_decision_t *self, const Caseflow__V1__Handover__Decide *command)
{
    const char *prefix = S_PREFIX "decide";
    if (!*command->handover_id) {
        s_find_for (self, command->handover_id, HANDOVER_DECIDE, "decide");
        return;
    }
    if (command->next_step < HANDOVER_NEXT_CONTINUE || command->next_step > HANDOVER_NEXT_REFER) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             S_PREFIX "decide.next_step",
                             "next_step must be continue, stay, end or refer");
        return;
    }
    if (handover_check_text (command->note, false, HANDOVER_MAX_TEXT, true, prefix, "note",
                             self->reply))
        return;
    handover_t *handover = s_find_for (self, command->handover_id, HANDOVER_DECIDE, "decide");
    if (!handover)
        return;
    Caseflow__V1__Handover__NextStepDecided body = CASEFLOW__V1__HANDOVER__NEXT_STEP_DECIDED__INIT;
    cf_sealed_t sealed;
    if (s_seal_text (self, handover, HANDOVER_FIELD_DECIDED, command->note, &sealed,
                     &body.personal))
        return;
    body.handover_id = handover->id;
    body.next_step = command->next_step;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED;
    event.next_step_decided = &body;
    int rc = s_emit (self, &event);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (self->decider, "handover %s: next step %s", handover->id,
                    cf_words_name (&cf_words_next_step, command->next_step));
    s_reply_handover (self, handover);
}

//  ---------------------------------------------------------------- files

static void
s_record_files (s_decision_t *self, const Caseflow__V1__Handover__RecordFiles *command)
{
    const char *prefix = S_PREFIX "record_files";
    if (!*command->handover_id) {
        s_find_for (self, command->handover_id, HANDOVER_RECORD_FILES, "record_files");
        return;
    }
    if (handover_check_documents (command->documents, command->n_documents, command->waive,
                                  self->now, prefix, self->reply))
        return;
    handover_t *handover =
        s_find_for (self, command->handover_id, HANDOVER_RECORD_FILES, "record_files");
    if (!handover)
        return;
    //  Copies of the documents with "received now" filled in and the title
    //  taken out: a title may name the resident, so the titles travel
    //  sealed, in order.
    Caseflow__V1__Handover__Document *documents =
        calloc (command->n_documents + 1, sizeof *documents);
    Caseflow__V1__Handover__Document **pointers =
        calloc (command->n_documents + 1, sizeof *pointers);
    char **titles = calloc (command->n_documents + 1, sizeof *titles);
    assert (documents && pointers && titles);
    for (size_t i = 0; i < command->n_documents; i++) {
        documents [i] = *command->documents [i];
        titles [i] = documents [i].title;
        documents [i].title = (char *) "";
        if (!documents [i].received_at)
            documents [i].received_at = self->now;
        pointers [i] = &documents [i];
    }
    Caseflow__V1__Handover__FilesTransferred body = CASEFLOW__V1__HANDOVER__FILES_TRANSFERRED__INIT;
    cf_sealed_t sealed;
    memset (&sealed, 0, sizeof sealed);
    if (command->n_documents) {
        Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
        personal.texts = titles;
        personal.n_texts = command->n_documents;
        if (s_seal (self, handover->id, handover->transit_key_id, HANDOVER_FIELD_FILES, &personal,
                    &sealed)) {
            free (titles);
            free (pointers);
            free (documents);
            return;
        }
        body.personal = &sealed.message;
    }
    body.handover_id = handover->id;
    body.documents = pointers;
    body.n_documents = command->n_documents;
    body.waived = command->waive;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED;
    event.files_transferred = &body;
    int rc = s_emit (self, &event);
    cf_sealed_release (&sealed);
    free (titles);
    free (pointers);
    free (documents);
    if (rc)
        return;
    cf_decider_log (self->decider, "handover %s: %s", handover->id,
                    command->waive ? "file transfer waived" : "files recorded");
    s_reply_handover (self, handover);
}

//  ------------------------------------------------------ complete, cancel

//  Opens `sealed` of `handover` for `field` into *personal_p (NULL when
//  there is no value); refuses the reply when it does not open (erased,
//  or a key store that lost the key).
static int
s_open (s_decision_t *self, const handover_t *handover, const handover_sealed_t *sealed,
        const char *field, Caseflow__V1__Personal **personal_p)
{
    int rc = self->state->transit
                 ? handover_transit_open (self->state->transit, handover, sealed, field, personal_p)
                 : CF_ECORRUPT;
    if (rc == 0 || rc == 1)
        return 0;
    return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                                S_PREFIX "complete.handover_id",
                                "handover %s: its personal data does not open (%s), so intake "
                                "could not take the resident in",
                                handover->id, rc == CF_ENOTFOUND ? "erased" : "unreadable");
}

//  The completion carries everything intake needs of the resident, sealed
//  again under the transit key for its own field: the resident, the
//  support and the decision's note.
static int
s_seal_completion (s_decision_t *self, const handover_t *handover, cf_sealed_t *out)
{
    memset (out, 0, sizeof *out);
    Caseflow__V1__Personal *announced = NULL, *decided = NULL;
    int rc = s_open (self, handover, &handover->announced, HANDOVER_FIELD_ANNOUNCED, &announced);
    if (rc == 0)
        rc = s_open (self, handover, &handover->decision, HANDOVER_FIELD_DECIDED, &decided);
    if (rc == 0) {
        char *note [] = { decided && decided->text ? decided->text : (char *) "" };
        Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
        personal.resident = announced ? announced->resident : NULL;
        personal.text = announced ? announced->text : NULL;
        personal.texts = note;
        personal.n_texts = 1;
        rc = s_seal (self, handover->id, handover->transit_key_id, HANDOVER_FIELD_COMPLETED,
                     &personal, out);
    }
    cf_seal_personal_free (announced);
    cf_seal_personal_free (decided);
    return rc;
}

static void
s_complete (s_decision_t *self, const Caseflow__V1__Handover__Complete *command)
{
    handover_t *handover = s_find_for (self, command->handover_id, HANDOVER_COMPLETE, "complete");
    if (!handover)
        return;
    if (handover->next_step == HANDOVER_NEXT_CONTINUE && handover->document_count == 0
        && !handover->files_waived) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                             S_PREFIX "complete.handover_id",
                             "handover %s is decided continue without a case-file transfer; "
                             "record the files (or waive them) first",
                             handover->id);
        return;
    }
    cf_sealed_t sealed;
    if (s_seal_completion (self, handover, &sealed))
        return;
    Caseflow__V1__Handover__HandoverCompleted body =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    //  protobuf-c's fields are not const; packing only reads them.
    body.handover_id = handover->id;
    body.provider_id = (char *) handover->provider_id;
    body.next_step = handover->next_step;
    body.personal = &sealed.message;
    body.domains = handover->domains;
    body.n_domains = handover->domain_count;
    body.preferred_worker = (char *) handover->preferred_worker;
    body.urgency = handover->urgency;
    body.deadline = handover->deadline;
    body.caseload_worker = (char *) handover->caseload_worker;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
    event.handover_completed = &body;
    int rc = s_emit (self, &event);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (self->decider, "handover %s completed (%s)", handover->id,
                    cf_words_name (&cf_words_next_step, handover->next_step));
    s_reply_handover (self, handover);
}

static void
s_cancel (s_decision_t *self, const Caseflow__V1__Handover__Cancel *command)
{
    if (!*command->handover_id) {
        s_find_for (self, command->handover_id, HANDOVER_CANCEL, "cancel");
        return;
    }
    if (handover_check_text (command->reason, true, HANDOVER_MAX_REASON, true, S_PREFIX "cancel",
                             "reason", self->reply))
        return;
    handover_t *handover = s_find_for (self, command->handover_id, HANDOVER_CANCEL, "cancel");
    if (!handover)
        return;
    Caseflow__V1__Handover__HandoverCancelled body =
        CASEFLOW__V1__HANDOVER__HANDOVER_CANCELLED__INIT;
    cf_sealed_t sealed;
    if (s_seal_text (self, handover, HANDOVER_FIELD_CANCELLED, command->reason, &sealed,
                     &body.personal))
        return;
    body.handover_id = handover->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED;
    event.handover_cancelled = &body;
    int rc = s_emit (self, &event);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (self->decider, "handover %s cancelled", handover->id);
    s_reply_handover (self, handover);
}

void
handover_decide (handover_state_t *state, cf_decider_t *decider,
                 const Caseflow__V1__Handover__Command *command)
{
    assert (state && decider && decider->reply && command);
    Caseflow__V1__Reply *reply = decider->reply;
    s_decision_t self = { state, decider->now, reply, decider };
    switch (command->body_case) {
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER:
            s_add_provider (&self, command->add_provider);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE:
            s_announce (&self, command->announce);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE_CASELOAD:
            s_announce_caseload (&self, command->announce_caseload);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN: s_plan (&self, command->plan); break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD: s_held (&self, command->held); break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE:
            s_decide_next (&self, command->decide);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES:
            s_record_files (&self, command->record_files);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE:
            s_complete (&self, command->complete);
            break;
        case CASEFLOW__V1__HANDOVER__COMMAND__BODY_CANCEL: s_cancel (&self, command->cancel); break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "command.handover", "not a handover command");
    }
}

void
handover_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                      Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_command_body (command, CASEFLOW__V1__COMMAND__BODY_HANDOVER, "handover", reply);
    if (!own)
        return;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    handover_decide (state, &decider, (const Caseflow__V1__Handover__Command *) own);
}
