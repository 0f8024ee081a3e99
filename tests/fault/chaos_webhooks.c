//  chaos_webhooks: the gateway's deliveries in a chaos run. A webhook sink
//  on loopback (cf_testsink, every POST answered 204) is subscribed before
//  the load to seven outbound types, one or two of every stream, each
//  stream from seq 1; the deliveries then run through the whole load and
//  through every kill, the gateway's among them, and through the kills of
//  the services whose streams it delivers.
//
//  The check reads every stream back once the services settled and wants,
//  for each event of a subscribed type, at least one POST that carries the
//  event's own `id`, its `type` and its seq as `sequence` (20 digits) from
//  the source naming its stream. A delivery of the same event again (the
//  events since the last journaled cursor of a killed gateway) must carry
//  the same id; the first arrivals of one stream come in seq order (the
//  gateway sends the next event of a stream only once the previous one was
//  answered); no POST may name an event the stream does not have. Every
//  POST has the subscription's bearer token and the CloudEvents content
//  type. The subscription is then removed, so no delivery (and no cursor
//  journaled behind it) moves the gateway's stream while the digests are
//  compared with a fresh replay.
#include "chaos_load.h"

#include "cf_testsink.h"

#include <assert.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN       "chaos-sink-token-7Hq2Lm9Xv4Rt8Wc3"
#define S_SOURCE      "urn:nld:caseflow:"
#define S_STATE(name) CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_##name

//  The subscribed types, by the event body that carries each.
static const struct {
    int body;  //  Caseflow__V1__Event__BodyCase
    int service;
    const char *type;
} s_types [] = {
    { CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED, CHAOS_INTAKE,
      "nl.sociaal-domein.intake.case-registered" },
    { CASEFLOW__V1__EVENT__BODY_INTAKE_INBOUND_OUTCOME, CHAOS_INTAKE,
      "nl.sociaal-domein.intake.inbound-outcome" },
    { CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED, CHAOS_ASSIGNMENT,
      "nl.sociaal-domein.assignment.case-assigned" },
    { CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED, CHAOS_HANDOVER,
      "nl.sociaal-domein.handover.handover-announced" },
    { CASEFLOW__V1__EVENT__BODY_HANDOVER_INBOUND_OUTCOME, CHAOS_HANDOVER,
      "nl.sociaal-domein.handover.inbound-outcome" },
    { CASEFLOW__V1__EVENT__BODY_REMINDER_DUE, CHAOS_NOTIFICATION,
      "nl.sociaal-domein.notification.reminder-due" },
    { CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED, CHAOS_GATEWAY,
      "nl.sociaal-domein.gateway.inbound-accepted" },
};
#define S_TYPES (sizeof s_types / sizeof s_types [0])

//  One event of a subscribed type, as its stream has it and as the sink
//  got it.
typedef struct {
    char id [32];
    const char *type;  //  static
    size_t deliveries;
} s_event_t;

struct _chaos_webhooks_t {
    chaos_procs_t *procs;
    chaos_faults_t *faults;
    cf_testsink_t *sink;
    char subscription [64];
    zhashx_t *arrived;                     //  "<stream> <seq>" -> s_event_t, as delivered
    size_t parsed;                         //  sink requests looked at
    uint64_t first_high [CHAOS_SERVICES];  //  highest seq delivered first, per stream
    size_t posts, again, disorder, unstable, malformed;
};

//  ------------------------------------------------------------- commands

static Caseflow__V1__Reply *
s_gateway (chaos_webhooks_t *self, Caseflow__V1__Gateway__Command *own, const char *request_id)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_GATEWAY;
    command.gateway = own;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    //  One request id for every try: a retry is answered, not done twice.
    request.request_id = (char *) request_id;
    cf_api_client_t *client = cf_api_client_new (self->procs->proc [CHAOS_GATEWAY].api, 10000, 5);
    assert (client);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    cf_api_client_destroy (&client);
    return reply;
}

