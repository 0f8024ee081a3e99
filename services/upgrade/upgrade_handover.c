//  upgrade_handover: handover's events and stored replies in today's format
//  (see upgrade_handover.h).
//
//  An event is rewritten on a decoded copy of its own, as upgrade_intake
//  does: the plain fields are swapped for empty ones and the sealed value
//  put in, the copy is encoded, and every pointer is put back before the
//  copy is freed, so protobuf-c frees what it allocated and nothing else.
#include "upgrade_handover.h"

#include "cf_error.h"
#include "cf_hash.h"
#include "cf_log.h"
#include "handover_query.h"
#include "handover_state.h"
#include "handover_transit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  What the rewrite knows of one handover.
typedef struct {
    char handover_id [HANDOVER_ID_SIZE];
    char key_id [CF_SEAL_ID_SIZE];
    bool continued;  //  completed with CONTINUE: intake took the resident in
} s_handover_t;

struct _upgrade_handover_t {
    handover_transit_t *transit;  //  over the new key store
    cf_keystore_t *keystore;
    cf_hash_t *handovers;  //  handover id -> s_handover_t, owned
    uint64_t sealed;
};

static void
s_free (void *item)
{
    free (item);
}

upgrade_handover_t *
upgrade_handover_new (cf_keystore_t *keystore)
{
    upgrade_handover_t *self = calloc (1, sizeof *self);
    assert (self);
    self->keystore = keystore;
    self->transit = handover_transit_new (keystore);
    self->handovers = cf_hash_new ();
    cf_hash_set_destructor (self->handovers, s_free);
    return self;
}

void
upgrade_handover_destroy (upgrade_handover_t **self_p)
{
    upgrade_handover_t *self = *self_p;
    if (!self)
        return;
    handover_transit_destroy (&self->transit);
    cf_hash_destroy (&self->handovers);
    free (self);
    *self_p = NULL;
}

size_t
upgrade_handover_keys (const upgrade_handover_t *self)
{
    return cf_hash_size (self->handovers);
}

uint64_t
upgrade_handover_sealed (const upgrade_handover_t *self)
{
    return self->sealed;
}

int
upgrade_handover_key (void *self_, cf_transit_holder_t holder, const char *handover_id,
                      char key_id [CF_SEAL_ID_SIZE], uint8_t key [CF_SEAL_KEY_BYTES])
{
    upgrade_handover_t *self = self_;
    const s_handover_t *handover = holder == CF_TRANSIT_HANDOVER && handover_id && *handover_id
                                       ? cf_hash_lookup (self->handovers, handover_id)
                                       : NULL;
    if (!handover || !handover->continued)
        return CF_ENOTFOUND;
    memcpy (key_id, handover->key_id, CF_SEAL_ID_SIZE);
    return handover_transit_key (self->transit, handover->key_id, key);
}

//  ---------------------------------------------------------- own events

static int
s_refuse (const Caseflow__V1__Event *event, const char *problem)
{
    fprintf (stderr, "caseflow-upgrade: handover event %s (seq %llu): %s\n", event->id,
             (unsigned long long) event->seq, problem);
    return CF_EINVAL;
}

//  The handover an event names, known from its announcement.
static s_handover_t *
s_handover (upgrade_handover_t *self, const Caseflow__V1__Event *event, const char *handover_id)
{
    s_handover_t *handover = cf_hash_lookup (self->handovers, handover_id ? handover_id : "");
    if (!handover)
        s_refuse (event, "names a handover no earlier event announced");
    return handover;
}

//  Encodes the changed copy into *out.
static void
s_pack (const Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    *out_size = caseflow__v1__event__get_packed_size (event);
    *out = malloc (*out_size ? *out_size : 1);
    assert (*out);
    caseflow__v1__event__pack (event, *out);
}

//  Seals `personal` for `field` under `handover`'s key into *sealed, or
//  refuses (the key store failed).
static int
s_seal_under (upgrade_handover_t *self, const Caseflow__V1__Event *event,
              const s_handover_t *handover, const char *field,
              const Caseflow__V1__Personal *personal, cf_sealed_t *sealed)
{
    int rc = handover_transit_seal (self->transit, handover->key_id, field, personal, sealed);
    if (rc)
        return s_refuse (event, "its values could not be sealed (the key store failed)");
    self->sealed++;
    return 0;
}

