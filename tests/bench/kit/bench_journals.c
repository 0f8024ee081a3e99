//  bench_journals: the journal writer of the replay and memory benchmarks
//  (see bench_journals.h for what it writes).
#include "bench_journals.h"
#include "bench_drive.h"

#include "cf_error.h"
#include "cf_journal.h"
#include "cf_keystore.h"
#include "cf_seal.h"
#include "cf_ulid.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BJ_PER_COMMIT 10000
#define BJ_WAVE       1000

typedef struct {
    cf_journal_t *journal;
    cf_keystore_t *keys;  //  intake's residents' keys, handover's transit keys
    MDB_txn *txn;
    size_t in_txn;
    const char *stream;  //  the service's own stream
    uint64_t own_seq;
    const char *upstream_names [3];
    uint64_t upstream_seq [3];
    uint64_t events;
    uint64_t bytes;
    int64_t now;  //  the next event's time (microseconds)
    char correlation [32];
    int rc;  //  the first failure: nothing more is written
    uint8_t buffer [8192];
} s_writer_t;

static void
s_fail (s_writer_t *self, const char *what, int rc)
{
    if (!self->rc)
        fprintf (stderr, "bench_journals: %s: %s\n", what, cf_strerror (rc));
    self->rc = rc;
}

//  Opens (creates) the store of `service` in `dir`, map big enough for
//  `events`. Returns 0 or the failure (printed).
static int
s_open (s_writer_t *self, const char *dir, const char *service, uint64_t events)
{
    memset (self, 0, sizeof *self);
    size_t map = (size_t) events * 1024;
    if (map < ((size_t) 1 << 30))
        map = (size_t) 1 << 30;
    int rc = 0;
    self->journal = cf_journal_open (dir, service, map, &rc);
    if (!self->journal) {
        s_fail (self, "cf_journal_open", rc);
        return rc;
    }
    self->stream = service;
    if (strcmp (service, "intake") == 0 || strcmp (service, "handover") == 0) {
        char keys [4096];
        snprintf (keys, sizeof keys, "%s-keys", dir);
        if ((rc = cf_keystore_open (keys, service, map, &self->keys))) {
            s_fail (self, "cf_keystore_open", rc);
            return rc;
        }
    }
    //  2021-06-01T08:00Z, then one event every 50 ms of business time.
    self->now = INT64_C (1622534400000000);
    return 0;
}

//  Commits the open transaction; after a failure, aborts it.
static void
s_commit (s_writer_t *self)
{
    if (self->txn && self->rc)
        cf_journal_abort (self->journal, self->txn);
    else if (self->txn) {
        //  Keys first, as the service does: on disk before what they seal.
        int rc = self->keys ? cf_keystore_commit (self->keys) : 0;
        if (rc)
            s_fail (self, "cf_keystore_commit", rc);
        rc = cf_journal_commit (self->journal, self->txn);
        if (rc)
            s_fail (self, "cf_journal_commit", rc);
    }
    self->txn = NULL;
    self->in_txn = 0;
}

static void
s_close (s_writer_t *self)
{
    s_commit (self);
    cf_journal_destroy (&self->journal);
    cf_keystore_destroy (&self->keys);
}

//  Stamps and appends `event`: own (upstream < 0) or consumed from
//  upstream stream number `upstream` (an index into upstream_names).
static void
s_append (s_writer_t *self, int upstream, Caseflow__V1__Event *event)
{
    if (self->rc)
        return;
    if (!self->txn) {
        int rc = cf_journal_begin (self->journal, &self->txn);
        if (rc) {
            self->txn = NULL;
            s_fail (self, "cf_journal_begin", rc);
            return;
        }
    }
    char id [CF_ULID_SIZE];
    event->id = cf_ulid_new (id, self->now);
    event->occurred_at = self->now;
    event->schema_version = 1;
    if (!*event->correlation_id) {
        //  A new command every few events, as a busy service sees them.
        if (self->events % 3 == 0)
            cf_ulid_new (self->correlation, self->now);
        event->correlation_id = self->correlation;
        event->causation_id = self->correlation;
    }
    self->now += 50000;
    if (upstream < 0) {
        event->stream = (char *) self->stream;
        event->seq = ++self->own_seq;
    } else {
        event->stream = (char *) self->upstream_names [upstream];
        event->seq = ++self->upstream_seq [upstream];
    }
    size_t size = caseflow__v1__event__get_packed_size (event);
    assert (size <= sizeof self->buffer);
    caseflow__v1__event__pack (event, self->buffer);
    int rc = upstream < 0 ? cf_journal_append_produced (self->journal, self->txn, event->seq,
                                                        self->buffer, size, NULL)
                          : cf_journal_append_consumed (self->journal, self->txn,
                                                        self->upstream_names [upstream], event->seq,
                                                        self->buffer, size, NULL);
    if (rc) {
        s_fail (self, "cf_journal_append", rc);
        return;
    }
    self->events++;
    self->bytes += size;
    if (++self->in_txn == BJ_PER_COMMIT)
        s_commit (self);
}

