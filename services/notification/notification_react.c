//  notification_react: the notification service's reactions to upstream
//  events and to its clock (see notification_react.h).
//
//  The case rules are written as reconciliation: after any intake event
//  about a case, the case's reminders are brought in line with its state.
//  A waiting case has exactly one pending callback and a waiting-too-long
//  reminder for its current waiting period; a case that is not waiting has
//  neither (nor a pending callback-overdue check). Reconciling an
//  already-reconciled case emits nothing, so a re-triage that changes
//  nothing, or an event intake repeats in another form, costs nothing.
//
//  Due times:
//    callback n+1      shift (max (due of n, last contact) + interval) when n
//                      fires; shift (contact + interval) after a recorded
//                      callback; shift (start of waiting + interval) first
//    callback-overdue  the callback's due time + N working days, scheduled
//                      when the callback fires; the same moment is the end
//                      of the callback's on-time window (ReminderDue's
//                      answer_by; with 0 overdue days, the end of the due
//                      day), which a recorded call is measured against
//    waiting-too-long  start of the waiting period + the norm
//    handover-deadline 14 and 3 calendar days before the deadline (those
//                      still ahead at the announcement), and the deadline
//    urgent, no-worker the upstream event's time (at the latest now): they
//    webhook-parked,
//    stream-diverged   fire at once (manual clock: in the step that applied
//                      the event; system clock: at the wake-up right after)
//  where shift moves a time on a weekend or holiday to 09:00 on the next
//  working day (cf_calendar.h).
#include "notification_react.h"

#include "cf_calendar.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_strings.h"
#include "notification_decide.h"
#include "notification_lifecycle.h"
#include "notification_query.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S_KIND(name)   CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_##name
#define S_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name

//  One decision: the state, the clock reading and the decider.
typedef struct {
    notification_state_t *state;
    int64_t now;
    cf_decider_t *decider;
} s_self_t;

static int
s_emit (s_self_t *self, Caseflow__V1__Event *event)
{
    return cf_decider_emit (self->decider, event);
}

static const notification_config_t *
s_config (s_self_t *self)
{
    return notification_state_config (self->state);
}

//  ------------------------------------------------------------ reminders

typedef struct {
    int kind;
    notification_case_t *kase;             //  or
    const char *handover_id;               //  or
    const char *subscription_id, *stream;  //  a webhook-parked alert
    uint64_t number;
    int64_t due_at;
    const char *target;
} s_plan_t;

//  Schedules a new reminder, or reschedules a pending one with the same
//  id when its due time or target changed. A reminder that exists and is
//  no longer pending is left alone (its cause already had its turn).
//  `id` is the plan's reminder id and `existing` the reminder with it, if
//  any (the caller looked for it already).
static void
s_schedule_as (s_self_t *self, const s_plan_t *plan, char *id,
               const notification_reminder_t *existing)
{
    if (existing) {
        if (!notification_lifecycle_next (existing->status, NOTIFICATION_RESCHEDULE))
            return;
        if (existing->due_at == plan->due_at && strcmp (existing->target, plan->target) == 0)
            return;
    } else
        notification_state_prefetch_reminder (self->state, id);
    char summary [NOTIFICATION_SUMMARY_SIZE];
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    reminder.reminder_id = id;
    reminder.kind = plan->kind;
    reminder.case_id = plan->kase ? plan->kase->id : "";
    reminder.handover_id = plan->handover_id ? (char *) plan->handover_id : "";
    reminder.subscription_id = plan->subscription_id ? (char *) plan->subscription_id : "";
    reminder.stream = plan->stream ? (char *) plan->stream : "";
    reminder.due_at = plan->due_at;
    reminder.target = (char *) plan->target;
    reminder.number = plan->number;
    reminder.location = plan->kase ? (char *) plan->kase->location : "";
    reminder.summary = notification_query_summary (plan->kind, plan->number, reminder.case_id,
                                                   reminder.handover_id, summary, sizeof summary);
    Caseflow__V1__Notification__ReminderScheduled body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_SCHEDULED__INIT;
    body.reminder = &reminder;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder.case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED;
    event.reminder_scheduled = &body;
    s_emit (self, &event);
}

