//  cf_service_setup: the common configuration table and the runtime's
//  metrics (see cf_service_setup.h).
#include "cf_service_setup.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_time.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Default endpoints of the streams caseflow itself runs (DESIGN.md).
static const struct {
    const char *stream;
    int events_port, api_port;
} s_known_streams [] = {
    { "intake", 5601, 5602 },       { "assignment", 5611, 5612 }, { "handover", 5621, 5622 },
    { "notification", 5631, 5632 }, { "gateway", 5641, 5642 },
};

static void
s_upper (char *out, size_t size, const char *text)
{
    size_t i = 0;
    for (; text [i] && i + 1 < size; i++)
        out [i] = text [i] == '-' ? '_' : (char) toupper ((unsigned char) text [i]);
    out [i] = 0;
}

cf_config_t *
cf_service_config_new (const cf_service_def_t *def, const cf_streams_t *streams)
{
    char program [64], data_dir [128], events [64], api [64], http [64];
    snprintf (program, sizeof program, "caseflow-%s", def->name);
    snprintf (data_dir, sizeof data_dir, "./var/%s", cf_streams_own (streams));
    snprintf (events, sizeof events, "tcp://127.0.0.1:%d", def->events_port);
    snprintf (api, sizeof api, "tcp://127.0.0.1:%d", def->api_port);
    snprintf (http, sizeof http, "127.0.0.1:%d", def->http_port);
    cf_config_t *config = cf_config_new (program, def->summary);
    const cf_config_entry_t common [] = {
        { "data-dir", "CASEFLOW_DATA_DIR", CF_CONFIG_STRING, data_dir,
          "directory of the service's LMDB store (created if missing, with the folders "
          "above it, mode 0700)",
          NULL, 0, 0 },
        { "clock", "CASEFLOW_CLOCK", CF_CONFIG_CHOICE, "system",
          "system, or manual: moved only by the clock set/advance commands", "system|manual", 0,
          0 },
        { "clock-start", "CASEFLOW_CLOCK_START", CF_CONFIG_TIME, "",
          "manual clock's first reading (ISO 8601) when the store has none, or a later one for "
          "a store that has; default: the first clock set, or the store's last event",
          NULL, 0, 0 },
        { "clock-force", "CASEFLOW_CLOCK_FORCE", CF_CONFIG_BOOL, "false",
          "start even on a store written under the other kind of clock, or with a clock that "
          "reads earlier than the store's last event",
          NULL, 0, 0 },
        { "log-level", "CASEFLOW_LOG_LEVEL", CF_CONFIG_CHOICE, "info",
          "lowest level logged (JSON lines on stderr)", "debug|info|warn|error", 0, 0 },
        { "events-bind", "CASEFLOW_EVENTS_BIND", CF_CONFIG_BIND, events,
          "ZeroMQ endpoint the events PUB socket binds", NULL, 0, 0 },
        { "api-bind", "CASEFLOW_API_BIND", CF_CONFIG_BIND, api,
          "ZeroMQ endpoint the api ROUTER socket binds", NULL, 0, 0 },
        { "http-bind", "CASEFLOW_HTTP_BIND", CF_CONFIG_STRING, http,
          "address:port of /healthz, /readyz and /metrics", NULL, 0, 0 },
        { "map-size", "CASEFLOW_MAP_SIZE", CF_CONFIG_SIZE, "1G",
          "LMDB map size: the most the store may hold", NULL, 1024 * 1024, INT64_C (1) << 40 },
        { "pub-hwm", "CASEFLOW_PUB_HWM", CF_CONFIG_INT, "10000",
          "events PUB high-water mark (messages queued per subscriber)", NULL, 1, 10000000 },
        { "max-request-bytes", "CASEFLOW_MAX_REQUEST_BYTES", CF_CONFIG_SIZE, "64K",
          "largest request the api takes (larger ones are refused INVALID_ARGUMENT, field "
          "request, without being decoded); far below the transport's 4M",
          NULL, 4096, CF_API_MAX_MESSAGE },
        { "max-inbound-per-connection", "CASEFLOW_MAX_INBOUND_PER_CONNECTION", CF_CONFIG_SIZE, "4M",
          "bytes of requests the api takes from one connection each time it reads its "
          "socket; more are refused UNAVAILABLE (busy, retry) without being decoded; at "
          "least --max-request-bytes",
          NULL, 4096, INT64_C (1) << 32 },
        { "max-inbound", "CASEFLOW_MAX_INBOUND", CF_CONFIG_SIZE, "32M",
          "bytes of requests the api takes from all connections together each time it "
          "reads its socket; more are refused UNAVAILABLE the same way; at least "
          "--max-inbound-per-connection",
          NULL, 4096, INT64_C (1) << 32 },
        { "request-ttl", "CASEFLOW_REQUEST_TTL", CF_CONFIG_DURATION, "7d",
          "how long a command's reply is kept to answer retries", NULL, CF_USEC_PER_MIN,
          3650 * CF_USEC_PER_DAY },
        { "keys-dir", "CASEFLOW_KEYS_DIR", CF_CONFIG_STRING, "",
          "CURVE key set (made by caseflowctl keys generate): every socket encrypted, only "
          "the keys in its public/ admitted, each to what its role allows; default: "
          "plaintext",
          NULL, 0, 0 },
        { "verify", NULL, CF_CONFIG_BOOL, "false",
          "check the store in --data-dir offline (record checksums, indexes), print what "
          "was found and exit: 0 intact, 1 damaged or unreadable",
          NULL, 0, 0 },
    };
    cf_config_add (config, common, sizeof common / sizeof common [0]);
    cf_streams_config_add (streams, config);
    if (def->key_store) {
        const cf_config_entry_t key_store [] = {
            { "key-store", "CASEFLOW_KEY_STORE", CF_CONFIG_STRING, "",
              "directory of the service's key store (residents' data keys; apart from the "
              "journal, backed up on its own: docs/privacy.md); default: <data-dir>-keys",
              NULL, 0, 0 },
        };
        cf_config_add (config, key_store, 1);
    }
    const char *const *followed = cf_streams_followed (streams);
    for (size_t i = 0; followed [i]; i++) {
        const char *stream = followed [i];
        char upper [64], name_events [96], name_api [96], env_events [96], env_api [96];
        char default_events [64] = "", default_api [64] = "";
        s_upper (upper, sizeof upper, stream);
        snprintf (name_events, sizeof name_events, "%s-events", stream);
        snprintf (name_api, sizeof name_api, "%s-api", stream);
        snprintf (env_events, sizeof env_events, "CASEFLOW_%s_EVENTS", upper);
        snprintf (env_api, sizeof env_api, "CASEFLOW_%s_API", upper);
        for (size_t k = 0; k < sizeof s_known_streams / sizeof s_known_streams [0]; k++)
            if (strcmp (s_known_streams [k].stream, stream) == 0) {
                snprintf (default_events, sizeof default_events, "tcp://127.0.0.1:%d",
                          s_known_streams [k].events_port);
                snprintf (default_api, sizeof default_api, "tcp://127.0.0.1:%d",
                          s_known_streams [k].api_port);
            }
        const cf_config_entry_t upstream [] = {
            { name_events, env_events, CF_CONFIG_CONNECT, *default_events ? default_events : NULL,
              "events (PUB) endpoint of the upstream stream; \"none\": not followed (a stream "
              "the deployment does not run; readiness does not wait for it)",
              NULL, 0, 0 },
            { name_api, env_api, CF_CONFIG_CONNECT, *default_api ? default_api : NULL,
              "api (ROUTER) endpoint of the upstream stream, for replay", NULL, 0, 0 },
        };
        cf_config_add (config, upstream, 2);
    }
    if (def->config_count)
        cf_config_add (config, def->config, def->config_count);
    return config;
}