static void
s_case_id (char id [24], uint64_t number)
{
    snprintf (id, 24, "C%06" PRIu64, number);
}

//  The resident of case `number` (the strings live in `text`).
typedef struct {
    char name [48], birth [16], phone [24], district [16], bsn [16];
    Caseflow__V1__PersonalData data;
} s_resident_t;

static void
s_resident (s_resident_t *self, uint64_t number)
{
    snprintf (self->name, sizeof self->name, "Resident %" PRIu64, number);
    snprintf (self->birth, sizeof self->birth, "19%02d-%02d-%02d", (int) (40 + number % 60),
              (int) (1 + number % 12), (int) (1 + number % 28));
    snprintf (self->phone, sizeof self->phone, "06 %08d", (int) (number % 100000000));
    snprintf (self->district, sizeof self->district, "D%02d", (int) (number % 20));
    bk_bsn (self->bsn, number);
    caseflow__v1__personal_data__init (&self->data);
    self->data.name = self->name;
    self->data.birth_date = self->birth;
    self->data.phone = self->phone;
    self->data.district = self->district;
    self->data.bsn = self->bsn;
}

//  The subject and key ids of case `number`'s resident: 26 decimal digits
//  (base32 characters) after the letter.
static void
s_subject_ids (uint64_t number, char subject [CF_SEAL_ID_SIZE], char key_id [CF_SEAL_ID_SIZE])
{
    snprintf (subject, CF_SEAL_ID_SIZE, "S%026" PRIu64, number);
    snprintf (key_id, CF_SEAL_ID_SIZE, "K%026" PRIu64, number);
}

//  Seals `personal` for `field` as intake does, under one bench key (the
//  benchmarks replay; nobody opens these).
static const uint8_t s_bench_key [CF_SEAL_KEY_BYTES] = { 7 };

static Caseflow__V1__Sealed *
s_seal_under (cf_sealed_t *sealed, const char *key_id, const char *field,
              const Caseflow__V1__Personal *personal)
{
    int rc = cf_seal (sealed, s_bench_key, key_id, field, personal);
    assert (rc == 0);
    return &sealed->message;
}

static Caseflow__V1__Sealed *
s_seal (cf_sealed_t *sealed, uint64_t number, const char *field,
        const Caseflow__V1__Personal *personal)
{
    char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE];
    s_subject_ids (number, subject, key_id);
    return s_seal_under (sealed, key_id, field, personal);
}

static Caseflow__V1__Sealed *
s_seal_text (cf_sealed_t *sealed, uint64_t number, const char *field, const char *text)
{
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = (char *) text;
    return s_seal (sealed, number, field, &personal);
}

static Caseflow__V1__Domain s_domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                             CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING };

//  intake's CaseRegistered for case `number`, own or consumed.
static void
s_registered (s_writer_t *self, int upstream, uint64_t number)
{
    char id [24];
    s_case_id (id, number);
    s_resident_t resident;
    s_resident (&resident, number);
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE];
    s_subject_ids (number, subject, key_id);
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.resident = &resident.data;
    personal.text = "Rent arrears since the spring and a letter from the housing corporation";
    cf_sealed_t sealed;
    body.subject = subject;
    body.personal = s_seal (&sealed, number, "intake.CaseRegistered", &personal);
    //  The area intake resolves the district to: D<n> is served by L<n+1>.
    char area [16];
    snprintf (area, sizeof area, "L%02d", (int) (number % 20) + 1);
    char *areas [] = { area };
    body.areas = areas;
    body.n_areas = 1;
    body.age_band = CASEFLOW__V1__AGE_BAND__AGE_BAND_27_66;
    if (upstream < 0 && self->keys) {
        int rc = cf_keystore_put_key (self->keys, key_id, subject, s_bench_key);
        if (rc)
            s_fail (self, "cf_keystore_put_key", rc);
    }
    body.domains = s_domains;
    body.n_domains = 2;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    s_append (self, upstream, &event);
    cf_sealed_release (&sealed);
}

