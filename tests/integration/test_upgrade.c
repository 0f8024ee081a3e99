//  test_upgrade: caseflow-upgrade on a deployment made by the release
//  before personal data was sealed (tests/fixtures/format2, made by its
//  make.sh with that release), then the four services of today on the
//  upgraded stores.
//
//  What it shows: every event keeps its position, stream, seq and id; every
//  new store passes --verify; no value of the fixture's scenario.txt is in
//  any file of the upgraded stores and the new key store, while the same
//  search finds each one in the old stores (the control); intake counts
//  and the council report are what the old release answered (counts.json,
//  report.json, with the figures by area and by age band the report added
//  since), byte for byte; intake show reads every resident's data
//  again; a second run changes nothing. Handover's own events are sealed
//  under transit keys in a new key store of handover's: the values that
//  came in through handover are in no file of any store either, and are
//  also looked for record by record and in every stored reply.
//
//  A deployment of format 1 (tests/fixtures/format1): refused by every
//  service, its --verify and caseflow-upgrade, naming the format.
//
//  A deployment of format 3 from before handover sealed its events
//  (tests/fixtures/format3-plain): every store passes --verify,
//  caseflow-upgrade refuses it naming handover's first plain event and
//  changes nothing (it said "nothing to upgrade" before), and handover
//  refuses to start on its store, naming the event and the cause, with
//  exit code 1 (it aborted on an assertion before).
//
//  And the refusals: a copy whose event its producer does not have (named
//  by stream and seq), and a store another process holds open, each leave
//  the deployment as it was; a swap that was interrupted is finished by
//  the next run.
#include "caseflow/v1/event.pb-c.h"
#include "cf_error.h"
#include "cf_event.h"
#include "cf_journal.h"
#include "cf_journal_upgrade.h"
#include "cf_test.h"
#include "cf_testfleet.h"
#include "cf_testclient.h"
#include "cf_testproc.h"

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define S_FIXTURE CF_FIXTURE_DIR "/format2"
#define S_STORES  4
#define S_PATH    1024
#define S_VALUES  32

static const char *const s_services [S_STORES] = { "handover", "intake", "assignment",
                                                   "notification" };

//  ------------------------------------------------------------- helpers

static void
s_copy_file (const char *from, const char *to)
{
    size_t size = 0;
    char *data = cf_test_read_file (from, &size);
    assert_non_null (data);
    FILE *file = fopen (to, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (data, 1, size, file), size);
    assert_int_equal (fclose (file), 0);
    free (data);
}

//  Runs caseflow-upgrade on the four stores under `dir` (defaults for the
//  rest: the key store dir/intake-keys, its secret beside it); stdout
//  into `out`, stderr appended to dir/upgrade.err. Returns its exit status.
static int
s_upgrade (const char *dir, char *out, size_t size)
{
    char flags [S_STORES][S_PATH], err [S_PATH];
    const char *argv [S_STORES + 2] = { cf_test_binary ("caseflow-upgrade") };
    for (int i = 0; i < S_STORES; i++) {
        snprintf (flags [i], S_PATH, "--%s=%s/%s", s_services [i], dir, s_services [i]);
        argv [i + 1] = flags [i];
    }
    argv [S_STORES + 1] = NULL;
    snprintf (err, sizeof err, "%s/upgrade.err", dir);
    return cf_test_run (argv, NULL, err, out, size);
}

static char *
s_read (const char *dir, const char *file)
{
    char path [S_PATH];
    snprintf (path, sizeof path, "%s/%s", dir, file);
    char *text = cf_test_read_file (path, NULL);
    assert_non_null (text);
    return text;
}

static bool
s_holds (const char *data, size_t size, const char *value)
{
    return memmem (data, size, value, strlen (value)) != NULL;
}

static bool
s_file_holds (const char *path, const char *value)
{
    size_t size = 0;
    char *data = cf_test_read_file (path, &size);
    assert_non_null (data);
    bool found = s_holds (data, size, value);
    free (data);
    return found;
}

//  The personal values the fixture was made with, one a line.
typedef struct {
    char *text;  //  the file, its lines cut at '\n'
    const char *values [S_VALUES];
    size_t count;
} s_values_t;

