//  test_erasure: a resident erased in the middle of a four-service
//  scenario is found nowhere afterwards, and nothing else changed
//  (issue 16, "Tests").
//
//  The four real services run on loopback (cf_testfleet) on the manual
//  clock with CURVE keys on every socket, and every connection between
//  them and with caseflowctl goes through a recording relay
//  (cf_testfleet_relay): a capture of the wire. Over four weeks of January
//  2022, played through caseflowctl: locations and workers, a dozen
//  residents registered over every channel with distinctive names, BSNs,
//  phone numbers, birth dates, districts and free texts (questions, triage
//  reasons, callback notes, closing reasons), two of them joining their
//  open case, a handover that becomes a case, triage, callbacks recorded
//  as their reminders fall due, assignment, closure. Then:
//    - before the erasure: `mdb_copy` of every journal (its freed pages
//      too: no compaction), `intake show` and `find` of the resident to
//      erase (they return her name, BSN, phone and birth date: they were
//      stored, sealed), the JSON reports at five past dates and every
//      digest;
//    - the erasure (`resident erase`) of a resident who registered
//      directly, then more of the scenario: a triage reason naming her
//      after she is erased, a worker who takes her case, registrations,
//      the clock two weeks on, her case closed with a reason naming her;
//    - the search: her name, BSN, phone and birth date (case-insensitive,
//      whole and word by word, the numbers also as bare digits:
//      cf_testsearch) in every file under the fleet's directory (journals,
//      key stores, logs, the matching secret), the backups taken before
//      the erasure, the copies the replays below ran on, `/metrics` of
//      every service and the wire capture: found nowhere;
//    - `intake show` reads "erased" in every personal field and `find`
//      finds her no more; the five reports are byte-identical; every
//      digest is the same live, after a restart of all four and after a
//      fresh replay (a copy of the journal in a new directory with an
//      empty key store: intake is then not ready, /readyz 503 naming the subject, its log
//      naming a subject with neither a key nor an erasure record, and
//      gives the same digest); the backups replayed the same way give the
//      digests of before the erasure; erasing again answers the first
//      erasure and adds no event.
//  Controls keep the test able to fail: the search finds her values
//  planted in a scratch file; the same walk finds a worker's name (staff,
//  plain in assignment's journal and its copies downstream) in the
//  journals, the backups and the copies; another resident still reads in
//  full after the erasure; and without CURVE the wire does carry a
//  registration's values: a command holds the resident's data in plain
//  (intake seals it only once it arrives), so only CURVE keeps it off the
//  wire.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"
#include "cf_testsearch.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  ------------------------------------------------------ the residents

//  The resident erased: she registers by phone and joins her case by web.
#define E_NAME     "Evertdina Haverkamp-Zuidgeest"
#define E_BSN      "577463706"
#define E_PHONE    "+31 6 4827 1593"
#define E_BIRTH    "1958-11-29"
#define E_DISTRICT "Noord"
//  The control: registered the same day, never erased.
#define C_NAME  "Gijsbrecht Vanderstoel"
#define C_BSN   "569930406"
#define C_PHONE "+31 6 9031 7745"
#define C_BIRTH "1949-06-08"

//  The erasure's reason is a reference, never a name (docs/privacy.md).
#define S_REASON "AVG-verzoek 2022/0193, bewaarplicht afgewogen"

//  The past dates of the reports, all before the erasure.
static const char *const s_dates [] = { "2022-01-04", "2022-01-06T12:00", "2022-01-11",
                                        "2022-01-14T17:30", "2022-01-18T16:00" };
#define S_DATES (sizeof s_dates / sizeof s_dates [0])

//  ------------------------------------------------------ the fixture

static struct {
    cf_testfleet_t *fleet;
    char keys [400];       //  the CURVE key set
    char keys_flag [420];  //  --keys-dir=..., for the services and caseflowctl
    char *backups;         //  mdb_copy of each journal before the erasure
    char *replays;         //  the copies fresh replays run on
    char *plain;           //  the control without CURVE, and the scratch file
    char erased_case [16], control_case [16];
    char *reports [S_DATES];
    char *digests_before;  //  `--json digest` just before the erasure
    char *digests_live;    //  and at the end
    cf_testsearch_t *search;
} s_fx;

//  Runs caseflowctl with the key set and `args` (NULL-terminated); its
//  exit status, stdout in the fleet's `out`.
static int
s_ctlv (const char *const *args)
{
    const char *argv [64] = { s_fx.keys_flag };
    size_t count = 1;
    for (size_t i = 0; args [i]; i++) {
        assert_true (count < 63);
        argv [count++] = args [i];
    }
    argv [count] = NULL;
    return cf_testfleet_ctlv (s_fx.fleet, argv);
}

