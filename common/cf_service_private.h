//  cf_service_private: the runtime's state and the few functions its two
//  source files share: cf_service.c (the loop, the batch, start-up) and
//  cf_service_api.c (requests on the api socket). Nothing outside the
//  runtime includes this header.
#ifndef CF_SERVICE_PRIVATE_H
#define CF_SERVICE_PRIVATE_H

#include "cf_api.h"
#include "cf_arena.h"
#include "cf_bus_publisher.h"
#include "cf_bus_subscriber.h"
#include "cf_frames.h"
#include "cf_http.h"
#include "cf_journal.h"
#include "cf_keys.h"
#include "cf_service.h"
#include "cf_service_setup.h"
#include "cf_time.h"
#include "cf_writer.h"
#include "cf_zwatch.h"

#include <czmq.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <uv.h>

//  A ROUTER's routing id of a peer is at most 255 bytes.
#define CF_SERVICE_IDENTITY_MAX 255

//  A reply waiting for the batch to be committed.
typedef struct {
    uint8_t identity [CF_SERVICE_IDENTITY_MAX];  //  the client's routing id
    size_t identity_size;
    bool delimiter;  //  the client is a REQ socket: echo the empty frame
    void *data;      //  encoded Reply (NULL for replay: built after commit)
    size_t size;
    bool command;  //  replaced by UNAVAILABLE if the batch fails
    bool replay;
    char request_id [CF_API_MAX_REQUEST_ID + 1];
    uint64_t from_seq;
    uint32_t max_events;
    uint32_t max_bytes;
} cf_service_reply_t;

//  An event waiting for the batch to be committed before it is published;
//  its encoding is the one the batch's writes journal.
typedef cf_bus_outgoing_t cf_service_publish_t;

//  One group commit: what it stores (handed to the writer thread), then
//  answers and publishes. There are two: the open batch, which the loop
//  decides into, and the one the writer has in hand.
typedef struct {
    cf_writes_t *writes;
    cf_service_reply_t *replies;
    size_t reply_count, reply_cap;
    cf_service_publish_t *publishes;
    size_t publish_count, publish_cap;
    uint64_t last_seq;  //  own stream once it is stored
    size_t messages;    //  requests and upstream events taken in
} cf_service_batch_t;

struct _cf_service_t {
    const cf_service_def_t *def;
    cf_config_t *config;
    cf_metrics_t *metrics;
    cf_service_metrics_t m;
    cf_clock_t *clock;
    cf_journal_t *journal;
    void *state;
    uint64_t events_applied;
    cf_arena_t *request_arena;  //  decodes api requests

    uv_loop_t loop;
    zsock_t *api;
    cf_bus_publisher_t *publisher;
    cf_bus_subscriber_t **subscribers;
    size_t subscriber_count;
    cf_zwatch_t **watches;
    size_t watch_count;
    cf_http_t *http;
    cf_keys_t *keys;           //  NULL: plaintext (no --keys-dir)
    int64_t denied_logged_at;  //  monotonic; refusals are logged once a second
    size_t denied_unlogged;
    atomic_bool ready;
    bool replayed;

    uv_signal_t sigterm, sigint;
    uv_timer_t heartbeat;  //  every second: heartbeat, gauges, expiry
    uv_timer_t tick;       //  subscriber deadlines (timeouts, retries)
    uv_timer_t wake;       //  the service's own wake-up (system clock)
    uv_idle_t idle;        //  keeps the loop spinning while input is left
    uv_prepare_t prepare;  //  re-checks ZMQ_EVENTS before the loop sleeps
    bool draining;
    bool stopping;
    int exit_code;

    //  The batches: the one being decided, and the one the writer has.
    cf_writer_t *writer;
    cf_service_batch_t batches [2];
    cf_service_batch_t *open;
    cf_service_batch_t *written;  //  NULL while the writer is idle
    MDB_txn *reader;              //  the loop's reads of stored replies (renewed per commit)
    uint64_t last_seq;            //  own stream, including the open batch
    uint64_t committed_seq;
    bool store_full;

    //  What the current decision answers to (for the envelope).
    const char *request_id;
    const char *correlation_id;
    const char *causation_id;
    size_t emitted;
    int64_t wake_at;  //  INT64_MAX: none asked
};

//  Returns 0 while the open batch may take decisions, or CF_ESTOREFULL
//  once the store refused a batch (until a restart).
int
cf_service_batch_begin (cf_service_t *self);

//  Queues a reply to send once the open batch is committed; takes the data.
void
cf_service_queue_reply (cf_service_t *self, cf_service_reply_t *reply);

//  The reply stored for `request_id`: in the open batch, in the batch
//  being written, or in the store. Returns 0 with a malloc'd copy in
//  *reply_p (the caller frees it), CF_ENOTFOUND, or a store error.
int
cf_service_stored_reply (cf_service_t *self, const char *request_id, void **reply_p,
                         size_t *size_p);

//  Stores `reply` (copied) for `request_id` with the open batch.
void
cf_service_store_reply (cf_service_t *self, const char *request_id, const void *reply, size_t size);

//  Sets meta value `key` (copied) with the open batch.
void
cf_service_store_meta (cf_service_t *self, const char *key, const void *value, size_t size);

//  Sets what the next emitted events answer to (request, correlation and
//  causation ids; borrowed until reset with NULLs) and clears the count of
//  events emitted.
void
cf_service_set_context (cf_service_t *self, const char *request_id, const char *correlation_id,
                        const char *causation_id);

//  Clears the wake-up asked for and lets the service emit what is due now.
void
cf_service_call_on_clock (cf_service_t *self);

//  Handles one message of the api ROUTER, [identity]([empty])[Request]:
//  decides commands in the open batch, answers queries, and queues the
//  reply (replay replies are built after the commit). Takes nothing: the
//  caller closes `msg`.
void
cf_service_handle_api_message (cf_service_t *self, cf_frames_t *msg);

#endif
