//  bench_journal_replay: how fast a service can rebuild its state.
//
//  Builds a journal of N encoded caseflow.v1.Event messages of about 200
//  bytes (NoteRecorded bodies), appended 1,000 per commit with the default
//  fsync, then times cf_journal_read_records with a callback that decodes each
//  event with protobuf-c and frees it: the cost a service pays at start
//  before its own apply. A second pass without decoding (journal_scan)
//  shows how much of that is the journal's. Prints one line per figure:
//
//      journal_append events=1000000 per_commit=1000 seconds=... events_per_s=...
//      journal_replay events=1000000 seconds=... events_per_s=...
//      journal_scan events=1000000 seconds=... events_per_s=...
//      journal_store bytes=... entries=... bytes_per_event=...
//      journal_open bytes=... seconds=...   (closed and opened again)
//
//  Usage: bench_journal_replay [--events N] [--smoke]   (--smoke: 10,000)
#include "cf_error.h"
#include "cf_journal.h"
#include "cf_log.h"
#include "cf_test.h"

#include "caseflow/v1/event.pb-c.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PER_COMMIT 1000

typedef struct {
    uint64_t events;  //  decoded so far
    uint64_t bad;     //  events that did not decode as written
} replay_t;

static double
s_now (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (double) now.tv_sec + (double) now.tv_nsec / 1e9;
}

//  Encodes event `seq` into `buffer`; the note's text pads it to ~200 bytes.
static size_t
s_encode (uint8_t *buffer, size_t cap, uint64_t seq)
{
    char id [32], text [120];
    snprintf (id, sizeof id, "01HBENCH%018" PRIu64, seq);
    memset (text, 'n', sizeof text - 1);
    text [sizeof text - 1] = 0;
    Caseflow__V1__Testing__NoteRecorded note = CASEFLOW__V1__TESTING__NOTE_RECORDED__INIT;
    note.text = text;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = id;
    event.stream = "bench";
    event.seq = seq;
    event.occurred_at = 1700000000000000 + (int64_t) seq;
    event.correlation_id = "req-bench";
    event.causation_id = "req-bench";
    event.schema_version = 1;
    event.body_case = CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED;
    event.note_recorded = &note;
    size_t size = caseflow__v1__event__get_packed_size (&event);
    assert (size <= cap);
    return caseflow__v1__event__pack (&event, buffer);
}

static int
s_decode (void *ctx, uint64_t position, const void *data, size_t size)
{
    replay_t *replay = ctx;
    Caseflow__V1__Event *event = caseflow__v1__event__unpack (NULL, size, data);
    if (!event || event->seq != position
        || event->body_case != CASEFLOW__V1__EVENT__BODY_NOTE_RECORDED)
        replay->bad++;
    if (event)
        caseflow__v1__event__free_unpacked (event, NULL);
    replay->events++;
    return 0;
}

//  Touches each event's bytes, so the scan pays for reading the pages.
static int
s_scan (void *ctx, uint64_t position, const void *data, size_t size)
{
    replay_t *replay = ctx;
    (void) position;
    replay->events++;
    replay->bad += ((const uint8_t *) data) [size - 1] == 0xff;
    return 0;
}

int
main (int argc, char *argv [])
{
    uint64_t events = 1000000;
    for (int arg = 1; arg < argc; arg++) {
        if (strcmp (argv [arg], "--smoke") == 0)
            events = 10000;
        else if (strcmp (argv [arg], "--events") == 0 && arg + 1 < argc)
            events = strtoull (argv [++arg], NULL, 10);
        else {
            fprintf (stderr, "usage: %s [--events N] [--smoke]\n", argv [0]);
            return 2;
        }
    }
    if (events == 0) {
        fprintf (stderr, "--events must be at least 1\n");
        return 2;
    }
    cf_log_init ("bench_journal_replay", CF_LOG_WARN);

    char *dir = cf_test_tmpdir ("bench-journal");
    //  Room for the events with B-tree overhead to spare, and never less
    //  than the default.
    size_t map_size = events * 600 > ((size_t) 1 << 30) ? events * 600 : ((size_t) 1 << 30);
    int rc = 0;
    cf_journal_t *journal = cf_journal_open (dir, "bench", map_size, &rc);
    if (!journal) {
        fprintf (stderr, "cf_journal_open: %s\n", cf_strerror (rc));
        cf_test_rmtree (dir);
        free (dir);
        return 1;
    }

    uint8_t buffer [512];
    size_t event_bytes = 0;
    double started = s_now ();
    for (uint64_t seq = 1; seq <= events && rc == 0;) {
        MDB_txn *txn;
        rc = cf_journal_begin (journal, &txn);
        if (rc)
            break;
        for (int count = 0; count < PER_COMMIT && seq <= events && rc == 0; count++, seq++) {
            size_t size = s_encode (buffer, sizeof buffer, seq);
            event_bytes += size;
            rc = cf_journal_append_produced (journal, txn, seq, buffer, size, NULL);
        }
        if (rc)
            cf_journal_abort (journal, txn);
        else
            rc = cf_journal_commit (journal, txn);
    }
    double append_seconds = s_now () - started;
    if (rc) {
        fprintf (stderr, "append: %s\n", cf_strerror (rc));
        cf_journal_destroy (&journal);
        cf_test_rmtree (dir);
        free (dir);
        return 1;
    }
    printf ("journal_append events=%" PRIu64 " per_commit=%d seconds=%.2f events_per_s=%.0f "
            "event_bytes=%.0f\n",
            events, PER_COMMIT, append_seconds, (double) events / append_seconds,
            (double) event_bytes / (double) events);

    replay_t replay = { 0, 0 };
    started = s_now ();
    rc = cf_journal_read_records (journal, 1, s_decode, &replay);
    double replay_seconds = s_now () - started;
    printf ("journal_replay events=%" PRIu64 " seconds=%.2f events_per_s=%.0f\n", replay.events,
            replay_seconds, (double) replay.events / replay_seconds);
    replay_t scan = { 0, 0 };
    started = s_now ();
    int scan_rc = cf_journal_read_records (journal, 1, s_scan, &scan);
    double scan_seconds = s_now () - started;
    printf ("journal_scan events=%" PRIu64 " seconds=%.2f events_per_s=%.0f\n", scan.events,
            scan_seconds, (double) scan.events / scan_seconds);
    uint64_t bytes = cf_journal_bytes (journal);
    uint64_t entries = cf_journal_entries (journal);
    printf ("journal_store bytes=%" PRIu64 " entries=%" PRIu64 " bytes_per_event=%.0f\n", bytes,
            entries, (double) bytes / (double) entries);

    //  Opening it again: the check of the file before LMDB maps it walks
    //  every page in use (cf_store_file.h), the cost a start pays first.
    cf_journal_destroy (&journal);
    started = s_now ();
    journal = cf_journal_open (dir, "bench", map_size, &rc);
    double open_seconds = s_now () - started;
    printf ("journal_open bytes=%" PRIu64 " seconds=%.3f\n", bytes, open_seconds);

    int failed = !journal || rc != 0 || scan_rc != 0 || scan.events != events
                 || replay.events != events || replay.bad != 0 || entries != events;
    if (failed)
        fprintf (stderr,
                 "bench_journal_replay: FAILED rc=%s replayed=%" PRIu64 " bad=%" PRIu64
                 " entries=%" PRIu64 "\n",
                 cf_strerror (rc), replay.events, replay.bad, entries);
    cf_journal_destroy (&journal);
    cf_test_rmtree (dir);
    free (dir);
    return failed ? 1 : 0;
}
