//  console_page: what every page of the web page shares: the frame (head,
//  skip link, header with the person and the language switch, the main
//  menu, main, footer), the stylesheet, the error pages, the form token
//  field, and reading the JSON the source hands over.
//
//  The frame is laid out for WCAG 2.1 AA: `lang` on <html>, one <h1> per
//  page, landmarks (header, nav with a label, main, footer), a skip link
//  as the first focusable element, a visible focus outline, the current
//  menu item marked with aria-current, text and controls of at least
//  4.5:1 contrast, and a layout that reflows to 320 px.
#ifndef CONSOLE_PAGE_H
#define CONSOLE_PAGE_H

#include "console_auth.h"
#include "console_html.h"
#include "console_strings.h"
#include "console_web.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The menu's pages (for aria-current).
typedef enum {
    CONSOLE_MENU_NONE,
    CONSOLE_MENU_TODAY,
    CONSOLE_MENU_WAITING,
    CONSOLE_MENU_HANDOVERS,
    CONSOLE_MENU_REPORT,
    CONSOLE_MENU_CASE,
} console_menu_t;

//  One page being written.
typedef struct {
    console_html_t *html;
    console_lang_t lang;
    const console_user_t *user;  //  NULL: nobody signed in
    const char *token;           //  the form token for the user ("" without one)
    const char *path;            //  the page's own path, for the language switch
    int64_t now;                 //  the services' clock
} console_page_t;

//  The stylesheet served at /static/console.css, and the icon at
//  /static/favicon.svg.
extern const char console_page_css [];
extern const char console_page_icon [];

//  Opens the page: everything up to and including <main>'s <h1>`title`.
void
console_page_begin (console_page_t *page, const char *title, console_menu_t menu);

//  Closes <main>, writes the footer (the services' clock) and ends the
//  document.
void
console_page_end (console_page_t *page);

//  A whole page that says `title` and `text` (an error, a refusal).
void
console_page_message (console_page_t *page, const char *title, const char *text);

//  The hidden form-token field, for every form that posts.
void
console_page_token_field (console_page_t *page);

//  Reads from a JSON object: the text of `key` (NULL when absent or not
//  text), its number (false when absent or not a number), and its array
//  (NULL when absent or not an array).
const char *
console_json_text (const json_t *object, const char *key);
bool
console_json_number (const json_t *object, const char *key, double *value_p);
const json_t *
console_json_array (const json_t *object, const char *key);

//  Writes the number `key` of `object` as a cell's text with `decimals`
//  digits in the page's language, or "no data" when absent or null.
void
console_page_figure (console_page_t *page, const json_t *object, const char *key, int decimals);

//  Writes a time (ISO 8601 text from the JSON) as the date and minute
//  people read ("2022-01-21 09:30"), inside <time datetime=…>.
void
console_page_time (console_page_t *page, const char *iso);

//  ---------------------------------------------------------------- pages
//  Each writes its whole page from the JSON its API path answers
//  (borrowed); docs/console.md has the shapes.

//  Today: the callbacks due now (`callbacks`: {callbacks: [...], alerts:
//  [...]}), the one `claimed` by this caller (may be NULL), a `notice`
//  (may be NULL), whether actions can be taken at all.
void
console_page_today (console_page_t *page, const json_t *callbacks, const json_t *claimed,
                    const char *notice, bool can_act);

//  The waiting list: the page of rows the source answered for `ask`
//  (`waiting`: its JSON, docs/console.md), with the filters, "rows X-Y
//  of Z" and links to the pages either side.
void
console_page_waiting (console_page_t *page, const json_t *waiting,
                      const console_waiting_ask_t *ask);

//  Handover progress, all providers and each.
void
console_page_handovers (console_page_t *page, const json_t *progress);

//  The report at `at_text` (a date) with its figures and the charts from
//  `weeks` (an array of reports at the end of each week, oldest first),
//  and the waiting list's forecast from now when `forecast` is not NULL
//  (the document of `caseflowctl --json forecast`: docs/whatif.md).
void
console_page_report (console_page_t *page, const char *at_text, const json_t *report,
                     const json_t *weeks, const json_t *forecast);

//  A case's timeline; `personal` (may be NULL) the details a "show" just
//  fetched; `can_show` whether this person may ask for them.
void
console_page_case (console_page_t *page, const json_t *case_view, const json_t *personal,
                   bool can_show);

//  The case page's lookup form alone (no case asked for yet).
void
console_page_case_lookup (console_page_t *page);

#endif