//  caseflowctl ARGS must succeed.
#define S_DO(...)                                                                          \
    do {                                                                                   \
        int rc_ = s_ctlv ((const char *const []){ __VA_ARGS__, NULL });                    \
        if (rc_ != 0)                                                                      \
            fail_msg ("caseflowctl %s exited %d: %s", #__VA_ARGS__, rc_, s_fx.fleet->out); \
    } while (0)

//  Waits until every service has applied what its upstreams committed.
#define S_SETTLE() S_DO ("status", "--settle")

static void
s_expect (const char *text)
{
    if (!strstr (s_fx.fleet->out, text))
        fail_msg ("expected %s in: %s", text, s_fx.fleet->out);
}

//  The string value of `key` in caseflowctl's JSON output, into `buf`.
static void
s_json_string (const char *key, char *buf, size_t size)
{
    char pattern [64];
    snprintf (pattern, sizeof pattern, "\"%s\":\"", key);
    const char *at = strstr (s_fx.fleet->out, pattern);
    if (!at)
        fail_msg ("no %s in: %s", key, s_fx.fleet->out);
    at += strlen (pattern);
    size_t len = strcspn (at, "\"");
    assert_true (len < size);
    memcpy (buf, at, len);
    buf [len] = 0;
}

//  The object of `service` in a `--json digest` output (a new string).
static char *
s_digest_of (const char *digests, const char *service)
{
    char pattern [64];
    snprintf (pattern, sizeof pattern, "{\"service\":\"%s\"", service);
    const char *at = strstr (digests, pattern);
    if (!at)
        fail_msg ("no digest of %s in: %s", service, digests);
    return strndup (at, strcspn (at, "}") + 1);
}

//  `mdb_copy SOURCE TARGET` (TARGET is made): every page, freed ones too.
//  mdb_copy (lmdb-utils) is found on the PATH.
static void
s_mdb_copy (const char *source, const char *target)
{
    static char program [512];
    const char *path = getenv ("PATH");
    while (!*program && path && *path) {
        size_t len = strcspn (path, ":");
        snprintf (program, sizeof program, "%.*s/mdb_copy", (int) len, path);
        if (access (program, X_OK) != 0)
            *program = 0;
        path += len + (path [len] == ':');
    }
    if (!*program)
        fail_msg ("mdb_copy (lmdb-utils) is not on the PATH");
    assert_int_equal (zsys_dir_create ("%s", target), 0);
    const char *argv [] = { program, source, target, NULL };
    char out [256];
    int rc = cf_test_run (argv, NULL, NULL, out, sizeof out);
    if (rc != 0)
        fail_msg ("mdb_copy %s %s exited %d", source, target, rc);
}

//  ------------------------------------------------------ the scenario

//  Locations, workers (nobody knows debts yet: debt cases wait), a
//  provider.
static void
s_play_setup (void)
{
    S_DO ("assignment", "location", "add", "--id", "L1", "--name", "Wijkcentrum Noord",
          "--district", "Noord");
    S_DO ("assignment", "location", "add", "--id", "L2", "--name", "Wijkcentrum Zuid", "--district",
          "Zuid");
    S_DO ("assignment", "worker", "add", "--id", "w1", "--name", "Anouk Verbrugge", "--fte", "1.0",
          "--location", "L1", "--expertise", "housing,youth", "--max-caseload", "2");
    S_DO ("assignment", "worker", "add", "--id", "w2", "--name", "Mehmet Aydin", "--fte", "0.8",
          "--location", "L2", "--expertise", "mental-health,support,youth", "--max-caseload", "3");
    S_DO ("assignment", "worker", "add", "--id", "w3", "--name", "Carlijn Smeulders", "--fte",
          "0.5", "--location", "L1", "--expertise", "work-income,housing", "--max-caseload", "1");
    S_DO ("handover", "provider", "add", "--id", "P1", "--name", "GGZ Peelland");
}

//  Three weeks before the erasure.
static void
s_play_before (void)
{
    S_DO ("clock", "set", "2022-01-03T09:00");
    S_DO ("--json", "intake", "register", "--name", E_NAME, "--channel", "phone", "--birth-date",
          E_BIRTH, "--bsn", E_BSN, "--phone", E_PHONE, "--district", E_DISTRICT, "--domain", "debt",
          "--question", "schulden sinds de scheiding; bel " E_PHONE, "--urgency", "regular",
          "--reason", "deurwaarder bij " E_NAME " op de stoep");
    s_json_string ("case_id", s_fx.erased_case, sizeof s_fx.erased_case);
    S_DO ("--json", "intake", "register", "--name", C_NAME, "--channel", "walk-in", "--birth-date",
          C_BIRTH, "--bsn", C_BSN, "--phone", C_PHONE, "--district", "Zuid", "--location", "L2",
          "--domain", "housing", "--question", "huur opgezegd", "--urgency", "regular", "--reason",
          "moet binnen twee maanden weg");
    s_json_string ("case_id", s_fx.control_case, sizeof s_fx.control_case);
    S_DO ("intake", "register", "--name", "Ottoline Brinkgreve", "--channel", "web", "--phone",
          "06-12093847", "--location", "L1", "--domain", "youth", "--urgency", "urgent", "--reason",
          "school weigert de zoon");
    S_DO ("intake", "register", "--name", "Hamza el Kaddouri-Veenstra", "--channel", "partner",
          "--bsn", "691405256", "--referred-by", "Vluchtelingenwerk", "--district", "Noord",
          "--domain", "debt", "--urgency", "regular", "--reason", "aanmaningen");
    S_DO ("intake", "register", "--name", "Sjoukje Terpstra-Ameling", "--channel", "municipality",
          "--bsn", "823830202", "--referred-by", "gemeente Helmond", "--location", "L1", "--domain",
          "work-income", "--urgency", "regular", "--reason", "geen inkomen");

    S_DO ("clock", "set", "2022-01-05T10:00");
    S_DO ("intake", "register", "--name", "Bonifatius Wolterink", "--channel", "phone",
          "--birth-date", "1972-03-14", "--location", "L2", "--domain", "mental-health",
          "--question", "slaapt niet meer");
    S_DO ("intake", "triage", "C000006", "--urgency", "regular", "--reason", "somber sinds maart");
    S_DO ("handover", "announce", "--provider", "P1", "--name", "Reinier Donkersloot",
          "--birth-date", "1990-07-21", "--phone", "0492 55 31 08", "--domain", "mental-health",
          "--support", "ambulante begeleiding", "--preferred-worker", "w2");
    S_DO ("handover", "plan", "H000001", "--at", "2022-01-12T10:00");

    S_DO ("clock", "set", "2022-01-07T14:00");
    //  She registers again by the web: her open case, matched by BSN.
    S_DO ("--json", "intake", "register", "--name", E_NAME, "--channel", "web", "--bsn", E_BSN,
          "--domain", "debt", "--question", "huurachterstand van " E_NAME);
    s_expect ("\"joined_existing\":true");
    s_expect (s_fx.erased_case);
    S_DO ("intake", "register", "--name", "Yara Dekkinga", "--channel", "walk-in", "--location",
          "L2", "--domain", "support", "--urgency", "regular", "--reason", "hulp in huis");
    //  He calls again: his open case, matched by name and birth date.
    S_DO ("--json", "intake", "register", "--name", "Bonifatius Wolterink", "--channel", "phone",
          "--birth-date", "1972-03-14", "--domain", "support", "--question", "ook eenzaam");
    s_expect ("\"joined_existing\":true");

    S_DO ("clock", "set", "2022-01-10T09:00");
    S_DO ("intake", "register", "--name", "Theodorus van Ommeren", "--channel", "web", "--bsn",
          "399192682", "--district", "Noord", "--domain", "debt", "--urgency", "regular",
          "--reason", "betalingsregeling mislukt");
    S_DO ("assignment", "start", "C000003");

    S_DO ("clock", "set", "2022-01-12T11:00");
    S_DO ("handover", "held", "H000001");
    S_DO ("handover", "decide", "H000001", "--next", "continue", "--note", "blijft bij w2");
    S_DO ("handover", "files", "H000001", "--document", "begeleidingsplan");
    S_DO ("handover", "complete", "H000001");
    S_DO ("intake", "register", "--name", "Margreet Stuivenberg", "--channel", "phone",
          "--location", "L1", "--domain", "housing", "--urgency", "urgent", "--reason",
          "lekkage, geen verwarming");
    S_SETTLE ();

    //  Callbacks fall due two weeks after triage and are recorded.
    S_DO ("clock", "set", "2022-01-17T10:00");
    S_SETTLE ();
    S_DO ("--json", "reminders", "--due", "--kind", "callback");
    char reminder [64];
    snprintf (reminder, sizeof reminder, "\"reminder_id\":\"callback/%s/1\"", s_fx.erased_case);
    s_expect (reminder);
    snprintf (reminder, sizeof reminder, "callback/%s/1", s_fx.erased_case);
    S_DO ("intake", "callback", s_fx.erased_case, "--outcome", "reached", "--reminder", reminder,
          "--note", "teruggebeld op " E_PHONE ", sprak " E_NAME " zelf");
    S_DO ("intake", "callback", "C000004", "--outcome", "changed", "--reminder",
          "callback/C000004/1", "--note", "tweede schuldeiser erbij");
    S_DO ("clock", "set", "2022-01-18T15:00");
    S_DO ("assignment", "complete", "C000003", "--outcome", "school gevonden");
    S_DO ("intake", "withdraw", "C000008", "--reason", "verhuisd naar Eindhoven");
    S_DO ("intake", "close", "C000006", "--reason", "opgenomen in de kliniek");
    S_SETTLE ();
}

//  After the erasure: a triage reason naming her (not recorded any more),
//  a worker for debts who takes her case, three more residents, the clock
//  two weeks on, and her case closed with a reason naming her (not
//  recorded either).
static void
s_play_after (void)
{
    S_DO ("clock", "set", "2022-01-20T09:00");
    S_DO ("intake", "triage", s_fx.erased_case, "--urgency", "urgent", "--reason",
          E_NAME " zit zonder stroom, bel " E_PHONE);
    S_DO ("assignment", "worker", "add", "--id", "w4", "--name", "Pieter-Jan Kruis", "--fte", "1.0",
          "--location", "L1", "--expertise", "debt", "--max-caseload", "3");
    S_DO ("intake", "register", "--name", "Liesbeth Kranendonk", "--channel", "web", "--location",
          "L2", "--domain", "youth", "--urgency", "regular", "--reason", "puberteit");
    S_DO ("intake", "register", "--name", "Abdelkader Bouzerda", "--channel", "municipality",
          "--bsn", "972215864", "--referred-by", "gemeente Helmond", "--district", "Noord",
          "--domain", "debt", "--urgency", "regular", "--reason", "beslag op loon");
    S_DO ("clock", "set", "2022-01-24T09:30");
    S_DO ("intake", "register", "--name", "Griet Oldenbarnevelt", "--channel", "partner",
          "--referred-by", "LEV-groep", "--location", "L2", "--domain", "support", "--urgency",
          "regular", "--reason", "mantelzorg valt weg");
    S_SETTLE ();
    S_DO ("--json", "intake", "show", s_fx.erased_case);
    s_expect ("\"worker_id\":\"w4\"");
    S_DO ("clock", "advance", "14d");
    S_DO ("intake", "close", s_fx.erased_case, "--reason", E_NAME " is verhuisd");
    S_SETTLE ();
}

//  ------------------------------------------------------ the checks

//  `intake show` of the resident to erase returns her values (they were
//  stored), and reports and digests of before.
static void
s_before_erasure (void)
{
    S_DO ("clock", "set", "2022-01-19T09:00");
    S_SETTLE ();
    S_DO ("--json", "intake", "show", s_fx.erased_case);
    const char *values [] = { E_NAME,
                              E_BSN,
                              E_PHONE,
                              E_BIRTH,
                              E_DISTRICT,
                              "bel " E_PHONE,
                              "huurachterstand van " E_NAME,
                              "sprak " E_NAME " zelf" };
    for (size_t i = 0; i < sizeof values / sizeof values [0]; i++)
        s_expect (values [i]);
    s_expect ("\"erased\":false");
    S_DO ("--json", "intake", "find", "--name", E_NAME, "--birth-date", E_BIRTH);
    s_expect (s_fx.erased_case);
    for (size_t i = 0; i < S_DATES; i++) {
        S_DO ("--json", "report", "--at", s_dates [i]);
        s_fx.reports [i] = strdup (s_fx.fleet->out);
    }
    S_DO ("--json", "digest");
    s_fx.digests_before = strdup (s_fx.fleet->out);
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        char source [600], target [600];
        snprintf (source, sizeof source, "%s/%s", s_fx.fleet->dir, cf_testfleet_name (i));
        snprintf (target, sizeof target, "%s/%s", s_fx.backups, cf_testfleet_name (i));
        s_mdb_copy (source, target);
    }
}

