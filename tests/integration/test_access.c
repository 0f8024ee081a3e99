//  test_access: accountability on the real services (docs/privacy.md,
//  "Accountability"): who made each event happen, who read whose personal
//  data, and a resident's export.
//
//  Without keys (the four services on loopback, cf_testfleet, manual
//  clock), driven by caseflowctl:
//    - events carry the actor "local" for what a command decided, the
//      person named with --on-behalf-of, and the service's own name for
//      what it decided by itself (intake's case for a completed handover,
//      notification's reminders);
//    - every read of personal data is in the access log of the service that
//      answered (intake show and find, handover show and list, the export),
//      and nothing else is (intake list, counts, tracks, handover progress,
//      commands); access-log filters by case, handover, reader and period;
//    - `resident export` gives CLI.md's keys with the resident's cases, the
//      handover they came from, their reminders and the reads of their data,
//      its own reads included, by case and by handover alike;
//    - the access log is outside the streams: reading emits nothing (no new
//      seq, the same digest, nothing published on the events sockets), and
//      it survives a restart while the digest stays as it was.
//  With CURVE keys (a key set with a proxy key, "console"):
//    - the actor is the key's name;
//    - on_behalf_of from the operator's or a service's key is refused
//      PERMISSION_DENIED naming the field, and nothing is decided;
//    - the proxy's on_behalf_of goes into the event and the access record
//      (who console, role proxy).
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
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define R1_NAME "Hendrika Ploegmakers"
#define R1_BSN  "274819351"
#define H1_NAME "Teunis van Gelderen"
#define H1_BSN  "820461970"

//  caseflowctl ARGS must succeed.
//  ------------------------------------------------------------- helpers

//  caseflowctl's output as JSON (a fresh value; fails when it is none).
static json_t *
s_json (cf_testfleet_t *fleet)
{
    json_error_t error;
    json_t *value = json_loads (fleet->out, 0, &error);
    if (!value)
        fail_msg ("not JSON (%s): %s", error.text, fleet->out);
    return value;
}

//  caseflowctl --json ARGS (NULL-terminated), which must succeed, as JSON.
static json_t *
s_ctl_json (cf_testfleet_t *fleet, ...)
{
    const char *args [40] = { "--json" };
    size_t count = 1;
    va_list list;
    va_start (list, fleet);
    const char *word;
    while ((word = va_arg (list, const char *)) && count < 39)
        args [count++] = word;
    va_end (list);
    args [count] = NULL;
    int rc = cf_testfleet_ctlv (fleet, args);
    if (rc != 0)
        fail_msg ("caseflowctl %s %s exited %d: %s", args [1], args [2], rc, fleet->out);
    return s_json (fleet);
}
#define S_JSON(fleet, ...) s_ctl_json (fleet, __VA_ARGS__, NULL)

static const char *
s_text (const json_t *object, const char *key)
{
    const char *text = json_string_value (json_object_get (object, key));
    return text ? text : "";
}

//  Asserts that the access records in `list` are, in order, the actions
//  and ids of `expected` ("action id" each, the id a case or handover id;
//  NULL-terminated).
static void
s_assert_reads (const json_t *list, const char *const *expected)
{
    size_t count = 0;
    while (expected [count])
        count++;
    if (json_array_size (list) != count) {
        char *text = json_dumps (list, 0);
        fail_msg ("expected %zu reads, got %zu: %s", count, json_array_size (list), text);
    }
    for (size_t i = 0; i < count; i++) {
        const json_t *record = json_array_get (list, i);
        char got [160];
        snprintf (got, sizeof got, "%s %s", s_text (record, "action"),
                  *s_text (record, "case_id") ? s_text (record, "case_id")
                                              : s_text (record, "handover_id"));
        if (strcmp (got, expected [i]) != 0)
            fail_msg ("read %zu is \"%s\", expected \"%s\"", i, got, expected [i]);
    }
}

