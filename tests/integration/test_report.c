//  test_report: `caseflowctl report` and `caseflowctl case show` end to
//  end: the four real services and the console, which answers both, on
//  loopback with the manual clock, a small deterministic January 2022
//  played through caseflowctl, exact figures and a case timeline asserted,
//  then every service restarted and the same report produced again, byte
//  for byte.
//
//  Also `caseflowctl batch` (the demo's way of sending many commands)
//  gives the same output as one process per command.
//
//  All four services take part (a missing binary fails the test). The
//  callback figures are notification's facts (CallbackAnswered,
//  ReminderDue.answer_by): the report only counts them.
//
//  The scenario (all at location L1, clock Europe/Amsterdam):
//    roster   w1 1.0 FTE youth,debt (1 case); w2 0.5 FTE housing (1 case);
//             w3 0.5 FTE other (1 case), absent from 24 January, no end
//    Mon 03-01 09:00  C000001 phone youth        → w1
//                     C000002 walk-in debt       → waiting (w1 is full)
//                     C000003 municipality housing, urgent → w2 at once
//                     C000004 partner youth      → waiting
//                     C000005 web work-income    → waiting, then advised (closed)
//                     handover H000001 (provider P1, prefers w2) announced
//    Tue 04-01        C000001 started
//    Wed 12-01        H000001 held, decided continue, files, completed →
//                     C000006 (channel handover, no location) → w2 by continuity
//    Mon 17-01 10:00  callback 1 of C000002 and C000004 (due 09:00) fired;
//                     C000002 reached at once (on time)
//    Thu 20-01 10:00  C000004 reached (late: its window closed Wed 19-01 09:00)
//    Fri 21-01 09:00  C000001 completed → C000002 to w1
//    Mon 24-01        w3 absent
//  Report at 2022-02-01 (00:00): 6 registrations (one per channel), 1
//  waiting (C000004, 28.6 days since triage), 1 urgent picked up in 0.0 h,
//  2 callbacks due of which 50.0% on time, 3 active (C000002, C000003,
//  C000006), 2 closed, 2 workers present (1.5 FTE) and 1 absent, caseload
//  L1 2 and none 1, handover 1 of 1 completed.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The fleet of the running test, for the teardown.
static cf_testfleet_t *s_fleet;

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_testfleet_destroy (&s_fleet);
    return 0;
}

//  Each of `texts` (NULL-terminated) occurs in the output, in this order.
static void
s_expect_in_order (cf_testfleet_t *env, ...)
{
    va_list args;
    va_start (args, env);
    const char *from = env->out, *text;
    while ((text = va_arg (args, const char *))) {
        const char *found = strstr (from, text);
        if (!found) {
            fprintf (stderr, "output: %s\n", env->out);
            fail_msg ("expected %s after offset %td (output above)", text, from - env->out);
        }
        from = found + strlen (text);
    }
    va_end (args);
}

//  ---------------------------------------------------------------- the play

