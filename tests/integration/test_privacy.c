//  test_privacy: no personal data in logs, topics, metrics or health answers.
//
//  The four real services run on loopback (cf_testfleet) on the manual
//  clock with --log-level=debug, so every line they can log is written. A
//  subscriber to all four event streams keeps every topic frame. The
//  scenario, played through caseflowctl, gives residents and workers
//  distinctive names, birth dates, BSNs, phone numbers and districts, and
//  free texts with an e-mail and a street address, over every channel: a
//  registration that joins an open case, triage and re-triage, an urgent
//  case nobody can take, a handover with its resident that becomes a case
//  and a caseload handover, roster changes and an absence, callbacks due
//  and recorded (reached, not reached, changed), a manual assignment, a
//  track, withdrawal and closure, a worker leaving, and reminders falling
//  due as the clock moves on every service. Commands refused for a
//  personal value (a BSN failing the eleven-test, one with separators, a
//  bad phone number, a 32 KiB name, names that are not UTF-8) cover the
//  error paths.
//
//  Then a resident's export (by case and by handover) holds their values,
//  and the access log, which names every read of them, holds none. And
//  no log line, topic frame, /metrics, /healthz or /readyz body, and
//  no refusal's message, may hold any of those values: compared without
//  regard to case, whole, word by word, and a number written with
//  separators also as its bare digits. Controls keep the test able to fail:
//  the services stored and answer the values, the logs hold debug lines,
//  the subscriber saw every stream, and the search finds a value planted in
//  a scratch line.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_test.h"
#include "cf_testclient.h"
#include "cf_testfleet.h"
#include "cf_testsearch.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_BAD CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT

//  ------------------------------------------------------ the values

//  The residents' and workers' personal values the scenario sends.
#define R1_NAME     "Wilhelmina Quaestorius"
#define R1_BIRTH    "1961-04-17"
#define R1_BSN      "274819351"
#define R1_PHONE    "+31 6 1357 9246"
#define R1_DISTRICT "Zonnewijzerhof"
#define R1_EMAIL    "w.quaestorius@voorbeeldpost.nl"
#define R1_ADDRESS  "Klaverhofstraat 17b"
#define R2_NAME     "Bartholomeus Oosterwijk-Tjin"
#define R2_BSN      "316592080"
#define R3_NAME     "Gerlinde Zwanenburg"
#define R3_PHONE    "06-24681357"
#define R4_NAME     "Ouafae Hadjouti"
#define R4_BIRTH    "1987-09-23"
#define R5_NAME     "Teuntje Brouwershaven"
#define R5_BSN      "582037141"
#define R6_NAME     "Fleur Wijngaarden-Oduya"
#define H1_NAME     "Gijsbert-Jan Kloosterboer"
#define H1_BSN      "820461970"
#define H1_PHONE    "0492 55 17 83"
#define H1_DISTRICT "Ruisvoorn"
#define H1_ADDRESS  "Pastoor Zegersstraat 4"
#define H1_EMAIL    "gj.kloosterboer@voorbeeldpost.nl"
#define H2_NAME     "Marijke Oudegeest"
#define H2_BSN      "407183620"
#define W1_NAME     "Lieke Vermeulen-Quist"
#define W2_NAME     "Djamila Everaerts"
#define W2_RENAMED  "Djamila Everaerts-Brink"
//  Refused: a BSN failing the eleven-test, a valid one with separators, a
//  phone number with words, a worker at an unknown location, a 32 KiB name
//  (its distinctive start) and names that are not UTF-8.
#define X_NAME    "Cornelis Vreeswijk-Dolsma"
#define X_BAD_BSN "735820467"
#define X_SEP_BSN "1937.58.209"
#define X_PHONE   "bel 06 9753 1864 na vijven"
#define X_WORKER  "Hendrikje Pronkhorst"
#define X_LONG    "Xaverius Zuidhoekstra"
#define X_UTF8    "Quirina \xff\xfeVlasblomme"

