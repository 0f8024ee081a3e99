//  cf_rebuild: rebuilds a service's state from its journal on two threads.
//
//  Rebuilding state at start is decode-bound: reading a record, checking
//  its checksum and decoding it with protobuf-c costs more than what most
//  services' apply does. So a second thread walks the journal and decodes
//  (cf_journal_read_records, into cf_arena blocks, a batch of events at a time)
//  while the calling thread applies the batch decoded before, in journal
//  order; the part of the decoding each thread does follows which of the
//  two waits for the other. Nothing else changes: apply runs on the caller's thread
//  only, once per entry, in position order, and sees a borrowed event
//  (valid for the call) exactly as before. A handful of batches are in
//  flight at most, so memory stays bounded whatever the journal's size.
#ifndef CF_REBUILD_H
#define CF_REBUILD_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_journal.h"

#include <stddef.h>
#include <stdint.h>

//  Called on the caller's thread for each journal entry, in position
//  order, with the entry's bytes (`size` of them at `data`, what `event`
//  was decoded from). Both are borrowed for the call.
typedef void (cf_rebuild_fn) (void *ctx, uint64_t position, const Caseflow__V1__Event *event,
                              const void *data, size_t size);

//  Decodes every journal entry from position 1 on a second thread and
//  calls `fn` for each on this one. Returns 0 when all were applied;
//  CF_ESTORE when an entry does not decode as an Event (logged with its
//  position; the entries before it were applied); or what
//  cf_journal_read_records returned (CF_ECORRUPT, CF_ESTORE: logged there).
int
cf_rebuild (cf_journal_t *journal, cf_rebuild_fn *fn, void *ctx);

#endif
