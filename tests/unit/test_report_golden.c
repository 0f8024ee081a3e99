//  test_report_golden: the council report of every week of the demo,
//  folded by common/cf_report from the demo's journals, is the report
//  caseflowctl printed for it before the folds left caseflowctl, byte for
//  byte (tests/fixtures/demo/: the five services' stores and
//  `caseflowctl --json report --at T` for every Monday and the demo's end).
//
//  No service runs: the streams are read from the fixture's journals with
//  the journal's own read api (the produced events, as replay serves them)
//  and handed to the library as caseflowctl hands it the replayed ones.
//  The `handovers` object is the handover service's progress report, not
//  the library's: it is taken from the golden file, and everything else
//  must match.
//
//  The same streams check the case timeline fold (cf_timeline) against the
//  report: every case the demo registered folds, its time line in time
//  order and about the case, and the statuses of all of them add up to the
//  report's waiting, active and closed counts. And the events the fold
//  does not read (cf_report_reads) change nothing when left out. And the
//  report from the nearest checkpoint (cf_report_checkpoints) is the
//  whole fold's for every day of the demo, whatever order the streams
//  arrive in.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_event.h"
#include "cf_journal.h"
#include "cf_error.h"
#include "cf_report.h"
#include "cf_report_checkpoints.h"
#include "cf_test.h"
#include "cf_testdemo.h"
#include "cf_timeline.h"
#include "cf_time.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_FIXTURE CF_FIXTURE_DIR "/demo"

typedef cf_testdemo_t s_demo_t;

//  The figures for the golden report in `path` as caseflowctl prints them
//  (compact, six significant digits, a newline), `handovers` taken from it.
static char *
s_report (const s_demo_t *demo, const char *path, char **golden_p)
{
    *golden_p = cf_test_read_file (path, NULL);
    assert_non_null (*golden_p);
    json_error_t error;
    json_t *golden = json_loads (*golden_p, 0, &error);
    assert_non_null (golden);
    int64_t at = 0;
    assert_int_equal (cf_time_parse (json_string_value (json_object_get (golden, "at")), &at), 0);
    json_t *figures = cf_report_figures (&demo->streams, at);
    assert_non_null (figures);
    json_object_set (figures, "handovers", json_object_get (golden, "handovers"));
    char *text = json_dumps (figures, JSON_COMPACT | JSON_REAL_PRECISION (6) | JSON_ENCODE_ANY);
    assert_non_null (text);
    size_t len = strlen (text);
    char *line = malloc (len + 2);
    assert_non_null (line);
    memcpy (line, text, len);
    memcpy (line + len, "\n", 2);
    free (text);
    json_decref (figures);
    json_decref (golden);
    return line;
}

