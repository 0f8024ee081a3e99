//  cf_replay: answering a replay request from a service's journal.
//
//  A replay batch holds committed events of the service's own stream from
//  a seq upward, bounded in count and bytes, and the stream's highest
//  committed seq, so the caller knows when it has caught up.
#ifndef CF_REPLAY_H
#define CF_REPLAY_H

#include "cf_journal.h"

#include <stddef.h>
#include <stdint.h>

//  The most a batch holds, whatever the request asks.
#define CF_REPLAY_MAX_EVENTS 10000
#define CF_REPLAY_MAX_BYTES  (4 * 1024 * 1024)

//  Builds the encoded Reply to request `request_id` for events `from_seq`
//  up to `committed_seq` of `stream` (at most `max_events` / `max_bytes`
//  when not 0, and never over the limits above). A journal read failure
//  gives an INTERNAL status. Returns a fresh buffer (free with free) and
//  sets *size_p.
void *
cf_replay_reply (cf_journal_t *journal, const char *stream, uint64_t committed_seq,
                 const char *request_id, uint64_t from_seq, uint32_t max_events, uint32_t max_bytes,
                 size_t *size_p);

#endif
