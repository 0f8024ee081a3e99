//  console_log: one followed stream's events, kept compact and decoded on
//  demand.
//
//  The console answers questions about every event of every stream (a
//  report at any moment folds them all), so it must keep them; decoded
//  protobuf-c copies would cost a dozen allocations and several times the
//  bytes of each event. A log keeps each event as its protobuf encoding,
//  packed one after another into large blocks (a 4-byte length, then the
//  bytes), and one 8-byte reference per event (block and offset) in seq
//  order: the stream's seq N is the log's entry N - 1, since a subscriber
//  applies a stream's events gap-free from seq 1. Beside each reference,
//  the event's body kind and occurred_at (8 bytes more per event), so that
//  a fold skips the events it does not read without decoding them. Nothing is ever taken
//  out: a log grows with its stream, as the journal does.
//
//  An event comes in with its encoding as the runtime journaled it (the
//  bytes it was decoded from), which the log keeps as it is; one applied
//  without (a test's) is packed here, the same bytes for an event of this
//  schema.
//
//  Decoding is the reader's: console_log_decode unpacks one entry with the
//  caller's allocator (an arena for a fold of many, NULL for one).
#ifndef CONSOLE_LOG_H
#define CONSOLE_LOG_H

#include "caseflow/v1/event.pb-c.h"

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _console_log_t console_log_t;

//  A new, empty log. Never NULL (aborts when out of memory).
console_log_t *
console_log_new (void);

//  Frees the log and every event in it; safe on NULL; nulls *self_p.
void
console_log_destroy (console_log_t **self_p);

//  Appends `event` (borrowed; packed into the log) as the next entry.
//  Returns the entry's index (its seq - 1 for a gap-free stream).
size_t
console_log_append (console_log_t *self, const Caseflow__V1__Event *event);

//  The same, with `event`'s encoding as journaled (`size` bytes at `data`,
//  what `event` decodes from) copied in as it is: no second encoding.
size_t
console_log_append_encoded (console_log_t *self, const Caseflow__V1__Event *event, const void *data,
                            size_t size);

//  The number of entries.
size_t
console_log_count (const console_log_t *self);

//  The encoding of entry `index` (< count, asserted): *size_p is set and
//  the bytes are borrowed from the log (valid while it lives).
const uint8_t *
console_log_bytes (const console_log_t *self, size_t index, size_t *size_p);

//  Entry `index` decoded with `allocator` (NULL: malloc; free with
//  caseflow__v1__event__free_unpacked then). Never NULL: the log holds
//  only what protobuf-c packed (a failure is asserted).
Caseflow__V1__Event *
console_log_decode (const console_log_t *self, size_t index, ProtobufCAllocator *allocator);

//  The body case of entry `index` (< count, asserted), as it was appended.
Caseflow__V1__Event__BodyCase
console_log_kind (const console_log_t *self, size_t index);

//  The occurred_at of entry `index` (< count, asserted).
int64_t
console_log_occurred_at (const console_log_t *self, size_t index);

//  The bytes the log holds (blocks and references), for /metrics and the
//  memory benchmark.
size_t
console_log_memory (const console_log_t *self);

//  Feeds every entry's encoding, in order, into `hash` (cf_digest_bytes
//  each, after the count).
void
console_log_digest (const console_log_t *self, crypto_hash_sha256_state *hash);

#endif
