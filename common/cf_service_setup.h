//  cf_service_setup: the parts of a service's start-up that are tables:
//  the common configuration entries (with one pair per upstream stream)
//  and the runtime's metrics, and the api's limits read from the
//  configuration. Used by cf_service only.
#ifndef CF_SERVICE_SETUP_H
#define CF_SERVICE_SETUP_H

#include "cf_api_server.h"
#include "cf_commit.h"
#include "cf_config.h"
#include "cf_metrics.h"
#include "cf_service.h"
#include "cf_streams.h"

//  The runtime's own metrics (handles owned by the registry): those of the
//  api socket and of group commit, and the runtime's.
typedef struct {
    cf_api_server_metrics_t api;
    cf_commit_metrics_t commit;
    cf_metric_t *events_applied;
    cf_metric_t *journal_events;
    cf_metric_t *journal_bytes;
    cf_metric_t *rebuild_seconds;
    cf_metric_t *last_seq;
    cf_metric_t **upstream_lag;
    cf_metric_t **upstream_diverged;
} cf_service_metrics_t;

//  A configuration table with the common entries, --stream and --follow,
//  one --<stream>-events / --<stream>-api pair per stream `streams`
//  follows (defaulting to the ports of DESIGN.md for caseflow's own
//  unsharded streams, required otherwise), then the service's own
//  entries. The data directory defaults to ./var/<stream written>. Free
//  with cf_config_destroy.
cf_config_t *
cf_service_config_new (const cf_service_def_t *def, const cf_streams_t *streams);

//  The api's limits (cf_api_server.h) from `config` into `limits`. A
//  budget smaller than a request would refuse for ever what the size
//  limit lets through: refused with a line on stderr naming the flags
//  (`name` is the service's). Returns 0 or CF_EINVAL.
int
cf_service_read_limits (cf_config_t *config, const char *name, cf_api_server_limits_t *limits);

//  Registers the runtime's metrics in `metrics` (one upstream_lag and one
//  upstream_diverged gauge per stream `streams` follows) and fills `m`.
//  m->upstream_lag and m->upstream_diverged are fresh arrays (free with
//  free).
void
cf_service_metrics_register (cf_service_metrics_t *m, cf_metrics_t *metrics,
                             const cf_streams_t *streams);

#endif
