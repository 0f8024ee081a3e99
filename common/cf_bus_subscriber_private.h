//  cf_bus_subscriber_private: the subscriber's struct, shared by its
//  files; nothing outside them includes it. cf_bus_subscriber.c is the
//  subscriber (the seq rule, the replay state machine, silence, and the
//  cursor's identity judged against what the producer says);
//  cf_bus_subscriber_setup.c makes and destroys it (sockets, options);
//  cf_bus_subscriber_identity.c holds the accessors and the operator's
//  accept. Both call down into the first, never the other way.
#ifndef CF_BUS_SUBSCRIBER_PRIVATE_H
#define CF_BUS_SUBSCRIBER_PRIVATE_H

#include "cf_api.h"
#include "cf_arena.h"
#include "cf_bus_identity.h"
#include "cf_bus_subscriber.h"
#include "cf_log.h"
#include "cf_ulid.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

//  A replay request with no answer by then is resent with a new id.
#define CF_BUS_REPLAY_TIMEOUT (2 * INT64_C (1000000))
//  Wait before asking again after a refusal (UNAVAILABLE, a bad batch, a
//  refused delivery).
#define CF_BUS_RETRY_INTERVAL (500 * INT64_C (1000))
//  Wait before trying again a request that could not be sent (no producer
//  connected yet). A failed send costs next to nothing, and a producer
//  that just came up should not wait long.
#define CF_BUS_RESEND_INTERVAL (100 * INT64_C (1000))
//  Nothing heard from the producer for this long (three heartbeats): not
//  caught up until it is heard again.
#define CF_BUS_SILENCE_LIMIT (3 * INT64_C (1000000))
//  At most one complaint line per this interval; the rest are counted.
#define CF_BUS_COMPLAIN_INTERVAL (1 * INT64_C (1000000))
//  A replay reply is a batch the producer bounds at 4 MiB of events, plus
//  the envelope: anything much larger is not an answer we asked for.
#define CF_BUS_REPLY_MAX (2 * (size_t) CF_API_MAX_MESSAGE)
//  A heartbeat is a stream name and a few numbers.
#define CF_BUS_HEARTBEAT_MAX 1024
//  Heard nothing from the producer (heartbeats come every second) for
//  longer than this: it may have been replaced meanwhile (restarted on
//  a restored store), so its event at the cursor is compared again before
//  a live event is applied.
#define CF_BUS_SILENCE (2500 * INT64_C (1000))

//  What a log line is about; each has its own rate limit, so a flood of
//  one kind (junk from the network) cannot hide another (a refusal).
typedef enum {
    CF_BUS_ABOUT_PEER,     //  The producer or the network sent something wrong
    CF_BUS_ABOUT_SEND,     //  Requests that could not be sent (producer down)
    CF_BUS_ABOUT_RETRY,    //  Requests that timed out or were refused
    CF_BUS_ABOUT_REFUSAL,  //  Our own callback refused an event
    CF_BUS_TOPICS
} cf_bus_topic_t;

typedef enum {
    CF_BUS_SUB_IDLE,     //  No request out: live
    CF_BUS_SUB_WAITING,  //  A request is out, answer due by request_deadline
    CF_BUS_SUB_RETRY     //  Send a request at retry_at
} cf_bus_state_t;

struct _cf_bus_subscriber_t {
    char *stream;
    char *prefix;           //  "<stream>.", the SUB filter
    char *heartbeat_topic;  //  "<stream>.$heartbeat"
    char *batch_topic;      //  "$batch.<stream>"
    bool batched;           //  Subscribed to batches and heartbeats, not singles
    zsock_t *sub;
    zsock_t *dealer;
    cf_arena_t *arena;  //  Live events are decoded into it
    cf_bus_deliver_fn *deliver;
    void *ctx;

    uint64_t cursor;  //  Last seq applied
    uint64_t head;    //  Highest seq the producer is known to have
    uint64_t seen;    //  Highest seq seen live since the last request
    bool caught_up;
    bool silent;          //  Nothing heard for CF_BUS_SILENCE_LIMIT
    int64_t heard_at;     //  When the producer was last heard (a message)
    char *silence;        //  The reason text while silent (for /readyz)
    bool stalled;         //  A delivery was refused: hold until retry_at
    bool stopped;         //  The callback said CF_BUS_STOP: hold until reset
    bool unsent;          //  RETRY because the last send failed
    unsigned generation;  //  Bumped by reset, to notice one inside a callback
    uint64_t sends;       //  Replay requests tried, sent or not

    //  The cursor's identity (cf_bus_identity.h) and what the producer
    //  said about its own.
    uint64_t epoch;                              //  The cursor's epoch (0: none yet)
    uint64_t stored_epoch;                       //  The one the store holds
    char last_id [CF_JOURNAL_EVENT_ID_MAX + 1];  //  Id of the event at the cursor ("": unknown)
    uint64_t producer_epoch;                     //  Last heard (0: none)
    bool verified;             //  The producer's event at the cursor was compared since (re)start
    bool request_verifies;     //  The current request asks from the cursor's own seq
    int64_t last_heard;        //  Last heartbeat or reply (monotonic)
    cf_bus_verdict_t verdict;  //  Not CF_BUS_AGREES: diverged, stopped until reset
    char divergence [320];     //  Why, for /readyz and the log (valid while diverged)

    cf_bus_state_t state;
    char request_id [CF_ULID_SIZE];  //  The one current request, when WAITING
    uint64_t request_cursor;         //  The cursor when it was sent
    int64_t request_deadline;
    int64_t retry_at;

    int64_t quiet_until [CF_BUS_TOPICS];  //  Complaints suppressed until then
    size_t suppressed [CF_BUS_TOPICS];    //  Complaints suppressed since the last line
};

#endif