static void
s_schedule (s_self_t *self, const s_plan_t *plan)
{
    const char *subject = plan->kase ? plan->kase->id : plan->handover_id;
    char id [CF_REMINDER_ID_MAX + 1];
    notification_reminder_id (id, sizeof id, plan->kind, subject, plan->number);
    notification_reminder_t *existing =
        plan->kase && plan->kind != S_KIND (HANDOVER_DEADLINE)
            ? notification_state_case_reminder (self->state, plan->kase, id)
            : notification_state_reminder (self->state, id);
    s_schedule_as (self, plan, id, existing);
}

static void
s_cancel (s_self_t *self, notification_reminder_t *reminder, const char *reason)
{
    if (!notification_lifecycle_next (reminder->status, NOTIFICATION_CANCEL))
        return;
    Caseflow__V1__Notification__ReminderCancelled body =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CANCELLED__INIT;
    body.reminder_id = reminder->id;
    body.reason = (char *) reason;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = reminder->kase ? reminder->kase->id : "";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED;
    event.reminder_cancelled = &body;
    s_emit (self, &event);
}

//  The end of a callback's on-time window: the moment its callback-overdue
//  check falls due (N working days on, holidays skipped), or with no
//  overdue checks configured, the end of its due day.
static int64_t
s_answer_by (const notification_config_t *config, int64_t due_at)
{
    if (!config->overdue_working_days)
        return cf_calendar_day_end (due_at);
    return cf_calendar_add_working_days (&config->calendar, due_at, config->overdue_working_days);
}

static void
s_fire (s_self_t *self, notification_reminder_t *reminder)
{
    char summary [NOTIFICATION_SUMMARY_SIZE];
    Caseflow__V1__Notification__Reminder message = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    notification_query_reminder (reminder, &message, summary);
    Caseflow__V1__Notification__ReminderDue body = CASEFLOW__V1__NOTIFICATION__REMINDER_DUE__INIT;
    body.reminder = &message;
    body.fired_at = self->now;
    if (reminder->kind == S_KIND (CALLBACK))
        body.answer_by = s_answer_by (s_config (self), reminder->due_at);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = message.case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
    event.reminder_due = &body;
    s_emit (self, &event);
}

//  Who phones a waiting case: its location's team when it has one.
static const char *
s_case_target (const notification_case_t *kase, char *buf, size_t size)
{
    if (*kase->location)
        return cf_strings_concat (buf, size, "location:", kase->location, NULL);
    return "intake-team";
}

static int64_t
s_max (int64_t a, int64_t b)
{
    return a > b ? a : b;
}

//  The waiting case's next callback, `base` + interval moved to a working
//  day, numbered after the last one scheduled.
static void
s_schedule_next_callback (s_self_t *self, notification_case_t *kase, int64_t base)
{
    const notification_config_t *config = s_config (self);
    char target [CF_ID_MAX + 16];
    s_plan_t plan = {
        .kind = S_KIND (CALLBACK),
        .kase = kase,
        .number = kase->callbacks + 1,
        .due_at = cf_calendar_shift (&config->calendar, base + config->callback_interval),
        .target = s_case_target (kase, target, sizeof target),
    };
    s_schedule (self, &plan);
}

//  Brings the case's waiting reminders in line with its status.
static void
s_reconcile (s_self_t *self, notification_case_t *kase)
{
    const notification_config_t *config = s_config (self);
    if (kase->waiting) {
        if (!notification_case_pending (kase, S_KIND (CALLBACK)))
            s_schedule_next_callback (self, kase,
                                      s_max (kase->waiting_since, kase->last_contact_at));
        char id [CF_REMINDER_ID_MAX + 1];
        notification_reminder_id (id, sizeof id, S_KIND (WAITING_TOO_LONG), kase->id,
                                  kase->periods);
        if (!notification_state_case_reminder (self->state, kase, id)) {
            s_plan_t plan = {
                .kind = S_KIND (WAITING_TOO_LONG),
                .kase = kase,
                .number = kase->periods,
                .due_at = kase->waiting_since + config->waiting_norm,
                .target = "intake-team",
            };
            s_schedule_as (self, &plan, id, NULL);
        }
        return;
    }
    const char *reason =
        kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED       ? "case closed"
        : kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED   ? "case assigned"
        : kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE     ? "case active"
        : kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT     ? "case urgent"
        : kase->status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED ? "case registered"
                                                                            : "case not waiting";
    //  By index: emitting applies, and apply may grow the array.
    for (size_t i = 0; i < kase->reminder_count && !self->decider->rc; i++) {
        notification_reminder_t *reminder = kase->reminders [i];
        if (reminder->status == S_STATUS (PENDING)
            && (reminder->kind == S_KIND (CALLBACK) || reminder->kind == S_KIND (CALLBACK_OVERDUE)
                || reminder->kind == S_KIND (WAITING_TOO_LONG)))
            s_cancel (self, reminder, reason);
    }
}

