//  intake_harness: intake's decisions without the runtime (see the header).
#include "intake_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_time.h"
#include "intake_keys.h"
#include "intake_query.h"
#include "intake_react.h"
#include "intake_registry.h"
#include "cf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *data;
    size_t size;
    bool own;  //  emitted by intake (else an upstream event)
} s_entry_t;

struct _harness_t {
    intake_state_t *state;
    char *keys_dir;  //  the key store's directory (a fresh temporary one)
    cf_keystore_t *keystore;
    intake_registry_t *registry;
    Caseflow__V1__Personal *opened;
    Caseflow__V1__Intake__CaseView *view;
    int64_t now;
    uint64_t own_seq;
    size_t event_count;  //  ids handed out
    s_entry_t *journal;
    size_t journal_count;
    Caseflow__V1__Event **last;  //  the last decision's events, decoded
    size_t last_count;
    size_t fail_at;  //  emits left before one fails (0: never)
    Caseflow__V1__Reply reply;
    Caseflow__V1__Reply query_reply;
};

static void
s_journal (harness_t *self, const Caseflow__V1__Event *event, bool own)
{
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (event, data);
    self->journal = realloc (self->journal, (self->journal_count + 1) * sizeof *self->journal);
    assert_non_null (self->journal);
    self->journal [self->journal_count++] = (s_entry_t){ data, size, own };
}

static void
s_forget_last (harness_t *self)
{
    for (size_t i = 0; i < self->last_count; i++)
        caseflow__v1__event__free_unpacked (self->last [i], NULL);
    free (self->last);
    self->last = NULL;
    self->last_count = 0;
}

//  The emitter: what cf_service_emit does, minus LMDB.
static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    harness_t *self = ctx;
    if (self->fail_at && --self->fail_at == 0)
        return CF_ESTOREFULL;
    Caseflow__V1__Event saved = *event;
    char id [32];
    snprintf (id, sizeof id, "event-%06zu", ++self->event_count);
    event->id = id;
    event->stream = INTAKE_STREAM;
    event->seq = ++self->own_seq;
    if (!event->occurred_at)
        event->occurred_at = self->now;
    event->schema_version = 1;
    s_journal (self, event, true);
    assert_int_equal (intake_state_apply (self->state, event), 0);
    const s_entry_t *entry = &self->journal [self->journal_count - 1];
    self->last = realloc (self->last, (self->last_count + 1) * sizeof *self->last);
    assert_non_null (self->last);
    self->last [self->last_count] = caseflow__v1__event__unpack (NULL, entry->size, entry->data);
    assert_non_null (self->last [self->last_count]);
    self->last_count++;
    event->id = saved.id;
    event->stream = saved.stream;
    return 0;
}

//  The decider a decision gets: the harness clock, `reply`, and the
//  emitter above where the runtime's has cf_service_emit.
static cf_decider_t
s_decider (harness_t *self, Caseflow__V1__Reply *reply)
{
    cf_decider_t decider;
    cf_decider_init (&decider, self->now, reply, s_emit, self);
    return decider;
}

harness_t *
harness_new (void)
{
    cf_time_init ();
    cf_log_init ("intake-test", CF_LOG_ERROR);
    harness_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->state = intake_state_new ();
    self->keys_dir = cf_test_tmpdir ("intake-keys");
    assert_int_equal (cf_keystore_open (self->keys_dir, "intake", 64 << 20, &self->keystore), 0);
    self->registry = intake_registry_new (self->keystore, (const uint8_t *) "harness secret", 14);
    intake_state_set_registry (self->state, self->registry);
    assert_int_equal (cf_time_parse ("2022-01-10T10:00", &self->now), 0);
    cf_api_reply_init (&self->reply, NULL);
    cf_api_reply_init (&self->query_reply, NULL);
    return self;
}

