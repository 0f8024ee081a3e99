//  cf_event: helpers for the Event envelope shared by every stream.
#ifndef CF_EVENT_H
#define CF_EVENT_H

#include "caseflow/v1/event.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Largest encoded event accepted from the wire or the journal.
#define CF_EVENT_MAX_SIZE (1024 * 1024)

//  The short name of the event's body message ("CounterIncremented"), taken
//  from the generated descriptor; "Unknown" when the body is not set or not
//  known to this build. The string is static.
const char *
cf_event_type_name (const Caseflow__V1__Event *event);

//  Writes the publish topic "<stream>.<TypeName>" into `buf`. Returns buf.
char *
cf_event_topic (const Caseflow__V1__Event *event, char *buf, size_t size);

//  Decodes an encoded Event (NULL allocator) and checks its envelope: id
//  present (1-64 characters), stream present and equal to `stream` when
//  `stream` is not NULL, seq >= 1, a known body set, size within
//  CF_EVENT_MAX_SIZE. Returns the event (free with
//  caseflow__v1__event__free_unpacked (event, NULL)) or NULL when the bytes
//  are not such an event; *why_p, if not NULL, then names the problem.
Caseflow__V1__Event *
cf_event_decode (const void *data, size_t size, const char *stream, const char **why_p);

//  cf_event_decode with protobuf-c's `allocator` (e.g. a cf_arena's); free
//  the event with caseflow__v1__event__free_unpacked (event, allocator), or
//  not at all with an arena.
Caseflow__V1__Event *
cf_event_decode_with (const void *data, size_t size, const char *stream, const char **why_p,
                      ProtobufCAllocator *allocator);

//  Walks an EventBatch's encoding (`repeated Event events = 1`) as it lies
//  in memory, without decoding: sets *event_p and *size_p to the next
//  event's bytes and moves *cursor past them, skipping any other field (a
//  later version may add some). Returns 1 for an event, 0 at `end`, -1
//  when the bytes are not a well-formed batch from *cursor on.
int
cf_event_batch_next (const uint8_t **cursor, const uint8_t *end, const uint8_t **event_p,
                     size_t *size_p);

//  Appends one event's encoding to a batch being built at `out` (with room
//  for CF_EVENT_BATCH_OVERHEAD + size bytes). Returns the bytes written.
#define CF_EVENT_BATCH_OVERHEAD 11
size_t
cf_event_batch_put (uint8_t *out, const void *data, size_t size);

#endif