static int
s_announced (upgrade_handover_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
    if (body->personal)
        return s_refuse (event, "HandoverAnnounced is sealed already: not a format-2 event");
    if (!*body->handover_id || cf_hash_lookup (self->handovers, body->handover_id))
        return s_refuse (event, "announces no handover id, or one announced before");
    s_handover_t *handover = calloc (1, sizeof *handover);
    assert (handover);
    snprintf (handover->handover_id, sizeof handover->handover_id, "%s", body->handover_id);
    if (handover_transit_make_key (self->transit, handover->key_id)) {
        free (handover);
        return s_refuse (event, "the key store failed");
    }
    cf_hash_insert (self->handovers, handover->handover_id, handover);
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = body->resident;
    personal.text = body->support;
    cf_sealed_t sealed;
    int rc = s_seal_under (self, event, handover, HANDOVER_FIELD_ANNOUNCED, &personal, &sealed);
    if (rc == 0) {
        Caseflow__V1__Handover__HandoverAnnounced plain = *body;
        body->personal = &sealed.message;
        body->resident = NULL;
        body->support = (char *) "";
        s_pack (event, out, out_size);
        *body = plain;
    }
    cf_sealed_release (&sealed);
    return rc;
}

static int
s_completed (upgrade_handover_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Handover__HandoverCompleted *body = event->handover_completed;
    if (body->personal)
        return s_refuse (event, "HandoverCompleted is sealed already: not a format-2 event");
    s_handover_t *handover = s_handover (self, event, body->handover_id);
    if (!handover)
        return CF_EINVAL;
    handover->continued = body->next_step == CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
    char *note [] = { body->note ? body->note : (char *) "" };
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = body->resident;
    personal.text = body->support;
    personal.texts = note;
    personal.n_texts = 1;
    cf_sealed_t sealed;
    int rc = s_seal_under (self, event, handover, HANDOVER_FIELD_COMPLETED, &personal, &sealed);
    if (rc == 0) {
        Caseflow__V1__Handover__HandoverCompleted plain = *body;
        body->personal = &sealed.message;
        body->resident = NULL;
        body->support = (char *) "";
        body->note = (char *) "";
        s_pack (event, out, out_size);
        *body = plain;
    }
    cf_sealed_release (&sealed);
    return rc;
}

static int
s_planned (upgrade_handover_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Handover__MeetingPlanned *body = event->meeting_planned;
    if (body->personal)
        return s_refuse (event, "MeetingPlanned is sealed already: not a format-2 event");
    s_handover_t *handover = s_handover (self, event, body->handover_id);
    if (!handover)
        return CF_EINVAL;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = body->location;
    personal.texts = body->participants;
    personal.n_texts = body->n_participants;
    cf_sealed_t sealed;
    int rc = s_seal_under (self, event, handover, HANDOVER_FIELD_MEETING, &personal, &sealed);
    if (rc == 0) {
        Caseflow__V1__Handover__MeetingPlanned plain = *body;
        body->personal = &sealed.message;
        body->location = (char *) "";
        body->n_participants = 0;
        s_pack (event, out, out_size);
        *body = plain;
    }
    cf_sealed_release (&sealed);
    return rc;
}

//  An event whose one free text (*text_p) becomes *personal_p, sealed for
//  `field`; an empty text stays as it was (handover seals none either).
static int
s_text (upgrade_handover_t *self, Caseflow__V1__Event *event, const char *handover_id,
        const char *field, char **text_p, Caseflow__V1__Sealed **personal_p, uint8_t **out,
        size_t *out_size)
{
    if (*personal_p)
        return s_refuse (event, "its text is sealed already: not a format-2 event");
    s_handover_t *handover = s_handover (self, event, handover_id);
    if (!handover)
        return CF_EINVAL;
    char *text = *text_p;
    if (!text || !*text)
        return 0;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = text;
    cf_sealed_t sealed;
    int rc = s_seal_under (self, event, handover, field, &personal, &sealed);
    if (rc == 0) {
        *personal_p = &sealed.message;
        *text_p = (char *) "";
        s_pack (event, out, out_size);
        *text_p = text;
        *personal_p = NULL;
    }
    cf_sealed_release (&sealed);
    return rc;
}

