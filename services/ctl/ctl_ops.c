//  ctl_ops: the commands every service answers alike, sent to each:
//  `clock set|advance`, `status`, `digest`; and `tail`, live events of any
//  stream through the follower (ctl_follow.h).
//
//  A command sent to every service tries them all: the output has a line
//  (or object) per service, and the exit status is the first failure, a
//  service that did not answer (3) before a refusal (1). `status` is the
//  exception: a service that does not answer is reported as not alive
//  (exit 0: that is what status is for); one that refuses the query (this
//  key may not query it) is alive with its readiness unknown, exit 1.
#include "ctl.h"
#include "ctl_follow.h"
#include "ctl_render.h"

#include "cf_event.h"

#include <assert.h>
#include <czmq.h>
#include <string.h>

//  One service's answer (result NULL when rc is not CTL_OK), shown.
typedef void (s_row_fn) (const ctl_args_t *args, ctl_service_t service, int rc,
                         const ProtobufCMessage *result, json_t *array, ctl_table_t *table);

typedef struct {
    ctl_kind_t kind;
    const char *result;   //  the common result's member: "clock", "status", "digest"
    const char *headers;  //  of the table for people
    s_row_fn *row;
    int timeout_ms;  //  per try, at most (0: --timeout)
    //  A service that does not answer is what the command reports, no
    //  failure (status).
    bool silence_ok;
} s_each_t;

//  Sends a fresh copy of `body` (packed once, unpacked per service) to
//  every wanted service and shows each answer. Returns the exit status.
static int
s_each (const ctl_args_t *args, const bool *wanted, const s_each_t *each, ProtobufCMessage *body)
{
    //  These bodies are a time or nothing: a few bytes.
    uint8_t packed [64];
    size_t size = protobuf_c_message_get_packed_size (body);
    assert (size <= sizeof packed);
    protobuf_c_message_pack (body, packed);
    json_t *array = json_array ();
    ctl_table_t *table = args->ctl->json ? NULL : ctl_table_new (each->headers);
    int status = CTL_OK;
    for (int s = 0; s < CTL_ENDPOINT_COUNT; s++) {
        if (!wanted [s])
            continue;
        Caseflow__V1__Reply *reply = NULL;
        const ProtobufCMessage *result = NULL;
        ProtobufCMessage *copy = protobuf_c_message_unpack (body->descriptor, NULL, size, packed);
        int rc = ctl_ask (args->ctl, s, each->kind, copy, each->result, each->timeout_ms, &reply,
                          &result);
        each->row (args, s, rc, result, array, table);
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
        if (rc == CTL_UNREACHABLE && each->silence_ok)
            continue;
        if (rc != CTL_OK && (status == CTL_OK || rc == CTL_UNREACHABLE))
            status = rc;
    }
    protobuf_c_message_free_unpacked (body, NULL);
    if (table) {
        json_decref (array);
        ctl_table_print (&table);
    } else
        ctl_json_print (array);
    return status;
}

//  ---------------------------------------------------------------- clock

static void
s_clock_row (const ctl_args_t *args, ctl_service_t service, int rc, const ProtobufCMessage *result,
             json_t *array, ctl_table_t *table)
{
    (void) args;
    int64_t now = result ? ((const Caseflow__V1__ClockState *) result)->now : 0;
    char text [40];
    json_t *object = json_object ();
    json_object_set_new (object, "service", json_string (ctl_service_name (service)));
    json_object_set_new (object, "ok", json_boolean (rc == CTL_OK));
    json_object_set_new (object, "now", cf_fold_json_time (now));
    json_array_append_new (array, object);
    ctl_table_cell (table, ctl_service_name (service));
    ctl_table_cell (table, rc == CTL_OK ? ctl_time_text (now, text, sizeof text) : "no answer");
}

static int
s_clock (const ctl_args_t *args)
{
    bool set = strcmp (args->verb->name, "set") == 0;
    bool wanted [CTL_ENDPOINT_COUNT];
    const char *only = ctl_arg (args, "only");
    char *names [CTL_ENDPOINT_COUNT + 1];
    size_t count = 0;
    char *list = only ? strdup (only) : NULL;
    for (char *word = list ? strtok (list, ",") : NULL; word && count <= CTL_ENDPOINT_COUNT;
         word = strtok (NULL, ","))
        names [count++] = word;
    int rc = only && count == 0 ? ctl_usage_error ("--only: name a service")
                                : ctl_parse_services ("--only", (const char *const *) names, count,
                                                      CTL_ENDPOINT_COUNT, wanted);
    free (list);
    if (rc != CTL_OK)
        return rc;
    Caseflow__V1__ClockSet *clock_set = ctl_message_new (&caseflow__v1__clock_set__descriptor);
    Caseflow__V1__ClockAdvance *advance =
        ctl_message_new (&caseflow__v1__clock_advance__descriptor);
    rc = set ? ctl_parse_time ("TIME", args->positional [0], &clock_set->at)
             : ctl_parse_duration ("DURATION", args->positional [0], &advance->micros);
    protobuf_c_message_free_unpacked (set ? &advance->base : &clock_set->base, NULL);
    ProtobufCMessage *body = set ? &clock_set->base : &advance->base;
    if (rc != CTL_OK) {
        protobuf_c_message_free_unpacked (body, NULL);
        return rc;
    }
    static const s_each_t each = { CTL_COMMAND, "clock", "SERVICE CLOCK", s_clock_row, 0, false };
    return s_each (args, wanted, &each, body);
}

