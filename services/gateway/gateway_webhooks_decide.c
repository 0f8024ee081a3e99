//  gateway_webhooks_decide: webhook commands and queries (see the header).
#include "gateway_webhooks_decide.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_seal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_FIELD(name) "command.gateway." name

bool
gateway_webhooks_is_command (const Caseflow__V1__Gateway__Command *command)
{
    return command->body_case >= 20 && command->body_case <= 49;
}

bool
gateway_webhooks_is_query (const Caseflow__V1__Gateway__Query *query)
{
    return query->body_case >= 20 && query->body_case <= 49;
}

static void
s_invalid (Caseflow__V1__Reply *reply, const char *field, const char *message)
{
    cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field, "%s", message);
}

static Caseflow__V1__Gateway__CommandResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__CommandResult *outer = cf_api_reply_command (reply);
    if (!outer->gateway) {
        Caseflow__V1__Gateway__CommandResult *result = malloc (sizeof *result);
        assert (result);
        caseflow__v1__gateway__command_result__init (result);
        outer->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_GATEWAY;
        outer->gateway = result;
    }
    return outer->gateway;
}

//  An http(s) URL without blanks or control characters, at most
//  GATEWAY_SINK_MAX long, with a host.
static bool
s_sink_valid (const char *sink)
{
    size_t length = sink ? strlen (sink) : 0;
    if (length == 0 || length > GATEWAY_SINK_MAX)
        return false;
    const char *host;
    if (strncasecmp (sink, "http://", 7) == 0)
        host = sink + 7;
    else if (strncasecmp (sink, "https://", 8) == 0)
        host = sink + 8;
    else
        return false;
    if (*host == '\0' || *host == '/' || *host == ':')
        return false;
    for (const char *c = sink; *c; c++)
        if ((unsigned char) *c <= ' ' || (unsigned char) *c >= 0x7f)
            return false;
    return true;
}

static bool
s_token_valid (const char *token)
{
    size_t length = strlen (token);
    if (length < GATEWAY_SINK_TOKEN_MIN || length > GATEWAY_SINK_TOKEN_MAX)
        return false;
    for (const char *c = token; *c; c++)
        if ((unsigned char) *c <= ' ' || (unsigned char) *c >= 0x7f)
            return false;
    return true;
}

