//  test_claims_keys: the claims as the console makes them, end to end with
//  CURVE keys: the four real services on the manual clock, the default
//  key set (its "console" key has the proxy role), caseflowctl as that key
//  naming the person (--on-behalf-of).
//
//  - the proxy claims as the person it names; without a person it is
//    refused (PERMISSION_DENIED, on_behalf_of); a command naming another
//    caller is refused too;
//  - another person may not release the claim; a second caller gets
//    nothing (one caller per resident);
//  - the call recorded at intake on the person's behalf, naming the
//    reminder, completes the claim in notification;
//  - the claim's event carries the proxy's key name as actor and the
//    person as on_behalf_of.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_keys.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
s_expect (cf_testfleet_t *fleet, const char *text)
{
    if (!strstr (fleet->out, text))
        fail_msg ("expected %s in the output: %s", text, fleet->out);
}

//  Runs caseflowctl as key `key_name` of `keys`, for `person` (NULL:
//  nobody), with `args` (NULL-terminated). Returns its exit status.
static int
s_as (cf_testfleet_t *fleet, const char *keys, const char *key_name, const char *person,
      const char *const *args)
{
    const char *argv [40] = { "--keys-dir", keys, "--key-name", key_name };
    size_t argc = 4;
    if (person) {
        argv [argc++] = "--on-behalf-of";
        argv [argc++] = person;
    }
    for (size_t i = 0; args [i] && argc < 39; i++)
        argv [argc++] = args [i];
    argv [argc] = NULL;
    return cf_testfleet_ctlv (fleet, argv);
}

//  Reads notification's stream as the operator: exactly one
//  ReminderClaimed, about C000001, for `person`, its envelope naming
//  `actor` and `person`.
static void
s_assert_claimed_by (cf_testfleet_t *fleet, const char *keys, const char *actor, const char *person)
{
    cf_keys_t *operator= cf_keys_load (keys, "operator", NULL);
    assert_non_null (operator);
    cf_api_client_t *client = cf_api_client_new_secure (fleet->procs [CF_FLEET_NOTIFICATION].api,
                                                        3000, 2, operator, "notification");
    assert_non_null (client);
    cf_testreq_t req;
    cf_testreq_replay (&req, "notification", 1, 10000, 0);
    Caseflow__V1__Reply *reply = cf_testclient_call (client, &req);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    size_t claimed = 0;
    for (size_t i = 0; i < reply->replay->n_events; i++) {
        const Caseflow__V1__Event *event = reply->replay->events [i];
        if (event->body_case != CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED)
            continue;
        assert_string_equal (event->reminder_claimed->caller, person);
        assert_string_equal (event->actor, actor);
        assert_string_equal (event->on_behalf_of, person);
        assert_string_equal (event->case_id, "C000001");
        claimed++;
    }
    assert_int_equal (claimed, 1);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    cf_keys_destroy (&operator);
}

static void
test_console_claims (void **unused)
{
    (void) unused;
    static char keys_flag [440];
    static const char *flags [4] = { "--clock=manual", "--clock-start=2022-01-03T08:00", keys_flag,
                                     NULL };
    cf_testfleet_t *fleet = cf_testfleet_new ("claims-keys", flags);
    char keys [400], errors [460];
    snprintf (keys, sizeof keys, "%s/keys", fleet->dir);
    snprintf (keys_flag, sizeof keys_flag, "--keys-dir=%s", keys);
    snprintf (errors, sizeof errors, "%s/caseflowctl.err", fleet->dir);
    fleet->stderr_path = errors;
    //  The default key set holds the console's key, with the proxy role.
    assert_int_equal (cf_testfleet_ctl (fleet, "keys", "generate", "--dir", keys, NULL), 0);
    cf_testfleet_start (fleet, true);

    //  A waiting case whose first callback falls due on the 17th.
    assert_int_equal (s_as (fleet, keys, "operator", NULL,
                            (const char *[]){ "intake", "register", "--name", "A. Bewoner",
                                              "--channel", "phone", "--domain", "debt", NULL }),
                      0);
    assert_int_equal (s_as (fleet, keys, "operator", NULL,
                            (const char *[]){ "intake", "triage", "C000001", "--urgency", "regular",
                                              "--reason", "rent arrears", NULL }),
                      0);
    assert_int_equal (
        s_as (fleet, keys, "operator", NULL, (const char *[]){ "clock", "advance", "15d", NULL }),
        0);

    //  The proxy names its person, and claims as that person only.
    const char *claim_x [] = { "--json", "reminders", "claim", "--caller", "x.someone", NULL };
    assert_int_equal (s_as (fleet, keys, "console", NULL, claim_x), 1);
    cf_test_assert_logged (errors, "permission_denied: on_behalf_of");
    assert_int_equal (s_as (fleet, keys, "console", "k.jansen", claim_x), 1);
    cf_test_assert_logged (errors, "a request on behalf of k.jansen acts as k.jansen, not as "
                                   "x.someone");
    //  Polled: notification follows intake's triage on its own time.
    int64_t deadline = cf_test_now_ms () + 20000;
    while (true) {
        assert_int_equal (
            s_as (fleet, keys, "console", "k.jansen",
                  (const char *[]){ "--json", "reminders", "claim", "--caller", "k.jansen", NULL }),
            0);
        if (strstr (fleet->out, "callback/C000001/1"))
            break;
        if (cf_test_now_ms () > deadline)
            fail_msg ("no callback to claim: %s", fleet->out);
        cf_test_sleep_ms (100);
    }
    s_expect (fleet, "\"claimed_by\":\"k.jansen\"");
    s_assert_claimed_by (fleet, keys, "console", "k.jansen");

    //  Another caller: nothing for them, and not theirs to release.
    assert_int_equal (
        s_as (fleet, keys, "console", "m.bakker",
              (const char *[]){ "--json", "reminders", "claim", "--caller", "m.bakker", NULL }),
        0);
    assert_string_equal (fleet->out, "null\n");
    assert_int_equal (s_as (fleet, keys, "console", "m.bakker",
                            (const char *[]){ "reminders", "release", "callback/C000001/1", NULL }),
                      1);
    cf_test_assert_logged (errors, "only k.jansen or a team lead releases it");

    //  The call, recorded at intake on k.jansen's behalf, completes it.
    assert_int_equal (
        s_as (fleet, keys, "console", "k.jansen",
              (const char *[]){ "intake", "callback", "C000001", "--outcome", "reached",
                                "--reminder", "callback/C000001/1", NULL }),
        0);
    deadline = cf_test_now_ms () + 20000;
    while (true) {
        assert_int_equal (
            s_as (fleet, keys, "operator", NULL,
                  (const char *[]){ "--json", "reminders", "show", "callback/C000001/1", NULL }),
            0);
        if (strstr (fleet->out, "\"completed_by\":\"k.jansen\""))
            break;
        if (cf_test_now_ms () > deadline)
            fail_msg ("the recorded call did not complete the claim: %s", fleet->out);
        cf_test_sleep_ms (100);
    }
    s_expect (fleet, "\"acknowledged\":true");
    s_expect (fleet, "\"claimed_by\":null");
    cf_testfleet_stop (fleet);
    cf_testfleet_destroy (&fleet);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_console_claims),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
