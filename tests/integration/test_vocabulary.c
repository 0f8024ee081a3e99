//  test_vocabulary: the four real services speak one vocabulary.
//
//  The four services run on loopback (cf_testfleet) on the manual clock.
//  First, one list of ids, good and bad at every edge of the grammar
//  (common/cf_id.h), goes to a command or query of each service that takes
//  an id: intake's group track location, assignment's location id,
//  handover's provider id, notification's case filter. Every service must
//  accept the same ids and refuse the same ones, with INVALID_ARGUMENT, its
//  own field path and the same message after the field's name; reminder
//  ids likewise at intake and notification. Then, through caseflowctl as an
//  operator types it (shared/CLI.md), a location added at assignment
//  (`team:north`) is one intake registers a walk-in at, and the case goes
//  to the worker at that location; and back: a case registered at a
//  location assignment does not know yet (`team:south`) waits, and is
//  matched once assignment adds that location and a worker there.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_id.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_OK      CASEFLOW__V1__STATUS__CODE__OK
#define S_INVALID CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_MISSING CASEFLOW__V1__STATUS__CODE__NOT_FOUND

static cf_testfleet_t *s_fleet;

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_testfleet_destroy (&s_fleet);
    return 0;
}

//  ------------------------------------------------ one id at every service

//  What a service answered about one id.
typedef struct {
    Caseflow__V1__Status__Code code;
    char field [160];
    char message [256];
} s_answer_t;

static void
s_keep (const Caseflow__V1__Reply *reply, s_answer_t *answer)
{
    memset (answer, 0, sizeof *answer);
    answer->code = cf_api_reply_code (reply);
    if (reply->status) {
        snprintf (answer->field, sizeof answer->field, "%s", reply->status->field);
        snprintf (answer->message, sizeof answer->message, "%s", reply->status->message);
    }
    caseflow__v1__reply__free_unpacked ((Caseflow__V1__Reply *) reply, NULL);
}

//  intake: a group track at location `id`.
static void
s_intake_track (cf_api_client_t *client, int n, const char *id, s_answer_t *answer)
{
    char track_id [32];
    snprintf (track_id, sizeof track_id, "track-%d", n);
    Caseflow__V1__Intake__CreateTrack body = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    body.track_id = track_id;
    body.name = "Geldzaken";
    body.location = (char *) id;
    body.capacity = 10;
    body.starts_on = "2022-02-01";
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    intake.create_track = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    s_keep (cf_testclient_command (client, NULL, &command), answer);
}

//  assignment: a location with id `id`.
static void
s_assignment_location (cf_api_client_t *client, const char *id, s_answer_t *answer)
{
    Caseflow__V1__Assignment__AddLocation body = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    body.location_id = (char *) id;
    body.name = "Wijkcentrum";
    Caseflow__V1__Assignment__Command assignment = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    assignment.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    assignment.add_location = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
    command.assignment = &assignment;
    s_keep (cf_testclient_command (client, NULL, &command), answer);
}

//  handover: a provider with id `id`.
static void
s_handover_provider (cf_api_client_t *client, const char *id, s_answer_t *answer)
{
    Caseflow__V1__Handover__AddProvider body = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    body.provider_id = (char *) id;
    body.name = "GGZ Peelland";
    Caseflow__V1__Handover__Command handover = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    handover.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    handover.add_provider = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
    command.handover = &handover;
    s_keep (cf_testclient_command (client, NULL, &command), answer);
}

//  notification: the reminders of case `id`.
static void
s_notification_reminders (cf_api_client_t *client, const char *id, s_answer_t *answer)
{
    Caseflow__V1__Notification__ListReminders body =
        CASEFLOW__V1__NOTIFICATION__LIST_REMINDERS__INIT;
    body.case_id = (char *) id;
    Caseflow__V1__Notification__Query notification = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    notification.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS;
    notification.list_reminders = &body;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
    query.notification = &notification;
    s_keep (cf_testclient_query (client, &query), answer);
}

//  The message after the field's name ("is not an id: ..."), or "".
static const char *
s_after_name (const s_answer_t *answer)
{
    const char *dot = strrchr (answer->field, '.');
    const char *leaf = dot ? dot + 1 : answer->field;
    size_t len = strlen (leaf);
    if (strncmp (answer->message, leaf, len) != 0 || answer->message [len] != ' ')
        fail_msg ("%s: the message does not start with the field's name: %s", answer->field,
                  answer->message);
    return answer->message + len + 1;
}

