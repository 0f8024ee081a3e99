//  cf_testactor: the loop of the test programs' zactor threads (fake
//  producers, stream followers), so each actor holds only its own work.
//
//  An actor's pipe carries one command, "$TERM" (zactor_destroy sends it);
//  the actor ends on it, on a pipe that closed, or when the poller was
//  interrupted.
#ifndef CF_TESTACTOR_H
#define CF_TESTACTOR_H

#include "cf_bus_subscriber.h"

#include <czmq.h>
#include <stdbool.h>

//  Waits up to `timeout_ms` on `poller` (which polls `pipe` among its
//  sockets) and reads the pipe's command if one came. Returns false when
//  the actor must end, else true (after input or a timeout alike: the
//  caller does its work on every wake-up).
bool
cf_testactor_wait (zpoller_t *poller, zsock_t *pipe, int timeout_ms);

//  The body of an actor that follows a stream: signals `pipe` that it is
//  up, then runs `subscriber` (taken; destroyed before return) on every
//  wake-up and every 20 ms, so its own deadlines (replay timeouts,
//  retries) are met, until the actor must end.
void
cf_testactor_follow (zsock_t *pipe, cf_bus_subscriber_t *subscriber);

#endif
