//  caseflow-testsvc: a small service that exercises the common runtime end
//  to end (journal, replay, api, idempotency, bus, clock, shutdown).
//
//  It keeps named counters (Increment), records notes in bulk (Generate),
//  can stall inside a command (Stall, to signal it while busy), and, when
//  given an upstream stream, applies that stream's events while checking
//  that they arrive exactly once and in order. Its stream name and upstream
//  come from CASEFLOW_TESTSVC_STREAM (default "testsvc") and
//  CASEFLOW_TESTSVC_UPSTREAM (none by default), so a test can run a
//  producer and a consumer of the same program side by side.
#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_log.h"
#include "cf_service.h"

#include <assert.h>
#include <czmq.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *stream;
    char *upstream;      //  NULL when none
    bool observe;        //  react to upstream events with UpstreamObserved
    zhashx_t *counters;  //  name -> int64_t *
    uint64_t own_events;
    uint64_t upstream_events;
    uint64_t upstream_last_seq;
    uint64_t upstream_violations;
    uint64_t notes;
} testsvc_t;

static void
s_counter_free (void **item_p)
{
    free (*item_p);
    *item_p = NULL;
}

static void *
s_state_new (cf_service_t *service)
{
    testsvc_t *self = calloc (1, sizeof *self);
    assert (self);
    self->stream = strdup (cf_service_name (service));
    const char *upstream = getenv ("CASEFLOW_TESTSVC_UPSTREAM");
    self->upstream = upstream && *upstream ? strdup (upstream) : NULL;
    self->observe = cf_config_bool (cf_service_config (service), "observe");
    self->counters = zhashx_new ();
    zhashx_set_destructor (self->counters, s_counter_free);
    return self;
}

static void
s_state_destroy (void **state_p)
{
    testsvc_t *self = *state_p;
    zhashx_destroy (&self->counters);
    free (self->stream);
    free (self->upstream);
    free (self);
    *state_p = NULL;
}

static int64_t
s_counter_value (testsvc_t *self, const char *name)
{
    int64_t *value = zhashx_lookup (self->counters, name);
    return value ? *value : 0;
}

static int
s_apply (void *state, const Caseflow__V1__Event *event)
{
    testsvc_t *self = state;
    if (strcmp (event->stream, self->stream) == 0)
        self->own_events++;
    else if (self->upstream && strcmp (event->stream, self->upstream) == 0) {
        //  The runtime promises each upstream seq once, in order.
        if (event->seq != self->upstream_last_seq + 1)
            self->upstream_violations++;
        self->upstream_last_seq = event->seq;
        self->upstream_events++;
        return 0;
    } else
        return -1;

    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_COUNTER_INCREMENTED: {
            const char *name = event->counter_incremented->counter;
            int64_t *value = zhashx_lookup (self->counters, name);
            if (!value) {
                value = calloc (1, sizeof *value);
                assert (value);
                zhashx_insert (self->counters, name, value);
            }
            *value += event->counter_incremented->amount;
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED: self->notes++; break;
        default: break;
    }
    return 0;
}

static void
s_counter_result (testsvc_t *self, const char *name, Caseflow__V1__Testing__CounterValue **value_p)
{
    Caseflow__V1__Testing__CounterValue *value = malloc (sizeof *value);
    assert (value);
    caseflow__v1__testing__counter_value__init (value);
    value->counter = cf_strdup (name);
    value->value = s_counter_value (self, name);
    *value_p = value;
}

static void
s_increment (testsvc_t *self, cf_service_t *service,
             const Caseflow__V1__Testing__Increment *command, Caseflow__V1__Reply *reply)
{
    size_t len = strlen (command->counter);
    if (len == 0 || len > 64) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.increment.counter", "must be 1-64 characters");
        return;
    }
    if (command->amount == 0) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.increment.amount", "must not be zero");
        return;
    }
    Caseflow__V1__Testing__CounterIncremented body =
        CASEFLOW__V1__TESTING__COUNTER_INCREMENTED__INIT;
    body.counter = command->counter;
    body.amount = command->amount;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_COUNTER_INCREMENTED;
    event.counter_incremented = &body;
    if (cf_service_emit (service, &event))
        return;
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_COUNTER;
    s_counter_result (self, command->counter, &result->counter);
}

static void
s_generate (cf_service_t *service, const Caseflow__V1__Testing__Generate *command,
            Caseflow__V1__Reply *reply)
{
    if (command->count < 1 || command->count > 100000) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.generate.count", "must be 1-100000");
        return;
    }
    if (command->size > 4096) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "command.generate.size", "must be at most 4096");
        return;
    }
    char *text = malloc (command->size + 1);
    assert (text);
    memset (text, 'n', command->size);
    text [command->size] = 0;
    Caseflow__V1__Testing__NoteRecorded body = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
    body.text = text;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
    event.note_recorded = &body;
    for (uint32_t i = 0; i < command->count; i++)
        if (cf_service_emit (service, &event))
            break;
    free (text);
    cf_api_reply_command (reply);
}

