//  upgrade_intake: intake's events and stored replies in today's format
//  (see upgrade_intake.h).
//
//  An event is rewritten on a decoded copy of its own: the plain fields are
//  swapped for empty ones and the sealed value (and what CaseRegistered
//  carries in plain today) put in, the copy is encoded, and every pointer
//  is put back before the copy is freed, so protobuf-c frees what it
//  allocated and nothing else. What is journaled is then decoded and
//  applied, so the state the next event is sealed against is the one a
//  running intake would rebuild from the new journal.
#include "upgrade_intake.h"

#include "cf_error.h"
#include "cf_event.h"
#include "cf_log.h"
#include "intake_personal.h"
#include "intake_query.h"
#include "intake_registry.h"
#include "intake_state.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _upgrade_intake_t {
    intake_state_t *state;  //  with the registry over the new key store
    cf_keystore_t *keystore;
    uint64_t sealed;
};

upgrade_intake_t *
upgrade_intake_new (cf_keystore_t *keystore, const uint8_t *secret, size_t size)
{
    upgrade_intake_t *self = calloc (1, sizeof *self);
    assert (self);
    self->keystore = keystore;
    self->state = intake_state_new ();
    intake_state_set_registry (self->state, intake_registry_new (keystore, secret, size));
    return self;
}

void
upgrade_intake_destroy (upgrade_intake_t **self_p)
{
    upgrade_intake_t *self = *self_p;
    if (!self)
        return;
    intake_registry_t *registry = intake_state_registry (self->state);
    intake_registry_destroy (&registry);
    intake_state_destroy (&self->state);
    free (self);
    *self_p = NULL;
}

uint64_t
upgrade_intake_sealed (const upgrade_intake_t *self)
{
    return self->sealed;
}

size_t
upgrade_intake_subjects (const upgrade_intake_t *self)
{
    return intake_state_subject_count (self->state);
}

void
upgrade_intake_set_transit (upgrade_intake_t *self, intake_fetch_fn *lookup, void *ctx)
{
    intake_registry_set_fetch (intake_state_registry (self->state), lookup, ctx, NULL);
}

//  The transit key of `handover_id` (none: ""), adopted under `subject`
//  and named in *transit_key_id_p (pointing into `key_id`). 0, or the key
//  store's error.
static int
s_adopt (upgrade_intake_t *self, const char *handover_id, const char *subject,
         char key_id [CF_SEAL_ID_SIZE], char **transit_key_id_p)
{
    intake_registry_t *registry = intake_state_registry (self->state);
    uint8_t key [CF_SEAL_KEY_BYTES];
    int rc = 0;
    if (*handover_id
        && intake_registry_fetch (registry, CF_TRANSIT_HANDOVER, handover_id, key_id, key) == 0) {
        rc = intake_registry_adopt (registry, subject, key_id, key);
        *transit_key_id_p = key_id;
    }
    sodium_memzero (key, sizeof key);
    return rc;
}

//  ---------------------------------------------------------- own events

static void
s_pack (const Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    *out_size = caseflow__v1__event__get_packed_size (event);
    *out = malloc (*out_size ? *out_size : 1);
    assert (*out);
    caseflow__v1__event__pack (event, *out);
}

static int
s_refuse (const Caseflow__V1__Event *event, const char *problem)
{
    fprintf (stderr, "caseflow-upgrade: intake event %s (seq %llu, case %s): %s\n", event->id,
             (unsigned long long) event->seq, event->case_id, problem);
    return CF_EINVAL;
}

//  The case an event names, known from the events before it.
static const intake_case_t *
s_case (upgrade_intake_t *self, const Caseflow__V1__Event *event, const char *case_id)
{
    const intake_case_t *kase = intake_state_case (self->state, case_id);
    if (!kase)
        s_refuse (event, "names a case no earlier event registered");
    return kase;
}

static int
s_registered (upgrade_intake_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Intake__CaseRegistered *body = event->case_registered;
    if (*body->subject || body->personal)
        return s_refuse (event, "CaseRegistered is sealed already: not a format-2 event");
    Caseflow__V1__PersonalData none = CASEFLOW__V1__PERSONAL_DATA__INIT;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = body->resident ? body->resident : &none;
    personal.text = body->question;
    intake_hashes_t hashes;
    const intake_subject_t *subject =
        intake_personal_find (self->state, personal.resident, &hashes);
    //  The old release opened a new case here: a subject found with a
    //  case still open was someone else to it (the open case knew another
    //  BSN), and is someone else now.
    if (subject && intake_state_open_case (self->state, subject->id))
        subject = NULL;
    Caseflow__V1__Intake__CaseRegistered plain = *body;
    body->resident = NULL;
    body->question = (char *) "";
    intake_enrolment_t enrolment;
    char key_id [CF_SEAL_ID_SIZE];
    int rc = intake_personal_register (self->state, subject, &hashes, &personal, event->occurred_at,
                                       &enrolment, body);
    if (rc == 0)
        rc = s_adopt (self, body->handover_id, enrolment.subject, key_id, &body->transit_key_id);
    if (rc == 0) {
        s_pack (event, out, out_size);
        self->sealed++;
    } else
        s_refuse (event, "the key store failed");
    cf_sealed_release (&enrolment.sealed);
    *body = plain;
    return rc;
}