void
harness_destroy (harness_t **self_p)
{
    harness_t *self = *self_p;
    if (!self)
        return;
    s_forget_last (self);
    for (size_t i = 0; i < self->journal_count; i++)
        free (self->journal [i].data);
    free (self->journal);
    cf_api_reply_clear (&self->reply);
    cf_api_reply_clear (&self->query_reply);
    if (self->opened)
        caseflow__v1__personal__free_unpacked (self->opened, NULL);
    if (self->view)
        caseflow__v1__intake__case_view__free_unpacked (self->view, NULL);
    intake_state_destroy (&self->state);
    intake_registry_destroy (&self->registry);
    cf_keystore_destroy (&self->keystore);
    cf_test_rmtree (self->keys_dir);
    free (self->keys_dir);
    free (self);
    *self_p = NULL;
}

intake_state_t *
harness_state (harness_t *self)
{
    return self->state;
}

int64_t
harness_now (harness_t *self)
{
    return self->now;
}

void
harness_set_now (harness_t *self, int64_t now)
{
    self->now = now;
}

void
harness_fail_emit (harness_t *self, size_t n)
{
    self->fail_at = n;
}

Caseflow__V1__Status__Code
harness_command (harness_t *self, const Caseflow__V1__Intake__Command *command)
{
    s_forget_last (self);
    cf_api_reply_clear (&self->reply);
    cf_api_reply_init (&self->reply, "test");
    cf_decider_t decider = s_decider (self, &self->reply);
    intake_decide (self->state, &decider, command);
    Caseflow__V1__Status__Code code = cf_api_reply_code (&self->reply);
    if (code != CASEFLOW__V1__STATUS__CODE__OK && !self->fail_at)
        assert_int_equal (self->last_count, 0);
    return code;
}

void
harness_upstream (harness_t *self, const char *stream, uint64_t seq, Caseflow__V1__Event *event)
{
    s_forget_last (self);
    char id [32];
    snprintf (id, sizeof id, "%s-%06llu", stream, (unsigned long long) seq);
    event->id = id;
    event->stream = (char *) stream;
    event->seq = seq;
    event->occurred_at = self->now;
    event->schema_version = 1;
    s_journal (self, event, false);
    intake_state_apply (self->state, event);
    cf_decider_t decider = s_decider (self, NULL);
    intake_react (self->state, &decider, event);
    event->id = (char *) "";
    event->stream = (char *) "";
}

size_t
harness_emitted (harness_t *self)
{
    return self->last_count;
}

const Caseflow__V1__Event *
harness_event (harness_t *self, size_t index)
{
    assert_true (index < self->last_count);
    return self->last [index];
}

const char *
harness_field (harness_t *self)
{
    return self->reply.status ? self->reply.status->field : "";
}

const char *
harness_message (harness_t *self)
{
    return self->reply.status ? self->reply.status->message : "";
}

const Caseflow__V1__Intake__CommandResult *
harness_result (harness_t *self)
{
    assert_int_equal (self->reply.result_case, CASEFLOW__V1__REPLY__RESULT_COMMAND);
    assert_int_equal (self->reply.command->body_case, CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE);
    return self->reply.command->intake;
}

Caseflow__V1__Status__Code
harness_query (harness_t *self, const Caseflow__V1__Intake__Query *query)
{
    cf_api_reply_clear (&self->query_reply);
    cf_api_reply_init (&self->query_reply, "query");
    intake_query (self->state, query, &self->query_reply);
    //  What the wire would carry must encode and decode.
    size_t size;
    void *data = cf_api_encode_reply (&self->query_reply, &size);
    Caseflow__V1__Reply *decoded = caseflow__v1__reply__unpack (NULL, size, data);
    assert_non_null (decoded);
    caseflow__v1__reply__free_unpacked (decoded, NULL);
    free (data);
    return cf_api_reply_code (&self->query_reply);
}

