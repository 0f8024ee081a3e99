//  test_webhook_parked: a webhook event the gateway parks becomes one
//  operator alert from notification, and stays one across a restart.
//
//  A real caseflow-gateway follows four stand-in streams (cf_teststreams)
//  with --webhook-attempts=1 and no age limit, so the first failure parks
//  an event. A real caseflow-notification follows the stand-ins for
//  intake, assignment and handover and the real gateway. The sink answers
//  the handshake, then 500 for the first POST and 204 after: event 1 of
//  "intake" is parked and event 2 passes. notification fires exactly one
//  ReminderDue of kind webhook-parked (subscription, stream and seq in its
//  fields), `caseflowctl reminders --kind webhook-parked` shows it, and
//  after notification is stopped and started again (the gateway parking
//  nothing new) its stream still holds that one alert.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_id.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testproc.h"
#include "cf_testsink.h"
#include "cf_teststreams.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN "Xq7vR2mK9pL4wZ8nB3cT6yH1dF5sJ0gA"
#define S_TYPE  "nl.sociaal-domein.intake.counter-incremented"

typedef struct {
    char *dir;
    cf_teststreams_t streams;
    cf_testproc_t gateway;
    cf_testproc_t notification;
    char gateway_flags [2][96];
} s_world_t;

static void
s_start_notification (s_world_t *world, bool first)
{
    //  The stand-ins for intake, assignment and handover (not the
    //  stand-in notification), and the real gateway.
    const char *extra [12];
    int at = 0;
    for (int i = 0; i < 6; i++)
        extra [at++] = world->streams.flags [i];
    extra [at++] = world->gateway_flags [0];
    extra [at++] = world->gateway_flags [1];
    extra [at] = NULL;
    if (!cf_testclient_start (&world->notification, extra, first, 30000)) {
        cf_test_dump_log (world->notification.log_path);
        fail_msg ("caseflow-notification did not turn ready");
    }
}