static void
s_values_load (s_values_t *values)
{
    values->text = cf_test_read_file (S_FIXTURE "/scenario.txt", NULL);
    assert_non_null (values->text);
    values->count = 0;
    for (char *line = strtok (values->text, "\n"); line; line = strtok (NULL, "\n")) {
        assert_true (values->count < S_VALUES);
        values->values [values->count++] = line;
    }
    assert_true (values->count >= 10);
}

//  Calls `fn` for every regular file under `dir`, but not under a folder
//  named "format2" (the old stores the swap keeps).
static void
s_each_file (const char *dir, void (*fn) (const char *path, void *ctx), void *ctx)
{
    DIR *folder = opendir (dir);
    assert_non_null (folder);
    struct dirent *entry;
    while ((entry = readdir (folder))) {
        if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0
            || strcmp (entry->d_name, "format2") == 0)
            continue;
        char path [S_PATH];
        snprintf (path, sizeof path, "%s/%s", dir, entry->d_name);
        struct stat info;
        assert_int_equal (stat (path, &info), 0);
        if (S_ISDIR (info.st_mode))
            s_each_file (path, fn, ctx);
        else if (S_ISREG (info.st_mode))
            fn (path, ctx);
    }
    closedir (folder);
}

//  ------------------------------------------------ what the stores hold

typedef struct {
    char *text;
    size_t length, cap;
} s_list_t;

static int
s_list_record (void *ctx, uint64_t position, const void *data, size_t size)
{
    s_list_t *list = ctx;
    Caseflow__V1__Event *event = cf_event_decode (data, size, NULL, NULL);
    assert_non_null (event);
    char line [256];
    int length = snprintf (line, sizeof line, "%llu %s %llu %s\n", (unsigned long long) position,
                           event->stream, (unsigned long long) event->seq, event->id);
    caseflow__v1__event__free_unpacked (event, NULL);
    if (list->length + (size_t) length + 1 > list->cap) {
        list->cap = (list->cap + (size_t) length + 1) * 2;
        list->text = realloc (list->text, list->cap);
        assert_non_null (list->text);
    }
    memcpy (list->text + list->length, line, (size_t) length + 1);
    list->length += (size_t) length;
    return 0;
}

//  "position stream seq id" of every record of the store in `dir`, of
//  format 2 (`previous`) or 3. Free it.
static char *
s_events (const char *dir, const char *service, bool previous)
{
    int rc;
    cf_journal_t *journal = previous ? cf_journal_open_previous (dir, service, &rc)
                                     : cf_journal_open_readonly (dir, service, &rc);
    assert_non_null (journal);
    s_list_t list = { NULL, 0, 0 };
    assert_int_equal (cf_journal_read_records (journal, 0, s_list_record, &list), 0);
    cf_journal_destroy (&journal);
    assert_non_null (list.text);
    return list.text;
}

//  Looks for every value in every record and in the stored replies.
typedef struct {
    const s_values_t *values;
    const char *service;
} s_search_t;

static int
s_search_record (void *ctx, uint64_t position, const void *data, size_t size)
{
    const s_search_t *search = ctx;
    Caseflow__V1__Event *event = cf_event_decode (data, size, NULL, NULL);
    assert_non_null (event);
    caseflow__v1__event__free_unpacked (event, NULL);
    for (size_t i = 0; i < search->values->count; i++)
        if (s_holds (data, size, search->values->values [i]))
            fail_msg ("%s store, position %llu: \"%s\" in plain", search->service,
                      (unsigned long long) position, search->values->values [i]);
    return 0;
}

static int
s_search_reply (void *ctx, const char *request_id, int64_t stored_at, const void *reply,
                size_t size)
{
    (void) stored_at;
    const s_search_t *search = ctx;
    for (size_t i = 0; i < search->values->count; i++)
        if (s_holds (reply, size, search->values->values [i]))
            fail_msg ("%s store, stored reply %s: \"%s\" in plain", search->service, request_id,
                      search->values->values [i]);
    return 0;
}

typedef struct {
    const s_values_t *values;
    size_t files;
} s_files_t;