static void
s_play (cf_testfleet_t *env)
{
    CF_FLEET_DO_SETTLED (env, "assignment", "location", "add", "--id", "L1", "--name",
                         "Wijkcentrum");
    CF_FLEET_DO_SETTLED (env, "assignment", "worker", "add", "--id", "w1", "--name", "Anna",
                         "--fte", "1.0", "--location", "L1", "--expertise", "youth,debt",
                         "--max-caseload", "1");
    CF_FLEET_DO_SETTLED (env, "assignment", "worker", "add", "--id", "w2", "--name", "Bas", "--fte",
                         "0.5", "--location", "L1", "--expertise", "housing", "--max-caseload",
                         "1");
    CF_FLEET_DO_SETTLED (env, "assignment", "worker", "add", "--id", "w3", "--name", "Cor", "--fte",
                         "0.5", "--location", "L1", "--expertise", "other", "--max-caseload", "1");
    CF_FLEET_DO_SETTLED (env, "handover", "provider", "add", "--id", "P1", "--name", "GGZ");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-03T09:00");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Ria Aarts", "--channel", "phone",
                         "--domain", "youth", "--location", "L1", "--urgency", "regular",
                         "--reason", "school");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Kees Bakker", "--channel", "walk-in",
                         "--domain", "debt", "--location", "L1", "--urgency", "regular", "--reason",
                         "debts");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Elif Yilmaz", "--channel",
                         "municipality", "--domain", "housing", "--location", "L1", "--urgency",
                         "urgent", "--reason", "eviction");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Tom Vos", "--channel", "partner",
                         "--domain", "youth", "--location", "L1", "--urgency", "regular",
                         "--reason", "parenting");
    CF_FLEET_DO_SETTLED (env, "intake", "register", "--name", "Lotte Maas", "--channel", "web",
                         "--domain", "work-income", "--location", "L1", "--urgency", "regular",
                         "--reason", "work");
    CF_FLEET_DO_SETTLED (env, "intake", "advise", "C000005", "--note", "job centre");
    CF_FLEET_DO_SETTLED (env, "handover", "announce", "--provider", "P1", "--name", "Piet Smits",
                         "--domain", "mental-health", "--preferred-worker", "w2");
    CF_FLEET_DO_SETTLED (env, "handover", "plan", "H000001", "--at", "2022-01-12T10:00");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-04T09:00");
    CF_FLEET_DO_SETTLED (env, "assignment", "start", "C000001");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-12T11:00");
    CF_FLEET_DO_SETTLED (env, "handover", "held", "H000001");
    CF_FLEET_DO_SETTLED (env, "handover", "decide", "H000001", "--next", "continue");
    CF_FLEET_DO_SETTLED (env, "handover", "files", "H000001", "--document", "support plan");
    CF_FLEET_DO_SETTLED (env, "handover", "complete", "H000001");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-17T10:00");
    assert_int_equal (
        cf_testfleet_ctl (env, "--json", "reminders", "--due", "--kind", "callback", NULL), 0);
    s_expect_in_order (env, "\"reminder_id\":\"callback/C000002/1\"",
                       "\"due_at\":\"2022-01-17T09:00:00+01:00\"",
                       "\"reminder_id\":\"callback/C000004/1\"", NULL);
    CF_FLEET_DO_SETTLED (env, "intake", "callback", "C000002", "--outcome", "reached", "--due",
                         "2022-01-17T09:00");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-20T10:00");
    CF_FLEET_DO_SETTLED (env, "intake", "callback", "C000004", "--outcome", "reached", "--due",
                         "2022-01-17T09:00");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-21T09:00");
    CF_FLEET_DO_SETTLED (env, "assignment", "complete", "C000001", "--outcome", "done");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-01-24T09:00");
    CF_FLEET_DO_SETTLED (env, "assignment", "worker", "absent", "w3", "--from", "now");
    CF_FLEET_DO_SETTLED (env, "clock", "set", "2022-02-01T09:00");
}

//  -------------------------------------------------------------- the checks

static void
s_check_report (cf_testfleet_t *env)
{
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--at", "2022-02-01", NULL), 0);
    s_expect_in_order (
        env, "{\"at\":\"2022-02-01T00:00:00+01:00\"", "\"registrations_total\":6",
        "\"registrations_by_channel\":{\"phone\":1,\"walk-in\":1,\"web\":1,\"partner\":1,"
        "\"municipality\":1,\"handover\":1}",
        "\"waiting\":1", "\"wait_days_median\":28.6", "\"wait_days_p90\":28.6",
        "\"urgent_total\":1", "\"urgent_pickup_hours_median\":0", NULL);
    cf_testfleet_expect (env, "\"callbacks_due\":2,\"callbacks_on_time_pct\":50,");
    cf_testfleet_expect (env, "\"callbacks_on_time\":1,\"callbacks_late\":1,\"callbacks_open\":0");
    s_expect_in_order (env, "\"active_cases\":3", "\"closed_cases\":2", "\"workers_active\":2",
                       "\"workers_absent\":1", "\"fte_active\":1",
                       "\"caseload_by_location\":{\"L1\":2,\"none\":1}", "\"handovers\":{",
                       "\"deadline\":\"2022-06-30\",\"total\":1,\"completed\":1",
                       "\"by_provider\":{\"P1\":{", NULL);
    cf_testfleet_expect (env, "\"cases_by_status\":{\"registered\":0,\"waiting\":1,\"urgent\":0,"
                              "\"assigned\":3,\"active\":0,\"closed\":2}");
    cf_testfleet_expect (env, "\"caseload_by_worker\":{\"w1\":1,\"w2\":2,\"w3\":0}");
    cf_testfleet_expect (env, "\"fte_active\":1.5");
    //  An earlier moment: before the handover, C000001 active, nobody absent.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--at", "2022-01-10", NULL), 0);
    s_expect_in_order (env, "\"registrations_total\":5", "\"waiting\":2",
                       "\"wait_days_median\":6.6", "\"active_cases\":2", "\"closed_cases\":1",
                       "\"workers_active\":3", "\"workers_absent\":0", "\"fte_active\":2", NULL);
    cf_testfleet_expect (env, "\"callbacks_due\":0,\"callbacks_on_time_pct\":null,");
    //  CSV and the table carry the same figures.
    assert_int_equal (cf_testfleet_ctl (env, "report", "--at", "2022-02-01", "--csv", NULL), 0);
    s_expect_in_order (env, "key,value\n", "at,2022-02-01T00:00:00+01:00\n",
                       "registrations_total,6\n", "registrations_by_channel.phone,1\n",
                       "waiting,1\n", "wait_days_median,28.6\n", "caseload_by_location.L1,2\n",
                       "handovers.completed,1\n", "handovers.by_provider.P1.total,1\n", NULL);
    assert_int_equal (cf_testfleet_ctl (env, "report", "--at", "2022-02-01", NULL), 0);
    cf_testfleet_expect (env, "caseflow report as at 2022-02-01 00:00");
    cf_testfleet_expect (env, "median 28.6, 90th percentile 28.6");
    //  A report never looks ahead of the clock; --csv and --json exclude each other.
    assert_int_equal (cf_testfleet_ctl (env, "report", "--at", "2022-03-01", NULL), 2);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--csv", NULL), 2);
}

