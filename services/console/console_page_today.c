//  console_page_today: the caller's page: the callback in hand with the
//  outcome form, the next one to take, the callbacks due now, and the
//  alerts a team lead must see (urgent cases nobody can take).
//
//  A caller never types a name: claiming takes the signed-in person, and
//  the outcome is recorded for the callback that person holds.
#include "console_page.h"

#include <string.h>

static const struct {
    const char *word;
    console_string_t label;
} s_outcomes [] = {
    { "reached", CS_OUTCOME_REACHED },
    { "not-reached", CS_OUTCOME_NOT_REACHED },
    { "changed", CS_OUTCOME_CHANGED },
    { "no-longer-needed", CS_OUTCOME_NO_LONGER_NEEDED },
};

static void
s_case_link (console_page_t *page, const char *case_id)
{
    console_html_printf (page->html, "<a href=\"/case/");
    console_html_url_part (page->html, case_id);
    console_html_printf (page->html, "\">%s</a>", case_id);
}

//  The callback in hand: what it is, the outcome form, give back, park.
static void
s_claimed (console_page_t *page, const json_t *claimed)
{
    console_lang_t lang = page->lang;
    const char *reminder = console_json_text (claimed, "reminder_id");
    const char *case_id = console_json_text (claimed, "case_id");
    console_html_printf (page->html,
                         "<section aria-labelledby=\"holding\"><h2 id=\"holding\">%s</h2>",
                         console_string (lang, CS_TODAY_HOLDING));
    console_html_printf (page->html, "<dl class=\"details\"><dt>%s</dt><dd>",
                         console_string (lang, CS_CASE_ID));
    s_case_link (page, case_id);
    console_html_printf (
        page->html, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>", console_string (lang, CS_KIND),
        console_word (lang, console_json_text (claimed, "kind")), console_string (lang, CS_DUE));
    console_page_time (page, console_json_text (claimed, "due_at"));
    console_html_printf (page->html, "</dd><dt>%s</dt><dd>",
                         console_string (lang, CS_TODAY_LEASE_UNTIL));
    console_page_time (page, console_json_text (claimed, "lease_until"));
    console_html_printf (page->html, "</dd></dl>");

    console_html_printf (page->html, "<form method=\"post\" action=\"/today/record\">");
    console_page_token_field (page);
    console_html_printf (page->html,
                         "<input type=\"hidden\" name=\"reminder\" value=\"%s\">"
                         "<input type=\"hidden\" name=\"case\" value=\"%s\">"
                         "<fieldset><legend>%s</legend>",
                         reminder, case_id, console_string (lang, CS_TODAY_OUTCOME));
    //  `required` on one radio button makes the group required.
    for (size_t i = 0; i < sizeof s_outcomes / sizeof *s_outcomes; i++)
        console_html_printf (page->html,
                             "<label><input type=\"radio\" name=\"outcome\" value=\"%s\"%s> "
                             "%s</label>",
                             s_outcomes [i].word, i == 0 ? " required" : "",
                             console_string (lang, s_outcomes [i].label));
    console_html_printf (page->html,
                         "</fieldset><p><label for=\"note\">%s</label><br>"
                         "<textarea id=\"note\" name=\"note\" rows=\"3\" cols=\"50\" "
                         "maxlength=\"1000\"></textarea></p><button type=\"submit\">%s</button>"
                         "</form>",
                         console_string (lang, CS_TODAY_NOTE),
                         console_string (lang, CS_TODAY_RECORD));

    console_html_printf (page->html,
                         "<form method=\"post\" action=\"/today/release\" class=\"inline\">");
    console_page_token_field (page);
    console_html_printf (page->html,
                         "<input type=\"hidden\" name=\"reminder\" value=\"%s\">"
                         "<button type=\"submit\" class=\"secondary\">%s</button></form>",
                         reminder, console_string (lang, CS_TODAY_RELEASE));
    console_html_printf (page->html, "<form method=\"post\" action=\"/today/park\">");
    console_page_token_field (page);
    console_html_printf (page->html,
                         "<input type=\"hidden\" name=\"reminder\" value=\"%s\">"
                         "<p><label for=\"reason\">%s</label> <input id=\"reason\" name=\"reason\" "
                         "type=\"text\" maxlength=\"500\" required> "
                         "<button type=\"submit\" class=\"secondary\">%s</button></p></form>"
                         "</section>",
                         reminder, console_string (lang, CS_TODAY_REASON),
                         console_string (lang, CS_TODAY_PARK));
}

