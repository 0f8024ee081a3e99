//  test_notification_ctl: `caseflowctl reminders …` against the real
//  caseflow-notification (manual clock) and fake upstreams.
//
//  - `reminders`, `--due`, `--kind`: the JSON keys of CLI.md
//    (reminder_id, kind, case_id, due_at, fired, acknowledged);
//  - `reminders ack`: exit 0, again 0, unknown 1, pending 1;
//  - `reminders today` and `reminders compliance` answer;
//  - `reminders follow --cursor-file`: one JSON line per ReminderDue; the
//    follower is stopped and restarted, the service is killed with SIGKILL
//    while reminders fire and restarted: across the three follower runs
//    every reminder of the stream is printed exactly once, in stream order;
//  - exit statuses: usage 2, unreachable 3.
#include "test_notification_kit.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    nk_fake_t *fake;
    nk_service_t service;
    char *dir;
    char api_flag [160], events_flag [160];
} s_ctl_test_t;

static s_ctl_test_t s_test;

static int64_t
s_at (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

//  Starts caseflowctl with the service's endpoints, --json, and `args`
//  (NULL-terminated), stdout appended to `out` (NULL: /dev/null).
static pid_t
s_spawn (const char *out, const char *const *args)
{
    const char *argv [32] = { cf_test_binary ("caseflowctl"),
                              "--json",
                              s_test.api_flag,
                              s_test.events_flag,
                              "--timeout",
                              "1000" };
    size_t argc = 6;
    for (size_t i = 0; args [i] && argc < 31; i++)
        argv [argc++] = args [i];
    argv [argc] = NULL;
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int fd = open (out ? out : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2 (fd, 1);
            close (fd);
        }
        execv (argv [0], (char *const *) argv);
        _exit (127);
    }
    return pid;
}

static int
s_wait (pid_t pid)
{
    int status = 0;
    while (waitpid (pid, &status, 0) < 0)
        ;
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

//  Runs caseflowctl to the end; returns its exit status and its stdout
//  (free with free) through `output_p` when not NULL.
static int
s_ctl (char **output_p, const char *const *args)
{
    char path [512];
    snprintf (path, sizeof path, "%s/ctl.out", s_test.dir);
    unlink (path);
    int status = s_wait (s_spawn (path, args));
    if (output_p) {
        FILE *file = fopen (path, "r");
        assert_non_null (file);
        char *text = calloc (1, 1 << 20);
        assert_non_null (text);
        size_t size = fread (text, 1, (1 << 20) - 1, file);
        text [size] = 0;
        fclose (file);
        *output_p = text;
    }
    return status;
}

static void
s_assert_contains (const char *text, const char *part)
{
    if (!strstr (text, part))
        fail_msg ("expected %s in: %.2000s", part, text);
}

//  The reminder ids of the follow lines in `path`, appended to `ids`.
static void
s_read_lines (const char *path, char ids [][201], size_t *count_p, size_t max)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return;
    char line [4096];
    while (fgets (line, sizeof line, file)) {
        const char *key = strstr (line, "\"reminder_id\":\"");
        assert_non_null (key);
        key += strlen ("\"reminder_id\":\"");
        size_t len = strcspn (key, "\"");
        assert_true (*count_p < max && len < 201);
        memcpy (ids [*count_p], key, len);
        ids [*count_p][len] = 0;
        s_assert_contains (line, "\"fired\":true");
        s_assert_contains (line, "\"acknowledged\":false");
        s_assert_contains (line, "\"due_at\":\"");
        (*count_p)++;
    }
    fclose (file);
}

static size_t
s_lines (const char *path)
{
    static char ids [512][201];
    size_t count = 0;
    s_read_lines (path, ids, &count, 512);
    return count;
}

static void
s_wait_lines (const char *path, size_t lines)
{
    int64_t deadline = cf_test_now_ms () + NK_WAIT_MS;
    while (s_lines (path) < lines) {
        if (cf_test_now_ms () > deadline)
            fail_msg ("%s has %zu lines, expected %zu", path, s_lines (path), lines);
        cf_test_sleep_ms (20);
    }
}

static size_t
s_due_count (void)
{
    size_t count = 0;
    free (nk_read_due (&s_test.service, &count));
    return count;
}