static void
s_add (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run, cf_decider_t *decider,
       const Caseflow__V1__Gateway__WebhookAdd *command)
{
    Caseflow__V1__Reply *reply = decider->reply;
    if (!s_sink_valid (command->sink))
        return s_invalid (reply, S_FIELD ("webhook_add.sink"),
                          "sink: an http:// or https:// URL with a host, at most 2048 characters");
    if (command->n_types == 0 || command->n_types > GATEWAY_TYPES_MAX)
        return s_invalid (reply, S_FIELD ("webhook_add.types"),
                          "types: one to 64 CloudEvents types");
    //  The streams the types name, in the order first named.
    char streams [GATEWAY_TYPES_MAX][GATEWAY_STREAM_MAX + 1];
    size_t n_streams = 0;
    for (size_t i = 0; i < command->n_types; i++) {
        char stream [GATEWAY_STREAM_MAX + 1];
        if (gateway_webhooks_type_stream (command->types [i], stream) != 0) {
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 S_FIELD ("webhook_add.types"),
                                 "types: \"%.100s\" is not nl.sociaal-domein.<stream>.<event> "
                                 "(lower case, '-' between words) or nl.sociaal-domein.<stream>.*",
                                 command->types [i]);
            return;
        }
        size_t s = 0;
        while (s < n_streams && strcmp (streams [s], stream) != 0)
            s++;
        if (s == n_streams)
            memcpy (streams [n_streams++], stream, sizeof stream);
    }
    const char *token = command->token ? command->token : "";
    if (*token && !s_token_valid (token))
        return s_invalid (reply, S_FIELD ("webhook_add.token"),
                          "token: 16 to 4096 printable characters without blanks");
    Caseflow__V1__Gateway__StreamCursor cursors [GATEWAY_TYPES_MAX];
    Caseflow__V1__Gateway__StreamCursor *list [GATEWAY_TYPES_MAX];
    for (size_t s = 0; s < n_streams; s++) {
        caseflow__v1__gateway__stream_cursor__init (&cursors [s]);
        cursors [s].stream = streams [s];
        cursors [s].seq =
            run ? gateway_window_head (gateway_webhooks_run_window (run), streams [s]) : 0;
        list [s] = &cursors [s];
    }
    for (size_t f = 0; f < command->n_from; f++) {
        const Caseflow__V1__Gateway__StreamCursor *from = command->from [f];
        size_t s = 0;
        while (s < n_streams && strcmp (streams [s], from->stream ? from->stream : "") != 0)
            s++;
        if (s == n_streams) {
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 S_FIELD ("webhook_add.from"),
                                 "from: stream \"%.64s\" is not one the types name",
                                 from->stream ? from->stream : "");
            return;
        }
        if (from->seq == 0)
            return s_invalid (reply, S_FIELD ("webhook_add.from"), "from: a seq of 1 or more");
        uint64_t first =
            run ? gateway_window_first (gateway_webhooks_run_window (run), streams [s]) : 0;
        if (first > from->seq) {
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
                                 S_FIELD ("webhook_add.from"),
                                 "from: %s seq %llu is no longer held by the gateway (it holds "
                                 "seq %llu onwards)",
                                 streams [s], (unsigned long long) from->seq,
                                 (unsigned long long) first);
            return;
        }
        cursors [s].seq = from->seq - 1;
    }
    char id [CF_SEAL_ID_SIZE];
    do
        cf_seal_new_id (id, 'W');
    while (gateway_webhooks_find (webhooks, id));
    cf_sealed_t sealed;
    memset (&sealed, 0, sizeof sealed);
    char key_id [CF_SEAL_ID_SIZE] = "";
    if (*token) {
        cf_keystore_t *keystore = run ? gateway_webhooks_run_keystore (run) : NULL;
        char subject [CF_SEAL_ID_SIZE];
        Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
        personal.text = (char *) token;
        if (!keystore || cf_keystore_new_key (keystore, 'T', subject, key_id) != 0
            || cf_keystore_seal (keystore, key_id, GATEWAY_FIELD_SINK_TOKEN, &personal, &sealed)
                   != 0) {
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
                                 S_FIELD ("webhook_add.token"),
                                 "the key store cannot keep the sink's token now");
            cf_sealed_release (&sealed);
            return;
        }
    }
    Caseflow__V1__Gateway__SubscriptionAdded body = CASEFLOW__V1__GATEWAY__SUBSCRIPTION_ADDED__INIT;
    body.subscription_id = id;
    body.sink = command->sink;
    body.types = command->types;
    body.n_types = command->n_types;
    body.cursors = list;
    body.n_cursors = n_streams;
    body.token_key_id = key_id;
    body.token = *token ? &sealed.message : NULL;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_ADDED;
    event.subscription_added = &body;
    int rc = cf_decider_emit (decider, &event);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (decider, "webhook %s added for %zu type(s); handshake next", id,
                    command->n_types);
    body.token = NULL;
    Caseflow__V1__Gateway__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_SUBSCRIPTION_ADDED;
    result->subscription_added = cf_api_copy_message (&body.base);
    if (run)
        gateway_webhooks_run_kick (run);
}

//  The subscription a command names, or NULL with the reply refused.
static gateway_subscription_t *
s_find (gateway_webhooks_t *webhooks, const char *id, Caseflow__V1__Reply *reply, const char *field)
{
    gateway_subscription_t *subscription = id && *id ? gateway_webhooks_find (webhooks, id) : NULL;
    if (!id || !*id)
        s_invalid (reply, field, "subscription_id: required");
    else if (!subscription)
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                             "no subscription %.40s", id);
    return subscription;
}