//  Erases her, and shows that erasing again changes nothing.
static void
s_erase (void)
{
    S_DO ("clock", "set", "2022-01-19T10:00");
    //  Her debt question's archive duty lets caseflow refuse; the request
    //  is honoured on purpose (the reason says so).
    S_DO ("--json", "resident", "erase", s_fx.erased_case, "--reason", S_REASON,
          "--override-retention");
    s_expect ("\"erased_at\":\"2022-01-19T10:00:00+01:00\"");
    char *first = strdup (s_fx.fleet->out);
    S_DO ("--json", "digest", "intake");
    char *digest = strdup (s_fx.fleet->out);
    S_DO ("clock", "set", "2022-01-19T11:00");
    S_DO ("--json", "resident", "erase", s_fx.erased_case, "--reason", "tweede verzoek");
    assert_string_equal (s_fx.fleet->out, first);
    S_DO ("--json", "digest", "intake");
    assert_string_equal (s_fx.fleet->out, digest);
    free (first);
    free (digest);
}

//  Her case reads "erased" in every personal field; the control resident
//  still reads in full; her BSN finds nobody.
static void
s_check_views (void)
{
    S_DO ("--json", "intake", "show", s_fx.erased_case);
    s_expect ("\"resident\":{\"name\":\"erased\",\"birth_date\":\"erased\",\"phone\":\"erased\","
              "\"district\":\"erased\",\"bsn\":\"erased\"}");
    s_expect ("\"question\":\"erased\"");
    s_expect ("\"triage_reason\":\"erased\"");
    s_expect ("\"note\":\"erased\"");
    s_expect ("\"erased\":true");
    size_t at = 0;
    const char *found =
        cf_testsearch_find (s_fx.search, s_fx.fleet->out, strlen (s_fx.fleet->out), &at);
    if (found)
        fail_msg ("intake show still holds \"%s\": %s", found, s_fx.fleet->out);
    s_expect ("\"close_reason\":\"erased\"");
    assert_int_equal (s_ctlv ((const char *const []){ "intake", "find", "--bsn", E_BSN, NULL }), 1);
    assert_int_equal (s_ctlv ((const char *const []){ "intake", "find", "--name", E_NAME,
                                                      "--birth-date", E_BIRTH, NULL }),
                      1);

    S_DO ("--json", "intake", "show", s_fx.control_case);
    const char *values [] = {
        C_NAME, C_BSN, C_PHONE, C_BIRTH, "huur opgezegd", "\"erased\":false"
    };
    for (size_t i = 0; i < sizeof values / sizeof values [0]; i++)
        s_expect (values [i]);
}