//  How many ReminderDue events with `id` notification's stream holds.
static size_t
s_alerts (s_world_t *world, const char *id)
{
    cf_api_client_t *client = cf_testclient_new (world->notification.api);
    cf_testreq_t req;
    cf_testreq_replay (&req, "notification", 1, 10000, 0);
    Caseflow__V1__Reply *reply = cf_testclient_call (client, &req);
    cf_api_client_destroy (&client);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_non_null (reply->replay);
    size_t count = 0;
    for (size_t i = 0; i < reply->replay->n_events; i++) {
        const Caseflow__V1__Event *event = reply->replay->events [i];
        if (event->body_case != CASEFLOW__V1__EVENT__BODY_REMINDER_DUE)
            continue;
        const Caseflow__V1__Notification__Reminder *r = event->reminder_due->reminder;
        if (strcmp (r->reminder_id, id) != 0)
            continue;
        assert_int_equal (r->kind,
                          CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WEBHOOK_PARKED);
        assert_string_equal (r->stream, "intake");
        assert_int_equal (r->number, 1);
        assert_string_equal (r->target, "operators");
        count++;
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return count;
}

static void
test_parked_event_alerts_once (void **state)
{
    (void) state;
    s_world_t *world = calloc (1, sizeof *world);
    world->dir = cf_test_tmpdir ("webhook-parked");
    cf_teststreams_start (&world->streams, world->dir, NULL);
    cf_api_client_t *intake = cf_testclient_new (world->streams.procs [0].api);

    char data_dir [512];
    snprintf (data_dir, sizeof data_dir, "%s/gateway", world->dir);
    cf_testproc_init (&world->gateway, cf_test_binary ("caseflow-gateway"), data_dir);
    world->gateway.die_with_parent = true;
    const char *extra [24] = { "--webhook-retry-base-ms=40", "--webhook-retry-cap-ms=200",
                               "--webhook-timeout-ms=400", "--webhook-attempts=1",
                               "--webhook-max-age-ms=0" };
    extra [cf_teststreams_add_flags (&world->streams, extra, 5)] = NULL;
    if (!cf_testclient_start (&world->gateway, extra, true, 30000)) {
        cf_test_dump_log (world->gateway.log_path);
        fail_msg ("caseflow-gateway did not turn ready");
    }
    snprintf (world->gateway_flags [0], sizeof world->gateway_flags [0], "--gateway-events=%s",
              world->gateway.events);
    snprintf (world->gateway_flags [1], sizeof world->gateway_flags [1], "--gateway-api=%s",
              world->gateway.api);
    //  Its own directory: the stand-in notification's is <dir>/notification,
    //  and one process writes a store (docs/operations.md).
    snprintf (data_dir, sizeof data_dir, "%s/notification-service", world->dir);
    cf_testproc_init (&world->notification, cf_test_binary ("caseflow-notification"), data_dir);
    world->notification.die_with_parent = true;
    s_start_notification (world, true);

    //  The subscription, verified by its handshake before the events come.
    cf_testsink_t *sink = cf_testsink_new ();
    cf_testsink_script (sink, "500");
    char *types [] = { S_TYPE };
    Caseflow__V1__Gateway__WebhookAdd add = CASEFLOW__V1__GATEWAY__WEBHOOK_ADD__INIT;
    add.sink = (char *) cf_testsink_url (sink);
    add.types = types;
    add.n_types = 1;
    add.token = S_TOKEN;
    Caseflow__V1__Gateway__Command own = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    own.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD;
    own.webhook_add = &add;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_GATEWAY;
    command.gateway = &own;
    cf_api_client_t *gateway = cf_testclient_new (world->gateway.api);
    Caseflow__V1__Reply *reply = cf_testclient_command (gateway, NULL, &command);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    char id [CF_REMINDER_ID_MAX + 1];
    snprintf (id, sizeof id, "webhook-parked/%s/intake/1",
              reply->command->gateway->subscription_added->subscription_id);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&gateway);
    for (int i = 0; i < 200 && cf_testsink_count (sink) < 1; i++)
        cf_test_sleep_ms (25);
    cf_test_sleep_ms (300);

    //  Event 1 meets the 500 and is parked; event 2 passes.
    cf_testclient_increment (intake, "inc-1", "c", 1);
    cf_testclient_increment (intake, "inc-2", "c", 1);
    size_t alerts = 0;
    for (int i = 0; i < 300 && (alerts = s_alerts (world, id)) == 0; i++)
        cf_test_sleep_ms (50);
    assert_int_equal (alerts, 1);

    //  caseflowctl shows it, with its subscription and stream.
    char endpoint [128], out [8192];
    snprintf (endpoint, sizeof endpoint, "--notification=%s", world->notification.api);
    const char *argv [] = { cf_test_binary ("caseflowctl"),
                            endpoint,
                            "--timeout",
                            "3000",
                            "--json",
                            "reminders",
                            "--kind",
                            "webhook-parked",
                            NULL };
    assert_int_equal (cf_test_run (argv, NULL, NULL, out, sizeof out), 0);
    assert_non_null (strstr (out, id));
    assert_non_null (strstr (out, "\"subscription_id\""));
    assert_non_null (strstr (out, "\"stream\""));

    //  Stopped and started again: still that one alert, after a while.
    assert_int_equal (cf_testproc_stop (&world->notification, SIGTERM, 10000), 0);
    s_start_notification (world, false);
    cf_test_sleep_ms (500);
    assert_int_equal (s_alerts (world, id), 1);

    assert_int_equal (cf_testproc_stop (&world->notification, SIGTERM, 10000), 0);
    cf_testproc_destroy (&world->notification);
    assert_int_equal (cf_testproc_stop (&world->gateway, SIGTERM, 10000), 0);
    cf_testproc_destroy (&world->gateway);
    cf_api_client_destroy (&intake);
    cf_teststreams_stop (&world->streams);
    cf_testsink_destroy (&sink);
    cf_test_rmtree (world->dir);
    free (world->dir);
    free (world);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_parked_event_alerts_once),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