static int
s_setup (void **state)
{
    (void) state;
    cf_time_init ();
    zsys_handler_set (NULL);
    memset (&s_test, 0, sizeof s_test);
    s_test.dir = cf_test_tmpdir ("notification-ctl");
    s_test.fake = nk_fake_new (false);
    nk_service_init (&s_test.service, s_test.fake, "notification-ctl-service", "2022-01-10T10:00",
                     NULL);
    nk_service_start (&s_test.service, true);
    snprintf (s_test.api_flag, sizeof s_test.api_flag, "--notification=%s",
              s_test.service.proc.api);
    snprintf (s_test.events_flag, sizeof s_test.events_flag, "--notification-events=%s",
              s_test.service.proc.events);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    nk_service_destroy (&s_test.service);
    nk_fake_destroy (&s_test.fake);
    cf_test_rmtree (s_test.dir);
    free (s_test.dir);
    return 0;
}

static void
test_list_ack_today_compliance (void **state)
{
    (void) state;
    int64_t t0 = s_at ("2022-01-10T10:00");
    nk_register (s_test.fake, "C000001", "L1", t0);
    nk_triage (s_test.fake, "C000001", false, t0);
    nk_register (s_test.fake, "C000003", "L1", t0);
    uint64_t seq = nk_triage (s_test.fake, "C000003", true, t0);
    nk_wait_applied (&s_test.service, s_test.fake);
    char urgent [64];
    snprintf (urgent, sizeof urgent, "urgent/C000003/%" PRIu64, seq);

    char *out = NULL;
    assert_int_equal (s_ctl (&out, (const char *[]){ "reminders", NULL }), 0);
    s_assert_contains (out, "\"reminder_id\":\"callback/C000001/1\",\"kind\":\"callback\","
                            "\"case_id\":\"C000001\",\"due_at\":\"2022-01-24T10:00:00+01:00\","
                            "\"fired\":false,\"acknowledged\":false");
    s_assert_contains (out, urgent);
    free (out);
    assert_int_equal (s_ctl (&out, (const char *[]){ "reminders", "--due", NULL }), 0);
    s_assert_contains (out, "\"fired\":true");
    assert_null (strstr (out, "callback/C000001/1"));
    free (out);
    assert_int_equal (
        s_ctl (&out, (const char *[]){ "reminders", "--kind", "waiting-too-long", NULL }), 0);
    s_assert_contains (out, "waiting-too-long/C000001/1");
    assert_null (strstr (out, "callback/"));
    free (out);

    assert_int_equal (
        s_ctl (&out, (const char *[]){ "reminders", "ack", urgent, "--by", "desk 2", NULL }), 0);
    s_assert_contains (out, "\"acknowledged\":true");
    s_assert_contains (out, "\"acknowledged_by\":\"desk 2\"");
    free (out);
    assert_int_equal (s_ctl (NULL, (const char *[]){ "reminders", "ack", urgent, NULL }), 0);
    assert_int_equal (s_ctl (NULL, (const char *[]){ "reminders", "ack", "callback/C9/1", NULL }),
                      1);
    assert_int_equal (
        s_ctl (NULL, (const char *[]){ "reminders", "ack", "callback/C000001/1", NULL }), 1);
    assert_int_equal (s_ctl (NULL, (const char *[]){ "reminders", "--kind", "bogus", NULL }), 2);
    assert_int_equal (s_ctl (NULL, (const char *[]){ "reminders", "ack", NULL }), 2);

    assert_int_equal (s_ctl (&out, (const char *[]){ "reminders", "today", "--location", "L1",
                                                     "--at", "2022-01-24", NULL }),
                      0);
    s_assert_contains (out, "\"date\":\"2022-01-24\"");
    s_assert_contains (out, "callback/C000001/1");
    free (out);
    assert_int_equal (s_ctl (&out, (const char *[]){ "reminders", "compliance", "--from",
                                                     "2022-01-01", "--to", "2022-03-01", NULL }),
                      0);
    //  The clock still reads the moment C1 started waiting: nothing yet.
    s_assert_contains (out, "\"interval_days\":14,\"cases_waiting\":0,\"cases_exceeded\":0");
    free (out);
    assert_int_equal (s_ctl (NULL, (const char *[]){ "reminders", "compliance", NULL }), 2);
}

