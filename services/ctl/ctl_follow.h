//  ctl_follow: the one follower of live streams, behind `tail` and
//  `reminders follow`.
//
//  It follows each wanted stream exactly as any subscriber does
//  (cf_bus_subscriber: live on PUB, gaps closed through replay), from a
//  cursor (the last seq handled) or from the stream's head, and hands
//  every event in seq order to the caller, until SIGINT/SIGTERM, a limit
//  of printed events, or the caller says stop.
#ifndef CTL_FOLLOW_H
#define CTL_FOLLOW_H

#include "ctl.h"

#include "caseflow/v1/event.pb-c.h"

//  Prints one event (borrowed). Returns 1 when it printed it, 0 when it
//  left it out (it counts as handled all the same), or a negative value to
//  stop following with an error.
typedef int (ctl_follow_print_fn) (void *ctx, const Caseflow__V1__Event *event);

//  Called after every printed event and every round of waiting: a chance
//  to store the cursors. Returns 0, or non-zero to stop with an error.
typedef int (ctl_follow_store_fn) (void *ctx, const uint64_t *cursors);

typedef struct {
    bool wanted [CTL_SERVICE_COUNT];
    //  Per stream: the last seq handled, or UINT64_MAX for "from the head
    //  now" (asked of the service before following). Updated as events
    //  are handled.
    uint64_t cursors [CTL_SERVICE_COUNT];
    uint64_t limit;  //  stop after this many printed (0: never)
    ctl_follow_print_fn *print;
    ctl_follow_store_fn *store;  //  may be NULL
    void *ctx;
    //  Private.
    uint64_t printed;
    int error;
} ctl_follow_t;

//  Follows until interrupted, the limit, or an error. Returns CTL_OK,
//  CTL_USAGE when a stream cannot be followed or the caller stopped with
//  an error (printed), or what asking a service for its head returned.
int
ctl_follow (ctl_t *ctl, ctl_follow_t *follow);

#endif