//  The callback reminder a recorded call answers (CallbackAnswered in
//  notification.proto): among the case's fired callbacks no call answered
//  yet, the one the recording names; else, when it names none, the one
//  whose due time it names; else the earliest due at or before the call.
//  A callback without `answer_by` fired before this store recorded on-time
//  windows: whatever call answered it then was never matched to it, so it
//  is no candidate (a later call would otherwise count against it, late).
static notification_reminder_t *
s_answered (const notification_case_t *kase, const Caseflow__V1__Intake__CallbackRecorded *body,
            int64_t at)
{
    notification_reminder_t *by_due = NULL, *earliest = NULL;
    for (size_t i = 0; i < kase->reminder_count; i++) {
        notification_reminder_t *reminder = kase->reminders [i];
        if (reminder->kind != S_KIND (CALLBACK) || !reminder->fired_at || !reminder->answer_by
            || reminder->answered_by)
            continue;
        if (*body->reminder_id && strcmp (reminder->id, body->reminder_id) == 0)
            return reminder;
        if (!*body->reminder_id && body->due_at && reminder->due_at == body->due_at && !by_due)
            by_due = reminder;
        if (reminder->due_at <= at
            && (!earliest || reminder->due_at < earliest->due_at
                || (reminder->due_at == earliest->due_at && reminder->number < earliest->number)))
            earliest = reminder;
    }
    return by_due ? by_due : earliest;
}

//  Records which callback a recorded call answered and whether in time.
static void
s_record_answer (s_self_t *self, notification_case_t *kase, const Caseflow__V1__Event *event)
{
    notification_reminder_t *reminder =
        s_answered (kase, event->callback_recorded, event->occurred_at);
    if (!reminder || !event->seq)
        return;
    Caseflow__V1__Notification__CallbackAnswered body =
        CASEFLOW__V1__NOTIFICATION__CALLBACK_ANSWERED__INIT;
    body.reminder_id = reminder->id;
    body.case_id = kase->id;
    body.due_at = reminder->due_at;
    body.answer_by = reminder->answer_by;
    body.answered_at = event->occurred_at;
    body.intake_seq = event->seq;
    body.on_time = reminder->answer_by && event->occurred_at < reminder->answer_by;
    Caseflow__V1__Event answered = CASEFLOW__V1__EVENT__INIT;
    answered.case_id = kase->id;
    answered.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED;
    answered.callback_answered = &body;
    s_emit (self, &answered);
}