static void
test_follow_across_restarts (void **state)
{
    (void) state;
    char cursor [512], out1 [512], out2 [512], out3 [512];
    snprintf (cursor, sizeof cursor, "%s/follow.cursor", s_test.dir);
    snprintf (out1, sizeof out1, "%s/follow1.out", s_test.dir);
    snprintf (out2, sizeof out2, "%s/follow2.out", s_test.dir);
    snprintf (out3, sizeof out3, "%s/follow3.out", s_test.dir);
    const char *follow [] = { "reminders", "follow", "--cursor-file", cursor, NULL };

    //  A new cursor file: the follower starts at the beginning (the urgent
    //  alert of the first test).
    pid_t follower = s_spawn (out1, follow);
    s_wait_lines (out1, 1);
    nk_advance (&s_test.service, "ctl-advance-1", 15 * NK_DAY);
    s_wait_lines (out1, s_due_count ());
    //  Stopped, then reminders fire while it is away.
    kill (follower, SIGTERM);
    assert_int_equal (s_wait (follower), 0);
    nk_advance (&s_test.service, "ctl-advance-2", 14 * NK_DAY);
    follower = s_spawn (out2, follow);
    size_t printed = s_lines (out1);
    s_wait_lines (out2, s_due_count () - printed);
    //  The service dies while a move fires reminders, and comes back.
    for (int round = 0; round < 3; round++) {
        char id [32];
        snprintf (id, sizeof id, "ctl-kill-%d", round);
        cf_testreq_t req;
        cf_testreq_clock_advance (&req, id, 7 * NK_DAY);
        size_t size = 0;
        void *data = cf_testreq_encode (&req, &size);
        zsock_t *dealer = zsock_new_dealer (s_test.service.proc.api);
        assert_non_null (dealer);
        zsock_set_linger (dealer, 0);
        zmq_send (zsock_resolve (dealer), data, size, 0);
        free (data);
        cf_test_sleep_ms (5 + round * 5);
        assert_int_equal (nk_service_stop (&s_test.service, SIGKILL), 128 + SIGKILL);
        zsock_destroy (&dealer);
        nk_service_start (&s_test.service, false);
        nk_advance (&s_test.service, id, 7 * NK_DAY);
    }
    s_wait_lines (out2, s_due_count () - printed);
    kill (follower, SIGTERM);
    assert_int_equal (s_wait (follower), 0);
    //  A third run with nothing new prints nothing; then one more fires.
    follower = s_spawn (out3, follow);
    cf_test_sleep_ms (300);
    assert_int_equal (s_lines (out3), 0);
    nk_advance (&s_test.service, "ctl-advance-3", 14 * NK_DAY);
    s_wait_lines (out3, s_due_count () - s_lines (out1) - s_lines (out2));
    kill (follower, SIGTERM);
    assert_int_equal (s_wait (follower), 0);

    //  Every reminder of the stream exactly once, in stream order.
    static char ids [512][201];
    size_t count = 0;
    s_read_lines (out1, ids, &count, 512);
    s_read_lines (out2, ids, &count, 512);
    s_read_lines (out3, ids, &count, 512);
    size_t stream_count = 0;
    nk_due_t *stream = nk_read_due (&s_test.service, &stream_count);
    assert_int_equal (count, stream_count);
    assert_true (count > 8);
    for (size_t i = 0; i < count; i++)
        assert_string_equal (ids [i], stream [i].id);
    free (stream);
}

static void
test_unreachable (void **state)
{
    (void) state;
    char api [160];
    snprintf (api, sizeof api, "--notification=tcp://127.0.0.1:%d", cf_test_free_port ());
    const char *argv [] = {
        cf_test_binary ("caseflowctl"), "--timeout", "200", api, "reminders", NULL
    };
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        int fd = open ("/dev/null", O_WRONLY);
        dup2 (fd, 1);
        dup2 (fd, 2);
        execv (argv [0], (char *const *) argv);
        _exit (127);
    }
    assert_int_equal (s_wait (pid), 3);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_list_ack_today_compliance),
        cmocka_unit_test (test_follow_across_restarts),
        cmocka_unit_test (test_unreachable),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
