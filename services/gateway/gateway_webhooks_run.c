//  gateway_webhooks_run: rounds, attempts and handshakes on the loop (see
//  the header).
//
//  Ownership: the state owns the subscriptions (gateway_webhooks_t); this
//  owns the window, the delivery lanes, the HTTP client, the round timer
//  and the opened sink tokens (zeroed when freed). An attempt in flight is
//  a heap record handed to cf_http_client and freed in its callback; when
//  the client goes first, its callbacks never run and the records are
//  freed here (the client abandons them).
#include "gateway_webhooks_run.h"

#include "cf_error.h"
#include "cf_http_client.h"
#include "cf_log.h"
#include "cf_seal.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_JOBS_PER_ROUND 64
#define S_ROUND_MAX_MS   1000

typedef struct _s_attempt_t s_attempt_t;

struct _s_attempt_t {
    gateway_webhooks_run_t *run;
    gateway_delivery_job_t job;  //  job.event is not valid past the round
    bool handshake;
    int rc;
    long status;
    char retry_after [64];
    char allowed_origin [256];
    s_attempt_t *prev, *next;
};

typedef struct {
    char id [GATEWAY_SUBSCRIPTION_ID_SIZE];
    char *token;  //  opened; NULL: none
    cf_metric_t *delivered, *failed, *parked, *retrying;
    bool handshaking;
    bool token_erased;
} s_sink_t;

struct _gateway_webhooks_run_t {
    cf_service_t *service;
    uv_loop_t *loop;
    gateway_webhooks_t *webhooks;
    gateway_webhooks_config_t config;
    gateway_window_t *window;
    gateway_delivery_t *delivery;
    cf_http_client_t *http;
    uv_timer_t *timer;  //  freed in its close callback
    s_attempt_t *attempts;
    s_sink_t *sinks;
    size_t n_sinks;
    bool stopped;
};

static void
s_round (gateway_webhooks_run_t *self);

static void
s_on_timer (uv_timer_t *timer)
{
    s_round (timer->data);
}

static void
s_on_timer_closed (uv_handle_t *handle)
{
    free (handle);
}

//  The runtime stops: close what lives on the loop before it is closed.
static void
s_stop (void *arg)
{
    gateway_webhooks_run_t *self = arg;
    if (self->stopped)
        return;
    self->stopped = true;
    cf_http_client_destroy (&self->http);
    uv_timer_stop (self->timer);
    uv_close ((uv_handle_t *) self->timer, s_on_timer_closed);
    self->timer = NULL;
    while (self->attempts) {
        s_attempt_t *attempt = self->attempts;
        self->attempts = attempt->next;
        free (attempt);
    }
}

gateway_webhooks_run_t *
gateway_webhooks_run_configured (cf_service_t *service, gateway_webhooks_t *webhooks)
{
    cf_config_t *config = cf_service_config (service);
    gateway_webhooks_config_t own = {
        .policy = {
            .base_ms = (uint64_t) cf_config_int (config, "webhook-retry-base-ms"),
            .cap_ms = (uint64_t) cf_config_int (config, "webhook-retry-cap-ms"),
            .max_attempts = (uint32_t) cf_config_int (config, "webhook-attempts"),
            .max_age_ms = (uint64_t) cf_config_int (config, "webhook-max-age-ms"),
            .retry_after_max_ms = (uint64_t) cf_config_int (config, "webhook-retry-after-max-ms"),
            .timeout_ms = (uint64_t) cf_config_int (config, "webhook-timeout-ms"),
        },
        .render = {
            .source_prefix = cf_config_string (config, "webhook-source-prefix"),
            .dataref_base = cf_config_string (config, "webhook-dataref-base"),
        },
        .origin = cf_config_string (config, "webhook-origin"),
    };
    const char *field;
    if (gateway_retry_policy_check (&own.policy, &field) != 0) {
        fprintf (stderr, "caseflow-gateway: --webhook-retry-cap-ms must be at least "
                         "--webhook-retry-base-ms\n");
        return NULL;
    }
    return gateway_webhooks_run_new (service, webhooks, &own);
}

