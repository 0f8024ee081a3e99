//  test_web_auth: who a request is (a trusted proxy's header, the local
//  user, nobody), the roles table, the form tokens (bound to the person,
//  expiring, refused when altered) and the form key file.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "console_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t s_secret [CONSOLE_AUTH_SECRET_SIZE] = { 1, 2, 3 };

static void
test_identify (void **state)
{
    (void) state;
    char error [256];
    console_auth_t *auth =
        console_auth_new ("10.0.0.5, ::1", "anna:caller,bert:team-lead,carla:read-only",
                          "X-Forwarded-User", "", s_secret, error, sizeof error);
    assert_non_null (auth);
    console_user_t user;
    //  Believed from a trusted proxy, in either of its address forms.
    assert_int_equal (console_auth_identify (auth, "10.0.0.5", "anna", &user), 0);
    assert_string_equal (user.name, "anna");
    assert_int_equal (user.role, CONSOLE_ROLE_CALLER);
    assert_int_equal (console_auth_identify (auth, "::ffff:10.0.0.5", "bert", &user), 0);
    assert_int_equal (user.role, CONSOLE_ROLE_TEAM_LEAD);
    assert_int_equal (console_auth_identify (auth, "::1", "dirk@example.nl", &user), 0);
    assert_int_equal (user.role, CONSOLE_ROLE_NONE);
    //  Ignored from anyone else; a malformed name from a proxy is refused.
    assert_int_equal (console_auth_identify (auth, "10.0.0.6", "bert", &user), CF_ENOTFOUND);
    assert_int_equal (console_auth_identify (auth, "127.0.0.1", "bert", &user), CF_ENOTFOUND);
    assert_int_equal (console_auth_identify (auth, NULL, "bert", &user), CF_ENOTFOUND);
    assert_int_equal (console_auth_identify (auth, "10.0.0.5", NULL, &user), CF_ENOTFOUND);
    assert_int_equal (console_auth_identify (auth, "10.0.0.5", "a b", &user), CF_EINVAL);
    assert_int_equal (console_auth_identify (auth, "10.0.0.5", "", &user), CF_EINVAL);
    char long_name [80];
    memset (long_name, 'x', sizeof long_name - 1);
    long_name [sizeof long_name - 1] = 0;
    assert_int_equal (console_auth_identify (auth, "10.0.0.5", long_name, &user), CF_EINVAL);
    assert_string_equal (console_auth_header (auth), "X-Forwarded-User");
    console_auth_destroy (&auth);
    assert_null (auth);

    //  The local user: loopback requests that name nobody.
    auth = console_auth_new ("", "anna:caller", "X-Forwarded-User", "anna", s_secret, error,
                             sizeof error);
    assert_non_null (auth);
    assert_int_equal (console_auth_identify (auth, "127.0.0.1", NULL, &user), 0);
    assert_string_equal (user.name, "anna");
    assert_int_equal (console_auth_identify (auth, "::1", NULL, &user), 0);
    assert_int_equal (console_auth_identify (auth, "192.168.1.9", NULL, &user), CF_ENOTFOUND);
    //  A header from an untrusted loopback client does not pass as anyone.
    assert_int_equal (console_auth_identify (auth, "127.0.0.1", "bert", &user), CF_ENOTFOUND);
    console_auth_destroy (&auth);
}

static void
test_configuration (void **state)
{
    (void) state;
    const struct {
        const char *proxies, *users, *header, *local, *error;
    } bad [] = {
        { "10.0.0.300", "", "X-User", "", "--web-trusted-proxies: \"10.0.0.300\" is not" },
        { "", "anna", "X-User", "", "--web-users: \"anna\" is not NAME:ROLE" },
        { "", "anna:boss", "X-User", "", "--web-users: \"anna:boss\": the role must be" },
        { "", "anna:caller,anna:team-lead", "X-User", "", "--web-users: \"anna\" is listed twice" },
        { "", ":caller", "X-User", "", "--web-users: \":caller\" is not NAME:ROLE" },
        { "", "", "X User", "", "--web-user-header: must be" },
        { "", "", "", "", "--web-user-header: must be" },
        { "", "", "X-User", "a b", "--web-local-user: must be" },
    };
    char error [256];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        console_auth_t *auth = console_auth_new (bad [i].proxies, bad [i].users, bad [i].header,
                                                 bad [i].local, s_secret, error, sizeof error);
        assert_null (auth);
        if (strncmp (error, bad [i].error, strlen (bad [i].error)) != 0)
            fail_msg ("case %zu: \"%s\" does not start with \"%s\"", i, error, bad [i].error);
    }
    console_auth_t *auth =
        console_auth_new (NULL, NULL, "X-User", NULL, s_secret, error, sizeof error);
    assert_non_null (auth);
    console_auth_destroy (&auth);

    console_role_t role;
    assert_true (console_role_parse ("team-lead", &role));
    assert_int_equal (role, CONSOLE_ROLE_TEAM_LEAD);
    assert_false (console_role_parse ("none", &role));
    assert_string_equal (console_role_name (CONSOLE_ROLE_READ_ONLY), "read-only");
    //  Who may do what.
    assert_true (console_auth_may (CONSOLE_ROLE_READ_ONLY, CONSOLE_ACT_VIEW));
    assert_false (console_auth_may (CONSOLE_ROLE_READ_ONLY, CONSOLE_ACT_CALLBACK));
    assert_false (console_auth_may (CONSOLE_ROLE_READ_ONLY, CONSOLE_ACT_PERSONAL));
    assert_true (console_auth_may (CONSOLE_ROLE_CALLER, CONSOLE_ACT_CALLBACK));
    assert_true (console_auth_may (CONSOLE_ROLE_TEAM_LEAD, CONSOLE_ACT_PERSONAL));
    assert_false (console_auth_may (CONSOLE_ROLE_NONE, CONSOLE_ACT_VIEW));
}