//  Every event of `stream` from its api at `endpoint` (with `keys`, or
//  plaintext), in one replay batch (free with
//  caseflow__v1__reply__free_unpacked; the batch is reply->replay).
static Caseflow__V1__Reply *
s_replay (const char *endpoint, cf_keys_t *keys, const char *stream)
{
    cf_api_client_t *client = cf_api_client_new_secure (endpoint, 5000, 2, keys, stream);
    assert_non_null (client);
    cf_testreq_t req;
    cf_testreq_replay (&req, stream, 1, 10000, 0);
    Caseflow__V1__Reply *reply = cf_api_client_call (client, &req.request, NULL);
    cf_api_client_destroy (&client);
    assert_non_null (reply);
    cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_non_null (reply->replay);
    return reply;
}

//  The first event of `batch` with body `body` (and case `case_id`, unless
//  NULL), or a failure.
static const Caseflow__V1__Event *
s_event (const Caseflow__V1__ReplayBatch *batch, Caseflow__V1__Event__BodyCase body,
         const char *case_id)
{
    for (size_t i = 0; i < batch->n_events; i++) {
        const Caseflow__V1__Event *event = batch->events [i];
        if (event->body_case == body && (!case_id || strcmp (event->case_id, case_id) == 0))
            return event;
    }
    fail_msg ("no event %d%s%s on %s", body, case_id ? " of " : "", case_id ? case_id : "",
              batch->stream);
    return NULL;
}

static void
s_assert_actor (const Caseflow__V1__Event *event, const char *actor, const char *on_behalf_of)
{
    if (strcmp (event->actor, actor) != 0 || strcmp (event->on_behalf_of, on_behalf_of) != 0)
        fail_msg ("%s seq %llu: actor \"%s\" for \"%s\", expected \"%s\" for \"%s\"", event->stream,
                  (unsigned long long) event->seq, event->actor, event->on_behalf_of, actor,
                  on_behalf_of);
}

//  A handover announced, met, decided "continue" and completed: intake
//  makes a case of it.
static void
s_complete_handover (cf_testfleet_t *fleet)
{
    CF_FLEET_DO (fleet, "handover", "provider", "add", "--id", "P1", "--name", "Zorggroep Oost");
    CF_FLEET_DO (fleet, "handover", "announce", "--provider", "P1", "--name", H1_NAME, "--bsn",
                 H1_BSN, "--birth-date", "1958-02-11", "--domain", "mental-health");
    CF_FLEET_DO (fleet, "handover", "plan", "H000001", "--at", "2022-01-03T09:30", "--participant",
                 "provider");
    CF_FLEET_DO (fleet, "handover", "held", "H000001");
    CF_FLEET_DO (fleet, "handover", "decide", "H000001", "--next", "continue", "--note",
                 "continues");
    CF_FLEET_DO (fleet, "handover", "files", "H000001", "--document", "support plan");
    CF_FLEET_DO (fleet, "handover", "complete", "H000001");
    CF_FLEET_DO (fleet, "status", "--settle");
}

//  A SUB on every events socket, to see what the services publish.
typedef struct {
    zsock_t *subs [CF_FLEET_COUNT];
} s_watch_t;

static void
s_watch_start (s_watch_t *self, cf_testfleet_t *fleet)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        self->subs [i] = zsock_new_sub (fleet->procs [i].events, "");
        assert_non_null (self->subs [i]);
    }
    //  A heartbeat from each: every subscription is in place.
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        zsock_set_rcvtimeo (self->subs [i], 5000);
        zmsg_t *msg = zmsg_recv (self->subs [i]);
        assert_non_null (msg);
        zmsg_destroy (&msg);
    }
}

