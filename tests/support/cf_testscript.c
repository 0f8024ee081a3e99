//  cf_testscript: scripted event streams for the folds' unit tests (see
//  cf_testscript.h).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_testscript.h"

#include "cf_time.h"

#include <stdio.h>
#include <stdlib.h>

//  Events per stream and pool blocks per script: enough for any unit test.
#define S_EVENTS 256
#define S_BLOCKS 2048
#define S_BLOCK  256

struct _cf_testscript_t {
    char (*pool) [S_BLOCK];
    size_t used;
    const Caseflow__V1__Event *lists [CF_FOLD_STREAM_COUNT][S_EVENTS];
    cf_fold_streams_t streams;
};

cf_testscript_t *
cf_testscript_new (void)
{
    cf_testscript_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->pool = calloc (S_BLOCKS, S_BLOCK);
    assert_non_null (self->pool);
    return self;
}

void
cf_testscript_destroy (cf_testscript_t **self_p)
{
    cf_testscript_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    free (self->pool);
    free (self);
    *self_p = NULL;
}

void *
cf_testscript_alloc (cf_testscript_t *self, size_t size)
{
    assert_true (size <= S_BLOCK);
    assert_true (self->used < S_BLOCKS);
    return self->pool [self->used++];
}

Caseflow__V1__Event *
cf_testscript_event (cf_testscript_t *self, cf_fold_stream_id_t id, const char *at,
                     Caseflow__V1__Event__BodyCase body)
{
    cf_fold_stream_t *stream = &self->streams.streams [id];
    assert_true (stream->count < S_EVENTS);
    Caseflow__V1__Event *event = cf_testscript_alloc (self, sizeof *event);
    caseflow__v1__event__init (event);
    char *name = cf_testscript_alloc (self, 64);
    snprintf (name, 64, "%s-%zu", cf_fold_stream_name (id), stream->count + 1);
    event->id = name;
    event->stream = (char *) cf_fold_stream_name (id);
    event->seq = stream->count + 1;
    event->occurred_at = cf_testscript_time (at);
    event->body_case = body;
    self->lists [id][stream->count++] = event;
    stream->events = self->lists [id];
    stream->available = true;
    return event;
}

void
cf_testscript_available (cf_testscript_t *self, cf_fold_stream_id_t stream, bool available)
{
    self->streams.streams [stream].available = available;
    self->streams.streams [stream].events = self->lists [stream];
}

const cf_fold_streams_t *
cf_testscript_streams (const cf_testscript_t *self)
{
    return &self->streams;
}

int64_t
cf_testscript_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}
