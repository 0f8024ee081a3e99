//  ctl_reminders: `caseflowctl reminders …`, the notification service's
//  commands and queries (CLI.md):
//
//      reminders [--kind K] [--due] [--case C] [--handover H] [--all] [--limit N]
//      reminders follow [--kind K] [--cursor-file FILE] [--from SEQ] [--count N]
//      reminders ack REMINDER [--by WHO]
//      reminders show REMINDER
//      reminders today [--location LOC] [--at TIME]
//      reminders compliance --from TIME --to TIME [--location LOC]
//
//  `follow` is the reference consumer of the notification stream: a
//  cf_bus_subscriber (live on PUB, gaps closed through replay), one JSON
//  line per ReminderDue, the cursor (the stream seq of the last event
//  handled) written to the cursor file after each line, so a restart of
//  the follower or of the service loses nothing and repeats nothing. The
//  file is replaced atomically (write, fsync, rename); only a crash between
//  printing a line and renaming the file can repeat that one line, and its
//  reminder_id lets the reader drop it.
//
//  JSON keys of a reminder (CLI.md): reminder_id, kind, case_id, due_at,
//  fired, acknowledged; plus status, handover_id, target, location,
//  summary, fired_at, acknowledged_at, acknowledged_by, and for follow the
//  stream seq.
#include "ctl.h"

#include "caseflow/v1/notification.pb-c.h"
#include "cf_bus_subscriber.h"
#include "cf_time.h"
#include "cf_words.h"

#include <czmq.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *s_usage =
    "usage: caseflowctl reminders [--kind K] [--due] [--case CASE] [--handover H] [--all]\n"
    "                             [--limit N]\n"
    "       caseflowctl reminders follow [--kind K] [--cursor-file FILE] [--from SEQ]\n"
    "                             [--count N]\n"
    "       caseflowctl reminders ack REMINDER [--by WHO]\n"
    "       caseflowctl reminders show REMINDER\n"
    "       caseflowctl reminders today [--location LOC] [--at TIME]\n"
    "       caseflowctl reminders compliance --from TIME --to TIME [--location LOC]\n"
    "\n"
    "Without a verb: upcoming (pending) and due (fired, not acknowledged) reminders in\n"
    "due order; --due only the due ones, --all acknowledged and cancelled ones too.\n"
    "follow prints one JSON line per reminder as it fires. With --cursor-file it keeps\n"
    "its place there (a new file starts at the beginning of the stream) and resumes\n"
    "after a restart with nothing lost and nothing repeated; without one it starts at\n"
    "the stream's head, or after --from SEQ. --count stops after N lines.\n"
    "ack records that a due reminder was handled (again: no change).\n"
    "today: the callbacks to make today per location. compliance: waiting cases whose\n"
    "time between contacts exceeded the callback interval in the period, with the gaps.\n"
    "Kinds: callback, callback-overdue, urgent, no-worker, handover-deadline,\n"
    "waiting-too-long.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

#define S_KIND(name)   CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_##name
#define S_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name

//  Words of kinds and statuses (cf_words), "unspecified" for a value
//  without one.
static const char *
s_kind_word (int kind)
{
    const char *word = cf_words_find (&cf_words_reminder_kind, kind);
    return word ? word : "unspecified";
}

static const char *
s_status_word (int status)
{
    const char *word = cf_words_find (&cf_words_reminder_status, status);
    return word ? word : "unspecified";
}

//  --kind WORD into *kind_p (0 when absent). CTL_OK or CTL_USAGE.
static int
s_parse_kind (const ctl_args_t *args, int *kind_p)
{
    const char *word = ctl_arg (args, "kind");
    *kind_p = 0;
    if (!word)
        return CTL_OK;
    int kind = cf_words_parse (&cf_words_reminder_kind, word);
    if (kind > 0) {
        *kind_p = kind;
        return CTL_OK;
    }
    char list [160];
    return ctl_usage_error ("--kind: \"%s\" is not a kind (%s)", word,
                            cf_words_list (&cf_words_reminder_kind, list, sizeof list));
}