//  pause, resume, remove: one event each, the table's word first.
static void
s_move (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run, cf_decider_t *decider,
        const char *id, gateway_webhook_action_t action, const char *field)
{
    Caseflow__V1__Reply *reply = decider->reply;
    gateway_subscription_t *subscription = s_find (webhooks, id, reply, field);
    if (!subscription
        || gateway_webhooks_lifecycle_check (subscription->id, subscription->state, action, NULL,
                                             reply, field))
        return;
    char copy [GATEWAY_SUBSCRIPTION_ID_SIZE];
    snprintf (copy, sizeof copy, "%s", subscription->id);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    Caseflow__V1__Gateway__CommandResult *result;
    if (action == GATEWAY_WEBHOOK_PAUSE) {
        Caseflow__V1__Gateway__SubscriptionPaused body =
            CASEFLOW__V1__GATEWAY__SUBSCRIPTION_PAUSED__INIT;
        body.subscription_id = copy;
        event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_PAUSED;
        event.subscription_paused = &body;
        if (cf_decider_emit (decider, &event))
            return;
        result = s_result (reply);
        result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_SUBSCRIPTION_PAUSED;
        result->subscription_paused = cf_api_copy_message (&body.base);
    } else if (action == GATEWAY_WEBHOOK_RESUME) {
        Caseflow__V1__Gateway__SubscriptionResumed body =
            CASEFLOW__V1__GATEWAY__SUBSCRIPTION_RESUMED__INIT;
        body.subscription_id = copy;
        event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_RESUMED;
        event.subscription_resumed = &body;
        if (cf_decider_emit (decider, &event))
            return;
        result = s_result (reply);
        result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_SUBSCRIPTION_RESUMED;
        result->subscription_resumed = cf_api_copy_message (&body.base);
        if (run)
            gateway_delivery_wake (gateway_webhooks_run_delivery (run), copy);
    } else {
        Caseflow__V1__Gateway__SubscriptionRemoved body =
            CASEFLOW__V1__GATEWAY__SUBSCRIPTION_REMOVED__INIT;
        body.subscription_id = copy;
        event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_REMOVED;
        event.subscription_removed = &body;
        if (cf_decider_emit (decider, &event))
            return;
        result = s_result (reply);
        result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_SUBSCRIPTION_REMOVED;
        result->subscription_removed = cf_api_copy_message (&body.base);
    }
    cf_decider_log (decider, "webhook %s: %s", copy, gateway_webhooks_action_name (action));
    if (run)
        gateway_webhooks_run_kick (run);
}

static void
s_resend (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run, cf_decider_t *decider,
          const Caseflow__V1__Gateway__WebhookResend *command)
{
    Caseflow__V1__Reply *reply = decider->reply;
    const char *field = S_FIELD ("webhook_resend.subscription_id");
    gateway_subscription_t *subscription =
        s_find (webhooks, command->subscription_id, reply, field);
    if (!subscription
        || gateway_webhooks_lifecycle_check (subscription->id, subscription->state,
                                             GATEWAY_WEBHOOK_RESEND, NULL, reply, field))
        return;
    //  Neither all nor an event: the oldest parked one.
    bool oldest = !command->all && (!command->stream || !*command->stream) && command->seq == 0;
    if (!command->all && !oldest && (!command->stream || !*command->stream || command->seq == 0))
        return s_invalid (reply, S_FIELD ("webhook_resend.stream"),
                          "stream and seq of a parked event, or all, or neither (the oldest)");
    size_t count = 0;
    Caseflow__V1__Gateway__StreamCursor *entries =
        calloc (subscription->n_parked + 1, sizeof *entries);
    Caseflow__V1__Gateway__StreamCursor **list = calloc (subscription->n_parked + 1, sizeof *list);
    assert (entries && list);
    for (size_t p = 0; p < subscription->n_parked; p++) {
        gateway_parked_t *parked = &subscription->parked [p];
        if (parked->resending)
            continue;
        if (!command->all && !oldest
            && (parked->seq != command->seq || strcmp (parked->stream, command->stream) != 0))
            continue;
        caseflow__v1__gateway__stream_cursor__init (&entries [count]);
        entries [count].stream = parked->stream;
        entries [count].seq = parked->seq;
        list [count] = &entries [count];
        count++;
        if (oldest)
            break;
    }
    if (count == 0 && oldest) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_FIELD ("webhook_resend.subscription_id"), "nothing is parked for %s",
                             subscription->id);
        free (entries);
        free (list);
        return;
    }
    if (count == 0 && !command->all) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             S_FIELD ("webhook_resend.seq"), "%.64s seq %llu is not parked for %s",
                             command->stream, (unsigned long long) command->seq, subscription->id);
        free (entries);
        free (list);
        return;
    }
    char copy [GATEWAY_SUBSCRIPTION_ID_SIZE];
    snprintf (copy, sizeof copy, "%s", subscription->id);
    Caseflow__V1__Gateway__ParkedResent body = CASEFLOW__V1__GATEWAY__PARKED_RESENT__INIT;
    body.subscription_id = copy;
    body.events = list;
    body.n_events = count;
    Caseflow__V1__Gateway__CommandResult *result;
    if (count > 0) {
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_PARKED_RESENT;
        event.parked_resent = &body;
        //  The entries point into the state: the result is copied first.
        result = s_result (reply);
        result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_PARKED_RESENT;
        result->parked_resent = cf_api_copy_message (&body.base);
        if (cf_decider_emit (decider, &event) == 0 && run) {
            gateway_delivery_wake (gateway_webhooks_run_delivery (run), copy);
            gateway_webhooks_run_kick (run);
        }
    } else {
        result = s_result (reply);
        result->body_case = CASEFLOW__V1__GATEWAY__COMMAND_RESULT__BODY_PARKED_RESENT;
        result->parked_resent = cf_api_copy_message (&body.base);
    }
    free (entries);
    free (list);
}

