//  console_page_lists: the waiting list (with its filters) and handover
//  progress per provider against the deadline.
//
//  The filters are a GET form (bookmarkable, no personal data: urgency,
//  location and domain words). The source filters the list and answers
//  one page of it (at most CONSOLE_WAITING_PAGE_ROWS rows, the same
//  answer as /api/waiting), so neither the answer nor the page grows with
//  the list; the links to the pages either side keep the filters.
#include "console_page.h"

#include <string.h>

static const char *const s_domains [] = {
    "youth", "support", "work-income", "debt", "housing", "mental-health", "other",
};

static void
s_option (console_page_t *page, const char *value, const char *label, const char *chosen)
{
    console_html_printf (page->html, "<option value=\"%s\"%s>%s</option>", value,
                         chosen && strcmp (chosen, value) == 0 ? " selected" : "", label);
}

static void
s_filters (console_page_t *page, const json_t *locations, const char *urgency, const char *location,
           const char *domain)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html,
                         "<form method=\"get\" action=\"/waiting\"><fieldset><legend>%s</legend>"
                         "<label for=\"f-urgency\">%s</label><select id=\"f-urgency\" "
                         "name=\"urgency\">",
                         console_string (lang, CS_FILTER), console_string (lang, CS_URGENCY));
    s_option (page, "", console_string (lang, CS_ALL), urgency);
    s_option (page, "urgent", console_word (lang, "urgent"), urgency);
    s_option (page, "regular", console_word (lang, "regular"), urgency);
    console_html_printf (page->html,
                         "</select> <label for=\"f-location\">%s</label><select id=\"f-location\" "
                         "name=\"location\">",
                         console_string (lang, CS_LOCATION));
    s_option (page, "", console_string (lang, CS_ALL), location);
    //  The locations the whole list holds, each once, in the order first
    //  seen (the answer's `locations`).
    size_t index;
    const json_t *its;
    json_array_foreach (locations, index, its)
    {
        if (json_is_string (its))
            s_option (page, json_string_value (its), json_string_value (its), location);
    }
    console_html_printf (page->html,
                         "</select> <label for=\"f-domain\">%s</label><select id=\"f-domain\" "
                         "name=\"domain\">",
                         console_string (lang, CS_DOMAINS));
    s_option (page, "", console_string (lang, CS_ALL), domain);
    for (size_t i = 0; i < sizeof s_domains / sizeof *s_domains; i++)
        s_option (page, s_domains [i], console_word (lang, s_domains [i]), domain);
    console_html_printf (page->html,
                         "</select> <button type=\"submit\">%s</button></fieldset></form>",
                         console_string (lang, CS_FILTER));
}

static void
s_domains_text (console_page_t *page, const json_t *item)
{
    const json_t *domains = console_json_array (item, "domains");
    size_t index;
    const json_t *value;
    json_array_foreach (domains, index, value)
    {
        console_html_printf (page->html, "%s%s", index ? ", " : "",
                             console_word (page->lang, json_string_value (value)));
    }
}

//  A link to page `number` of the list, keeping the filters and the limit
//  (a filter left empty stays out of the link).
static void
s_page_link (console_page_t *page, const console_waiting_ask_t *ask, size_t number,
             console_string_t text, const char *rel)
{
    console_html_printf (page->html, "<a rel=\"%s\" href=\"/waiting?", rel);
    const char *const names [] = { "urgency", "location", "domain" };
    const char *const values [] = { ask->urgency, ask->location, ask->domain };
    for (size_t i = 0; i < 3; i++) {
        if (values [i] && *values [i]) {
            console_html_printf (page->html, "%s=", names [i]);
            console_html_url_part (page->html, values [i]);
            console_html_printf (page->html, "&amp;");
        }
    }
    if (ask->limit != CONSOLE_WAITING_PAGE_ROWS)
        console_html_printf (page->html, "limit=%zu&amp;", ask->limit);
    console_html_printf (page->html, "page=%zu\">%s</a>", number,
                         console_string (page->lang, text));
}

//  "Rows X-Y of Z" and the links to the pages either side, in a nav
//  landmark of its own label.
static void
s_pager (console_page_t *page, const console_waiting_ask_t *ask, size_t first, size_t last,
         size_t matched, size_t pages, size_t on_list)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html, "<nav aria-label=\"%s\"><p>",
                         console_string (lang, CS_PAGES_LABEL));
    if (matched)
        console_html_printf (page->html, "%s %zu–%zu %s %zu", console_string (lang, CS_ROWS), first,
                             last, console_string (lang, CS_ROWS_OF), matched);
    else
        console_html_printf (page->html, "%s: 0", console_string (lang, CS_COUNT_SHOWN));
    console_html_printf (page->html, " (%zu %s)</p>", on_list,
                         console_string (lang, CS_WAITING_ON_LIST));
    if (pages > 1) {
        console_html_printf (page->html, "<ul class=\"pager\">");
        if (ask->page > 1) {
            console_html_printf (page->html, "<li>");
            s_page_link (page, ask, ask->page - 1, CS_PAGE_PREVIOUS, "prev");
            console_html_printf (page->html, "</li>");
        }
        if (ask->page < pages) {
            console_html_printf (page->html, "<li>");
            s_page_link (page, ask, ask->page + 1, CS_PAGE_NEXT, "next");
            console_html_printf (page->html, "</li>");
        }
        console_html_printf (page->html, "</ul>");
    }
    console_html_printf (page->html, "</nav>");
}