static void
test_tokens (void **state)
{
    (void) state;
    char error [256];
    console_auth_t *auth = console_auth_new ("", "", "X-User", "", s_secret, error, sizeof error);
    uint8_t other_secret [CONSOLE_AUTH_SECRET_SIZE] = { 9 };
    console_auth_t *other =
        console_auth_new ("", "", "X-User", "", other_secret, error, sizeof error);
    int64_t now = 1700000000;
    char token [CONSOLE_AUTH_TOKEN_SIZE];
    console_auth_token (auth, "anna", now, token);
    assert_true (console_auth_token_valid (auth, "anna", token, now));
    assert_true (console_auth_token_valid (auth, "anna", token, now + CONSOLE_AUTH_TOKEN_TTL - 60));
    assert_false (
        console_auth_token_valid (auth, "anna", token, now + CONSOLE_AUTH_TOKEN_TTL + 60));
    assert_false (console_auth_token_valid (auth, "anna", token, now - 600));
    assert_false (console_auth_token_valid (auth, "bert", token, now));
    assert_false (console_auth_token_valid (other, "anna", token, now));
    assert_false (console_auth_token_valid (auth, "anna", NULL, now));
    assert_false (console_auth_token_valid (auth, "anna", "", now));
    assert_false (console_auth_token_valid (auth, "anna", ".", now));
    //  A changed character anywhere is refused.
    for (size_t i = 0; token [i]; i++) {
        char altered [CONSOLE_AUTH_TOKEN_SIZE];
        strcpy (altered, token);
        altered [i] = altered [i] == 'A' ? 'B' : 'A';
        assert_false (console_auth_token_valid (auth, "anna", altered, now));
    }
    //  Another minute's token is another token, and valid too.
    char later [CONSOLE_AUTH_TOKEN_SIZE];
    console_auth_token (auth, "anna", now + 120, later);
    assert_string_not_equal (token, later);
    assert_true (console_auth_token_valid (auth, "anna", later, now + 120));
    console_auth_destroy (&auth);
    console_auth_destroy (&other);

    assert_true (console_auth_same_origin (NULL));
    assert_true (console_auth_same_origin ("same-origin"));
    assert_true (console_auth_same_origin ("none"));
    assert_false (console_auth_same_origin ("cross-site"));
    assert_false (console_auth_same_origin ("same-site"));
}

static void
test_secret_file (void **state)
{
    (void) state;
    char dir [] = "/tmp/test_web_auth.XXXXXX";
    assert_non_null (mkdtemp (dir));
    uint8_t first [CONSOLE_AUTH_SECRET_SIZE], second [CONSOLE_AUTH_SECRET_SIZE];
    assert_int_equal (console_auth_secret_load (dir, first), 0);
    assert_int_equal (console_auth_secret_load (dir, second), 0);
    assert_memory_equal (first, second, sizeof first);
    char path [256];
    snprintf (path, sizeof path, "%s/console-web.key", dir);
    struct stat info;
    assert_int_equal (stat (path, &info), 0);
    assert_int_equal (info.st_mode & 0777, 0600);
    //  A file of another size is refused.
    FILE *file = fopen (path, "a");
    fputc ('x', file);
    fclose (file);
    assert_int_equal (console_auth_secret_load (dir, second), CF_EIO);
    unlink (path);
    rmdir (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_identify),
        cmocka_unit_test (test_configuration),
        cmocka_unit_test (test_tokens),
        cmocka_unit_test (test_secret_file),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
