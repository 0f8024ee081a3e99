//  cf_streams: which stream a process writes and which streams it follows,
//  as configuration (DESIGN.md, "Beyond one machine").
//
//  A service writes one stream, named after the service by default
//  (`intake`); `--stream` names a shard of it instead (`intake-noord`): a
//  stream of the same kind, with its own store, ports and seqs. A service
//  follows a list of upstream streams, by default one per kind it reacts
//  to (assignment: `intake`); `--follow` replaces the list, so a
//  subscriber follows every shard (`--follow intake,intake-noord`) as one
//  more entry, each with its own --<stream>-events / --<stream>-api pair.
//
//  The list has to be known before the configuration table is built (the
//  table holds those pairs), so the two flags are read here, from argv and
//  the environment, ahead of cf_config_parse; they are in the table too,
//  for --help, the docs and the final parse, which sees the same values.
//
//  A stream name is a kind, or a kind, '-' and a shard's name: 1-48 of
//  a-z, 0-9 and '-', starting with a letter, without "--" or a '-' at
//  the end. Whether an event is one a service reacts to is asked by kind
//  (cf_stream_of), never by comparing with one name, so every shard of a
//  kind is followed the same way.
#ifndef CF_STREAMS_H
#define CF_STREAMS_H

#include "cf_config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

//  Longest stream name (bytes, without the NUL).
#define CF_STREAM_MAX 48

typedef struct _cf_streams_t cf_streams_t;

//  Reads --stream (CASEFLOW_STREAM; default `service`) and --follow
//  (CASEFLOW_FOLLOW; a comma-separated list, default `kinds` in order)
//  from `argv` and the environment. `kinds` (NULL-terminated; NULL for
//  none) are the kinds of stream the service reacts to: every followed
//  stream must be of one of them. Returns the streams (free with
//  cf_streams_destroy), or NULL after printing one line to `err` naming
//  the flag, its variable and what is wrong (`program` starts the line):
//  a name outside the grammar, a stream of another kind, the own stream,
//  or one followed twice.
cf_streams_t *
cf_streams_new (const char *program, const char *service, const char *const *kinds, int argc,
                char **argv, FILE *err);

//  Frees the streams; safe on NULL; nulls *self_p.
void
cf_streams_destroy (cf_streams_t **self_p);

//  The stream the process writes. Borrowed.
const char *
cf_streams_own (const cf_streams_t *self);

//  The streams followed, NULL-terminated, in the order given. Borrowed.
const char *const *
cf_streams_followed (const cf_streams_t *self);

//  How many streams are followed.
size_t
cf_streams_count (const cf_streams_t *self);

//  Adds the entries --stream and --follow to `config`, with the service's
//  defaults (for --help, the docs, and the final parse).
void
cf_streams_config_add (const cf_streams_t *self, cf_config_t *config);

//  True when `stream` (may be NULL: false) is a stream of kind `kind`: the
//  kind itself or one of its shards ("intake-noord" is of "intake").
bool
cf_stream_of (const char *stream, const char *kind);

//  The kind of `stream`: its name up to the first '-' ("intake" of
//  "intake-noord"), into `buf` (cut to `size`); returns buf. A shard runs
//  its kind's binary with its kind's CURVE key pair, so a subscriber
//  knows a shard's server key by the kind's certificate
//  (public/intake.cert).
char *
cf_stream_kind (const char *stream, char *buf, size_t size);

//  True when `name` (may be NULL: false) follows the stream grammar above.
bool
cf_stream_name_valid (const char *name);

#endif