//  A callback was recorded: the call answers the callback it answers, the
//  calls that fell due are handled, their overdue checks are off, and the
//  next callback is due an interval after this contact.
static void
s_contact (s_self_t *self, notification_case_t *kase, const Caseflow__V1__Event *event)
{
    s_record_answer (self, kase, event);
    char by [48], digits [CF_STRINGS_U64_SIZE];
    cf_strings_concat (by, sizeof by, "intake:", cf_strings_u64 (digits, event->seq), NULL);
    for (size_t i = 0; i < kase->reminder_count && !self->decider->rc; i++) {
        notification_reminder_t *reminder = kase->reminders [i];
        if (reminder->kind != S_KIND (CALLBACK) && reminder->kind != S_KIND (CALLBACK_OVERDUE))
            continue;
        if (reminder->status == S_STATUS (PENDING) && reminder->kind == S_KIND (CALLBACK_OVERDUE))
            s_cancel (self, reminder, "callback recorded");
        else if (reminder->status == S_STATUS (DUE))
            notification_decide_acknowledge (self->decider, reminder, by);
    }
    if (kase->waiting && !self->decider->rc) {
        notification_reminder_t *next = notification_case_pending (kase, S_KIND (CALLBACK));
        if (next) {
            //  Reschedule the pending one under its own id and number.
            const notification_config_t *config = s_config (self);
            char target [CF_ID_MAX + 16];
            s_plan_t plan = {
                .kind = S_KIND (CALLBACK),
                .kase = kase,
                .number = next->number,
                .due_at = cf_calendar_shift (&config->calendar,
                                             kase->last_contact_at + config->callback_interval),
                .target = s_case_target (kase, target, sizeof target),
            };
            s_schedule (self, &plan);
        }
    }
}

//  An alert that fires at once: urgent and no-worker.
static void
s_alert (s_self_t *self, int kind, notification_case_t *kase, const Caseflow__V1__Event *event,
         const char *target)
{
    char id [CF_REMINDER_ID_MAX + 1];
    notification_reminder_id (id, sizeof id, kind, kase->id, event->seq);
    if (notification_state_case_reminder (self->state, kase, id))
        return;
    s_plan_t plan = {
        .kind = kind,
        .kase = kase,
        .number = event->seq,
        .due_at = event->occurred_at > 0 && event->occurred_at < self->now ? event->occurred_at
                                                                           : self->now,
        .target = target,
    };
    s_schedule_as (self, &plan, id, NULL);
}

//  The gateway parked a webhook event: the operators are alerted at once.
//  The id comes from the subscription, stream and seq, so an EventParked
//  seen again (a replay, a restart) finds its alert and raises none.
static void
s_webhook_parked (s_self_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Gateway__EventParked *body = event->event_parked;
    if (!cf_id_valid (body->subscription_id) || !cf_id_valid (body->stream)) {
        cf_log_warn ("gateway seq %" PRIu64 " ignored: EventParked without a usable "
                     "subscription id or stream",
                     event->seq);
        return;
    }
    char id [CF_REMINDER_ID_MAX + 1];
    notification_webhook_reminder_id (id, sizeof id, body->subscription_id, body->stream,
                                      body->seq);
    if (notification_state_reminder (self->state, id))
        return;
    s_plan_t plan = {
        .kind = S_KIND (WEBHOOK_PARKED),
        .subscription_id = body->subscription_id,
        .stream = body->stream,
        .number = body->seq,
        .due_at = event->occurred_at > 0 && event->occurred_at < self->now ? event->occurred_at
                                                                           : self->now,
        .target = "operators",
    };
    s_schedule_as (self, &plan, id, NULL);
}

//  An upstream this service follows diverged: the operators are alerted at
//  once. The id comes from the stream and the cursor, so the same
//  divergence found again (after a restart) raises no second alert.
static void
s_diverged (s_self_t *self, const char *stream, uint64_t cursor)
{
    char id [CF_REMINDER_ID_MAX + 1];
    notification_alert_reminder_id (id, sizeof id, S_KIND (STREAM_DIVERGED), NOTIFICATION_STREAM,
                                    stream, cursor);
    if (notification_state_reminder (self->state, id))
        return;
    s_plan_t plan = {
        .kind = S_KIND (STREAM_DIVERGED),
        .subscription_id = NOTIFICATION_STREAM,
        .stream = stream,
        .number = cursor,
        .due_at = self->now,
        .target = "operators",
    };
    s_schedule_as (self, &plan, id, NULL);
}

