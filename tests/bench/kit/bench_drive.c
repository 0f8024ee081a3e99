//  bench_drive: the load generator and its requests (see bench_drive.h).
#include "bench_drive.h"

#include "cf_arena.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  ----------------------------------------------------------- requests

//  Writes `value` in decimal, zero-padded to at least `width` digits, at
//  `out` and terminates it; returns the end (the NUL). The generator
//  builds every request on the same cores as the services it measures:
//  this spares it snprintf's parsing of a format.
static char *
s_put_number (char *out, uint64_t value, int width)
{
    char digits [24];
    int count = 0;
    do {
        digits [count++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value);
    while (count < width)
        digits [count++] = '0';
    while (count)
        *out++ = digits [--count];
    *out = 0;
    return out;
}

//  Copies `text` to `out` (no NUL); returns the end.
static char *
s_put_text (char *out, const char *text)
{
    size_t len = strlen (text);
    memcpy (out, text, len);
    return out + len;
}

size_t
bk_request_index (const char *request_id)
{
    return request_id && request_id [0] == 'b' && request_id [1] == 'k'
               ? (size_t) strtoull (request_id + 2, NULL, 10)
               : SIZE_MAX;
}

void
bk_bsn (char bsn [16], uint64_t number)
{
    char digits [16];
    s_put_number (digits, (number % 99999999) + 1, 8);
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (9 - i) * (digits [i] - '0');
    int check = sum % 11;
    if (check == 10) {
        bsn [0] = 0;
        return;
    }
    memcpy (bsn, digits, 8);
    s_put_number (bsn + 8, (uint64_t) check, 1);
}

size_t
bk_pack_command (uint8_t *buffer, size_t cap, size_t index, Caseflow__V1__Command *command)
{
    char request_id [32];
    s_put_number (s_put_text (request_id, "bk"), index, 0);
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = request_id;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = command;
    size_t size = caseflow__v1__request__get_packed_size (&request);
    assert (size <= cap);
    return caseflow__v1__request__pack (&request, buffer);
}

size_t
bk_pack_register (uint8_t *buffer, size_t cap, size_t index)
{
    return bk_pack_register_of (buffer, cap, index, index);
}

size_t
bk_pack_register_of (uint8_t *buffer, size_t cap, size_t index, size_t number)
{
    char name [48], birth [16], phone [24], district [16], bsn [16];
    //  "Resident <index>", "19yy-mm-dd", "06 <8 digits>", "D<2 digits>".
    s_put_number (s_put_text (name, "Resident "), number, 0);
    char *at = s_put_number (s_put_text (birth, "19"), 40 + number % 60, 2);
    at = s_put_number (s_put_text (at, "-"), 1 + number % 12, 2);
    s_put_number (s_put_text (at, "-"), 1 + number % 28, 2);
    s_put_number (s_put_text (phone, "06 "), number % 100000000, 8);
    s_put_number (s_put_text (district, "D"), number % 20, 2);
    bk_bsn (bsn, number);
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = name;
    resident.birth_date = birth;
    resident.phone = phone;
    resident.district = district;
    resident.bsn = bsn;
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 2;
    body.question = "Rent arrears since the spring and a letter from the housing corporation";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.reason = "regular: no acute risk";
    Caseflow__V1__Intake__Command inner = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    inner.register_ = &body;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &inner;
    return bk_pack_command (buffer, cap, index, &command);
}

size_t
bk_pack_increment (uint8_t *buffer, size_t cap, size_t index)
{
    char counter [16];
    s_put_number (s_put_text (counter, "c"), index % 64, 2);
    Caseflow__V1__Testing__Increment body = CASEFLOW__V1__TESTING__INCREMENT__INIT;
    body.counter = counter;
    body.amount = 1;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INCREMENT;
    command.increment = &body;
    return bk_pack_command (buffer, cap, index, &command);
}

//  ----------------------------------------------------------- phases

void
bk_phases_init (bk_phase_t phases [BK_PHASES], double seconds, size_t saturation,
                int64_t timeout_ns)
{
    phases [0] = (bk_phase_t){ "1,000/s offered", "r1000", 1000, seconds, 0, timeout_ns };
    phases [1] = (bk_phase_t){ "10,000/s offered", "r10000", 10000, seconds, 0, timeout_ns };
    phases [2] =
        (bk_phase_t){ "saturation (4,096 outstanding)", "sat", 0, 0, saturation, timeout_ns };
}

size_t
bk_phase_requests (const bk_phase_t *phase)
{
    return phase->rate > 0 ? (size_t) (phase->rate * phase->seconds) : phase->count;
}

//  ------------------------------------------------------ the generator

//  Records the first thing that went wrong (a refusal, a local failure).
static void
s_note_error (bk_drive_t *self, const char *what, const char *detail)
{
    if (!self->first_error [0])
        snprintf (self->first_error, sizeof self->first_error, "%s: %s", what,
                  detail ? detail : "");
}

//  Reads every reply waiting on `socket`, until a receive finds none (so
//  its ZMQ_FD wakes the next ppoll when more come). True when there was
//  one at least. Replies are decoded into `arena` (no malloc and free per
//  field), which is reset after each.
static bool
s_read (bk_drive_t *self, zsock_t *socket, cf_arena_t *arena)
{
    bool any = false;
    void *handle = zsock_resolve (socket);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    while (zmq_msg_recv (&msg, handle, ZMQ_DONTWAIT) >= 0) {
        any = true;
        int64_t now = bk_now_ns ();
        Caseflow__V1__Reply *reply = caseflow__v1__reply__unpack (
            cf_arena_allocator (arena), zmq_msg_size (&msg), zmq_msg_data (&msg));
        size_t index = reply ? bk_request_index (reply->request_id) : SIZE_MAX;
        index = index >= self->first ? index - self->first : SIZE_MAX;
        if (index < self->count && self->latency [index] == -2) {
            self->replied++;
            self->last_reply = now;
            bool ok = !reply->status || reply->status->code == CASEFLOW__V1__STATUS__CODE__OK;
            if (ok) {
                self->ok++;
                self->latency [index] = now - self->scheduled [index];
                if (self->on_reply)
                    self->on_reply (self, index, reply, now);
            } else {
                self->failed++;
                self->latency [index] = -1;
                s_note_error (self, cf_api_code_name (reply->status->code), reply->status->message);
            }
        }
        cf_arena_reset (arena);
    }
    zmq_msg_close (&msg);
    return any;
}

static bool
s_pollin (zsock_t *socket)
{
    return (zsock_events (socket) & ZMQ_POLLIN) != 0;
}

//  Opens and connects the DEALERs; fills `fds` with their ZMQ_FDs (and the
//  extra socket's). Returns the number of fds, or 0 (first_error says why).
static size_t
s_open (bk_drive_t *self, zsock_t **dealers, struct pollfd *fds)
{
    size_t nfds = 0;
    for (int i = 0; i < self->sockets; i++) {
        dealers [i] = zsock_new (ZMQ_DEALER);
        if (!dealers [i]) {
            s_note_error (self, "zsock_new", zmq_strerror (zmq_errno ()));
            return 0;
        }
        zsock_set_sndhwm (dealers [i], 0);
        zsock_set_rcvhwm (dealers [i], 0);
        zsock_set_linger (dealers [i], 0);
        if (zsock_connect (dealers [i], "%s", self->endpoint) != 0) {
            s_note_error (self, self->endpoint, zmq_strerror (zmq_errno ()));
            return 0;
        }
        fds [nfds++] = (struct pollfd){ .fd = zsock_fd (dealers [i]), .events = POLLIN };
    }
    if (self->extra)
        fds [nfds++] = (struct pollfd){ .fd = zsock_fd (self->extra), .events = POLLIN };
    return nfds;
}

//  Sends every request that is due (open loop) or fits the window
//  (closed loop). Returns the next index to send.
static size_t
s_send_due (bk_drive_t *self, zsock_t **dealers, size_t next, int64_t interval)
{
    uint8_t buffer [2048];
    int64_t now = bk_now_ns ();
    while (next < self->count) {
        int64_t due = interval ? self->started + (int64_t) next * interval : now;
        if (interval ? due > now : next - self->replied >= self->window)
            break;
        size_t size = self->pack (buffer, sizeof buffer, self->first + next);
        self->scheduled [next] = due;
        zsock_t *dealer = dealers [next % (size_t) self->sockets];
        if (zmq_send (zsock_resolve (dealer), buffer, size, ZMQ_DONTWAIT) < 0) {
            //  Counted as answered with a failure, so the window moves on.
            s_note_error (self, "zmq_send", zmq_strerror (zmq_errno ()));
            self->latency [next] = -1;
            self->replied++;
            self->failed++;
        }
        next++;
        self->sent++;
        self->last_sent = bk_now_ns ();
    }
    return next;
}

int
bk_drive_run (bk_drive_t *self)
{
    assert (self->sockets > 0 && self->sockets <= 256);
    assert (self->rate > 0 || self->window > 0);
    self->scheduled = calloc (self->count + 1, sizeof *self->scheduled);
    self->latency = calloc (self->count + 1, sizeof *self->latency);
    assert (self->scheduled && self->latency);
    for (size_t i = 0; i < self->count; i++)
        self->latency [i] = -2;  //  not answered yet
    zsock_t *dealers [256] = { NULL };
    struct pollfd fds [257];
    size_t nfds = s_open (self, dealers, fds);
    self->started = self->last_sent = self->last_reply = self->finished = bk_now_ns ();
    if (nfds == 0) {
        for (int i = 0; i < self->sockets; i++)
            zsock_destroy (&dealers [i]);
        return 1;
    }
    //  Let the connections settle before the clock starts.
    zclock_sleep (200);

    int64_t interval = self->rate > 0 ? (int64_t) (1e9 / self->rate) : 0;
    self->started = self->last_sent = self->last_reply = bk_now_ns ();
    cf_arena_t *arena = cf_arena_new (0);
    size_t next = 0;
    while (true) {
        next = s_send_due (self, dealers, next, interval);
        //  Each socket is received from until it has nothing: asking
        //  ZMQ_EVENTS first would cost as much again (a system call each).
        bool input = false;
        for (int i = 0; i < self->sockets; i++)
            input |= s_read (self, dealers [i], arena);
        if (self->extra && self->on_extra)
            self->on_extra (self, bk_now_ns ());
        bool all_replied = self->replied == self->count;
        if (all_replied && (!self->done || self->done (self)))
            break;
        //  Waiting only on the service (nothing left to send, or the
        //  window full) for longer than the timeout: it is not answering.
        int64_t now = bk_now_ns ();
        bool waiting = next == self->count || (!interval && next - self->replied >= self->window);
        int64_t progress = self->last_sent > self->last_reply ? self->last_sent : self->last_reply;
        if (waiting && now - progress > self->timeout_ns) {
            s_note_error (self, "no answer", "the service stopped answering");
            break;
        }
        //  Sleep until the next send is due or a socket wakes us: every
        //  socket was read until it had nothing, so its ZMQ_FD will.
        if (self->extra && !self->on_extra && !input)
            input = s_pollin (self->extra);
        if (input)
            continue;
        int64_t wait = 100 * BK_NS_PER_MS;
        if (interval && next < self->count) {
            int64_t due = self->started + (int64_t) next * interval;
            wait = due > now ? due - now : 0;
        } else if (!interval && next < self->count && next - self->replied < self->window)
            wait = 0;
        if (wait > 0) {
            struct timespec timeout = { wait / BK_NS_PER_S, wait % BK_NS_PER_S };
            ppoll (fds, nfds, &timeout, NULL);
        }
    }
    self->finished = bk_now_ns ();
    for (int i = 0; i < self->sockets; i++)
        zsock_destroy (&dealers [i]);
    cf_arena_destroy (&arena);
    return self->ok == self->count && (!self->done || self->done (self)) ? 0 : 1;
}

int64_t *
bk_drive_sorted (const bk_drive_t *self, size_t *count_p)
{
    int64_t *sorted = malloc ((self->count + 1) * sizeof *sorted);
    assert (sorted);
    size_t count = 0;
    for (size_t i = 0; i < self->count; i++)
        if (self->latency [i] >= 0)
            sorted [count++] = self->latency [i];
    qsort (sorted, count, sizeof *sorted, bk_compare_i64);
    *count_p = count;
    return sorted;
}

void
bk_drive_free (bk_drive_t *self)
{
    free (self->scheduled);
    free (self->latency);
    self->scheduled = self->latency = NULL;
}

void
bk_drive_report (const bk_drive_t *self, const char *key, const char *label)
{
    size_t count;
    int64_t *sorted = bk_drive_sorted (self, &count);
    bk_latency_t latency = bk_latency (sorted, count, self->ok, self->last_reply - self->started);
    printf ("%-44s %8zu ok %6zu failed  %9.0f /s  latency ms p50 %7.2f  p99 %7.2f  "
            "p99.9 %7.2f  max %7.2f\n",
            label, self->ok, self->count - self->ok, latency.rate, latency.p50_ms, latency.p99_ms,
            latency.p999_ms, latency.max_ms);
    if (self->first_error [0])
        printf ("    first refusal: %s\n", self->first_error);
    bk_latency_figures (key, &latency);
    free (sorted);
}