static void
s_check_case (cf_testfleet_t *env)
{
    assert_int_equal (
        cf_testfleet_ctl (env, "--json", "case", "show", "C000002", "--at", "2022-02-01", NULL), 0);
    s_expect_in_order (env,
                       "{\"case_id\":\"C000002\",\"status\":\"assigned\",\"urgency\":\"regular\","
                       "\"channel\":\"walk-in\",\"domains\":[\"debt\"],"
                       "\"registered_at\":\"2022-01-03T09:00:00+01:00\",\"worker_id\":\"w1\","
                       "\"location\":\"L1\",\"callbacks\":[",
                       NULL);
    cf_testfleet_expect (env,
                         "\"callbacks\":[{\"reminder_id\":\"callback/C000002/1\","
                         "\"due_at\":\"2022-01-17T09:00:00+01:00\",\"outcome\":\"reached\","
                         "\"recorded_at\":\"2022-01-17T10:00:00+01:00\",\"state\":\"answered\"}]");
    //  The timeline, in time order; at one instant a cause before its effect.
    s_expect_in_order (
        env, "\"timeline\":[{\"stream\":\"intake\",\"seq\":",
        ",\"type\":\"CaseRegistered\",\"occurred_at\":\"2022-01-03T09:00:00+01:00\","
        "\"summary\":\"registered by walk-in at L1 (debt)\"}",
        "\"type\":\"CaseTriaged\"", "\"summary\":\"triaged regular: waiting\"",
        "\"type\":\"CallbackRecorded\",\"occurred_at\":\"2022-01-17T10:00:00+01:00\"",
        "{\"stream\":\"assignment\"",
        "\"type\":\"CaseAssigned\",\"occurred_at\":\"2022-01-21T09:00:00+01:00\"",
        "\"summary\":\"assigned to w1 (best-match, waiting-list)\"", "{\"stream\":\"intake\"",
        "\"type\":\"CaseStatusChanged\"", "\"summary\":\"status assigned, worker w1\"", NULL);
    //  Notification's reminders of the case; its acknowledgement of the
    //  callback follows the recording that caused it (another stream, the
    //  same instant on the manual clock).
    s_expect_in_order (
        env, "\"type\":\"ReminderScheduled\"",
        "\"summary\":\"callback 1 scheduled for 2022-01-17 09:00 "
        "(callback/C000002/1)\"",
        "\"type\":\"CallbackRecorded\"",
        "\"type\":\"ReminderAcknowledged\",\"occurred_at\":\"2022-01-17T10:00:00+01:00\"",
        "\"type\":\"CaseAssigned\"", NULL);
    cf_testfleet_expect (env,
                         "\"type\":\"ReminderDue\",\"occurred_at\":\"2022-01-17T10:00:00+01:00\","
                         "\"summary\":\"callback 1 due, for location:L1\"");
    cf_testfleet_expect (env, "\"streams_left_out\":[]");
    //  The same case as it was on 10 January: waiting, no worker.
    assert_int_equal (
        cf_testfleet_ctl (env, "--json", "case", "show", "C000002", "--at", "2022-01-10", NULL), 0);
    cf_testfleet_expect (env, "\"status\":\"waiting\"");
    cf_testfleet_expect (env, "\"worker_id\":null");
    if (strstr (env->out, "CaseAssigned"))
        fail_msg ("the case as at 10 January shows a later event: %s", env->out);
    //  The handover case carries its handover's events.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "case", "show", "C000006", NULL), 0);
    s_expect_in_order (env, "\"channel\":\"handover\"", "\"worker_id\":\"w2\"",
                       "{\"stream\":\"handover\"", "\"type\":\"HandoverAnnounced\"",
                       "\"type\":\"HandoverCompleted\"", "{\"stream\":\"intake\"",
                       "\"type\":\"CaseRegistered\"", NULL);
    cf_testfleet_expect (env, "\"handover_ids\":[\"H000001\"]");
    //  People's output; an unknown case is refused (1).
    assert_int_equal (cf_testfleet_ctl (env, "case", "show", "C000002", NULL), 0);
    cf_testfleet_expect (env, "case C000002 as it was at 2022-02-01 09:00");
    cf_testfleet_expect (env, "registered by walk-in at L1 (debt)");
    assert_int_equal (cf_testfleet_ctl (env, "case", "show", "C000099", NULL), 1);
    assert_int_equal (cf_testfleet_ctl (env, "case", "show", NULL), 2);
}