static const char *const s_personal [] = {
    R1_NAME, R1_BIRTH,  R1_BSN,       R1_PHONE,    R1_DISTRICT, R1_EMAIL,  R1_ADDRESS, R2_NAME,
    R2_BSN,  R3_NAME,   R3_PHONE,     R4_NAME,     R4_BIRTH,    R5_NAME,   R5_BSN,     R6_NAME,
    H1_NAME, H1_BSN,    H1_PHONE,     H1_DISTRICT, H1_ADDRESS,  H1_EMAIL,  H2_NAME,    H2_BSN,
    W1_NAME, W2_NAME,   W2_RENAMED,   X_NAME,      X_BAD_BSN,   X_SEP_BSN, X_PHONE,    X_WORKER,
    X_LONG,  "Quirina", "Vlasblomme", NULL
};

//  ------------------------------------------------------ the search

//  What must not be found (cf_testsearch): each value whole, without
//  regard to case, its words of five characters or more, and the digits
//  alone of a number written with separators. (The names' short words hold
//  a letter that ULIDs, which logs do carry, never do: I, L, O or U.)

//  Fails naming `what`, the value and the line around it, if `text` holds
//  a personal value; `owned` (may be NULL) is freed before failing, so a
//  failure leaks nothing.
static void
s_assert_clean (const cf_testsearch_t *self, const char *what, const char *text, size_t size,
                void *owned)
{
    size_t at = 0;
    const char *found = cf_testsearch_find (self, text, size, &at);
    if (!found)
        return;
    size_t start = at, end = at;
    while (start > 0 && text [start - 1] != '\n' && at - start < 200)
        start--;
    while (end < size && text [end] != '\n' && end - at < 200)
        end++;
    char message [600];
    snprintf (message, sizeof message, "%s holds the personal value \"%s\": %.*s", what, found,
              (int) (end - start), text + start);
    free (owned);
    fail_msg ("%s", message);
}

//  ------------------------------------------------------ the subscriber

//  Subscribes to every stream and keeps each distinct topic frame and the
//  number of messages, until stopped. `topics` starts with a newline and
//  ends each topic with one, so "\n<topic>\n" finds a whole topic.
typedef struct {
    zsock_t *subscribers [CF_FLEET_COUNT];
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t lock;
    char topics [65536];
    size_t size;
    size_t messages;
    size_t oversized;  //  topics too long to keep whole (none expected)
} s_listener_t;

static void
s_listener_keep (s_listener_t *self, const char *topic, size_t len)
{
    char framed [260] = "\n";
    bool whole = len <= sizeof framed - 3;
    if (!whole)
        len = sizeof framed - 3;
    memcpy (framed + 1, topic, len);
    framed [len + 1] = '\n';
    framed [len + 2] = 0;
    pthread_mutex_lock (&self->lock);
    self->messages++;
    self->oversized += !whole;
    if (!strstr (self->topics, framed) && self->size + len + 1 < sizeof self->topics) {
        memcpy (self->topics + self->size, framed + 1, len + 2);
        self->size += len + 1;
    }
    pthread_mutex_unlock (&self->lock);
}

static void *
s_listener_run (void *arg)
{
    s_listener_t *self = arg;
    zpoller_t *poller = zpoller_new (NULL);
    assert (poller);
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        zpoller_add (poller, self->subscribers [i]);
    while (!atomic_load (&self->stop)) {
        zsock_t *ready = zpoller_wait (poller, 100);
        zmsg_t *msg = ready ? zmsg_recv (ready) : NULL;
        if (!msg)
            continue;
        zframe_t *topic = zmsg_first (msg);
        if (topic)
            s_listener_keep (self, (const char *) zframe_data (topic), zframe_size (topic));
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    return NULL;
}

//  True when the listener has received `topic`.
static bool
s_listener_saw (s_listener_t *self, const char *topic)
{
    char framed [260];
    snprintf (framed, sizeof framed, "\n%s\n", topic);
    pthread_mutex_lock (&self->lock);
    bool saw = strstr (self->topics, framed) != NULL;
    pthread_mutex_unlock (&self->lock);
    return saw;
}

static s_listener_t *
s_listener_new (cf_testfleet_t *fleet)
{
    s_listener_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    pthread_mutex_init (&self->lock, NULL);
    self->topics [0] = '\n';
    self->size = 1;
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        self->subscribers [i] = zsock_new_sub (fleet->procs [i].events, "");
        assert_non_null (self->subscribers [i]);
    }
    assert_int_equal (pthread_create (&self->thread, NULL, s_listener_run, self), 0);
    return self;
}

