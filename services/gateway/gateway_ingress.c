//  gateway_ingress: POST /events and GET /events/{source}/{id} (see
//  gateway_ingress.h). The protocol only: parsing is gateway_cloudevent's
//  and gateway_data's, the decision gateway_decide_inbound's.
#include "gateway_ingress.h"
#include "gateway_cloudevent.h"
#include "gateway_data.h"
#include "gateway_decide.h"
#include "gateway_secrets.h"
#include "gateway_state.h"
#include "gateway_validate.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_PROBLEM "application/problem+json"
#define S_JSON    "application/json"

static const int s_statuses [] = { 400, 401, 403, 404, 405, 415, 503 };
#define S_STATUSES (sizeof s_statuses / sizeof s_statuses [0])

struct _gateway_meters_t {
    cf_metric_t *accepted;
    cf_metric_t *repeats;
    cf_metric_t *refused [S_STATUSES];
};

gateway_meters_t *
gateway_meters_new (cf_metrics_t *metrics)
{
    gateway_meters_t *self = calloc (1, sizeof *self);
    assert (self);
    static const char inbound [] = "CloudEvents answered 202, by whether they were new";
    self->accepted =
        cf_metrics_counter (metrics, "gateway_inbound_total", inbound, "outcome=\"accepted\"");
    self->repeats =
        cf_metrics_counter (metrics, "gateway_inbound_total", inbound, "outcome=\"repeat\"");
    for (size_t i = 0; i < S_STATUSES; i++) {
        char labels [32];
        snprintf (labels, sizeof labels, "status=\"%d\"", s_statuses [i]);
        self->refused [i] = cf_metrics_counter (metrics, "gateway_refused_total",
                                                "Requests to /events refused, by status", labels);
    }
    return self;
}

//  Counts a refusal of `status` (when the state has counters).
static void
s_count_refused (const gateway_state_t *state, int status)
{
    for (size_t i = 0; state->meters && i < S_STATUSES; i++)
        if (s_statuses [i] == status)
            cf_metric_add (state->meters->refused [i], 1);
}

static const char *
s_title (int status)
{
    switch (status) {
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 415: return "Unsupported Media Type";
        case 503: return "Service Unavailable";
        default: return "Error";
    }
}

//  Answers `request` at once with a JSON document (stolen).
static void
s_answer_json (cf_service_t *service, cf_http_request_t *request, int status,
               const char *content_type, json_t *document)
{
    char *text = json_dumps (document, JSON_COMPACT);
    json_decref (document);
    assert (text);
    cf_service_http_answer (service, request, 0, (unsigned) status, content_type, text,
                            strlen (text));
    free (text);
}

//  RFC 9457: type, title, status, detail; `attribute` (the attribute or
//  the data field) and `index` (the event's position in a batch) when known.
static void
s_problem (const gateway_state_t *state, cf_service_t *service, cf_http_request_t *request,
           const gateway_problem_t *problem)
{
    s_count_refused (state, problem->status);
    json_t *document =
        json_pack ("{s:s, s:s, s:i, s:s}", "type", "about:blank", "title",
                   s_title (problem->status), "status", problem->status, "detail", problem->detail);
    assert (document);
    if (*problem->attribute)
        json_object_set_new (document, "attribute", json_string (problem->attribute));
    if (problem->index != GATEWAY_NO_INDEX)
        json_object_set_new (document, "index", json_integer ((json_int_t) problem->index));
    s_answer_json (service, request, problem->status, S_PROBLEM, document);
}

static void
s_refuse (const gateway_state_t *state, cf_service_t *service, cf_http_request_t *request,
          int status, const char *attribute, const char *detail)
{
    gateway_problem_t problem = { .index = GATEWAY_NO_INDEX };
    gateway_problem (&problem, status, attribute, "%s", detail);
    s_problem (state, service, request, &problem);
}