gateway_webhooks_run_t *
gateway_webhooks_run_new (cf_service_t *service, gateway_webhooks_t *webhooks,
                          const gateway_webhooks_config_t *config)
{
    gateway_webhooks_run_t *self = calloc (1, sizeof *self);
    assert (self);
    self->service = service;
    self->loop = cf_service_loop (service);
    self->webhooks = webhooks;
    self->config = *config;
    self->http = cf_http_client_new (self->loop);
    if (!self->http) {
        free (self);
        return NULL;
    }
    self->window = gateway_window_new ();
    self->delivery = gateway_delivery_new (webhooks, &config->policy);
    self->timer = calloc (1, sizeof *self->timer);
    assert (self->timer);
    uv_timer_init (self->loop, self->timer);
    self->timer->data = self;
    cf_service_on_stop (service, s_stop, self);
    return self;
}

void
gateway_webhooks_run_destroy (gateway_webhooks_run_t **self_p)
{
    gateway_webhooks_run_t *self = *self_p;
    if (!self)
        return;
    s_stop (self);
    for (size_t i = 0; i < self->n_sinks; i++)
        if (self->sinks [i].token) {
            sodium_memzero (self->sinks [i].token, strlen (self->sinks [i].token));
            free (self->sinks [i].token);
        }
    free (self->sinks);
    gateway_delivery_destroy (&self->delivery);
    gateway_window_destroy (&self->window);
    free (self);
    *self_p = NULL;
}

void
gateway_webhooks_run_observe (gateway_webhooks_run_t *self, const Caseflow__V1__Event *event)
{
    gateway_window_keep (self->window, event);
}

void
gateway_webhooks_run_kick (gateway_webhooks_run_t *self)
{
    if (!self->stopped)
        uv_timer_start (self->timer, s_on_timer, 0, 0);
}

gateway_delivery_t *
gateway_webhooks_run_delivery (gateway_webhooks_run_t *self)
{
    return self->delivery;
}

gateway_window_t *
gateway_webhooks_run_window (gateway_webhooks_run_t *self)
{
    return self->window;
}

cf_keystore_t *
gateway_webhooks_run_keystore (gateway_webhooks_run_t *self)
{
    return cf_service_keystore (self->service);
}

//  The sink record of a subscription: its metrics and opened token.
static s_sink_t *
s_sink (gateway_webhooks_run_t *self, const gateway_subscription_t *subscription)
{
    for (size_t i = 0; i < self->n_sinks; i++)
        if (strcmp (self->sinks [i].id, subscription->id) == 0)
            return &self->sinks [i];
    self->sinks = realloc (self->sinks, (self->n_sinks + 1) * sizeof *self->sinks);
    assert (self->sinks);
    s_sink_t *sink = &self->sinks [self->n_sinks++];
    memset (sink, 0, sizeof *sink);
    snprintf (sink->id, sizeof sink->id, "%s", subscription->id);
    char labels [64];
    snprintf (labels, sizeof labels, "subscription=\"%s\"", subscription->id);
    cf_metrics_t *metrics = cf_service_metrics (self->service);
    sink->delivered = cf_metrics_counter (metrics, "webhook_delivered_total",
                                          "Events a webhook sink took (2xx), this run.", labels);
    sink->failed = cf_metrics_counter (metrics, "webhook_failed_total",
                                       "Delivery attempts that failed, this run.", labels);
    sink->parked =
        cf_metrics_gauge (metrics, "webhook_parked", "Events parked for a subscription.", labels);
    sink->retrying = cf_metrics_gauge (metrics, "webhook_retrying",
                                       "Deliveries waiting to be tried again.", labels);
    bool over = subscription->state == GATEWAY_SUBSCRIPTION_REMOVED
                || subscription->state == GATEWAY_SUBSCRIPTION_RETIRED;
    if (!over && subscription->token && subscription->token->key_id) {
        uint8_t key [CF_SEAL_KEY_BYTES];
        Caseflow__V1__Personal *personal = NULL;
        cf_keystore_t *keystore = cf_service_keystore (self->service);
        if (keystore && cf_keystore_get_key (keystore, subscription->token->key_id, key, NULL) == 0
            && cf_seal_open (key, subscription->token, GATEWAY_FIELD_SINK_TOKEN, &personal) == 0) {
            sink->token = strdup (personal->text ? personal->text : "");
            assert (sink->token);
            cf_seal_personal_free (personal);
        } else
            cf_log_error ("webhook %s: the sink's token cannot be opened (key %s)",
                          subscription->id, subscription->token->key_id);
        sodium_memzero (key, sizeof key);
    }
    return sink;
}

