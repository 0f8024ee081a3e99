//  cf_testflood: the hostile flood of issue 19 (see cf_testflood.h).
//
//  One thread, one zmq_poll over every socket: the hostile requests are
//  all queued at the start (libzmq writes them out as the service reads),
//  the legitimate client keeps one request in flight, and the resident set
//  is sampled between polls.
#include "cf_testflood.h"

#include "caseflow/v1/api.pb-c.h"
#include "cf_api.h"
#include "cf_testproc.h"
#include "cf_time.h"

#include <assert.h>
#include <czmq.h>
#include <stdlib.h>
#include <string.h>

#define S_SAMPLE_US   10000
#define S_UNKNOWN_LOW 3000  //  field numbers no caseflow message uses
#define S_BLOB        65536

void
cf_testflood_defaults (cf_testflood_config_t *config)
{
    *config = (cf_testflood_config_t){ .clients = 4,
                                       .requests = 60,
                                       .size = CF_API_MAX_MESSAGE - 1024,
                                       .legit_pause_ms = 5,
                                       .settle_ms = 2000,
                                       .timeout_ms = 120000 };
}

//  ------------------------------------------------------------- requests

//  An intake register of resident `name` as request `id`, packed into a
//  fresh buffer of `room` bytes at least (free with free); its size in
//  *size_p.
static uint8_t *
s_register (const char *id, const char *name, size_t room, size_t *size_p)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.district = "Noord";
    Caseflow__V1__Domain domain = CASEFLOW__V1__DOMAIN__DOMAIN_DEBT;
    Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    reg.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    reg.resident = &resident;
    reg.domains = &domain;
    reg.n_domains = 1;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &reg;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = (char *) id;
    request.client = "cf_testflood";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    uint8_t *data = malloc (size > room ? size : room);
    assert (data);
    caseflow__v1__request__pack (&request, data);
    *size_p = size;
    return data;
}

static size_t
s_varint (uint8_t *out, uint64_t value)
{
    size_t n = 0;
    do {
        out [n++] = (uint8_t) ((value & 0x7f) | (value >= 0x80 ? 0x80 : 0));
        value >>= 7;
    } while (value);
    return n;
}

//  One unknown length-delimited field of exactly `total` bytes (3 or more).
static void
s_filler (uint8_t *out, size_t total)
{
    uint8_t tag [8];
    size_t tag_size = s_varint (tag, (uint64_t) (S_UNKNOWN_LOW + 1) << 3 | 2);
    for (size_t len_size = 1; len_size <= 4; len_size++) {
        size_t len = total - tag_size - len_size;
        uint8_t prefix [8];
        if (total < tag_size + len_size || s_varint (prefix, len) != len_size)
            continue;
        memcpy (out, tag, tag_size);
        memcpy (out + tag_size, prefix, len_size);
        memset (out + tag_size + len_size, 'x', len);
        return;
    }
    assert (!"no filler of that size");
}

//  Pads [data, data + used) with unknown fields up to `size` bytes: many
//  varints (small) or 64 KiB blobs.
static void
s_pad (uint8_t *data, size_t used, size_t size, bool small)
{
    uint8_t *at = data + used;
    size_t left = size - used;
    if (small) {
        uint8_t field [8];
        size_t n = s_varint (field, (uint64_t) S_UNKNOWN_LOW << 3 | 0);
        field [n++] = 1;
        while (left >= n + 6) {
            memcpy (at, field, n);
            at += n;
            left -= n;
        }
    } else {
        uint8_t field [8];
        size_t n = s_varint (field, (uint64_t) (S_UNKNOWN_LOW + 2) << 3 | 2);
        n += s_varint (field + n, S_BLOB);
        while (left >= n + S_BLOB + 8) {
            memcpy (at, field, n);
            memset (at + n, 'p', S_BLOB);
            at += n + S_BLOB;
            left -= n + S_BLOB;
        }
    }
    s_filler (at, left);
}

static void
s_free (void *data, void *hint)
{
    (void) hint;
    free (data);
}

//  ---------------------------------------------------------------- flood

typedef struct {
    const cf_testflood_config_t *config;
    cf_testflood_result_t *result;
    pid_t pid;
    int64_t last_sample;
    double *latencies;
    size_t latency_count, latency_cap;
} s_flood_t;

