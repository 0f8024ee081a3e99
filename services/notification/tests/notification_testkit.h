//  notification_testkit: a small harness for the notification unit tests.
//
//  It stands in for the runtime. Own events are stamped (stream, seq, id,
//  occurred_at = the kit's clock unless set), encoded into the kit's
//  journal and applied as a decoded copy, so apply is tested on what it
//  would read back from a journal. Upstream events are built by helpers
//  (kit_register, kit_triage, ...), journaled and applied the same way and
//  then handed to notification_react (and what is due fired at once, as
//  with the manual clock), exactly as the runtime's
//  subscriber delivery does. kit_advance moves the clock and runs
//  notification_fire_due, as on_clock does. kit_replay_digest rebuilds a
//  fresh state from the journal and compares digests.
//  Header-only (static functions): each test program includes it once.
#ifndef NOTIFICATION_TESTKIT_H
#define NOTIFICATION_TESTKIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_calendar.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_words.h"
#include "notification_decide.h"
#include "notification_react.h"
#include "notification_lifecycle.h"
#include "notification_query.h"
#include "notification_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIT_MAX_EVENTS   8192
#define KIT_DAY          (24 * INT64_C (3600000000))
#define KIT_KIND(name)   CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_##name
#define KIT_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name

typedef struct {
    notification_state_t *state;
    notification_config_t config;
    int64_t now;
    uint8_t *journal [KIT_MAX_EVENTS];  //  every applied event, in order
    size_t journal_size [KIT_MAX_EVENTS];
    size_t count;
    uint64_t own_seq;
    uint64_t upstream_seq [4];  //  intake, assignment, handover, gateway
    size_t mark;                //  journal index kit_since starts at
} kit_t;

static inline int64_t
kit_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static inline void
kit_init_with (kit_t *kit, const char *holidays)
{
    memset (kit, 0, sizeof *kit);
    cf_time_init ();
    cf_log_init ("notification-test", CF_LOG_ERROR);
    kit->config.callback_interval = 14 * KIT_DAY;
    kit->config.overdue_working_days = 2;
    kit->config.waiting_norm = 56 * KIT_DAY;
    kit->config.claim_lease = KIT_DAY / 48;
    cf_retention_defaults (&kit->config.retention);
    assert_int_equal (cf_calendar_parse (&kit->config.calendar, holidays, NULL), 0);
    kit->state = notification_state_new (&kit->config);
    kit->now = kit_time ("2022-01-10T10:00");  //  a Monday
}

static inline void
kit_init (kit_t *kit)
{
    kit_init_with (kit, CF_CALENDAR_DEFAULT_HOLIDAYS);
}

static inline void
kit_destroy (kit_t *kit)
{
    notification_state_destroy (&kit->state);
    cf_calendar_clear (&kit->config.calendar);
    for (size_t i = 0; i < kit->count; i++)
        free (kit->journal [i]);
}

//  Journals `event` and applies a decoded copy to the state.
static inline void
kit_journal (kit_t *kit, const Caseflow__V1__Event *event)
{
    assert_true (kit->count < KIT_MAX_EVENTS);
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (event, data);
    kit->journal [kit->count] = data;
    kit->journal_size [kit->count] = size;
    kit->count++;
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert_non_null (copy);
    notification_state_apply (kit->state, copy);
    caseflow__v1__event__free_unpacked (copy, NULL);
}

static inline int
kit_emit (void *ctx, Caseflow__V1__Event *event)
{
    kit_t *kit = ctx;
    char id [32];
    snprintf (id, sizeof id, "01NOTIFY%018zu", kit->count + 1);
    Caseflow__V1__Event stamped = *event;
    stamped.id = id;
    stamped.stream = NOTIFICATION_STREAM;
    stamped.seq = ++kit->own_seq;
    stamped.schema_version = 1;
    if (!stamped.occurred_at)
        stamped.occurred_at = kit->now;
    //  Own events must always fit the state they were decided on.
    size_t size = caseflow__v1__event__get_packed_size (&stamped);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (&stamped, data);
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert_non_null (copy);
    assert_int_equal (notification_state_apply (kit->state, copy), 0);
    caseflow__v1__event__free_unpacked (copy, NULL);
    assert_true (kit->count < KIT_MAX_EVENTS);
    kit->journal [kit->count] = data;
    kit->journal_size [kit->count] = size;
    kit->count++;
    return 0;
}

//  The decider a decision gets: the kit's clock, `reply` (NULL when
//  reacting or firing), and kit_emit where the runtime has cf_service_emit.
static inline void
kit_decider (kit_t *kit, cf_decider_t *decider, Caseflow__V1__Reply *reply)
{
    cf_decider_init (decider, kit->now, reply, kit_emit, kit);
}