//  The publisher the bearer token of `request` belongs to, or NULL after
//  answering 401 (or 503 when the key store fails).
static const gateway_publisher_t *
s_authenticate (gateway_state_t *state, cf_service_t *service, cf_http_request_t *request)
{
    const char *header = cf_http_request_header (request, "Authorization");
    const char *token = NULL;
    if (header && strncasecmp (header, "Bearer ", 7) == 0) {
        token = header + 7;
        while (*token == ' ')
            token++;
    }
    if (!token || !*token) {
        cf_http_request_add_header (request, "WWW-Authenticate", "Bearer realm=\"caseflow\"");
        s_refuse (state, service, request, 401, "", "an Authorization: Bearer token is required");
        return NULL;
    }
    char token_id [CF_SEAL_ID_SIZE];
    size_t length = strlen (token);
    int rc = length > GATEWAY_TOKEN_MAX
                 ? CF_ENOTFOUND
                 : gateway_secrets_find_token (state->secrets, token, length, token_id);
    const gateway_publisher_t *publisher =
        rc == 0 ? gateway_state_token_owner (state, token_id, cf_service_now (service)) : NULL;
    if (rc && rc != CF_ENOTFOUND) {
        cf_log_error ("http: looking a token up in the key store failed: %s", cf_strerror (rc));
        s_refuse (state, service, request, 503, "", "the key store cannot be read: try again");
        return NULL;
    }
    if (!publisher) {
        cf_http_request_add_header (request, "WWW-Authenticate",
                                    "Bearer realm=\"caseflow\", error=\"invalid_token\"");
        s_refuse (state, service, request, 401, "", "the token is unknown, expired or revoked");
    }
    return publisher;
}

static const char *
s_header (const void *ctx, const char *name)
{
    return cf_http_request_header (ctx, name);
}

//  The publisher may send each event: its source, a catalogue type it is
//  allowed. 0, or -1 with `problem` set.
static int
s_permit (const gateway_publisher_t *publisher, const gateway_ce_t *event, size_t index,
          gateway_problem_t *problem)
{
    problem->index = index;
    if (gateway_catalogue_kind (event->type) == GATEWAY_KIND_NONE)
        return gateway_problem (problem, 400, "type",
                                "type is not one of the catalogue's (docs/cloudevents.md)");
    if (strcmp (event->source, publisher->source) != 0)
        return gateway_problem (problem, 403, "source", "this token publishes as %s only",
                                publisher->source);
    for (size_t i = 0; i < publisher->type_count; i++)
        if (strcmp (publisher->types [i], event->type) == 0)
            return 0;
    return gateway_problem (problem, 403, "type", "this publisher may not send %s", event->type);
}

static void
s_post (gateway_state_t *state, cf_service_t *service, cf_http_request_t *request,
        const gateway_publisher_t *publisher)
{
    size_t size = 0;
    const char *body = cf_http_request_body (request, &size);
    gateway_problem_t problem = { .index = GATEWAY_NO_INDEX };
    gateway_ce_t single, *events = NULL;
    size_t count = 0;
    int rc = 0;
    switch (gateway_ce_mode (cf_http_request_header (request, "Content-Type"),
                             cf_http_request_header (request, "ce-specversion") != NULL)) {
        case GATEWAY_MODE_STRUCTURED:
            rc = gateway_ce_parse_structured (body, size, &single, &problem);
            break;
        case GATEWAY_MODE_BATCH:
            rc = gateway_ce_parse_batch (body, size, &events, &count, &problem);
            break;
        case GATEWAY_MODE_BINARY:
            rc = gateway_ce_parse_binary (s_header, request, body, size, &single, &problem);
            break;
        default:
            s_refuse (state, service, request, 415, "",
                      "the Content-Type must be application/cloudevents+json, "
                      "application/cloudevents-batch+json, or application/json with ce-* headers");
            return;
    }
    if (rc) {
        s_problem (state, service, request, &problem);
        return;
    }
    if (!events) {
        events = calloc (1, sizeof *events);
        assert (events);
        events [0] = single;
        count = 1;
    }
    gateway_data_t *data = calloc (count, sizeof *data);
    assert (data);
    char today [16];
    cf_time_format_date (cf_service_now (service), today, sizeof today);
    size_t read = 0;
    for (; rc == 0 && read < count; read++) {
        rc = s_permit (publisher, &events [read], count > 1 ? read : GATEWAY_NO_INDEX, &problem);
        if (rc == 0)
            rc = gateway_data_read (gateway_catalogue_kind (events [read].type), events [read].data,
                                    today, &data [read], &problem);
        if (rc && count > 1)
            problem.index = read;
    }
    uint64_t wait_seq = 0;
    if (rc == 0) {
        cf_decider_t decider;
        cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
        rc = gateway_decide_inbound (state, &decider, publisher, events, data, count, &wait_seq);
        if (rc == 0 && state->meters) {
            cf_metric_add (state->meters->accepted, decider.emitted);
            cf_metric_add (state->meters->repeats, count - decider.emitted);
        }
        if (rc)
            gateway_problem (&problem, 503, "", "nothing was accepted (%s): send again",
                             cf_strerror (rc));
    }
    for (size_t i = 0; i < count; i++)
        gateway_data_release (&data [i]);
    free (data);
    gateway_ce_release_all (events, count);
    if (rc) {
        s_problem (state, service, request, &problem);
        return;
    }
    cf_service_http_answer (service, request, wait_seq, 202, "text/plain; charset=utf-8", "", 0);
}

