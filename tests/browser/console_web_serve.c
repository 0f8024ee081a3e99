//  console_web_serve: the console's web page (services/console/console_web)
//  served over a JSON document instead of the console's projections, on
//  loopback, for the browser and API tests of the page itself.
//
//      console_web_serve FIXTURE.json PORT-FILE
//
//  The document holds what the console's source would answer: `now`, the
//  reports by date (`reports`: {"2022-01-21": {...}}; a moment is
//  answered with the latest report at or before its date, and a moment
//  before every date is UNAVAILABLE), `waiting`, `callbacks`, `handovers`,
//  `forecast` (the waiting list's, drawn under today's report),
//  `cases` by id, and `personal` by case id. Actions change the document
//  in memory the way the services would (a claim marks the oldest
//  unclaimed callback as the caller's, a recorded outcome removes it, a
//  "show" returns the details and appends to `access_log`, which
//  GET /test/access-log answers). The people: the user header is believed
//  from 127.0.0.1, and anna is a caller, bert a team lead, carla read-only.
//  It writes the port it listens on into PORT-FILE and serves until
//  SIGTERM or SIGINT.
#include "cf_error.h"
#include "cf_http.h"
#include "cf_log.h"
#include "cf_time.h"
#include "console_auth.h"
#include "console_web.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    json_t *document;
    int64_t now;
    console_web_t *web;
    pthread_mutex_t lock;  //  libmicrohttpd's thread answers; one request at a time
} s_fixture_t;

static volatile sig_atomic_t s_stop;

static void
s_on_signal (int sig)
{
    (void) sig;
    s_stop = 1;
}

static int64_t
s_now (void *ctx)
{
    return ((s_fixture_t *) ctx)->now;
}

static int
s_report_one (s_fixture_t *self, int64_t at, json_t **result_p)
{
    if (at > self->now)
        return CF_EUNAVAILABLE;
    char date [16];
    cf_time_format_date (at, date, sizeof date);
    const char *best = NULL;
    const char *key;
    json_t *value;
    json_object_foreach (json_object_get (self->document, "reports"), key, value)
    {
        if (strcmp (key, date) <= 0 && (!best || strcmp (key, best) > 0))
            best = key;
    }
    if (!best)
        return CF_EUNAVAILABLE;
    *result_p =
        json_deep_copy (json_object_get (json_object_get (self->document, "reports"), best));
    char when [40];
    json_object_set_new (*result_p, "at",
                         json_string (cf_time_format_local (at, when, sizeof when)));
    return 0;
}

static int
s_report (void *ctx, const int64_t *ats, size_t count, json_t **results)
{
    for (size_t i = 0; i < count; i++) {
        int rc = s_report_one (ctx, ats [i], &results [i]);
        if (rc) {
            while (i > 0)
                json_decref (results [--i]);
            return rc;
        }
    }
    return 0;
}

static int
s_copy (s_fixture_t *self, const char *key, json_t **result_p)
{
    json_t *value = json_object_get (self->document, key);
    if (!value)
        return CF_ENOTFOUND;
    *result_p = json_deep_copy (value);
    return 0;
}

//  Whether the fixture's waiting entry `item` has the text `value` at
//  `key` (or, for "domains", among them); an empty or NULL value: any.
static bool
s_keeps (const json_t *item, const char *key, const char *value)
{
    if (!value || !*value)
        return true;
    const json_t *its = json_object_get (item, key);
    if (json_is_array (its)) {
        size_t index;
        const json_t *one;
        json_array_foreach (its, index, one)
        {
            if (json_is_string (one) && strcmp (json_string_value (one), value) == 0)
                return true;
        }
        return false;
    }
    return json_is_string (its) && strcmp (json_string_value (its), value) == 0;
}