static int
s_question_added (upgrade_intake_t *self, Caseflow__V1__Event *event, uint8_t **out,
                  size_t *out_size)
{
    Caseflow__V1__Intake__QuestionAdded *body = event->question_added;
    if (body->personal)
        return s_refuse (event, "QuestionAdded is sealed already: not a format-2 event");
    const intake_case_t *kase = s_case (self, event, body->case_id);
    if (!kase)
        return CF_EINVAL;
    Caseflow__V1__PersonalData none = CASEFLOW__V1__PERSONAL_DATA__INIT;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = body->resident ? body->resident : &none;
    personal.text = body->question;
    intake_hashes_t hashes;
    intake_registry_hashes (intake_state_registry (self->state), personal.resident, &hashes);
    Caseflow__V1__Intake__QuestionAdded plain = *body;
    body->resident = NULL;
    body->question = (char *) "";
    cf_sealed_t sealed;
    char key_id [CF_SEAL_ID_SIZE];
    int rc = intake_personal_join (self->state, kase->subject, &hashes, &personal, &sealed, body);
    if (rc == 0 && !body->personal)
        rc = CF_ESTORE;
    if (rc == 0)
        rc = s_adopt (self, body->handover_id, kase->subject->id, key_id, &body->transit_key_id);
    if (rc == 0) {
        s_pack (event, out, out_size);
        self->sealed++;
    } else
        s_refuse (event, "the key store failed");
    cf_sealed_release (&sealed);
    *body = plain;
    return rc;
}

//  An event whose one free text (*text_p) becomes *personal_p, sealed for
//  `field` under the case's subject's key. An empty text stays as it was.
static int
s_text (upgrade_intake_t *self, Caseflow__V1__Event *event, const char *case_id, const char *field,
        char **text_p, Caseflow__V1__Sealed **personal_p, uint8_t **out, size_t *out_size)
{
    if (*personal_p)
        return s_refuse (event, "its text is sealed already: not a format-2 event");
    const intake_case_t *kase = s_case (self, event, case_id);
    if (!kase)
        return CF_EINVAL;
    char *text = *text_p;
    if (!text || !*text)
        return 0;
    cf_sealed_t sealed;
    *personal_p = intake_personal_seal_text (self->state, kase, field, text, &sealed);
    *text_p = (char *) "";
    int rc = 0;
    if (*personal_p) {
        s_pack (event, out, out_size);
        self->sealed++;
    } else
        rc = s_refuse (event, "its text could not be sealed (the key store failed)");
    cf_sealed_release (&sealed);
    *text_p = text;
    *personal_p = NULL;
    return rc;
}

//  Seals what `event` holds in plain into *out; *out stays NULL for an
//  event that holds nothing personal.
static int
s_seal (upgrade_intake_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
            return s_registered (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED:
            return s_question_added (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED: {
            Caseflow__V1__Intake__CaseTriaged *body = event->case_triaged;
            return s_text (self, event, body->case_id, INTAKE_FIELD_TRIAGED, &body->reason,
                           &body->personal, out, out_size);
        }
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED: {
            Caseflow__V1__Intake__CallbackRecorded *body = event->callback_recorded;
            return s_text (self, event, body->case_id, INTAKE_FIELD_CALLBACK, &body->note,
                           &body->personal, out, out_size);
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED: {
            Caseflow__V1__Intake__CaseClosed *body = event->case_closed;
            return s_text (self, event, body->case_id, INTAKE_FIELD_CLOSED, &body->reason,
                           &body->personal, out, out_size);
        }
        case CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED:
            return s_refuse (event, "ResidentErased: not a format-2 event");
        default: return 0;
    }
}

static int
s_own (void *ctx, const Caseflow__V1__Event *event, const uint8_t *data, size_t size, uint8_t **out,
       size_t *out_size)
{
    upgrade_intake_t *self = ctx;
    //  A copy of its own to change: `event` is the caller's.
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert (copy);
    int rc = s_seal (self, copy, out, out_size);
    caseflow__v1__event__free_unpacked (copy, NULL);
    if (rc || !*out) {
        if (rc == 0)
            intake_state_apply (self->state, event);
        return rc;
    }
    const char *why = NULL;
    Caseflow__V1__Event *sealed = cf_event_decode (*out, *out_size, INTAKE_STREAM, &why);
    assert (sealed);
    intake_state_apply (self->state, sealed);
    caseflow__v1__event__free_unpacked (sealed, NULL);
    return 0;
}

static int
s_upstream (void *ctx, const Caseflow__V1__Event *event)
{
    upgrade_intake_t *self = ctx;
    //  LocationAdded gives the areas of later registrations; the rest is
    //  not state (intake reacted with events of its own, journaled).
    intake_state_apply (self->state, event);
    return 0;
}

//  ------------------------------------------------------------- replies

//  A stored command reply that carried the case: its facts only.
static bool
s_strip (Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__CommandResult *command =
        reply->result_case == CASEFLOW__V1__REPLY__RESULT_COMMAND ? reply->command : NULL;
    const Caseflow__V1__Intake__CommandResult *result =
        command && command->body_case == CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE ? command->intake
                                                                                   : NULL;
    if (!result || result->body_case != CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_CASE
        || !result->case_)
        return false;
    intake_view_strip_personal (result->case_);
    return true;
}

static int
s_reply (void *ctx, const char *request_id, const uint8_t *data, size_t size, uint8_t **out,
         size_t *out_size)
{
    (void) ctx;
    return upgrade_reply_strip (request_id, data, size, s_strip, out, out_size);
}

static int
s_before_commit (void *ctx)
{
    upgrade_intake_t *self = ctx;
    return cf_keystore_commit (self->keystore);
}

upgrade_rewrite_t
upgrade_intake_rewrite (upgrade_intake_t *self)
{
    upgrade_rewrite_t rewrite = {
        .ctx = self,
        .own = s_own,
        .upstream = s_upstream,
        .reply = s_reply,
        .before_commit = s_before_commit,
    };
    return rewrite;
}