//  The console's own query `body` (a console.Query member, borrowed), over
//  the api; the reply (free it) must be OK with a console result.
static Caseflow__V1__Reply *
s_console_query (cf_testfleet_t *env, Caseflow__V1__Console__Query *own)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_CONSOLE;
    query.console = own;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    cf_api_client_t *client = cf_api_client_new (env->console.api, 3000, 2);
    assert_non_null (client);
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &request, &rc);
    cf_api_client_destroy (&client);
    assert_non_null (reply);
    assert_true (!reply->status || reply->status->code == CASEFLOW__V1__STATUS__CODE__OK);
    assert_non_null (reply->query);
    assert_non_null (reply->query->console);
    return reply;
}

//  The console's projections agree with the services that own the facts:
//  the waiting list with assignment's (the order is one rule, cf_waiting),
//  caseload with the report's, at the fleet's clock (2022-02-01 09:00).
static void
s_check_projections (cf_testfleet_t *env)
{
    Caseflow__V1__Console__Waiting waiting = CASEFLOW__V1__CONSOLE__WAITING__INIT;
    Caseflow__V1__Console__Query own = CASEFLOW__V1__CONSOLE__QUERY__INIT;
    own.body_case = CASEFLOW__V1__CONSOLE__QUERY__BODY_WAITING;
    own.waiting = &waiting;
    Caseflow__V1__Reply *reply = s_console_query (env, &own);
    const Caseflow__V1__Console__WaitingList *list = reply->query->console->waiting;
    assert_non_null (list);
    assert_int_equal (list->n_entries, 1);
    char line [256];
    snprintf (line, sizeof line,
              "{\"case_id\":\"%s\",\"position\":%u,\"urgency\":\"regular\",\"registered_at\":"
              "\"2022-01-03T09:00:00+01:00\",\"waiting_days\":%u,",
              list->entries [0]->case_id, list->entries [0]->position,
              list->entries [0]->waiting_days);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", NULL), 0);
    cf_testfleet_expect (env, line);

    Caseflow__V1__Console__Caseload caseload = CASEFLOW__V1__CONSOLE__CASELOAD__INIT;
    own.body_case = CASEFLOW__V1__CONSOLE__QUERY__BODY_CASELOAD;
    own.caseload = &caseload;
    reply = s_console_query (env, &own);
    const Caseflow__V1__Console__CaseloadReport *load = reply->query->console->caseload;
    //  C000002 with w1; C000003 and C000006 (no location) with w2.
    assert_int_equal (load->n_by_worker, 2);
    assert_string_equal (load->by_worker [0]->id, "w1");
    assert_int_equal (load->by_worker [0]->open, 1);
    assert_string_equal (load->by_worker [1]->id, "w2");
    assert_int_equal (load->by_worker [1]->open, 2);
    assert_int_equal (load->n_by_location, 1);
    assert_string_equal (load->by_location [0]->id, "L1");
    assert_int_equal (load->by_location [0]->open, 2);
    caseflow__v1__reply__free_unpacked (reply, NULL);

    Caseflow__V1__Console__UrgentUnassigned urgent = CASEFLOW__V1__CONSOLE__URGENT_UNASSIGNED__INIT;
    own.body_case = CASEFLOW__V1__CONSOLE__QUERY__BODY_URGENT_UNASSIGNED;
    own.urgent_unassigned = &urgent;
    reply = s_console_query (env, &own);
    assert_int_equal (reply->query->console->urgent_unassigned->n_entries, 0);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  ------------------------------------------------------------------ test

static void
test_report_end_to_end (void **unused)
{
    (void) unused;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          NULL };
    cf_testfleet_t *env = cf_testfleet_new ("report", flags);
    s_fleet = env;
    cf_testfleet_console (env);
    cf_testfleet_start (env, true);
    s_play (env);
    s_check_report (env);
    s_check_case (env);
    //  Without a time, report and waiting mean the services' clock (the
    //  manual one, at 2022-02-01 09:00), not the wall clock.
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", NULL), 0);
    cf_testfleet_expect (env, "{\"at\":\"2022-02-01T09:00:00+01:00\",\"registrations_total\":6");
    assert_int_equal (cf_testfleet_ctl (env, "--json", "waiting", NULL), 0);
    cf_testfleet_expect (env,
                         "{\"case_id\":\"C000004\",\"position\":1,\"urgency\":\"regular\","
                         "\"registered_at\":\"2022-01-03T09:00:00+01:00\",\"waiting_days\":29,");
    assert_int_equal (cf_testfleet_ctl (env, "waiting", NULL), 0);
    cf_testfleet_expect (env, "as of 2022-02-01 09:00");
    s_check_projections (env);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--at", "2022-02-01", NULL), 0);
    char *before = strdup (env->out);
    assert_int_equal (
        cf_testfleet_ctl (env, "--json", "case", "show", "C000004", "--at", "2022-02-01", NULL), 0);
    char *case_before = strdup (env->out);

    //  All five restart: the console rebuilds from its journal, the
    //  figures stay.
    cf_testfleet_stop (env);
    cf_testfleet_start (env, false);
    assert_int_equal (cf_testfleet_ctl (env, "status", "--settle", NULL), 0);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--at", "2022-02-01", NULL), 0);
    assert_string_equal (env->out, before);
    assert_int_equal (
        cf_testfleet_ctl (env, "--json", "case", "show", "C000004", "--at", "2022-02-01", NULL), 0);
    assert_string_equal (env->out, case_before);
    //  batch: the same commands from standard input, one process.
    char path [600];
    snprintf (path, sizeof path, "%s/commands", env->dir);
    FILE *file = fopen (path, "w");
    assert_non_null (file);
    fprintf (file, "# the report and a case, as scripts send them\n"
                   "--json report --at 2022-02-01\n"
                   "\n"
                   "--json case show 'C000004' --at \"2022-02-01\"\n"
                   "case show C000099\n"
                   "intake show 'open quote\n");
    fclose (file);
    env->stdin_path = path;
    assert_int_equal (cf_testfleet_ctl (env, "batch", NULL), 2);
    env->stdin_path = NULL;
    size_t report_len = strlen (before);
    if (strncmp (env->out, before, report_len) != 0)
        fail_msg ("batch printed another report: %s", env->out);
    s_expect_in_order (env, "## exit 0\n", case_before, "## exit 0\n", "## exit 1\n", "## exit 2\n",
                       NULL);
    char *before_stop = strdup (before);
    free (before);
    free (case_before);

    //  The console keeps what it followed: with notification down the
    //  figures stand, with every upstream down too. A moment after the
    //  console's clock is refused (2); without the console there is no
    //  report and no timeline (3).
    env->timeout = "500";
    assert_int_equal (cf_testproc_stop (&env->procs [CF_FLEET_NOTIFICATION], SIGTERM, 20000), 0);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "report", "--at", "2022-02-01", NULL), 0);
    assert_string_equal (env->out, before_stop);
    assert_int_equal (cf_testproc_stop (&env->procs [CF_FLEET_INTAKE], SIGTERM, 20000), 0);
    assert_int_equal (cf_testfleet_ctl (env, "--json", "case", "show", "C000002", NULL), 0);
    cf_testfleet_expect (env, "\"streams_left_out\":[]");
    assert_int_equal (cf_testproc_stop (&env->console, SIGTERM, 20000), 0);
    assert_int_equal (cf_testfleet_ctl (env, "report", NULL), 3);
    assert_int_equal (cf_testfleet_ctl (env, "case", "show", "C000002", NULL), 3);
    free (before_stop);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_report_end_to_end, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
