//  test_web_html: the HTML writer escapes every value and formats numbers
//  as printf does; URL parts are percent-encoded; forms are read with
//  limits and hostile input refused; the strings table has both languages.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "console_form.h"
#include "console_html.h"
#include "console_strings.h"

#include <stdlib.h>
#include <string.h>

static void
test_escaping (void **state)
{
    (void) state;
    console_html_t *html = console_html_new ();
    console_html_printf (html, "<td title=\"%s\">%s</td>", "a\"b'c", "<script>&amp;");
    assert_string_equal (console_html_data (html, NULL),
                         "<td title=\"a&quot;b&#39;c\">&lt;script&gt;&amp;amp;</td>");
    console_html_reset (html);
    //  NULL writes nothing (hidden from the compiler's format check).
    const char *nothing = getenv ("CF_TEST_WEB_HTML_UNSET");
    console_html_printf (html, "%s|%d|%5.1f|%lld|%zu|%u|%%|%s", nothing, -3, 2.25, 1234567890123LL,
                         (size_t) 7, 9u, "é");
    assert_string_equal (console_html_data (html, NULL), "|-3|  2.2|1234567890123|7|9|%|é");
    console_html_reset (html);
    console_html_url_part (html, "C000001 &x=/é");
    size_t size;
    assert_string_equal (console_html_data (html, &size), "C000001%20%26x%3D%2F%C3%A9");
    assert_int_equal (size, strlen ("C000001%20%26x%3D%2F%C3%A9"));
    //  A long page grows its buffer.
    console_html_reset (html);
    for (int i = 0; i < 10000; i++)
        console_html_text (html, "<>");
    assert_int_equal (strlen (console_html_data (html, NULL)), 80000);
    console_html_destroy (&html);
    assert_null (html);
    console_html_destroy (&html);

    char out [12];
    assert_int_equal (console_html_escape (out, sizeof out, "a<b"), 6);
    assert_string_equal (out, "a&lt;b");
    //  Cut at a whole entity and a whole character.
    assert_int_equal (console_html_escape (out, sizeof out, "abcdefgh<"), 12);
    assert_string_equal (out, "abcdefgh");
    assert_int_equal (console_html_escape (out, 6, "abcéé"), 7);
    assert_string_equal (out, "abcé");
}

static void
test_form (void **state)
{
    (void) state;
    console_form_t *form = NULL;
    const char *why = NULL;
    const char body [] = "token=1a.b-c&outcome=reached&note=belt+terug%0D%0Aom+3+uur&empty=&flag";
    assert_int_equal (console_form_parse (body, strlen (body), &form, &why), 0);
    assert_string_equal (console_form_get (form, "token"), "1a.b-c");
    assert_string_equal (console_form_get (form, "outcome"), "reached");
    assert_string_equal (console_form_get (form, "note"), "belt terug\r\nom 3 uur");
    assert_string_equal (console_form_get (form, "empty"), "");
    assert_string_equal (console_form_get (form, "flag"), "");
    assert_null (console_form_get (form, "missing"));
    console_form_destroy (&form);
    assert_null (form);

    const struct {
        const char *body;
        const char *why;
    } bad [] = {
        { "a=%4", "a percent escape is cut short" },
        { "a=%zz", "a percent escape is not two hexadecimal digits" },
        { "a=%C3%28", "a field is not valid UTF-8" },
        { "a=%00", "a field holds control characters" },
        { "a=%1B[31m", "a field holds control characters" },
        { "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16&q=17",
          "the form has too many fields" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why = NULL;
        assert_int_equal (console_form_parse (bad [i].body, strlen (bad [i].body), &form, &why),
                          CF_EINVAL);
        assert_null (form);
        assert_string_equal (why, bad [i].why);
    }
    char *large = malloc (CONSOLE_FORM_MAX_VALUE + 8);
    memcpy (large, "a=", 2);
    memset (large + 2, 'x', CONSOLE_FORM_MAX_VALUE + 1);
    assert_int_equal (console_form_parse (large, CONSOLE_FORM_MAX_VALUE + 3, &form, &why),
                      CF_EINVAL);
    assert_string_equal (why, "a field is too long");
    free (large);
    //  An empty body is an empty form.
    assert_int_equal (console_form_parse ("", 0, &form, &why), 0);
    assert_null (console_form_get (form, "a"));
    console_form_destroy (&form);
}

static void
test_strings (void **state)
{
    (void) state;
    for (int id = 0; id < CS_COUNT; id++)
        for (int lang = 0; lang < CONSOLE_LANG_COUNT; lang++) {
            const char *text = console_string ((console_lang_t) lang, (console_string_t) id);
            if (!*text)
                fail_msg ("string %d has no text in language %d", id, lang);
        }
    assert_string_equal (console_string (CONSOLE_LANG_NL, CS_NAV_WAITING), "Wachtlijst");
    assert_string_equal (console_string (CONSOLE_LANG_EN, CS_NAV_WAITING), "Waiting list");
    assert_string_equal (console_word (CONSOLE_LANG_NL, "work-income"), "werk en inkomen");
    assert_string_equal (console_word (CONSOLE_LANG_EN, "work-income"), "work-income");
    assert_string_equal (console_word (CONSOLE_LANG_NL, "unheard-of"), "unheard-of");

    bool remember;
    assert_int_equal (console_lang_choose (NULL, NULL, &remember), CONSOLE_LANG_NL);
    assert_false (remember);
    assert_int_equal (console_lang_choose ("en", "nl", &remember), CONSOLE_LANG_EN);
    assert_true (remember);
    assert_int_equal (console_lang_choose (NULL, "en", &remember), CONSOLE_LANG_EN);
    assert_false (remember);
    assert_int_equal (console_lang_choose ("fr", "xx", &remember), CONSOLE_LANG_NL);
    assert_false (remember);
    assert_string_equal (console_lang_code (CONSOLE_LANG_EN), "en");

    char text [16];
    assert_string_equal (console_decimal (CONSOLE_LANG_NL, 12.25, 1, text, sizeof text), "12,2");
    assert_string_equal (console_decimal (CONSOLE_LANG_EN, 12.25, 1, text, sizeof text), "12.2");

    char value [8];
    assert_string_equal (
        console_cookie ("a=1; caseflow_lang=en; b=2", "caseflow_lang", value, sizeof value), "en");
    assert_null (console_cookie ("xcaseflow_lang=en", "caseflow_lang", value, sizeof value));
    assert_null (console_cookie (NULL, "caseflow_lang", value, sizeof value));
    assert_string_equal (console_cookie ("c=123456789012", "c", value, sizeof value), "1234567");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_escaping),
        cmocka_unit_test (test_form),
        cmocka_unit_test (test_strings),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