//  The subscription's state, or -1 when the query went unanswered.
static int
s_state (chaos_webhooks_t *self)
{
    Caseflow__V1__Gateway__WebhookStatusQuery status =
        CASEFLOW__V1__GATEWAY__WEBHOOK_STATUS_QUERY__INIT;
    status.subscription_id = self->subscription;
    Caseflow__V1__Gateway__Query own = CASEFLOW__V1__GATEWAY__QUERY__INIT;
    own.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOK_STATUS;
    own.webhook_status = &status;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_GATEWAY;
    query.gateway = &own;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    cf_api_client_t *client = cf_api_client_new (self->procs->proc [CHAOS_GATEWAY].api, 10000, 5);
    assert (client);
    int code;
    Caseflow__V1__Reply *reply = chaos_check_call (client, &request, &code);
    cf_api_client_destroy (&client);
    int state = reply && reply->query->gateway && reply->query->gateway->webhook_status
                    ? (int) reply->query->gateway->webhook_status->state
                    : -1;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    return state;
}

chaos_webhooks_t *
chaos_webhooks_new (chaos_procs_t *procs, chaos_faults_t *faults)
{
    chaos_webhooks_t *self = calloc (1, sizeof *self);
    assert (self);
    self->procs = procs;
    self->faults = faults;
    self->sink = cf_testsink_new ();
    self->arrived = zhashx_new ();
    assert (self->arrived);
    zhashx_set_destructor (self->arrived, chaos_item_free);
    char *types [S_TYPES];
    Caseflow__V1__Gateway__StreamCursor cursors [CHAOS_SERVICES], *from [CHAOS_SERVICES];
    for (size_t t = 0; t < S_TYPES; t++)
        types [t] = (char *) s_types [t].type;
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        caseflow__v1__gateway__stream_cursor__init (&cursors [s]);
        cursors [s].stream = (char *) chaos_service_name (s);
        cursors [s].seq = 1;
        from [s] = &cursors [s];
    }
    Caseflow__V1__Gateway__WebhookAdd add = CASEFLOW__V1__GATEWAY__WEBHOOK_ADD__INIT;
    add.sink = (char *) cf_testsink_url (self->sink);
    add.types = types;
    add.n_types = S_TYPES;
    add.token = S_TOKEN;
    add.from = from;
    add.n_from = CHAOS_SERVICES;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD;
    command.webhook_add = &add;
    Caseflow__V1__Reply *reply = s_gateway (self, &command, "chaos-webhook-add");
    if (!reply || cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK
        || !reply->command->gateway->subscription_added) {
        chaos_report (faults, &faults->failures, "gateway: WebhookAdd answered %d",
                      reply ? (int) cf_api_reply_code (reply) : -1);
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
        chaos_webhooks_destroy (&self);
        return NULL;
    }
    snprintf (self->subscription, sizeof self->subscription, "%s",
              reply->command->gateway->subscription_added->subscription_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    //  Nothing is delivered before the sink passed the handshake (10 s
    //  at most).
    int state = S_STATE (VERIFYING);
    for (int i = 0; i < 200 && (state == -1 || state == S_STATE (VERIFYING)); i++) {
        zclock_sleep (50);
        state = s_state (self);
    }
    if (state != S_STATE (ACTIVE)) {
        chaos_report (faults, &faults->failures,
                      "gateway: the webhook subscription %s is in state %d, not active after "
                      "the handshake",
                      self->subscription, state);
        chaos_webhooks_destroy (&self);
        return NULL;
    }
    return self;
}

//  ------------------------------------------------------------- the sink

//  The stream a delivery's source names, or -1.
static int
s_stream_of (const char *source)
{
    if (!source || strncmp (source, S_SOURCE, strlen (S_SOURCE)) != 0)
        return -1;
    for (int s = 0; s < CHAOS_SERVICES; s++)
        if (strcmp (source + strlen (S_SOURCE), chaos_service_name (s)) == 0)
            return s;
    return -1;
}