static void
s_search_file (const char *path, void *ctx)
{
    s_files_t *search = ctx;
    search->files++;
    for (size_t i = 0; i < search->values->count; i++)
        if (s_file_holds (path, search->values->values [i]))
            fail_msg ("%s holds \"%s\" in plain", path, search->values->values [i]);
}

//  -------------------------------------------------------------- fixture

//  The fixture's stores in a fleet's folders, upgraded and checked offline.
static void
s_check_offline (cf_testfleet_t *fleet, const s_values_t *values)
{
    static char out [1 << 16];
    const char *dir = fleet->dir;
    char path [S_PATH], from [S_PATH];
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (mkdir (path, 0700), 0);
        snprintf (from, sizeof from, "%s/%s/data.mdb", S_FIXTURE, s_services [i]);
        snprintf (path, sizeof path, "%s/%s/data.mdb", dir, s_services [i]);
        s_copy_file (from, path);
    }
    int status = s_upgrade (dir, out, sizeof out);
    if (status) {
        snprintf (path, sizeof path, "%s/upgrade.err", dir);
        cf_test_dump_log (path);
    }
    assert_int_equal (status, 0);
    assert_non_null (strstr (out, "upgraded."));
    assert_non_null (strstr (out, "intake: 29 records: 15 own events (12 rewritten), 14 copies"));
    assert_non_null (strstr (out, "handover key store"));

    for (int i = 0; i < S_STORES; i++) {
        //  Every record where it was: position, stream, seq and event id.
        char store [S_PATH], kept [S_PATH];
        snprintf (store, sizeof store, "%s/%s", dir, s_services [i]);
        snprintf (kept, sizeof kept, "%s/%s/format2", dir, s_services [i]);
        char *before = s_events (kept, s_services [i], true);
        char *after = s_events (store, s_services [i], false);
        assert_string_equal (after, before);
        free (before);
        free (after);
        //  --verify of the service itself.
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_services [i]);
        const char *argv [] = { cf_test_binary (binary), "--verify", "--data-dir", store, NULL };
        assert_int_equal (cf_test_run (argv, NULL, NULL, out, sizeof out), 0);
        assert_non_null (strstr (out, "verify: OK"));
        //  No value in any record or stored reply, handover's included.
        cf_journal_t *journal = cf_journal_open_readonly (store, s_services [i], NULL);
        assert_non_null (journal);
        s_search_t search = { values, s_services [i] };
        assert_int_equal (cf_journal_read_records (journal, 0, s_search_record, &search), 0);
        assert_int_equal (cf_journal_each_request (journal, s_search_reply, &search), 0);
        cf_journal_destroy (&journal);
    }
    //  Every value: in no file of the stores and key stores. The control:
    //  the same search finds every value in the old stores.
    s_files_t search = { values, 0 };
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        s_each_file (path, s_search_file, &search);
    }
    snprintf (path, sizeof path, "%s/intake-keys", dir);
    s_each_file (path, s_search_file, &search);
    snprintf (path, sizeof path, "%s/handover-keys", dir);
    s_each_file (path, s_search_file, &search);
    assert_true (search.files >= 2 * S_STORES + 2);
    for (size_t v = 0; v < values->count; v++) {
        bool found = false;
        for (int i = 0; i < S_STORES && !found; i++) {
            snprintf (path, sizeof path, "%s/%s/format2/data.mdb", dir, s_services [i]);
            found = s_file_holds (path, values->values [v]);
        }
        if (!found)
            fail_msg ("the control did not find \"%s\" in the old stores", values->values [v]);
    }
}

//  A second run changes nothing.
static void
s_check_again (cf_testfleet_t *fleet)
{
    static char out [1 << 16];
    char path [S_PATH];
    char *before [S_STORES + 1], *after;
    size_t sizes [S_STORES + 1], size;
    for (int i = 0; i <= S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s/data.mdb", fleet->dir,
                  i < S_STORES ? s_services [i] : "intake-keys");
        before [i] = cf_test_read_file (path, &sizes [i]);
        assert_non_null (before [i]);
    }
    assert_int_equal (s_upgrade (fleet->dir, out, sizeof out), 0);
    assert_non_null (strstr (out, "nothing to upgrade"));
    for (int i = 0; i <= S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s/data.mdb", fleet->dir,
                  i < S_STORES ? s_services [i] : "intake-keys");
        after = cf_test_read_file (path, &size);
        assert_non_null (after);
        assert_int_equal (size, sizes [i]);
        assert_memory_equal (after, before [i], size);
        free (after);
        free (before [i]);
    }
}

