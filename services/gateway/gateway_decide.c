//  gateway_decide: one handler per command (validate, emit, answer).
//
//  Checks run in a fixed order: the fields (INVALID_ARGUMENT), then the
//  publisher they name (NOT_FOUND), then conflicts and the lifecycle
//  (CONFLICT, FAILED_PRECONDITION), and only then the key store is
//  written: a refused command leaves no token hash behind.
#include "gateway_decide.h"

#include "gateway_webhooks_decide.h"
#include "gateway_lifecycle.h"
#include "gateway_secrets.h"
#include "gateway_validate.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_PREFIX "command.gateway."

//  One command's decision: the state, and the decider's clock and reply.
typedef struct {
    gateway_state_t *state;
    int64_t now;
    Caseflow__V1__Reply *reply;
    cf_decider_t *decider;
} s_decision_t;

static Caseflow__V1__Gateway__CommandResult *
s_result (s_decision_t *self)
{
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (self->reply);
    if (!outer->gateway) {
        Caseflow__V1__Gateway__CommandResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__gateway__command_result__init (result);
        outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_GATEWAY;
        outer->gateway = result;
    }
    return outer->gateway;
}

static int
s_emit (s_decision_t *self, Caseflow__V1__Event *event)
{
    event->occurred_at = self->now;
    return cf_decider_emit (self->decider, event);
}

//  The token for `field`: shape checked, then recorded in the key store
//  under a fresh id. 0, or the reply refused.
static int
s_record_token (s_decision_t *self, const char *field, const char *token,
                char token_id [CF_SEAL_ID_SIZE])
{
    if (!gateway_secrets_token_valid (token)) {
        cf_api_reply_invalid (self->reply, field,
                              "must be %d-%d characters of A-Z, a-z, 0-9, '-', '.', '_', '~', "
                              "'+', '/' (then '=' padding)",
                              GATEWAY_TOKEN_MIN, GATEWAY_TOKEN_MAX);
        return CF_EINVAL;
    }
    int rc = self->state->secrets
                 ? gateway_secrets_add_token (self->state->secrets, token, token_id)
                 : CF_EUNAVAILABLE;
    if (rc == CF_EEXIST)
        //  Whose it is stays unsaid: a token is one publisher's alone.
        return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__CONFLICT, field,
                                    "this token is in use already: make a fresh one");
    if (rc) {
        cf_log_error ("recording a token in the key store failed: %s", cf_strerror (rc));
        return cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE, field,
                                    "the key store cannot record the token (%s): nothing "
                                    "recorded",
                                    cf_strerror (rc));
    }
    return 0;
}

//  The publisher `id` names, with `action` allowed on it; else NULL with
//  the reply refused.
static gateway_publisher_t *
s_find_for (s_decision_t *self, const char *id, gateway_publisher_action_t action,
            const char *command)
{
    char field [96];
    snprintf (field, sizeof field, S_PREFIX "%s.publisher_id", command);
    if (gateway_check_publisher_id (self->reply, field, id))
        return NULL;
    gateway_publisher_t *publisher = gateway_state_publisher (self->state, id);
    if (!publisher) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                             "no publisher %s", id);
        return NULL;
    }
    if (gateway_lifecycle_publisher_check (id, publisher->status, action, self->reply, field))
        return NULL;
    return publisher;
}