//  One POST the sink got: recorded by stream and seq, its order and id
//  checked against the earlier deliveries.
static void
s_take (chaos_webhooks_t *self, const cf_testsink_request_t *request)
{
    chaos_faults_t *faults = self->faults;
    self->posts++;
    json_t *root = json_loads (request->body, 0, NULL);
    const char *id = json_string_value (json_object_get (root, "id"));
    const char *type = json_string_value (json_object_get (root, "type"));
    const char *sequence = json_string_value (json_object_get (root, "sequence"));
    int stream = s_stream_of (json_string_value (json_object_get (root, "source")));
    char *end = NULL;
    uint64_t seq = sequence ? strtoull (sequence, &end, 10) : 0;
    if (!root || !id || !type || stream < 0 || !sequence || strlen (sequence) != 20 || *end
        || seq == 0 || strcmp (request->authorization, "Bearer " S_TOKEN) != 0
        || strcmp (request->content_type, "application/cloudevents+json") != 0) {
        self->malformed++;
        chaos_report (faults, &faults->mismatched,
                      "webhooks: delivery %zu is not a CloudEvent of a stream with its "
                      "sequence, the bearer token and the content type: %.200s",
                      self->posts, request->body);
        json_decref (root);
        return;
    }
    char key [64];
    snprintf (key, sizeof key, "%s %" PRIu64, chaos_service_name (stream), seq);
    s_event_t *event = zhashx_lookup (self->arrived, key);
    if (!event) {
        event = calloc (1, sizeof *event);
        assert (event);
        snprintf (event->id, sizeof event->id, "%s", id);
        for (size_t t = 0; t < S_TYPES; t++)
            if (strcmp (s_types [t].type, type) == 0)
                event->type = s_types [t].type;
        zhashx_insert (self->arrived, key, event);
        //  The next event of a stream goes out once the previous one was
        //  answered: a first arrival below a later one's is out of order.
        if (seq < self->first_high [stream]) {
            self->disorder++;
            chaos_report (faults, &faults->mismatched,
                          "webhooks: %s seq %" PRIu64 " first arrived after seq %" PRIu64,
                          chaos_service_name (stream), seq, self->first_high [stream]);
        } else
            self->first_high [stream] = seq;
    } else if (strcmp (event->id, id) != 0) {
        self->again++;
        self->unstable++;
        chaos_report (faults, &faults->mismatched,
                      "webhooks: %s seq %" PRIu64 " was delivered as %s, later as %s",
                      chaos_service_name (stream), seq, event->id, id);
    } else
        self->again++;
    event->deliveries++;
    json_decref (root);
}

//  Looks at the POSTs the sink got since the last call.
static void
s_take_new (chaos_webhooks_t *self)
{
    size_t count = cf_testsink_count (self->sink);
    for (; self->parsed < count; self->parsed++) {
        cf_testsink_request_t *request = cf_testsink_request (self->sink, self->parsed);
        if (strcmp (request->method, "POST") == 0)
            s_take (self, request);
        cf_testsink_request_free (&request);
    }
}

//  ------------------------------------------------------------ the check

typedef struct {
    zhashx_t *expected;  //  "<stream> <seq>" -> s_event_t, as the stream has it
    int service;
} s_read_t;

static void
s_expect (void *ctx, const Caseflow__V1__Event *event)
{
    s_read_t *read = ctx;
    for (size_t t = 0; t < S_TYPES; t++) {
        if ((int) event->body_case != s_types [t].body)
            continue;
        s_event_t *expected = calloc (1, sizeof *expected);
        assert (expected);
        snprintf (expected->id, sizeof expected->id, "%s", event->id);
        expected->type = s_types [t].type;
        char key [64];
        snprintf (key, sizeof key, "%s %" PRIu64, chaos_service_name (read->service), event->seq);
        zhashx_insert (read->expected, key, expected);
    }
}