static void
s_handle_command (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                  Caseflow__V1__Reply *reply)
{
    testsvc_t *self = state;
    switch (command->body_case) {
        case CASEFLOW__V1__COMMAND__BODY_INCREMENT:
            s_increment (self, service, command->increment, reply);
            break;
        case CASEFLOW__V1__COMMAND__BODY_GENERATE:
            s_generate (service, command->generate, reply);
            break;
        case CASEFLOW__V1__COMMAND__BODY_STALL: {
            if (command->stall->millis > 10000) {
                cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                     "command.stall.millis", "must be at most 10000");
                return;
            }
            //  Blocks the loop on purpose: signals arrive while busy. A
            //  signal interrupts nanosleep (EINTR, whatever SA_RESTART
            //  says); sleep the rest, or the stall ends when the signal
            //  the test sends to catch it busy arrives.
            struct timespec pause = { command->stall->millis / 1000,
                                      (long) (command->stall->millis % 1000) * 1000000L };
            while (nanosleep (&pause, &pause) == -1 && errno == EINTR)
                ;
            Caseflow__V1__Testing__NoteRecorded body = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
            body.text = "stalled";
            Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
            event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
            event.note_recorded = &body;
            if (cf_service_emit (service, &event) == 0)
                cf_api_reply_command (reply);
            break;
        }
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                                 "not a command of the test service");
    }
}

static void
s_handle_query (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                Caseflow__V1__Reply *reply)
{
    (void) service;
    testsvc_t *self = state;
    if (query->body_case == CASEFLOW__V1__QUERY__BODY_GET_COUNTER) {
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_COUNTER;
        s_counter_result (self, query->get_counter->counter, &result->counter);
    } else if (query->body_case == CASEFLOW__V1__QUERY__BODY_GET_SUMMARY) {
        Caseflow__V1__Testing__Summary *summary = malloc (sizeof *summary);
        assert (summary);
        caseflow__v1__testing__summary__init (summary);
        summary->own_events = self->own_events;
        summary->upstream_events = self->upstream_events;
        summary->upstream_last_seq = self->upstream_last_seq;
        summary->upstream_violations = self->upstream_violations;
        summary->notes = self->notes;
        Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
        result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_SUMMARY;
        result->summary = summary;
    } else
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the test service");
}

static void
s_handle_upstream (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    testsvc_t *self = state;
    if (!self->observe)
        return;
    Caseflow__V1__Testing__UpstreamObserved body = CASEFLOW__V1__TESTING__UPSTREAM_OBSERVED__INIT;
    body.stream = event->stream;
    body.seq = event->seq;
    Caseflow__V1__Event reaction = CASEFLOW__V1__EVENT__INIT;
    reaction.body_case = CASEFLOW__V1__EVENT__BODY_UPSTREAM_OBSERVED;
    reaction.upstream_observed = &body;
    cf_service_emit (service, &reaction);
}

static int
s_compare_names (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

//  Canonical: counters in name order, then the counts, as text.
static void
s_digest (void *state, crypto_hash_sha256_state *hash)
{
    testsvc_t *self = state;
    size_t count = zhashx_size (self->counters);
    const char **names = calloc (count + 1, sizeof *names);
    assert (names);
    size_t i = 0;
    for (void *value = zhashx_first (self->counters); value; value = zhashx_next (self->counters))
        names [i++] = zhashx_cursor (self->counters);
    qsort (names, count, sizeof *names, s_compare_names);
    char line [160];
    for (i = 0; i < count; i++) {
        int len = snprintf (line, sizeof line, "counter %s %lld\n", names [i],
                            (long long) s_counter_value (self, names [i]));
        crypto_hash_sha256_update (hash, (unsigned char *) line, (size_t) len);
    }
    free (names);
    int len =
        snprintf (line, sizeof line, "own %llu upstream %llu last %llu bad %llu notes %llu\n",
                  (unsigned long long) self->own_events, (unsigned long long) self->upstream_events,
                  (unsigned long long) self->upstream_last_seq,
                  (unsigned long long) self->upstream_violations, (unsigned long long) self->notes);
    crypto_hash_sha256_update (hash, (unsigned char *) line, (size_t) len);
}

//  The runtime's key check. The test service holds no keys: it logs the
//  counter "kept" of the state it is given, so a test sees the check run
//  on the state rebuilt after a failed commit as well as at start.
static const char *
s_check_keys (void *state, cf_service_t *service)
{
    (void) service;
    cf_log_info ("check_keys: counter kept is %lld", (long long) s_counter_value (state, "kept"));
    return NULL;
}

int
main (int argc, char **argv)
{
    const char *stream = getenv ("CASEFLOW_TESTSVC_STREAM");
    const char *upstream = getenv ("CASEFLOW_TESTSVC_UPSTREAM");
    const char *upstreams [] = { upstream && *upstream ? upstream : NULL, NULL };
    static const cf_config_entry_t config [] = {
        { "observe", "CASEFLOW_TESTSVC_OBSERVE", CF_CONFIG_BOOL, "false",
          "react to every upstream event with an UpstreamObserved event", NULL, 0, 0 },
    };
    cf_service_def_t def = {
        .name = stream && *stream ? stream : "testsvc",
        .summary = "the test service: counters, bulk notes, an optional upstream",
        .upstreams = upstreams,
        .events_port = 5691,
        .api_port = 5692,
        .http_port = 8691,
        .config = config,
        .config_count = 1,
        .state_new = s_state_new,
        .state_destroy = s_state_destroy,
        .apply = s_apply,
        .handle_command = s_handle_command,
        .handle_query = s_handle_query,
        .handle_upstream = s_handle_upstream,
        .digest = s_digest,
        .check_keys = s_check_keys,
    };
    return cf_service_main (&def, argc, argv);
}
