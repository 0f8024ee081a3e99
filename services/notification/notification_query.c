//  notification_query: the queries (see notification_query.h).
//
//  Callback compliance is computed from each case's history (waiting
//  periods and the callbacks recorded in them). Within a waiting period
//  every stretch between two "contacts" is a gap: the first starts when
//  the case entered the waiting list, each recorded callback ends one and
//  starts the next, and the period's end (assigned, urgent, closed) or the
//  report's end closes the last. A gap exceeded the interval when it went
//  on past the end of the day on which the next callback was due, the due
//  day being computed exactly as the scheduler does (start + interval,
//  moved off weekends and holidays): a call any time on the due day is on
//  time, a callback moved past a weekend is not counted against the team.
//  A case is reported for [from, to) when the exceeded part of one of its
//  gaps (from the end of the due day to the gap's end) overlaps the period.
#include "notification_query.h"

#include "cf_api.h"
#include "cf_calendar.h"
#include "cf_decider.h"
#include "cf_id.h"
#include "cf_strings.h"
#include "cf_time.h"
#include "cf_words.h"
#include "notification_lifecycle.h"
#include "notification_pending.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define S_KIND(name)   CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_##name
#define S_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name

//  ---------------------------------------------------------------- views

char *
notification_query_summary (int kind, uint64_t number, const char *case_id, const char *handover_id,
                            char *buf, size_t size)
{
    //  Written for every reminder scheduled: no snprintf.
    char digits [CF_STRINGS_U64_SIZE];
    const char *n = cf_strings_u64 (digits, number);
    switch (kind) {
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK:
            return cf_strings_concat (buf, size, "callback ", n, " for ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK_OVERDUE:
            return cf_strings_concat (buf, size, "callback ", n, " for ", case_id,
                                      " not recorded in time", NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_URGENT:
            return cf_strings_concat (buf, size, "urgent case ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_NO_WORKER:
            return cf_strings_concat (buf, size, "no worker can take urgent case ", case_id, NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_HANDOVER_DEADLINE:
            return number ? cf_strings_concat (buf, size, "handover ", handover_id,
                                               ": deadline in ", n, " days", NULL)
                          : cf_strings_concat (buf, size, "handover ", handover_id,
                                               ": deadline passed", NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WAITING_TOO_LONG:
            return cf_strings_concat (buf, size, "case ", case_id, " waiting longer than the norm",
                                      NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WEBHOOK_PARKED:
            return cf_strings_concat (buf, size, "webhook event ", n, " parked", NULL);
        case CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_STREAM_DIVERGED:
            return cf_strings_concat (buf, size, "upstream stream diverged at seq ", n,
                                      ": caseflowctl stream status", NULL);
        default: return cf_strings_concat (buf, size, "reminder", NULL);
    }
}

void
notification_query_reminder (const notification_reminder_t *reminder,
                             Caseflow__V1__Notification__Reminder *message, char *summary)
{
    const char *case_id = reminder->kase ? reminder->kase->id : "";
    const char *handover_id = reminder->handover_id ? reminder->handover_id : "";
    message->reminder_id = reminder->id;
    message->kind = reminder->kind;
    message->case_id = (char *) case_id;
    message->handover_id = (char *) handover_id;
    message->due_at = reminder->due_at;
    message->target = (char *) reminder->target;
    message->number = reminder->number;
    message->location = reminder->kase ? (char *) reminder->kase->location : "";
    message->subscription_id = reminder->subscription_id ? reminder->subscription_id : "";
    message->stream = reminder->stream ? (char *) reminder->stream : "";
    message->summary = notification_query_summary (reminder->kind, reminder->number, case_id,
                                                   handover_id, summary, NOTIFICATION_SUMMARY_SIZE);
}

Caseflow__V1__Notification__ReminderView *
notification_query_view (const notification_reminder_t *reminder)
{
    Caseflow__V1__Notification__Reminder borrowed = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    char summary [NOTIFICATION_SUMMARY_SIZE];
    notification_query_reminder (reminder, &borrowed, summary);
    Caseflow__V1__Notification__Reminder *copy = malloc (sizeof *copy);
    assert (copy);
    *copy = borrowed;
    copy->reminder_id = cf_strdup (borrowed.reminder_id);
    copy->case_id = cf_strdup (borrowed.case_id);
    copy->handover_id = cf_strdup (borrowed.handover_id);
    copy->target = cf_strdup (borrowed.target);
    copy->summary = cf_strdup (borrowed.summary);
    copy->location = cf_strdup (borrowed.location);
    copy->subscription_id = cf_strdup (borrowed.subscription_id);
    copy->stream = cf_strdup (borrowed.stream);

    Caseflow__V1__Notification__ReminderView *view = malloc (sizeof *view);
    assert (view);
    caseflow__v1__notification__reminder_view__init (view);
    view->reminder = copy;
    view->status = reminder->status;
    view->scheduled_at = reminder->scheduled_at;
    view->fired_at = reminder->fired_at;
    if (reminder->status == S_STATUS (ACKNOWLEDGED)) {
        view->acknowledged_at = reminder->closed_at;
        view->acknowledged_by = cf_strdup (reminder->closed_by ? reminder->closed_by : "");
    }
    if (reminder->status == S_STATUS (CANCELLED)) {
        view->cancelled_at = reminder->closed_at;
        view->cancel_reason = cf_strdup (reminder->closed_by ? reminder->closed_by : "");
    }
    const notification_claim_t *claim = reminder->claim;
    notification_claim_status_t claim_status = notification_claims_status (reminder);
    view->claimed_by = cf_strdup (claim_status == NOTIFICATION_CLAIM_CLAIMED ? claim->caller : "");
    view->lease_until = claim_status == NOTIFICATION_CLAIM_CLAIMED ? claim->lease_until : 0;
    view->parked = claim_status == NOTIFICATION_CLAIM_PARKED;
    view->parked_by = cf_strdup (view->parked ? claim->parked_by : "");
    view->park_reason = cf_strdup (view->parked ? claim->park_reason : "");
    view->completed_by =
        cf_strdup (claim_status == NOTIFICATION_CLAIM_COMPLETED ? claim->caller : "");
    return view;
}

//  -------------------------------------------------------------- queries

static Caseflow__V1__Notification__QueryResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__Notification__QueryResult *result = malloc (sizeof *result);
    assert (result);
    caseflow__v1__notification__query_result__init (result);
    Caseflow__V1__QueryResult *outer = cf_api_reply_query (reply);
    outer->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_NOTIFICATION;
    outer->notification = result;
    return result;
}

//  ------------------------------------------------------ list_reminders

typedef struct {
    const Caseflow__V1__Notification__ListReminders *filter;
    //  The `limit` first matches so far, as a max-heap (the last to fire
    //  on top), so each further match costs O(log limit).
    notification_reminder_t **best;
    size_t count, limit;
    uint32_t total;
} s_selection_t;

static bool
s_matches (const Caseflow__V1__Notification__ListReminders *filter,
           const notification_reminder_t *reminder)
{
    if (filter->kind && reminder->kind != (uint8_t) filter->kind)
        return false;
    if (*filter->handover_id
        && (!reminder->handover_id || strcmp (reminder->handover_id, filter->handover_id) != 0))
        return false;
    bool fired = reminder->status == S_STATUS (DUE) || reminder->status == S_STATUS (ACKNOWLEDGED);
    if (filter->due_only && !fired)
        return false;
    if (!filter->include_closed && reminder->status != S_STATUS (PENDING)
        && reminder->status != S_STATUS (DUE))
        return false;
    if (filter->parked_only && notification_claims_status (reminder) != NOTIFICATION_CLAIM_PARKED)
        return false;
    return true;
}

static void
s_sift_down (s_selection_t *self, size_t index)
{
    while (true) {
        size_t child = 2 * index + 1, largest = index;
        if (child < self->count
            && notification_pending_compare (self->best [child], self->best [largest]) > 0)
            largest = child;
        if (child + 1 < self->count
            && notification_pending_compare (self->best [child + 1], self->best [largest]) > 0)
            largest = child + 1;
        if (largest == index)
            return;
        notification_reminder_t *swap = self->best [index];
        self->best [index] = self->best [largest];
        self->best [largest] = swap;
        index = largest;
    }
}

static int
s_select (void *ctx, notification_reminder_t *reminder)
{
    s_selection_t *self = ctx;
    if (!s_matches (self->filter, reminder))
        return 0;
    self->total++;
    if (self->count < self->limit) {
        size_t index = self->count++;
        self->best [index] = reminder;
        while (index > 0) {
            size_t parent = (index - 1) / 2;
            if (notification_pending_compare (self->best [index], self->best [parent]) <= 0)
                break;
            notification_reminder_t *swap = self->best [index];
            self->best [index] = self->best [parent];
            self->best [parent] = swap;
            index = parent;
        }
    } else if (self->limit && notification_pending_compare (reminder, self->best [0]) < 0) {
        self->best [0] = reminder;
        s_sift_down (self, 0);
    }
    return 0;
}

static int
s_compare_due (const void *a, const void *b)
{
    return notification_pending_compare (*(notification_reminder_t *const *) a,
                                         *(notification_reminder_t *const *) b);
}

static void
s_list_reminders (const notification_state_t *state, int64_t now,
                  const Caseflow__V1__Notification__ListReminders *filter,
                  Caseflow__V1__Reply *reply)
{
    if (filter->limit > NOTIFICATION_LIST_MAX) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "query.notification.list_reminders.limit", "must be at most %d",
                             NOTIFICATION_LIST_MAX);
        return;
    }
    if (!cf_id_check (reply, "query.notification.list_reminders.case_id", filter->case_id, false)
        || !cf_id_check (reply, "query.notification.list_reminders.handover_id",
                         filter->handover_id, false))
        return;
    if (filter->kind && !cf_words_find (&cf_words_reminder_kind, filter->kind)) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "query.notification.list_reminders.kind", "unknown kind %d",
                             filter->kind);
        return;
    }
    s_selection_t selection = { .filter = filter };
    selection.limit = filter->limit ? filter->limit : NOTIFICATION_LIST_DEFAULT;
    selection.best = malloc ((selection.limit + 1) * sizeof *selection.best);
    assert (selection.best);
    if (*filter->case_id) {
        const notification_case_t *kase = notification_state_case (state, filter->case_id);
        for (size_t i = 0; kase && i < kase->reminder_count; i++)
            s_select (&selection, kase->reminders [i]);
    } else
        notification_state_each_reminder (state, s_select, &selection);
    qsort (selection.best, selection.count, sizeof *selection.best, s_compare_due);

    Caseflow__V1__Notification__ReminderList *list = malloc (sizeof *list);
    assert (list);
    caseflow__v1__notification__reminder_list__init (list);
    list->reminders = calloc (selection.count + 1, sizeof *list->reminders);
    assert (list->reminders);
    for (size_t i = 0; i < selection.count; i++)
        list->reminders [i] = notification_query_view (selection.best [i]);
    list->n_reminders = selection.count;
    list->total = selection.total;
    list->pending = notification_state_pending_count (state);
    list->due = notification_state_due_count (state);
    list->now = now;
    free (selection.best);
    Caseflow__V1__Notification__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__NOTIFICATION__QUERY_RESULT__BODY_REMINDERS;
    result->reminders = list;
}

static void
s_get_reminder (const notification_state_t *state,
                const Caseflow__V1__Notification__GetReminder *query, Caseflow__V1__Reply *reply)
{
    if (!cf_id_check_reminder (reply, "query.notification.get_reminder.reminder_id",
                               query->reminder_id, true))
        return;
    const notification_reminder_t *reminder =
        notification_state_reminder (state, query->reminder_id);
    if (!reminder) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
                             "query.notification.get_reminder.reminder_id",
                             "no reminder with that id");
        return;
    }
    Caseflow__V1__Notification__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__NOTIFICATION__QUERY_RESULT__BODY_REMINDER;
    result->reminder = notification_query_view (reminder);
}