static void
s_triaged (s_writer_t *self, int upstream, uint64_t number)
{
    char id [24];
    s_case_id (id, number);
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = id;
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    cf_sealed_t sealed;
    body.personal = s_seal_text (&sealed, number, "intake.CaseTriaged", "regular: no acute risk");
    body.status = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    s_append (self, upstream, &event);
    cf_sealed_release (&sealed);
}

static void
s_callback (s_writer_t *self, int upstream, uint64_t number, int which)
{
    char id [24], reminder [64];
    s_case_id (id, number);
    snprintf (reminder, sizeof reminder, "callback/%s/%d", id, which);
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = id;
    body.outcome = which == 1 ? CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED
                              : CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    cf_sealed_t sealed;
    body.personal = s_seal_text (&sealed, number, "intake.CallbackRecorded",
                                 which == 1 ? "voicemail" : "still waiting, situation unchanged");
    body.consecutive_unanswered = which == 1 ? 1 : 0;
    body.reminder_id = reminder;
    body.due_at = self->now - 3600 * INT64_C (1000000);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    s_append (self, upstream, &event);
    cf_sealed_release (&sealed);
}

static void
s_status_changed (s_writer_t *self, int upstream, uint64_t number, Caseflow__V1__CaseStatus status,
                  Caseflow__V1__CaseStatus previous)
{
    char id [24], worker [16];
    s_case_id (id, number);
    snprintf (worker, sizeof worker, "w%03d", (int) (number % 500) + 1);
    Caseflow__V1__Intake__CaseStatusChanged body = CASEFLOW__V1__INTAKE__CASE_STATUS_CHANGED__INIT;
    body.case_id = id;
    body.status = status;
    body.previous = previous;
    body.worker_id = worker;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED;
    event.case_status_changed = &body;
    s_append (self, upstream, &event);
}

static void
s_closed (s_writer_t *self, int upstream, uint64_t number)
{
    char id [24];
    s_case_id (id, number);
    Caseflow__V1__Intake__CaseClosed body = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    body.case_id = id;
    body.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_COMPLETED;
    cf_sealed_t sealed;
    body.personal = s_seal_text (&sealed, number, "intake.CaseClosed", "support completed");
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &body;
    s_append (self, upstream, &event);
    cf_sealed_release (&sealed);
}

//  assignment's CaseAssigned / CaseStarted / CaseCompleted (kind 0, 1, 2).
static void
s_assignment_step (s_writer_t *self, int upstream, uint64_t number, int kind)
{
    char id [24], worker [16];
    s_case_id (id, number);
    snprintf (worker, sizeof worker, "w%03d", (int) (number % 500) + 1);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    Caseflow__V1__Assignment__CaseAssigned assigned = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    Caseflow__V1__Assignment__CaseStarted started = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    Caseflow__V1__Assignment__CaseCompleted completed =
        CASEFLOW__V1__ASSIGNMENT__CASE_COMPLETED__INIT;
    if (kind == 0) {
        assigned.case_id = id;
        assigned.worker_id = worker;
        assigned.rule = CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_BEST_MATCH;
        assigned.reason = "waiting list: a place freed; the worker has the lowest load of the "
                          "12 eligible workers with room (expertise in debt): 3/20 (15%)";
        assigned.caseload_before = 3;
        assigned.capacity = 20;
        assigned.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
        assigned.trigger =
            CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_WAITING_LIST;
        assigned.eligible_workers = 12;
        assigned.waiting_position = 1;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
        event.case_assigned = &assigned;
    } else if (kind == 1) {
        started.case_id = id;
        started.worker_id = worker;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
        event.case_started = &started;
    } else {
        completed.case_id = id;
        completed.worker_id = worker;
        completed.outcome = "support completed";
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED;
        event.case_completed = &completed;
    }
    s_append (self, upstream, &event);
}