//  Heartbeats come every second: once each stream's has arrived, every
//  subscription is in place.
static void
s_listener_wait (s_listener_t *self)
{
    for (int waited = 0; waited < 10000; waited += 100) {
        cf_test_sleep_ms (100);
        int streams = 0;
        for (int i = 0; i < CF_FLEET_COUNT; i++) {
            char topic [64];
            snprintf (topic, sizeof topic, "%s.$heartbeat", cf_testfleet_name (i));
            streams += s_listener_saw (self, topic);
        }
        if (streams == CF_FLEET_COUNT)
            return;
    }
    fail_msg ("not every stream's heartbeat arrived in 10 s");
}

//  Stops the thread; the topics and counts stay readable.
static void
s_listener_stop (s_listener_t *self)
{
    if (atomic_exchange (&self->stop, true))
        return;
    pthread_join (self->thread, NULL);
}

static void
s_listener_destroy (s_listener_t **self_p)
{
    s_listener_t *self = *self_p;
    if (!self)
        return;
    s_listener_stop (self);
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        zsock_destroy (&self->subscribers [i]);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

//  ------------------------------------------------------ the scenario

typedef struct {
    cf_testfleet_t *fleet;
    s_listener_t *listener;
    cf_testsearch_t *needles;
    char ctl_errors [600];  //  caseflowctl's standard error: the refusals' messages
} s_fixture_t;

//  caseflowctl ARGS must succeed.
//  Waits until every service has applied what its upstreams committed
//  (before reading what they decided).
#define S_SETTLE(fleet) CF_FLEET_DO (fleet, "status", "--settle")

//  caseflowctl ARGS must be refused by the service (exit 1).
#define S_REFUSED(fleet, ...)                                                          \
    do {                                                                               \
        int rc_ = cf_testfleet_ctl ((fleet), __VA_ARGS__, NULL);                       \
        if (rc_ != 1)                                                                  \
            fail_msg ("caseflowctl %s exited %d, not 1 (refused)", #__VA_ARGS__, rc_); \
    } while (0)

//  Registrations over every channel, triage, an urgent case nobody can
//  take, a resident registering again, and refusals.
static void
s_play_registrations (cf_testfleet_t *fleet)
{
    CF_FLEET_DO (fleet, "assignment", "location", "add", "--id", "L1", "--name",
                 "Wijkcentrum De Bus", "--district", "Centrum");
    CF_FLEET_DO (fleet, "assignment", "worker", "add", "--id", "w1", "--name", W1_NAME, "--fte",
                 "1.0", "--location", "L1", "--expertise", "housing", "--max-caseload", "1");
    CF_FLEET_DO (fleet, "assignment", "worker", "add", "--id", "w2", "--name", W2_NAME, "--fte",
                 "0.5", "--location", "L1", "--expertise", "youth,mental-health", "--max-caseload",
                 "3");
    S_REFUSED (fleet, "assignment", "worker", "add", "--id", "w3", "--name", X_WORKER, "--fte",
               "0.5", "--location", "L9", "--expertise", "debt");
    CF_FLEET_DO (fleet, "handover", "provider", "add", "--id", "P1", "--name", "GGZ Oost-Brabant");

    CF_FLEET_DO (fleet, "clock", "set", "2022-01-03T09:00");
    //  C000001 urgent, to w1 at once; C000002 waits (nobody knows debts).
    CF_FLEET_DO (fleet, "intake", "register", "--name", R3_NAME, "--channel", "web", "--phone",
                 R3_PHONE, "--domain", "housing", "--location", "L1", "--urgency", "urgent",
                 "--reason", "eviction notice this week");
    CF_FLEET_DO (fleet, "intake", "register", "--name", R1_NAME, "--channel", "phone",
                 "--birth-date", R1_BIRTH, "--bsn", R1_BSN, "--phone", R1_PHONE, "--district",
                 R1_DISTRICT, "--domain", "debt", "--question",
                 "Debts. Mail " R1_EMAIL " or visit " R1_ADDRESS, "--urgency", "regular",
                 "--reason", "bailiff letters");
    //  C000003 triaged after registering: to w2.
    CF_FLEET_DO (fleet, "intake", "register", "--name", R2_NAME, "--channel", "walk-in",
                 "--location", "L1", "--bsn", R2_BSN, "--domain", "youth");
    CF_FLEET_DO (fleet, "intake", "triage", "C000003", "--urgency", "regular", "--reason",
                 "parenting questions");
    //  C000004 and C000005 wait; C000006 is urgent and nobody can take it.
    CF_FLEET_DO (fleet, "intake", "register", "--name", R4_NAME, "--channel", "partner",
                 "--birth-date", R4_BIRTH, "--referred-by", "LEV-groep", "--domain", "support",
                 "--urgency", "regular", "--reason", "support at home");
    CF_FLEET_DO (fleet, "intake", "register", "--name", R5_NAME, "--channel", "municipality",
                 "--bsn", R5_BSN, "--referred-by", "gemeente Helmond", "--domain", "work-income",
                 "--urgency", "regular", "--reason", "no income this month");
    CF_FLEET_DO (fleet, "intake", "register", "--name", R6_NAME, "--channel", "phone", "--domain",
                 "other", "--urgency", "urgent", "--reason", "unsafe at home");
    //  The first resident again, by the web: it joins her open case.
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "intake", "register", "--name", R1_NAME,
                                        "--channel", "web", "--bsn", R1_BSN, "--domain", "housing",
                                        NULL),
                      0);
    cf_testfleet_expect (fleet, "\"case_id\":\"C000002\"");
    cf_testfleet_expect (fleet, "\"joined_existing\":true");
    //  Refused for a personal value: the refusal names the field only.
    S_REFUSED (fleet, "intake", "register", "--name", X_NAME, "--channel", "phone", "--bsn",
               X_BAD_BSN, "--domain", "debt");
    S_REFUSED (fleet, "intake", "register", "--name", X_NAME, "--channel", "phone", "--bsn",
               X_SEP_BSN, "--domain", "debt");
    S_REFUSED (fleet, "intake", "register", "--name", X_NAME, "--channel", "phone", "--phone",
               X_PHONE, "--domain", "debt");
    S_REFUSED (fleet, "handover", "announce", "--provider", "P1", "--name", X_NAME, "--bsn",
               X_BAD_BSN, "--domain", "youth");
    S_REFUSED (fleet, "handover", "announce", "--provider", "P1", "--name", X_NAME, "--phone",
               X_PHONE, "--domain", "youth");
    S_SETTLE (fleet);
}