//  Journals and applies an upstream event of `stream` at `at` (0: now),
//  then lets the service react.
static inline void
kit_upstream (kit_t *kit, const char *stream, Caseflow__V1__Event *event, const char *case_id,
              int64_t at)
{
    int index = strcmp (stream, NOTIFICATION_INTAKE) == 0       ? 0
                : strcmp (stream, NOTIFICATION_ASSIGNMENT) == 0 ? 1
                : strcmp (stream, NOTIFICATION_HANDOVER) == 0   ? 2
                                                                : 3;
    char id [32];
    snprintf (id, sizeof id, "01UPSTREAM%016zu", kit->count + 1);
    event->id = id;
    event->stream = (char *) stream;
    event->seq = ++kit->upstream_seq [index];
    event->occurred_at = at ? at : kit->now;
    event->case_id = (char *) (case_id ? case_id : "");
    event->schema_version = 1;
    kit_journal (kit, event);
    cf_decider_t decider;
    kit_decider (kit, &decider, NULL);
    notification_react (kit->state, &decider, event);
    notification_fire_due (kit->state, &decider, 0);
    assert_int_equal (decider.rc, 0);
}

static inline void
kit_register (kit_t *kit, const char *case_id, const char *location, int64_t at)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "A. Resident";
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) case_id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.location = (char *) (location ? location : "");
    body.resident = &resident;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
}

//  Triage to `urgency`; the status intake would write (waiting or urgent).
static inline uint64_t
kit_triage (kit_t *kit, const char *case_id, Caseflow__V1__Urgency urgency, int64_t at)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) case_id;
    body.urgency = urgency;
    body.reason = "test";
    body.status = urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                      ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
                      : CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
    return kit->upstream_seq [0];
}

static inline void
kit_waiting (kit_t *kit, const char *case_id, const char *location, int64_t at)
{
    kit_register (kit, case_id, location, at);
    kit_triage (kit, case_id, CASEFLOW__V1__URGENCY__URGENCY_REGULAR, at);
}

static inline void
kit_status (kit_t *kit, const char *case_id, Caseflow__V1__CaseStatus status, int64_t at)
{
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = (char *) case_id;
    body.status = status;
    body.worker_id = "w1";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
}

static inline void
kit_close (kit_t *kit, const char *case_id, int64_t at)
{
    Caseflow__V1__Intake__CaseClosed body = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    body.case_id = (char *) case_id;
    body.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN;
    body.reason = "test";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
}

//  Intake recorded a call at `at` (0: now) that names the reminder it
//  answers (`reminder_id`, "" none) and its due time (`due_at`, 0 none).
static inline void
kit_callback_naming (kit_t *kit, const char *case_id, Caseflow__V1__Intake__CallbackOutcome outcome,
                     const char *reminder_id, int64_t due_at, int64_t at)
{
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = (char *) case_id;
    body.outcome = outcome;
    body.reminder_id = (char *) reminder_id;
    body.due_at = due_at;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    kit_upstream (kit, NOTIFICATION_INTAKE, &event, case_id, at);
}

static inline void
kit_callback (kit_t *kit, const char *case_id, Caseflow__V1__Intake__CallbackOutcome outcome,
              int64_t at)
{
    kit_callback_naming (kit, case_id, outcome, "", 0, at);
}

static inline uint64_t
kit_escalate (kit_t *kit, const char *case_id)
{
    Caseflow__V1__Assignment__AssignmentEscalated body =
        CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_ESCALATED__INIT;
    body.case_id = (char *) case_id;
    body.reason = "nobody present";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_URGENT;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED;
    event.assignment_escalated = &body;
    kit_upstream (kit, NOTIFICATION_ASSIGNMENT, &event, case_id, 0);
    return kit->upstream_seq [1];
}

static inline void
kit_announce (kit_t *kit, const char *handover_id, int64_t deadline, const char *worker)
{
    Caseflow__V1__Handover__HandoverAnnounced body =
        CASEFLOW__V1__HANDOVER__HANDOVER_ANNOUNCED__INIT;
    body.handover_id = (char *) handover_id;
    body.provider_id = "P1";
    body.deadline = deadline;
    body.preferred_worker = (char *) (worker ? worker : "");
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED;
    event.handover_announced = &body;
    kit_upstream (kit, NOTIFICATION_HANDOVER, &event, NULL, 0);
}

//  The gateway parked event `seq` of `stream` for `subscription_id`.
static inline void
kit_park (kit_t *kit, const char *subscription_id, const char *stream, uint64_t seq)
{
    Caseflow__V1__Gateway__EventParked body = CASEFLOW__V1__GATEWAY__EVENT_PARKED__INIT;
    body.subscription_id = (char *) subscription_id;
    body.stream = (char *) stream;
    body.seq = seq;
    body.event_id = "01PARKEDEVENT";
    body.reason = "HTTP 500";
    body.attempts = 3;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_EVENT_PARKED;
    event.event_parked = &body;
    kit_upstream (kit, NOTIFICATION_GATEWAY, &event, NULL, 0);
}