static void
s_check_reports (void)
{
    for (size_t i = 0; i < S_DATES; i++) {
        S_DO ("--json", "report", "--at", s_dates [i]);
        if (strcmp (s_fx.fleet->out, s_fx.reports [i]) != 0)
            fail_msg ("the report at %s changed:\nbefore %s\nafter  %s", s_dates [i],
                      s_fx.reports [i], s_fx.fleet->out);
    }
}

//  /metrics of every service holds none of her values (and is metrics).
static void
s_check_metrics (cf_testsearch_tally_t *tally)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        char *body = NULL;
        int status = cf_test_http_get (s_fx.fleet->procs [i].http_port, "/metrics", &body);
        assert_int_equal (status, 200);
        assert_non_null (strstr (body, "caseflow_events_applied_total"));
        char what [64];
        snprintf (what, sizeof what, "%s /metrics", cf_testfleet_name (i));
        tally->files++;
        tally->bytes += strlen (body);
        cf_testsearch_count (s_fx.search, what, body, strlen (body), tally);
        free (body);
    }
}

//  ------------------------------------------------------ fresh replays

//  Starts `service` on a copy (mdb_copy) of the journal in `source`, in
//  `dir`/<service> with an empty key store, its upstreams nowhere; returns
//  `caseflowctl --json digest SERVICE` of it (a new string). Intake,
//  without the keys of its subjects, is not ready and says why.
static char *
s_replay_digest (int service, const char *source, const char *dir)
{
    const char *name = cf_testfleet_name (service);
    char data [600], binary [64];
    snprintf (data, sizeof data, "%s/%s", dir, name);
    s_mdb_copy (source, data);
    snprintf (binary, sizeof binary, "caseflow-%s", name);
    cf_testproc_t proc;
    cf_testproc_init (&proc, cf_test_binary (binary), data);
    proc.die_with_parent = true;
    char flags [8][160];
    const char *argv [12] = { s_fx.keys_flag, "--clock=manual" };
    size_t count = 2;
    static const char *const upstreams [] = { "handover", "assignment", "intake" };
    for (size_t u = 0; u < 3; u++) {
        snprintf (flags [2 * u], sizeof flags [0], "--%s-events=tcp://127.0.0.1:%d", upstreams [u],
                  cf_test_free_port ());
        snprintf (flags [2 * u + 1], sizeof flags [0], "--%s-api=tcp://127.0.0.1:%d", upstreams [u],
                  cf_test_free_port ());
        bool follows = (service == CF_FLEET_INTAKE && u != 2)
                       || (service == CF_FLEET_ASSIGNMENT && u == 2)
                       || service == CF_FLEET_NOTIFICATION;
        if (follows) {
            argv [count++] = flags [2 * u];
            argv [count++] = flags [2 * u + 1];
        }
    }
    argv [count] = NULL;
    assert_int_equal (cf_testproc_start (&proc, argv), 0);
    int64_t until = cf_test_now_ms () + 30000;
    while (cf_test_http_get (proc.http_port, "/healthz", NULL) != 200) {
        if (cf_test_now_ms () > until) {
            cf_test_dump_log (proc.log_path);
            fail_msg ("the replay of %s did not come up", name);
        }
        cf_test_sleep_ms (50);
    }
    char endpoint [200];
    snprintf (endpoint, sizeof endpoint, "--%s=%s", name, proc.api);
    const char *ctl [] = { cf_test_binary ("caseflowctl"),
                           "--timeout",
                           "5000",
                           s_fx.keys_flag,
                           endpoint,
                           "--json",
                           "digest",
                           name,
                           NULL };
    int rc = cf_test_run (ctl, NULL, NULL, s_fx.fleet->out, sizeof s_fx.fleet->out);
    if (rc != 0)
        fail_msg ("digest of the replayed %s exited %d", name, rc);
    char *digest = s_digest_of (s_fx.fleet->out, name);
    if (service == CF_FLEET_INTAKE) {
        //  Subjects without a key: not ready, /readyz and the log say which.
        char *body = NULL;
        assert_int_equal (cf_test_http_get (proc.http_port, "/readyz", &body), 503);
        assert_non_null (body);
        assert_non_null (strstr (body, "not ready: subject S"));
        assert_non_null (strstr (body, "has neither a key nor an erasure record"));
        free (body);
        cf_test_assert_logged (proc.log_path, "not ready: subject ");
        cf_test_assert_logged (proc.log_path, "has neither a key nor an erasure record");
    }
    assert_int_equal (cf_testproc_stop (&proc, SIGTERM, 20000), 0);
    cf_testproc_destroy (&proc);
    return digest;
}

