//  cf_testpublisher: publishers, their CloudEvents and the tally of the
//  gateway's stream (see cf_testpublisher.h).
//
//  An event is a function of its publisher and number alone, so a repeat
//  sent later (or by another connection of the same publisher) is the
//  same event byte for byte, as a publisher's retry is.
#include "cf_testpublisher.h"

#include "cf_api.h"

#include "caseflow/v1/api.pb-c.h"

#include <assert.h>
#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    const char *type;
    Caseflow__V1__Gateway__PublisherChannel channel;
} s_kinds [CF_TESTPUBLISHER_KINDS] = {
    [CF_TESTPUBLISHER_REFERRAL] = { "partner", "nl.sociaal-domein.verwijzing-ontvangen",
                                    CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PARTNER },
    [CF_TESTPUBLISHER_ANNOUNCEMENT] = { "provider", "nl.sociaal-domein.overdracht-aangekondigd",
                                        CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_PROVIDER },
    [CF_TESTPUBLISHER_DECISION] = { "backoffice", "nl.sociaal-domein.beschikking-aangevraagd",
                                    CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_MUNICIPALITY },
    [CF_TESTPUBLISHER_CALL] = { "telephony", "nl.telefonie.gesprek-aangeboden",
                                CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_TELEPHONY },
};

//  The largest event this module writes, with room to spare.
#define S_EVENT_MAX 1024

void
cf_testpublisher_init (cf_testpublisher_t *self, int number, cf_testpublisher_kind_t kind)
{
    assert (kind >= 0 && kind < CF_TESTPUBLISHER_KINDS && number >= 0 && number < 1000);
    memset (self, 0, sizeof *self);
    self->kind = kind;
    self->type = s_kinds [kind].type;
    self->channel = (int) s_kinds [kind].channel;
    snprintf (self->id, sizeof self->id, "publisher-%d", number);
    snprintf (self->source, sizeof self->source, "urn:nld:oin:00000001823288444000:systeem:%s-%d",
              s_kinds [kind].name, number);
    snprintf (self->token, sizeof self->token, "%s-token-%03d-0123456789abcdefghijklmnopqrstuv",
              s_kinds [kind].name, number);
    self->token [48] = 0;
    snprintf (self->auth, sizeof self->auth, "Authorization: Bearer %s\r\n", self->token);
}

int
cf_testpublisher_add (const cf_testpublisher_t *self, const char *api)
{
    Caseflow__V1__Gateway__PublisherAdd add = CASEFLOW__V1__GATEWAY__PUBLISHER_ADD__INIT;
    add.publisher_id = (char *) self->id;
    add.source = (char *) self->source;
    char *types [1] = { (char *) self->type };
    add.types = types;
    add.n_types = 1;
    add.channel = (Caseflow__V1__Gateway__PublisherChannel) self->channel;
    add.token = (char *) self->token;
    Caseflow__V1__Gateway__Command gateway = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    gateway.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_PUBLISHER_ADD;
    gateway.publisher_add = &add;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_GATEWAY;
    command.gateway = &gateway;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    //  One request id for every try: a retry is answered, not done twice.
    char request_id [48];
    snprintf (request_id, sizeof request_id, "add-%s", self->id);
    request.request_id = request_id;
    cf_api_client_t *client = cf_api_client_new (api, 5000, 5);
    assert (client);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
    int code = reply ? (int) cf_api_reply_code (reply) : -1;
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return code == CASEFLOW__V1__STATUS__CODE__OK ? 0 : code;
}

void
cf_testpublisher_event_id (uint64_t number, char *id, size_t size)
{
    snprintf (id, size, "ev-%08" PRIu64, number);
}