const Caseflow__V1__Intake__QueryResult *
harness_query_result (harness_t *self)
{
    assert_int_equal (self->query_reply.result_case, CASEFLOW__V1__REPLY__RESULT_QUERY);
    assert_int_equal (self->query_reply.query->body_case, CASEFLOW__V1__QUERY_RESULT__BODY_INTAKE);
    return self->query_reply.query->intake;
}

static void
s_digest_of (intake_state_t *state, char hex [65])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    intake_state_digest (state, &hash);
    unsigned char sum [crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final (&hash, sum);
    sodium_bin2hex (hex, 65, sum, sizeof sum);
}

const Caseflow__V1__Personal *
harness_open (harness_t *self, const Caseflow__V1__Sealed *sealed, const char *field)
{
    if (self->opened)
        caseflow__v1__personal__free_unpacked (self->opened, NULL);
    self->opened = NULL;
    assert_non_null (sealed);
    size_t size = caseflow__v1__sealed__get_packed_size (sealed);
    uint8_t *data = malloc (size + 1);
    assert_non_null (data);
    caseflow__v1__sealed__pack (sealed, data);
    assert_int_equal (intake_registry_open (self->registry, data, size, field, &self->opened), 0);
    free (data);
    return self->opened;
}

const char *
harness_text (harness_t *self, const Caseflow__V1__Sealed *sealed, const char *field)
{
    return sealed ? harness_open (self, sealed, field)->text : "";
}

const Caseflow__V1__Intake__CaseView *
harness_view (harness_t *self, const char *case_id)
{
    if (self->view)
        caseflow__v1__intake__case_view__free_unpacked (self->view, NULL);
    const intake_case_t *kase = intake_state_case (self->state, case_id);
    assert_non_null (kase);
    self->view = intake_view_case (self->state, kase, true);
    return self->view;
}

cf_keystore_t *
harness_keystore (harness_t *self)
{
    return self->keystore;
}

size_t
harness_carry_out_erasures (harness_t *self)
{
    //  What the runtime does after each commit (intake_keys.h): every
    //  erasure journaled so far is now durable.
    size_t count = 0;
    char id [CF_SEAL_ID_SIZE];
    while (intake_registry_next_erasure (self->registry, self->own_seq, id)) {
        const intake_subject_t *subject = intake_state_subject (self->state, id);
        assert_non_null (subject);
        assert_int_equal (intake_keys_erase (self->state, subject), 0);
        count++;
    }
    if (cf_keystore_needs_compaction (self->keystore))
        assert_int_equal (cf_keystore_compact (self->keystore), 0);
    return count;
}

//  True when `text` occurs in the `size` bytes at `data`.
static bool
s_holds (const uint8_t *data, size_t size, const char *text)
{
    size_t length = strlen (text);
    for (size_t at = 0; length && at + length <= size; at++)
        if (memcmp (data + at, text, length) == 0)
            return true;
    return false;
}

size_t
harness_journal_holding (harness_t *self, const char *text, bool own)
{
    size_t count = 0;
    for (size_t i = 0; i < self->journal_count; i++)
        if (self->journal [i].own == own
            && s_holds (self->journal [i].data, self->journal [i].size, text))
            count++;
    return count;
}

void
harness_digest (harness_t *self, char hex [65])
{
    s_digest_of (self->state, hex);
}

void
harness_assert_replay (harness_t *self)
{
    //  A replay needs no key: apply never opens a sealed value.
    intake_state_t *replayed = intake_state_new ();
    for (size_t i = 0; i < self->journal_count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, self->journal [i].size, self->journal [i].data);
        assert_non_null (event);
        intake_state_apply (replayed, event);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    char live [65], again [65];
    s_digest_of (self->state, live);
    s_digest_of (replayed, again);
    assert_string_equal (live, again);
    intake_state_destroy (&replayed);
}

//  ------------------------------------------------------- command helpers

static const char *
s_or_empty (const char *text)
{
    return text ? text : "";
}

