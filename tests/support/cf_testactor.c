//  cf_testactor: the loop of the test programs' actors (see cf_testactor.h).
#include "cf_testactor.h"

#include <assert.h>

bool
cf_testactor_wait (zpoller_t *poller, zsock_t *pipe, int timeout_ms)
{
    zsock_t *which = zpoller_wait (poller, timeout_ms);
    if (which == pipe) {
        char *command = zstr_recv (pipe);
        bool stop = !command || streq (command, "$TERM");
        zstr_free (&command);
        return !stop;
    }
    return !zpoller_terminated (poller);
}

void
cf_testactor_follow (zsock_t *pipe, cf_bus_subscriber_t *subscriber)
{
    assert (subscriber);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, cf_bus_subscriber_events_socket (subscriber),
                                     cf_bus_subscriber_api_socket (subscriber), NULL);
    assert (poller);
    while (cf_testactor_wait (poller, pipe, 20))
        cf_bus_subscriber_process (subscriber, zclock_usecs (), 1000);
    zpoller_destroy (&poller);
    cf_bus_subscriber_destroy (&subscriber);
}