//  Every service replayed from a copy of its journal gives `digests`;
//  `from` holds the journals (the fleet's directory or the backups), the
//  copies go under `label`.
static void
s_check_replays (const char *from, const char *label, const char *digests)
{
    char dir [600];
    snprintf (dir, sizeof dir, "%s/%s", s_fx.replays, label);
    assert_int_equal (zsys_dir_create ("%s", dir), 0);
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        char source [600];
        snprintf (source, sizeof source, "%s/%s", from, cf_testfleet_name (i));
        char *replayed = s_replay_digest (i, source, dir);
        char *expected = s_digest_of (digests, cf_testfleet_name (i));
        if (strcmp (replayed, expected) != 0)
            fail_msg ("%s replayed from %s: %s, not %s", cf_testfleet_name (i), label, replayed,
                      expected);
        free (replayed);
        free (expected);
    }
}

//  ------------------------------------------------------ the controls

//  The search finds her values planted in a scratch file, whatever their
//  case, and her numbers as bare digits.
static void
s_check_search_finds (void)
{
    char path [600];
    snprintf (path, sizeof path, "%s/scratch", s_fx.plain);
    FILE *file = fopen (path, "wb");
    assert_non_null (file);
    fprintf (file, "%c%cEVERTDINA haverKAMP%c bsn 577463706; tel 31648271593; 1958-11-29", 0, 1, 2);
    fclose (file);
    cf_testsearch_tally_t tally = { 0 };
    cf_testsearch_tree (s_fx.search, path, &tally);
    assert_int_equal (tally.files, 1);
    assert_true (tally.hits >= 5);
    unlink (path);
}