static int
s_compare_names (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
test_every_week_of_the_demo (void **state)
{
    const s_demo_t *demo = *state;
    //  The stores hold what the demo played: no stream is empty.
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
        assert_true (demo->streams.streams [s].count > 100);
    DIR *dir = opendir (S_FIXTURE "/reports");
    assert_non_null (dir);
    char *names [64];
    size_t count = 0;
    for (struct dirent *entry = readdir (dir); entry; entry = readdir (dir))
        if (strstr (entry->d_name, ".json") && count < 64)
            names [count++] = strdup (entry->d_name);
    closedir (dir);
    qsort (names, count, sizeof *names, s_compare_names);
    //  Every Monday from 3 January to 7 March 2022, and the demo's end.
    assert_int_equal (count, 11);
    size_t differ = 0;
    for (size_t i = 0; i < count; i++) {
        char path [512], *golden = NULL;
        snprintf (path, sizeof path, "%s/reports/%s", S_FIXTURE, names [i]);
        char *made = s_report (demo, path, &golden);
        if (strcmp (made, golden) != 0) {
            fprintf (stderr, "%s differs:\n  golden: %s  folded: %s", names [i], golden, made);
            differ++;
        }
        free (made);
        free (golden);
        free (names [i]);
    }
    assert_int_equal (differ, 0);
}

static const char *
s_case_of (const cf_timeline_entry_t *entry)
{
    return entry->stream == CF_FOLD_INTAKE || entry->stream == CF_FOLD_ASSIGNMENT
               ? cf_fold_event_case_id (entry->event)
               : entry->event->case_id;
}

static void
test_every_case_timeline (void **state)
{
    const s_demo_t *demo = *state;
    int64_t at = 0;
    assert_int_equal (cf_time_parse ("2022-03-07T09:00", &at), 0);
    const cf_fold_stream_t *intake = &demo->streams.streams [CF_FOLD_INTAKE];
    json_int_t waiting = 0, active = 0, closed = 0, cases = 0, with_callbacks = 0;
    for (size_t i = 0; i < intake->count; i++) {
        const Caseflow__V1__Event *registered = intake->events [i];
        if (registered->body_case != CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED)
            continue;
        const char *id = registered->case_registered->case_id;
        cf_timeline_t *line = NULL;
        //  Not yet registered a moment before (every tenth case: each fold
        //  reads the whole streams).
        if (cases % 10 == 0) {
            assert_int_equal (
                cf_timeline_fold (&demo->streams, id, registered->occurred_at - 1, &line),
                CF_ENOTFOUND);
            assert_null (line);
        }
        assert_int_equal (cf_timeline_fold (&demo->streams, id, at, &line), 0);
        assert_int_equal (line->registered_at, registered->occurred_at);
        assert_true (line->entry_count >= 2);
        for (size_t e = 0; e < line->entry_count; e++) {
            const cf_timeline_entry_t *entry = &line->entries [e];
            assert_true (entry->event->occurred_at <= at);
            if (e)
                assert_true (line->entries [e - 1].event->occurred_at <= entry->event->occurred_at);
            //  Handover's and notification's events may name the case
            //  only through a handover or a reminder.
            if (entry->stream == CF_FOLD_INTAKE || entry->stream == CF_FOLD_ASSIGNMENT)
                assert_string_equal (s_case_of (entry), id);
        }
        //  Callbacks in due order (a recorded call of its own has one too).
        for (size_t c = 1; c < line->callback_count; c++)
            assert_true (line->callbacks [c - 1].due_at <= line->callbacks [c].due_at);
        with_callbacks += line->callback_count > 0;
        cases++;
        waiting += line->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
        active += line->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
                  || line->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE;
        closed += line->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
        cf_timeline_destroy (&line);
        assert_null (line);
    }
    cf_timeline_t *line = NULL;
    assert_int_equal (cf_timeline_fold (&demo->streams, "C999999", at, &line), CF_ENOTFOUND);
    //  The two folds agree on every case's status.
    json_t *figures = cf_report_figures (&demo->streams, at);
    assert_non_null (figures);
    assert_int_equal (cases, json_integer_value (json_object_get (figures, "registrations_total")));
    assert_int_equal (waiting, json_integer_value (json_object_get (figures, "waiting")));
    assert_int_equal (active, json_integer_value (json_object_get (figures, "active_cases")));
    assert_int_equal (closed, json_integer_value (json_object_get (figures, "closed_cases")));
    assert_true (with_callbacks > 100);
    json_decref (figures);
}

//  Leaving out every event cf_report_reads says the fold does not read
//  (what the console never decodes) gives the same figures, byte for
//  byte, at every golden moment and at the demo's start.
static void
test_only_what_it_reads (void **state)
{
    const s_demo_t *demo = *state;
    int64_t ats [12] = { 0 };
    size_t at_count = 0;
    DIR *dir = opendir (S_FIXTURE "/reports");
    assert_non_null (dir);
    for (struct dirent *entry = readdir (dir); entry; entry = readdir (dir)) {
        if (!strstr (entry->d_name, ".json") || at_count == 11)
            continue;
        char path [512];
        snprintf (path, sizeof path, "%s/reports/%s", S_FIXTURE, entry->d_name);
        json_t *golden = json_load_file (path, 0, NULL);
        assert_non_null (golden);
        assert_int_equal (
            cf_time_parse (json_string_value (json_object_get (golden, "at")), &ats [at_count]), 0);
        at_count++;
        json_decref (golden);
    }
    closedir (dir);
    assert_int_equal (at_count, 11);
    ats [at_count++] = demo->streams.streams [CF_FOLD_INTAKE].events [0]->occurred_at;
    size_t left_out = 0;
    for (size_t a = 0; a < at_count; a++) {
        cf_fold_streams_t only = demo->streams;
        for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
            const cf_fold_stream_t *whole = &demo->streams.streams [s];
            const Caseflow__V1__Event **events = calloc (whole->count + 1, sizeof *events);
            assert_non_null (events);
            size_t n = 0;
            for (size_t i = 0; i < whole->count; i++)
                if (cf_report_reads ((cf_fold_stream_id_t) s, whole->events [i]->body_case,
                                     whole->events [i]->occurred_at, ats [a]))
                    events [n++] = whole->events [i];
            left_out += whole->count - n;
            only.streams [s].events = events;
            only.streams [s].count = n;
        }
        json_t *figures = cf_report_figures (&demo->streams, ats [a]);
        json_t *figures_only = cf_report_figures (&only, ats [a]);
        char *text = json_dumps (figures, JSON_COMPACT);
        char *text_only = json_dumps (figures_only, JSON_COMPACT);
        assert_string_equal (text_only, text);
        free (text);
        free (text_only);
        json_decref (figures);
        json_decref (figures_only);
        for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
            free ((void *) only.streams [s].events);
    }
    //  It does leave events out (handover's, and kinds no pass counts).
    assert_true (left_out > 1000);
}

//  The demo's streams as a console holds them: each stream's events
//  appended up to `visible`.
typedef struct {
    const s_demo_t *demo;
    size_t visible [CF_FOLD_STREAM_COUNT];
} s_source_t;

