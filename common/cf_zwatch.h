//  cf_zwatch: wakes a libuv loop when a ZeroMQ socket may have input.
//
//  ZMQ_FD is edge-triggered and "readable" does not mean a message is
//  there (libzmq issues 1434, 3641): the callback only says "look". The
//  owner must then read ZMQ_EVENTS and drain until it no longer reports
//  ZMQ_POLLIN, and read ZMQ_EVENTS again after every send on the socket,
//  or the loop stalls. cf_service does that for every socket it owns.
#ifndef CF_ZWATCH_H
#define CF_ZWATCH_H

#include <czmq.h>
#include <uv.h>

typedef struct _cf_zwatch_t cf_zwatch_t;
typedef void (cf_zwatch_fn) (void *ctx);

//  Watches `socket` (borrowed; it must stay open until the watch is
//  destroyed) on `loop`, calling `fn (ctx)` on each wake-up.
//  Returns NULL (logged) if libuv refuses the descriptor.
cf_zwatch_t *
cf_zwatch_new (uv_loop_t *loop, zsock_t *socket, cf_zwatch_fn *fn, void *ctx);

//  Stops watching and frees (the memory is released in libuv's close
//  callback, so the loop must run once more). Safe on NULL; nulls *self_p.
//  The socket may be closed right after this returns.
void
cf_zwatch_destroy (cf_zwatch_t **self_p);

#endif