static void
s_ids_everywhere (void)
{
    static const char *const services [4] = { "intake", "assignment", "handover", "notification" };
    static const char *const fields [4] = {
        "command.intake.create_track.location",
        "command.assignment.add_location.location_id",
        "command.handover.add_provider.provider_id",
        "query.notification.list_reminders.case_id",
    };
    char longest [CF_ID_MAX + 1], too_long [CF_ID_MAX + 2];
    memset (longest, 'L', CF_ID_MAX);
    longest [CF_ID_MAX] = 0;
    memset (too_long, 'T', CF_ID_MAX + 1);
    too_long [CF_ID_MAX + 1] = 0;
    const struct {
        const char *id;
        bool good;
    } ids [] = {
        { "team:east", true },   { "L-noord", true },     { "a.b_c:d-e", true },
        { "x", true },           { longest, true },       { "0815", true },
        { "team north", false }, { "team/north", false }, { "zoë", false },
        { "tab\tx", false },     { "semi;colon", false }, { "per%cent", false },
        { too_long, false },     { " leading", false },   { "trailing ", false },
        { "new\nline", false },  { "quote\"d", false },   { "star*", false },
    };
    cf_api_client_t *clients [4];
    const cf_fleet_service_t which [4] = { CF_FLEET_INTAKE, CF_FLEET_ASSIGNMENT, CF_FLEET_HANDOVER,
                                           CF_FLEET_NOTIFICATION };
    for (int s = 0; s < 4; s++)
        clients [s] = cf_testclient_new (s_fleet->procs [which [s]].api);

    for (size_t i = 0; i < sizeof ids / sizeof ids [0]; i++) {
        s_answer_t answers [4];
        s_intake_track (clients [0], (int) i, ids [i].id, &answers [0]);
        s_assignment_location (clients [1], ids [i].id, &answers [1]);
        s_handover_provider (clients [2], ids [i].id, &answers [2]);
        s_notification_reminders (clients [3], ids [i].id, &answers [3]);
        for (int s = 0; s < 4; s++) {
            const s_answer_t *answer = &answers [s];
            if (ids [i].good && answer->code != S_OK)
                fail_msg ("%s refused the id \"%s\": %s %s", services [s], ids [i].id,
                          answer->field, answer->message);
            if (ids [i].good)
                continue;
            if (answer->code != S_INVALID || strcmp (answer->field, fields [s]) != 0)
                fail_msg ("%s answered the id \"%s\" with %d %s: %s", services [s], ids [i].id,
                          answer->code, answer->field, answer->message);
            //  One message at every service, quoting no value.
            assert_string_equal (s_after_name (answer), "is not an id: " CF_ID_RULE);
            assert_string_equal (s_after_name (answer), s_after_name (&answers [0]));
        }
    }
    //  A required id left empty: one message too (notification's filter is
    //  optional, so it lists everything).
    s_answer_t answers [4];
    s_intake_track (clients [0], 99, "", &answers [0]);
    s_assignment_location (clients [1], "", &answers [1]);
    s_handover_provider (clients [2], "", &answers [2]);
    s_notification_reminders (clients [3], "", &answers [3]);
    for (int s = 0; s < 3; s++) {
        assert_int_equal (answers [s].code, S_INVALID);
        assert_string_equal (answers [s].field, fields [s]);
        assert_string_equal (s_after_name (&answers [s]), "is required");
    }
    assert_int_equal (answers [3].code, S_OK);
    for (int s = 0; s < 4; s++)
        cf_api_client_destroy (&clients [s]);
}

//  Reminder ids: notification's acknowledge and intake's recorded callback
//  take them by one rule too.
static void
s_reminder_ids (void)
{
    cf_api_client_t *intake = cf_testclient_new (s_fleet->procs [CF_FLEET_INTAKE].api);
    cf_api_client_t *notification = cf_testclient_new (s_fleet->procs [CF_FLEET_NOTIFICATION].api);
    const struct {
        const char *id;
        bool good;
    } ids [] = {
        { "callback/C000999/2", true },  { "handover-deadline/H000009/14d", true },
        { "callback C000999", false },   { "callback//2", false },
        { "/callback/C000999", false },  { "callback/C000999/", false },
        { "callback/C00é999/2", false },
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids [0]; i++) {
        Caseflow__V1__Intake__RecordCallback callback = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
        callback.case_id = "C000999";
        callback.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
        callback.reminder_id = (char *) ids [i].id;
        Caseflow__V1__Intake__Command body = CASEFLOW__V1__INTAKE__COMMAND__INIT;
        body.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
        body.record_callback = &callback;
        Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
        command.intake = &body;
        s_answer_t at_intake, at_notification;
        s_keep (cf_testclient_command (intake, NULL, &command), &at_intake);

        Caseflow__V1__Notification__Acknowledge ack = CASEFLOW__V1__NOTIFICATION__ACKNOWLEDGE__INIT;
        ack.reminder_id = (char *) ids [i].id;
        ack.by = "test";
        Caseflow__V1__Notification__Command nbody = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
        nbody.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE;
        nbody.acknowledge = &ack;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
        command.notification = &nbody;
        s_keep (cf_testclient_command (notification, NULL, &command), &at_notification);

        //  A good id names nothing here: not found (the case at intake, the
        //  reminder at notification); a bad one is refused alike.
        Caseflow__V1__Status__Code want = ids [i].good ? S_MISSING : S_INVALID;
        if (at_intake.code != want || at_notification.code != want)
            fail_msg ("reminder id \"%s\": intake %d (%s), notification %d (%s), want %d",
                      ids [i].id, at_intake.code, at_intake.message, at_notification.code,
                      at_notification.message, want);
        if (!ids [i].good) {
            assert_string_equal (at_intake.field, "command.intake.record_callback.reminder_id");
            assert_string_equal (at_notification.field,
                                 "command.notification.acknowledge.reminder_id");
            assert_string_equal (at_intake.message,
                                 "reminder_id is not a reminder id: " CF_REMINDER_ID_RULE);
            assert_string_equal (at_notification.message, at_intake.message);
        }
    }
    cf_api_client_destroy (&intake);
    cf_api_client_destroy (&notification);
}