//  What each case shows (tests/fixtures/format2/make.sh registered them).
static const struct {
    const char *case_id;
    const char *values [4];
} s_shown [] = {
    { "C000001", { "Wilhelmina Fixturia", "274819351", "+31 6 1357 9246", "1961-04-17" } },
    { "C000002", { "Koos Kortverblijf", "Nog steeds wachtend, gaat goed" } },
    { "C000003", { "Bartholomeus Oudeboer", "316592080", "Ruzie thuis, school belt" } },
    { "C000004", { "Gerlinde Testbeeld", "06-24681357", "Verhuisd naar Eindhoven" } },
    { "C000005", { "Hendrika Overdracht", "111222333", "Begeleiding thuis twee keer per week" } },
};

//  Trailing white space cut.
static char *
s_trim (char *text)
{
    size_t length = strlen (text);
    while (length && (text [length - 1] == '\n' || text [length - 1] == ' '))
        text [--length] = 0;
    return text;
}

static void
test_fixture (void **state)
{
    (void) state;
    s_values_t values;
    s_values_load (&values);
    static const char *const flags [] = { "--clock=manual", "--log-level=warn", NULL };
    cf_testfleet_t *fleet = cf_testfleet_new ("upgrade", flags);
    //  The console answers the report, from the upgraded streams.
    cf_testfleet_console (fleet);
    s_check_offline (fleet, &values);
    s_check_again (fleet);

    cf_testfleet_start (fleet, true);
    assert_int_equal (cf_testfleet_ctl (fleet, "--json", "intake", "counts", NULL), 0);
    char *expected = s_read (S_FIXTURE, "counts.json");
    assert_string_equal (s_trim (fleet->out), s_trim (expected));
    free (expected);
    assert_int_equal (
        cf_testfleet_ctl (fleet, "--json", "report", "--at", "2022-02-01T09:00", NULL), 0);
    expected = s_read (S_FIXTURE, "report.json");
    assert_string_equal (s_trim (fleet->out), s_trim (expected));
    free (expected);
    for (size_t i = 0; i < sizeof s_shown / sizeof s_shown [0]; i++) {
        assert_int_equal (cf_testfleet_ctl (fleet, "intake", "show", s_shown [i].case_id, NULL), 0);
        for (size_t v = 0; v < 4 && s_shown [i].values [v]; v++)
            if (!strstr (fleet->out, s_shown [i].values [v]))
                fail_msg ("intake show %s does not show \"%s\":\n%s", s_shown [i].case_id,
                          s_shown [i].values [v], fleet->out);
    }
    cf_testfleet_stop (fleet);
    cf_testfleet_destroy (&fleet);
    free (values.text);
}

//  ------------------------------------------------------------- refusals

//  Appends a TrackCreated of intake's stream with `seq` and `id`: intake's
//  own event, or a copy of one (`copy`).
static void
s_track_event (cf_journal_t *journal, uint64_t seq, const char *id, bool copy)
{
    Caseflow__V1__Intake__TrackCreated body = CASEFLOW__V1__INTAKE__TRACK_CREATED__INIT;
    body.track_id = "T1";
    body.name = "Budgetcursus";
    body.location = "L1";
    body.capacity = 8;
    body.starts_on = "2022-02-07";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = (char *) id;
    event.stream = "intake";
    event.seq = seq;
    event.occurred_at = INT64_C (1643702400000000);
    event.schema_version = 1;
    event.body_case = CASEFLOW__V1__EVENT__BODY_TRACK_CREATED;
    event.track_created = &body;
    uint8_t data [256];
    size_t size = caseflow__v1__event__pack (&event, data);
    MDB_txn *txn;
    assert_int_equal (cf_journal_begin (journal, &txn), 0);
    if (copy)
        assert_int_equal (
            cf_journal_append_consumed (journal, txn, "intake", seq, data, size, NULL), 0);
    else
        assert_int_equal (cf_journal_append_produced (journal, txn, seq, data, size, NULL), 0);
    assert_int_equal (cf_journal_commit (journal, txn), 0);
}

