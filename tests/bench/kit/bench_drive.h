//  bench_drive: the benchmarks' load generator and the requests it sends.
//
//  bk_drive runs DEALER sockets on one service's api, in the calling
//  thread, sending requests either at a fixed offered rate (open loop:
//  each request has a scheduled send time and its latency counts from that
//  time, so a slow service cannot hide its queue by slowing the sender,
//  i.e. no coordinated omission) or at saturation (closed loop: a window
//  of requests outstanding). It sleeps in ppoll on the sockets' ZMQ_FDs
//  with nanosecond timeouts, so it does not spin a core away from the
//  services on a small machine. One extra socket (a SUB) may be polled in
//  the same loop.
//
//  Requests: intake Register (a fresh resident each time, valid BSN) and
//  the test service's Increment, packed into the caller's buffer with
//  request id "bk<index>", so a reply maps back to its request.
//
//  Phases: the runs every service benchmark makes (two offered rates,
//  then saturation), so their figures line up.
#ifndef BENCH_DRIVE_H
#define BENCH_DRIVE_H

#include "bench_kit.h"

//  ----------------------------------------------------------- requests

//  The index in a request id "bk<index>"; SIZE_MAX for any other id.
size_t
bk_request_index (const char *request_id);

//  A BSN (9 digits passing the eleven-test) for `number` into `bsn`, or ""
//  when the number's digits admit none.
void
bk_bsn (char bsn [16], uint64_t number);

//  Packs `command` (borrowed) as the request "bk<index>" into `buffer`
//  (`cap` bytes, enough for it: asserted). Returns the size.
size_t
bk_pack_command (uint8_t *buffer, size_t cap, size_t index, Caseflow__V1__Command *command);

//  Packs an intake Register for resident number `index` (a new resident:
//  a new case) into `buffer` (`cap` bytes, enough for it: asserted).
//  Returns the size.
size_t
bk_pack_register (uint8_t *buffer, size_t cap, size_t index);

//  The same as the request "bk<index>" for resident number `number`: the
//  same number is the same resident (name, birth date, BSN), so a resident
//  whose case was closed registers again.
size_t
bk_pack_register_of (uint8_t *buffer, size_t cap, size_t index, size_t number);

//  Packs a test service Increment of one of 64 counters. Returns the size.
size_t
bk_pack_increment (uint8_t *buffer, size_t cap, size_t index);

//  ----------------------------------------------------------- phases

//  One run of a service under load: a fixed offered rate for a while
//  (open loop), or saturation (closed loop, `count` requests).
typedef struct {
    const char *label;   //  for the human line
    const char *key;     //  for the figures
    double rate;         //  offered requests/s; 0: saturation
    double seconds;      //  fixed rates: how long
    size_t count;        //  saturation: how many
    int64_t timeout_ns;  //  give up when the service answers nothing for this long
} bk_phase_t;

#define BK_PHASES 3

//  The phases every service benchmark runs: 1,000/s and 10,000/s offered
//  for `seconds` each, then saturation with `saturation` requests.
void
bk_phases_init (bk_phase_t phases [BK_PHASES], double seconds, size_t saturation,
                int64_t timeout_ns);

//  How many requests the phase sends.
size_t
bk_phase_requests (const bk_phase_t *phase);

//  ------------------------------------------------------ the generator

typedef struct bk_drive_s bk_drive_t;

struct bk_drive_s {
    //  Set by the caller.
    const char *endpoint;  //  the service's api
    int sockets;           //  DEALERs (requests go round robin), 1..256
    double rate;           //  offered requests/s; 0: closed loop
    size_t window;         //  closed loop: requests outstanding
    size_t count;          //  requests to send
    size_t first;          //  request ids run from "bk<first>" (a service keeps the
                           //  replies of ids it saw: later runs on it start past them)
    int64_t timeout_ns;    //  give up when nothing was sent or answered for this long
    //  Packs request `first + i` (the i-th of the run) as "bk<first + i>".
    size_t (*pack) (uint8_t *buffer, size_t cap, size_t index);
    //  Called for each OK reply (may be NULL), `index` counted from 0.
    void (*on_reply) (bk_drive_t *drive, size_t index, const Caseflow__V1__Reply *reply,
                      int64_t now);
    //  An extra socket polled in the loop, and its reader (called when it
    //  may have input; must read until nothing is left). The loop ends
    //  only when `done` says so (NULL: when every reply came).
    zsock_t *extra;
    void (*on_extra) (bk_drive_t *drive, int64_t now);
    bool (*done) (bk_drive_t *drive);
    void *ctx;

    //  Results.
    int64_t *scheduled;  //  [index]: when it was due to be sent (ns)
    int64_t *latency;    //  [index]: reply - scheduled (ns), -1: no OK reply
    size_t sent, replied, ok, failed;
    int64_t started, last_sent, finished, last_reply;
    char first_error [160];  //  the first refusal or local failure, if any
};

//  Runs the load. Returns 0 when every request got an OK reply (and
//  `done` said so), else 1 (the figures are still filled, first_error
//  says what went wrong when something did). Free with bk_drive_free.
int
bk_drive_run (bk_drive_t *self);

//  The latencies of the OK replies, sorted, in a fresh array (free with
//  free); sets *count_p.
int64_t *
bk_drive_sorted (const bk_drive_t *self, size_t *count_p);

//  Frees the results' arrays.
void
bk_drive_free (bk_drive_t *self);

//  Prints the throughput and latency of a run, human and @@ lines under
//  `key` (key.rate, key.p50_ms, key.p99_ms, key.p999_ms, key.max_ms).
//  The rate is OK replies over the time from the first send to the last
//  reply.
void
bk_drive_report (const bk_drive_t *self, const char *key, const char *label);

#endif