//  A handover with its resident that becomes a case, a caseload handover
//  with a near deadline, and roster changes with an absence.
static void
s_play_handovers (cf_testfleet_t *fleet)
{
    CF_FLEET_DO (fleet, "handover", "announce", "--provider", "P1", "--name", H1_NAME,
                 "--birth-date", "1958-02-11", "--bsn", H1_BSN, "--phone", H1_PHONE, "--district",
                 H1_DISTRICT, "--support", "ambulant support at " H1_ADDRESS ", mail " H1_EMAIL,
                 "--preferred-worker", "w2", "--domain", "mental-health");
    CF_FLEET_DO (fleet, "handover", "caseload", "--provider", "P1", "--worker", "w9", "--resident",
                 H2_NAME ";youth;1990-06-01;" H2_BSN, "--deadline", "2022-01-24");
    CF_FLEET_DO (fleet, "handover", "plan", "H000001", "--at", "2022-01-06T10:00", "--participant",
                 H1_NAME);
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-06T11:00");
    CF_FLEET_DO (fleet, "handover", "held", "H000001");
    CF_FLEET_DO (fleet, "handover", "decide", "H000001", "--next", "continue", "--note",
                 "continues with w2; " H1_NAME " agrees");
    CF_FLEET_DO (fleet, "handover", "files", "H000001", "--document", "support plan " H1_NAME);
    CF_FLEET_DO (fleet, "handover", "complete", "H000001");
    S_SETTLE (fleet);

    CF_FLEET_DO (fleet, "clock", "set", "2022-01-10T09:00");
    CF_FLEET_DO (fleet, "assignment", "worker", "change", "w2", "--name", W2_RENAMED);
    CF_FLEET_DO (fleet, "assignment", "worker", "absent", "w1", "--from", "now");
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-14T10:00");
    CF_FLEET_DO (fleet, "assignment", "worker", "return", "w1");
}