//  Four format-2 stores under `dir`: intake's one event, and assignment's
//  copy of it with `copy_id`.
static void
s_small_deployment (const char *dir, const char *copy_id)
{
    for (int i = 0; i < S_STORES; i++) {
        char path [S_PATH];
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        cf_journal_t *journal = cf_journal_open (path, s_services [i], 0, NULL);
        assert_non_null (journal);
        if (strcmp (s_services [i], "intake") == 0)
            s_track_event (journal, 1, "01HZZZZZZZZZZZZZZZZZZZZZZA", false);
        if (strcmp (s_services [i], "assignment") == 0)
            s_track_event (journal, 1, copy_id, true);
        MDB_txn *txn;
        assert_int_equal (cf_journal_begin (journal, &txn), 0);
        assert_int_equal (cf_journal_meta_put (journal, txn, "format", "2", 1), 0);
        assert_int_equal (cf_journal_commit (journal, txn), 0);
        cf_journal_destroy (&journal);
    }
}

//  Nothing was changed: every store of format 2, no staging folder, no
//  kept copy, no key store.
static void
s_unchanged (const char *dir)
{
    char path [S_PATH], format [16];
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (cf_journal_format_of (path, s_services [i], format, sizeof format), 0);
        assert_string_equal (format, "2");
        snprintf (path, sizeof path, "%s/%s/upgrade-staging", dir, s_services [i]);
        assert_int_not_equal (access (path, F_OK), 0);
        snprintf (path, sizeof path, "%s/%s/format2", dir, s_services [i]);
        assert_int_not_equal (access (path, F_OK), 0);
    }
    snprintf (path, sizeof path, "%s/intake-keys/data.mdb", dir);
    assert_int_not_equal (access (path, F_OK), 0);
}

static void
test_refusals (void **state)
{
    (void) state;
    static char out [1 << 16];
    char *dir = cf_test_tmpdir ("upgrade_refusals");
    s_small_deployment (dir, "01HZZZZZZZZZZZZZZZZZZZZZZB");

    //  A copy of an event the producer does not have: named by stream
    //  and seq, and nothing changes.
    assert_int_equal (s_upgrade (dir, out, sizeof out), 1);
    char *err = s_read (dir, "upgrade.err");
    assert_non_null (strstr (err, "stream intake seq 1 is event 01HZZZZZZZZZZZZZZZZZZZZZZB"));
    assert_non_null (strstr (err, "nothing was changed"));
    free (err);
    s_unchanged (dir);

    //  A store another process holds open (a service still running).
    cf_test_rmtree (dir);
    free (dir);
    dir = cf_test_tmpdir ("upgrade_refusals");
    s_small_deployment (dir, "01HZZZZZZZZZZZZZZZZZZZZZZA");
    char path [S_PATH];
    snprintf (path, sizeof path, "%s/notification", dir);
    int ready [2];
    assert_int_equal (pipe (ready), 0);
    pid_t child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        cf_journal_t *held = cf_journal_open_previous (path, "notification", NULL);
        char byte = held ? 'y' : 'n';
        if (write (ready [1], &byte, 1) != 1)
            _exit (1);
        pause ();
        _exit (0);
    }
    char byte = 0;
    assert_int_equal (read (ready [0], &byte, 1), 1);
    assert_int_equal (byte, 'y');
    assert_int_equal (s_upgrade (dir, out, sizeof out), 1);
    kill (child, SIGKILL);
    int status;
    assert_int_equal (waitpid (child, &status, 0), child);
    close (ready [0]);
    close (ready [1]);
    err = s_read (dir, "upgrade.err");
    assert_non_null (strstr (err, "is open in another process: stop every service first"));
    free (err);
    s_unchanged (dir);

    //  Once it is closed, the small deployment upgrades.
    assert_int_equal (s_upgrade (dir, out, sizeof out), 0);
    assert_non_null (strstr (out, "assignment: 1 records: 0 own events (0 rewritten), 1 copies"));
    cf_test_rmtree (dir);
    free (dir);
}