void
console_page_waiting (console_page_t *page, const json_t *waiting, const console_waiting_ask_t *ask)
{
    const json_t *list = console_json_array (waiting, "waiting");
    double matched_number = 0, total_number = 0;
    console_json_number (waiting, "matched", &matched_number);
    console_json_number (waiting, "total", &total_number);
    size_t matched = (size_t) matched_number;
    size_t pages = console_waiting_pages (ask, matched);
    size_t skip = (ask->page - 1) * ask->limit;
    size_t first = json_array_size (list) ? skip + 1 : 0;
    size_t last = skip + json_array_size (list);

    console_lang_t lang = page->lang;
    console_page_begin (page, console_string (lang, CS_WAITING_TITLE), CONSOLE_MENU_WAITING);
    s_filters (page, console_json_array (waiting, "locations"), ask->urgency, ask->location,
               ask->domain);
    size_t index;
    const json_t *item;
    json_array_foreach (list, index, item)
    {
        if (index == 0)
            console_html_printf (
                page->html,
                "<div class=\"scroll\"><table><caption>%s</caption><thead><tr>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                "<th scope=\"col\">%s</th></tr></thead><tbody>",
                console_string (lang, CS_WAITING_TITLE), console_string (lang, CS_POSITION),
                console_string (lang, CS_CASE_ID), console_string (lang, CS_URGENCY),
                console_string (lang, CS_REGISTERED), console_string (lang, CS_DAYS_WAITING),
                console_string (lang, CS_DOMAINS), console_string (lang, CS_LOCATION));
        const char *case_id = console_json_text (item, "case_id");
        console_html_printf (page->html, "<tr><td class=\"num\">");
        console_page_figure (page, item, "position", 0);
        console_html_printf (page->html, "</td><th scope=\"row\"><a href=\"/case/");
        console_html_url_part (page->html, case_id);
        console_html_printf (page->html, "\">%s</a></th><td>%s</td><td>", case_id,
                             console_word (lang, console_json_text (item, "urgency")));
        console_page_time (page, console_json_text (item, "registered_at"));
        console_html_printf (page->html, "</td><td class=\"num\">");
        console_page_figure (page, item, "waiting_days", 0);
        console_html_printf (page->html, "</td><td>");
        s_domains_text (page, item);
        const char *its_location = console_json_text (item, "location");
        console_html_printf (page->html, "</td><td>%s</td></tr>", its_location ? its_location : "");
    }
    if (json_array_size (list))
        console_html_printf (page->html, "</tbody></table></div>");
    else
        console_html_printf (page->html, "<p>%s</p>", console_string (lang, CS_WAITING_EMPTY));
    s_pager (page, ask, first, last, matched, pages, (size_t) total_number);
    console_page_end (page);
}

//  One row of handover progress: the provider's name (or "all") and its
//  figures.
static void
s_progress_row (console_page_t *page, const char *name, const json_t *progress)
{
    static const char *const keys [] = { "total",       "completed", "decided",
                                         "in_progress", "cancelled", "overdue" };
    console_html_printf (page->html, "<tr><th scope=\"row\">%s</th>", name);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        console_html_printf (page->html, "<td class=\"num\">");
        console_page_figure (page, progress, keys [i], 0);
        console_html_printf (page->html, "</td>");
    }
    const char *forecast = console_json_text (progress, "forecast_completion_date");
    console_html_printf (page->html, "<td>%s</td>",
                         forecast ? forecast : console_string (page->lang, CS_NO_FORECAST));
    //  Against the deadline: handover's own on_track (the forecast on or
    //  before the deadline's last day); "–" when the answer has none.
    const json_t *on_track = json_object_get (progress, "on_track");
    console_html_printf (page->html, "<td>%s</td></tr>",
                         !json_is_boolean (on_track) ? "–"
                         : json_is_true (on_track)   ? console_string (page->lang, CS_ON_TRACK_YES)
                                                     : console_string (page->lang, CS_ON_TRACK_NO));
}

void
console_page_handovers (console_page_t *page, const json_t *progress)
{
    console_lang_t lang = page->lang;
    console_page_begin (page, console_string (lang, CS_HANDOVERS_TITLE), CONSOLE_MENU_HANDOVERS);
    const char *deadline = console_json_text (progress, "deadline");
    console_html_printf (page->html, "<p>%s: <strong>%s</strong></p>",
                         console_string (lang, CS_DEADLINE), deadline ? deadline : "–");
    console_html_printf (
        page->html,
        "<div class=\"scroll\"><table><caption>%s</caption><thead><tr><th scope=\"col\">%s</th>"
        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
        "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
        console_string (lang, CS_HANDOVERS_TITLE), console_string (lang, CS_PROVIDER),
        console_string (lang, CS_TOTAL), console_string (lang, CS_COMPLETED),
        console_string (lang, CS_DECIDED), console_string (lang, CS_IN_PROGRESS),
        console_string (lang, CS_CANCELLED), console_string (lang, CS_OVERDUE),
        console_string (lang, CS_FORECAST), console_string (lang, CS_ON_TRACK));
    s_progress_row (page, console_string (lang, CS_ALL_PROVIDERS), progress);
    const json_t *by_provider = json_object_get (progress, "by_provider");
    const char *provider;
    const json_t *figures;
    json_object_foreach ((json_t *) by_provider, provider, figures)
    {
        s_progress_row (page, provider, figures);
    }
    console_html_printf (page->html, "</tbody></table></div>");
    console_page_end (page);
}
