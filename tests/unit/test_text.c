//  test_text: cf_text, the UTF-8 check the services validate strings with,
//  and the one rule of free text every service refuses bad text by.
#include "cf_api.h"
#include "cf_text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static bool
s_valid (const char *text)
{
    return cf_text_valid (text, strlen (text));
}

static void
test_valid (void **state)
{
    (void) state;
    assert_true (s_valid (""));
    assert_true (s_valid ("Schulden bij de energieleverancier"));
    assert_true (s_valid ("Zo\xc3\xab en Chlo\xc3\xa9"));  //  2-byte forms
    assert_true (s_valid ("\xe2\x82\xac 12"));             //  euro sign
    assert_true (s_valid ("\xf0\x9f\x98\x80"));            //  U+1F600
    assert_true (s_valid ("\xf4\x8f\xbf\xbf"));            //  U+10FFFF
    assert_int_equal (cf_text_utf8_char ("\xe2\x82\xac", 3), 3);
    assert_int_equal (cf_text_utf8_char ("a", 1), 1);
    //  A NUL inside counted bytes is a character like any other.
    assert_true (cf_text_valid ("a\0b", 3));
}

static void
test_invalid (void **state)
{
    (void) state;
    assert_false (s_valid ("\xff"));                              //  never in UTF-8
    assert_false (s_valid ("\x80"));                              //  stray continuation
    assert_false (s_valid ("\xc3\x28"));                          //  bad continuation
    assert_false (s_valid ("\xc0\xaf"));                          //  overlong '/'
    assert_false (s_valid ("\xe0\x80\xaf"));                      //  overlong, 3 bytes
    assert_false (s_valid ("\xed\xa0\x80"));                      //  surrogate D800
    assert_false (s_valid ("\xf4\x90\x80\x80"));                  //  above U+10FFFF
    assert_false (s_valid ("\xf8\x88\x80\x80\x80"));              //  5-byte form
    assert_false (s_valid ("ok \xe2\x82"));                       //  cut short
    assert_int_equal (cf_text_utf8_char ("\xe2\x82\xac", 2), 0);  //  cut by the size
    assert_int_equal (cf_text_utf8_char ("", 0), 0);
}

//  The message cf_text_check refuses `text` with, or "" when it passes.
static const char *
s_refusal (const char *text, size_t max, bool required, bool multiline)
{
    static char message [256];
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r1");
    bool ok =
        cf_text_check (&reply, "command.intake.register.question", text, max, required, multiline);
    assert_true (ok == (reply.status == NULL));
    if (reply.status) {
        assert_int_equal (reply.status->code, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT);
        assert_string_equal (reply.status->field, "command.intake.register.question");
    }
    snprintf (message, sizeof message, "%s", reply.status ? reply.status->message : "");
    cf_api_reply_clear (&reply);
    return message;
}

static void
test_free_text (void **state)
{
    (void) state;
    assert_string_equal (s_refusal ("Schulden bij de energieleverancier", 100, true, false), "");
    assert_string_equal (s_refusal ("Zoë en Chloé, 12 jaar", 100, true, false), "");
    assert_string_equal (s_refusal ("", 100, false, false), "");
    assert_string_equal (s_refusal (NULL, 100, false, false), "");
    //  Required: not blank.
    assert_string_equal (s_refusal ("", 100, true, false), "question is required");
    assert_string_equal (s_refusal (" \t\r\n", 100, true, true), "question is required");
    //  The limit is in bytes: "é" is two.
    assert_string_equal (s_refusal ("abc", 3, true, false), "");
    assert_string_equal (s_refusal ("abcd", 3, true, false), "question must be at most 3 bytes");
    assert_string_equal (s_refusal ("ab\xc3\xa9", 3, true, false),
                         "question must be at most 3 bytes");
    //  Control characters; newline, carriage return and tab only in multi-line text.
    assert_string_equal (s_refusal ("a\nb", 10, false, false),
                         "question must not hold control characters");
    assert_string_equal (s_refusal ("a\r\nb\tc", 10, false, true), "");
    assert_string_equal (s_refusal ("a\x01", 10, false, true),
                         "question must not hold control characters");
    assert_string_equal (s_refusal ("a\x7f", 10, false, true),
                         "question must not hold control characters");
    assert_string_equal (s_refusal ("a\x1b[31m", 10, false, true),
                         "question must not hold control characters");
    //  UTF-8: bad sequences, overlong forms, surrogates, cut short.
    assert_string_equal (s_refusal ("\xc3\x28", 10, false, false), "question must be valid UTF-8");
    assert_string_equal (s_refusal ("\xc0\xaf", 10, false, false), "question must be valid UTF-8");
    assert_string_equal (s_refusal ("\xed\xa0\x80", 10, false, false),
                         "question must be valid UTF-8");
    assert_string_equal (s_refusal ("\xe2\x82", 10, false, false), "question must be valid UTF-8");
    assert_true (cf_text_blank (" \t\n\r"));
    assert_true (cf_text_blank (""));
    assert_true (cf_text_blank (NULL));
    assert_false (cf_text_blank (" a "));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_valid),
        cmocka_unit_test (test_invalid),
        cmocka_unit_test (test_free_text),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