//  An upgrade interrupted while swapping the stores in (the key store and
//  two stores swapped, the third's old store linked into format2/ but not
//  yet replaced) is finished by the next run.
static void
test_resume (void **state)
{
    (void) state;
    static char out [1 << 16];
    char *dir = cf_test_tmpdir ("upgrade_resume");
    s_small_deployment (dir, "01HZZZZZZZZZZZZZZZZZZZZZZA");
    assert_int_equal (s_upgrade (dir, out, sizeof out), 0);
    //  Back to the moment before the last two renames.
    for (int i = 2; i < S_STORES; i++) {
        char store [S_PATH / 2], staged [S_PATH / 2 + 32], from [S_PATH], to [S_PATH];
        snprintf (store, sizeof store, "%s/%s", dir, s_services [i]);
        snprintf (staged, sizeof staged, "%s/upgrade-staging", store);
        assert_int_equal (mkdir (staged, 0700), 0);
        snprintf (from, sizeof from, "%s/data.mdb", store);
        snprintf (to, sizeof to, "%s/data.mdb", staged);
        assert_int_equal (rename (from, to), 0);
        snprintf (from, sizeof from, "%s/format2/data.mdb", store);
        snprintf (to, sizeof to, "%s/data.mdb", store);
        assert_int_equal (link (from, to), 0);
        if (i == S_STORES - 1) {
            assert_int_equal (unlink (from), 0);
            snprintf (from, sizeof from, "%s/format2", store);
            assert_int_equal (rmdir (from), 0);
        }
    }
    assert_int_equal (s_upgrade (dir, out, sizeof out), 0);
    assert_non_null (strstr (out, "interrupted while swapping the stores in: finishing it"));
    for (int i = 0; i < S_STORES; i++) {
        char store [S_PATH / 2], format [16];
        snprintf (store, sizeof store, "%s/%s", dir, s_services [i]);
        assert_int_equal (cf_journal_format_of (store, s_services [i], format, sizeof format), 0);
        assert_string_equal (format, "3");
        char kept [S_PATH];
        snprintf (kept, sizeof kept, "%s/format2", store);
        assert_int_equal (cf_journal_format_of (kept, s_services [i], format, sizeof format), 0);
        assert_string_equal (format, "2");
    }
    assert_int_equal (s_upgrade (dir, out, sizeof out), 0);
    assert_non_null (strstr (out, "nothing to upgrade"));
    cf_test_rmtree (dir);
    free (dir);
}

//  ------------------------------------------------------------ format 1

#define S_FORMAT1 CF_FIXTURE_DIR "/format1"

//  A deployment of store format 1 (tests/fixtures/format1, made by the
//  release before record checksums): every service and its --verify
//  refuse it naming the format, and so does caseflow-upgrade, changing
//  nothing. There is no migration from format 1 (docs/operations.md).
static void
test_format1 (void **state)
{
    (void) state;
    static char out [1 << 16];
    char *dir = cf_test_tmpdir ("upgrade_format1");
    char path [S_PATH], from [S_PATH], err [S_PATH], format [16];
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (mkdir (path, 0700), 0);
        snprintf (from, sizeof from, "%s/%s/data.mdb", S_FORMAT1, s_services [i]);
        snprintf (path, sizeof path, "%s/%s/data.mdb", dir, s_services [i]);
        s_copy_file (from, path);
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (cf_journal_format_of (path, s_services [i], format, sizeof format), 0);
        assert_string_equal (format, "1");
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_services [i]);
        snprintf (err, sizeof err, "%s/%s.err", dir, s_services [i]);
        const char *verify [] = { cf_test_binary (binary), "--verify", "--data-dir", path, NULL };
        assert_int_equal (cf_test_run (verify, NULL, err, out, sizeof out), 1);
        assert_non_null (strstr (out, "verify: FAILED"));
        //  The service itself, as it would start: refused before it
        //  serves (exit 1), naming the format.
        const char *start [] = { cf_test_binary (binary), "--clock=manual", "--data-dir", path,
                                 NULL };
        assert_int_equal (cf_test_run (start, NULL, err, out, sizeof out), 1);
        char *log = cf_test_read_file (err, NULL);
        assert_non_null (log);
        assert_non_null (strstr (log, "store format \\\"1\\\" has no record checksums"));
        free (log);
    }
    assert_int_equal (s_upgrade (dir, out, sizeof out), 1);
    char *text = s_read (dir, "upgrade.err");
    assert_non_null (strstr (text, "intake: a store of format \"1\"; this upgrade reads format"));
    free (text);
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (cf_journal_format_of (path, s_services [i], format, sizeof format), 0);
        assert_string_equal (format, "1");
        snprintf (path, sizeof path, "%s/%s/upgrade-staging", dir, s_services [i]);
        assert_int_not_equal (access (path, F_OK), 0);
    }
    cf_test_rmtree (dir);
    free (dir);
}

