//  ctl_reminders: `caseflowctl reminders …`, the notification service's
//  commands and queries (CLI.md), as rows of the verb table, and `follow`;
//  ctl_reminders_output.c shows their results. `claim`, `release` and
//  `park` are the shared callbacks (services/notification/README.md,
//  "Claims"): --caller names the person, as an operator may; the console
//  sends the same commands with the signed-in person as on_behalf_of.
//
//  `follow` is the reference consumer of the notification stream: the
//  follower (ctl_follow.h), one JSON line per ReminderDue, the cursor (the
//  stream seq of the last event handled) written to the cursor file after
//  each line, so a restart of the follower or of the service loses nothing
//  and repeats nothing. The file is replaced atomically (write, fsync,
//  rename); only a crash between printing a line and renaming the file can
//  repeat that one line, and its reminder_id lets the reader drop it.
#include "ctl.h"
#include "ctl_follow.h"
#include "ctl_output.h"

#include "caseflow/v1/notification.pb-c.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  ack: by whom, when not said: the user.
static int
s_build_ack (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Notification__Acknowledge *ack = (void *) body;
    const char *user = getenv ("USER");
    if (!ctl_arg (args, "by"))
        ack->by = ctl_strdup (user && *user ? user : "caseflowctl");
    return CTL_OK;
}

//  --------------------------------------------------------------- follow

typedef struct {
    int kind;                 //  0: every kind
    const char *cursor_file;  //  NULL: none
    uint64_t stored;          //  the cursor in the file
} s_follow_t;

static int
s_print_due (void *ctx, const Caseflow__V1__Event *event)
{
    s_follow_t *self = ctx;
    const Caseflow__V1__Notification__ReminderDue *due =
        event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE ? event->reminder_due : NULL;
    if (!due || !due->reminder || (self->kind && (int) due->reminder->kind != self->kind))
        return 0;
    ctl_json_print (ctl_reminders_due_json (&due->base, event->seq));
    return 1;
}

//  Replaces the cursor file with the cursor: written to FILE.tmp, synced,
//  renamed over FILE, so a crash leaves the old or the new cursor.
static int
s_store_cursor (void *ctx, const uint64_t *cursors)
{
    s_follow_t *self = ctx;
    uint64_t cursor = cursors [CTL_NOTIFICATION];
    if (!self->cursor_file || cursor == self->stored)
        return 0;
    char tmp [4096], text [32];
    snprintf (tmp, sizeof tmp, "%s.tmp", self->cursor_file);
    int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int len = snprintf (text, sizeof text, "%llu\n", (unsigned long long) cursor);
    bool ok = fd >= 0 && write (fd, text, (size_t) len) == len && fsync (fd) == 0;
    ok = (fd < 0 || close (fd) == 0) && ok;
    if (!ok || rename (tmp, self->cursor_file) != 0) {
        fprintf (stderr, "caseflowctl: reminders follow: cannot write %s: %s\n", self->cursor_file,
                 strerror (errno));
        return -1;
    }
    self->stored = cursor;
    return 0;
}

static int
s_follow (const ctl_args_t *args)
{
    s_follow_t self = { .cursor_file = ctl_arg (args, "cursor-file"), .stored = UINT64_MAX };
    ctl_follow_t follow = { .print = s_print_due, .store = s_store_cursor, .ctx = &self };
    follow.wanted [CTL_NOTIFICATION] = true;
    const char *kind = ctl_arg (args, "kind");
    char words [256];
    if (kind
        && (self.kind =
                ctl_enum_parse (&caseflow__v1__notification__reminder_kind__descriptor, kind))
               <= 0)
        return ctl_usage_error (
            "--kind: \"%s\" is not one of: %s", kind,
            ctl_enum_words (&caseflow__v1__notification__reminder_kind__descriptor, words,
                            sizeof words));
    uint64_t from = 0;
    if ((ctl_arg (args, "from")
         && ctl_parse_uint ("from", ctl_arg (args, "from"), 1, UINT64_MAX, &from))
        || (ctl_arg (args, "count")
            && ctl_parse_uint ("count", ctl_arg (args, "count"), 1, UINT64_MAX, &follow.limit)))
        return CTL_USAGE;
    //  A durable consumer (a cursor file) resumes where it was, and a new
    //  one starts at the beginning so that it misses nothing; a live view
    //  starts at the head, or after --from.
    follow.cursors [CTL_NOTIFICATION] = from ? from - 1 : self.cursor_file ? 0 : UINT64_MAX;
    FILE *file = self.cursor_file ? fopen (self.cursor_file, "r") : NULL;
    if (file) {
        unsigned long long value = 0;
        int matched = fscanf (file, "%llu", &value);
        fclose (file);
        if (matched != 1)
            return ctl_usage_error ("--cursor-file: %s does not hold a cursor (a stream seq)",
                                    self.cursor_file);
        follow.cursors [CTL_NOTIFICATION] = self.stored = value;
    } else if (self.cursor_file && errno != ENOENT)
        return ctl_usage_error ("--cursor-file: cannot read %s", self.cursor_file);
    return ctl_follow (args->ctl, &follow);
}