static void
s_handover_announced (s_self_t *self, const Caseflow__V1__Event *event)
{
    const Caseflow__V1__Handover__HandoverAnnounced *body = event->handover_announced;
    if (!cf_id_valid (body->handover_id) || body->deadline <= 0) {
        cf_log_warn ("handover seq %" PRIu64 " ignored: no usable handover id or deadline",
                     event->seq);
        return;
    }
    char target [CF_ID_MAX + 16] = "intake-team";
    if (cf_id_valid (body->preferred_worker))
        snprintf (target, sizeof target, "worker:%s", body->preferred_worker);
    static const int days_before [] = { 14, 3 };
    for (size_t i = 0; i < 2; i++) {
        int64_t due = cf_calendar_add_days (body->deadline, -days_before [i]);
        //  A reminder "14 days before" that is already behind the
        //  announcement says nothing new; the later ones follow.
        if (due <= event->occurred_at)
            continue;
        s_plan_t plan = { .kind = S_KIND (HANDOVER_DEADLINE),
                          .handover_id = body->handover_id,
                          .number = (uint64_t) days_before [i],
                          .due_at = due,
                          .target = target };
        s_schedule (self, &plan);
    }
    s_plan_t overdue = { .kind = S_KIND (HANDOVER_DEADLINE),
                         .handover_id = body->handover_id,
                         .number = 0,
                         .due_at = body->deadline,
                         .target = target };
    s_schedule (self, &overdue);
}

static void
s_handover_closed (s_self_t *self, const char *handover_id, const char *reason)
{
    if (!cf_id_valid (handover_id))
        return;
    static const uint64_t numbers [] = { 14, 3, 0 };
    for (size_t i = 0; i < 3 && !self->decider->rc; i++) {
        char id [CF_REMINDER_ID_MAX + 1];
        notification_reminder_id (id, sizeof id, S_KIND (HANDOVER_DEADLINE), handover_id,
                                  numbers [i]);
        notification_reminder_t *reminder = notification_state_reminder (self->state, id);
        if (reminder)
            s_cancel (self, reminder, reason);
    }
}

//  The case an intake or assignment event is about (apply created it), or
//  NULL when the event's case id is unusable.
static notification_case_t *
s_case_of (s_self_t *self, const char *case_id)
{
    return cf_id_valid (case_id) ? notification_state_case (self->state, case_id) : NULL;
}