//  ------------------------------------- format 3 with handover in plain

#define S_PLAIN CF_FIXTURE_DIR "/format3-plain"

static void
test_format3_plain (void **state)
{
    (void) state;
    static char out [1 << 16];
    char *dir = cf_test_tmpdir ("upgrade_plain");
    char path [S_PATH], from [S_PATH];
    for (int i = 0; i < S_STORES; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        assert_int_equal (mkdir (path, 0700), 0);
        snprintf (from, sizeof from, "%s/%s/data.mdb", S_PLAIN, s_services [i]);
        snprintf (path, sizeof path, "%s/%s/data.mdb", dir, s_services [i]);
        s_copy_file (from, path);
        char binary [64];
        snprintf (binary, sizeof binary, "caseflow-%s", s_services [i]);
        snprintf (path, sizeof path, "%s/%s", dir, s_services [i]);
        const char *argv [] = { cf_test_binary (binary), "--verify", "--data-dir", path, NULL };
        assert_int_equal (cf_test_run (argv, NULL, NULL, out, sizeof out), 0);
        assert_non_null (strstr (out, "verify: OK"));
    }
    //  caseflow-upgrade says so rather than "nothing to upgrade", and
    //  changes nothing.
    size_t size = 0;
    snprintf (path, sizeof path, "%s/handover/data.mdb", dir);
    char *before = cf_test_read_file (path, &size);
    assert_non_null (before);
    assert_int_equal (s_upgrade (dir, out, sizeof out), 1);
    char *err = s_read (dir, "upgrade.err");
    assert_non_null (strstr (err, "holds personal data in plain (seq 2)"));
    assert_non_null (strstr (err, "nothing was changed"));
    free (err);
    size_t after_size = 0;
    char *after = cf_test_read_file (path, &after_size);
    assert_non_null (after);
    assert_int_equal (after_size, size);
    assert_memory_equal (after, before, size);
    free (before);
    free (after);
    snprintf (path, sizeof path, "%s/handover/format2", dir);
    assert_int_not_equal (access (path, F_OK), 0);
    //  Handover replays its own events first: the announcement at seq 2
    //  holds the resident in plain.
    cf_testproc_t handover;
    snprintf (path, sizeof path, "%s/handover", dir);
    cf_testproc_init (&handover, cf_test_binary ("caseflow-handover"), path);
    handover.die_with_parent = true;
    static const char *const flags [] = { "--clock=manual", "--log-level=warn", NULL };
    assert_int_equal (cf_testproc_start (&handover, flags), 0);
    //  Signal 0: no signal, only the wait for its exit (-1: still running
    //  after 20 s, then killed).
    assert_int_equal (cf_testproc_stop (&handover, 0, 20000), 1);
    char *log = cf_test_read_file (handover.log_path, NULL);
    assert_non_null (log);
    assert_non_null (strstr (log, "handover seq 2 holds personal data in plain"));
    assert_non_null (strstr (log, "before handover sealed its events"));
    free (log);
    cf_testproc_destroy (&handover);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_fixture), cmocka_unit_test (test_refusals),
        cmocka_unit_test (test_resume),  cmocka_unit_test (test_format3_plain),
        cmocka_unit_test (test_format1),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