//  Without CURVE the same capture shows a registration's values: a
//  command carries the resident's data in plain (intake seals it only
//  when it arrives), so only CURVE keeps it off the wire.
static void
s_check_plain_wire_shows (void)
{
    char data [600];
    snprintf (data, sizeof data, "%s/intake", s_fx.plain);
    cf_testproc_t plain;
    cf_testproc_init (&plain, cf_test_binary ("caseflow-intake"), data);
    plain.die_with_parent = true;
    char flags [4][64];
    const char *kinds [] = { "handover-events", "handover-api", "assignment-events",
                             "assignment-api" };
    const char *argv [5];
    for (int i = 0; i < 4; i++) {
        snprintf (flags [i], sizeof flags [i], "--%s=tcp://127.0.0.1:%d", kinds [i],
                  cf_test_free_port ());
        argv [i] = flags [i];
    }
    argv [4] = NULL;
    assert_int_equal (cf_testproc_start (&plain, argv), 0);
    int64_t until = cf_test_now_ms () + 30000;
    while (cf_test_http_get (plain.http_port, "/healthz", NULL) != 200) {
        assert_true (cf_test_now_ms () < until);
        cf_test_sleep_ms (50);
    }
    cf_testrelay_t *relay = cf_testrelay_new (atoi (strrchr (plain.api, ':') + 1));
    char endpoint [120];
    snprintf (endpoint, sizeof endpoint, "--intake=%s", cf_testrelay_endpoint (relay));
    const char *ctl [] = { cf_test_binary ("caseflowctl"),
                           endpoint,
                           "intake",
                           "register",
                           "--name",
                           E_NAME,
                           "--channel",
                           "phone",
                           "--birth-date",
                           E_BIRTH,
                           "--bsn",
                           E_BSN,
                           "--phone",
                           E_PHONE,
                           "--domain",
                           "debt",
                           NULL };
    char out [512];
    assert_int_equal (cf_test_run (ctl, NULL, NULL, out, sizeof out), 0);
    size_t size = 0;
    char *wire = cf_testrelay_bytes (relay, &size);
    cf_testrelay_destroy (&relay);
    assert_int_equal (cf_testproc_stop (&plain, SIGTERM, 20000), 0);
    cf_testproc_destroy (&plain);
    const char *values [] = { E_NAME, E_BSN, E_PHONE, E_BIRTH };
    for (size_t i = 0; i < 4; i++) {
        cf_testsearch_t *one = cf_testsearch_new ();
        cf_testsearch_add (one, values [i]);
        size_t at = 0;
        bool seen = cf_testsearch_find (one, wire, size, &at) != NULL;
        cf_testsearch_destroy (&one);
        if (!seen) {
            free (wire);
            fail_msg ("the plaintext wire (%zu bytes) does not show %s", size, values [i]);
        }
    }
    free (wire);
}