Caseflow__V1__Status__Code
harness_register (harness_t *self, const harness_reg_t *args, char case_id [24])
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) s_or_empty (args->name);
    resident.birth_date = (char *) s_or_empty (args->birth_date);
    resident.phone = (char *) s_or_empty (args->phone);
    resident.district = (char *) s_or_empty (args->district);
    resident.bsn = (char *) s_or_empty (args->bsn);
    Caseflow__V1__Intake__Register body = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    body.channel = args->channel;
    body.location = (char *) s_or_empty (args->location);
    body.resident = args->no_resident ? NULL : &resident;
    Caseflow__V1__Domain domains [8];
    memcpy (domains, args->domains, sizeof domains);
    body.domains = domains;
    body.n_domains = args->n_domains;
    body.question = (char *) s_or_empty (args->question);
    body.referred_by = (char *) s_or_empty (args->referred_by);
    body.urgency = args->urgency;
    body.reason = (char *) s_or_empty (args->reason);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    command.register_ = &body;
    Caseflow__V1__Status__Code code = harness_command (self, &command);
    if (code == CASEFLOW__V1__STATUS__CODE__OK && case_id) {
        const Caseflow__V1__Intake__CommandResult *result = harness_result (self);
        assert_int_equal (result->body_case, CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_REGISTERED);
        snprintf (case_id, 24, "%s", result->registered->case_id);
    }
    return code;
}

void
harness_new_case (harness_t *self, const char *name, Caseflow__V1__Urgency urgency,
                  char case_id [24])
{
    harness_reg_t args = {
        .channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE,
        .name = name,
        .birth_date = "1980-05-17",
        .domains = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT },
        .n_domains = 1,
        .urgency = urgency,
        .reason = urgency ? "triaged on the phone" : "",
    };
    assert_int_equal (harness_register (self, &args, case_id), CASEFLOW__V1__STATUS__CODE__OK);
}

