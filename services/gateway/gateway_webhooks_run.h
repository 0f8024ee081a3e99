//  gateway_webhooks_run: the webhooks at run time, on the service's loop.
//
//  Ties the pure parts together: every event the gateway applies (its own
//  and each followed stream's) goes into the window; a round, on a libuv
//  timer after each commit and whenever a back-off or a cursor flush falls
//  due, asks the delivery lanes what to send, renders each CloudEvent and
//  POSTs it with cf_http_client; each answer becomes a decision of the
//  service (cf_service_decide) that journals what it must (EventParked,
//  ParkedDelivered, SubscriptionRetired, DeliveryCursorMoved). A new
//  subscription's sink is first asked the NL GOV webhook handshake:
//
//      OPTIONS <sink>   WebHook-Request-Origin: <origin>
//      2xx              WebHook-Allowed-Origin: <origin> or *   -> verified
//      anything else                                            -> removed
//
//  Time here is uv_now (monotonic), never the service clock. Per
//  subscription, /metrics shows caseflow_webhook_delivered_total,
//  caseflow_webhook_failed_total, caseflow_webhook_parked and
//  caseflow_webhook_retrying, labelled subscription="W...".
#ifndef GATEWAY_WEBHOOKS_RUN_H
#define GATEWAY_WEBHOOKS_RUN_H

#include "cf_service.h"
#include "gateway_webhooks_render.h"
#include "gateway_webhooks_delivery.h"
#include "gateway_webhooks_retry.h"
#include "gateway_webhooks_state.h"
#include "gateway_webhooks_window.h"

//  Events of each stream kept for a new subscription's --from even when no
//  subscription needs them (after a restart, the whole journal's are).
#define GATEWAY_WINDOW_KEEP 10000

//  The field the sink's token is sealed for.
#define GATEWAY_FIELD_SINK_TOKEN "gateway.SubscriptionAdded"

typedef struct {
    gateway_retry_policy_t policy;
    gateway_webhooks_render_options_t render;  //  strings borrowed (the configuration's)
    const char *origin;                        //  WebHook-Request-Origin
} gateway_webhooks_config_t;

typedef struct _gateway_webhooks_run_t gateway_webhooks_run_t;

