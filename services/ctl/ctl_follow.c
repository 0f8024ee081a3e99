//  ctl_follow: the one follower of live streams (see ctl_follow.h).
#include "ctl_follow.h"

#include "cf_bus_subscriber.h"
#include "cf_time.h"

#include <czmq.h>
#include <signal.h>

static volatile sig_atomic_t s_interrupted = 0;

static void
s_on_interrupt (int signum)
{
    (void) signum;
    s_interrupted = 1;
}

typedef struct {
    ctl_follow_t *follow;
    ctl_service_t service;
} s_stream_t;

static int
s_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
           const void *data, size_t size)
{
    (void) subscriber;
    (void) data;
    (void) size;
    s_stream_t *stream = ctx;
    ctl_follow_t *follow = stream->follow;
    //  Past the limit (or after an error) the follower is about to stop:
    //  the event stays unhandled, the cursor where it is, and the
    //  subscriber stops quietly (no retry, no warning).
    if ((follow->limit && follow->printed >= follow->limit) || follow->error)
        return CF_BUS_STOP;
    follow->cursors [stream->service] = event->seq;
    int printed = follow->print (follow->ctx, event);
    if (printed < 0) {
        follow->error = 1;
        return CF_BUS_STOP;
    }
    if (printed > 0) {
        follow->printed++;
        if (follow->store && follow->store (follow->ctx, follow->cursors))
            follow->error = 1;
    }
    return 0;
}

int
ctl_follow (ctl_t *ctl, ctl_follow_t *follow)
{
    cf_bus_subscriber_t *subscribers [CTL_SERVICE_COUNT] = { 0 };
    s_stream_t streams [CTL_SERVICE_COUNT];
    zpoller_t *poller = zpoller_new (NULL);
    int rc = CTL_OK;
    for (int s = 0; s < CTL_SERVICE_COUNT && rc == CTL_OK; s++) {
        if (!follow->wanted [s])
            continue;
        if (follow->cursors [s] == UINT64_MAX) {
            //  From the head: what comes next.
            Caseflow__V1__Reply *reply = NULL;
            const ProtobufCMessage *status = NULL;
            rc = ctl_ask (ctl, s, CTL_QUERY,
                          ctl_message_new (&caseflow__v1__status_query__descriptor), "status", 0,
                          &reply, &status);
            if (rc != CTL_OK)
                break;
            follow->cursors [s] = ((const Caseflow__V1__ServiceStatus *) status)->last_seq;
            caseflow__v1__reply__free_unpacked (reply, NULL);
        }
        streams [s] = (s_stream_t){ follow, s };
        subscribers [s] =
            cf_bus_subscriber_new_secure (ctl_service_name (s), ctl->events [s], ctl->api [s],
                                          follow->cursors [s], s_deliver, &streams [s], ctl->keys);
        if (!subscribers [s]) {
            rc = ctl_usage_error ("cannot follow %s at %s", ctl_service_name (s), ctl->events [s]);
            break;
        }
        zpoller_add (poller, cf_bus_subscriber_events_socket (subscribers [s]));
        zpoller_add (poller, cf_bus_subscriber_api_socket (subscribers [s]));
    }
    signal (SIGINT, s_on_interrupt);
    signal (SIGTERM, s_on_interrupt);
    while (rc == CTL_OK && !s_interrupted && !follow->error
           && (!follow->limit || follow->printed < follow->limit)) {
        zpoller_wait (poller, 100);
        int64_t now = cf_time_monotonic ();
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (subscribers [s])
                cf_bus_subscriber_process (subscribers [s], now, 1000);
        //  Events that printed nothing move the cursors too.
        if (follow->store && follow->store (follow->ctx, follow->cursors))
            follow->error = 1;
    }
    zpoller_destroy (&poller);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        cf_bus_subscriber_destroy (&subscribers [s]);
    return rc == CTL_OK && follow->error ? CTL_USAGE : rc;
}
