//  cf_metrics: counters and gauges in the Prometheus text format (see
//  cf_metrics.h).
//
//  Updates come from the loop thread and must never wait, so a value is one
//  atomic 64-bit word: a counter's count, or a gauge's double as its bit
//  pattern (C11 has no atomic add for doubles, and a gauge is only ever
//  set, so a plain atomic store of the bits is enough). The mutex guards
//  only the list of metrics, taken by registration and by rendering.
#include "cf_metrics.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    CF_METRIC_COUNTER,
    CF_METRIC_GAUGE,
} cf_metric_type_t;

struct _cf_metric_t {
    cf_metric_type_t type;
    char *name;  //  without the prefix
    char *help;
    char *labels;            //  "" when none
    _Atomic uint64_t value;  //  count, or the double's bits
};

struct _cf_metrics_t {
    pthread_mutex_t mutex;
    char *service;          //  escaped, ready for a label value
    cf_metric_t **metrics;  //  in registration order
    size_t count;
    size_t capacity;
};

static char *
s_strdup (const char *text)
{
    char *copy = strdup (text);
    if (!copy)
        abort ();
    return copy;
}

//  Escapes a label value or HELP text as the exposition format asks:
//  backslash and newline always, double quote inside label values.
static char *
s_escape (const char *text, bool quote)
{
    char *escaped = malloc (strlen (text) * 2 + 1);
    if (!escaped)
        abort ();
    char *out = escaped;
    for (const char *c = text; *c; c++) {
        if (*c == '\\' || (quote && *c == '"')) {
            *out++ = '\\';
            *out++ = *c;
        } else if (*c == '\n') {
            *out++ = '\\';
            *out++ = 'n';
        } else
            *out++ = *c;
    }
    *out = 0;
    return escaped;
}

static bool
s_name_valid (const char *name)
{
    if (!*name)
        return false;
    for (const char *c = name; *c; c++) {
        bool letter =
            (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' || *c == ':';
        bool digit = *c >= '0' && *c <= '9';
        if (!letter && !(digit && c != name))
            return false;
    }
    return true;
}

cf_metrics_t *
cf_metrics_new (const char *service)
{
    cf_metrics_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    pthread_mutex_init (&self->mutex, NULL);
    self->service = s_escape (service ? service : "caseflow", true);
    return self;
}

void
cf_metrics_destroy (cf_metrics_t **self_p)
{
    assert (self_p);
    cf_metrics_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++) {
        cf_metric_t *metric = self->metrics [index];
        free (metric->name);
        free (metric->help);
        free (metric->labels);
        free (metric);
    }
    free (self->metrics);
    free (self->service);
    pthread_mutex_destroy (&self->mutex);
    free (self);
    *self_p = NULL;
}

static cf_metric_t *
s_register (cf_metrics_t *self, cf_metric_type_t type, const char *name, const char *help,
            const char *labels)
{
    assert (self);
    assert (name && s_name_valid (name));
    //  Labels are written by the program, in Prometheus syntax; a newline
    //  would break the exposition.
    assert (!labels || !strchr (labels, '\n'));
    if (!labels)
        labels = "";

    pthread_mutex_lock (&self->mutex);
    cf_metric_t *metric = NULL;
    for (size_t index = 0; index < self->count; index++) {
        cf_metric_t *other = self->metrics [index];
        if (strcmp (other->name, name) != 0)
            continue;
        //  One name is one type; registering the same pair twice gives
        //  the same handle, so two modules may share a metric.
        assert (other->type == type);
        if (strcmp (other->labels, labels) == 0) {
            metric = other;
            break;
        }
    }
    if (!metric) {
        metric = calloc (1, sizeof *metric);
        if (!metric)
            abort ();
        metric->type = type;
        metric->name = s_strdup (name);
        metric->help = s_escape (help ? help : "", false);
        metric->labels = s_strdup (labels);
        atomic_init (&metric->value, 0);
        if (type == CF_METRIC_GAUGE) {
            double zero = 0.0;
            uint64_t bits;
            memcpy (&bits, &zero, sizeof bits);
            atomic_store (&metric->value, bits);
        }
        if (self->count == self->capacity) {
            self->capacity = self->capacity ? self->capacity * 2 : 32;
            self->metrics = realloc (self->metrics, self->capacity * sizeof *self->metrics);
            if (!self->metrics)
                abort ();
        }
        self->metrics [self->count++] = metric;
    }
    pthread_mutex_unlock (&self->mutex);
    return metric;
}