//  ------------------------------------------------------ the search

//  Every file under the fleet's directory (the services stopped), the
//  backups and the replays' copies, and the wire: no occurrence of her
//  values, nor in `metrics` (read before). The control: the same walk
//  finds a worker's name, which assignment's journal holds in plain (staff
//  are no residents), in the journals, the backups and the copies.
static void
s_search_everywhere (const cf_testsearch_tally_t *metrics)
{
    cf_testsearch_tally_t files = { 0 }, backups = { 0 }, replays = { 0 }, wire = { 0 };
    cf_testsearch_tree (s_fx.search, s_fx.fleet->dir, &files);
    cf_testsearch_tree (s_fx.search, s_fx.backups, &backups);
    cf_testsearch_tree (s_fx.search, s_fx.replays, &replays);
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        for (int kind = 0; kind < 2; kind++) {
            size_t size = 0;
            char *bytes = cf_testrelay_bytes (s_fx.fleet->relays [i][kind], &size);
            char what [64];
            snprintf (what, sizeof what, "the wire to %s's %s", cf_testfleet_name (i),
                      kind ? "events" : "api");
            wire.files++;
            wire.bytes += size;
            cf_testsearch_count (s_fx.search, what, bytes, size, &wire);
            free (bytes);
        }
    print_message ("searched for %zu needles: fleet %zu files %zu bytes %zu hits; backups %zu "
                   "files %zu bytes %zu hits; replays %zu files %zu bytes %zu hits; /metrics %zu "
                   "bytes %zu hits; wire %zu relays %zu bytes %zu hits\n",
                   cf_testsearch_size (s_fx.search), files.files, files.bytes, files.hits,
                   backups.files, backups.bytes, backups.hits, replays.files, replays.bytes,
                   replays.hits, metrics->bytes, metrics->hits, wire.files, wire.bytes, wire.hits);
    //  Enough was searched for "nowhere" to mean something: the journals,
    //  and the traffic of intake's api and events.
    assert_true (files.files >= 12 && backups.files >= CF_FLEET_COUNT);
    assert_true (cf_testrelay_size (s_fx.fleet->relays [CF_FLEET_INTAKE][0]) > 50000);
    assert_true (cf_testrelay_size (s_fx.fleet->relays [CF_FLEET_INTAKE][1]) > 10000);
    size_t hits = files.hits + backups.hits + replays.hits + metrics->hits + wire.hits;
    if (hits)
        fail_msg ("the erased resident's values were found %zu times (listed above)", hits);

    cf_testsearch_t *worker = cf_testsearch_new ();
    cf_testsearch_add (worker, "Carlijn Smeulders");
    cf_testsearch_tally_t control [3] = { { 0 } };
    fprintf (stderr, "the control (a worker's name, plain in the journals):\n");
    cf_testsearch_tree (worker, s_fx.fleet->dir, &control [0]);
    cf_testsearch_tree (worker, s_fx.backups, &control [1]);
    cf_testsearch_tree (worker, s_fx.replays, &control [2]);
    cf_testsearch_destroy (&worker);
    print_message ("control: a worker's name found %zu times in the fleet's files, %zu in the "
                   "backups, %zu in the replays' copies\n",
                   control [0].hits, control [1].hits, control [2].hits);
    assert_true (control [0].hits > 0 && control [1].hits > 0 && control [2].hits > 0);
}