static size_t
s_source_count (void *ctx, cf_fold_stream_id_t stream)
{
    return ((s_source_t *) ctx)->visible [stream];
}

static const Caseflow__V1__Event *
s_source_event (void *ctx, cf_fold_stream_id_t stream, size_t index)
{
    s_source_t *source = ctx;
    assert_true (index < source->visible [stream]);
    return source->demo->streams.streams [stream].events [index];
}

static int64_t
s_source_occurred_at (void *ctx, cf_fold_stream_id_t stream, size_t index)
{
    return s_source_event (ctx, stream, index)->occurred_at;
}

static Caseflow__V1__Event__BodyCase
s_source_kind (void *ctx, cf_fold_stream_id_t stream, size_t index)
{
    return s_source_event (ctx, stream, index)->body_case;
}

static const Caseflow__V1__Event *
s_source_decode (void *ctx, cf_fold_stream_id_t stream, size_t index, ProtobufCAllocator *allocator)
{
    (void) allocator;
    return s_source_event (ctx, stream, index);
}

//  Appends intake's and assignment's events to `source`, telling `keeper`
//  of each: in time order (ties: intake first), or assignment's all
//  before intake's (an upstream far behind: the keeper's fold is made
//  again when intake's come in before it).
static void
s_deliver (s_source_t *source, cf_report_checkpoints_t *keeper, bool time_order)
{
    const cf_fold_stream_t *intake = &source->demo->streams.streams [CF_FOLD_INTAKE];
    const cf_fold_stream_t *assignment = &source->demo->streams.streams [CF_FOLD_ASSIGNMENT];
    size_t *i = &source->visible [CF_FOLD_INTAKE], *a = &source->visible [CF_FOLD_ASSIGNMENT];
    while (*i < intake->count || *a < assignment->count) {
        bool take_intake = time_order ? *a == assignment->count
                                            || (*i < intake->count
                                                && intake->events [*i]->occurred_at
                                                       <= assignment->events [*a]->occurred_at)
                                      : *a == assignment->count;
        cf_fold_stream_id_t stream = take_intake ? CF_FOLD_INTAKE : CF_FOLD_ASSIGNMENT;
        source->visible [stream]++;
        cf_report_checkpoints_appended (keeper, stream);
    }
}

static char *
s_text (json_t *figures)
{
    assert_non_null (figures);
    char *text = json_dumps (figures, JSON_COMPACT);
    assert_non_null (text);
    json_decref (figures);
    return text;
}

static void
test_every_day_from_checkpoints (void **state)
{
    const s_demo_t *demo = *state;
    cf_report_source_t reader = { NULL, s_source_count, s_source_occurred_at, s_source_kind,
                                  s_source_decode };
    cf_strings_t *strings = cf_strings_new ();
    s_source_t sources [2] = { { demo, { 0 } }, { demo, { 0 } } };
    cf_report_checkpoints_t *keepers [2];
    for (int k = 0; k < 2; k++) {
        reader.ctx = &sources [k];
        //  A step and a spacing far smaller than a console's, so that the
        //  demo's days fall between many checkpoints.
        keepers [k] = cf_report_checkpoints_new (&reader, strings, 7, 150);
        s_deliver (&sources [k], keepers [k], k == 0);
    }
    assert_true (cf_report_checkpoints_count (keepers [0]) > 20);
    assert_true (cf_report_checkpoints_count (keepers [1]) > 20);
    //  Every day from the one before the first event to the one after the
    //  last, at a time of day that moves (on an event's own time too).
    const cf_fold_stream_t *intake = &demo->streams.streams [CF_FOLD_INTAKE];
    int64_t first = intake->events [0]->occurred_at - CF_USEC_PER_DAY;
    int64_t last = intake->events [intake->count - 1]->occurred_at + CF_USEC_PER_DAY;
    size_t days = 0;
    for (int64_t at = first; at <= last; at += CF_USEC_PER_DAY + 37 * CF_USEC_PER_MIN) {
        char *whole = s_text (cf_report_figures (&demo->streams, at));
        for (int k = 0; k < 2; k++) {
            char *kept = s_text (cf_report_checkpoints_figures (keepers [k], &demo->streams, at));
            if (strcmp (kept, whole) != 0)
                fail_msg ("at %lld (order %d):\n  whole: %s\n  kept:  %s", (long long) at, k, whole,
                          kept);
            free (kept);
        }
        free (whole);
        days++;
    }
    assert_true (days > 60);
    for (int k = 0; k < 2; k++)
        cf_report_checkpoints_destroy (&keepers [k]);
    cf_strings_destroy (&strings);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_every_week_of_the_demo),
        cmocka_unit_test (test_every_case_timeline),
        cmocka_unit_test (test_only_what_it_reads),
        cmocka_unit_test (test_every_day_from_checkpoints),
    };
    return cmocka_run_group_tests (tests, cf_testdemo_setup, cf_testdemo_teardown);
}