cf_metric_t *
cf_metrics_counter (cf_metrics_t *self, const char *name, const char *help, const char *labels)
{
    return s_register (self, CF_METRIC_COUNTER, name, help, labels);
}

cf_metric_t *
cf_metrics_gauge (cf_metrics_t *self, const char *name, const char *help, const char *labels)
{
    return s_register (self, CF_METRIC_GAUGE, name, help, labels);
}

void
cf_metric_add (cf_metric_t *metric, uint64_t n)
{
    assert (metric);
    assert (metric->type == CF_METRIC_COUNTER);
    atomic_fetch_add_explicit (&metric->value, n, memory_order_relaxed);
}

void
cf_metric_set (cf_metric_t *metric, double value)
{
    assert (metric);
    assert (metric->type == CF_METRIC_GAUGE);
    uint64_t bits;
    memcpy (&bits, &value, sizeof bits);
    atomic_store_explicit (&metric->value, bits, memory_order_relaxed);
}

double
cf_metric_value (cf_metric_t *metric)
{
    assert (metric);
    uint64_t bits = atomic_load_explicit (&metric->value, memory_order_relaxed);
    if (metric->type == CF_METRIC_COUNTER)
        return (double) bits;
    double value;
    memcpy (&value, &bits, sizeof value);
    return value;
}

//  Writes a value as the exposition format spells it: integers for
//  counters, the shortest text that reads back exactly for gauges.
static void
s_print_value (FILE *out, const cf_metric_t *metric)
{
    uint64_t bits = atomic_load_explicit (&metric->value, memory_order_relaxed);
    if (metric->type == CF_METRIC_COUNTER) {
        fprintf (out, "%llu", (unsigned long long) bits);
        return;
    }
    double value;
    memcpy (&value, &bits, sizeof value);
    if (isnan (value))
        fprintf (out, "NaN");
    else if (isinf (value))
        fprintf (out, value > 0 ? "+Inf" : "-Inf");
    else {
        char text [40];
        snprintf (text, sizeof text, "%.15g", value);
        if (strtod (text, NULL) != value)
            snprintf (text, sizeof text, "%.17g", value);
        fputs (text, out);
    }
}

char *
cf_metrics_render (cf_metrics_t *self)
{
    assert (self);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        abort ();

    pthread_mutex_lock (&self->mutex);
    //  Prometheus wants all lines of one name together, under one HELP and
    //  TYPE: print each name at its first registration, with every label
    //  set registered under it.
    for (size_t index = 0; index < self->count; index++) {
        const cf_metric_t *first = self->metrics [index];
        bool seen = false;
        for (size_t before = 0; before < index && !seen; before++)
            seen = strcmp (self->metrics [before]->name, first->name) == 0;
        if (seen)
            continue;
        fprintf (out, "# HELP caseflow_%s %s\n", first->name, first->help);
        fprintf (out, "# TYPE caseflow_%s %s\n", first->name,
                 first->type == CF_METRIC_COUNTER ? "counter" : "gauge");
        for (size_t same = index; same < self->count; same++) {
            const cf_metric_t *metric = self->metrics [same];
            if (strcmp (metric->name, first->name) != 0)
                continue;
            fprintf (out, "caseflow_%s{service=\"%s\"%s%s} ", metric->name, self->service,
                     *metric->labels ? "," : "", metric->labels);
            s_print_value (out, metric);
            fputc ('\n', out);
        }
    }
    pthread_mutex_unlock (&self->mutex);

    if (fclose (out) != 0 || !text)
        abort ();
    return text;
}