//  ------------------------------------------- a location both ways, by CLI

#define S_DO(...) CF_FLEET_DO (s_fleet, __VA_ARGS__)

static void
s_expect_out (const char *text)
{
    if (!strstr (s_fleet->out, text))
        fail_msg ("expected %s in: %s", text, s_fleet->out);
}

//  The whole file at `path`, NUL-terminated (free with free).
static char *
s_slurp (const char *path)
{
    FILE *file = fopen (path, "r");
    assert_non_null (file);
    static char buf [1 << 16];
    size_t size = fread (buf, 1, sizeof buf - 1, file);
    fclose (file);
    buf [size] = 0;
    return strdup (buf);
}

static void
s_locations_both_ways (const char *ctl_errors)
{
    //  Assignment first: team:north, and a worker there.
    S_DO ("assignment", "location", "add", "--id", "team:north", "--name", "Team Noord");
    S_DO ("assignment", "worker", "add", "--id", "w-north", "--name", "Noor Smits", "--fte", "1.0",
          "--location", "team:north", "--expertise", "debt");
    S_DO ("intake", "register", "--name", "Anna de Vries", "--channel", "walk-in", "--location",
          "team:north", "--domain", "debt", "--urgency", "regular", "--reason", "letters");
    S_DO ("status", "--settle");
    S_DO ("--json", "intake", "show", "C000001");
    s_expect_out ("\"location\":\"team:north\"");
    s_expect_out ("\"worker_id\":\"w-north\"");

    //  Intake first: a walk-in at team:south, which assignment learns of
    //  later; the case waits until it does.
    S_DO ("intake", "register", "--name", "Bram Bakker", "--channel", "walk-in", "--location",
          "team:south", "--domain", "housing", "--urgency", "regular", "--reason", "rent");
    S_DO ("status", "--settle");
    S_DO ("--json", "intake", "show", "C000002");
    s_expect_out ("\"location\":\"team:south\"");
    s_expect_out ("\"worker_id\":null");
    S_DO ("assignment", "location", "add", "--id", "team:south", "--name", "Team Zuid");
    S_DO ("assignment", "worker", "add", "--id", "w-south", "--name", "Sanne Zuidema", "--fte",
          "1.0", "--location", "team:south", "--expertise", "housing");
    S_DO ("status", "--settle");
    S_DO ("--json", "intake", "show", "C000002");
    s_expect_out ("\"worker_id\":\"w-south\"");

    //  A bad id, refused alike by intake and assignment on the command line.
    assert_int_equal (cf_testfleet_ctl (s_fleet, "assignment", "location", "add", "--id",
                                        "team west", "--name", "Team West", NULL),
                      1);
    assert_int_equal (cf_testfleet_ctl (s_fleet, "intake", "register", "--name", "Cor Dekker",
                                        "--channel", "walk-in", "--location", "team west",
                                        "--domain", "debt", NULL),
                      1);
    char *errors = s_slurp (ctl_errors);
    if (!strstr (
            errors,
            "command.assignment.add_location.location_id: location_id is not an id: " CF_ID_RULE)
        || !strstr (errors, "command.intake.register.location: location is not an id: " CF_ID_RULE)
        || strstr (errors, "team west"))
        fail_msg ("caseflowctl's refusals: %s", errors);
    free (errors);
}

static void
test_one_vocabulary (void **unused)
{
    (void) unused;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          NULL };
    s_fleet = cf_testfleet_new ("vocabulary", flags);
    char ctl_errors [512];
    snprintf (ctl_errors, sizeof ctl_errors, "%s/caseflowctl.err", s_fleet->dir);
    s_fleet->stderr_path = ctl_errors;
    cf_testfleet_start (s_fleet, true);
    s_locations_both_ways (ctl_errors);
    s_ids_everywhere ();
    s_reminder_ids ();
    cf_testfleet_stop (s_fleet);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_teardown (test_one_vocabulary, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