void
gateway_webhooks_decide (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run,
                         cf_decider_t *decider, const Caseflow__V1__Gateway__Command *command)
{
    switch (command->body_case) {
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD:
            s_add (webhooks, run, decider, command->webhook_add);
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_PAUSE:
            s_move (webhooks, run, decider, command->webhook_pause->subscription_id,
                    GATEWAY_WEBHOOK_PAUSE, S_FIELD ("webhook_pause.subscription_id"));
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_RESUME:
            s_move (webhooks, run, decider, command->webhook_resume->subscription_id,
                    GATEWAY_WEBHOOK_RESUME, S_FIELD ("webhook_resume.subscription_id"));
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_REMOVE:
            s_move (webhooks, run, decider, command->webhook_remove->subscription_id,
                    GATEWAY_WEBHOOK_REMOVE, S_FIELD ("webhook_remove.subscription_id"));
            break;
        case CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_RESEND:
            s_resend (webhooks, run, decider, command->webhook_resend);
            break;
        default: s_invalid (decider->reply, "command.gateway", "not a webhook command");
    }
}

static char *
s_dup (const char *text)
{
    char *copy = strdup (text ? text : "");
    assert (copy);
    return copy;
}

//  Events of the subscription's types after its cursors that the gateway
//  holds and has not yet delivered.
static uint64_t
s_pending (gateway_webhooks_run_t *run, const gateway_subscription_t *subscription,
           const gateway_delivery_figures_t *figures)
{
    if (!run)
        return 0;
    gateway_window_t *window = gateway_webhooks_run_window (run);
    uint64_t pending = 0;
    char type [GATEWAY_TYPE_MAX + 32];
    for (size_t c = 0; c < figures->n_cursors; c++) {
        uint64_t head = gateway_window_head (window, figures->cursors [c].stream);
        for (uint64_t seq = figures->cursors [c].seq + 1; seq <= head; seq++) {
            const Caseflow__V1__Event *event =
                gateway_window_lookup (window, figures->cursors [c].stream, seq);
            if (event
                && gateway_subscription_wants (subscription,
                                               gateway_webhooks_type (event, type, sizeof type)))
                pending++;
        }
    }
    return pending;
}

static Caseflow__V1__Gateway__WebhookStatus *
s_status (gateway_webhooks_run_t *run, const gateway_subscription_t *subscription)
{
    Caseflow__V1__Gateway__WebhookStatus *status = malloc (sizeof *status);
    assert (status);
    caseflow__v1__gateway__webhook_status__init (status);
    status->subscription_id = s_dup (subscription->id);
    status->sink = s_dup (subscription->sink);
    status->n_types = subscription->n_types;
    status->types = calloc (subscription->n_types + 1, sizeof (char *));
    assert (status->types);
    for (size_t t = 0; t < subscription->n_types; t++)
        status->types [t] = s_dup (subscription->types [t]);
    status->state = subscription->state;
    status->added_at = subscription->added_at;
    gateway_delivery_figures_t figures;
    memset (&figures, 0, sizeof figures);
    if (run)
        gateway_delivery_figures (gateway_webhooks_run_delivery (run), subscription->id, &figures);
    //  Journaled deliveries, plus this run's not yet journaled ones.
    status->delivered = subscription->delivered + figures.unflushed;
    for (size_t c = 0; c < figures.n_cursors; c++) {
        const gateway_cursor_t *journaled =
            gateway_subscription_cursor (subscription, figures.cursors [c].stream);
        if (journaled && figures.cursors [c].seq < journaled->seq)
            figures.cursors [c].seq = journaled->seq;
    }
    if (!run) {
        figures.n_cursors = subscription->n_cursors < 16 ? subscription->n_cursors : 16;
        memcpy (figures.cursors, subscription->cursors,
                figures.n_cursors * sizeof (gateway_cursor_t));
    }
    status->retrying = figures.retrying;
    status->pending = s_pending (run, subscription, &figures);
    for (size_t p = 0; p < subscription->n_parked; p++)
        status->parked += !subscription->parked [p].resending;
    status->last_error =
        s_dup (*figures.last_error ? figures.last_error : subscription->removed_reason);
    status->n_cursors = figures.n_cursors;
    status->cursors = calloc (figures.n_cursors + 1, sizeof *status->cursors);
    assert (status->cursors);
    for (size_t c = 0; c < figures.n_cursors; c++) {
        Caseflow__V1__Gateway__StreamCursor *cursor = malloc (sizeof *cursor);
        assert (cursor);
        caseflow__v1__gateway__stream_cursor__init (cursor);
        cursor->stream = s_dup (figures.cursors [c].stream);
        cursor->seq = figures.cursors [c].seq;
        status->cursors [c] = cursor;
    }
    return status;
}