//  Fails if anything but heartbeats was published since the start.
static void
s_watch_assert_quiet (s_watch_t *self)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        zsock_set_rcvtimeo (self->subs [i], 0);
        zmsg_t *msg;
        while ((msg = zmsg_recv (self->subs [i]))) {
            char *topic = zmsg_popstr (msg);
            bool heartbeat = topic && strstr (topic, "$heartbeat") != NULL;
            char seen [128];
            snprintf (seen, sizeof seen, "%s", topic ? topic : "(none)");
            free (topic);
            zmsg_destroy (&msg);
            if (!heartbeat)
                fail_msg ("%s published %s while only reads were made", cf_testfleet_name (i),
                          seen);
        }
    }
}

//  The digest and last seq of a service.
static uint64_t
s_digest (cf_testfleet_t *fleet, cf_fleet_service_t service, char sha [65])
{
    cf_api_client_t *client = cf_testclient_new (fleet->procs [service].api);
    cf_testclient_digest (client, sha);
    Caseflow__V1__Reply *reply = cf_testclient_status (client);
    uint64_t last_seq = reply->query->status->last_seq;
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
    return last_seq;
}

//  ----------------------------------------------------- without keys

static void
s_check_actors (cf_testfleet_t *fleet)
{
    Caseflow__V1__Reply *intake = s_replay (fleet->procs [CF_FLEET_INTAKE].api, NULL, "intake");
    s_assert_actor (s_event (intake->replay, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED, "C000001"),
                    "local", "");
    s_assert_actor (s_event (intake->replay, CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED, "C000001"),
                    "local", "j.devries");
    //  The handover's case: intake's own decision on handover's event.
    s_assert_actor (s_event (intake->replay, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED, "C000002"),
                    "intake", "");
    caseflow__v1__reply__free_unpacked (intake, NULL);
    Caseflow__V1__Reply *handover =
        s_replay (fleet->procs [CF_FLEET_HANDOVER].api, NULL, "handover");
    s_assert_actor (s_event (handover->replay, CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED, NULL),
                    "local", "");
    caseflow__v1__reply__free_unpacked (handover, NULL);
    Caseflow__V1__Reply *notification =
        s_replay (fleet->procs [CF_FLEET_NOTIFICATION].api, NULL, "notification");
    s_assert_actor (
        s_event (notification->replay, CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED, NULL),
        "notification", "");
    caseflow__v1__reply__free_unpacked (notification, NULL);
}

//  Reads of every kind, at 10:00, 11:00 and 12:00 by the manual clock;
//  queries that show no personal data in between.
static void
s_read (cf_testfleet_t *fleet)
{
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-03T10:00");
    CF_FLEET_DO (fleet, "intake", "show", "C000001");
    CF_FLEET_DO (fleet, "intake", "find", "--bsn", R1_BSN);
    CF_FLEET_DO (fleet, "intake", "list");
    CF_FLEET_DO (fleet, "intake", "counts");
    CF_FLEET_DO (fleet, "intake", "track", "list");
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-03T11:00");
    CF_FLEET_DO (fleet, "handover", "show", "H000001");
    CF_FLEET_DO (fleet, "handover", "list");
    CF_FLEET_DO (fleet, "handover", "progress");
    CF_FLEET_DO (fleet, "reminders", "--all");
    CF_FLEET_DO (fleet, "--on-behalf-of", "k.jansen", "intake", "show", "C000002");
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-03T12:00");
    json_t *export = S_JSON (fleet, "resident", "export", "C000001");
    json_decref (export);
}