//  The fixture's whole waiting list, filtered and paged as the console's
//  source does (console_web.h): the page's rows, the number matched, the
//  locations of the whole list.
static int
s_waiting (void *ctx, const console_waiting_ask_t *ask, json_t **result_p)
{
    s_fixture_t *self = ctx;
    const json_t *list = json_object_get (json_object_get (self->document, "waiting"), "waiting");
    if (!list)
        return CF_ENOTFOUND;
    json_t *rows = json_array ();
    json_t *locations = json_array ();
    size_t matched = 0, skip = (ask->page - 1) * ask->limit, index;
    const json_t *item;
    json_array_foreach (list, index, item)
    {
        const json_t *location = json_object_get (item, "location");
        bool seen = false;
        for (size_t i = 0; i < json_array_size (locations); i++)
            seen |= json_equal (json_array_get (locations, i), location);
        if (!seen && json_is_string (location))
            json_array_append (locations, (json_t *) location);
        if (!s_keeps (item, "urgency", ask->urgency) || !s_keeps (item, "location", ask->location)
            || !s_keeps (item, "domains", ask->domain))
            continue;
        if (matched++ >= skip && json_array_size (rows) < ask->limit)
            json_array_append (rows, (json_t *) item);
    }
    char when [40];
    *result_p =
        json_pack ("{s:s, s:i, s:i, s:i, s:i, s:o, s:o}", "at",
                   cf_time_format_local (s_now (ctx), when, sizeof when), "total",
                   (int) json_array_size (list), "matched", (int) matched, "page", (int) ask->page,
                   "limit", (int) ask->limit, "locations", locations, "waiting", rows);
    return 0;
}

static int
s_callbacks (void *ctx, json_t **result_p)
{
    return s_copy (ctx, "callbacks", result_p);
}

static int
s_handovers (void *ctx, json_t **result_p)
{
    return s_copy (ctx, "handovers", result_p);
}

//  The waiting list's forecast: the document's `forecast`, whatever the
//  weeks asked (the page draws what it is given).
static int
s_forecast (void *ctx, uint32_t weeks, uint32_t window, json_t **result_p)
{
    (void) weeks;
    (void) window;
    return s_copy (ctx, "forecast", result_p);
}

static int
s_case_show (void *ctx, const char *case_id, json_t **result_p)
{
    s_fixture_t *self = ctx;
    json_t *view = json_object_get (json_object_get (self->document, "cases"), case_id);
    if (!view)
        return CF_ENOTFOUND;
    *result_p = json_deep_copy (view);
    return 0;
}

//  The callback list's entry for `reminder_id`, and its index.
static json_t *
s_find (s_fixture_t *self, const char *reminder_id, size_t *index_p)
{
    json_t *list = json_object_get (json_object_get (self->document, "callbacks"), "callbacks");
    size_t index;
    json_t *item;
    json_array_foreach (list, index, item)
    {
        if (strcmp (json_string_value (json_object_get (item, "reminder_id")), reminder_id) == 0) {
            *index_p = index;
            return item;
        }
    }
    return NULL;
}

static int
s_act (void *ctx, const console_web_action_t *action, console_web_done_fn *done, void *done_ctx)
{
    s_fixture_t *self = ctx;
    json_t *list = json_object_get (json_object_get (self->document, "callbacks"), "callbacks");
    char when [40];
    size_t index;
    json_t *item = NULL;
    if (action->kind == CONSOLE_WEB_CLAIM) {
        json_array_foreach (list, index, item)
        {
            if (!json_object_get (item, "claimed_by"))
                break;
        }
        if (index == json_array_size (list)) {
            done (done_ctx, CF_ENOTFOUND, NULL, NULL);
            return 0;
        }
        json_object_set_new (item, "claimed_by", json_string (action->user));
        json_object_set_new (item, "lease_until",
                             json_string (cf_time_format_local (self->now + 30 * CF_USEC_PER_MIN,
                                                                when, sizeof when)));
        done (done_ctx, 0, NULL, item);
        return 0;
    }
    if (action->kind == CONSOLE_WEB_PERSONAL) {
        json_t *details =
            json_object_get (json_object_get (self->document, "personal"), action->case_id);
        if (!details) {
            done (done_ctx, CF_ENOTFOUND, "no such case", NULL);
            return 0;
        }
        json_t *log = json_object_get (self->document, "access_log");
        if (!log) {
            log = json_array ();
            json_object_set_new (self->document, "access_log", log);
        }
        json_array_append_new (log, json_pack ("{s:s, s:s, s:s, s:s}", "at",
                                               cf_time_format_local (self->now, when, sizeof when),
                                               "who", action->user, "action", "show", "case_id",
                                               action->case_id));
        done (done_ctx, 0, NULL, details);
        return 0;
    }
    item = s_find (self, action->reminder_id, &index);
    const json_t *holder = item ? json_object_get (item, "claimed_by") : NULL;
    if (!item)
        done (done_ctx, CF_ENOTFOUND, "reminder_id: no such reminder is due", NULL);
    else if (!holder || strcmp (json_string_value (holder), action->user) != 0)
        done (done_ctx, CF_ESTATE, "reminder_id: the reminder is not held by you", NULL);
    else if (action->kind == CONSOLE_WEB_RELEASE) {
        json_object_del (item, "claimed_by");
        json_object_del (item, "lease_until");
        done (done_ctx, 0, NULL, NULL);
    } else {
        //  Parked or recorded: off the list.
        json_array_remove (list, index);
        done (done_ctx, 0, NULL, NULL);
    }
    return 0;
}