static Caseflow__V1__Gateway__QueryResult *
s_query_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__QueryResult *outer = cf_api_reply_query (reply);
    Caseflow__V1__Gateway__QueryResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__gateway__query_result__init (result);
    outer->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_GATEWAY;
    outer->gateway = result;
    return result;
}

static void
s_parked (gateway_webhooks_t *webhooks, const char *id, Caseflow__V1__Reply *reply)
{
    if (id && *id && !gateway_webhooks_find (webhooks, id)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             "query.gateway.webhook_parked.subscription_id",
                             "no subscription %.40s", id);
        return;
    }
    Caseflow__V1__Gateway__ParkedList *list = malloc (sizeof *list);
    assert (list);
    caseflow__v1__gateway__parked_list__init (list);
    size_t total = 0;
    for (size_t i = 0; i < gateway_webhooks_count (webhooks); i++)
        total += gateway_webhooks_at (webhooks, i)->n_parked;
    list->parked = calloc (total + 1, sizeof *list->parked);
    assert (list->parked);
    for (size_t i = 0; i < gateway_webhooks_count (webhooks); i++) {
        const gateway_subscription_t *subscription = gateway_webhooks_at (webhooks, i);
        if (id && *id && strcmp (subscription->id, id) != 0)
            continue;
        for (size_t p = 0; p < subscription->n_parked; p++) {
            const gateway_parked_t *parked = &subscription->parked [p];
            Caseflow__V1__Gateway__ParkedEntry *entry = malloc (sizeof *entry);
            assert (entry);
            caseflow__v1__gateway__parked_entry__init (entry);
            entry->subscription_id = s_dup (subscription->id);
            entry->stream = s_dup (parked->stream);
            entry->seq = parked->seq;
            entry->event_id = s_dup (parked->event_id);
            entry->reason = s_dup (parked->reason);
            entry->attempts = parked->attempts;
            entry->parked_at = parked->parked_at;
            entry->resending = parked->resending;
            list->parked [list->n_parked++] = entry;
        }
    }
    Caseflow__V1__Gateway__QueryResult *result = s_query_result (reply);
    result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_PARKED;
    result->parked = list;
}

void
gateway_webhooks_query (gateway_webhooks_t *webhooks, gateway_webhooks_run_t *run,
                        const Caseflow__V1__Gateway__Query *query, Caseflow__V1__Reply *reply)
{
    switch (query->body_case) {
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOKS: {
            Caseflow__V1__Gateway__WebhookList *list = malloc (sizeof *list);
            assert (list);
            caseflow__v1__gateway__webhook_list__init (list);
            size_t count = gateway_webhooks_count (webhooks);
            list->subscriptions = calloc (count + 1, sizeof *list->subscriptions);
            assert (list->subscriptions);
            for (size_t i = 0; i < count; i++)
                list->subscriptions [list->n_subscriptions++] =
                    s_status (run, gateway_webhooks_at (webhooks, i));
            Caseflow__V1__Gateway__QueryResult *result = s_query_result (reply);
            result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_WEBHOOKS;
            result->webhooks = list;
            break;
        }
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOK_STATUS: {
            const char *id = query->webhook_status->subscription_id;
            const char *field = "query.gateway.webhook_status.subscription_id";
            const gateway_subscription_t *subscription =
                id && *id ? gateway_webhooks_find (webhooks, id) : NULL;
            if (!id || !*id) {
                s_invalid (reply, field, "subscription_id: required");
                return;
            }
            if (!subscription) {
                cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND, field,
                                     "no subscription %.40s", id);
                return;
            }
            Caseflow__V1__Gateway__QueryResult *result = s_query_result (reply);
            result->body_case = CASEFLOW__V1__GATEWAY__QUERY_RESULT__BODY_WEBHOOK_STATUS;
            result->webhook_status = s_status (run, subscription);
            break;
        }
        case CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOK_PARKED:
            s_parked (webhooks, query->webhook_parked->subscription_id, reply);
            break;
        default: s_invalid (reply, "query.gateway", "not a webhook query");
    }
}