//  The event's `data` object, into `buf`; returns its length.
static size_t
s_data (const cf_testpublisher_t *self, uint64_t number, char *buf, size_t size)
{
    //  Residents differ by number: name, birth date.
    char resident [160];
    snprintf (resident, sizeof resident,
              "{\"name\":\"Resident %" PRIu64 "\",\"birth_date\":\"19%02d-%02d-%02d\"}", number,
              50 + (int) (number % 50), 1 + (int) (number % 12), 1 + (int) (number % 28));
    int n = 0;
    switch (self->kind) {
        case CF_TESTPUBLISHER_REFERRAL:
            n = snprintf (buf, size,
                          "{\"resident\":%s,\"domains\":[\"debt\",\"housing\"],"
                          "\"question\":\"rent arrears, letter %" PRIu64 "\"}",
                          resident, number);
            break;
        case CF_TESTPUBLISHER_ANNOUNCEMENT:
            n = snprintf (buf, size,
                          "{\"resident\":%s,\"domains\":[\"youth\"],"
                          "\"support\":\"weekly family coaching\",\"deadline\":\"2022-06-30\"}",
                          resident);
            break;
        case CF_TESTPUBLISHER_DECISION:
            n = snprintf (buf, size,
                          "{\"resident\":%s,\"decision_id\":\"WMO-%" PRIu64 "\",\"law\":\"wmo\"}",
                          resident, number);
            break;
        case CF_TESTPUBLISHER_CALL:
        default:
            n = snprintf (buf, size,
                          "{\"call_id\":\"call-%" PRIu64 "\",\"line\":\"social-team\","
                          "\"queued_at\":\"2022-03-01T07:59:00Z\"}",
                          number);
            break;
    }
    assert (n > 0 && (size_t) n < size);
    return (size_t) n;
}

//  The structured event, into `buf`; returns its length.
static size_t
s_event (const cf_testpublisher_t *self, uint64_t number, char *buf, size_t size)
{
    char id [32], data [S_EVENT_MAX];
    cf_testpublisher_event_id (number, id, sizeof id);
    s_data (self, number, data, sizeof data);
    int n = snprintf (buf, size,
                      "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"%s\",\"type\":\"%s\","
                      "\"time\":\"2022-03-01T08:00:00Z\",\"datacontenttype\":\"application/json\","
                      "\"data\":%s}",
                      id, self->source, self->type, data);
    assert (n > 0 && (size_t) n < size);
    return (size_t) n;
}

int
cf_testpublisher_post (const cf_testpublisher_t *self, cf_testhttp_t *http, const uint64_t *numbers,
                       size_t count, bool binary)
{
    assert (count >= 1 && count <= 1000);
    char headers [1024];
    size_t cap = count * S_EVENT_MAX + 16, used = 0;
    char *body = malloc (cap);
    assert (body);
    if (count == 1 && binary) {
        char id [32];
        cf_testpublisher_event_id (numbers [0], id, sizeof id);
        snprintf (headers, sizeof headers,
                  "%sContent-Type: application/json\r\nce-specversion: 1.0\r\nce-id: %s\r\n"
                  "ce-source: %s\r\nce-type: %s\r\nce-time: 2022-03-01T08:00:00Z\r\n",
                  self->auth, id, self->source, self->type);
        used = s_data (self, numbers [0], body, cap);
    } else if (count == 1) {
        snprintf (headers, sizeof headers, "%sContent-Type: application/cloudevents+json\r\n",
                  self->auth);
        used = s_event (self, numbers [0], body, cap);
    } else {
        snprintf (headers, sizeof headers, "%sContent-Type: application/cloudevents-batch+json\r\n",
                  self->auth);
        body [used++] = '[';
        for (size_t i = 0; i < count; i++) {
            if (i)
                body [used++] = ',';
            used += s_event (self, numbers [i], body + used, cap - used);
        }
        body [used++] = ']';
    }
    int status = cf_testhttp_request (http, "POST", "/events", headers, body, used);
    free (body);
    return status;
}

//  ------------------------------------------------------------- the plan

