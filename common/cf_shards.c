//  cf_shards: the intake shards' map of districts (see cf_shards.h).
#include "cf_shards.h"

#include "cf_error.h"
#include "cf_streams.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_DEFAULT "intake"

typedef struct {
    char *stream;
    char **districts;
    size_t district_count;
} s_shard_t;

struct _cf_shards_t {
    s_shard_t *shards;
    size_t count;
};

void
cf_shards_destroy (cf_shards_t **self_p)
{
    assert (self_p);
    cf_shards_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++) {
        for (size_t d = 0; d < self->shards [i].district_count; d++)
            free (self->shards [i].districts [d]);
        free (self->shards [i].districts);
        free (self->shards [i].stream);
    }
    free (self->shards);
    free (self);
    *self_p = NULL;
}

//  The shard serving `district` by name, or NULL.
static const s_shard_t *
s_owner (const cf_shards_t *self, const char *district, size_t len)
{
    for (size_t i = 0; i < self->count; i++)
        for (size_t d = 0; d < self->shards [i].district_count; d++) {
            const char *name = self->shards [i].districts [d];
            if (strlen (name) == len && strncasecmp (name, district, len) == 0)
                return &self->shards [i];
        }
    return NULL;
}

//  Adds one "stream=district,…" of `len` bytes at `text`. Returns NULL or
//  what is wrong.
static const char *
s_add (cf_shards_t *self, const char *text, size_t len, char *why, size_t size)
{
    const char *equals = memchr (text, '=', len);
    if (!equals) {
        snprintf (why, size, "\"%.*s\" is not stream=district,…", (int) len, text);
        return why;
    }
    char stream [CF_STREAM_MAX + 1] = "";
    size_t stream_len = (size_t) (equals - text);
    if (stream_len <= CF_STREAM_MAX)
        snprintf (stream, sizeof stream, "%.*s", (int) stream_len, text);
    if (!*stream || !cf_stream_name_valid (stream) || !cf_stream_of (stream, S_DEFAULT)
        || strcmp (stream, S_DEFAULT) == 0) {
        snprintf (why, size,
                  "\"%.*s\" is not a shard of intake (intake-<shard>; intake itself serves every "
                  "district the map does not name)",
                  (int) stream_len, text);
        return why;
    }
    if (cf_shards_has (self, stream)) {
        snprintf (why, size, "the shard %s is named twice", stream);
        return why;
    }
    self->shards = realloc (self->shards, (self->count + 1) * sizeof *self->shards);
    assert (self->shards);
    s_shard_t *shard = &self->shards [self->count++];
    memset (shard, 0, sizeof *shard);
    shard->stream = strdup (stream);
    assert (shard->stream);
    const char *at = equals + 1, *end = text + len;
    while (true) {
        const char *comma = memchr (at, ',', (size_t) (end - at));
        size_t word = comma ? (size_t) (comma - at) : (size_t) (end - at);
        if (word == 0 || word > 128) {
            snprintf (why, size, "the shard %s has a district of %zu characters (1 to 128)", stream,
                      word);
            return why;
        }
        const s_shard_t *owner = s_owner (self, at, word);
        if (owner) {
            snprintf (why, size, "the district \"%.*s\" is named for %s and %s", (int) word, at,
                      owner->stream, stream);
            return why;
        }
        shard->districts =
            realloc (shard->districts, (shard->district_count + 1) * sizeof *shard->districts);
        assert (shard->districts);
        shard->districts [shard->district_count] = strndup (at, word);
        assert (shard->districts [shard->district_count]);
        shard->district_count++;
        if (!comma)
            return NULL;
        at = comma + 1;
    }
}

int
cf_shards_parse (const char *text, cf_shards_t **self_p, char *why, size_t size)
{
    cf_shards_t *self = calloc (1, sizeof *self);
    assert (self);
    const char *at = text ? text : "";
    while (*at) {
        const char *semicolon = strchr (at, ';');
        size_t len = semicolon ? (size_t) (semicolon - at) : strlen (at);
        if (s_add (self, at, len, why, size)) {
            cf_shards_destroy (&self);
            return CF_EINVAL;
        }
        if (!semicolon)
            break;
        at = semicolon + 1;
    }
    *self_p = self;
    return 0;
}

const char *
cf_shards_route (const cf_shards_t *self, const char *district)
{
    if (!self || !district || !*district)
        return S_DEFAULT;
    const s_shard_t *owner = s_owner (self, district, strlen (district));
    return owner ? owner->stream : S_DEFAULT;
}

bool
cf_shards_has (const cf_shards_t *self, const char *stream)
{
    if (stream && strcmp (stream, S_DEFAULT) == 0)
        return true;
    for (size_t i = 0; self && stream && i < self->count; i++)
        if (strcmp (self->shards [i].stream, stream) == 0)
            return true;
    return false;
}

size_t
cf_shards_count (const cf_shards_t *self)
{
    return self ? self->count : 0;
}
