//  ctl_history: whole streams read through the replay api, for the
//  commands that fold history (`case show`, `report`: the folds are
//  common/cf_report.h and common/cf_timeline.h).
//
//  A stream is read as any subscriber catches up: ReplayRequest batches
//  from seq 1 until the batch's last_seq (the head when that batch was
//  read). Only events with occurred_at <= `until` are kept, so a fold of
//  the kept events is the state as it was at `until`, the same every time
//  it is computed. The events stay decoded inside the replies the history
//  owns; every event pointer handed out is borrowed from it.
//
//  A service that does not answer is reported on stderr and its stream
//  left out (`available` false): callers decide whether they can do
//  without it.
#ifndef CTL_HISTORY_H
#define CTL_HISTORY_H

#include "ctl.h"
#include "cf_fold.h"

#include "caseflow/v1/event.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    bool available;                      //  the service answered the replay
    uint64_t last_seq;                   //  the stream's head when read
    const Caseflow__V1__Event **events;  //  occurred_at <= until, in seq order
    size_t count;
} ctl_stream_t;

typedef struct {
    int64_t until;
    ctl_stream_t streams [CTL_ENDPOINT_COUNT];
    //  Owned: the replies the events live in.
    Caseflow__V1__Reply **replies;
    size_t reply_count, reply_cap;
} ctl_history_t;

//  Reads the stream of every service with wanted[service] true (all four
//  when `wanted` is NULL), keeping events with occurred_at <= `until`,
//  into `history` (zeroed first; free with ctl_history_free). A service
//  that does not answer is reported on stderr ("… its events are left
//  out") and marked unavailable. Returns CTL_OK, or CTL_REFUSED when a
//  service refused the replay or sent a batch that breaks the protocol
//  (seq out of order, another stream): printed, and the history is freed.
int
ctl_history_read (ctl_t *ctl, const bool *wanted, int64_t until, ctl_history_t *history);

//  Reads the stream of `service` alone (the gateway's too) as
//  ctl_history_read does, into `history` (zeroed first; free with
//  ctl_history_free).
int
ctl_history_read_one (ctl_t *ctl, ctl_service_t service, int64_t until, ctl_history_t *history);

//  Puts the streams of `history` (borrowed: they die with it) into `set`,
//  each at its place (a stream of the history that was not read stays as
//  it was in `set`).
void
ctl_history_streams (const ctl_history_t *history, cf_fold_streams_t *set);

//  Frees what the history owns; every event pointer taken from it dies.
//  Safe on a zeroed history.
void
ctl_history_free (ctl_history_t *history);

#endif
