//  ctl_webhooks: `caseflowctl webhooks …` (CLI.md): the gateway's webhook
//  subscriptions, as rows of the verb table. JSON keys of `webhooks
//  status` (CLI.md): subscription_id, sink, types, delivered, pending,
//  retrying, parked, paused, last_error, cursor ({stream: seq}), plus
//  state and added_at.
#include "ctl.h"
#include "ctl_render.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --from STREAM:SEQ (the first seq to deliver).
static int
s_build_add (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Gateway__WebhookAdd *add = (void *) body;
    if (ctl_arg (args, "token-file")) {
        int rc = ctl_read_token (args, &add->token);
        if (rc != CTL_OK)
            return rc;
    }
    const char *from = ctl_arg (args, "from");
    if (from) {
        const char *colon = strrchr (from, ':');
        char *end = NULL;
        unsigned long long seq = colon ? strtoull (colon + 1, &end, 10) : 0;
        if (!colon || colon == from || !end || *end || seq == 0)
            return ctl_usage_error ("--from: \"%s\" is not STREAM:SEQ (a seq of 1 or more)", from);
        Caseflow__V1__Gateway__StreamCursor *cursor = malloc (sizeof *cursor);
        assert (cursor);
        caseflow__v1__gateway__stream_cursor__init (cursor);
        cursor->stream = ctl_strdup (from);
        cursor->stream [colon - from] = '\0';
        cursor->seq = seq;
        add->from = malloc (sizeof *add->from);
        assert (add->from);
        add->from [0] = cursor;
        add->n_from = 1;
    }
    return CTL_OK;
}

//  resend SUBSCRIPTION [--all | --stream S --seq N]: without either, the
//  oldest parked event.
static int
s_build_resend (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Gateway__WebhookResend *resend = (void *) body;
    const char *stream = ctl_arg (args, "stream"), *seq = ctl_arg (args, "seq");
    if (resend->all && (stream || seq))
        return ctl_usage_error ("resend takes --all or --stream and --seq, not both");
    if (resend->all || (!stream && !seq))
        return CTL_OK;
    if (!stream || !seq)
        return ctl_usage_error ("resend: --stream and --seq go together");
    char *end = NULL;
    resend->seq = strtoull (seq, &end, 10);
    if (!*seq || *end || resend->seq == 0)
        return ctl_usage_error ("--seq: \"%s\" is not a seq (1 or more)", seq);
    resend->stream = ctl_strdup (stream);
    return CTL_OK;
}

#define S_STATUS                                                                      \
    "subscription_id sink types state delivered pending retrying parked last_error? " \
    "cursor=cursors:map added_at:time"

static json_t *
s_status_json (const ProtobufCMessage *message)
{
    const Caseflow__V1__Gateway__WebhookStatus *status = (const void *) message;
    json_t *object = ctl_json_message (message, S_STATUS);
    json_object_set_new (
        object, "paused",
        json_boolean (status->state
                      == CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_PAUSED));
    return object;
}

static json_t *
s_one_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    return s_status_json (result);
}

static json_t *
s_list_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Gateway__WebhookList *list = (const void *) result;
    json_t *array = json_array ();
    for (size_t i = 0; i < list->n_subscriptions; i++)
        json_array_append_new (array, s_status_json (&list->subscriptions [i]->base));
    return array;
}

#define S_CHANGE     NULL, CTL_GATEWAY, CTL_COMMAND
#define S_ASK        NULL, CTL_GATEWAY, CTL_QUERY
#define S_BODY(name) &caseflow__v1__gateway__##name##__descriptor
#define S_ROW        "subscription_id state delivered pending retrying parked last_error? sink"

const ctl_verb_t ctl_webhooks_verbs [] = {
    { "webhooks", "add", "--sink URL --type T[,T...] [--token-file FILE] [--from STREAM:SEQ]",
      "sink! type! token-file from", NULL, S_CHANGE, S_BODY (webhook_add), "sink types=type:split",
      s_build_add, "subscription_added", "subscription_id",
      "subscription_id sink types cursor=cursors:map", NULL, NULL },
    { "webhooks", "list", "", "", NULL, S_ASK, S_BODY (webhook_list_query), NULL, NULL, "webhooks",
      NULL,
      "SUBSCRIPTION STATE DELIVERED PENDING RETRYING PARKED LAST-ERROR SINK|subscriptions|" S_ROW,
      s_list_json, NULL },
    { "webhooks", "status", "SUBSCRIPTION", "", "SUBSCRIPTION", S_ASK,
      S_BODY (webhook_status_query), "subscription_id=$1", NULL, "webhook_status", NULL, S_STATUS,
      s_one_json, NULL },
    { "webhooks", "parked", "[SUBSCRIPTION]", "", "[SUBSCRIPTION...]", S_ASK,
      S_BODY (webhook_parked_query), "subscription_id=$1", NULL, "parked",
      "*parked:{subscription_id stream seq event_id reason attempts parked_at:time resending}",
      "SUBSCRIPTION STREAM SEQ EVENT REASON ATTEMPTS PARKED RESENDING|parked|subscription_id "
      "stream seq event_id reason attempts parked_at:time resending",
      NULL, NULL },
    { "webhooks", "resend", "SUBSCRIPTION [--all | --stream STREAM --seq SEQ]", "all stream seq",
      "SUBSCRIPTION", S_CHANGE, S_BODY (webhook_resend), "subscription_id=$1 all", s_build_resend,
      "parked_resent", "subscription_id resent=events:{stream seq}",
      "subscription_id resent=events:{stream seq}", NULL, NULL },
    { "webhooks", "pause", "SUBSCRIPTION", "", "SUBSCRIPTION", S_CHANGE, S_BODY (webhook_pause),
      "subscription_id=$1", NULL, "subscription_paused", "subscription_id", "subscription_id", NULL,
      NULL },
    { "webhooks", "resume", "SUBSCRIPTION", "", "SUBSCRIPTION", S_CHANGE, S_BODY (webhook_resume),
      "subscription_id=$1", NULL, "subscription_resumed", "subscription_id", "subscription_id",
      NULL, NULL },
    { "webhooks", "remove", "SUBSCRIPTION", "", "SUBSCRIPTION", S_CHANGE, S_BODY (webhook_remove),
      "subscription_id=$1", NULL, "subscription_removed", "subscription_id", "subscription_id",
      NULL, NULL },
    { NULL },
};
