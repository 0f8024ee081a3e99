//  cf_metrics: counters and gauges rendered in the Prometheus text format.
//
//  Metrics are registered at start (registration takes a lock), then
//  updated from the loop thread with atomic operations and rendered from
//  the HTTP thread. Label sets are fixed at registration: one metric handle
//  per (name, labels) pair. Metric names get the prefix "caseflow_".
//  Labels never carry personal data.
#ifndef CF_METRICS_H
#define CF_METRICS_H

#include <stdint.h>

typedef struct _cf_metrics_t cf_metrics_t;
typedef struct _cf_metric_t cf_metric_t;

//  A new registry; `service` is added as label service="..." to every
//  metric. Never NULL.
cf_metrics_t *
cf_metrics_new (const char *service);

//  Frees the registry and its metrics, safe on NULL; nulls *self_p.
void
cf_metrics_destroy (cf_metrics_t **self_p);

//  Registers a counter (monotonic) or gauge named `name` (without the
//  prefix) with `help`, and extra `labels` in Prometheus syntax
//  (`code="ok"`) or NULL. Returns a handle owned by the registry.
cf_metric_t *
cf_metrics_counter (cf_metrics_t *self, const char *name, const char *help, const char *labels);
cf_metric_t *
cf_metrics_gauge (cf_metrics_t *self, const char *name, const char *help, const char *labels);

//  Adds `n` to a counter.
void
cf_metric_add (cf_metric_t *metric, uint64_t n);

//  Sets a gauge.
void
cf_metric_set (cf_metric_t *metric, double value);

//  Current value (for tests and status).
double
cf_metric_value (cf_metric_t *metric);

//  Renders every metric (HELP and TYPE once per name). Returns a fresh
//  string; free with free.
char *
cf_metrics_render (cf_metrics_t *self);

#endif