//  ------------------------------------------------- callbacks_due_today

static void
s_callbacks_due_today (const notification_state_t *state, int64_t now,
                       const Caseflow__V1__Notification__CallbacksDueToday *query,
                       Caseflow__V1__Reply *reply)
{
    if (!cf_id_check (reply, "query.notification.callbacks_due_today.location", query->location,
                      false))
        return;
    int64_t at = query->at ? query->at : now;
    int64_t day_end = cf_calendar_day_end (at);
    size_t case_count = 0;
    notification_case_t **cases = notification_state_cases_sorted (state, &case_count);
    notification_reminder_t **found = NULL;
    size_t count = 0, cap = 0;
    for (size_t c = 0; c < case_count; c++) {
        const notification_case_t *kase = cases [c];
        if (!kase->waiting || (*query->location && strcmp (kase->location, query->location)))
            continue;
        for (size_t r = 0; r < kase->reminder_count; r++) {
            notification_reminder_t *reminder = kase->reminders [r];
            if (reminder->kind != S_KIND (CALLBACK))
                continue;
            //  Due ones stay on the list until a callback is recorded (which
            //  acknowledges them) or someone acknowledges them.
            bool wanted = reminder->status == S_STATUS (DUE)
                          || (reminder->status == S_STATUS (PENDING) && reminder->due_at < day_end);
            if (!wanted)
                continue;
            if (count == cap) {
                cap = cap ? cap * 2 : 16;
                found = realloc (found, cap * sizeof *found);
                assert (found);
            }
            found [count++] = reminder;
        }
    }
    free (cases);
    if (count)
        qsort (found, count, sizeof *found, s_compare_due);
    Caseflow__V1__Notification__CallbackList *list = malloc (sizeof *list);
    assert (list);
    caseflow__v1__notification__callback_list__init (list);
    char date [16];
    list->date = cf_strdup (cf_time_format_date (at, date, sizeof date));
    list->callbacks = calloc (count + 1, sizeof *list->callbacks);
    assert (list->callbacks);
    for (size_t i = 0; i < count; i++)
        list->callbacks [i] = notification_query_view (found [i]);
    list->n_callbacks = count;
    free (found);
    Caseflow__V1__Notification__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__NOTIFICATION__QUERY_RESULT__BODY_CALLBACKS;
    result->callbacks = list;
}

