//  cf_testflood: the hostile flood of issue 19 (fault 4), for the test that
//  bounds a service's memory under it and the benchmark that prints its
//  figures.
//
//  Hostile clients, each its own DEALER, send register commands of about
//  4 MiB at once (pipelined: every request before the first answer), each
//  a valid intake register padded with unknown fields: half the clients
//  with many small ones (a varint each, ~1.4 million a request: the most
//  protobuf-c allocates for), half with large ones (64 KiB each). Meanwhile
//  a legitimate client sends one ordinary register after another (the next
//  once the last is answered, a few milliseconds apart) and times each.
//  The service's resident set (VmRSS) is sampled every 10 ms, from before
//  the flood until it settles after the last hostile answer.
#ifndef CF_TESTFLOOD_H
#define CF_TESTFLOOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

typedef struct {
    int clients;         //  hostile clients (the issue: 4)
    int requests;        //  hostile requests each (the issue: 60)
    size_t size;         //  bytes of each hostile request (the issue: ~4 MiB)
    int legit_pause_ms;  //  between one legitimate answer and the next send
    int settle_ms;       //  watched after the last hostile answer
    int timeout_ms;      //  the whole flood; requests unanswered by then count as lost
} cf_testflood_config_t;

typedef struct {
    double rss_before_mb;  //  before the flood
    double rss_peak_mb;    //  the highest sample, flood and settling
    double rss_after_mb;   //  the last sample, settle_ms after the flood
    size_t size;           //  of each hostile request
    size_t hostile_sent, hostile_answered;
    size_t hostile_too_large;  //  answered INVALID_ARGUMENT naming --max-request-bytes
    size_t hostile_busy;       //  answered UNAVAILABLE (an inbound budget)
    size_t hostile_invalid;    //  answered INVALID_ARGUMENT otherwise (unknown fields)
    size_t hostile_other;      //  any other answer (printed: the test says whether it may)
    size_t legit_sent, legit_ok, legit_refused;
    double legit_p50_ms, legit_p99_ms, legit_max_ms;
    double flood_s;               //  from the first hostile send to its last answer
    char sample_too_large [256];  //  one refusal of each kind, for the log
    char sample_busy [256];
    char sample_invalid [256];
} cf_testflood_result_t;

//  The flood: 4 clients x 60 requests of 4 MiB less 1 KiB (under
//  the transport's limit, CF_API_MAX_MESSAGE), a legitimate register every
//  5 ms, 2 s of settling, 120 s at most.
void
cf_testflood_defaults (cf_testflood_config_t *config);

//  Runs the flood against the intake api at `endpoint`, whose process is
//  `pid`, and fills `result`. Returns 0, or -1 when a socket could not be
//  made (printed).
int
cf_testflood_run (const char *endpoint, pid_t pid, const cf_testflood_config_t *config,
                  cf_testflood_result_t *result);

//  Prints the figures, one "flood: ..." line each, to `out`.
void
cf_testflood_print (const cf_testflood_result_t *result, FILE *out);

#endif