//  The first reminder id in caseflowctl's JSON output (a static buffer).
static const char *
s_first_reminder (cf_testfleet_t *fleet)
{
    static char id [128];
    const char *key = "\"reminder_id\":\"";
    const char *at = strstr (fleet->out, key);
    if (!at)
        fail_msg ("no reminder in: %s", fleet->out);
    at += strlen (key);
    size_t len = strcspn (at, "\"");
    assert_true (len < sizeof id);
    memcpy (id, at, len);
    id [len] = 0;
    return id;
}

//  Callbacks falling due and recorded, re-triage, a manual assignment, a
//  track, withdrawal and closure, a worker leaving, and the clock moving on.
static void
s_play_callbacks (cf_testfleet_t *fleet)
{
    CF_FLEET_DO (fleet, "clock", "set", "2022-01-17T10:00");
    S_SETTLE (fleet);
    assert_int_equal (
        cf_testfleet_ctl (fleet, "--json", "reminders", "--due", "--kind", "callback", NULL), 0);
    cf_testfleet_expect (fleet, "\"reminder_id\":\"callback/C000002/1\"");
    cf_testfleet_expect (fleet, "\"reminder_id\":\"callback/C000005/1\"");
    CF_FLEET_DO (fleet, "intake", "callback", "C000002", "--outcome", "reached", "--reminder",
                 "callback/C000002/1", "--note", "spoke with " R1_NAME " on " R1_PHONE);
    CF_FLEET_DO (fleet, "intake", "callback", "C000004", "--outcome", "not-reached", "--reminder",
                 "callback/C000004/1");
    CF_FLEET_DO (fleet, "intake", "callback", "C000005", "--outcome", "changed", "--reminder",
                 "callback/C000005/1", "--note", R5_NAME " lost her job");
    CF_FLEET_DO (fleet, "intake", "triage", "C000005", "--urgency", "urgent", "--reason",
                 "no income at all now");
    S_SETTLE (fleet);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "reminders", "--due", NULL), 0);
    CF_FLEET_DO (fleet, "reminders", "ack", s_first_reminder (fleet), "--by", "w1");
    CF_FLEET_DO (fleet, "assignment", "assign", "C000004", "--worker", "w2", "--reason",
                 "knows " R4_NAME " from the partner");
    CF_FLEET_DO (fleet, "assignment", "start", "C000004");
    CF_FLEET_DO (fleet, "intake", "track", "add", "--id", "T1", "--name", "Geldzaken", "--location",
                 "L1", "--capacity", "8", "--starts", "2022-02-01");
    CF_FLEET_DO (fleet, "intake", "track", "join", "C000002", "--track", "T1");

    CF_FLEET_DO (fleet, "clock", "set", "2022-01-21T09:00");
    CF_FLEET_DO (fleet, "assignment", "complete", "C000004", "--outcome", "help finished");
    CF_FLEET_DO (fleet, "intake", "withdraw", "C000003", "--reason", R2_NAME " moved away");
    CF_FLEET_DO (fleet, "intake", "close", "C000006", "--reason", "safe with family now");
    S_REFUSED (fleet, "intake", "triage", "C000006", "--urgency", "urgent", "--reason",
               "call " R6_NAME " again");
    CF_FLEET_DO (fleet, "assignment", "worker", "leave", "w2");
    //  Two weeks on, on every service: second callbacks and the caseload
    //  handover's deadline fall due.
    CF_FLEET_DO (fleet, "clock", "advance", "14d");
    S_SETTLE (fleet);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "reminders", "--due", NULL), 0);
    cf_testfleet_expect (fleet, "\"reminder_id\":\"callback/C000002/2\"");
    cf_testfleet_expect (fleet, "\"kind\":\"handover-deadline\"");
}

