//  test_log: cf_log's lines are one valid JSON object each (parsed back
//  with jansson), whatever the message holds: quotes, control characters,
//  text that is not UTF-8, a message longer than the bound.
#include "cf_log.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

//  Runs `fmt`/`text` through cf_log with stderr sent to a file, and
//  returns what was written (malloc'd).
static char *
s_capture (cf_log_level_t level, const char *text)
{
    FILE *file = tmpfile ();
    assert_non_null (file);
    fflush (stderr);
    int saved = dup (STDERR_FILENO);
    assert_true (saved >= 0);
    assert_true (dup2 (fileno (file), STDERR_FILENO) >= 0);
    cf_log (level, "%s", text);
    dup2 (saved, STDERR_FILENO);
    close (saved);
    long size = ftell (file);
    if (size <= 0) {
        fseek (file, 0, SEEK_END);
        size = ftell (file);
    }
    rewind (file);
    char *out = calloc (1, (size_t) size + 1);
    assert_non_null (out);
    assert_int_equal (fread (out, 1, (size_t) size, file), (size_t) size);
    fclose (file);
    return out;
}

//  Parses one captured line; checks it ends in one newline and is an
//  object with the four keys in order. Returns it (json_decref).
static json_t *
s_parse (const char *line)
{
    size_t len = strlen (line);
    assert_true (len > 0);
    assert_int_equal (line [len - 1], '\n');
    assert_null (memchr (line, '\n', len - 1));
    json_error_t error;
    json_t *object = json_loadb (line, len - 1, 0, &error);
    if (!object)
        fail_msg ("not JSON (%s): %s", error.text, line);
    assert_true (json_is_object (object));
    const char *expected [] = { "ts", "level", "service", "msg" };
    size_t index = 0;
    const char *key;
    json_t *value;
    json_object_foreach (object, key, value)
    {
        assert_true (index < 4);
        assert_string_equal (key, expected [index]);
        assert_true (json_is_string (value));
        index++;
    }
    assert_int_equal (index, 4);
    return object;
}

static const char *
s_msg (json_t *object)
{
    return json_string_value (json_object_get (object, "msg"));
}

static void
test_plain_line (void **state)
{
    (void) state;
    cf_log_init ("intake", CF_LOG_INFO);
    char *line = s_capture (CF_LOG_INFO, "rebuilt the state from 120 journal entries");
    json_t *object = s_parse (line);
    assert_string_equal (s_msg (object), "rebuilt the state from 120 journal entries");
    assert_string_equal (json_string_value (json_object_get (object, "level")), "info");
    assert_string_equal (json_string_value (json_object_get (object, "service")), "intake");
    const char *ts = json_string_value (json_object_get (object, "ts"));
    assert_int_equal (strlen (ts), strlen ("2022-01-03T09:03:00.123Z"));
    assert_int_equal (ts [23], 'Z');
    //  Compact, as before: no blanks between keys and values.
    assert_non_null (strstr (line, "\",\"level\":\"info\",\"service\":\"intake\",\"msg\":\""));
    json_decref (object);
    free (line);
}

static void
test_escaped (void **state)
{
    (void) state;
    cf_log_init ("assignment", CF_LOG_DEBUG);
    const char *text = "a \"quoted\" \\path\\ with\ttab,\nnewline, \x01 and Zo\xc3\xab";
    char *line = s_capture (CF_LOG_WARN, text);
    json_t *object = s_parse (line);
    assert_string_equal (s_msg (object), text);
    json_decref (object);
    free (line);
}

static void
test_invalid_utf8_replaced (void **state)
{
    (void) state;
    cf_log_init ("handover", CF_LOG_INFO);
    //  A stray byte, a sequence cut short, an overlong form: each byte
    //  that does not begin a well-formed sequence becomes U+FFFD; the
    //  well-formed text around them stays.
    char *line = s_capture (CF_LOG_ERROR, "id \xff\xfe ok \xe2\x82 end \xc0\xaf \xe2\x82\xac");
    json_t *object = s_parse (line);
    assert_string_equal (s_msg (object),
                         "id \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd end "
                         "\xef\xbf\xbd\xef\xbf\xbd \xe2\x82\xac");
    json_decref (object);
    free (line);
    //  A service name is set by the program, but is checked all the same.
    cf_log_init ("bad\xff", CF_LOG_INFO);
    line = s_capture (CF_LOG_INFO, "x");
    object = s_parse (line);
    assert_string_equal (json_string_value (json_object_get (object, "service")),
                         "bad\xef\xbf\xbd");
    json_decref (object);
    free (line);
}

static void
test_long_and_levels (void **state)
{
    (void) state;
    cf_log_init ("notification", CF_LOG_WARN);
    char *line = s_capture (CF_LOG_INFO, "below the level");
    assert_string_equal (line, "");
    free (line);
    //  Control characters take six bytes each in JSON: a message of them
    //  makes a line longer than the logger's buffer.
    char text [3000];
    memset (text, '\x02', sizeof text - 1);
    text [sizeof text - 1] = 0;
    line = s_capture (CF_LOG_ERROR, text);
    json_t *object = s_parse (line);
    //  The message is bounded (2,047 bytes), the line valid.
    assert_int_equal (strlen (s_msg (object)), 2047);
    json_decref (object);
    free (line);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_plain_line),
        cmocka_unit_test (test_escaped),
        cmocka_unit_test (test_invalid_utf8_replaced),
        cmocka_unit_test (test_long_and_levels),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