void
gateway_webhooks_run_erase_tokens (gateway_webhooks_run_t *self, int64_t at)
{
    cf_keystore_t *keystore = cf_service_keystore (self->service);
    if (!keystore)
        return;
    for (size_t i = 0; i < gateway_webhooks_count (self->webhooks); i++) {
        const gateway_subscription_t *subscription = gateway_webhooks_at (self->webhooks, i);
        if (!*subscription->token_key_id
            || (subscription->state != GATEWAY_SUBSCRIPTION_REMOVED
                && subscription->state != GATEWAY_SUBSCRIPTION_RETIRED))
            continue;
        s_sink_t *sink = s_sink (self, subscription);
        if (sink->token_erased)
            continue;
        if (sink->token) {
            sodium_memzero (sink->token, strlen (sink->token));
            free (sink->token);
            sink->token = NULL;
        }
        uint8_t key [CF_SEAL_KEY_BYTES];
        char subject [CF_SEAL_ID_SIZE];
        const char *key_id = subscription->token_key_id;
        int rc = cf_keystore_get_key (keystore, key_id, key, subject);
        sodium_memzero (key, sizeof key);
        if (rc == 0)
            rc = cf_keystore_erase (keystore, subject, &key_id, 1, at, NULL);
        if (rc == 0 || rc == CF_ENOTFOUND) {
            sink->token_erased = true;
            if (rc == 0)
                cf_log_info ("webhook %s: the sink's token destroyed (key %s)", subscription->id,
                             key_id);
        } else
            cf_log_error ("webhook %s: cf_keystore_erase: %s", subscription->id, cf_strerror (rc));
    }
}

static void
s_attempt_unlink (gateway_webhooks_run_t *self, s_attempt_t *attempt)
{
    if (attempt->prev)
        attempt->prev->next = attempt->next;
    else
        self->attempts = attempt->next;
    if (attempt->next)
        attempt->next->prev = attempt->prev;
}

//  A decision of the service: the attempt's verdict journaled.
static void
s_decide_finish (void *state, cf_service_t *service, void *arg)
{
    (void) state;
    s_attempt_t *attempt = arg;
    gateway_webhooks_run_t *self = attempt->run;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    gateway_delivery_finish (self->delivery, &attempt->job, uv_now (self->loop), attempt->rc,
                             attempt->status,
                             attempt->retry_after [0] ? attempt->retry_after : NULL,
                             (int64_t) time (NULL), randombytes_random (), &decider);
}

//  A decision of the service: the handshake's outcome journaled.
static void
s_decide_handshake (void *state, cf_service_t *service, void *arg)
{
    (void) state;
    s_attempt_t *attempt = arg;
    gateway_webhooks_run_t *self = attempt->run;
    gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, attempt->job.subscription_id);
    if (!subscription || subscription->state != GATEWAY_SUBSCRIPTION_VERIFYING)
        return;
    const char *origin = self->config.origin;
    bool passed = attempt->rc == 0 && attempt->status >= 200 && attempt->status < 300
                  && (strcmp (attempt->allowed_origin, origin) == 0
                      || strcmp (attempt->allowed_origin, "*") == 0);
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    char id [GATEWAY_SUBSCRIPTION_ID_SIZE];
    snprintf (id, sizeof id, "%s", subscription->id);
    if (passed) {
        Caseflow__V1__Gateway__SubscriptionVerified body =
            CASEFLOW__V1__GATEWAY__SUBSCRIPTION_VERIFIED__INIT;
        body.subscription_id = id;
        event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_VERIFIED;
        event.subscription_verified = &body;
        cf_log_info ("webhook %s: the sink passed the handshake", id);
        cf_decider_emit (&decider, &event);
        return;
    }
    char reason [GATEWAY_REASON_MAX];
    if (attempt->rc == CF_ETIMEOUT)
        snprintf (reason, sizeof reason, "handshake failed: timeout");
    else if (attempt->rc != 0)
        snprintf (reason, sizeof reason, "handshake failed: connection failed");
    else if (attempt->status < 200 || attempt->status >= 300)
        snprintf (reason, sizeof reason, "handshake failed: HTTP %ld", attempt->status);
    else
        snprintf (reason, sizeof reason, "handshake failed: no WebHook-Allowed-Origin for us");
    Caseflow__V1__Gateway__SubscriptionRemoved body =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_REMOVED__INIT;
    body.subscription_id = id;
    body.reason = reason;
    event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_REMOVED;
    event.subscription_removed = &body;
    cf_log_warn ("webhook %s removed: %s", id, reason);
    cf_decider_emit (&decider, &event);
}