//  ------------------------------------------------------ refusals by api

//  Sends `command` to the api at `endpoint`: it must be refused
//  INVALID_ARGUMENT naming `field`, in a message without personal values.
static void
s_refused (s_fixture_t *fx, const char *endpoint, Caseflow__V1__Command *command, const char *field)
{
    cf_api_client_t *client = cf_testclient_new (endpoint);
    Caseflow__V1__Reply *reply = cf_testclient_command (client, NULL, command);
    cf_testclient_assert_status (reply, S_BAD, field);
    s_assert_clean (fx->needles, "a refusal's message", reply->status->message,
                    strlen (reply->status->message), NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    cf_api_client_destroy (&client);
}

//  A 32 KiB name (within the request size limit, so the name's own check
//  refuses it) and a name that is not UTF-8, to each service that takes
//  names: intake's registration, handover's announcement, a worker.
static void
s_refuse_names (s_fixture_t *fx)
{
    size_t size = 32 * 1024;
    char *long_name = malloc (size + 1);
    assert_non_null (long_name);
    memset (long_name, 'a', size);
    memcpy (long_name, X_LONG " ", strlen (X_LONG " "));
    long_name [size] = 0;
    const char *names [2] = { long_name, X_UTF8 };
    for (int i = 0; i < 2; i++) {
        Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
        resident.name = (char *) names [i];
        resident.bsn = R5_BSN;
        Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT };

        Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
        reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
        reg.resident = &resident;
        reg.domains = domains;
        reg.n_domains = 1;
        Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
        intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
        intake.register_ = &reg;
        Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
        command.intake = &intake;
        s_refused (fx, fx->fleet->procs [CF_FLEET_INTAKE].api, &command,
                   "command.intake.register.resident.name");

        Caseflow__V1__Handover__Announce announce = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
        announce.provider_id = "P1";
        announce.resident = &resident;
        announce.domains = domains;
        announce.n_domains = 1;
        Caseflow__V1__Handover__Command handover = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
        handover.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
        handover.announce = &announce;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
        command.handover = &handover;
        s_refused (fx, fx->fleet->procs [CF_FLEET_HANDOVER].api, &command,
                   "command.handover.announce.resident.name");

        char *locations [] = { "L1" };
        Caseflow__V1__Assignment__AddWorker worker = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
        worker.worker_id = "w4";
        worker.name = (char *) names [i];
        worker.fte_milli = 500;
        worker.locations = locations;
        worker.n_locations = 1;
        worker.expertise = domains;
        worker.n_expertise = 1;
        Caseflow__V1__Assignment__Command assignment = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
        assignment.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
        assignment.add_worker = &worker;
        command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
        command.assignment = &assignment;
        s_refused (fx, fx->fleet->procs [CF_FLEET_ASSIGNMENT].api, &command,
                   "command.assignment.add_worker.name");
    }
    free (long_name);
}

//  ------------------------------------------------------ the checks

//  The values really were sent and stored: the services answer them.
static void
s_check_stored (cf_testfleet_t *fleet)
{
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "intake", "find", "--bsn", R1_BSN, NULL),
                      0);
    cf_testfleet_expect (fleet, R1_NAME);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "intake", "show", "C000002", NULL), 0);
    cf_testfleet_expect (fleet, R1_EMAIL);
    cf_testfleet_expect (fleet, R1_PHONE);
    cf_testfleet_expect (fleet, R1_DISTRICT);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "intake", "find", "--bsn", H1_BSN, NULL),
                      0);
    cf_testfleet_expect (fleet, H1_NAME);
    cf_testfleet_expect (fleet, "\"channel\":\"handover\"");
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "handover", "show", "H000001", NULL), 0);
    cf_testfleet_expect (fleet, H1_EMAIL);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "handover", "show", "H000002", NULL), 0);
    cf_testfleet_expect (fleet, H2_BSN);
    assert_int_equal (
        cf_testfleet_ctl (fleet, "--json", "assignment", "worker", "list", "--all", NULL), 0);
    cf_testfleet_expect (fleet, W2_RENAMED);
    cf_testfleet_expect (fleet, W1_NAME);
}

