//  cf_streams: the stream a process writes and those it follows (see
//  cf_streams.h).
#include "cf_streams.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _cf_streams_t {
    char *service;
    char *own;
    char **followed;  //  NULL-terminated
    size_t count;
    char *default_follow;  //  the kinds, comma-separated
};

bool
cf_stream_name_valid (const char *name)
{
    if (!name)
        return false;
    size_t len = strlen (name);
    if (len == 0 || len > CF_STREAM_MAX || name [0] < 'a' || name [0] > 'z'
        || name [len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name [i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
        if (c == '-' && name [i + 1] == '-')
            return false;
    }
    return true;
}

bool
cf_stream_of (const char *stream, const char *kind)
{
    if (!stream || !kind)
        return false;
    size_t len = strlen (kind);
    return strncmp (stream, kind, len) == 0 && (stream [len] == 0 || stream [len] == '-');
}

char *
cf_stream_kind (const char *stream, char *buf, size_t size)
{
    size_t len = strcspn (stream, "-");
    snprintf (buf, size, "%.*s", (int) len, stream);
    return buf;
}

//  The kind of `kinds` that `stream` is of, or NULL.
static const char *
s_kind (const char *const *kinds, const char *stream)
{
    for (size_t i = 0; kinds && kinds [i]; i++)
        if (cf_stream_of (stream, kinds [i]))
            return kinds [i];
    return NULL;
}

//  Appends a copy of `name` to the list.
static void
s_push (cf_streams_t *self, const char *name, size_t len)
{
    self->followed = realloc (self->followed, (self->count + 2) * sizeof *self->followed);
    assert (self->followed);
    self->followed [self->count] = strndup (name, len);
    assert (self->followed [self->count]);
    self->followed [++self->count] = NULL;
}

//  Fills the list from `text` (comma-separated). Returns the problem with
//  the word `bad` (one of the words), or NULL.
static const char *
s_parse_follow (cf_streams_t *self, const char *const *kinds, const char *text, char *bad,
                size_t bad_size)
{
    const char *at = text;
    while (true) {
        const char *comma = strchr (at, ',');
        size_t len = comma ? (size_t) (comma - at) : strlen (at);
        snprintf (bad, bad_size, "%.*s", (int) len, at);
        if (!cf_stream_name_valid (bad))
            return "is not a stream name: 1-48 of a-z, 0-9 and '-', starting with a letter";
        if (!s_kind (kinds, bad))
            return "is not a stream of a kind this service follows";
        if (strcmp (bad, self->own) == 0)
            return "is the stream this process writes";
        for (size_t i = 0; i < self->count; i++)
            if (strcmp (self->followed [i], bad) == 0)
                return "is named twice";
        s_push (self, at, len);
        if (!comma)
            return NULL;
        at = comma + 1;
    }
}

cf_streams_t *
cf_streams_new (const char *program, const char *service, const char *const *kinds, int argc,
                char **argv, FILE *err)
{
    cf_streams_t *self = calloc (1, sizeof *self);
    assert (self);
    self->service = strdup (service);
    size_t size = 1;
    for (size_t i = 0; kinds && kinds [i]; i++)
        size += strlen (kinds [i]) + 1;
    self->default_follow = calloc (1, size);
    assert (self->service && self->default_follow);
    for (size_t i = 0; kinds && kinds [i]; i++) {
        if (i)
            strcat (self->default_follow, ",");
        strcat (self->default_follow, kinds [i]);
    }
    self->followed = calloc (1, sizeof *self->followed);
    assert (self->followed);

    const char *own = cf_config_peek (argc, argv, "stream", "CASEFLOW_STREAM");
    self->own = strdup (own ? own : service);
    assert (self->own);
    if (!cf_stream_name_valid (self->own) || !cf_stream_of (self->own, service)) {
        fprintf (err,
                 "%s: --stream (CASEFLOW_STREAM): \"%s\" is not a stream of %s: \"%s\" or "
                 "\"%s-<shard>\", 1-48 of a-z, 0-9 and '-'\n",
                 program, self->own, service, service, service);
        cf_streams_destroy (&self);
        return NULL;
    }
    const char *follow = cf_config_peek (argc, argv, "follow", "CASEFLOW_FOLLOW");
    if (!follow)
        follow = self->default_follow;
    if (*follow) {
        char bad [CF_STREAM_MAX + 2];
        const char *why = s_parse_follow (self, kinds, follow, bad, sizeof bad);
        if (why) {
            fprintf (err, "%s: --follow (CASEFLOW_FOLLOW): \"%s\" %s (kinds: %s)\n", program, bad,
                     why, *self->default_follow ? self->default_follow : "none");
            cf_streams_destroy (&self);
            return NULL;
        }
    }
    return self;
}

void
cf_streams_destroy (cf_streams_t **self_p)
{
    assert (self_p);
    cf_streams_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++)
        free (self->followed [i]);
    free (self->followed);
    free (self->own);
    free (self->service);
    free (self->default_follow);
    free (self);
    *self_p = NULL;
}

const char *
cf_streams_own (const cf_streams_t *self)
{
    return self->own;
}

const char *const *
cf_streams_followed (const cf_streams_t *self)
{
    return (const char *const *) self->followed;
}

size_t
cf_streams_count (const cf_streams_t *self)
{
    return self->count;
}

void
cf_streams_config_add (const cf_streams_t *self, cf_config_t *config)
{
    const cf_config_entry_t entries [] = {
        { "stream", "CASEFLOW_STREAM", CF_CONFIG_STRING, self->service,
          "the stream this process writes: the service's name, or a shard of it "
          "(<service>-<shard>, e.g. intake-noord) with its own store and ports",
          NULL, 0, 0 },
        { "follow", "CASEFLOW_FOLLOW", CF_CONFIG_STRING, self->default_follow,
          "the upstream streams followed, comma-separated, each of a kind the default names "
          "or a shard of one (intake-noord); each gets its own --<stream>-events and "
          "--<stream>-api",
          NULL, 0, 0 },
    };
    cf_config_add (config, entries, 2);
}
