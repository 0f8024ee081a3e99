//  test_web_timeline: a case's timeline says what each event means. Every
//  kind of event of the four streams a timeline draws from (intake,
//  assignment, handover, notification: the Event message's body fields
//  200-599) has a summary in Dutch and in English in the strings table,
//  none of them the bare type name; the Case page shows the summary in the
//  reader's language beside the type, whatever the answer's `summary`.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "console_page.h"
#include "console_strings.h"

#include "caseflow/v1/event.pb-c.h"

#include <stdlib.h>
#include <string.h>

static void
test_every_kind_has_a_summary (void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *event = &caseflow__v1__event__descriptor;
    size_t kinds = 0;
    for (unsigned i = 0; i < event->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &event->fields [i];
        if (field->id < 200 || field->id >= 600 || field->type != PROTOBUF_C_TYPE_MESSAGE)
            continue;
        const char *type = ((const ProtobufCMessageDescriptor *) field->descriptor)->short_name;
        const char *dutch = console_event_summary (CONSOLE_LANG_NL, type);
        const char *english = console_event_summary (CONSOLE_LANG_EN, type);
        if (strcmp (dutch, type) == 0 || strcmp (english, type) == 0 || !*dutch || !*english)
            fail_msg ("event %s (field %u) has no summary in both languages: add it to "
                      "console_strings.c's s_summaries",
                      type, field->id);
        if (strcmp (dutch, english) == 0)
            fail_msg ("event %s: the Dutch summary is the English one (%s)", type, dutch);
        kinds++;
    }
    assert_true (kinds >= 40);
    assert_string_equal (console_event_summary (CONSOLE_LANG_NL, "CaseRegistered"),
                         "Aanmelding geregistreerd");
    assert_string_equal (console_event_summary (CONSOLE_LANG_EN, "CaseRegistered"),
                         "Case registered");
    //  A kind the table does not know says its type; nothing says nothing.
    assert_string_equal (console_event_summary (CONSOLE_LANG_NL, "SomethingNew"), "SomethingNew");
    assert_string_equal (console_event_summary (CONSOLE_LANG_EN, NULL), "");
}

//  The Case page for `view` in `lang` (a fresh string: free it).
static char *
s_case_page (const json_t *view, console_lang_t lang)
{
    console_user_t user = { "bert", CONSOLE_ROLE_TEAM_LEAD };
    console_page_t page = { .html = console_html_new (),
                            .lang = lang,
                            .user = &user,
                            .token = "",
                            .path = "/case/C000001",
                            .now = 0 };
    console_page_case (&page, view, NULL, false);
    char *text = strdup (console_html_data (page.html, NULL));
    console_html_destroy (&page.html);
    return text;
}

static void
test_case_page_shows_summaries (void **state)
{
    (void) state;
    json_t *view = json_pack (
        "{s:s, s:s, s:s, s:[s], s:s, s:n, s:s, s:[{s:s, s:i, s:s, s:s, s:s}, {s:s, s:i, s:s, "
        "s:s, s:s}]}",
        "case_id", "C000001", "status", "assigned", "urgency", "regular", "domains", "debt",
        "registered_at", "2022-01-03T09:00:00+01:00", "worker_id", "location", "team:north",
        "timeline", "stream", "intake", "seq", 1, "type", "CaseRegistered", "occurred_at",
        "2022-01-03T09:00:00+01:00", "summary", "CaseRegistered", "stream", "assignment", "seq", 4,
        "type", "CaseAssigned", "occurred_at", "2022-01-04T10:00:00+01:00", "summary",
        "CaseAssigned");
    assert_non_null (view);
    char *dutch = s_case_page (view, CONSOLE_LANG_NL);
    assert_non_null (strstr (dutch, "<td>CaseRegistered</td><td>Aanmelding geregistreerd</td>"));
    assert_non_null (strstr (dutch, "<td>CaseAssigned</td><td>Toegewezen aan een medewerker</td>"));
    assert_null (strstr (dutch, "<td>CaseAssigned</td><td>CaseAssigned</td>"));
    free (dutch);
    char *english = s_case_page (view, CONSOLE_LANG_EN);
    assert_non_null (strstr (english, "<td>CaseRegistered</td><td>Case registered</td>"));
    assert_non_null (strstr (english, "<td>CaseAssigned</td><td>Assigned to a worker</td>"));
    free (english);
    json_decref (view);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_kind_has_a_summary),
        cmocka_unit_test (test_case_page_shows_summaries),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