//  --------------------------------------------------------------- digest

static void
s_digest_row (const ctl_args_t *args, ctl_service_t service, int rc, const ProtobufCMessage *result,
              json_t *array, ctl_table_t *table)
{
    (void) args;
    (void) rc;
    json_t *object = json_object ();
    json_object_set_new (object, "service", json_string (ctl_service_name (service)));
    if (result)
        ctl_json_add (object, result, "sha256 events_applied");
    else {
        json_object_set_new (object, "sha256", json_null ());
        json_object_set_new (object, "events_applied", json_null ());
    }
    json_array_append_new (array, object);
    ctl_table_cell (table, ctl_service_name (service));
    if (result)
        ctl_table_cells (table, result, "sha256 events_applied");
    else {
        ctl_table_cell (table, NULL);
        ctl_table_cell (table, NULL);
    }
}

static int
s_digest (const ctl_args_t *args)
{
    bool wanted [CTL_ENDPOINT_COUNT];
    int rc = ctl_parse_services ("digest", args->positional, args->positional_count,
                                 CTL_ENDPOINT_COUNT, wanted);
    if (rc != CTL_OK)
        return rc;
    static const s_each_t each = { CTL_QUERY,    "digest", "SERVICE SHA256 EVENTS",
                                   s_digest_row, 0,        false };
    return s_each (args, wanted, &each, ctl_message_new (&caseflow__v1__digest_query__descriptor));
}

//  --------------------------------------------------------------- status

//  Why each service that answered with a refusal gave no figures.
static const char *s_notes [CTL_ENDPOINT_COUNT];

static void
s_status_row (const ctl_args_t *args, ctl_service_t service, int rc, const ProtobufCMessage *result,
              json_t *array, ctl_table_t *table)
{
    //  A refusal is an answer: the service is up, but what it knows
    //  (ready, figures) stays unknown to this key.
    const char *note = rc != CTL_REFUSED ? NULL
                       : args->ctl->refused_code == CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED
                           ? "this key may not query it"
                           : "it refused the status query";
    const Caseflow__V1__ServiceStatus *status = (const void *) result;
    json_t *object = json_object ();
    json_object_set_new (object, "service", json_string (ctl_service_name (service)));
    json_object_set_new (object, "alive", json_boolean (status || note));
    if (status)
        ctl_json_add (object, result, "ready last_seq journal_events journal_bytes store_full");
    else {
        json_object_set_new (object, "ready", note ? json_null () : json_false ());
        json_object_set_new (object, "last_seq", note ? json_null () : json_integer (0));
        json_object_set_new (object, "journal_events", note ? json_null () : json_integer (0));
        json_object_set_new (object, "journal_bytes", note ? json_null () : json_integer (0));
        json_object_set_new (object, "store_full", note ? json_null () : json_false ());
    }
    json_t *lags = json_object ();
    char lag [256] = "";
    for (size_t u = 0; status && u < status->n_upstreams; u++) {
        const Caseflow__V1__UpstreamStatus *upstream = status->upstreams [u];
        json_object_set_new (lags, upstream->stream, json_integer ((json_int_t) upstream->lag));
        size_t len = strlen (lag);
        snprintf (lag + len, sizeof lag - len, "%s%s=%llu", len ? " " : "", upstream->stream,
                  (unsigned long long) upstream->lag);
    }
    json_object_set_new (object, "upstream_lag", lags);
    json_object_set_new (object, "note", ctl_json_text (note));
    json_array_append_new (array, object);
    ctl_table_cell (table, ctl_service_name (service));
    ctl_table_cell (table, status || note ? "yes" : "no");
    if (status)
        ctl_table_cells (table, result, "ready last_seq journal_events journal_bytes");
    else
        for (int i = 0; i < 4; i++)
            ctl_table_cell (table, i == 0 && !note ? "no" : NULL);
    ctl_table_cell (table, lag);
    s_notes [service] = note;
}