static void
s_sample (s_flood_t *self, bool force)
{
    int64_t now = cf_time_monotonic ();
    if (!force && now - self->last_sample < S_SAMPLE_US)
        return;
    self->last_sample = now;
    double mb = cf_test_proc_kib (self->pid, "VmRSS") / 1024.0;
    if (mb > self->result->rss_peak_mb)
        self->result->rss_peak_mb = mb;
    self->result->rss_after_mb = mb;
}

//  A hostile answer: counted by what it says.
static void
s_hostile_answer (s_flood_t *self, zmq_msg_t *msg)
{
    cf_testflood_result_t *result = self->result;
    result->hostile_answered++;
    Caseflow__V1__Reply *reply =
        caseflow__v1__reply__unpack (NULL, zmq_msg_size (msg), zmq_msg_data (msg));
    Caseflow__V1__Status__Code code =
        reply ? cf_api_reply_code (reply) : CASEFLOW__V1__STATUS__CODE__INTERNAL;
    char *sample = NULL;
    if (code == CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
        && strstr (reply->status->message, "--max-request-bytes")) {
        result->hostile_too_large++;
        sample = result->sample_too_large;
    } else if (code == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE) {
        result->hostile_busy++;
        sample = result->sample_busy;
    } else if (code == CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT) {
        result->hostile_invalid++;
        sample = result->sample_invalid;
    } else
        result->hostile_other++;
    if (sample && !*sample)
        snprintf (sample, sizeof result->sample_busy, "%s: %s: %s", cf_api_code_name (code),
                  reply->status->field, reply->status->message);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double
s_percentile (const double *sorted, size_t count, double p)
{
    if (!count)
        return 0;
    size_t index = (size_t) (p * (double) (count - 1) + 0.5);
    return sorted [index < count ? index : count - 1];
}

static zsock_t *
s_dealer (const char *endpoint)
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    if (!dealer)
        return NULL;
    zsock_set_linger (dealer, 0);
    zsock_set_sndhwm (dealer, 0);
    zsock_set_rcvhwm (dealer, 0);
    if (zsock_connect (dealer, "%s", endpoint) != 0)
        zsock_destroy (&dealer);
    return dealer;
}