void
cf_service_metrics_register (cf_service_metrics_t *m, cf_metrics_t *metrics,
                             const cf_streams_t *streams)
{
    m->events_applied =
        cf_metrics_counter (metrics, "events_applied_total",
                            "Events applied to the state (the start-up rebuild included)", NULL);
    m->commit.events_published = cf_metrics_counter (metrics, "events_published_total",
                                                     "Events published on the events socket", NULL);
    m->commit.bus_singles =
        cf_metrics_counter (metrics, "bus_messages_sent_total",
                            "Messages sent on the events socket, by form", "form=\"single\"");
    m->commit.bus_batches =
        cf_metrics_counter (metrics, "bus_messages_sent_total",
                            "Messages sent on the events socket, by form", "form=\"batch\"");
    for (int code = 0; code <= CASEFLOW__V1__STATUS__CODE__INTERNAL; code++) {
        char labels [64];
        snprintf (labels, sizeof labels, "code=\"%s\"", cf_api_code_name (code));
        m->api.commands [code] = cf_metrics_counter (metrics, "commands_total",
                                                     "Commands handled, by reply status", labels);
    }
    m->api.queries = cf_metrics_counter (metrics, "queries_total", "Queries answered", NULL);
    m->api.replays =
        cf_metrics_counter (metrics, "replay_requests_total", "Replay requests served", NULL);
    for (cf_action_t action = CF_ACTION_COMMAND; action <= CF_ACTION_REPLAY; action++) {
        char labels [64];
        snprintf (labels, sizeof labels, "action=\"%s\"", cf_action_name (action));
        m->api.denied [action] = cf_metrics_counter (
            metrics, "requests_denied_total",
            "Api requests refused PERMISSION_DENIED: the key's role may not do that", labels);
    }
    m->api.too_large = cf_metrics_counter (
        metrics, "requests_refused_total",
        "Api requests refused before decoding, by reason: over --max-request-bytes "
        "(too_large) or over an inbound budget (busy)",
        "reason=\"too_large\"");
    m->api.busy = cf_metrics_counter (
        metrics, "requests_refused_total",
        "Api requests refused before decoding, by reason: over --max-request-bytes "
        "(too_large) or over an inbound budget (busy)",
        "reason=\"busy\"");
    m->api.memory_trims = cf_metrics_counter (
        metrics, "memory_trims_total",
        "Times the service gave freed memory back to the system after a burst of requests", NULL);
    m->commit.commits = cf_metrics_counter (metrics, "commits_total",
                                            "Store transactions committed (group commits)", NULL);
    m->journal_events = cf_metrics_gauge (metrics, "journal_events", "Events in the journal", NULL);
    m->journal_bytes = cf_metrics_gauge (metrics, "journal_bytes", "Bytes used by the store", NULL);
    m->rebuild_seconds =
        cf_metrics_gauge (metrics, "rebuild_seconds",
                          "Seconds the start-up rebuild of the state from the journal took", NULL);
    m->last_seq = cf_metrics_gauge (metrics, "stream_last_seq",
                                    "Highest committed seq of the own stream", NULL);
    m->commit.store_full =
        cf_metrics_gauge (metrics, "store_full",
                          "1 while writes are refused because the map or the disk is full", NULL);
    const char *const *followed = cf_streams_followed (streams);
    size_t count = cf_streams_count (streams);
    m->upstream_lag = calloc (count + 1, sizeof *m->upstream_lag);
    m->upstream_diverged = calloc (count + 1, sizeof *m->upstream_diverged);
    assert (m->upstream_lag && m->upstream_diverged);
    for (size_t i = 0; i < count; i++) {
        char labels [96];
        snprintf (labels, sizeof labels, "stream=\"%s\"", followed [i]);
        m->upstream_lag [i] =
            cf_metrics_gauge (metrics, "upstream_lag",
                              "Events the upstream stream has that are not applied yet", labels);
        m->upstream_diverged [i] = cf_metrics_gauge (
            metrics, "upstream_diverged",
            "1 while the upstream's history is not the cursor's (epoch, head or event at the "
            "cursor): the stream is not applied until `caseflowctl stream recover` or `accept`",
            labels);
    }
}

int
cf_service_read_limits (cf_config_t *config, const char *name, cf_api_server_limits_t *limits)
{
    limits->max_request = (size_t) cf_config_int (config, "max-request-bytes");
    limits->per_connection = (size_t) cf_config_int (config, "max-inbound-per-connection");
    limits->total = (size_t) cf_config_int (config, "max-inbound");
    if (limits->per_connection >= limits->max_request && limits->total >= limits->per_connection)
        return 0;
    fprintf (stderr,
             "caseflow-%s: --max-inbound-per-connection (%zu) must be at least "
             "--max-request-bytes (%zu), and --max-inbound (%zu) at least "
             "--max-inbound-per-connection\n",
             name, limits->per_connection, limits->max_request, limits->total);
    return CF_EINVAL;
}