static void
s_answer (void *ctx, cf_http_request_t *request, unsigned status, const char *content_type,
          const char *body, size_t size)
{
    (void) ctx;
    cf_http_request_respond (request, status, content_type, body, size);
}

static void
s_route (void *ctx, cf_http_request_t *request)
{
    s_fixture_t *self = ctx;
    pthread_mutex_lock (&self->lock);
    if (strcmp (cf_http_request_path (request), "/test/access-log") == 0) {
        json_t *log = json_object_get (self->document, "access_log");
        char *body = log ? json_dumps (log, JSON_COMPACT) : strdup ("[]");
        cf_http_request_respond (request, 200, "application/json", body, strlen (body));
        free (body);
    } else
        console_web_handle (self->web, request, cf_time_system_now () / CF_USEC_PER_SEC);
    pthread_mutex_unlock (&self->lock);
}

int
main (int argc, char **argv)
{
    if (argc != 3) {
        fprintf (stderr, "usage: console_web_serve FIXTURE.json PORT-FILE\n");
        return 2;
    }
    cf_time_init ();
    json_error_t error;
    s_fixture_t fixture = { .document = json_load_file (argv [1], 0, &error) };
    pthread_mutex_init (&fixture.lock, NULL);
    const char *now = json_string_value (json_object_get (fixture.document, "now"));
    if (!fixture.document || !now || cf_time_parse (now, &fixture.now) != 0) {
        fprintf (stderr, "%s: not a fixture (line %d: %s)\n", argv [1], error.line, error.text);
        return 2;
    }
    uint8_t secret [CONSOLE_AUTH_SECRET_SIZE];
    randombytes_buf (secret, sizeof secret);
    char why [256];
    console_auth_t *auth =
        console_auth_new ("127.0.0.1", "anna:caller,bert:team-lead,carla:read-only",
                          "X-Forwarded-User", "", secret, why, sizeof why);
    if (!auth) {
        fprintf (stderr, "%s\n", why);
        return 2;
    }
    console_web_source_t source = {
        .ctx = &fixture,
        .now = s_now,
        .report = s_report,
        .waiting = s_waiting,
        .callbacks = s_callbacks,
        .handovers = s_handovers,
        .forecast = s_forecast,
        .case_show = s_case_show,
        .act = s_act,
        .answer = s_answer,
    };
    fixture.web = console_web_new (&auth, &source);
    cf_http_t *http = cf_http_new ("127.0.0.1:0", NULL, NULL);
    if (!http)
        return 1;
    for (size_t i = 0; console_web_paths [i]; i++)
        cf_http_route (http, console_web_paths [i], CONSOLE_WEB_MAX_BODY, s_route, &fixture);
    cf_http_route (http, "/test", 0, s_route, &fixture);
    FILE *file = fopen (argv [2], "w");
    if (!file)
        return 1;
    fprintf (file, "%u\n", cf_http_port (http));
    fclose (file);
    signal (SIGTERM, s_on_signal);
    signal (SIGINT, s_on_signal);
    while (!s_stop)
        usleep (50000);
    cf_http_destroy (&http);
    console_web_destroy (&fixture.web);
    json_decref (fixture.document);
    pthread_mutex_destroy (&fixture.lock);
    return 0;
}