static int
s_query (ctl_t *ctl, Caseflow__V1__Notification__Query *inner, Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
    query.notification = inner;
    int rc = ctl_query (ctl, CTL_NOTIFICATION, &query, reply_p);
    if (rc == CTL_OK && (!(*reply_p)->query || !(*reply_p)->query->notification)) {
        fprintf (stderr, "caseflowctl: notification: the reply holds no result\n");
        caseflow__v1__reply__free_unpacked (*reply_p, NULL);
        *reply_p = NULL;
        return CTL_REFUSED;
    }
    return rc;
}

//  ---------------------------------------------------------------- output

//  One reminder as a JSON object (the keys of CLI.md first).
static void
s_json_reminder (ctl_json_t *json, const Caseflow__V1__Notification__Reminder *reminder, int status,
                 int64_t fired_at, int64_t acknowledged_at, const char *acknowledged_by)
{
    ctl_json_object_begin (json);
    ctl_json_key (json, "reminder_id");
    ctl_json_string (json, reminder->reminder_id);
    ctl_json_key (json, "kind");
    ctl_json_string (json, s_kind_word (reminder->kind));
    ctl_json_key (json, "case_id");
    ctl_json_string_or_null (json, reminder->case_id);
    ctl_json_key (json, "due_at");
    ctl_json_time (json, reminder->due_at);
    ctl_json_key (json, "fired");
    ctl_json_bool (json, status == S_STATUS (DUE) || status == S_STATUS (ACKNOWLEDGED));
    ctl_json_key (json, "acknowledged");
    ctl_json_bool (json, status == S_STATUS (ACKNOWLEDGED));
    ctl_json_key (json, "status");
    ctl_json_string (json, s_status_word (status));
    ctl_json_key (json, "handover_id");
    ctl_json_string_or_null (json, reminder->handover_id);
    ctl_json_key (json, "target");
    ctl_json_string (json, reminder->target);
    ctl_json_key (json, "location");
    ctl_json_string_or_null (json, reminder->location);
    ctl_json_key (json, "summary");
    ctl_json_string (json, reminder->summary);
    ctl_json_key (json, "fired_at");
    ctl_json_time (json, fired_at);
    ctl_json_key (json, "acknowledged_at");
    ctl_json_time (json, acknowledged_at);
    ctl_json_key (json, "acknowledged_by");
    ctl_json_string_or_null (json, acknowledged_by);
}

static void
s_json_view (ctl_json_t *json, const Caseflow__V1__Notification__ReminderView *view)
{
    s_json_reminder (json, view->reminder, view->status, view->fired_at, view->acknowledged_at,
                     view->acknowledged_by);
    if (view->status == S_STATUS (CANCELLED)) {
        ctl_json_key (json, "cancelled_at");
        ctl_json_time (json, view->cancelled_at);
        ctl_json_key (json, "cancel_reason");
        ctl_json_string (json, view->cancel_reason);
    }
    ctl_json_object_end (json);
}

static void
s_print_views (ctl_t *ctl, Caseflow__V1__Notification__ReminderView **views, size_t count)
{
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < count; i++)
            s_json_view (&json, views [i]);
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
        return;
    }
    ctl_table_t *table = ctl_table_new (
        6, (const char *[]){ "REMINDER", "KIND", "DUE", "STATUS", "TARGET", "SUMMARY" });
    for (size_t i = 0; i < count; i++) {
        const Caseflow__V1__Notification__ReminderView *view = views [i];
        char due [40];
        ctl_table_row (table, (const char *[]){
                                  view->reminder->reminder_id, s_kind_word (view->reminder->kind),
                                  ctl_time_text (view->reminder->due_at, due, sizeof due),
                                  s_status_word (view->status), view->reminder->target,
                                  view->reminder->summary });
    }
    ctl_table_print (&table, stdout);
}

//  ----------------------------------------------------------------- list

