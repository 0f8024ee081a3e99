//  console_page_case: one case across the streams: what it is now, its
//  callbacks, its timeline, and the resident's personal details behind a
//  "show" button.
//
//  The details are never part of the case's page itself: they come only
//  as the answer to the POST of that button, fetched from intake on the
//  person's behalf (intake records the read in its access log), rendered
//  into that one answer (no-store) and dropped. No id but the case's
//  appears in a URL.
#include "console_page.h"

#include <stdio.h>
#include <string.h>

void
console_page_case_lookup (console_page_t *page)
{
    console_lang_t lang = page->lang;
    console_page_begin (page, console_string (lang, CS_CASE_TITLE), CONSOLE_MENU_CASE);
    console_html_printf (
        page->html,
        "<form method=\"get\" action=\"/case\"><p><label for=\"case-id\">%s</label> "
        "<input id=\"case-id\" name=\"id\" type=\"text\" pattern=\"C[0-9]{6,}\" "
        "required> <button type=\"submit\">%s</button></p></form>",
        console_string (lang, CS_CASE_LOOKUP), console_string (lang, CS_CASE_OPEN));
    console_page_end (page);
}

static void
s_summary (console_page_t *page, const json_t *view)
{
    console_lang_t lang = page->lang;
    const char *worker = console_json_text (view, "worker_id");
    const char *location = console_json_text (view, "location");
    const char *channel = console_json_text (view, "channel");
    console_html_printf (
        page->html, "<dl class=\"details\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
        console_string (lang, CS_STATUS), console_word (lang, console_json_text (view, "status")),
        console_string (lang, CS_URGENCY),
        console_word (lang, console_json_text (view, "urgency")));
    //  The channel when the answer has it (the console's own case index
    //  does not keep it).
    if (channel)
        console_html_printf (page->html, "<dt>%s</dt><dd>%s</dd>",
                             console_string (lang, CS_CHANNEL), console_word (lang, channel));
    console_html_printf (page->html, "<dt>%s</dt><dd>", console_string (lang, CS_DOMAINS));
    size_t index;
    const json_t *value;
    json_array_foreach (console_json_array (view, "domains"), index, value)
    {
        console_html_printf (page->html, "%s%s", index ? ", " : "",
                             console_word (lang, json_string_value (value)));
    }
    console_html_printf (page->html, "</dd><dt>%s</dt><dd>", console_string (lang, CS_REGISTERED));
    console_page_time (page, console_json_text (view, "registered_at"));
    console_html_printf (page->html, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
                         console_string (lang, CS_WORKER),
                         worker ? worker : console_string (lang, CS_NONE_YET),
                         console_string (lang, CS_LOCATION), location ? location : "–");
}

static void
s_personal (console_page_t *page, const char *case_id, const json_t *personal, bool can_show)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html,
                         "<section aria-labelledby=\"personal\"><h2 id=\"personal\">%s</h2>",
                         console_string (lang, CS_PERSONAL));
    if (personal) {
        static const struct {
            console_string_t label;
            const char *key;
        } fields [] = {
            { CS_NAME, "name" },   { CS_BIRTH_DATE, "birth_date" }, { CS_BSN, "bsn" },
            { CS_PHONE, "phone" }, { CS_DISTRICT, "district" },     { CS_QUESTION, "question" },
        };
        console_html_printf (page->html, "<dl class=\"details\">");
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
            const char *value = console_json_text (personal, fields [i].key);
            if (!value)
                continue;
            console_html_printf (
                page->html, "<dt>%s</dt><dd>%s</dd>", console_string (lang, fields [i].label),
                strcmp (value, "erased") == 0 ? console_string (lang, CS_ERASED) : value);
        }
        console_html_printf (page->html, "</dl><p class=\"muted\">%s %s</p></section>",
                             console_string (lang, CS_PERSONAL_RECORDED),
                             console_string (lang, CS_PERSONAL_NOT_CACHED));
        return;
    }
    if (can_show) {
        console_html_printf (page->html, "<form method=\"post\" action=\"/case/");
        console_html_url_part (page->html, case_id);
        console_html_printf (page->html, "/show\">");
        console_page_token_field (page);
        console_html_printf (page->html, "<button type=\"submit\">%s</button></form>",
                             console_string (lang, CS_PERSONAL_SHOW));
    }
    console_html_printf (page->html, "<p class=\"muted\">%s</p></section>",
                         console_string (lang, CS_PERSONAL_RECORDED));
}

static void
s_callbacks (console_page_t *page, const json_t *callbacks)
{
    console_lang_t lang = page->lang;
    if (!callbacks || json_array_size (callbacks) == 0)
        return;
    console_html_printf (page->html,
                         "<table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th></tr></thead><tbody>",
                         console_string (lang, CS_CALLBACKS), console_string (lang, CS_DUE),
                         console_string (lang, CS_TODAY_OUTCOME));
    size_t index;
    const json_t *item;
    json_array_foreach (callbacks, index, item)
    {
        const char *outcome = console_json_text (item, "outcome");
        console_html_printf (page->html, "<tr><th scope=\"row\">");
        console_page_time (page, console_json_text (item, "due_at"));
        console_html_printf (page->html, "</th><td>%s</td></tr>",
                             outcome ? console_word (lang, outcome) : "–");
    }
    console_html_printf (page->html, "</tbody></table>");
}

static void
s_timeline (console_page_t *page, const json_t *timeline)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html,
                         "<h2 id=\"timeline\">%s</h2><div class=\"scroll\"><table "
                         "aria-labelledby=\"timeline\"><thead><tr><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                         console_string (lang, CS_TIMELINE), console_string (lang, CS_TIME),
                         console_string (lang, CS_STREAM), console_string (lang, CS_SEQ),
                         console_string (lang, CS_TYPE), console_string (lang, CS_SUMMARY));
    size_t index;
    const json_t *item;
    json_array_foreach (timeline, index, item)
    {
        console_html_printf (page->html, "<tr><th scope=\"row\">");
        console_page_time (page, console_json_text (item, "occurred_at"));
        console_html_printf (page->html, "</th><td>%s</td><td class=\"num\">",
                             console_word (lang, console_json_text (item, "stream")));
        console_page_figure (page, item, "seq", 0);
        //  The summary is the event's kind in the reader's language (the
        //  strings table), whatever the answer's own `summary` says.
        const char *type = console_json_text (item, "type");
        console_html_printf (page->html, "</td><td>%s</td><td>%s</td></tr>", type,
                             console_event_summary (lang, type));
    }
    console_html_printf (page->html, "</tbody></table></div>");
}

void
console_page_case (console_page_t *page, const json_t *case_view, const json_t *personal,
                   bool can_show)
{
    console_lang_t lang = page->lang;
    const char *case_id = console_json_text (case_view, "case_id");
    char title [64];
    snprintf (title, sizeof title, "%s %s", console_string (lang, CS_CASE_TITLE),
              case_id ? case_id : "");
    console_page_begin (page, title, CONSOLE_MENU_CASE);
    s_summary (page, case_view);
    s_personal (page, case_id, personal, can_show);
    s_callbacks (page, console_json_array (case_view, "callbacks"));
    s_timeline (page, console_json_array (case_view, "timeline"));
    console_page_end (page);
}
