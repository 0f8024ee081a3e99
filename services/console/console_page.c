//  console_page: the frame every page shares (see console_page.h).
#include "console_page.h"

#include "cf_time.h"

#include <math.h>
#include <string.h>

//  Contrast, measured against WCAG's formula: body text #1a1a1a on white
//  17:1; links #0b4f9c 8.2:1; header text white on #14365d 12:1; muted
//  text #4a4a4a 8.9:1; the focus ring #ffbf47 framed by near-black, seen
//  on light and dark alike.
const char console_page_css [] =
    "*{box-sizing:border-box}"
    "html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "font-size:100%;line-height:1.5;color:#1a1a1a;background:#fff}"
    "body{margin:0}"
    "a{color:#0b4f9c}a:visited{color:#5a2a82}"
    ":focus-visible{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}"
    ".skip{position:absolute;left:-9999px;top:0;background:#fff;color:#0b4f9c;padding:.5rem}"
    ".skip:focus{left:.5rem;z-index:10}"
    "header.site{background:#14365d;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;"
    "gap:.5rem 2rem;align-items:center;justify-content:space-between}"
    "header.site a{color:#fff}"
    ".brand{font-weight:700;font-size:1.125rem}"
    ".who{margin:0}"
    "nav.menu{background:#e8eef5;border-bottom:1px solid #8a9bb0}"
    "nav.menu ul{list-style:none;margin:0 auto;padding:0 1rem;display:flex;flex-wrap:wrap;"
    "max-width:72rem}"
    "nav.menu a{display:block;padding:.75rem 1rem;color:#14365d;font-weight:600;"
    "text-decoration:none}"
    "nav.menu a:hover{text-decoration:underline}"
    "nav.menu a[aria-current=page]{border-bottom:4px solid #14365d;padding-bottom:.5rem}"
    "main{max-width:72rem;margin:0 auto;padding:1rem}"
    "footer.site{max-width:72rem;margin:2rem auto 0;padding:1rem;border-top:1px solid #8a9bb0;"
    "color:#4a4a4a}"
    "h1{font-size:1.75rem;margin:.5rem 0 1rem}h2{font-size:1.375rem;margin:1.5rem 0 .5rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;min-width:50%}"
    "caption{text-align:left;font-weight:600;padding:.25rem 0}"
    "th,td{border:1px solid #8a9bb0;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "thead th{background:#e8eef5}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".scroll{overflow-x:auto}"
    "form.inline{display:inline}"
    "fieldset{border:1px solid #8a9bb0;margin:.5rem 0;padding:.5rem 1rem}"
    "label{display:inline-block;margin:.25rem .5rem .25rem 0;font-weight:600}"
    "input,select,textarea,button{font:inherit;color:#1a1a1a}"
    "input,select,textarea{border:2px solid #4a4a4a;padding:.25rem;background:#fff}"
    "button{background:#14365d;color:#fff;border:2px solid #14365d;padding:.375rem 1rem;"
    "cursor:pointer;margin:.25rem .5rem .25rem 0}"
    "button.secondary{background:#fff;color:#14365d}"
    ".notice{border-left:6px solid #2d6a31;background:#eef6ee;padding:.5rem 1rem}"
    ".alert{border-left:6px solid #b3261e;background:#fbeeed;padding:.5rem 1rem}"
    ".muted{color:#4a4a4a}"
    "figure.chart{margin:1rem 0 2rem;max-width:48rem}"
    "figure.chart figcaption{font-weight:600;font-size:1.125rem}"
    "figure.chart>svg{width:100%;height:auto;font-size:12px}"
    "figure.chart svg text{fill:#1a1a1a}"
    "figure.chart .grid{stroke:#d0d7e0;stroke-width:1}"
    "figure.chart .base{stroke:#4a4a4a;stroke-width:1.5}"
    "ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}"
    "ul.legend svg{vertical-align:middle}"
    "dl.details{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}"
    "dl.details dt{font-weight:600}dl.details dd{margin:0}"
    "@media print{nav.menu,header.site form{display:none}}";

//  The tab's icon: a white "c" on the header's blue.
const char console_page_icon [] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\"><rect width=\"16\" "
    "height=\"16\" rx=\"3\" fill=\"#14365d\"/><text x=\"8\" y=\"12\" font-size=\"12\" "
    "font-family=\"sans-serif\" text-anchor=\"middle\" fill=\"#fff\">c</text></svg>";

//  The menu: string, path, item.
static const struct {
    console_string_t label;
    const char *path;
    console_menu_t item;
} s_menu [] = {
    { CS_NAV_TODAY, "/today", CONSOLE_MENU_TODAY },
    { CS_NAV_WAITING, "/waiting", CONSOLE_MENU_WAITING },
    { CS_NAV_HANDOVERS, "/handovers", CONSOLE_MENU_HANDOVERS },
    { CS_NAV_REPORT, "/report", CONSOLE_MENU_REPORT },
    { CS_NAV_CASE, "/case", CONSOLE_MENU_CASE },
};

static console_string_t
s_role_string (console_role_t role)
{
    switch (role) {
        case CONSOLE_ROLE_READ_ONLY: return CS_ROLE_READ_ONLY;
        case CONSOLE_ROLE_CALLER: return CS_ROLE_CALLER;
        case CONSOLE_ROLE_TEAM_LEAD: return CS_ROLE_TEAM_LEAD;
        default: return CS_ROLE_NONE;
    }
}

void
console_page_begin (console_page_t *page, const char *title, console_menu_t menu)
{
    console_lang_t lang = page->lang;
    console_lang_t other = lang == CONSOLE_LANG_NL ? CONSOLE_LANG_EN : CONSOLE_LANG_NL;
    console_html_printf (page->html,
                         "<!DOCTYPE html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                         "<title>%s – %s</title>"
                         "<link rel=\"stylesheet\" href=\"/static/console.css\">"
                         "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
                         "</head><body>"
                         "<a class=\"skip\" href=\"#main\">%s</a>"
                         "<header class=\"site\"><span class=\"brand\">%s</span>",
                         console_lang_code (lang), title, console_string (lang, CS_APP_TITLE),
                         console_string (lang, CS_SKIP_LINK), console_string (lang, CS_APP_TITLE));
    if (page->user)
        console_html_printf (page->html, "<p class=\"who\">%s <strong>%s</strong> (%s)</p>",
                             console_string (lang, CS_SIGNED_IN_AS), page->user->name,
                             console_string (lang, s_role_string (page->user->role)));
    console_html_printf (
        page->html, "<a href=\"%s?lang=%s\" lang=\"%s\" hreflang=\"%s\">%s</a></header>",
        page->path ? page->path : "/", console_lang_code (other), console_lang_code (other),
        console_lang_code (other), console_string (lang, CS_OTHER_LANGUAGE));
    if (page->user && page->user->role != CONSOLE_ROLE_NONE) {
        console_html_printf (page->html, "<nav class=\"menu\" aria-label=\"%s\"><ul>",
                             console_string (lang, CS_NAV_LABEL));
        for (size_t i = 0; i < sizeof s_menu / sizeof *s_menu; i++) {
            console_html_printf (page->html, "<li><a href=\"%s\"", s_menu [i].path);
            if (s_menu [i].item == menu)
                console_html_printf (page->html, " aria-current=\"page\"");
            console_html_printf (page->html, ">%s</a></li>",
                                 console_string (lang, s_menu [i].label));
        }
        console_html_printf (page->html, "</ul></nav>");
    }
    console_html_printf (page->html, "<main id=\"main\" tabindex=\"-1\"><h1>%s</h1>", title);
}

void
console_page_end (console_page_t *page)
{
    char when [40];
    cf_time_format_local (page->now, when, sizeof when);
    console_html_printf (
        page->html, "</main><footer class=\"site\"><p>%s: ", console_string (page->lang, CS_CLOCK));
    console_page_time (page, when);
    console_html_printf (page->html, "</p></footer></body></html>");
}

void
console_page_message (console_page_t *page, const char *title, const char *text)
{
    console_page_begin (page, title, CONSOLE_MENU_NONE);
    console_html_printf (page->html, "<p>%s</p>", text);
    console_page_end (page);
}

void
console_page_token_field (console_page_t *page)
{
    console_html_printf (page->html, "<input type=\"hidden\" name=\"token\" value=\"%s\">",
                         page->token ? page->token : "");
}

const char *
console_json_text (const json_t *object, const char *key)
{
    const json_t *value = json_object_get (object, key);
    return json_is_string (value) ? json_string_value (value) : NULL;
}

bool
console_json_number (const json_t *object, const char *key, double *value_p)
{
    const json_t *value = json_object_get (object, key);
    if (!json_is_number (value))
        return false;
    *value_p = json_number_value (value);
    return true;
}

const json_t *
console_json_array (const json_t *object, const char *key)
{
    const json_t *value = json_object_get (object, key);
    return json_is_array (value) ? value : NULL;
}

void
console_page_figure (console_page_t *page, const json_t *object, const char *key, int decimals)
{
    double value;
    char text [64];
    if (console_json_number (object, key, &value) && isfinite (value))
        console_html_printf (page->html, "%s",
                             console_decimal (page->lang, value, decimals, text, sizeof text));
    else
        console_html_printf (page->html, "<span class=\"muted\">%s</span>",
                             console_string (page->lang, CS_NOT_AVAILABLE));
}

void
console_page_time (console_page_t *page, const char *iso)
{
    int64_t at;
    char local [40];
    if (!iso || cf_time_parse (iso, &at) != 0) {
        console_html_printf (page->html, "%s", iso ? iso : "");
        return;
    }
    cf_time_format_local (at, local, sizeof local);
    //  "2022-01-21T09:30:00+01:00": the date and the minute are enough.
    char shown [20];
    memcpy (shown, local, 10);
    shown [10] = ' ';
    memcpy (shown + 11, local + 11, 5);
    shown [16] = 0;
    console_html_printf (page->html, "<time datetime=\"%s\">%s</time>", local, shown);
}