//  splitmix64: the same plan from the same seed on every machine.
static uint64_t
s_next (uint64_t *state)
{
    uint64_t z = (*state += UINT64_C (0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C (0x94D049BB133111EB);
    return z ^ (z >> 31);
}

void
cf_testpublisher_plan_init (cf_testpublisher_plan_t *self, size_t events, size_t batch_max,
                            uint64_t seed)
{
    assert (events > 0 && batch_max >= 2 && batch_max <= 1000);
    memset (self, 0, sizeof *self);
    self->slots = calloc (events, sizeof *self->slots);
    self->requests = calloc (events, sizeof *self->requests);
    assert (self->slots && self->requests);
    uint64_t rng = seed, fresh = 0;
    for (size_t i = 0; i < events; i++) {
        if (i % 10 == 9)
            self->slots [i] = fresh - 1 - s_next (&rng) % (fresh < 20 ? fresh : 20);
        else
            self->slots [i] = fresh++;
    }
    self->slot_count = events;
    self->distinct = (size_t) fresh;
    for (size_t at = 0; at < events;) {
        cf_testpublisher_request_t *request = &self->requests [self->request_count++];
        uint64_t draw = s_next (&rng);
        request->first = at;
        request->count = draw % 2 ? 1 : 2 + (size_t) (draw >> 8) % (batch_max - 1);
        if (request->count > events - at)
            request->count = events - at;
        request->binary = request->count == 1 && (draw >> 20) % 4 == 0;
        at += request->count;
    }
}

void
cf_testpublisher_plan_free (cf_testpublisher_plan_t *self)
{
    free (self->slots);
    free (self->requests);
    memset (self, 0, sizeof *self);
}

int
cf_testpublisher_post_request (const cf_testpublisher_t *self, cf_testhttp_t *http,
                               const cf_testpublisher_plan_t *plan, size_t r)
{
    assert (r < plan->request_count);
    const cf_testpublisher_request_t *request = &plan->requests [r];
    return cf_testpublisher_post (self, http, plan->slots + request->first, request->count,
                                  request->binary);
}

//  ------------------------------------------------------------ the tally

struct _cf_testpublisher_tally_t {
    zhashx_t *times;  //  "source id" -> count (as a pointer-sized integer)
    size_t accepted;
    uint64_t head;
};

static void
s_count (cf_testpublisher_tally_t *self, const char *source, const char *id)
{
    char key [600];
    snprintf (key, sizeof key, "%s %s", source, id);
    uintptr_t times = (uintptr_t) zhashx_lookup (self->times, key);
    zhashx_update (self->times, key, (void *) (times + 1));
    self->accepted++;
}

cf_testpublisher_tally_t *
cf_testpublisher_tally_new (const char *api)
{
    cf_testpublisher_tally_t *self = calloc (1, sizeof *self);
    assert (self);
    self->times = zhashx_new ();
    assert (self->times);
    cf_api_client_t *client = cf_api_client_new (api, 10000, 5);
    assert (client);
    uint64_t from = 1;
    for (;;) {
        Caseflow__V1__ReplayRequest replay = CASEFLOW__V1__REPLAY_REQUEST__INIT;
        replay.stream = (char *) "gateway";
        replay.from_seq = from;
        replay.max_events = 5000;
        Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
        request.body_case = CASEFLOW__V1__REQUEST__BODY_REPLAY;
        request.replay = &replay;
        Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, NULL);
        if (!reply || cf_api_reply_code (reply) != CASEFLOW__V1__STATUS__CODE__OK
            || !reply->replay) {
            fprintf (stderr,
                     "cf_testpublisher: replay of the gateway stream from seq %" PRIu64
                     " went unanswered\n",
                     from);
            if (reply)
                caseflow__v1__reply__free_unpacked (reply, NULL);
            cf_api_client_destroy (&client);
            cf_testpublisher_tally_destroy (&self);
            return NULL;
        }
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++) {
            const Caseflow__V1__Event *event = batch->events [i];
            from = event->seq + 1;
            if (event->body_case == CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED)
                s_count (self, event->inbound_accepted->source, event->inbound_accepted->ce_id);
        }
        self->head = batch->last_seq;
        bool done = batch->n_events == 0 || from > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    cf_api_client_destroy (&client);
    return self;
}

void
cf_testpublisher_tally_destroy (cf_testpublisher_tally_t **self_p)
{
    cf_testpublisher_tally_t *self = *self_p;
    if (!self)
        return;
    zhashx_destroy (&self->times);
    free (self);
    *self_p = NULL;
}

size_t
cf_testpublisher_tally_times (const cf_testpublisher_tally_t *self, const char *source,
                              const char *id)
{
    char key [600];
    snprintf (key, sizeof key, "%s %s", source, id);
    return (size_t) (uintptr_t) zhashx_lookup (self->times, key);
}

size_t
cf_testpublisher_tally_accepted (const cf_testpublisher_tally_t *self)
{
    return self->accepted;
}

size_t
cf_testpublisher_tally_distinct (const cf_testpublisher_tally_t *self)
{
    return zhashx_size (self->times);
}

uint64_t
cf_testpublisher_tally_head (const cf_testpublisher_tally_t *self)
{
    return self->head;
}