static void
s_check_access_log (cf_testfleet_t *fleet)
{
    json_t *all = S_JSON (fleet, "access-log");
    //  First intake's own: the completed handover's transit key, which
    //  opens its resident's data, handed to intake at 09:00.
    s_assert_reads (all, (const char *[]){ "get_transit_key H000001", "get_case C000001",
                                           "find_resident C000001", "get_handover H000001",
                                           "list_handovers H000001", "get_case C000002",
                                           "export_resident C000001", NULL });
    const json_t *adoption = json_array_get (all, 0);
    assert_string_equal (s_text (adoption, "who"), "local");
    assert_string_equal (s_text (adoption, "service"), "handover");
    assert_non_null (strstr (s_text (adoption, "at"), "2022-01-03T09:00"));
    //  Each record says who, with which role, for whom, when, answering
    //  which request, in which service.
    const json_t *first = json_array_get (all, 1);
    assert_string_equal (s_text (first, "who"), "local");
    assert_true (json_is_null (json_object_get (first, "role")));
    assert_true (json_is_null (json_object_get (first, "on_behalf_of")));
    assert_string_equal (s_text (first, "service"), "intake");
    assert_non_null (strstr (s_text (first, "at"), "2022-01-03T10:00"));
    assert_true (strlen (s_text (first, "query")) > 0);
    assert_true (strncmp (s_text (first, "subject"), "S", 1) == 0);
    assert_string_equal (s_text (json_array_get (all, 3), "service"), "handover");
    assert_string_equal (s_text (json_array_get (all, 5), "on_behalf_of"), "k.jansen");
    json_decref (all);

    json_t *list = S_JSON (fleet, "access-log", "--case", "C000001");
    s_assert_reads (list, (const char *[]){ "get_case C000001", "find_resident C000001",
                                            "export_resident C000001", NULL });
    json_decref (list);
    list = S_JSON (fleet, "access-log", "--handover", "H000001");
    s_assert_reads (list, (const char *[]){ "get_transit_key H000001", "get_handover H000001",
                                            "list_handovers H000001", NULL });
    json_decref (list);
    list = S_JSON (fleet, "access-log", "--by", "k.jansen");
    s_assert_reads (list, (const char *[]){ "get_case C000002", NULL });
    json_decref (list);
    list = S_JSON (fleet, "access-log", "--by", "someone-else");
    s_assert_reads (list, (const char *[]){ NULL });
    json_decref (list);
    list = S_JSON (fleet, "access-log", "--from", "2022-01-03T10:30", "--to", "2022-01-03T11:30");
    s_assert_reads (list, (const char *[]){ "get_handover H000001", "list_handovers H000001",
                                            "get_case C000002", NULL });
    json_decref (list);
    //  A bad filter is refused naming it.
    assert_int_equal (cf_testfleet_ctl (fleet, "access-log", "--from", "2022-01-03T12:00", "--to",
                                        "2022-01-03T11:00", NULL),
                      1);
    //  The text form: a table with a row per read.
    CF_FLEET_DO (fleet, "access-log", "--case", "C000001");
    assert_non_null (strstr (fleet->out, "export_resident"));
}

static void
s_check_export (cf_testfleet_t *fleet)
{
    json_t *export = S_JSON (fleet, "resident", "export", "C000002");
    const char *keys [] = { "subject", "cases", "handovers", "reminders", "access_log" };
    for (size_t k = 0; k < 5; k++)
        if (!json_object_get (export, keys [k]))
            fail_msg ("the export has no key %s", keys [k]);
    const char *subject = s_text (export, "subject");
    assert_true (subject [0] == 'S');
    const json_t *cases = json_object_get (export, "cases");
    assert_int_equal (json_array_size (cases), 1);
    const json_t *kase = json_array_get (cases, 0);
    assert_string_equal (s_text (kase, "case_id"), "C000002");
    assert_string_equal (s_text (kase, "channel"), "handover");
    assert_string_equal (s_text (json_object_get (kase, "resident"), "name"), H1_NAME);
    const json_t *handovers = json_object_get (export, "handovers");
    assert_int_equal (json_array_size (handovers), 1);
    assert_string_equal (s_text (json_array_get (handovers, 0), "handover_id"), "H000001");
    assert_non_null (strstr (fleet->out, H1_BSN));
    //  The case's callback reminder.
    const json_t *reminders = json_object_get (export, "reminders");
    assert_true (json_array_size (reminders) >= 1);
    assert_string_equal (s_text (json_array_get (reminders, 0), "case_id"), "C000002");
    //  Who read them, the export's own reads last.
    s_assert_reads (json_object_get (export, "access_log"),
                    (const char *[]){ "get_transit_key H000001", "get_handover H000001",
                                      "list_handovers H000001", "get_case C000002",
                                      "export_resident C000002", "get_handover H000001", NULL });
    //  The same resident by the handover they came from.
    json_t *again = S_JSON (fleet, "resident", "export", "--handover", "H000001");
    assert_string_equal (s_text (again, "subject"), subject);
    assert_int_equal (json_array_size (json_object_get (again, "cases")), 1);
    json_decref (again);
    json_decref (export);
    //  Named by exactly one of case, handover and subject.
    assert_int_equal (
        cf_testfleet_ctl (fleet, "resident", "export", "C000001", "--subject", subject, NULL), 2);
    assert_int_equal (cf_testfleet_ctl (fleet, "resident", "export", "C000099", NULL), 1);
}