static int
s_list (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "kind", true, false },
                                         { "due", false, false },
                                         { "case", true, false },
                                         { "handover", true, false },
                                         { "all", false, false },
                                         { "limit", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Notification__ListReminders list =
        CASEFLOW__V1__NOTIFICATION__LIST_REMINDERS__INIT;
    int kind = 0;
    if ((rc = s_parse_kind (&args, &kind)))
        return rc;
    list.kind = kind;
    list.due_only = ctl_arg (&args, "due") != NULL;
    list.include_closed = ctl_arg (&args, "all") != NULL;
    if (ctl_arg (&args, "case"))
        list.case_id = (char *) ctl_arg (&args, "case");
    if (ctl_arg (&args, "handover"))
        list.handover_id = (char *) ctl_arg (&args, "handover");
    uint64_t limit = 0;
    if (ctl_arg (&args, "limit")
        && ctl_parse_uint ("limit", ctl_arg (&args, "limit"), 1, 10000, &limit))
        return CTL_USAGE;
    list.limit = (uint32_t) limit;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_LIST_REMINDERS;
    query.list_reminders = &list;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Notification__ReminderList *result = reply->query->notification->reminders;
    if (result) {
        s_print_views (ctl, result->reminders, result->n_reminders);
        if (!ctl->json && result->total > result->n_reminders)
            printf ("(%zu of %u shown; --limit for more)\n", result->n_reminders, result->total);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ------------------------------------------------------------ ack, show

static void
s_print_one (ctl_t *ctl, const Caseflow__V1__Notification__ReminderView *view, const char *verb)
{
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        s_json_view (&json, view);
        ctl_json_finish (&json);
        return;
    }
    char due [40], fired [40];
    if (verb)
        printf ("%s %s (%s)\n", verb, view->reminder->reminder_id, view->reminder->summary);
    else
        printf ("%s  %s  due %s  %s  fired %s  target %s\n%s\n", view->reminder->reminder_id,
                s_kind_word (view->reminder->kind),
                ctl_time_text (view->reminder->due_at, due, sizeof due),
                s_status_word (view->status), ctl_time_text (view->fired_at, fired, sizeof fired),
                view->reminder->target, view->reminder->summary);
}

static int
s_ack (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "by", true, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "REMINDER");
    if (rc)
        return rc;
    const char *by = ctl_arg (&args, "by");
    if (!by) {
        const char *user = getenv ("USER");
        by = user && *user ? user : "caseflowctl";
    }
    Caseflow__V1__Notification__Acknowledge ack = CASEFLOW__V1__NOTIFICATION__ACKNOWLEDGE__INIT;
    ack.reminder_id = (char *) args.positional [0];
    ack.by = (char *) by;
    Caseflow__V1__Notification__Command inner = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_ACKNOWLEDGE;
    inner.acknowledge = &ack;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
    command.notification = &inner;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = ctl_command (ctl, CTL_NOTIFICATION, &command, &reply)))
        return rc;
    if (reply->command && reply->command->notification && reply->command->notification->reminder)
        s_print_one (ctl, reply->command->notification->reminder, "acknowledged");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_show (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 1, "REMINDER");
    if (rc)
        return rc;
    Caseflow__V1__Notification__GetReminder get = CASEFLOW__V1__NOTIFICATION__GET_REMINDER__INIT;
    get.reminder_id = (char *) args.positional [0];
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_GET_REMINDER;
    query.get_reminder = &get;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    if (reply->query->notification->reminder)
        s_print_one (ctl, reply->query->notification->reminder, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  ----------------------------------------------------- today, compliance

static int
s_today (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "location", true, false },
                                         { "at", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Notification__CallbacksDueToday today =
        CASEFLOW__V1__NOTIFICATION__CALLBACKS_DUE_TODAY__INIT;
    if (ctl_arg (&args, "location"))
        today.location = (char *) ctl_arg (&args, "location");
    if (ctl_arg (&args, "at") && ctl_parse_time ("at", ctl_arg (&args, "at"), &today.at))
        return CTL_USAGE;
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACKS_DUE_TODAY;
    query.callbacks_due_today = &today;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Notification__CallbackList *list = reply->query->notification->callbacks;
    if (list && ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "date");
        ctl_json_string (&json, list->date);
        ctl_json_key (&json, "callbacks");
        ctl_json_array_begin (&json);
        for (size_t i = 0; i < list->n_callbacks; i++)
            s_json_view (&json, list->callbacks [i]);
        ctl_json_array_end (&json);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else if (list) {
        printf ("callbacks to make on %s: %zu\n", list->date, list->n_callbacks);
        ctl_table_t *table =
            ctl_table_new (5, (const char *[]){ "LOCATION", "CASE", "DUE", "STATUS", "REMINDER" });
        for (size_t i = 0; i < list->n_callbacks; i++) {
            const Caseflow__V1__Notification__ReminderView *view = list->callbacks [i];
            char due [40];
            ctl_table_row (table, (const char *[]){
                                      *view->reminder->location ? view->reminder->location : "-",
                                      view->reminder->case_id,
                                      ctl_time_text (view->reminder->due_at, due, sizeof due),
                                      s_status_word (view->status), view->reminder->reminder_id });
        }
        ctl_table_print (&table, stdout);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_compliance (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = {
        { "from", true, false }, { "to", true, false }, { "location", true, false }, { NULL }
    };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__Notification__CallbackCompliance compliance =
        CASEFLOW__V1__NOTIFICATION__CALLBACK_COMPLIANCE__INIT;
    const char *from = ctl_arg_required (&args, "from");
    const char *to = from ? ctl_arg_required (&args, "to") : NULL;
    if (!from || !to)
        return CTL_USAGE;
    if (ctl_parse_time ("from", from, &compliance.from)
        || ctl_parse_time ("to", to, &compliance.to))
        return CTL_USAGE;
    if (ctl_arg (&args, "location"))
        compliance.location = (char *) ctl_arg (&args, "location");
    Caseflow__V1__Notification__Query query = CASEFLOW__V1__NOTIFICATION__QUERY__INIT;
    query.body_case = CASEFLOW__V1__NOTIFICATION__QUERY__BODY_CALLBACK_COMPLIANCE;
    query.callback_compliance = &compliance;
    Caseflow__V1__Reply *reply = NULL;
    if ((rc = s_query (ctl, &query, &reply)))
        return rc;
    const Caseflow__V1__Notification__ComplianceReport *report =
        reply->query->notification->compliance;
    if (report && ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "from");
        ctl_json_time (&json, report->from);
        ctl_json_key (&json, "to");
        ctl_json_time (&json, report->to);
        ctl_json_key (&json, "interval_days");
        ctl_json_double (&json, (double) report->interval / (double) (24 * CF_USEC_PER_HOUR));
        ctl_json_key (&json, "cases_waiting");
        ctl_json_uint (&json, report->cases_waiting);
        ctl_json_key (&json, "cases_exceeded");
        ctl_json_uint (&json, report->cases_exceeded);
        ctl_json_key (&json, "cases");
        ctl_json_array_begin (&json);
        for (size_t c = 0; c < report->n_cases; c++) {
            const Caseflow__V1__Notification__CaseCompliance *kase = report->cases [c];
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "case_id");
            ctl_json_string (&json, kase->case_id);
            ctl_json_key (&json, "location");
            ctl_json_string_or_null (&json, kase->location);
            ctl_json_key (&json, "gaps");
            ctl_json_array_begin (&json);
            for (size_t g = 0; g < kase->n_gaps; g++) {
                const Caseflow__V1__Notification__CallbackGap *gap = kase->gaps [g];
                ctl_json_object_begin (&json);
                ctl_json_key (&json, "from");
                ctl_json_time (&json, gap->from);
                ctl_json_key (&json, "to");
                ctl_json_time (&json, gap->to);
                ctl_json_key (&json, "started_by");
                ctl_json_string (&json, gap->started_by);
                ctl_json_key (&json, "ended_by");
                ctl_json_string (&json, gap->ended_by);
                ctl_json_key (&json, "due_at");
                ctl_json_time (&json, gap->due_at);
                ctl_json_key (&json, "days");
                ctl_json_double (&json, gap->days);
                ctl_json_object_end (&json);
            }
            ctl_json_array_end (&json);
            ctl_json_object_end (&json);
        }
        ctl_json_array_end (&json);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else if (report) {
        printf ("%u waiting cases in the period, %u with a gap over %.0f days between "
                "contacts\n",
                report->cases_waiting, report->cases_exceeded,
                (double) report->interval / (double) (24 * CF_USEC_PER_HOUR));
        ctl_table_t *table = ctl_table_new (
            6, (const char *[]){ "CASE", "LOCATION", "FROM", "TO", "DAYS", "ENDED BY" });
        for (size_t c = 0; c < report->n_cases; c++)
            for (size_t g = 0; g < report->cases [c]->n_gaps; g++) {
                const Caseflow__V1__Notification__CallbackGap *gap = report->cases [c]->gaps [g];
                char start [40], end [40], days [16];
                snprintf (days, sizeof days, "%.1f", gap->days);
                ctl_table_row (table,
                               (const char *[]){
                                   report->cases [c]->case_id,
                                   *report->cases [c]->location ? report->cases [c]->location : "-",
                                   ctl_time_text (gap->from, start, sizeof start),
                                   ctl_time_text (gap->to, end, sizeof end), days, gap->ended_by });
            }
        ctl_table_print (&table, stdout);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

//  --------------------------------------------------------------- follow

static volatile sig_atomic_t s_interrupted = 0;

static void
s_on_interrupt (int signum)
{
    (void) signum;
    s_interrupted = 1;
}

typedef struct {
    int kind;                 //  0: every kind
    const char *cursor_file;  //  NULL: none
    uint64_t cursor;          //  last seq handled
    uint64_t stored;          //  last seq written to the file
    uint64_t printed, limit;  //  lines printed; --count (0: no limit)
    int error;                //  the cursor file could not be written
} s_follow_t;

//  Replaces the cursor file with `cursor`: written to FILE.tmp, synced,
//  renamed over FILE, so a crash leaves the old or the new cursor.
static int
s_store_cursor (s_follow_t *self)
{
    if (!self->cursor_file || self->cursor == self->stored)
        return 0;
    char tmp [4096];
    snprintf (tmp, sizeof tmp, "%s.tmp", self->cursor_file);
    int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    char text [32];
    int len = snprintf (text, sizeof text, "%llu\n", (unsigned long long) self->cursor);
    bool ok = write (fd, text, (size_t) len) == len && fsync (fd) == 0;
    ok = close (fd) == 0 && ok;
    if (!ok || rename (tmp, self->cursor_file) != 0)
        return -1;
    self->stored = self->cursor;
    return 0;
}

static int
s_follow_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
                  const void *data, size_t size)
{
    (void) subscriber;
    (void) data;
    (void) size;
    s_follow_t *self = ctx;
    //  Past --count (or after a write failure) the follower is about to
    //  stop: leave the event unhandled, the cursor where it is, and the
    //  subscriber stopped (no retry, no warning).
    if ((self->limit && self->printed >= self->limit) || self->error)
        return CF_BUS_STOP;
    const Caseflow__V1__Notification__ReminderDue *due =
        event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE ? event->reminder_due : NULL;
    self->cursor = event->seq;
    if (!due || !due->reminder || (self->kind && (int) due->reminder->kind != self->kind))
        return 0;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    s_json_reminder (&json, due->reminder, S_STATUS (DUE), due->fired_at, 0, NULL);
    ctl_json_key (&json, "seq");
    ctl_json_uint (&json, event->seq);
    ctl_json_object_end (&json);
    ctl_json_finish (&json);
    fflush (stdout);
    self->printed++;
    if (s_store_cursor (self)) {
        fprintf (stderr, "caseflowctl: reminders follow: cannot write %s: %s\n", self->cursor_file,
                 strerror (errno));
        self->error = 1;
    }
    return 0;
}

//  The cursor stored in `path`: 0 and *found_p false when there is no
//  file yet; -1 when it holds something else.
static int
s_read_cursor (const char *path, uint64_t *cursor_p, bool *found_p)
{
    *found_p = false;
    FILE *file = fopen (path, "r");
    if (!file)
        return errno == ENOENT ? 0 : -1;
    unsigned long long value = 0;
    int matched = fscanf (file, "%llu", &value);
    fclose (file);
    if (matched != 1)
        return -1;
    *cursor_p = value;
    *found_p = true;
    return 0;
}

static int
s_follow (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "kind", true, false },
                                         { "cursor-file", true, false },
                                         { "from", true, false },
                                         { "count", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    s_follow_t follow = { .cursor_file = ctl_arg (&args, "cursor-file") };
    if ((rc = s_parse_kind (&args, &follow.kind)))
        return rc;
    uint64_t from = 0;
    if (ctl_arg (&args, "from")
        && ctl_parse_uint ("from", ctl_arg (&args, "from"), 1, UINT64_MAX, &from))
        return CTL_USAGE;
    if (ctl_arg (&args, "count")
        && ctl_parse_uint ("count", ctl_arg (&args, "count"), 1, UINT64_MAX, &follow.limit))
        return CTL_USAGE;
    bool found = false;
    if (follow.cursor_file && s_read_cursor (follow.cursor_file, &follow.cursor, &found))
        return ctl_usage_error ("--cursor-file: %s does not hold a cursor (a stream seq)",
                                follow.cursor_file);
    if (!found && from)
        follow.cursor = from - 1;
    else if (!found && !follow.cursor_file) {
        //  A live view starts at the head; a durable consumer (a new cursor
        //  file) starts at the beginning so that it misses nothing.
        Caseflow__V1__StatusQuery status_query = CASEFLOW__V1__STATUS_QUERY__INIT;
        Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
        query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
        query.status = &status_query;
        Caseflow__V1__Reply *reply = NULL;
        if ((rc = ctl_query (ctl, CTL_NOTIFICATION, &query, &reply)))
            return rc;
        follow.cursor = reply->query && reply->query->status ? reply->query->status->last_seq : 0;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    follow.stored = found ? follow.cursor : UINT64_MAX;
    cf_bus_subscriber_t *subscriber = cf_bus_subscriber_new_secure (
        "notification", ctl->events [CTL_NOTIFICATION], ctl->api [CTL_NOTIFICATION], follow.cursor,
        s_follow_deliver, &follow, ctl->keys);
    if (!subscriber)
        return ctl_usage_error ("reminders follow: cannot follow notification at %s",
                                ctl->events [CTL_NOTIFICATION]);
    signal (SIGINT, s_on_interrupt);
    signal (SIGTERM, s_on_interrupt);
    zpoller_t *poller = zpoller_new (cf_bus_subscriber_events_socket (subscriber),
                                     cf_bus_subscriber_api_socket (subscriber), NULL);
    while (!s_interrupted && !follow.error && (!follow.limit || follow.printed < follow.limit)) {
        zpoller_wait (poller, 100);
        cf_bus_subscriber_process (subscriber, cf_time_monotonic (), 1000);
        //  Events that printed nothing move the cursor too: keep it
        //  current so a restart does not read them again.
        if (s_store_cursor (&follow)) {
            fprintf (stderr, "caseflowctl: reminders follow: cannot write %s: %s\n",
                     follow.cursor_file, strerror (errno));
            follow.error = 1;
        }
    }
    zpoller_destroy (&poller);
    cf_bus_subscriber_destroy (&subscriber);
    return follow.error ? CTL_USAGE : CTL_OK;
}

int
ctl_reminders_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc >= 2 && argv [1][0] != '-') {
        const char *verb = argv [1];
        //  A verb handler gets argv + 1: its argv[0] is the verb.
        if (strcmp (verb, "follow") == 0)
            return s_follow (ctl, argc - 1, argv + 1);
        if (strcmp (verb, "ack") == 0)
            return s_ack (ctl, argc - 1, argv + 1);
        if (strcmp (verb, "show") == 0)
            return s_show (ctl, argc - 1, argv + 1);
        if (strcmp (verb, "today") == 0)
            return s_today (ctl, argc - 1, argv + 1);
        if (strcmp (verb, "compliance") == 0)
            return s_compliance (ctl, argc - 1, argv + 1);
        return ctl_usage_error ("reminders: unknown verb \"%s\" (follow, ack, show, today, "
                                "compliance; see caseflowctl reminders --help)",
                                verb);
    }
    return s_list (ctl, argc, argv);
}