Caseflow__V1__Status__Code
harness_triage (harness_t *self, const char *case_id, Caseflow__V1__Urgency urgency,
                const char *reason)
{
    Caseflow__V1__Intake__Triage body = CASEFLOW__V1__INTAKE__TRIAGE__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.urgency = urgency;
    body.reason = (char *) s_or_empty (reason);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE;
    command.triage = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_callback (harness_t *self, const char *case_id,
                  Caseflow__V1__Intake__CallbackOutcome outcome, const char *note)
{
    Caseflow__V1__Intake__RecordCallback body = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.outcome = outcome;
    body.note = (char *) s_or_empty (note);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    command.record_callback = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_create_track (harness_t *self, const char *track_id, const char *name, const char *location,
                      uint32_t capacity, const char *starts_on)
{
    Caseflow__V1__Intake__CreateTrack body = CASEFLOW__V1__INTAKE__CREATE_TRACK__INIT;
    body.track_id = (char *) s_or_empty (track_id);
    body.name = (char *) s_or_empty (name);
    body.location = (char *) s_or_empty (location);
    body.capacity = capacity;
    body.starts_on = (char *) s_or_empty (starts_on);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK;
    command.create_track = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_join_track (harness_t *self, const char *case_id, const char *track_id)
{
    Caseflow__V1__Intake__JoinTrack body = CASEFLOW__V1__INTAKE__JOIN_TRACK__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.track_id = (char *) s_or_empty (track_id);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK;
    command.join_track = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_advise (harness_t *self, const char *case_id, const char *note)
{
    Caseflow__V1__Intake__Advise body = CASEFLOW__V1__INTAKE__ADVISE__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.note = (char *) s_or_empty (note);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE;
    command.advise = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_withdraw (harness_t *self, const char *case_id, const char *reason)
{
    Caseflow__V1__Intake__Withdraw body = CASEFLOW__V1__INTAKE__WITHDRAW__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.reason = (char *) s_or_empty (reason);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_WITHDRAW;
    command.withdraw = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_close (harness_t *self, const char *case_id, const char *reason)
{
    Caseflow__V1__Intake__Close body = CASEFLOW__V1__INTAKE__CLOSE__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.reason = (char *) s_or_empty (reason);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE;
    command.close = &body;
    return harness_command (self, &command);
}

Caseflow__V1__Status__Code
harness_erase (harness_t *self, const char *case_id, const char *handover_id, const char *subject,
               const char *reason)
{
    Caseflow__V1__Intake__Erase body = CASEFLOW__V1__INTAKE__ERASE__INIT;
    body.case_id = (char *) s_or_empty (case_id);
    body.handover_id = (char *) s_or_empty (handover_id);
    body.subject = (char *) s_or_empty (subject);
    body.reason = (char *) s_or_empty (reason);
    Caseflow__V1__Intake__Command command = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE;
    command.erase = &body;
    return harness_command (self, &command);
}

Caseflow__V1__CaseStatus
harness_status (harness_t *self, const char *case_id)
{
    const intake_case_t *kase = intake_state_case (self->state, case_id);
    assert_non_null (kase);
    return kase->status;
}

//  ------------------------------------------------------ upstream helpers

void
harness_handover (harness_t *self, uint64_t seq, const char *handover_id,
                  Caseflow__V1__Handover__NextStep next_step, const char *name, const char *bsn,
                  Caseflow__V1__Urgency urgency, const char *preferred_worker)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) s_or_empty (name);
    resident.birth_date = "1975-02-03";
    resident.bsn = (char *) s_or_empty (bsn);
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH };
    Caseflow__V1__Handover__HandoverCompleted body =
        CASEFLOW__V1__HANDOVER__HANDOVER_COMPLETED__INIT;
    body.handover_id = (char *) s_or_empty (handover_id);
    body.provider_id = "P01";
    body.next_step = next_step;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 2;
    body.support = "family support twice a week";
    body.preferred_worker = (char *) s_or_empty (preferred_worker);
    body.urgency = urgency;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_HANDOVER_COMPLETED;
    event.handover_completed = &body;
    harness_upstream (self, "handover", seq, &event);
}

void
harness_assigned (harness_t *self, uint64_t seq, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseAssigned body = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    body.rule = CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_BEST_MATCH;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
    event.case_assigned = &body;
    harness_upstream (self, "assignment", seq, &event);
}

void
harness_started (harness_t *self, uint64_t seq, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseStarted body = CASEFLOW__V1__ASSIGNMENT__CASE_STARTED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_STARTED;
    event.case_started = &body;
    harness_upstream (self, "assignment", seq, &event);
}

void
harness_unassigned (harness_t *self, uint64_t seq, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseUnassigned body = CASEFLOW__V1__ASSIGNMENT__CASE_UNASSIGNED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    body.reason = "worker absent";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED;
    event.case_unassigned = &body;
    harness_upstream (self, "assignment", seq, &event);
}

void
harness_completed (harness_t *self, uint64_t seq, const char *case_id, const char *worker)
{
    Caseflow__V1__Assignment__CaseCompleted body = CASEFLOW__V1__ASSIGNMENT__CASE_COMPLETED__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker;
    body.outcome = "help completed";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) case_id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_COMPLETED;
    event.case_completed = &body;
    harness_upstream (self, "assignment", seq, &event);
}

void
harness_location (harness_t *self, uint64_t seq, const char *location_id,
                  const char *const *districts, size_t count)
{
    Caseflow__V1__Assignment__LocationAdded body = CASEFLOW__V1__ASSIGNMENT__LOCATION_ADDED__INIT;
    body.location_id = (char *) location_id;
    body.name = (char *) location_id;
    body.districts = (char **) districts;
    body.n_districts = count;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_LOCATION_ADDED;
    event.location_added = &body;
    harness_upstream (self, "assignment", seq, &event);
}