int
cf_testflood_run (const char *endpoint, pid_t pid, const cf_testflood_config_t *config,
                  cf_testflood_result_t *result)
{
    memset (result, 0, sizeof *result);
    result->size = config->size;
    s_flood_t self = { .config = config, .result = result, .pid = pid };
    int count = config->clients + 1;
    zsock_t **socks = calloc ((size_t) count, sizeof *socks);
    zmq_pollitem_t *items = calloc ((size_t) count, sizeof *items);
    assert (socks && items);
    for (int i = 0; i < count; i++) {
        socks [i] = s_dealer (endpoint);
        if (!socks [i]) {
            fprintf (stderr, "cf_testflood: cannot connect a DEALER to %s\n", endpoint);
            for (int j = 0; j < i; j++)
                zsock_destroy (&socks [j]);
            free (socks);
            free (items);
            return -1;
        }
        items [i] = (zmq_pollitem_t){ zsock_resolve (socks [i]), 0, ZMQ_POLLIN, 0 };
    }
    zsock_t *legit = socks [config->clients];
    //  Connected and settled before the flood starts.
    zclock_sleep (200);
    result->rss_before_mb = cf_test_proc_kib (pid, "VmRSS") / 1024.0;
    result->rss_peak_mb = result->rss_after_mb = result->rss_before_mb;

    int64_t started = cf_time_monotonic ();
    for (int c = 0; c < config->clients; c++)
        for (int r = 0; r < config->requests; r++) {
            char id [64], name [64];
            snprintf (id, sizeof id, "flood-%d-%d", c, r);
            snprintf (name, sizeof name, "Flood Resident %d %d", c, r);
            size_t used = 0;
            uint8_t *data = s_register (id, name, config->size, &used);
            size_t size = used;
            if (config->size > used + 8) {
                s_pad (data, used, config->size, c % 2 == 0);
                size = config->size;
            }
            zmq_msg_t msg;
            zmq_msg_init_data (&msg, data, size, s_free, NULL);
            if (zmq_msg_send (&msg, zsock_resolve (socks [c]), 0) == -1)
                zmq_msg_close (&msg);
            else
                result->hostile_sent++;
        }

    //  The legitimate client: one register in flight, the next after a
    //  pause; timed from send to answer.
    char legit_id [64] = "";
    int64_t legit_sent_at = 0, legit_next = started;
    int64_t deadline = started + (int64_t) config->timeout_ms * 1000;
    int64_t flood_done = 0;
    while (true) {
        int64_t now = cf_time_monotonic ();
        if (!flood_done && (result->hostile_answered == result->hostile_sent || now >= deadline)) {
            flood_done = now;
            result->flood_s = (double) (now - started) / 1e6;
        }
        bool settled = flood_done && now - flood_done >= (int64_t) config->settle_ms * 1000;
        if (settled && (!*legit_id || now - legit_sent_at > 5000000))
            break;
        if (!*legit_id && now >= legit_next && !settled) {
            snprintf (legit_id, sizeof legit_id, "legit-%zu", result->legit_sent);
            char name [64];
            snprintf (name, sizeof name, "Legit Resident %zu", result->legit_sent);
            size_t size = 0;
            uint8_t *data = s_register (legit_id, name, 0, &size);
            zmq_send (zsock_resolve (legit), data, size, 0);
            free (data);
            result->legit_sent++;
            legit_sent_at = cf_time_monotonic ();
        }
        zmq_poll (items, count, 10);
        for (int i = 0; i < count; i++) {
            while (true) {
                zmq_msg_t msg;
                zmq_msg_init (&msg);
                if (zmq_msg_recv (&msg, zsock_resolve (socks [i]), ZMQ_DONTWAIT) == -1) {
                    zmq_msg_close (&msg);
                    break;
                }
                if (i < config->clients)
                    s_hostile_answer (&self, &msg);
                else if (*legit_id) {
                    double ms = (double) (cf_time_monotonic () - legit_sent_at) / 1000.0;
                    Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (
                        NULL, zmq_msg_size (&msg), zmq_msg_data (&msg));
                    if (reply && strcmp (reply->request_id, legit_id) == 0) {
                        if (cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__OK)
                            result->legit_ok++;
                        else
                            result->legit_refused++;
                        if (self.latency_count == self.latency_cap) {
                            self.latency_cap = self.latency_cap ? 2 * self.latency_cap : 256;
                            self.latencies =
                                realloc (self.latencies, self.latency_cap * sizeof *self.latencies);
                            assert (self.latencies);
                        }
                        self.latencies [self.latency_count++] = ms;
                        *legit_id = 0;
                        legit_next = cf_time_monotonic () + config->legit_pause_ms * 1000;
                    }
                    if (reply)
                        caseflow__v1__reply__free_unpacked (reply, NULL);
                }
                zmq_msg_close (&msg);
            }
        }
        s_sample (&self, false);
    }
    s_sample (&self, true);
    qsort (self.latencies, self.latency_count, sizeof *self.latencies, s_compare);
    result->legit_p50_ms = s_percentile (self.latencies, self.latency_count, 0.50);
    result->legit_p99_ms = s_percentile (self.latencies, self.latency_count, 0.99);
    result->legit_max_ms = self.latency_count ? self.latencies [self.latency_count - 1] : 0;
    free (self.latencies);
    for (int i = 0; i < count; i++)
        zsock_destroy (&socks [i]);
    free (socks);
    free (items);
    return 0;
}

void
cf_testflood_print (const cf_testflood_result_t *r, FILE *out)
{
    fprintf (out,
             "flood: %zu hostile requests of %zu bytes sent, %zu answered in %.1f s: %zu over "
             "the size limit, %zu busy (an inbound budget), %zu invalid, %zu other\n",
             r->hostile_sent, r->size, r->hostile_answered, r->flood_s, r->hostile_too_large,
             r->hostile_busy, r->hostile_invalid, r->hostile_other);
    const char *samples [] = { r->sample_too_large, r->sample_busy, r->sample_invalid };
    for (int i = 0; i < 3; i++)
        if (*samples [i])
            fprintf (out, "flood: a hostile request's answer: %s\n", samples [i]);
    fprintf (out, "flood: service RSS %.1f MB before, %.1f MB at the peak, %.1f MB after\n",
             r->rss_before_mb, r->rss_peak_mb, r->rss_after_mb);
    fprintf (out,
             "flood: legitimate commands meanwhile: %zu sent, %zu ok, %zu refused; latency "
             "p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
             r->legit_sent, r->legit_ok, r->legit_refused, r->legit_p50_ms, r->legit_p99_ms,
             r->legit_max_ms);
}