//  ------------------------------------------------- callback_compliance

typedef struct {
    const notification_config_t *config;
    int64_t from, to;
    Caseflow__V1__Notification__CaseCompliance *kase;  //  built lazily
    const notification_case_t *record;
} s_compliance_t;

//  What ended a waiting period: the word of the status it moved to
//  (cf_words), "other" for a status that does not end one.
static const char *
s_end_word (int status)
{
    bool ends = status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
                || status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
                || status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
                || status == CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
    return ends ? cf_words_name (&cf_words_case_status, status) : "other";
}

static void
s_gap (s_compliance_t *self, int64_t start, const char *started_by, int64_t end,
       const char *ended_by)
{
    if (end <= start)
        return;
    int64_t due =
        cf_calendar_shift (&self->config->calendar, start + self->config->callback_interval);
    int64_t late_from = cf_calendar_day_end (due);
    if (end <= late_from || late_from >= self->to || end <= self->from)
        return;
    if (!self->kase) {
        self->kase = malloc (sizeof *self->kase);
        assert (self->kase);
        caseflow__v1__notification__case_compliance__init (self->kase);
        self->kase->case_id = cf_strdup (self->record->id);
        self->kase->location = cf_strdup (self->record->location);
    }
    Caseflow__V1__Notification__CallbackGap *gap = malloc (sizeof *gap);
    assert (gap);
    caseflow__v1__notification__callback_gap__init (gap);
    gap->from = start;
    gap->to = end;
    gap->started_by = cf_strdup (started_by);
    gap->ended_by = cf_strdup (ended_by);
    gap->due_at = due;
    gap->days = (double) (end - start) / (double) (24 * INT64_C (3600000000));
    self->kase->gaps = realloc (self->kase->gaps, (self->kase->n_gaps + 1) * sizeof *gap);
    assert (self->kase->gaps);
    self->kase->gaps [self->kase->n_gaps++] = gap;
}