static void
s_publisher_add (s_decision_t *self, const Caseflow__V1__Gateway__PublisherAdd *command)
{
    const char *field = S_PREFIX "publisher_add.publisher_id";
    if (gateway_check_publisher_id (self->reply, field, command->publisher_id)
        || gateway_check_publisher (self->reply, S_PREFIX "publisher_add", command))
        return;
    if (!gateway_secrets_token_valid (command->token)) {
        s_record_token (self, S_PREFIX "publisher_add.token", command->token, NULL);
        return;
    }
    const gateway_publisher_t *existing =
        gateway_state_publisher (self->state, command->publisher_id);
    if (gateway_lifecycle_publisher_check (command->publisher_id,
                                           existing ? existing->status : GATEWAY_PUBLISHER_NONE,
                                           GATEWAY_PUBLISHER_ADD, self->reply, field))
        return;
    const gateway_publisher_t *owner = gateway_state_source_owner (self->state, command->source);
    if (owner) {
        cf_api_reply_status (self->reply, CASEFLOW__V1__STATUS__CODE__CONFLICT,
                             S_PREFIX "publisher_add.source",
                             "publisher %s publishes as %s already: a source is one publisher's",
                             owner->publisher_id, command->source);
        return;
    }
    char token_id [CF_SEAL_ID_SIZE];
    if (s_record_token (self, S_PREFIX "publisher_add.token", command->token, token_id))
        return;
    Caseflow__V1__Gateway__PublisherAdded body = CASEFLOW__V1__GATEWAY__PUBLISHER_ADDED__INIT;
    body.publisher_id = command->publisher_id;
    body.source = command->source;
    body.n_types = command->n_types;
    body.types = command->types;
    body.channel = command->channel;
    body.token_id = token_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PUBLISHER_ADDED;
    event.publisher_added = &body;
    if (s_emit (self, &event))
        return;
    cf_decider_log (self->decider, "publisher %s added: %s, %zu types", command->publisher_id,
                    command->source, command->n_types);
    Caseflow__V1__Gateway__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_PUBLISHER_ADDED;
    result->publisher_added = cf_api_copy_message (&body.base);
}

static void
s_publisher_rotate (s_decision_t *self, const Caseflow__V1__Gateway__PublisherRotate *command)
{
    const char *token_field = S_PREFIX "publisher_rotate.token";
    if (gateway_check_publisher_id (self->reply, S_PREFIX "publisher_rotate.publisher_id",
                                    command->publisher_id))
        return;
    if (!gateway_secrets_token_valid (command->token)) {
        s_record_token (self, token_field, command->token, NULL);
        return;
    }
    if (command->grace_seconds > GATEWAY_GRACE_MAX_SECONDS) {
        cf_api_reply_invalid (self->reply, S_PREFIX "publisher_rotate.grace_seconds",
                              "must be at most %u (30 days)", GATEWAY_GRACE_MAX_SECONDS);
        return;
    }
    gateway_publisher_t *publisher =
        s_find_for (self, command->publisher_id, GATEWAY_PUBLISHER_ROTATE, "publisher_rotate");
    if (!publisher)
        return;
    char token_id [CF_SEAL_ID_SIZE];
    if (s_record_token (self, token_field, command->token, token_id))
        return;
    int64_t grace = command->grace_seconds ? (int64_t) command->grace_seconds * CF_USEC_PER_SEC
                                           : self->state->config.rotation_grace;
    Caseflow__V1__Gateway__PublisherTokenRotated body =
        CASEFLOW__V1__GATEWAY__PUBLISHER_TOKEN_ROTATED__INIT;
    body.publisher_id = publisher->publisher_id;
    body.token_id = token_id;
    char previous [CF_SEAL_ID_SIZE];
    snprintf (previous, sizeof previous, "%s", publisher->token_id);
    body.previous_token_id = previous;
    body.previous_valid_until = self->now + grace;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PUBLISHER_TOKEN_ROTATED;
    event.publisher_token_rotated = &body;
    if (s_emit (self, &event))
        return;
    cf_decider_log (self->decider,
                    "publisher %s: token rotated, the previous one valid for %lld s more",
                    publisher->publisher_id, (long long) (grace / CF_USEC_PER_SEC));
    Caseflow__V1__Gateway__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_PUBLISHER_TOKEN_ROTATED;
    result->publisher_token_rotated = cf_api_copy_message (&body.base);
}

static void
s_publisher_remove (s_decision_t *self, const Caseflow__V1__Gateway__PublisherRemove *command)
{
    gateway_publisher_t *publisher =
        s_find_for (self, command->publisher_id, GATEWAY_PUBLISHER_REMOVE, "publisher_remove");
    if (!publisher)
        return;
    Caseflow__V1__Gateway__PublisherRemoved body = CASEFLOW__V1__GATEWAY__PUBLISHER_REMOVED__INIT;
    body.publisher_id = publisher->publisher_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_PUBLISHER_REMOVED;
    event.publisher_removed = &body;
    if (s_emit (self, &event))
        return;
    cf_decider_log (self->decider, "publisher %s removed: its tokens no longer work",
                    publisher->publisher_id);
    Caseflow__V1__Gateway__CommandResult *result = s_result (self);
    result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_PUBLISHER_REMOVED;
    result->publisher_removed = cf_api_copy_message (&body.base);
}