static void
s_on_answer (int rc, const cf_http_response_t *response, void *arg)
{
    s_attempt_t *attempt = arg;
    gateway_webhooks_run_t *self = attempt->run;
    s_attempt_unlink (self, attempt);
    attempt->rc = rc;
    attempt->status = cf_http_response_status (response);
    const char *value = cf_http_response_header (response, "Retry-After");
    snprintf (attempt->retry_after, sizeof attempt->retry_after, "%s", value ? value : "");
    value = cf_http_response_header (response, "WebHook-Allowed-Origin");
    snprintf (attempt->allowed_origin, sizeof attempt->allowed_origin, "%s", value ? value : "");
    const gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, attempt->job.subscription_id);
    if (attempt->handshake) {
        if (subscription)
            s_sink (self, subscription)->handshaking = false;
        cf_service_decide (self->service, s_decide_handshake, attempt);
    } else {
        if (subscription) {
            s_sink_t *sink = s_sink (self, subscription);
            bool ok = rc == 0 && attempt->status >= 200 && attempt->status < 300;
            cf_metric_add (ok ? sink->delivered : sink->failed, 1);
        }
        cf_service_decide (self->service, s_decide_finish, attempt);
    }
    free (attempt);
    gateway_webhooks_run_kick (self);
}

static s_attempt_t *
s_attempt_new (gateway_webhooks_run_t *self)
{
    s_attempt_t *attempt = calloc (1, sizeof *attempt);
    assert (attempt);
    attempt->run = self;
    attempt->next = self->attempts;
    if (self->attempts)
        self->attempts->prev = attempt;
    self->attempts = attempt;
    return attempt;
}

static void
s_handshake (gateway_webhooks_run_t *self, const gateway_subscription_t *subscription)
{
    s_sink_t *sink = s_sink (self, subscription);
    if (sink->handshaking)
        return;
    s_attempt_t *attempt = s_attempt_new (self);
    attempt->handshake = true;
    snprintf (attempt->job.subscription_id, sizeof attempt->job.subscription_id, "%s",
              subscription->id);
    char origin [300];
    snprintf (origin, sizeof origin, "WebHook-Request-Origin: %s", self->config.origin);
    const char *headers [] = { origin };
    cf_http_client_request_t request = {
        "OPTIONS", subscription->sink, headers, 1, NULL, 0, (long) self->config.policy.timeout_ms
    };
    if (cf_http_client_send (self->http, &request, s_on_answer, attempt) != 0) {
        s_attempt_unlink (self, attempt);
        free (attempt);
        return;
    }
    sink->handshaking = true;
}

static void
s_send (gateway_webhooks_run_t *self, const gateway_delivery_job_t *job)
{
    const gateway_subscription_t *subscription =
        gateway_webhooks_find (self->webhooks, job->subscription_id);
    assert (subscription);
    s_sink_t *sink = s_sink (self, subscription);
    char *body = gateway_webhooks_render (job->event, &self->config.render);
    s_attempt_t *attempt = s_attempt_new (self);
    attempt->job = *job;
    attempt->job.event = NULL;
    //  The NL GOV webhook guideline names the sender on every request, not
    //  only on the handshake: a sink may check it per delivery.
    char origin [300];
    snprintf (origin, sizeof origin, "WebHook-Request-Origin: %s", self->config.origin);
    char authorization [4200] = "";
    const char *headers [3] = { "Content-Type: application/cloudevents+json", origin,
                                authorization };
    size_t n_headers = 2;
    if (sink->token && *sink->token) {
        snprintf (authorization, sizeof authorization, "Authorization: Bearer %s", sink->token);
        n_headers = 3;
    }
    cf_http_client_request_t request = { "POST",
                                         subscription->sink,
                                         headers,
                                         n_headers,
                                         body,
                                         strlen (body),
                                         (long) self->config.policy.timeout_ms };
    int rc = cf_http_client_send (self->http, &request, s_on_answer, attempt);
    sodium_memzero (authorization, sizeof authorization);
    free (body);
    //  A sink URL libcurl refuses was refused at subscription; should it
    //  happen, the attempt fails as a connection would.
    if (rc != 0) {
        s_attempt_unlink (self, attempt);
        attempt->rc = CF_EIO;
        cf_service_decide (self->service, s_decide_finish, attempt);
        free (attempt);
    }
}

static void
s_decide_flush (void *state, cf_service_t *service, void *arg)
{
    (void) state;
    gateway_webhooks_run_t *self = arg;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    gateway_delivery_flush (self->delivery, uv_now (self->loop), false, &decider);
}

