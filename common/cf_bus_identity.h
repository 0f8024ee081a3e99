//  cf_bus_identity: whether a producer's word agrees with a subscriber's
//  cursor (DESIGN.md, "Streams have an identity"), as a pure function.
//
//  A cursor is (epoch, seq, id of the event at seq). The producer speaks
//  through a heartbeat or a replay batch: its epoch and its head (the
//  highest committed seq), and, in the batch that answers a request from
//  the cursor's own seq, the id of its event there. Any of three
//  disagreements means the producer's history is not the one the cursor
//  was taken from: another epoch (a new store: a lost volume, an empty
//  directory), a head behind the cursor (an older backup restored:
//  `mdb_copy` keeps the epoch), or another event at the cursor (an older
//  backup that went on past the cursor). The subscriber never follows
//  such a producer silently (cf_bus_subscriber).
#ifndef CF_BUS_IDENTITY_H
#define CF_BUS_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CF_BUS_AGREES = 0,     //  Nothing says the histories differ
    CF_BUS_EPOCH_CHANGED,  //  The producer's epoch is not the cursor's
    CF_BUS_HEAD_BEHIND,    //  The producer's head is below the cursor's seq
    CF_BUS_OTHER_EVENT     //  The producer's event at the cursor's seq has another id
} cf_bus_verdict_t;

//  Judges a cursor (`epoch`: 0 when it has none yet; `seq`; `id`: the id
//  of the event at seq, NULL or "" when unknown) against the producer's
//  `producer_epoch` (0: a producer that sends none), `producer_head` and,
//  when the producer showed its event at `seq`, that event's id
//  (`producer_id`; NULL when it did not, "" for an event without one). An
//  unknown part is never a disagreement. Checked in the order of the enum.
cf_bus_verdict_t
cf_bus_identity_check (uint64_t epoch, uint64_t seq, const char *id, uint64_t producer_epoch,
                       uint64_t producer_head, const char *producer_id);

//  A short text for `verdict` ("epoch changed", "producer behind cursor",
//  "another event at cursor", "agrees"), static; and the word `stream
//  status` and /metrics use for a diverged cursor's reason
//  ("epoch", "behind", "other-event"; "" for CF_BUS_AGREES).
const char *
cf_bus_verdict_text (cf_bus_verdict_t verdict);
const char *
cf_bus_verdict_word (cf_bus_verdict_t verdict);

//  Writes `epoch` as 16 lower-case hex digits (and a NUL) into `text`
//  (17 bytes), the form logs, `stream status` and the docs show.
void
cf_bus_epoch_text (uint64_t epoch, char text [17]);

#endif