//  A resident's export holds everything about them; the access log, which
//  records each read (these exports too), holds no personal value, in
//  JSON and as text.
static void
s_check_accountability (s_fixture_t *fx)
{
    cf_testfleet_t *fleet = fx->fleet;
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "resident", "export", "C000002", NULL), 0);
    cf_testfleet_expect (fleet, R1_NAME);
    cf_testfleet_expect (fleet, R1_EMAIL);
    cf_testfleet_expect (fleet, "\"action\":\"export_resident\"");
    assert_int_equal (
        cf_testfleet_ctl (fleet, "--json", "resident", "export", "--handover", "H000001", NULL), 0);
    cf_testfleet_expect (fleet, H1_NAME);
    cf_testfleet_expect (fleet, H1_EMAIL);
    cf_testfleet_expect (fleet, "\"action\":\"get_handover\"");
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "access-log", NULL), 0);
    cf_testfleet_expect (fleet, "\"action\":\"find_resident\"");
    cf_testfleet_expect (fleet, "\"action\":\"get_case\"");
    s_assert_clean (fx->needles, "the access log", fleet->out, strlen (fleet->out), NULL);
    assert_int_equal (cf_testfleet_ctl (fleet, "access-log", NULL), 0);
    cf_testfleet_expect (fleet, "export_resident");
    s_assert_clean (fx->needles, "the access log", fleet->out, strlen (fleet->out), NULL);
}

//  The search finds a planted value in any case and as bare digits, and
//  passes a line without one.
static void
s_check_search (const cf_testsearch_t *needles)
{
    const char *lines [] = {
        "{\"level\":\"info\",\"msg\":\"case C000002 of WILHELMINA quaestorius\"}",
        "{\"level\":\"debug\",\"msg\":\"bsn 193758209\"}",
        "{\"level\":\"info\",\"msg\":\"mail GJ.Kloosterboer@VoorbeeldPost.nl\"}",
    };
    const char *expected [] = { "wilhelmina", "193758209", "kloosterboer" };
    for (size_t i = 0; i < 3; i++) {
        size_t at = 0;
        const char *found = cf_testsearch_find (needles, lines [i], strlen (lines [i]), &at);
        if (!found || !strstr (found, expected [i]))
            fail_msg ("the search missed the value planted in %s", lines [i]);
    }
    const char *clean = "{\"level\":\"info\",\"msg\":\"case C000002 registered (phone)\"}";
    size_t at = 0;
    assert_null (cf_testsearch_find (needles, clean, strlen (clean), &at));
}

//  /metrics, /healthz and /readyz of every service.
static void
s_check_http (s_fixture_t *fx)
{
    const char *paths [] = { "/metrics", "/healthz", "/readyz" };
    for (int i = 0; i < CF_FLEET_COUNT; i++)
        for (size_t p = 0; p < 3; p++) {
            char *body = NULL;
            int status = cf_test_http_get (fx->fleet->procs [i].http_port, paths [p], &body);
            assert_int_equal (status, 200);
            assert_non_null (body);
            if (p == 0)
                assert_non_null (strstr (body, "caseflow_events_applied_total"));
            char what [64];
            snprintf (what, sizeof what, "%s %s", cf_testfleet_name (i), paths [p]);
            s_assert_clean (fx->needles, what, body, strlen (body), body);
            free (body);
        }
}