//  GET /events/{source}/{id}: the source up to the next '/', the id the
//  rest (an NL GOV source holds no '/'; an id may).
static void
s_get (gateway_state_t *state, cf_service_t *service, cf_http_request_t *request,
       const gateway_publisher_t *publisher, const char *rest)
{
    const char *slash = strchr (rest, '/');
    if (!slash || slash == rest || !slash [1]) {
        s_refuse (state, service, request, 404, "", "GET /events/{source}/{id}");
        return;
    }
    char source [GATEWAY_SOURCE_MAX + 1];
    size_t length = (size_t) (slash - rest);
    if (length > GATEWAY_SOURCE_MAX) {
        s_refuse (state, service, request, 404, "source", "no such source");
        return;
    }
    memcpy (source, rest, length);
    source [length] = 0;
    if (strcmp (source, publisher->source) != 0) {
        s_refuse (state, service, request, 403, "source", "a publisher sees only its own events");
        return;
    }
    const gateway_inbound_t *inbound = gateway_state_inbound (state, source, slash + 1);
    if (!inbound) {
        s_refuse (state, service, request, 404, "id",
                  "no such event was accepted from this source");
        return;
    }
    char received [40];
    cf_time_format_utc (inbound->received_at, received, sizeof received);
    json_t *document =
        json_pack ("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:I}", "source", inbound->source, "id",
                   inbound->ce_id, "type", inbound->type, "received_at", received, "state",
                   cf_words_name (&cf_words_inbound_state, inbound->status), "reason",
                   *inbound->reason ? json_string (inbound->reason) : json_null (), "case_id",
                   *inbound->case_id ? json_string (inbound->case_id) : json_null (), "handover_id",
                   *inbound->handover_id ? json_string (inbound->handover_id) : json_null (), "seq",
                   (json_int_t) inbound->seq);
    assert (document);
    s_answer_json (service, request, 200, S_JSON, document);
}

void
gateway_ingress_hook (void *state_, cf_service_t *service, cf_http_request_t *request)
{
    gateway_state_t *state = state_;
    const char *path = cf_http_request_path (request);
    const char *method = cf_http_request_method (request);
    bool collection = strcmp (path, "/events") == 0 || strcmp (path, "/events/") == 0;
    const char *allow = collection ? "POST" : "GET, HEAD";
    bool allowed = collection ? strcmp (method, "POST") == 0
                              : strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
    if (!allowed) {
        cf_http_request_add_header (request, "Allow", allow);
        s_refuse (state, service, request, 405, "", "method not allowed");
        return;
    }
    const gateway_publisher_t *publisher = s_authenticate (state, service, request);
    if (!publisher)
        return;
    if (collection)
        s_post (state, service, request, publisher);
    else
        s_get (state, service, request, publisher, path + strlen ("/events/"));
}
