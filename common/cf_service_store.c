//  cf_service_store: the runtime's store side, from opening to closing.
//
//  At start the runtime opens the journal, decides the clock from the
//  configuration and the store, opens the key store of a service that
//  keeps one, and rebuilds the state from the journal. The same rebuild
//  undoes a batch that could not be stored (cf_service.c's `failed` hook):
//  replaying what the journal holds is the only undo that cannot diverge
//  from it. At stop, cf_service_close takes every part down in the order
//  that keeps a thread from reading what is already freed.
//
//  cf_service.c calls this file; this file calls none of cf_service.c,
//  only the modules below the runtime and the routes' teardown.
#include "cf_service_private.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_rebuild.h"
#include "cf_service_clock.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

//  The clock from the configuration and the store. Returns 0, 2 (refused:
//  the reason is printed) or 1 (the store could not be read).
static int
s_open_clock (cf_service_t *self)
{
    cf_service_clock_config_t config = {
        .manual = strcmp (cf_config_string (self->config, "clock"), "manual") == 0,
        .force = cf_config_bool (self->config, "clock-force"),
    };
    config.has_start = cf_config_time (self->config, "clock-start", &config.start);
    int rc = cf_service_clock_open (self->journal, cf_streams_own (self->streams), &config, stderr,
                                    &self->clock);
    return rc == 0 ? 0 : rc == CF_EMISMATCH ? 2 : 1;
}

//  The key store: --key-store, or the data directory's sibling
//  "<data-dir>-keys" (apart from the journal, so it is backed up and
//  erased on its own terms: docs/privacy.md). Returns 0 or exit code 1.
static int
s_open_keystore (cf_service_t *self, const char *data_dir)
{
    const char *configured = cf_config_string (self->config, "key-store");
    char dir [4096];
    if (*configured)
        snprintf (dir, sizeof dir, "%s", configured);
    else
        cf_keystore_default_dir (data_dir, dir, sizeof dir);
    int rc = cf_keystore_open (dir, cf_streams_own (self->streams), 0, &self->keystore);
    if (rc) {
        cf_log_error ("cannot open the key store in %s: %s", dir, cf_strerror (rc));
        return 1;
    }
    return 0;
}

int
cf_service_open_store (cf_service_t *self, const char *data_dir)
{
    int rc = 0;
    self->journal = cf_journal_open (data_dir, cf_streams_own (self->streams),
                                     (size_t) cf_config_int (self->config, "map-size"), &rc);
    if (!self->journal) {
        cf_log_error ("cannot open the store in %s: %s", data_dir, cf_strerror (rc));
        return 1;
    }
    if ((rc = s_open_clock (self)))
        return rc;
    if (self->def->key_store && (rc = s_open_keystore (self, data_dir)))
        return rc;
    return 0;
}

void
cf_service_apply (cf_service_t *self, const Caseflow__V1__Event *event, const void *data,
                  size_t size)
{
    if (self->def->apply_encoded)
        self->def->apply_encoded (self->state, event, data, size);
    else
        self->def->apply (self->state, event);
    self->events_applied++;
}

//  Applies one journal entry while the state is rebuilt (cf_rebuild
//  decodes the journal on a second thread meanwhile).
static void
s_rebuild_apply (void *ctx, uint64_t position, const Caseflow__V1__Event *event, const void *data,
                 size_t size)
{
    (void) position;
    cf_service_apply (ctx, event, data, size);
}

int
cf_service_rebuild (cf_service_t *self)
{
    int64_t started = cf_time_monotonic ();
    int rc = cf_rebuild (self->journal, s_rebuild_apply, self);
    if (rc == CF_ECORRUPT)
        //  cf_journal logged the damaged position; say what follows.
        cf_log_error ("refusing to start: the journal in %s is damaged (position in the line "
                      "above); caseflow-%s --verify --data-dir=%s checks the whole store",
                      cf_config_string (self->config, "data-dir"), cf_streams_own (self->streams),
                      cf_config_string (self->config, "data-dir"));
    if (rc)
        return rc;
    cf_metric_add (self->m.events_applied, self->events_applied);
    double seconds = (double) (cf_time_monotonic () - started) / 1e6;
    cf_metric_set (self->m.rebuild_seconds, seconds);
    cf_log_info ("rebuilt the state from %llu journal entries in %.3f s; own stream at seq %llu",
                 (unsigned long long) self->events_applied, seconds,
                 (unsigned long long) cf_journal_last_seq (self->journal, NULL));
    return 0;
}

static void
s_close_handle (uv_handle_t *handle, void *arg)
{
    (void) arg;
    if (!uv_is_closing (handle))
        uv_close (handle, NULL);
}

void
cf_service_close (cf_service_t *self)
{
    for (size_t i = 0; i < self->watch_count; i++)
        cf_zwatch_destroy (&self->watches [i]);
    cf_service_http_stop (self);
    cf_api_server_destroy (&self->server);
    cf_access_destroy (&self->access);
    //  Idle by now (everything decided was finished); the writer's handle
    //  closes with the others.
    cf_commit_destroy (&self->commit);
    if (self->stop_fn)
        self->stop_fn (self->stop_arg);
    uv_walk (&self->loop, s_close_handle, NULL);
    uv_run (&self->loop, UV_RUN_DEFAULT);
    uv_loop_close (&self->loop);
    free (self->watches);
    cf_upstreams_destroy (&self->upstreams);
    zsock_destroy (&self->api);
    cf_bus_publisher_destroy (&self->publisher);
    cf_keys_destroy (&self->keys);
    //  The routes' side goes after the server, whose thread reads it.
    cf_http_destroy (&self->http);
    cf_service_http_destroy (self);
    if (self->state)
        self->def->state_destroy (&self->state);
    cf_journal_destroy (&self->journal);
    cf_keystore_destroy (&self->keystore);
    cf_clock_destroy (&self->clock);
    free (self->m.upstream_lag);
    free (self->m.upstream_diverged);
    cf_metrics_destroy (&self->metrics);
    cf_config_destroy (&self->config);
    cf_streams_destroy (&self->streams);
}