//  Every topic frame of every stream.
static void
s_check_topics (s_fixture_t *fx)
{
    s_listener_stop (fx->listener);
    const char *seen [] = { "intake.CaseRegistered",   "intake.QuestionAdded",
                            "intake.CallbackRecorded", "assignment.CaseAssigned",
                            "assignment.WorkerJoined", "handover.HandoverCompleted",
                            "notification.ReminderDue" };
    for (size_t i = 0; i < sizeof seen / sizeof seen [0]; i++)
        if (!s_listener_saw (fx->listener, seen [i]))
            fail_msg ("the subscriber never saw %s; it saw:%s", seen [i], fx->listener->topics);
    assert_int_equal (fx->listener->oversized, 0);
    s_assert_clean (fx->needles, "a topic frame", fx->listener->topics, fx->listener->size, NULL);
    print_message ("%zu messages on the four streams\n", fx->listener->messages);
}

//  Every line of every service's log (the services have stopped).
static void
s_check_logs (s_fixture_t *fx)
{
    for (int i = 0; i < CF_FLEET_COUNT; i++) {
        size_t size = 0;
        char *log = cf_test_read_file (fx->fleet->procs [i].log_path, &size);
        assert_non_null (log);
        //  JSON lines, at debug level: the control that all of it is there.
        size_t lines = 0;
        for (const char *line = log; *line; lines++) {
            if (*line != '{') {
                char text [200];
                snprintf (text, sizeof text, "%.150s", line);
                free (log);
                fail_msg ("%s log: not a JSON line: %s", cf_testfleet_name (i), text);
            }
            const char *end = strchr (line, '\n');
            line = end ? end + 1 : line + strlen (line);
        }
        if (!strstr (log, "\"level\":\"debug\"")) {
            free (log);
            fail_msg ("the %s log has no debug line", cf_testfleet_name (i));
            continue;  //  Not reached: fail_msg does not return
        }
        char what [64];
        snprintf (what, sizeof what, "the %s log", cf_testfleet_name (i));
        s_assert_clean (fx->needles, what, log, size, log);
        print_message ("%s log: %zu lines, %zu bytes\n", cf_testfleet_name (i), lines, size);
        free (log);
    }
    size_t size = 0;
    char *errors = cf_test_read_file (fx->ctl_errors, &size);
    assert_non_null (errors);
    assert_non_null (strstr (errors, "invalid_argument"));
    s_assert_clean (fx->needles, "a refusal caseflowctl printed", errors, size, errors);
    free (errors);
}

//  ------------------------------------------------------------------ test

static int
s_setup (void **state)
{
    s_fixture_t *fx = calloc (1, sizeof *fx);
    assert_non_null (fx);
    fx->needles = cf_testsearch_new ();
    for (size_t i = 0; s_personal [i]; i++)
        cf_testsearch_add (fx->needles, s_personal [i]);
    *state = fx;
    return 0;
}

static int
s_teardown (void **state)
{
    s_fixture_t *fx = *state;
    s_listener_destroy (&fx->listener);
    cf_testfleet_destroy (&fx->fleet);
    cf_testsearch_destroy (&fx->needles);
    free (fx);
    return 0;
}

static void
test_no_personal_data_leaves (void **state)
{
    s_fixture_t *fx = *state;
    s_check_search (fx->needles);
    static const char *const flags [] = { "--clock=manual", "--clock-start=2022-01-03T08:00",
                                          "--log-level=debug", NULL };
    fx->fleet = cf_testfleet_new ("privacy", flags);
    snprintf (fx->ctl_errors, sizeof fx->ctl_errors, "%s/caseflowctl.err", fx->fleet->dir);
    fx->fleet->stderr_path = fx->ctl_errors;
    cf_testfleet_start (fx->fleet, true);
    fx->listener = s_listener_new (fx->fleet);
    s_listener_wait (fx->listener);

    s_play_registrations (fx->fleet);
    s_refuse_names (fx);
    s_play_handovers (fx->fleet);
    s_play_callbacks (fx->fleet);
    s_check_stored (fx->fleet);
    s_check_accountability (fx);

    s_check_http (fx);
    s_check_topics (fx);
    cf_testfleet_stop (fx->fleet);
    s_check_logs (fx);
}

int
main (void)
{
    cf_test_clear_caseflow_env ();
    zsys_handler_set (NULL);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test_setup_teardown (test_no_personal_data_leaves, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