//  Walks one case's history; returns true when it waited during the period.
static bool
s_case_compliance (s_compliance_t *self, const notification_case_t *kase)
{
    self->kase = NULL;
    self->record = kase;
    bool waited = false, in_wait = false;
    int64_t period_start = 0, anchor = 0;
    const char *anchor_word = "waiting";
    for (size_t i = 0; i < kase->point_count; i++) {
        const notification_point_t *point = &kase->points [i];
        if (point->kind == NOTIFICATION_POINT_WAIT_START) {
            in_wait = true;
            period_start = anchor = point->at;
            anchor_word = "waiting";
        } else if (!in_wait)
            continue;
        else if (point->kind == NOTIFICATION_POINT_CONTACT) {
            s_gap (self, anchor, anchor_word, point->at, "contact");
            anchor = point->at;
            anchor_word = "contact";
        } else {
            s_gap (self, anchor, anchor_word, point->at, s_end_word (point->status));
            if (period_start < self->to && point->at > self->from)
                waited = true;
            in_wait = false;
        }
    }
    if (in_wait) {
        if (period_start < self->to)
            waited = true;
        s_gap (self, anchor, anchor_word, self->to, "open");
    }
    return waited;
}

static void
s_callback_compliance (const notification_state_t *state, int64_t now,
                       const Caseflow__V1__Notification__CallbackCompliance *query,
                       Caseflow__V1__Reply *reply)
{
    if (query->from <= 0) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "query.notification.callback_compliance.from", "is required");
        return;
    }
    if (query->to <= query->from) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                             "query.notification.callback_compliance.to", "must be after from");
        return;
    }
    if (!cf_id_check (reply, "query.notification.callback_compliance.location", query->location,
                      false))
        return;
    s_compliance_t walk = { .config = notification_state_config (state),
                            .from = query->from,
                            .to = query->to < now ? query->to : now };
    Caseflow__V1__Notification__ComplianceReport *report = malloc (sizeof *report);
    assert (report);
    caseflow__v1__notification__compliance_report__init (report);
    report->from = query->from;
    report->to = query->to;
    report->interval = walk.config->callback_interval;
    size_t case_count = 0;
    notification_case_t **cases = notification_state_cases_sorted (state, &case_count);
    report->cases = calloc (case_count + 1, sizeof *report->cases);
    assert (report->cases);
    for (size_t c = 0; c < case_count && walk.from < walk.to; c++) {
        if (*query->location && strcmp (cases [c]->location, query->location) != 0)
            continue;
        if (s_case_compliance (&walk, cases [c]))
            report->cases_waiting++;
        if (walk.kase) {
            report->cases [report->n_cases++] = walk.kase;
            report->cases_exceeded++;
        }
    }
    free (cases);
    Caseflow__V1__Notification__QueryResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__NOTIFICATION__QUERY_RESULT__BODY_COMPLIANCE;
    result->compliance = report;
}

void
notification_query (const notification_state_t *state, int64_t now,
                    const Caseflow__V1__Notification__Query *query, Caseflow__V1__Reply *reply)
{
    switch (query->body_case) {
        case CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS:
            s_list_reminders (state, now, query->list_reminders, reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__QUERY__BODY_GET_REMINDER:
            s_get_reminder (state, query->get_reminder, reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACKS_DUE_TODAY:
            s_callbacks_due_today (state, now, query->callbacks_due_today, reply);
            break;
        case CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACK_COMPLIANCE:
            s_callback_compliance (state, now, query->callback_compliance, reply);
            break;
        default:
            cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
                                 "query.notification", "not a notification query");
    }
}

void
notification_query_hook (void *state, cf_service_t *service, const Caseflow__V1__Query *query,
                         Caseflow__V1__Reply *reply)
{
    const notification_service_t *self = state;
    const ProtobufCMessage *own = cf_decider_query_body (
        query, CASEFLOW__V1__QUERY__BODY_NOTIFICATION, NOTIFICATION_STREAM, reply);
    if (own)
        notification_query (self->state, cf_service_now (service),
                            (const Caseflow__V1__Notification__Query *) own, reply);
}
