//  ctl_history: one case's events, as the console found them up to a
//  moment (console.CaseTimeline: docs/console.md), per stream and merged
//  into one time line, for `case show` to fold. caseflowctl reads no
//  stream itself: the console follows them.
//
//  The events stay decoded inside the reply the history owns; every event
//  pointer handed out is borrowed from it. A stream the console does not
//  follow is left out (`available` false).
#ifndef CTL_HISTORY_H
#define CTL_HISTORY_H

#include "ctl.h"

#include "caseflow/v1/console.pb-c.h"

#include "caseflow/v1/event.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    bool available;                      //  the console follows the stream
    uint64_t last_seq;                   //  the seq of its last event here
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

//  Fills `history` (zeroed first; free with ctl_history_free) with the
//  events of `timeline` (the console's answer to CaseTimeline), each in
//  its stream, borrowed from `reply`, which the history takes. A stream
//  the console does not follow is unavailable.
void
ctl_history_from_timeline (ctl_history_t *history, Caseflow__V1__Reply *reply,
                           const Caseflow__V1__Console__CaseTimelineResult *timeline);

//  Frees what the history owns; every event pointer taken from it dies.
//  Safe on a zeroed history.
void
ctl_history_free (ctl_history_t *history);

//  One event of the merged time line (the event is borrowed from the
//  history).
typedef struct {
    const Caseflow__V1__Event *event;
    ctl_service_t service;
} ctl_entry_t;

//  Decides whether an event goes into a merged time line.
typedef bool (ctl_keep_fn) (void *ctx, ctl_service_t service, const Caseflow__V1__Event *event);

//  Merges the events `keep` accepts (every available event when `keep` is
//  NULL) into one time line: a fresh array (free with free; NULL with
//  *count_p 0 when empty). Order: occurred_at; among events of the same
//  instant, an event comes after the event that caused it (causation_id)
//  when both are in the line, then streams in upstream order (handover,
//  intake, assignment, notification); each stream's events stay in seq
//  order.
ctl_entry_t *
ctl_history_merge (const ctl_history_t *history, ctl_keep_fn *keep, void *ctx, size_t *count_p);

#endif