//  The reaction itself, on one decision.
static void
s_react (s_self_t *self, const Caseflow__V1__Event *event)
{
    notification_case_t *kase = NULL;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
            kase = s_case_of (self, event->case_registered->case_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
            kase = s_case_of (self, event->case_triaged->case_id);
            if (kase && event->case_triaged->urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT
                && kase->status != CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED)
                s_alert (self, S_KIND (URGENT), kase, event, "intake-team");
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
            kase = s_case_of (self, event->case_status_changed->case_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            kase = s_case_of (self, event->case_closed->case_id);
            break;
        case CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED:
            kase = s_case_of (self, event->callback_recorded->case_id);
            if (kase)
                s_contact (self, kase, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED: {
            const char *case_id = event->assignment_escalated->case_id;
            if (!cf_id_valid (case_id))
                break;
            //  Assignment may be ahead of intake: the alert needs no more
            //  than the id, and the location when it is known.
            notification_case_t *known = notification_state_case (self->state, case_id);
            notification_case_t stand_in = { .id = (char *) case_id, .location = "" };
            char target [CF_ID_MAX + 16];
            s_alert (self, S_KIND (NO_WORKER), known ? known : &stand_in, event,
                     s_case_target (known ? known : &stand_in, target, sizeof target));
            break;
        }
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED:
            s_handover_announced (self, event);
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED:
            s_handover_closed (self, event->handover_completed->handover_id, "handover completed");
            break;
        case CASEFLOW__V1__EVENT__BODY_HANDOVER_CANCELLED:
            s_handover_closed (self, event->handover_cancelled->handover_id, "handover cancelled");
            break;
        case CASEFLOW__V1__EVENT__BODY_EVENT_PARKED: s_webhook_parked (self, event); break;
        default: break;
    }
    if (kase && !self->decider->rc)
        s_reconcile (self, kase);
}

void
notification_react (notification_state_t *state, cf_decider_t *decider,
                    const Caseflow__V1__Event *event)
{
    s_self_t self = { state, decider->now, decider };
    s_react (&self, event);
}

//  ---------------------------------------------------------------- firing

//  RetentionDue for every resident whose retention period is over by now,
//  in (due time, subject) order; apply counts each, so none fires twice.
static void
s_fire_retention (s_self_t *self)
{
    const notification_retention_t *retention = notification_state_retention (self->state);
    const notification_subject_t *subject;
    while (!self->decider->rc && (subject = notification_retention_next (retention))
           && subject->due_at <= self->now) {
        char id [NOTIFICATION_RETENTION_ID_SIZE];
        cf_retention_span_t span = notification_retention_span (retention, subject);
        Caseflow__V1__Notification__RetentionDue body =
            CASEFLOW__V1__NOTIFICATION__RETENTION_DUE__INIT;
        body.retention_id = notification_retention_id (subject, id, sizeof id);
        body.subject = subject->id;
        body.due_at = subject->due_at;
        body.last_closed_at = subject->last_closed_at;
        body.domain = (Caseflow__V1__Domain) span.keep_domain;
        body.years = span.keep_years;
        Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
        event.body_case = CASEFLOW__V1__EVENT__BODY_RETENTION_DUE;
        event.retention_due = &body;
        if (s_emit (self, &event) == 0)
            cf_decider_log (self->decider, "%s: retention of subject %s is over", id, subject->id);
    }
}

size_t
notification_fire_due (notification_state_t *state, cf_decider_t *decider, size_t limit)
{
    s_self_t decision = { state, decider->now, decider }, *self = &decision;
    const notification_config_t *config = s_config (self);
    size_t fired = 0;
    notification_reminder_t *reminder;
    while (!self->decider->rc && (!limit || fired < limit)
           && (reminder = notification_state_next_due (self->state))
           && reminder->due_at <= self->now) {
        s_fire (self, reminder);
        if (self->decider->rc)
            break;
        fired++;
        notification_case_t *kase = reminder->kase;
        if (reminder->kind != S_KIND (CALLBACK) || !kase || !kase->waiting)
            continue;
        //  The callback fell due: check in N working days that it was
        //  made, and plan the next one an interval on (from the last
        //  contact if one came later, which reconcile makes impossible
        //  today but costs nothing to honour).
        if (config->overdue_working_days) {
            char target [CF_ID_MAX + 16];
            s_plan_t plan = {
                .kind = S_KIND (CALLBACK_OVERDUE),
                .kase = kase,
                .number = reminder->number,
                .due_at = s_answer_by (config, reminder->due_at),
                .target = s_case_target (kase, target, sizeof target),
            };
            s_schedule (self, &plan);
        }
        if (!notification_case_pending (kase, S_KIND (CALLBACK)))
            s_schedule_next_callback (self, kase, s_max (reminder->due_at, kase->last_contact_at));
    }
    notification_decide_expire_leases (self->state, self->decider);
    s_fire_retention (self);
    return fired;
}

//  ------------------------------------------------------ the runtime's hooks

void
notification_react_hook (void *state, cf_service_t *service, const Caseflow__V1__Event *event)
{
    notification_service_t *self = state;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    notification_react (self->state, &decider, event);
    size_t fired = 0;
    if (self->manual && !decider.rc)
        fired = notification_fire_due (self->state, &decider, 0);
    notification_service_settle (self, service, fired);
}

void
notification_react_diverged_hook (void *state, cf_service_t *service, const char *stream,
                                  uint64_t cursor)
{
    notification_service_t *self = state;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), NULL);
    s_self_t decision = { self->state, decider.now, &decider };
    s_diverged (&decision, stream, cursor);
    size_t fired = 0;
    if (self->manual && !decider.rc)
        fired = notification_fire_due (self->state, &decider, 0);
    notification_service_settle (self, service, fired);
}

void
notification_react_clock_hook (void *state, cf_service_t *service, int64_t now)
{
    notification_service_t *self = state;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, now, NULL);
    const notification_reminder_t *first = notification_state_next_due (self->state);
    int64_t first_due = first ? first->due_at : now;
    size_t fired =
        notification_fire_due (self->state, &decider, self->manual ? 0 : NOTIFICATION_FIRE_SLICE);
    if (fired) {
        cf_metric_set (self->lateness, (double) (now - first_due) / 1e6);
        cf_log_debug ("fired %zu reminders", fired);
    }
    notification_service_settle (self, service, fired);
}