//  True when every answering service is ready and its cursor on every
//  answering upstream equals that upstream's last seq; *signature_p sums
//  the seqs, to see that nothing moved between two rounds.
static bool
s_settled (ctl_t *ctl, uint64_t *signature_p)
{
    Caseflow__V1__Reply *replies [CTL_SERVICE_COUNT] = { NULL };
    const Caseflow__V1__ServiceStatus *status [CTL_SERVICE_COUNT] = { NULL };
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (ctl_ask (ctl, s, CTL_QUERY, ctl_message_new (&caseflow__v1__status_query__descriptor),
                     "status", 1000, &replies [s], (const ProtobufCMessage **) &status [s])
            != CTL_OK)
            status [s] = NULL;
    bool settled = true;
    uint64_t signature = 0;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        if (!status [s])
            continue;
        settled &= status [s]->ready;
        signature += status [s]->last_seq;
        for (size_t u = 0; u < status [s]->n_upstreams; u++) {
            const Caseflow__V1__UpstreamStatus *upstream = status [s]->upstreams [u];
            signature += upstream->cursor;
            for (int p = 0; p < CTL_SERVICE_COUNT; p++)
                if (status [p] && strcmp (ctl_service_name (p), upstream->stream) == 0)
                    settled &= upstream->cursor == status [p]->last_seq;
        }
    }
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        if (replies [s])
            caseflow__v1__reply__free_unpacked (replies [s], NULL);
    *signature_p = signature;
    return settled;
}

static int
s_status (const ctl_args_t *args)
{
    if (ctl_arg (args, "settle")) {
        //  Quiet: settled twice in a row with nothing new, within 30 s.
        int64_t deadline = zclock_mono () + 30000;
        uint64_t previous = UINT64_MAX, signature = 0;
        bool quiet = false;
        while (!quiet && zclock_mono () < deadline) {
            bool settled = s_settled (args->ctl, &signature);
            quiet = settled && signature == previous;
            previous = settled ? signature : UINT64_MAX;
            if (!quiet)
                zclock_sleep (20);
        }
        if (!quiet) {
            fprintf (stderr, "caseflowctl: status: the services did not settle within 30 s\n");
            return CTL_UNREACHABLE;
        }
    }
    //  The four services and the console, which answers the report.
    bool wanted [CTL_ENDPOINT_COUNT] = { true, true, true, true, false, true };
    static const s_each_t each = {
        CTL_QUERY,    "status", "SERVICE ALIVE READY LAST_SEQ EVENTS BYTES UPSTREAM_LAG",
        s_status_row, 1000,     true
    };
    //  Exit status of CLI.md: a refusal is 1, even where others answered.
    int rc =
        s_each (args, wanted, &each, ctl_message_new (&caseflow__v1__status_query__descriptor));
    for (int s = 0; s < CTL_ENDPOINT_COUNT && !args->ctl->json; s++)
        if (s_notes [s])
            printf ("%s answered, but %s: ready and figures unknown\n", ctl_service_name (s),
                    s_notes [s]);
    return rc;
}

//  ----------------------------------------------------------------- tail

static int
s_print_event (void *ctx, const Caseflow__V1__Event *event)
{
    const ctl_args_t *args = ctx;
    if (args->ctl->json) {
        json_t *object = ctl_json_message (&event->base, "stream seq");
        json_object_set_new (object, "type", json_string (cf_event_type_name (event)));
        ctl_json_print (ctl_json_add (object, &event->base, "occurred_at:time case_id? id"));
    } else {
        char when [40];
        printf ("%-12s %8llu  %s  %-22s %s\n", event->stream, (unsigned long long) event->seq,
                ctl_time_text (event->occurred_at, when, sizeof when), cf_event_type_name (event),
                event->case_id);
        fflush (stdout);
    }
    return 1;
}

static int
s_tail (const ctl_args_t *args)
{
    ctl_follow_t follow = { .print = s_print_event, .ctx = (void *) args };
    uint64_t from = 0;
    int rc = ctl_parse_services ("tail", args->positional, args->positional_count,
                                 CTL_SERVICE_COUNT, follow.wanted);
    if (rc == CTL_OK && ctl_arg (args, "from"))
        rc = ctl_parse_uint ("from", ctl_arg (args, "from"), 1, UINT64_MAX, &from);
    if (rc == CTL_OK && ctl_arg (args, "count"))
        rc = ctl_parse_uint ("count", ctl_arg (args, "count"), 1, UINT64_MAX, &follow.limit);
    if (rc != CTL_OK)
        return rc;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        follow.cursors [s] = from ? from - 1 : UINT64_MAX;
    return ctl_follow (args->ctl, &follow);
}

//  ---------------------------------------------------------------- verbs

const ctl_verb_t ctl_ops_verbs [] = {
    CTL_RUN ("tail", "", "[STREAM...] [--from SEQ] [--count N]", "from count", "[STREAM...]",
             s_tail),
    CTL_RUN ("clock", "set", "TIME [--only SERVICE[,SERVICE]]", "only", "TIME", s_clock),
    CTL_RUN ("clock", "advance", "DURATION [--only SERVICE[,SERVICE]]", "only", "DURATION",
             s_clock),
    CTL_RUN ("status", "", "[--settle]", "settle?", NULL, s_status),
    CTL_RUN ("digest", "", "[SERVICE...]", "", "[SERVICE...]", s_digest),
    { NULL },
};