//  Events of `expected` the sink has not got yet.
static size_t
s_missing (chaos_webhooks_t *self, zhashx_t *expected)
{
    size_t missing = 0;
    for (s_event_t *event = zhashx_first (expected); event; event = zhashx_next (expected))
        missing += !zhashx_lookup (self->arrived, zhashx_cursor (expected));
    return missing;
}

void
chaos_webhooks_check (chaos_webhooks_t *self, int timeout_ms, chaos_gateway_figures_t *figures)
{
    chaos_faults_t *faults = self->faults;
    s_read_t read = { .expected = zhashx_new () };
    assert (read.expected);
    zhashx_set_destructor (read.expected, chaos_item_free);
    for (int s = 0; s < CHAOS_SERVICES; s++) {
        read.service = s;
        chaos_replay (self->procs->proc [s].api, chaos_service_name (s), s_expect, &read, faults);
    }
    int64_t deadline = zclock_mono () + timeout_ms;
    while (true) {
        s_take_new (self);
        if (s_missing (self, read.expected) == 0 || zclock_mono () >= deadline)
            break;
        zclock_sleep (200);
    }
    size_t delivered = 0;
    for (s_event_t *event = zhashx_first (read.expected); event;
         event = zhashx_next (read.expected)) {
        const char *key = zhashx_cursor (read.expected);
        const s_event_t *arrived = zhashx_lookup (self->arrived, key);
        if (!arrived)
            chaos_report (faults, &faults->lost,
                          "webhooks: %s (%s, id %s) never reached the sink within %d s", key,
                          event->type, event->id, timeout_ms / 1000);
        else if (strcmp (arrived->id, event->id) != 0 || arrived->type != event->type)
            chaos_report (faults, &faults->mismatched,
                          "webhooks: %s is %s %s in its stream, the sink got %s %s", key,
                          event->type, event->id, arrived->type ? arrived->type : "another type",
                          arrived->id);
        else
            delivered++;
    }
    size_t strays = 0;
    for (s_event_t *event = zhashx_first (self->arrived); event;
         event = zhashx_next (self->arrived))
        if (!zhashx_lookup (read.expected, zhashx_cursor (self->arrived))) {
            strays++;
            chaos_report (faults, &faults->mismatched,
                          "webhooks: the sink got %s (%s), which no stream has as an event of "
                          "a subscribed type",
                          (const char *) zhashx_cursor (self->arrived), event->id);
        }
    //  Removed, so nothing moves the gateway's stream during the digests.
    Caseflow__V1__Gateway__WebhookRemove remove = CASEFLOW__V1__GATEWAY__WEBHOOK_REMOVE__INIT;
    remove.subscription_id = self->subscription;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_REMOVE;
    command.webhook_remove = &remove;
    Caseflow__V1__Reply *reply = s_gateway (self, &command, "chaos-webhook-remove");
    if (!reply || cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK)
        chaos_report (faults, &faults->failures, "gateway: WebhookRemove answered %d",
                      reply ? (int) cf_api_reply_code (reply) : -1);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    size_t expected = zhashx_size (read.expected);
    printf ("chaos: webhooks: %zu events of %zu subscribed types in 5 streams, %zu deliveries "
            "(%zu of them again), delivered %zu, missing %zu, out of order %zu, "
            "ids changed %zu, strays %zu, malformed %zu\n",
            expected, S_TYPES, self->posts, self->again, delivered, expected - delivered,
            self->disorder, self->unstable, strays, self->malformed);
    fflush (stdout);
    figures->subscribed = expected;
    figures->deliveries = self->posts;
    figures->missing = expected - delivered;
    zhashx_destroy (&read.expected);
}

void
chaos_webhooks_destroy (chaos_webhooks_t **self_p)
{
    chaos_webhooks_t *self = *self_p;
    if (!self)
        return;
    cf_testsink_destroy (&self->sink);
    zhashx_destroy (&self->arrived);
    free (self);
    *self_p = NULL;
}
