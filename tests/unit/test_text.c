//  test_text: cf_text, the UTF-8 check the services validate strings with.
#include "cf_text.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_valid),
        cmocka_unit_test (test_invalid),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