//  ---------------------------------------------------------------- inbound

//  The first event of events [0 .. i) with the same source and id, or -1.
static long
s_earlier (const gateway_ce_t *events, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp (events [j].id, events [i].id) == 0
            && strcmp (events [j].source, events [i].source) == 0)
            return (long) j;
    return -1;
}

int
gateway_decide_inbound (gateway_state_t *state, cf_decider_t *decider,
                        const gateway_publisher_t *publisher, const gateway_ce_t *events,
                        const gateway_data_t *data, size_t count, uint64_t *wait_seq_p)
{
    assert (state && decider && publisher && (events || !count));
    *wait_seq_p = 0;
    bool *fresh = calloc (count + 1, sizeof *fresh);
    cf_sealed_t *sealed = calloc (count + 1, sizeof *sealed);
    assert (fresh && sealed);
    int rc = 0;
    //  First every key and every seal: a failure here records nothing.
    for (size_t i = 0; i < count && rc == 0; i++) {
        const gateway_inbound_t *known =
            gateway_state_inbound (state, events [i].source, events [i].id);
        if (known) {
            if (known->seq > *wait_seq_p)
                *wait_seq_p = known->seq;
            continue;
        }
        if (s_earlier (events, i) >= 0)
            continue;
        fresh [i] = true;
        if (!data [i].personal)
            continue;
        char key_id [CF_SEAL_ID_SIZE];
        rc = state->secrets ? gateway_secrets_make_transit_key (state->secrets, key_id)
                            : CF_EUNAVAILABLE;
        if (rc == 0)
            rc = gateway_secrets_seal (state->secrets, key_id, GATEWAY_FIELD_INBOUND,
                                       data [i].personal, &sealed [i]);
        if (rc)
            cf_log_error ("inbound event of %s: the key store cannot seal its personal data (%s): "
                          "nothing recorded",
                          publisher->publisher_id, cf_strerror (rc));
    }
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (!fresh [i])
            continue;
        Caseflow__V1__Gateway__InboundAccepted body = *data [i].content;
        body.publisher_id = publisher->publisher_id;
        body.source = events [i].source;
        body.ce_id = events [i].id;
        body.type = events [i].type;
        body.ce_time = events [i].time;
        body.ce_subject = events [i].subject;
        body.channel = publisher->channel;
        body.personal = data [i].personal ? &sealed [i].message : NULL;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
        event.inbound_accepted = &body;
        event.actor = publisher->publisher_id;
        if (*events [i].subject)
            event.case_id = events [i].subject;
        event.occurred_at = decider->now;
        rc = cf_decider_emit (decider, &event);
        if (rc == 0)
            *wait_seq_p = gateway_state_inbound (state, events [i].source, events [i].id)->seq;
    }
    for (size_t i = 0; i < count; i++)
        cf_sealed_release (&sealed [i]);
    free (sealed);
    free (fresh);
    return rc;
}

void
gateway_decide (gateway_state_t *state, cf_decider_t *decider,
                const Caseflow__V1__Gateway__Command *command)
{
    assert (state && decider && decider->reply && command);
    s_decision_t self = { state, decider->now, decider->reply, decider };
    switch (command->body_case) {
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_ADD:
            s_publisher_add (&self, command->publisher_add);
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_ROTATE:
            s_publisher_rotate (&self, command->publisher_rotate);
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_REMOVE:
            s_publisher_remove (&self, command->publisher_remove);
            break;
        default:
            if (gateway_webhooks_is_command (command))
                gateway_webhooks_decide (state->webhooks, state->run, decider, command);
            else
                cf_api_reply_status (decider->reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                     "command.gateway", "not a gateway command");
    }
}

void
gateway_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                     Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_command_body (command, CASEFLOW__V1__COMMAND__BODY_GATEWAY, "gateway", reply);
    if (!own)
        return;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    gateway_decide (state, &decider, (const Caseflow__V1__Gateway__Command *) own);
}