#define S_CHANGE     NULL, CTL_NOTIFICATION, CTL_COMMAND
#define S_ASK        NULL, CTL_NOTIFICATION, CTL_QUERY
#define S_BODY(name) &caseflow__v1__notification__##name##__descriptor

const ctl_verb_t ctl_reminders_verbs [] = {
    { "reminders", "",
      "[--kind K] [--due] [--case CASE] [--handover H] [--parked] [--all] [--limit N]",
      "kind due? case handover parked? all? limit", NULL, S_ASK, S_BODY (list_reminders),
      "kind due_only=due case_id=case handover_id=handover parked_only=parked "
      "include_closed=all limit:1-10000",
      NULL, "reminders", NULL, NULL, ctl_reminders_list_json, ctl_reminders_list_text },
    CTL_RUN ("reminders", "follow", "[--kind K] [--cursor-file FILE] [--from SEQ] [--count N]",
             "kind cursor-file from count", NULL, s_follow),
    { "reminders", "ack", "REMINDER [--by WHO]", "by", "REMINDER", S_CHANGE, S_BODY (acknowledge),
      "reminder_id=$1 by", s_build_ack, "reminder", NULL, NULL, ctl_reminders_one_json,
      ctl_reminders_ack_text },
    { "reminders", "claim", "--caller WHO [--location LOC] [--kind callback|callback-overdue]",
      "caller! location kind", NULL, S_CHANGE, S_BODY (claim), "caller location kind", NULL,
      "claim", NULL, NULL, ctl_reminders_claim_json, ctl_reminders_claim_text },
    { "reminders", "release", "REMINDER [--caller WHO]", "caller", "REMINDER", S_CHANGE,
      S_BODY (release), "reminder_id=$1 caller", NULL, "reminder", NULL, NULL,
      ctl_reminders_one_json, ctl_reminders_release_text },
    { "reminders", "park", "REMINDER --reason TEXT [--caller WHO]", "reason! caller", "REMINDER",
      S_CHANGE, S_BODY (park), "reminder_id=$1 reason caller", NULL, "reminder", NULL, NULL,
      ctl_reminders_one_json, ctl_reminders_park_text },
    { "reminders", "show", "REMINDER", "", "REMINDER", S_ASK, S_BODY (get_reminder),
      "reminder_id=$1", NULL, "reminder", NULL,
      "reminder=reminder.reminder_id kind=reminder.kind due=reminder.due_at:time status "
      "fired=fired_at?:time target=reminder.target summary=reminder.summary "
      "acknowledged=acknowledged_at?:time by=acknowledged_by? cancelled=cancelled_at?:time "
      "reason=cancel_reason?",
      ctl_reminders_one_json, NULL },
    { "reminders", "today", "[--location LOC] [--at TIME]", "location at", NULL, S_ASK,
      S_BODY (callbacks_due_today), "location at", NULL, "callbacks", NULL, NULL,
      ctl_reminders_today_json, ctl_reminders_today_text },
    { "reminders", "compliance", "--from TIME --to TIME [--location LOC]", "from! to! location",
      NULL, S_ASK, S_BODY (callback_compliance), "from to location", NULL, "compliance", NULL, NULL,
      ctl_reminders_compliance_json, ctl_reminders_compliance_text },
    { NULL },
};