//  What a test made, for the teardown to undo whatever happened.
typedef struct {
    cf_testfleet_t *fleet;
    s_watch_t watch;
} s_fixture_t;

static int
s_setup (void **state)
{
    s_fixture_t *fx = calloc (1, sizeof *fx);
    assert_non_null (fx);
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *fx = *state;
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        zsock_destroy (&fx->watch.subs [i]);
    cf_testfleet_destroy (&fx->fleet);
    free (fx);
    return 0;
}

static void
test_without_keys (void **state)
{
    s_fixture_t *fx = *state;
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          NULL };
    cf_testfleet_t *fleet = fx->fleet = cf_testfleet_new ("access", flags);
    cf_testfleet_start (fleet, true);
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-03T09:00");
    CF_FLEET_DO (fleet, "intake", "register", "--name", R1_NAME, "--channel", "phone", "--bsn",
                 R1_BSN, "--domain", "debt");
    CF_FLEET_DO (fleet, "--on-behalf-of", "j.devries", "intake", "triage", "C000001", "--urgency",
                 "regular", "--reason", "letters from the bailiff");
    s_complete_handover (fleet);
    s_check_actors (fleet);

    char intake_sha [65], handover_sha [65], sha [65];
    uint64_t intake_seq = s_digest (fleet, CF_FLEET_INTAKE, intake_sha);
    uint64_t handover_seq = s_digest (fleet, CF_FLEET_HANDOVER, handover_sha);
    s_watch_start (&fx->watch, fleet);
    //  The clock moves are commands (they fire nothing here); the reads
    //  emit nothing and publish nothing.
    s_read (fleet);
    s_check_access_log (fleet);
    s_check_export (fleet);
    s_watch_assert_quiet (&fx->watch);
    assert_int_equal (s_digest (fleet, CF_FLEET_INTAKE, sha), intake_seq);
    assert_string_equal (sha, intake_sha);
    assert_int_equal (s_digest (fleet, CF_FLEET_HANDOVER, sha), handover_seq);
    assert_string_equal (sha, handover_sha);

    //  Durable, and outside the journal: after a restart the reads are
    //  there and the state is the same.
    cf_testfleet_stop (fleet);
    cf_testfleet_start (fleet, false);
    json_t *list = S_JSON (fleet, "access-log", "--case", "C000001");
    s_assert_reads (list, (const char *[]){ "get_case C000001", "find_resident C000001",
                                            "export_resident C000001", NULL });
    json_decref (list);
    assert_int_equal (s_digest (fleet, CF_FLEET_INTAKE, sha), intake_seq);
    assert_string_equal (sha, intake_sha);
    cf_testfleet_stop (fleet);
}

//  ------------------------------------------------------- with keys