static void
s_reminder (s_writer_t *self, uint64_t number, int kind, int which, int action)
{
    char id [24], reminder_id [64];
    s_case_id (id, number);
    bool callback = kind == CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
    snprintf (reminder_id, sizeof reminder_id, "%s/%s/%d",
              callback ? "callback" : "waiting-too-long", id, which);
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    char summary [64];
    snprintf (summary, sizeof summary, "%s %d for %s", callback ? "callback" : "waiting", which,
              id);
    reminder.reminder_id = reminder_id;
    reminder.kind = kind;
    reminder.case_id = id;
    reminder.due_at = self->now + (callback ? 14 : 56) * INT64_C (86400000000);
    reminder.target = "intake-team";
    reminder.summary = summary;
    reminder.number = (uint64_t) which;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = id;
    Caseflow__V1__Notification__ReminderScheduled scheduled =
        CASEFLOW__V1__NOTIFICATION__REMINDER_SCHEDULED__INIT;
    Caseflow__V1__Notification__ReminderDue due = CASEFLOW__V1__NOTIFICATION__REMINDER_DUE__INIT;
    Caseflow__V1__Notification__ReminderCancelled cancelled =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CANCELLED__INIT;
    if (action == 0) {
        scheduled.reminder = &reminder;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_SCHEDULED;
        event.reminder_scheduled = &scheduled;
    } else if (action == 1) {
        reminder.due_at = self->now;
        due.reminder = &reminder;
        due.fired_at = self->now;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
        event.reminder_due = &due;
    } else {
        cancelled.reminder_id = reminder_id;
        cancelled.reason = "case assigned";
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CANCELLED;
        event.reminder_cancelled = &cancelled;
    }
    s_append (self, -1, &event);
}

//  handover's own events for handover `number`, step 0..5.
static void
s_handover_step (s_writer_t *self, uint64_t number, int step)
{
    char id [24], provider [16];
    snprintf (id, sizeof id, "H%06" PRIu64, number);
    snprintf (provider, sizeof provider, "P%02d", (int) (number % 50) + 1);
    s_resident_t resident;
    s_resident (&resident, number + 5000000);
    int64_t deadline = INT64_C (1656540000000000);  //  2022-06-30
    const char *support = "Debt counselling and weekly home visits";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    Caseflow__V1__Handover__HandoverAnnounced announced =
        CASEFLOW__V1__HANDOVER__HANDOVER_ANNOUNCED__INIT;
    Caseflow__V1__Handover__MeetingPlanned planned = CASEFLOW__V1__HANDOVER__MEETING_PLANNED__INIT;
    Caseflow__V1__Handover__MeetingHeld held = CASEFLOW__V1__HANDOVER__MEETING_HELD__INIT;
    Caseflow__V1__Handover__NextStepDecided decided =
        CASEFLOW__V1__HANDOVER__NEXT_STEP_DECIDED__INIT;
    Caseflow__V1__Handover__FilesTransferred files =
        CASEFLOW__V1__HANDOVER__FILES_TRANSFERRED__INIT;
    Caseflow__V1__Handover__Document document = CASEFLOW__V1__HANDOVER__DOCUMENT__INIT;
    Caseflow__V1__Handover__Document *documents [] = { &document };
    Caseflow__V1__Handover__HandoverCompleted completed =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    char *participants [] = { "provider:J. Jansen", "resident", "worker:w001" };
    //  Every personal value sealed under the handover's transit key, as
    //  handover does (one bench key: the benchmarks replay, nobody opens).
    char transit [CF_SEAL_ID_SIZE], subject [CF_SEAL_ID_SIZE];
    snprintf (transit, sizeof transit, "T%026" PRIu64, number);
    snprintf (subject, sizeof subject, "S%026" PRIu64, number);
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    char *note [] = { "continues at the social team" };
    char *titles [] = { "Support plan 2022" };
    const char *field = "handover.HandoverAnnounced";
    cf_sealed_t sealed;
    memset (&sealed, 0, sizeof sealed);
    switch (step) {
        case 0:
            if (self->keys) {
                int rc = cf_keystore_put_key (self->keys, transit, subject, s_bench_key);
                if (rc)
                    s_fail (self, "cf_keystore_put_key", rc);
            }
            personal.resident = &resident.data;
            personal.text = (char *) support;
            announced.handover_id = id;
            announced.provider_id = provider;
            announced.personal = s_seal_under (&sealed, transit, field, &personal);
            announced.domains = s_domains;
            announced.n_domains = 2;
            announced.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
            announced.deadline = deadline;
            event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_ANNOUNCED;
            event.handover_announced = &announced;
            break;
        case 1:
            planned.handover_id = id;
            planned.at = self->now + 7 * INT64_C (86400000000);
            personal.text = "L01";
            personal.texts = participants;
            personal.n_texts = 3;
            planned.personal =
                s_seal_under (&sealed, transit, "handover.MeetingPlanned", &personal);
            event.body_case = CASEFLOW__V1__EVENT__BODY_MEETING_PLANNED;
            event.meeting_planned = &planned;
            break;
        case 2:
            held.handover_id = id;
            event.body_case = CASEFLOW__V1__EVENT__BODY_MEETING_HELD;
            event.meeting_held = &held;
            break;
        case 3:
            decided.handover_id = id;
            decided.next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
            personal.text = note [0];
            decided.personal =
                s_seal_under (&sealed, transit, "handover.NextStepDecided", &personal);
            event.body_case = CASEFLOW__V1__EVENT__BODY_NEXT_STEP_DECIDED;
            event.next_step_decided = &decided;
            break;
        case 4:
            personal.texts = titles;
            personal.n_texts = 1;
            files.personal =
                s_seal_under (&sealed, transit, "handover.FilesTransferred", &personal);
            document.type = "plan";
            document.received_at = self->now;
            files.handover_id = id;
            files.documents = documents;
            files.n_documents = 1;
            event.body_case = CASEFLOW__V1__EVENT__BODY_FILES_TRANSFERRED;
            event.files_transferred = &files;
            break;
        default:
            completed.handover_id = id;
            completed.provider_id = provider;
            completed.next_step = CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_CONTINUE;
            personal.resident = &resident.data;
            personal.text = (char *) support;
            personal.texts = note;
            personal.n_texts = 1;
            completed.personal =
                s_seal_under (&sealed, transit, "handover.HandoverCompleted", &personal);
            completed.domains = s_domains;
            completed.n_domains = 2;
            completed.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
            completed.deadline = deadline;
            event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
            event.handover_completed = &completed;
            break;
    }
    s_append (self, -1, &event);
    cf_sealed_release (&sealed);
}