static int
s_files (upgrade_handover_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    Caseflow__V1__Handover__FilesTransferred *body = event->files_transferred;
    if (body->personal)
        return s_refuse (event, "FilesTransferred is sealed already: not a format-2 event");
    s_handover_t *handover = s_handover (self, event, body->handover_id);
    if (!handover)
        return CF_EINVAL;
    if (!body->n_documents)
        return 0;
    //  The titles, in order; a document the old release left empty has "".
    char **titles = calloc (body->n_documents, sizeof *titles);
    assert (titles);
    for (size_t i = 0; i < body->n_documents; i++)
        titles [i] = body->documents [i] ? body->documents [i]->title : NULL;
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    char **texts = calloc (body->n_documents, sizeof *texts);
    assert (texts);
    for (size_t i = 0; i < body->n_documents; i++)
        texts [i] = titles [i] ? titles [i] : (char *) "";
    personal.texts = texts;
    personal.n_texts = body->n_documents;
    cf_sealed_t sealed;
    int rc = s_seal_under (self, event, handover, HANDOVER_FIELD_FILES, &personal, &sealed);
    if (rc == 0) {
        body->personal = &sealed.message;
        for (size_t i = 0; i < body->n_documents; i++)
            if (body->documents [i])
                body->documents [i]->title = (char *) "";
        s_pack (event, out, out_size);
        for (size_t i = 0; i < body->n_documents; i++)
            if (body->documents [i])
                body->documents [i]->title = titles [i];
        body->personal = NULL;
    }
    cf_sealed_release (&sealed);
    free (texts);
    free (titles);
    return rc;
}

//  Seals what `event` holds in plain into *out; *out stays NULL for an
//  event that holds nothing personal.
static int
s_seal (upgrade_handover_t *self, Caseflow__V1__Event *event, uint8_t **out, size_t *out_size)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            return s_announced (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED:
            return s_planned (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED: {
            Caseflow__V1__Handover__NextStepDecided *body = event->next_step_decided;
            return s_text (self, event, body->handover_id, HANDOVER_FIELD_DECIDED, &body->note,
                           &body->personal, out, out_size);
        }
        case CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED:
            return s_files (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            return s_completed (self, event, out, out_size);
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED: {
            Caseflow__V1__Handover__HandoverCancelled *body = event->handover_cancelled;
            return s_text (self, event, body->handover_id, HANDOVER_FIELD_CANCELLED, &body->reason,
                           &body->personal, out, out_size);
        }
        default: return 0;
    }
}

static int
s_own (void *ctx, const Caseflow__V1__Event *event, const uint8_t *data, size_t size, uint8_t **out,
       size_t *out_size)
{
    upgrade_handover_t *self = ctx;
    (void) event;
    //  A copy of its own to change: `event` is the caller's.
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert (copy);
    int rc = s_seal (self, copy, out, out_size);
    caseflow__v1__event__free_unpacked (copy, NULL);
    return rc;
}

//  ------------------------------------------------------------- replies

//  A stored command reply that carried the case: its facts only.
static bool
s_strip (Caseflow__V1__Reply *reply)
{
    const Caseflow__V1__CommandResult *command =
        reply->result_case == CASEFLOW__V1__REPLY__RESULT_COMMAND ? reply->command : NULL;
    const Caseflow__V1__Handover__CommandResult *result =
        command && command->body_case == CASEFLOW__V1__COMMAND_RESULT__BODY_HANDOVER
            ? command->handover
            : NULL;
    if (!result || result->body_case != CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_HANDOVER
        || !result->handover)
        return false;
    handover_view_strip_personal (result->handover);
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
    upgrade_handover_t *self = ctx;
    return cf_keystore_commit (self->keystore);
}

upgrade_rewrite_t
upgrade_handover_rewrite (upgrade_handover_t *self)
{
    upgrade_rewrite_t rewrite = {
        .ctx = self,
        .own = s_own,
        .reply = s_reply,
        .before_commit = s_before_commit,
    };
    return rewrite;
}