//  Runs caseflowctl as the key `key_name` of the set `keys` (naming
//  `on_behalf_of` when not NULL) with `args` (NULL-terminated); returns its
//  exit status, its output in fleet->out.
static int
s_ctl_keys (cf_testfleet_t *fleet, const char *keys, const char *key_name, const char *on_behalf_of,
            const char *const *args)
{
    const char *argv [40] = { "--keys-dir", keys, "--key-name", key_name };
    size_t argc = 4;
    if (on_behalf_of) {
        argv [argc++] = "--on-behalf-of";
        argv [argc++] = on_behalf_of;
    }
    for (size_t i = 0; args [i]; i++)
        argv [argc++] = args [i];
    argv [argc] = NULL;
    return cf_testfleet_ctlv (fleet, argv);
}

static void
test_with_keys (void **state)
{
    s_fixture_t *fx = *state;
    static char keys_flag [440];
    static const char *flags [4] = { "--clock=manual", "--clock-start=2022-01-03T08:00", keys_flag,
                                     NULL };
    cf_testfleet_t *fleet = fx->fleet = cf_testfleet_new ("access-keys", flags);
    char keys [400], errors [460];
    snprintf (keys, sizeof keys, "%s/keys", fleet->dir);
    snprintf (keys_flag, sizeof keys_flag, "--keys-dir=%s", keys);
    snprintf (errors, sizeof errors, "%s/caseflowctl.err", fleet->dir);
    fleet->stderr_path = errors;
    //  The default key set holds the console's proxy key.
    assert_int_equal (cf_testfleet_ctl (fleet, "keys", "generate", "--dir", keys, NULL), 0);
    cf_testfleet_start (fleet, true);

    assert_int_equal (
        s_ctl_keys (fleet, keys, "operator", NULL,
                    (const char *[]){ "intake", "register", "--name", R1_NAME, "--channel", "phone",
                                      "--domain", "debt", NULL }),
        0);
    const char *triage [] = { "intake",  "triage",   "C000001",      "--urgency",
                              "regular", "--reason", "rent arrears", NULL };
    //  Only a proxy names the person it acts for: not the operator, not a
    //  service; and nothing is decided.
    assert_int_equal (s_ctl_keys (fleet, keys, "operator", "j.devries", triage), 1);
    cf_test_assert_logged (errors, "permission_denied: on_behalf_of");
    assert_int_equal (s_ctl_keys (fleet, keys, "handover", "j.devries", triage), 1);
    assert_int_equal (s_ctl_keys (fleet, keys, "console", "j.devries", triage), 0);
    assert_int_equal (s_ctl_keys (fleet, keys, "console", "j.devries",
                                  (const char *[]){ "intake", "show", "C000001", NULL }),
                      0);

    cf_keys_t *operator= cf_keys_load (keys, "operator", NULL);
    assert_non_null (operator);
    Caseflow__V1__Reply *intake = s_replay (fleet->procs [CF_FLEET_INTAKE].api, operator, "intake");
    s_assert_actor (s_event (intake->replay, CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED, "C000001"),
                    "operator", "");
    size_t triaged = 0;
    for (size_t i = 0; i < intake->replay->n_events; i++)
        if (intake->replay->events [i]->body_case == CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED) {
            s_assert_actor (intake->replay->events [i], "console", "j.devries");
            triaged++;
        }
    assert_int_equal (triaged, 1);
    caseflow__v1__reply__free_unpacked (intake, NULL);
    cf_keys_destroy (&operator);

    assert_int_equal (
        s_ctl_keys (fleet, keys, "operator", NULL,
                    (const char *[]){ "--json", "access-log", "--by", "j.devries", NULL }),
        0);
    json_t *list = s_json (fleet);
    s_assert_reads (list, (const char *[]){ "get_case C000001", NULL });
    const json_t *record = json_array_get (list, 0);
    assert_string_equal (s_text (record, "who"), "console");
    assert_string_equal (s_text (record, "role"), "proxy");
    assert_string_equal (s_text (record, "on_behalf_of"), "j.devries");
    json_decref (list);
    cf_testfleet_stop (fleet);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_without_keys, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_with_keys, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
