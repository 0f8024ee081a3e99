//  cf_testdemo: the demo's recorded streams (see the header).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_testdemo.h"

#include "cf_event.h"
#include "cf_journal.h"
#include "cf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_FIXTURE CF_FIXTURE_DIR "/demo"

typedef struct {
    cf_testdemo_t *demo;
    cf_fold_stream_id_t stream;
} s_reading_t;

static int
s_keep_event (void *ctx, uint64_t seq, const void *data, size_t size)
{
    s_reading_t *reading = ctx;
    cf_testdemo_t *demo = reading->demo;
    cf_fold_stream_t *stream = &demo->streams.streams [reading->stream];
    const char *why = NULL;
    Caseflow__V1__Event *event =
        cf_event_decode (data, size, cf_fold_stream_name (reading->stream), &why);
    if (!event) {
        fprintf (stderr, "%s seq %llu: %s\n", cf_fold_stream_name (reading->stream),
                 (unsigned long long) seq, why);
        return 1;
    }
    assert_int_equal (event->seq, stream->count + 1);
    size_t *cap = &demo->caps [reading->stream];
    if (stream->count == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        demo->events [reading->stream] =
            realloc (demo->events [reading->stream], *cap * sizeof (Caseflow__V1__Event *));
        assert_non_null (demo->events [reading->stream]);
    }
    demo->events [reading->stream][stream->count++] = event;
    stream->events = (const Caseflow__V1__Event *const *) demo->events [reading->stream];
    return 0;
}

//  Reads the produced events of one service's store.
static void
s_read_stream (cf_testdemo_t *demo, cf_fold_stream_id_t id)
{
    const char *name = cf_fold_stream_name (id);
    char from [512], dir [512], to [600];
    snprintf (from, sizeof from, "%s/stores/%s/data.mdb", S_FIXTURE, name);
    snprintf (dir, sizeof dir, "%s/%s", demo->dir, name);
    snprintf (to, sizeof to, "%s/data.mdb", dir);
    size_t size = 0;
    char *bytes = cf_test_read_file (from, &size);
    assert_non_null (bytes);
    assert_int_equal (mkdir (dir, 0700), 0);
    FILE *file = fopen (to, "wb");
    assert_non_null (file);
    assert_int_equal (fwrite (bytes, 1, size, file), size);
    assert_int_equal (fclose (file), 0);
    free (bytes);
    int rc = 0;
    cf_journal_t *journal = cf_journal_open_readonly (dir, name, &rc);
    assert_non_null (journal);
    s_reading_t reading = { demo, id };
    assert_int_equal (
        cf_journal_read_produced (journal, NULL, 1, UINT64_MAX, 0, 0, s_keep_event, &reading), 0);
    assert_int_equal (demo->streams.streams [id].count, cf_journal_last_seq (journal, NULL));
    demo->streams.streams [id].available = true;
    cf_journal_destroy (&journal);
}

cf_testdemo_t *
cf_testdemo_load (void)
{
    cf_testdemo_t *demo = calloc (1, sizeof *demo);
    assert_non_null (demo);
    demo->dir = cf_test_tmpdir ("demo-streams");
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++)
        s_read_stream (demo, s);
    return demo;
}

void
cf_testdemo_destroy (cf_testdemo_t **self_p)
{
    cf_testdemo_t *demo = *self_p;
    if (!demo)
        return;
    for (int s = 0; s < CF_FOLD_STREAM_COUNT; s++) {
        for (size_t i = 0; i < demo->streams.streams [s].count; i++)
            caseflow__v1__event__free_unpacked (demo->events [s][i], NULL);
        free (demo->events [s]);
    }
    cf_test_rmtree (demo->dir);
    free (demo->dir);
    free (demo);
    *self_p = NULL;
}

int
cf_testdemo_setup (void **state)
{
    *state = cf_testdemo_load ();
    return 0;
}

int
cf_testdemo_teardown (void **state)
{
    cf_testdemo_t *demo = *state;
    cf_testdemo_destroy (&demo);
    return 0;
}
