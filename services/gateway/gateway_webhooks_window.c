//  gateway_webhooks_window: per stream, a run of packed events in seq order
//  (see the header). Dropping moves a start index; the array is compacted
//  when more than half of it is dropped, so each event is moved O(1) times.
#include "gateway_webhooks_window.h"

#include "cf_event.h"
#include "gateway_webhooks_state.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t seq;
    uint8_t *bytes;
    size_t size;
} s_entry_t;

typedef struct {
    char name [GATEWAY_STREAM_MAX + 1];
    s_entry_t *entries;
    size_t start, count, room;  //  live entries are [start, count)
    uint64_t head;
} s_stream_t;

struct _gateway_window_t {
    s_stream_t *streams;
    size_t n_streams;
    Caseflow__V1__Event *decoded;  //  the last lookup's
    size_t held;
};

gateway_window_t *
gateway_window_new (void)
{
    gateway_window_t *self = calloc (1, sizeof *self);
    assert (self);
    return self;
}

void
gateway_window_destroy (gateway_window_t **self_p)
{
    gateway_window_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n_streams; i++) {
        s_stream_t *stream = &self->streams [i];
        for (size_t e = stream->start; e < stream->count; e++)
            free (stream->entries [e].bytes);
        free (stream->entries);
    }
    free (self->streams);
    if (self->decoded)
        caseflow__v1__event__free_unpacked (self->decoded, NULL);
    free (self);
    *self_p = NULL;
}

static s_stream_t *
s_find (const gateway_window_t *self, const char *name)
{
    for (size_t i = 0; i < self->n_streams; i++)
        if (strcmp (self->streams [i].name, name) == 0)
            return &self->streams [i];
    return NULL;
}

void
gateway_window_keep (gateway_window_t *self, const Caseflow__V1__Event *event)
{
    if (!event->stream || strlen (event->stream) > GATEWAY_STREAM_MAX)
        return;
    s_stream_t *stream = s_find (self, event->stream);
    if (!stream) {
        self->streams = realloc (self->streams, (self->n_streams + 1) * sizeof *self->streams);
        assert (self->streams);
        stream = &self->streams [self->n_streams++];
        memset (stream, 0, sizeof *stream);
        snprintf (stream->name, sizeof stream->name, "%s", event->stream);
    }
    if (event->seq <= stream->head)
        return;
    stream->head = event->seq;
    if (stream->count == stream->room) {
        stream->room = stream->room ? stream->room * 2 : 64;
        stream->entries = realloc (stream->entries, stream->room * sizeof *stream->entries);
        assert (stream->entries);
    }
    s_entry_t *entry = &stream->entries [stream->count++];
    entry->seq = event->seq;
    entry->size = caseflow__v1__event__get_packed_size (event);
    entry->bytes = malloc (entry->size ? entry->size : 1);
    assert (entry->bytes);
    caseflow__v1__event__pack (event, entry->bytes);
    self->held++;
}

const Caseflow__V1__Event *
gateway_window_lookup (gateway_window_t *self, const char *name, uint64_t seq)
{
    s_stream_t *stream = s_find (self, name);
    if (!stream || stream->start == stream->count)
        return NULL;
    //  Seqs are increasing, not always contiguous (a stream seen from the
    //  middle): binary search.
    size_t low = stream->start, high = stream->count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        if (stream->entries [mid].seq < seq)
            low = mid + 1;
        else
            high = mid;
    }
    if (low == stream->count || stream->entries [low].seq != seq)
        return NULL;
    if (self->decoded)
        caseflow__v1__event__free_unpacked (self->decoded, NULL);
    self->decoded =
        caseflow__v1__event__unpack (NULL, stream->entries [low].size, stream->entries [low].bytes);
    return self->decoded;
}

void
gateway_window_drop (gateway_window_t *self, const char *name, uint64_t seq)
{
    s_stream_t *stream = s_find (self, name);
    if (!stream)
        return;
    while (stream->start < stream->count && stream->entries [stream->start].seq <= seq) {
        free (stream->entries [stream->start].bytes);
        stream->start++;
        self->held--;
    }
    if (stream->start > 0 && stream->start * 2 >= stream->count) {
        memmove (stream->entries, stream->entries + stream->start,
                 (stream->count - stream->start) * sizeof *stream->entries);
        stream->count -= stream->start;
        stream->start = 0;
    }
}

uint64_t
gateway_window_first (const gateway_window_t *self, const char *name)
{
    const s_stream_t *stream = s_find (self, name);
    return stream && stream->start < stream->count ? stream->entries [stream->start].seq : 0;
}

uint64_t
gateway_window_head (const gateway_window_t *self, const char *name)
{
    const s_stream_t *stream = s_find (self, name);
    return stream ? stream->head : 0;
}

size_t
gateway_window_streams (const gateway_window_t *self)
{
    return self->n_streams;
}

const char *
gateway_window_stream (const gateway_window_t *self, size_t index)
{
    assert (index < self->n_streams);
    return self->streams [index].name;
}

size_t
gateway_window_size (const gateway_window_t *self)
{
    return self->held;
}