uint64_t
bj_write (const char *dir, const char *service, uint64_t events, bool open_cases, uint64_t *bytes_p)
{
    s_writer_t writer;
    s_writer_t *w = &writer;
    if (s_open (w, dir, service, events))
        return 0;
    const int REG = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
    const int WAITING = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    const int ASSIGNED = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED;
    const int ACTIVE = CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE;
    (void) REG;
    int steps;
    //  The console's journal holds intake's lifecycle as consumed events:
    //  intake's own from "intake", assignment's from "assignment".
    bool console = strcmp (service, "console") == 0;
    int own = console ? 0 : -1, from_assignment = console ? 1 : 0;
    if (strcmp (service, "intake") == 0 || console) {
        w->upstream_names [0] = console ? "intake" : "assignment";
        w->upstream_names [1] = "assignment";
        steps = open_cases ? 2 : 10;
    } else if (strcmp (service, "assignment") == 0) {
        w->upstream_names [0] = "intake";
        steps = open_cases ? 2 : 8;
        if (!open_cases) {
            for (int i = 1; i <= 20; i++) {
                char id [16], name [32], district [16];
                snprintf (id, sizeof id, "L%02d", i);
                snprintf (name, sizeof name, "Wijkteam %d", i);
                snprintf (district, sizeof district, "D%02d", i - 1);
                char *districts [] = { district };
                Caseflow__V1__Assignment__LocationAdded body =
                    CASEFLOW__V1__ASSIGNMENT__LOCATION_ADDED__INIT;
                body.location_id = id;
                body.name = name;
                body.districts = districts;
                body.n_districts = 1;
                body.kind = CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_NEIGHBOURHOOD;
                Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
                event.body_case = CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED;
                event.location_added = &body;
                s_append (w, -1, &event);
            }
            for (int i = 1; i <= 500; i++) {
                char id [16], name [32], location [16];
                snprintf (id, sizeof id, "w%03d", i);
                snprintf (name, sizeof name, "Worker %d", i);
                snprintf (location, sizeof location, "L%02d", 1 + i % 20);
                char *locations [] = { location };
                Caseflow__V1__Assignment__WorkerJoined body =
                    CASEFLOW__V1__ASSIGNMENT__WORKER_JOINED__INIT;
                body.worker_id = id;
                body.name = name;
                body.fte_milli = 1000;
                body.locations = locations;
                body.n_locations = 1;
                body.expertise = s_domains;
                body.n_expertise = 2;
                Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
                event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_JOINED;
                event.worker_joined = &body;
                s_append (w, -1, &event);
            }
        }
    } else if (strcmp (service, "handover") == 0) {
        steps = 6;
        for (int i = 1; i <= 50; i++) {
            char id [16], name [32];
            snprintf (id, sizeof id, "P%02d", i);
            snprintf (name, sizeof name, "Provider %d", i);
            Caseflow__V1__Handover__ProviderAdded body =
                CASEFLOW__V1__HANDOVER__PROVIDER_ADDED__INIT;
            body.provider_id = id;
            body.name = name;
            Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
            event.body_case = CASEFLOW__V1__EVENT__BODY_PROVIDER_ADDED;
            event.provider_added = &body;
            s_append (w, -1, &event);
        }
    } else {
        assert (strcmp (service, "notification") == 0);
        w->upstream_names [0] = "intake";
        steps = 10;
    }
    uint64_t units = (events - w->events + (uint64_t) steps - 1) / (uint64_t) steps;
    for (uint64_t first = 1; first <= units && !w->rc; first += BJ_WAVE) {
        uint64_t last = first + BJ_WAVE - 1 < units ? first + BJ_WAVE - 1 : units;
        for (int step = 0; step < steps; step++)
            for (uint64_t n = first; n <= last; n++) {
                if (strcmp (service, "intake") == 0 || console) {
                    switch (step) {
                        case 0: s_registered (w, own, n); break;
                        case 1: s_triaged (w, own, n); break;
                        case 2: s_callback (w, own, n, 1); break;
                        case 3: s_callback (w, own, n, 2); break;
                        case 4: s_assignment_step (w, from_assignment, n, 0); break;
                        case 5: s_status_changed (w, own, n, ASSIGNED, WAITING); break;
                        case 6: s_assignment_step (w, from_assignment, n, 1); break;
                        case 7: s_status_changed (w, own, n, ACTIVE, ASSIGNED); break;
                        case 8: s_assignment_step (w, from_assignment, n, 2); break;
                        default: s_closed (w, own, n); break;
                    }
                } else if (strcmp (service, "assignment") == 0) {
                    switch (step) {
                        case 0: s_registered (w, 0, n); break;
                        case 1: s_triaged (w, 0, n); break;
                        case 2: s_assignment_step (w, -1, n, 0); break;
                        case 3: s_status_changed (w, 0, n, ASSIGNED, WAITING); break;
                        case 4: s_assignment_step (w, -1, n, 1); break;
                        case 5: s_status_changed (w, 0, n, ACTIVE, ASSIGNED); break;
                        case 6: s_assignment_step (w, -1, n, 2); break;
                        default: s_closed (w, 0, n); break;
                    }
                } else if (strcmp (service, "notification") == 0) {
                    const int CALLBACK =
                        CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
                    const int WAIT =
                        CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_WAITING_TOO_LONG;
                    switch (step) {
                        case 0: s_registered (w, 0, n); break;
                        case 1: s_triaged (w, 0, n); break;
                        case 2: s_reminder (w, n, CALLBACK, 1, 0); break;
                        case 3: s_reminder (w, n, WAIT, 1, 0); break;
                        case 4: s_reminder (w, n, CALLBACK, 1, 1); break;
                        case 5: s_reminder (w, n, CALLBACK, 2, 0); break;
                        case 6: s_callback (w, 0, n, 2); break;
                        case 7: s_status_changed (w, 0, n, ASSIGNED, WAITING); break;
                        case 8: s_reminder (w, n, CALLBACK, 2, 2); break;
                        default: s_reminder (w, n, WAIT, 1, 2); break;
                    }
                } else
                    s_handover_step (w, n, step);
            }
    }
    s_close (w);
    if (bytes_p)
        *bytes_p = w->bytes;
    return w->rc ? 0 : w->events;
}
