//  console_web: the web page's and the JSON API's requests (see
//  console_web.h): who asks, in which language, what they may do, and
//  which page or JSON answers.
//
//  Every answer carries the same guard headers. A form's POST is checked
//  in one place (s_form) before any action: the browser's Sec-Fetch-Site,
//  the content type, the person's token, the person's role. Actions wait
//  for the source's answer in a call record (s_call_t) that lives until
//  `done`; the page they answer with is rendered then, with the figures
//  of that moment.
#include "console_web.h"

#include "cf_error.h"
#include "cf_id.h"
#include "cf_time.h"
#include "console_form.h"
#include "console_page.h"
#include "console_series.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LANG_COOKIE "caseflow_lang"
#define S_NOTE_MAX    1000
#define S_REASON_MAX  500
//  The weeks the report's charts draw, up to the report's date.
#define S_CHART_WEEKS 12
//  The largest page number the waiting list reads (its own bound is the
//  list's last page, checked once the list is filtered).
#define S_WAITING_MAX_PAGE 1000000

const char *const console_web_paths [] = {
    "/", "/today", "/waiting", "/handovers", "/report", "/case", "/static", "/api", NULL,
};

struct _console_web_t {
    console_auth_t *auth;
    console_web_source_t source;
};

//  One request in hand, from its arrival to its answer.
typedef struct {
    console_web_t *web;
    cf_http_request_t *request;
    console_user_t user;
    bool signed_in;
    console_lang_t lang;
    bool remember_lang;
    char token [CONSOLE_AUTH_TOKEN_SIZE];
    char path [32];  //  the page's own path (known words only), for the language link
    console_web_action_kind_t action;
    char case_id [CF_ID_MAX + 1];
    char reminder [CF_REMINDER_ID_MAX + 1];  //  the one a release, park or record names
} s_call_t;

console_web_t *
console_web_new (console_auth_t **auth_p, const console_web_source_t *source)
{
    assert (auth_p && *auth_p && source && source->answer && source->now);
    console_web_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->auth = *auth_p;
    *auth_p = NULL;
    self->source = *source;
    return self;
}

void
console_web_destroy (console_web_t **self_p)
{
    console_web_t *self = *self_p;
    if (!self)
        return;
    console_auth_destroy (&self->auth);
    free (self);
    *self_p = NULL;
}

//  ------------------------------------------------------------- answers