//  The webhooks' entries of the gateway's configuration table (times in
//  milliseconds of the monotonic clock, so tests run them short).
#define GATEWAY_WEBHOOKS_CONFIG                                                                    \
    { "webhook-retry-base-ms",                                                                     \
      "CASEFLOW_GATEWAY_WEBHOOK_RETRY_BASE_MS",                                                    \
      CF_CONFIG_INT,                                                                               \
      "1000",                                                                                      \
      "first back-off after a failed webhook delivery (ms; doubles per attempt)",                  \
      NULL,                                                                                        \
      1,                                                                                           \
      86400000 },                                                                                  \
        { "webhook-retry-cap-ms",                                                                  \
          "CASEFLOW_GATEWAY_WEBHOOK_RETRY_CAP_MS",                                                 \
          CF_CONFIG_INT,                                                                           \
          "300000",                                                                                \
          "longest back-off between two delivery attempts (ms)",                                   \
          NULL,                                                                                    \
          1,                                                                                       \
          86400000 },                                                                              \
        { "webhook-attempts",                                                                      \
          "CASEFLOW_GATEWAY_WEBHOOK_ATTEMPTS",                                                     \
          CF_CONFIG_INT,                                                                           \
          "12",                                                                                    \
          "attempts before an event may be parked (with webhook-max-age-ms)",                      \
          NULL,                                                                                    \
          1,                                                                                       \
          1000000 },                                                                               \
        { "webhook-max-age-ms",                                                                    \
          "CASEFLOW_GATEWAY_WEBHOOK_MAX_AGE_MS",                                                   \
          CF_CONFIG_INT,                                                                           \
          "3600000",                                                                               \
          "time since the first attempt before an event may be parked (ms)",                       \
          NULL,                                                                                    \
          0,                                                                                       \
          604800000 },                                                                             \
        { "webhook-timeout-ms",                                                                    \
          "CASEFLOW_GATEWAY_WEBHOOK_TIMEOUT_MS",                                                   \
          CF_CONFIG_INT,                                                                           \
          "10000",                                                                                 \
          "time limit of one delivery attempt or handshake (ms)",                                  \
          NULL,                                                                                    \
          1,                                                                                       \
          600000 },                                                                                \
        { "webhook-retry-after-max-ms",                                                            \
          "CASEFLOW_GATEWAY_WEBHOOK_RETRY_AFTER_MAX_MS",                                           \
          CF_CONFIG_INT,                                                                           \
          "3600000",                                                                               \
          "longest Retry-After a sink's 429 is honoured for (ms)",                                 \
          NULL,                                                                                    \
          0,                                                                                       \
          86400000 },                                                                              \
        { "webhook-source-prefix",                                                                 \
          "CASEFLOW_GATEWAY_WEBHOOK_SOURCE_PREFIX",                                                \
          CF_CONFIG_STRING,                                                                        \
          GATEWAY_SOURCE_PREFIX_DEFAULT,                                                           \
          "outbound CloudEvents' source is this followed by the stream",                           \
          NULL,                                                                                    \
          0,                                                                                       \
          0 },                                                                                     \
        { "webhook-dataref-base",                                                                  \
          "CASEFLOW_GATEWAY_WEBHOOK_DATAREF_BASE",                                                 \
          CF_CONFIG_STRING,                                                                        \
          GATEWAY_DATAREF_BASE_DEFAULT,                                                            \
          "outbound CloudEvents' dataref is this followed by /cases/<case id>",                    \
          NULL,                                                                                    \
          0,                                                                                       \
          0 },                                                                                     \
    {                                                                                              \
        "webhook-origin", "CASEFLOW_GATEWAY_WEBHOOK_ORIGIN", CF_CONFIG_STRING, "caseflow-gateway", \
            "WebHook-Request-Origin sent in the handshake", NULL, 0, 0                             \
    }

//  A runtime with the configuration's webhook entries, or NULL (logged,
//  naming the flag) when they do not fit together or libcurl cannot start.
gateway_webhooks_run_t *
gateway_webhooks_run_configured (cf_service_t *service, gateway_webhooks_t *webhooks);

//  Runs the webhooks of `webhooks` (borrowed: the state's) on `service`'s
//  loop. Never NULL (out of memory aborts); NULL when libcurl cannot start
//  (logged).
gateway_webhooks_run_t *
gateway_webhooks_run_new (cf_service_t *service, gateway_webhooks_t *webhooks,
                          const gateway_webhooks_config_t *config);

//  Abandons deliveries in flight (sent again after a restart: at least
//  once) and frees. Safe on NULL; nulls *self_p.
void
gateway_webhooks_run_destroy (gateway_webhooks_run_t **self_p);

//  Keeps `event` for delivery (from apply; memory only, any thread).
void
gateway_webhooks_run_observe (gateway_webhooks_run_t *self, const Caseflow__V1__Event *event);

//  Runs a round soon (after a commit or a command). Loop thread.
void
gateway_webhooks_run_kick (gateway_webhooks_run_t *self);

//  Destroys the key-store key of each removed or retired subscription's
//  token (its sealed copy in the journal can then never be opened again).
//  Call after a commit (the removal is durable) and once at start; repeats
//  are cheap and harmless. `at` is the service clock (the tombstone's time).
void
gateway_webhooks_run_erase_tokens (gateway_webhooks_run_t *self, int64_t at);

//  Borrowed parts, for the queries.
gateway_delivery_t *
gateway_webhooks_run_delivery (gateway_webhooks_run_t *self);
gateway_window_t *
gateway_webhooks_run_window (gateway_webhooks_run_t *self);
cf_keystore_t *
gateway_webhooks_run_keystore (gateway_webhooks_run_t *self);

#endif