static void
s_due_table (console_page_t *page, const json_t *list)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html, "<section aria-labelledby=\"due\"><h2 id=\"due\">%s</h2>",
                         console_string (lang, CS_TODAY_CALLBACKS));
    if (!list || json_array_size (list) == 0) {
        console_html_printf (page->html, "<p>%s</p></section>",
                             console_string (lang, CS_TODAY_NONE));
        return;
    }
    console_html_printf (page->html,
                         "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                         console_string (lang, CS_CASE_ID), console_string (lang, CS_KIND),
                         console_string (lang, CS_DUE), console_string (lang, CS_LOCATION),
                         console_string (lang, CS_CLAIMED_BY));
    size_t index;
    const json_t *item;
    json_array_foreach (list, index, item)
    {
        console_html_printf (page->html, "<tr><th scope=\"row\">");
        s_case_link (page, console_json_text (item, "case_id"));
        console_html_printf (page->html, "</th><td>%s</td><td>",
                             console_word (lang, console_json_text (item, "kind")));
        console_page_time (page, console_json_text (item, "due_at"));
        const char *holder = console_json_text (item, "claimed_by");
        console_html_printf (page->html, "</td><td>%s</td><td>%s</td></tr>",
                             console_json_text (item, "location"), holder ? holder : "–");
    }
    console_html_printf (page->html, "</tbody></table></div></section>");
}

static void
s_alerts (console_page_t *page, const json_t *alerts)
{
    console_lang_t lang = page->lang;
    console_html_printf (page->html,
                         "<section aria-labelledby=\"alerts\"><h2 id=\"alerts\">%s</h2>",
                         console_string (lang, CS_TODAY_ALERTS));
    if (!alerts || json_array_size (alerts) == 0) {
        console_html_printf (page->html, "<p>%s</p></section>",
                             console_string (lang, CS_TODAY_NO_ALERTS));
        return;
    }
    console_html_printf (page->html, "<ul>");
    size_t index;
    const json_t *item;
    json_array_foreach (alerts, index, item)
    {
        const char *kind = console_json_text (item, "kind");
        bool no_worker = kind && strcmp (kind, "no-worker") == 0;
        console_html_printf (
            page->html, "<li class=\"alert\"><strong>%s</strong>: ",
            console_string (lang, no_worker ? CS_TODAY_NO_WORKER : CS_TODAY_URGENT));
        s_case_link (page, console_json_text (item, "case_id"));
        console_html_printf (page->html, " – ");
        console_page_time (page, console_json_text (item, "due_at"));
        console_html_printf (page->html, "</li>");
    }
    console_html_printf (page->html, "</ul></section>");
}

void
console_page_today (console_page_t *page, const json_t *callbacks, const json_t *claimed,
                    const char *notice, bool can_act)
{
    console_lang_t lang = page->lang;
    console_page_begin (page, console_string (lang, CS_TODAY_TITLE), CONSOLE_MENU_TODAY);
    if (notice)
        console_html_printf (page->html, "<p class=\"notice\" role=\"status\">%s</p>", notice);
    bool may = page->user && console_auth_may (page->user->role, CONSOLE_ACT_CALLBACK);
    if (claimed && console_json_text (claimed, "reminder_id"))
        s_claimed (page, claimed);
    else if (may && can_act) {
        console_html_printf (page->html, "<form method=\"post\" action=\"/today/claim\">");
        console_page_token_field (page);
        console_html_printf (page->html, "<button type=\"submit\">%s</button></form>",
                             console_string (lang, CS_TODAY_CLAIM));
    } else if (may)
        console_html_printf (page->html, "<p class=\"alert\">%s</p>",
                             console_string (lang, CS_MISSING_TEXT));
    s_due_table (page, console_json_array (callbacks, "callbacks"));
    s_alerts (page, console_json_array (callbacks, "alerts"));
    console_page_end (page);
}