static void
s_guard_headers (s_call_t *call, bool html)
{
    cf_http_request_t *request = call->request;
    cf_http_request_add_header (request, "X-Content-Type-Options", "nosniff");
    cf_http_request_add_header (request, "Referrer-Policy", "no-referrer");
    if (html) {
        //  The page's own stylesheet and forms; no script, no frame, no
        //  other origin. SVG charts are inline markup, not images.
        cf_http_request_add_header (request, "Content-Security-Policy",
                                    "default-src 'none'; style-src 'self'; img-src 'self'; "
                                    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        cf_http_request_add_header (request, "Content-Language", console_lang_code (call->lang));
        if (call->remember_lang) {
            char cookie [96];
            snprintf (cookie, sizeof cookie,
                      S_LANG_COOKIE "=%s; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                      console_lang_code (call->lang));
            cf_http_request_add_header (request, "Set-Cookie", cookie);
        }
    }
}

static void
s_send (s_call_t *call, unsigned status, const char *content_type, const char *body, size_t size)
{
    console_web_source_t *source = &call->web->source;
    source->answer (source->ctx, call->request, status, content_type, body, size);
    call->request = NULL;
}

static void
s_send_page (s_call_t *call, unsigned status, console_html_t **html_p)
{
    s_guard_headers (call, true);
    size_t size;
    const char *body = console_html_data (*html_p, &size);
    s_send (call, status, "text/html; charset=utf-8", body, size);
    console_html_destroy (html_p);
}

static console_page_t
s_page (s_call_t *call, console_html_t *html)
{
    return (console_page_t){
        .html = html,
        .lang = call->lang,
        .user = call->signed_in ? &call->user : NULL,
        .token = call->token,
        .path = call->path,
        .now = call->web->source.now (call->web->source.ctx),
    };
}

static void
s_send_message (s_call_t *call, unsigned status, console_string_t title, const char *text)
{
    console_html_t *html = console_html_new ();
    console_page_t page = s_page (call, html);
    console_page_message (&page, console_string (call->lang, title), text);
    s_send_page (call, status, &html);
}

//  Reads the request argument `name` as a whole number from 1 to `max`
//  into *value_p; absent or empty it is `fallback`. False when it is
//  anything else (the caller answers 400 naming it).
static bool
s_count_argument (s_call_t *call, const char *name, size_t max, size_t fallback, size_t *value_p)
{
    const char *text = cf_http_request_argument (call->request, name);
    if (!text || !*text) {
        *value_p = fallback;
        return true;
    }
    size_t value = 0;
    for (const char *c = text; *c; c++) {
        if (*c < '0' || *c > '9')
            return false;
        value = value * 10 + (size_t) (*c - '0');
        if (value > max)
            return false;
    }
    if (value < 1)
        return false;
    *value_p = value;
    return true;
}

//  A JSON problem (RFC 9457): status, title, and the field at fault.
static void
s_send_problem (s_call_t *call, unsigned status, const char *title, const char *field,
                const char *detail)
{
    json_t *problem = json_pack ("{s:s, s:s, s:i}", "type", "about:blank", "title", title, "status",
                                 (int) status);
    if (field)
        json_object_set_new (problem, "field", json_string (field));
    if (detail)
        json_object_set_new (problem, "detail", json_string (detail));
    char *body = json_dumps (problem, JSON_COMPACT);
    json_decref (problem);
    if (!body)
        abort ();
    s_guard_headers (call, false);
    if (status == 503)
        cf_http_request_add_header (call->request, "Retry-After", "1");
    s_send (call, status, "application/problem+json", body, strlen (body));
    free (body);
}

static void
s_send_json (s_call_t *call, json_t *value)
{
    char *body = json_dumps (value, JSON_COMPACT);
    if (!body)
        abort ();
    s_guard_headers (call, false);
    s_send (call, 200, "application/json", body, strlen (body));
    free (body);
}

//  ------------------------------------------------------------ the API

//  Answers a source's failure on an API path.
static void
s_api_failed (s_call_t *call, int rc)
{
    if (rc == CF_ENOTFOUND)
        s_send_problem (call, 404, "Not Found", NULL, NULL);
    else if (rc == CF_EUNAVAILABLE)
        s_send_problem (call, 503, "Service Unavailable", NULL,
                        "the console has not caught up to that moment");
    else
        s_send_problem (call, 500, "Internal Server Error", NULL, cf_strerror (rc));
}

//  The moment of ?at= (a date or a time, CLI.md), or now when absent.
static bool
s_at (s_call_t *call, int64_t *at_p)
{
    const char *text = cf_http_request_argument (call->request, "at");
    if (!text || !*text) {
        *at_p = call->web->source.now (call->web->source.ctx);
        return true;
    }
    return strlen (text) <= 40 && cf_time_parse (text, at_p) == 0;
}

static void
s_page_failed (s_call_t *call, int rc)
{
    if (rc == CF_ENOTFOUND)
        s_send_message (call, 404, CS_NOT_FOUND, console_string (call->lang, CS_NOT_FOUND_TEXT));
    else if (rc == CF_EUNAVAILABLE) {
        cf_http_request_add_header (call->request, "Retry-After", "1");
        s_send_message (call, 503, CS_UNAVAILABLE,
                        console_string (call->lang, CS_UNAVAILABLE_TEXT));
    } else
        s_send_message (call, 500, CS_FAILED, cf_strerror (rc));
}

//  Refuses a bad argument of the waiting list: a problem for the API, a
//  page otherwise.
static void
s_waiting_refuse (s_call_t *call, bool api, const char *field, const char *why)
{
    if (api)
        s_send_problem (call, 400, "Bad Request", field, why);
    else
        s_send_message (call, 400, CS_BAD_REQUEST, why);
}

//  The waiting list for /waiting and /api/waiting: reads the filters and
//  the page and limit arguments into *ask_p and asks the source for that
//  page into *result_p. False when it answered the request itself: an
//  argument out of bounds (400 naming it, a page past the last among
//  them), or the source failed.
static bool
s_waiting (s_call_t *call, bool api, console_waiting_ask_t *ask_p, json_t **result_p)
{
    console_waiting_ask_t ask = {
        .urgency = cf_http_request_argument (call->request, "urgency"),
        .location = cf_http_request_argument (call->request, "location"),
        .domain = cf_http_request_argument (call->request, "domain"),
    };
    char why [96];
    if (!s_count_argument (call, "page", S_WAITING_MAX_PAGE, 1, &ask.page)) {
        s_waiting_refuse (call, api, "page", "page: not a page number (1, 2, 3, …)");
        return false;
    }
    if (!s_count_argument (call, "limit", CONSOLE_WAITING_PAGE_ROWS, CONSOLE_WAITING_PAGE_ROWS,
                           &ask.limit)) {
        snprintf (why, sizeof why, "limit: not a number of rows from 1 to %d",
                  CONSOLE_WAITING_PAGE_ROWS);
        s_waiting_refuse (call, api, "limit", why);
        return false;
    }
    console_web_source_t *source = &call->web->source;
    json_t *result = NULL;
    int rc = source->waiting (source->ctx, &ask, &result);
    if (rc) {
        if (api)
            s_api_failed (call, rc);
        else
            s_page_failed (call, rc);
        return false;
    }
    double matched = 0;
    console_json_number (result, "matched", &matched);
    size_t pages = console_waiting_pages (&ask, (size_t) matched);
    if (ask.page > pages) {
        json_decref (result);
        snprintf (why, sizeof why, "page: not a page of this list (1 to %zu)", pages);
        s_waiting_refuse (call, api, "page", why);
        return false;
    }
    *ask_p = ask;
    *result_p = result;
    return true;
}

//  The report at `at` (*report_p) and the reports at the ends of the
//  S_CHART_WEEKS weeks before it and at `at`, oldest first (*weeks_p, the
//  charts' and /api/series's), in one question to the source; a week end
//  the source cannot answer leaves *weeks_p empty (no charts, the report
//  alone). Both fresh. Returns 0, or the source's error for `at` itself
//  (nothing set).
static int
s_weekly_reports (console_web_source_t *source, int64_t at, json_t **report_p, json_t **weeks_p)
{
    int64_t ats [S_CHART_WEEKS + 1];
    json_t *results [S_CHART_WEEKS + 1];
    for (int week = S_CHART_WEEKS; week >= 0; week--)
        ats [S_CHART_WEEKS - week] = at - (int64_t) week * 7 * CF_USEC_PER_DAY;
    json_t *report = NULL;
    json_t *weeks = json_array ();
    if (source->report (source->ctx, ats, S_CHART_WEEKS + 1, results) == 0) {
        for (int i = 0; i <= S_CHART_WEEKS; i++)
            json_array_append_new (weeks, results [i]);
        report = json_incref (results [S_CHART_WEEKS]);
    } else {
        int rc = source->report (source->ctx, &at, 1, &report);
        if (rc) {
            json_decref (weeks);
            return rc;
        }
    }
    *report_p = report;
    *weeks_p = weeks;
    return 0;
}

static void
s_api (s_call_t *call, const char *path)
{
    console_web_source_t *source = &call->web->source;
    if (strcmp (cf_http_request_method (call->request), "GET") != 0
        && strcmp (cf_http_request_method (call->request), "HEAD") != 0) {
        cf_http_request_add_header (call->request, "Allow", "GET, HEAD");
        s_send_problem (call, 405, "Method Not Allowed", NULL, NULL);
        return;
    }
    json_t *result = NULL;
    int rc;
    //  What this console's source cannot answer yet is said so, not faked.
    bool series = strcmp (path, "/api/series") == 0;
    if (((strcmp (path, "/api/report") == 0 || series) && !source->report)
        || (strcmp (path, "/api/handovers") == 0 && !source->handovers)
        || (strncmp (path, "/api/cases/", 11) == 0 && !source->case_show)) {
        s_send_problem (call, 501, "Not Implemented", NULL,
                        "this console does not answer this yet");
        return;
    }
    if (strcmp (path, "/api/report") == 0 || series) {
        int64_t at;
        if (!s_at (call, &at)) {
            s_send_problem (call, 400, "Bad Request", "at",
                            "at is not a date or time (2022-01-21, 2022-01-21T09:00)");
            return;
        }
        if (!series)
            rc = source->report (source->ctx, &at, 1, &result);
        else {
            //  The weekly series the Report page's charts draw for `at`.
            json_t *report = NULL, *weeks = NULL;
            rc = s_weekly_reports (source, at, &report, &weeks);
            if (rc == 0) {
                result = console_series_new (weeks);
                json_decref (report);
                json_decref (weeks);
            }
        }
    } else if (strcmp (path, "/api/waiting") == 0) {
        console_waiting_ask_t ask;
        if (!s_waiting (call, true, &ask, &result))
            return;
        rc = 0;
    } else if (strcmp (path, "/api/callbacks") == 0)
        rc = source->callbacks (source->ctx, &result);
    else if (strcmp (path, "/api/handovers") == 0)
        rc = source->handovers (source->ctx, &result);
    else if (strncmp (path, "/api/cases/", 11) == 0) {
        if (!cf_id_valid (path + 11)) {
            s_send_problem (call, 400, "Bad Request", "case_id",
                            "case_id is not an id: " CF_ID_RULE);
            return;
        }
        rc = source->case_show (source->ctx, path + 11, &result);
    } else {
        s_send_problem (call, 404, "Not Found", NULL, NULL);
        return;
    }
    if (rc) {
        s_api_failed (call, rc);
        return;
    }
    s_send_json (call, result);
    json_decref (result);
}

//  ------------------------------------------------------------ the pages

//  Today, with the callback `claimed` in hand (may be NULL) and a notice;
//  `finished` (may be NULL) the reminder this person just gave back,
//  parked or recorded: never theirs again, though the list may still say
//  so until notification's answer reaches the console.
static void
s_today (s_call_t *call, const json_t *claimed, const char *finished, const char *notice,
         unsigned status)
{
    console_web_source_t *source = &call->web->source;
    json_t *callbacks = NULL;
    int rc = source->callbacks (source->ctx, &callbacks);
    if (rc) {
        s_page_failed (call, rc);
        return;
    }
    //  Without an answer of its own (a plain visit), the callback this
    //  person holds is the one the list says they hold.
    const json_t *held = claimed;
    size_t index;
    const json_t *item;
    json_array_foreach (console_json_array (callbacks, "callbacks"), index, item)
    {
        const char *holder = console_json_text (item, "claimed_by");
        const char *id = console_json_text (item, "reminder_id");
        if (!held && holder && strcmp (holder, call->user.name) == 0
            && !(finished && id && strcmp (id, finished) == 0))
            held = item;
    }
    console_html_t *html = console_html_new ();
    console_page_t page = s_page (call, html);
    console_page_today (&page, callbacks, held, notice, source->act != NULL);
    json_decref (callbacks);
    s_send_page (call, status, &html);
}

static void
s_report (s_call_t *call)
{
    console_web_source_t *source = &call->web->source;
    int64_t at;
    const char *text = cf_http_request_argument (call->request, "at");
    if (!s_at (call, &at)) {
        s_send_message (call, 400, CS_BAD_REQUEST, "at");
        return;
    }
    //  A date names its whole day: the report at its end, as
    //  `caseflowctl report --at DATE` reads it.
    char date [16];
    if (text && *text) {
        snprintf (date, sizeof date, "%.10s", text);
    } else
        cf_time_format_date (at, date, sizeof date);
    json_t *report = NULL, *weeks = NULL;
    int rc = s_weekly_reports (source, at, &report, &weeks);
    if (rc) {
        s_page_failed (call, rc);
        return;
    }
    console_html_t *html = console_html_new ();
    console_page_t page = s_page (call, html);
    console_page_report (&page, date, report, weeks);
    json_decref (report);
    json_decref (weeks);
    s_send_page (call, 200, &html);
}

static void
s_case (s_call_t *call, const char *case_id, const json_t *personal)
{
    console_web_source_t *source = &call->web->source;
    json_t *view = NULL;
    int rc = source->case_show (source->ctx, case_id, &view);
    if (rc) {
        s_page_failed (call, rc);
        return;
    }
    console_html_t *html = console_html_new ();
    console_page_t page = s_page (call, html);
    console_page_case (&page, view, personal,
                       source->act && console_auth_may (call->user.role, CONSOLE_ACT_PERSONAL));
    json_decref (view);
    s_send_page (call, 200, &html);
}

static void
s_get_page (s_call_t *call, const char *path)
{
    console_web_source_t *source = &call->web->source;
    if ((strcmp (path, "/report") == 0 && !source->report)
        || (strcmp (path, "/handovers") == 0 && !source->handovers)
        || (strncmp (path, "/case/", 6) == 0 && !source->case_show))
        s_send_message (call, 501, CS_FAILED, console_string (call->lang, CS_MISSING_TEXT));
    else if (strcmp (path, "/") == 0 || strcmp (path, "/today") == 0)
        s_today (call, NULL, NULL, NULL, 200);
    else if (strcmp (path, "/waiting") == 0) {
        console_waiting_ask_t ask;
        json_t *waiting = NULL;
        if (!s_waiting (call, false, &ask, &waiting))
            return;
        console_html_t *html = console_html_new ();
        console_page_t page = s_page (call, html);
        console_page_waiting (&page, waiting, &ask);
        json_decref (waiting);
        s_send_page (call, 200, &html);
    } else if (strcmp (path, "/handovers") == 0) {
        json_t *progress = NULL;
        int rc = source->handovers (source->ctx, &progress);
        if (rc) {
            s_page_failed (call, rc);
            return;
        }
        console_html_t *html = console_html_new ();
        console_page_t page = s_page (call, html);
        console_page_handovers (&page, progress);
        json_decref (progress);
        s_send_page (call, 200, &html);
    } else if (strcmp (path, "/report") == 0)
        s_report (call);
    else if (strcmp (path, "/case") == 0) {
        const char *id = cf_http_request_argument (call->request, "id");
        if (id && cf_id_valid (id)) {
            //  The case's own address: no query, bookmarkable.
            char location [96];
            snprintf (location, sizeof location, "/case/%s", id);
            cf_http_request_add_header (call->request, "Location", location);
            s_guard_headers (call, false);
            s_send (call, 303, "text/plain; charset=utf-8", "", 0);
        } else if (id)
            s_send_message (call, 400, CS_BAD_REQUEST, "id: " CF_ID_RULE);
        else {
            console_html_t *html = console_html_new ();
            console_page_t page = s_page (call, html);
            console_page_case_lookup (&page);
            s_send_page (call, 200, &html);
        }
    } else if (strncmp (path, "/case/", 6) == 0 && cf_id_valid (path + 6))
        s_case (call, path + 6, NULL);
    else
        s_send_message (call, 404, CS_NOT_FOUND, console_string (call->lang, CS_NOT_FOUND_TEXT));
}

//  ------------------------------------------------------------- actions

static void
s_done (void *done_ctx, int status, const char *message, json_t *result)
{
    s_call_t *call = done_ctx;
    console_lang_t lang = call->lang;
    if (status == CF_EUNAVAILABLE)
        cf_http_request_add_header (call->request, "Retry-After", "1");
    if (call->action == CONSOLE_WEB_PERSONAL) {
        if (status == 0)
            s_case (call, call->case_id, result);
        else if (status == CF_EUNAVAILABLE)
            s_send_message (call, 503, CS_UNAVAILABLE, console_string (lang, CS_UNAVAILABLE_TEXT));
        else
            s_send_message (call, status == CF_ENOTFOUND ? 404 : 409, CS_FAILED,
                            message ? message : cf_strerror (status));
    } else if (status == 0 && call->action == CONSOLE_WEB_CLAIM)
        s_today (call, result, NULL, NULL, 200);
    else if (status == 0)
        s_today (call, NULL, call->reminder, console_string (lang, CS_TODAY_RECORDED), 200);
    else if (status == CF_ENOTFOUND && call->action == CONSOLE_WEB_CLAIM)
        s_today (call, NULL, NULL, console_string (lang, CS_TODAY_NONE), 200);
    else {
        char notice [512];
        snprintf (notice, sizeof notice, "%s: %s", console_string (lang, CS_FAILED),
                  message ? message : cf_strerror (status));
        s_today (call, NULL, NULL, notice,
                 status == CF_EUNAVAILABLE ? 503
                 : status == CF_EINVAL     ? 400
                                           : 409);
    }
    free (call);
}

//  The checks of every form post; true when it may go on, else answered.
static bool
s_form (s_call_t *call, console_action_t needs, console_form_t **form_p, int64_t wall)
{
    cf_http_request_t *request = call->request;
    const char *content_type = cf_http_request_header (request, "Content-Type");
    const char *why = NULL;
    size_t size;
    const char *body = cf_http_request_body (request, &size);
    if (!console_auth_same_origin (cf_http_request_header (request, "Sec-Fetch-Site"))
        || !console_auth_may (call->user.role, needs)) {
        s_send_message (call, 403, CS_FORBIDDEN, console_string (call->lang, CS_FORBIDDEN_TEXT));
        return false;
    }
    if (!content_type || strncmp (content_type, "application/x-www-form-urlencoded", 33) != 0) {
        s_send_message (call, 415, CS_BAD_REQUEST, "Content-Type");
        return false;
    }
    if (console_form_parse (body, size, form_p, &why) != 0) {
        s_send_message (call, 400, CS_BAD_REQUEST, why);
        return false;
    }
    if (!console_auth_token_valid (call->web->auth, call->user.name,
                                   console_form_get (*form_p, "token"), wall)) {
        console_form_destroy (form_p);
        s_send_message (call, 403, CS_FORM_EXPIRED,
                        console_string (call->lang, CS_FORM_EXPIRED_TEXT));
        return false;
    }
    return true;
}

//  A form's text field: present, at most `max` bytes, and when `required`
//  not blank; else answered 400 naming it.
static const char *
s_field (s_call_t *call, const console_form_t *form, const char *name, size_t max, bool required)
{
    const char *value = console_form_get (form, name);
    if (!value)
        value = "";
    if (strlen (value) > max || (required && !*value)) {
        char text [96];
        snprintf (text, sizeof text, "%s: %s", name,
                  required && !*value ? "is required" : "is too long");
        s_send_message (call, 400, CS_BAD_REQUEST, text);
        return NULL;
    }
    return value;
}

static void
s_post (s_call_t *call, const char *path, int64_t wall)
{
    console_web_source_t *source = &call->web->source;
    console_web_action_t action = { .user = call->user.name,
                                    .reminder_id = "",
                                    .case_id = "",
                                    .outcome = "",
                                    .note = "",
                                    .location = "",
                                    .team_lead = call->user.role == CONSOLE_ROLE_TEAM_LEAD };
    console_action_t needs = CONSOLE_ACT_CALLBACK;
    if (strcmp (path, "/today/claim") == 0)
        action.kind = CONSOLE_WEB_CLAIM;
    else if (strcmp (path, "/today/release") == 0)
        action.kind = CONSOLE_WEB_RELEASE;
    else if (strcmp (path, "/today/park") == 0) {
        action.kind = CONSOLE_WEB_PARK;
        needs = CONSOLE_ACT_PARK;
    } else if (strcmp (path, "/today/record") == 0)
        action.kind = CONSOLE_WEB_RECORD;
    else if (strncmp (path, "/case/", 6) == 0 && strlen (path) > 11
             && strcmp (path + strlen (path) - 5, "/show") == 0
             && strlen (path) - 11 <= CF_ID_MAX) {
        action.kind = CONSOLE_WEB_PERSONAL;
        needs = CONSOLE_ACT_PERSONAL;
        memcpy (call->case_id, path + 6, strlen (path) - 11);
        call->case_id [strlen (path) - 11] = 0;
        if (!cf_id_valid (call->case_id)) {
            s_send_message (call, 404, CS_NOT_FOUND,
                            console_string (call->lang, CS_NOT_FOUND_TEXT));
            return;
        }
        action.case_id = call->case_id;
    } else {
        cf_http_request_add_header (call->request, "Allow", "GET, HEAD");
        s_send_message (call, 405, CS_BAD_REQUEST, "POST");
        return;
    }
    console_form_t *form = NULL;
    if (!s_form (call, needs, &form, wall))
        return;
    bool ok = true;
    if (action.kind == CONSOLE_WEB_CLAIM) {
        action.location = s_field (call, form, "location", CF_ID_MAX, false);
        ok = action.location && (!*action.location || cf_id_valid (action.location));
    } else if (action.kind != CONSOLE_WEB_PERSONAL) {
        action.reminder_id = s_field (call, form, "reminder", CF_REMINDER_ID_MAX, true);
        ok = action.reminder_id && cf_id_valid_reminder (action.reminder_id);
        if (ok)
            snprintf (call->reminder, sizeof call->reminder, "%s", action.reminder_id);
    }
    if (ok && action.kind == CONSOLE_WEB_PARK)
        ok = (action.note = s_field (call, form, "reason", S_REASON_MAX, true)) != NULL;
    if (ok && action.kind == CONSOLE_WEB_RECORD) {
        action.case_id = s_field (call, form, "case", CF_ID_MAX, true);
        action.outcome = action.case_id ? s_field (call, form, "outcome", 32, true) : NULL;
        action.note = action.outcome ? s_field (call, form, "note", S_NOTE_MAX, false) : NULL;
        ok = action.note && cf_id_valid (action.case_id)
             && (strcmp (action.outcome, "reached") == 0
                 || strcmp (action.outcome, "not-reached") == 0
                 || strcmp (action.outcome, "changed") == 0
                 || strcmp (action.outcome, "no-longer-needed") == 0);
        if (ok)
            snprintf (call->case_id, sizeof call->case_id, "%s", action.case_id);
    }
    if (!ok) {
        //  s_field answered already when it returned NULL.
        if (call->request)
            s_send_message (call, 400, CS_BAD_REQUEST,
                            action.kind == CONSOLE_WEB_RECORD  ? "case, outcome"
                            : action.kind == CONSOLE_WEB_CLAIM ? "location"
                                                               : "reminder");
        console_form_destroy (&form);
        return;
    }
    if (!source->act) {
        console_form_destroy (&form);
        s_send_message (call, 501, CS_FAILED, console_string (call->lang, CS_MISSING_TEXT));
        return;
    }
    //  The call outlives this function until `done`.
    s_call_t *pending = malloc (sizeof *pending);
    if (!pending)
        abort ();
    *pending = *call;
    pending->action = action.kind;
    call->request = NULL;
    int rc = source->act (source->ctx, &action, s_done, pending);
    console_form_destroy (&form);
    if (rc) {
        *call = *pending;
        free (pending);
        s_send_message (call, 503, CS_UNAVAILABLE,
                        console_string (call->lang, CS_UNAVAILABLE_TEXT));
    }
}

//  ------------------------------------------------------------- dispatch

void
console_web_handle (console_web_t *self, cf_http_request_t *request, int64_t wall_seconds)
{
    s_call_t call = { .web = self, .request = request };
    const char *path = cf_http_request_path (request);
    const char *method = cf_http_request_method (request);
    bool api = strncmp (path, "/api/", 5) == 0 || strcmp (path, "/api") == 0;
    if (strcmp (path, "/static/console.css") == 0 || strcmp (path, "/static/favicon.svg") == 0) {
        bool css = path [8] == 'c';
        s_guard_headers (&call, false);
        s_send (&call, 200, css ? "text/css; charset=utf-8" : "image/svg+xml",
                css ? console_page_css : console_page_icon,
                strlen (css ? console_page_css : console_page_icon));
        return;
    }
    char cookie [8];
    call.lang = console_lang_choose (cf_http_request_argument (request, "lang"),
                                     console_cookie (cf_http_request_header (request, "Cookie"),
                                                     S_LANG_COOKIE, cookie, sizeof cookie),
                                     &call.remember_lang);
    //  The language link goes back to the same page (known paths only,
    //  never a path copied from the request into the page).
    static const char *const pages [] = { "/today", "/waiting", "/handovers", "/report", "/case" };
    snprintf (call.path, sizeof call.path, "/today");
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strncmp (path, pages [i], strlen (pages [i])) == 0)
            snprintf (call.path, sizeof call.path, "%s", pages [i]);

    int rc = console_auth_identify (
        self->auth, cf_http_request_peer (request),
        cf_http_request_header (request, console_auth_header (self->auth)), &call.user);
    call.signed_in = rc == 0;
    if (rc == CF_EINVAL) {
        if (api)
            s_send_problem (&call, 400, "Bad Request", console_auth_header (self->auth),
                            "the user header is not a user name");
        else
            s_send_message (&call, 400, CS_BAD_REQUEST, console_auth_header (self->auth));
        return;
    }
    if (rc || !console_auth_may (call.user.role, CONSOLE_ACT_VIEW)) {
        unsigned status = rc ? 401 : 403;
        if (api)
            s_send_problem (&call, status, rc ? "Unauthorized" : "Forbidden", NULL, NULL);
        else
            s_send_message (
                &call, status, rc ? CS_NOT_SIGNED_IN : CS_FORBIDDEN,
                console_string (call.lang, rc ? CS_NOT_SIGNED_IN_TEXT : CS_NO_ROLE_TEXT));
        return;
    }
    console_auth_token (self->auth, call.user.name, wall_seconds, call.token);
    if (api)
        s_api (&call, path);
    else if (strcmp (method, "POST") == 0)
        s_post (&call, path, wall_seconds);
    else if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
        s_get_page (&call, path);
    else {
        cf_http_request_add_header (request, "Allow", "GET, HEAD, POST");
        s_send_message (&call, 405, CS_BAD_REQUEST, method);
    }
}
