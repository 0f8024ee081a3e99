//  console_web: the console's web page and JSON API on its HTTP port.
//
//      GET  /, /today                 callbacks to make now, alerts (Today)
//      GET  /waiting?urgency=&location=&domain=&page=&limit=
//      GET  /handovers                per provider against the deadline
//      GET  /report?at=DATE           the council figures and the charts
//      GET  /case?id=C…, /case/C…     a case's timeline across the streams
//      POST /today/claim | release | park | record, /case/C…/show
//      GET  /static/console.css
//      GET  /api/report?at=, /api/waiting (the arguments of /waiting),
//           /api/callbacks, /api/handovers, /api/cases/{id}
//                                     JSON (docs/console.md)
//
//  The page learns who is asking from console_auth (a trusted proxy's
//  header), chooses the language (console_strings.h), renders through
//  console_html (every value escaped) and answers with headers that keep
//  it self-contained: a Content-Security-Policy that allows nothing but
//  the page's own stylesheet and forms, no referrer, no caching (cf_http
//  sends no-store), no framing. Nothing is fetched from the network.
//
//  The figures come from a source (console_web_source_t) that the console
//  service implements over its projections; everything the page shows is
//  a JSON object the API answers too, so the page and the API cannot
//  disagree. Actions (claiming a callback, recording its outcome, showing
//  a resident's details) go to the source's `act`, which sends them as
//  the signed-in person (on_behalf_of) and calls back when answered.
//
//  No personal data is put in a URL (ids only) or a log line: the details
//  a "show" returns are rendered into that one POST answer and dropped.
#ifndef CONSOLE_WEB_H
#define CONSOLE_WEB_H

#include "cf_http_request.h"
#include "console_auth.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _console_web_t console_web_t;

//  What a person asks the services to do from a form.
typedef enum {
    CONSOLE_WEB_CLAIM,     //  the next due callback this caller may take
    CONSOLE_WEB_RELEASE,   //  give a claimed one back
    CONSOLE_WEB_PARK,      //  set it aside for a team lead (reason)
    CONSOLE_WEB_RECORD,    //  record the call's outcome at intake
    CONSOLE_WEB_PERSONAL,  //  a resident's details from intake (recorded there)
} console_web_action_kind_t;

typedef struct {
    console_web_action_kind_t kind;
    const char *user;         //  on_behalf_of: the signed-in person
    const char *reminder_id;  //  RELEASE, PARK, RECORD (the claimed one; may be "")
    const char *case_id;      //  RECORD, PERSONAL
    const char *outcome;      //  RECORD: reached | not-reached | changed | no-longer-needed
    const char *note;         //  RECORD (may be ""), PARK: the reason
    const char *location;     //  CLAIM: only this location's ("" any)
    bool team_lead;           //  the person is a team lead (the proxy vouches)
} console_web_action_t;

//  How an action ended: `status` 0 done, CF_ENOTFOUND (nothing due, no
//  such case), CF_ESTATE (refused: `message` says why), CF_EUNAVAILABLE
//  (a service did not answer), CF_EINVAL (a field: `message`).
//  `result` (borrowed for the call) is CLAIM's reminder
//  ({reminder_id, case_id, kind, due_at, claimed_by, lease_until}) and
//  PERSONAL's details ({name, birth_date, bsn, phone, district,
//  question}, each may be absent or "erased"); NULL otherwise.
typedef void (console_web_done_fn) (void *done_ctx, int status, const char *message,
                                    json_t *result);

//  The most rows the waiting list (page and API) answers at once, and its
//  default: a page's cost stays the same however long the list grows.
#define CONSOLE_WAITING_PAGE_ROWS 100

//  What the waiting list (page and API) is asked for: the filters (NULL
//  or "": all) and which page of how many rows (page from 1; limit 1 to
//  CONSOLE_WAITING_PAGE_ROWS).
typedef struct {
    const char *urgency;
    const char *location;
    const char *domain;
    size_t page;
    size_t limit;
} console_waiting_ask_t;

//  How many pages of `ask`'s size `matched` rows fill: at least 1, so an
//  empty list still has its (empty) first page.
static inline size_t
console_waiting_pages (const console_waiting_ask_t *ask, size_t matched)
{
    return matched > 0 ? (matched + ask->limit - 1) / ask->limit : 1;
}

typedef struct {
    void *ctx;
    //  The services' clock (microseconds): what "now" and "today" mean.
    int64_t (*now) (void *ctx);
    //  Each returns 0 with a new JSON value in *result_p (the web page
    //  takes it), CF_ENOTFOUND, or CF_EUNAVAILABLE (not caught up to that
    //  moment: never partial figures). Shapes: docs/console.md. `waiting`
    //  and `callbacks` are required; a NULL report, handovers or
    //  case_show makes its page and API path answer 501 (not yet).
    //  `report` answers `count` moments at once (results[i] for ats[i],
    //  each new; on an error none is set), so a source can decode its
    //  history once for the report page's week ends.
    int (*report) (void *ctx, const int64_t *ats, size_t count, json_t **results);
    //  `waiting` answers one page of the waiting list for `ask` (its
    //  page and limit already in bounds; a page past the last is answered
    //  with no rows, and the caller refuses it).
    int (*waiting) (void *ctx, const console_waiting_ask_t *ask, json_t **result_p);
    int (*callbacks) (void *ctx, json_t **result_p);
    int (*handovers) (void *ctx, json_t **result_p);
    int (*case_show) (void *ctx, const char *case_id, json_t **result_p);
    //  The waiting list's forecast from now for `weeks` weeks at the
    //  inflow of the last `window` (the document of `caseflowctl --json
    //  forecast`: docs/whatif.md); NULL: the report page draws none.
    int (*forecast) (void *ctx, uint32_t weeks, uint32_t window, json_t **result_p);
    //  Starts an action (the strings are borrowed for the call only) and
    //  returns 0, then calls `done` exactly once, later or before it
    //  returns; or returns an error and never calls it. NULL: the console
    //  cannot act yet (the page says so).
    int (*act) (void *ctx, const console_web_action_t *action, console_web_done_fn *done,
                void *done_ctx);
    //  Answers the request (the service holds it until its batch is
    //  stored, cf_service_http_answer; a bare server responds at once).
    void (*answer) (void *ctx, cf_http_request_t *request, unsigned status,
                    const char *content_type, const char *body, size_t size);
} console_web_source_t;

//  The web page over `source` (copied; its ctx borrowed and must outlive
//  it), taking `*auth_p` (nulled). Never NULL.
console_web_t *
console_web_new (console_auth_t **auth_p, const console_web_source_t *source);

//  Frees, safe on NULL; nulls *self_p. Every action must have finished.
void
console_web_destroy (console_web_t **self_p);

//  Handles one request to any of the paths above, on the thread the
//  source belongs to; answers it now or when its action is done.
//  `wall_seconds` is the system clock (form tokens expire by it, not by
//  the services' clock, which a demo moves by weeks).
void
console_web_handle (console_web_t *self, cf_http_request_t *request, int64_t wall_seconds);

//  The paths to register on the HTTP port (each with everything under
//  it), NULL-terminated.
extern const char *const console_web_paths [];

//  The largest form body the page takes.
#define CONSOLE_WEB_MAX_BODY 16384

#endif