static inline void
kit_handover_cancel (kit_t *kit, const char *handover_id)
{
    Caseflow__V1__Handover__HandoverCancelled body =
        CASEFLOW__V1__HANDOVER__HANDOVER_CANCELLED__INIT;
    body.handover_id = (char *) handover_id;
    body.reason = "test";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED;
    event.handover_cancelled = &body;
    kit_upstream (kit, NOTIFICATION_HANDOVER, &event, NULL, 0);
}

//  Moves the clock to `at` and fires what is due, as on_clock does.
//  Returns how many reminders fired.
static inline size_t
kit_clock (kit_t *kit, int64_t at)
{
    assert_true (at >= kit->now);
    kit->now = at;
    cf_decider_t decider;
    kit_decider (kit, &decider, NULL);
    size_t fired = notification_fire_due (kit->state, &decider, 0);
    assert_int_equal (decider.rc, 0);
    return fired;
}

//  Marks the journal: kit_due_ids lists what fired after the mark.
static inline void
kit_mark (kit_t *kit)
{
    kit->mark = kit->count;
}

//  The ids (and due times) of the ReminderDue events since the mark, in
//  journal order, into `ids` (capacity `max`, each 201 bytes). Returns the
//  count.
static inline size_t
kit_due_ids (kit_t *kit, char ids [][201], int64_t *due, size_t max)
{
    size_t count = 0;
    for (size_t i = kit->mark; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE && count < max) {
            snprintf (ids [count], 201, "%s", event->reminder_due->reminder->reminder_id);
            if (due)
                due [count] = event->reminder_due->reminder->due_at;
            count++;
        }
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    return count;
}

//  The reminder `id`, asserted to exist.
static inline notification_reminder_t *
kit_reminder (kit_t *kit, const char *id)
{
    notification_reminder_t *reminder = notification_state_reminder (kit->state, id);
    if (!reminder)
        fail_msg ("no reminder %s", id);
    return reminder;
}

static inline void
kit_assert_due_at (kit_t *kit, const char *id, const char *when)
{
    notification_reminder_t *reminder = kit_reminder (kit, id);
    int64_t expected = kit_time (when);
    if (reminder->due_at != expected) {
        char got [40], want [40];
        fail_msg ("%s due %s, expected %s", id,
                  cf_time_format_local (reminder->due_at, got, sizeof got),
                  cf_time_format_local (expected, want, sizeof want));
    }
}

static inline void
kit_assert_status (kit_t *kit, const char *id, int status)
{
    notification_reminder_t *reminder = kit_reminder (kit, id);
    if (reminder->status != status)
        fail_msg ("%s is %s, expected %s", id,
                  cf_words_name (&cf_words_reminder_status, reminder->status),
                  cf_words_name (&cf_words_reminder_status, status));
}

//  Replays the journal into a fresh state: its digest must equal the live
//  state's, and a reaction to nothing new must emit nothing.
static inline void
kit_replay_digest (kit_t *kit)
{
    notification_state_t *fresh = notification_state_new (&kit->config);
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, kit->journal_size [i], kit->journal [i]);
        assert_non_null (event);
        notification_state_apply (fresh, event);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    unsigned char a [crypto_hash_sha256_BYTES], b [crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    notification_state_digest (kit->state, &hash);
    crypto_hash_sha256_final (&hash, a);
    crypto_hash_sha256_init (&hash);
    notification_state_digest (fresh, &hash);
    crypto_hash_sha256_final (&hash, b);
    assert_memory_equal (a, b, sizeof a);
    notification_state_destroy (&fresh);
}

//  Runs one notification command; returns the reply (free with
//  cf_api_reply_clear) through `reply`.
static inline Caseflow__V1__Status__Code
kit_ack (kit_t *kit, const char *id, const char *by, size_t *emitted_p)
{
    Caseflow__V1__Notification__Acknowledge ack = CASEFLOW__V1__NOTIFICATION__ACKNOWLEDGE__INIT;
    ack.reminder_id = (char *) id;
    ack.by = (char *) (by ? by : "");
    Caseflow__V1__Notification__Command command = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE;
    command.acknowledge = &ack;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "req");
    cf_decider_t decider;
    kit_decider (kit, &decider, &reply);
    notification_decide (kit->state, &decider, &command);
    Caseflow__V1__Status__Code code = cf_api_reply_code (&reply);
    //  The runtime's rule: a refused command emitted nothing.
    if (code != CASEFLOW__V1__STATUS__CODE__OK)
        assert_int_equal (decider.emitted, 0);
    else {
        assert_non_null (reply.command);
        assert_non_null (reply.command->notification);
        assert_non_null (reply.command->notification->reminder);
    }
    if (emitted_p)
        *emitted_p = decider.emitted;
    cf_api_reply_clear (&reply);
    return code;
}

//  Runs a notification query; the reply must be released with
//  cf_api_reply_clear.
static inline Caseflow__V1__Status__Code
kit_query (kit_t *kit, const Caseflow__V1__Notification__Query *query, Caseflow__V1__Reply *reply)
{
    cf_api_reply_init (reply, "query");
    notification_query (kit->state, kit->now, query, reply);
    return cf_api_reply_code (reply);
}

#endif