//  ------------------------------------------------------------------ test

static int
s_setup (void **unused)
{
    (void) unused;
    s_fx.search = cf_testsearch_new ();
    const char *values [] = { E_NAME, E_BSN, E_PHONE, E_BIRTH };
    for (size_t i = 0; i < 4; i++)
        cf_testsearch_add (s_fx.search, values [i]);
    s_fx.backups = cf_test_tmpdir ("erasure-backups");
    s_fx.replays = cf_test_tmpdir ("erasure-replays");
    s_fx.plain = cf_test_tmpdir ("erasure-plain");
    return 0;
}

static int
s_teardown (void **unused)
{
    (void) unused;
    cf_testfleet_destroy (&s_fx.fleet);
    char *dirs [] = { s_fx.backups, s_fx.replays, s_fx.plain };
    for (size_t i = 0; i < 3; i++) {
        if (getenv ("CF_TEST_KEEP"))
            fprintf (stderr, "kept %s\n", dirs [i]);
        else
            cf_test_rmtree (dirs [i]);
        free (dirs [i]);
    }
    for (size_t i = 0; i < S_DATES; i++)
        free (s_fx.reports [i]);
    free (s_fx.digests_before);
    free (s_fx.digests_live);
    cf_testsearch_destroy (&s_fx.search);
    return 0;
}

static void
test_an_erased_resident_is_nowhere (void **unused)
{
    (void) unused;
    s_check_search_finds ();
    s_check_plain_wire_shows ();

    static const char *flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                    "--log-level=debug", s_fx.keys_flag, NULL };
    s_fx.fleet = cf_testfleet_new ("erasure", flags);
    snprintf (s_fx.keys, sizeof s_fx.keys, "%s/curve", s_fx.fleet->dir);
    snprintf (s_fx.keys_flag, sizeof s_fx.keys_flag, "--keys-dir=%s", s_fx.keys);
    const char *generate [] = {
        cf_test_binary ("caseflowctl"), "keys", "generate", "--dir", s_fx.keys, NULL
    };
    char out [4096];
    assert_int_equal (cf_test_run (generate, NULL, "/dev/null", out, sizeof out), 0);
    //  The console answers the reports and timelines checked below.
    cf_testfleet_console (s_fx.fleet);
    cf_testfleet_relay (s_fx.fleet);
    cf_testfleet_start (s_fx.fleet, true);

    s_play_setup ();
    s_play_before ();
    s_before_erasure ();
    s_erase ();
    s_play_after ();
    s_check_views ();
    s_check_reports ();
    cf_testsearch_tally_t metrics = { 0 };
    s_check_metrics (&metrics);

    //  The same digests live, after a restart, and replayed afresh.
    S_DO ("--json", "digest");
    s_fx.digests_live = strdup (s_fx.fleet->out);
    cf_testfleet_stop (s_fx.fleet);
    cf_testfleet_start (s_fx.fleet, false);
    S_SETTLE ();
    S_DO ("--json", "digest");
    if (strcmp (s_fx.fleet->out, s_fx.digests_live) != 0)
        fail_msg ("digests after the restart:\n%s\nnot\n%s", s_fx.fleet->out, s_fx.digests_live);
    s_check_reports ();
    s_check_views ();
    cf_testfleet_stop (s_fx.fleet);
    s_check_replays (s_fx.fleet->dir, "after", s_fx.digests_live);
    s_check_replays (s_fx.backups, "before", s_fx.digests_before);
    s_search_everywhere (&metrics);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    signal (SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_an_erased_resident_is_nowhere, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