//  The window holds the gateway's own events from the moment they are
//  decided, before their batch is committed; a delivery waits until they
//  are durable (after_commit kicks a round then). Sent earlier, a SIGKILL
//  before the commit would leave the sink with an event that never was,
//  its seq reused by another (the chaos run found it: gateway-stream
//  deliveries whose ids the stream did not have after the kill).
//  Upstream events are durable at their producers before they arrive.
static const Caseflow__V1__Event *
s_lookup (void *ctx, const char *stream, uint64_t seq)
{
    gateway_webhooks_run_t *self = ctx;
    if (strcmp (stream, cf_service_name (self->service)) == 0
        && seq > cf_service_committed_seq (self->service))
        return NULL;
    return gateway_window_lookup (self->window, stream, seq);
}

//  Drops from the window what no live subscription still needs: per
//  stream, everything up to the lowest in-memory cursor, short of any
//  parked event (it may be resent).
static void
s_prune (gateway_webhooks_run_t *self)
{
    size_t streams = gateway_window_streams (self->window);
    for (size_t s = 0; s < streams; s++) {
        const char *stream = gateway_window_stream (self->window, s);
        uint64_t head = gateway_window_head (self->window, stream);
        uint64_t floor = head > GATEWAY_WINDOW_KEEP ? head - GATEWAY_WINDOW_KEEP : 0;
        for (size_t i = 0; i < gateway_webhooks_count (self->webhooks); i++) {
            const gateway_subscription_t *subscription = gateway_webhooks_at (self->webhooks, i);
            if (subscription->state == GATEWAY_SUBSCRIPTION_REMOVED)
                continue;
            const gateway_cursor_t *cursor = gateway_subscription_cursor (subscription, stream);
            if (!cursor)
                continue;
            gateway_delivery_figures_t figures;
            uint64_t at = cursor->seq;
            if (gateway_delivery_figures (self->delivery, subscription->id, &figures) == 0)
                for (size_t c = 0; c < figures.n_cursors; c++)
                    if (strcmp (figures.cursors [c].stream, stream) == 0
                        && figures.cursors [c].seq > at)
                        at = figures.cursors [c].seq;
            if (at < floor)
                floor = at;
            for (size_t p = 0; p < subscription->n_parked; p++)
                if (strcmp (subscription->parked [p].stream, stream) == 0
                    && subscription->parked [p].seq - 1 < floor)
                    floor = subscription->parked [p].seq - 1;
        }
        gateway_window_drop (self->window, stream, floor);
    }
}

static void
s_round (gateway_webhooks_run_t *self)
{
    if (self->stopped)
        return;
    uint64_t now = uv_now (self->loop);
    for (size_t i = 0; i < gateway_webhooks_count (self->webhooks); i++) {
        const gateway_subscription_t *subscription = gateway_webhooks_at (self->webhooks, i);
        s_sink_t *sink = s_sink (self, subscription);
        if (subscription->state == GATEWAY_SUBSCRIPTION_VERIFYING)
            s_handshake (self, subscription);
        gateway_delivery_figures_t figures;
        if (gateway_delivery_figures (self->delivery, subscription->id, &figures) == 0)
            cf_metric_set (sink->retrying, (double) figures.retrying);
        size_t parked = 0;
        for (size_t p = 0; p < subscription->n_parked; p++)
            parked += !subscription->parked [p].resending;
        cf_metric_set (sink->parked, (double) parked);
    }
    gateway_delivery_job_t jobs [S_JOBS_PER_ROUND];
    size_t count =
        gateway_delivery_start (self->delivery, now, s_lookup, self, jobs, S_JOBS_PER_ROUND);
    for (size_t i = 0; i < count; i++) {
        //  The job's event is the window's last lookup: look it up again.
        jobs [i].event = gateway_window_lookup (self->window, jobs [i].stream, jobs [i].seq);
        s_send (self, &jobs [i]);
    }
    if (gateway_delivery_flush_due (self->delivery, now))
        cf_service_decide (self->service, s_decide_flush, self);
    s_prune (self);
    if (self->stopped)
        return;
    uint64_t wait = gateway_delivery_wait_ms (self->delivery, uv_now (self->loop));
    if (wait > S_ROUND_MAX_MS)
        wait = S_ROUND_MAX_MS;
    uv_timer_start (self->timer, s_on_timer, wait, 0);
}
