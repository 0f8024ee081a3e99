//  assignment_harness: drives the assignment logic without the runtime
//  (see the header).
#include "assignment_harness.h"

#include "cf_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ah_t *
ah_new (const assignment_config_t *config)
{
    assignment_config_t defaults = {
        .caseload_per_fte = ASSIGNMENT_DEFAULT_CASELOAD_PER_FTE,
        .continuity_margin = ASSIGNMENT_DEFAULT_CONTINUITY_MARGIN,
        .long_absence = ASSIGNMENT_DEFAULT_LONG_ABSENCE_DAYS * INT64_C (86400000000),
    };
    ah_t *self = calloc (1, sizeof *self);
    assert_non_null (self);
    self->state = assignment_state_new (config ? config : &defaults);
    self->now = AH_START;
    return self;
}

void
ah_destroy (ah_t **self_p)
{
    ah_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->n_journal; i++)
        caseflow__v1__event__free_unpacked (self->journal [i], NULL);
    free (self->journal);
    assignment_state_destroy (&self->state);
    free (self);
    *self_p = NULL;
}

//  Keeps a decoded copy of `event` (packed and unpacked: the copy owns
//  everything, as an event read back from a journal does).
static void
s_record (ah_t *self, const Caseflow__V1__Event *event)
{
    if (self->quiet)
        return;
    size_t size = caseflow__v1__event__get_packed_size (event);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (event, data);
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    free (data);
    assert_non_null (copy);
    if (self->n_journal == self->cap_journal) {
        self->cap_journal = self->cap_journal ? self->cap_journal * 2 : 256;
        self->journal = realloc (self->journal, self->cap_journal * sizeof *self->journal);
        assert_non_null (self->journal);
    }
    self->journal [self->n_journal++] = copy;
}

int
ah_emit (void *ctx, Caseflow__V1__Event *event)
{
    ah_t *self = ctx;
    char *saved_stream = event->stream;
    event->stream = ASSIGNMENT_STREAM;
    event->seq = ++self->own_seq;
    if (!event->occurred_at)
        event->occurred_at = self->now;
    event->id = "harness";
    //  Recorded (packed) before it is applied, as the runtime journals it:
    //  the body may borrow what apply replaces.
    s_record (self, event);
    assert_int_equal (assignment_state_apply (self->state, event), 0);
    event->stream = saved_stream;
    event->id = (char *) protobuf_c_empty_string;
    event->seq = 0;
    event->occurred_at = 0;
    return 0;
}

//  The decider a decision gets: the harness clock, `reply` (NULL when
//  reacting), and ah_emit where the runtime has cf_service_emit.
static void
s_decider (ah_t *self, cf_decider_t *decider, Caseflow__V1__Reply *reply)
{
    cf_decider_init (decider, self->now, reply, ah_emit, self);
}

//  Applies an intake event and lets the service react.
static void
s_upstream (ah_t *self, Caseflow__V1__Event *event, const char *case_id)
{
    self->step = self->n_journal;
    event->id = "intake-event";
    event->stream = ASSIGNMENT_UPSTREAM;
    event->seq = ++self->intake_seq;
    event->occurred_at = self->now;
    event->case_id = (char *) case_id;
    assignment_state_apply (self->state, event);
    s_record (self, event);
    cf_decider_t decider;
    s_decider (self, &decider, NULL);
    assignment_react (self->state, &decider, event);
    assert_int_equal (decider.rc, 0);
}

static Caseflow__V1__Domain *
s_domains (uint32_t mask, size_t *count_p)
{
    static Caseflow__V1__Domain domains [8];
    size_t count = 0;
    for (int domain = 1; domain <= 7; domain++)
        if (mask & (1u << domain))
            domains [count++] = (Caseflow__V1__Domain) domain;
    *count_p = count;
    return domains;
}

static char **
s_split (const char *csv, size_t *count_p)
{
    size_t count = 0;
    char **items = calloc (33, sizeof *items);
    assert_non_null (items);
    if (csv && *csv) {
        char *copy = strdup (csv);
        char *save = NULL;
        for (char *item = strtok_r (copy, ",", &save); item && count < 32;
             item = strtok_r (NULL, ",", &save))
            items [count++] = strdup (item);
        free (copy);
    }
    *count_p = count;
    return items;
}

static void
s_split_free (char **items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free (items [i]);
    free (items);
}

void
ah_register (ah_t *self, const char *case_id, uint32_t domains, const char *location,
             const char *areas_csv, const char *preferred_worker)
{
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) case_id;
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.location = (char *) (location ? location : "");
    body.areas = s_split (areas_csv, &body.n_areas);
    body.domains = s_domains (domains, &body.n_domains);
    body.preferred_worker = (char *) (preferred_worker ? preferred_worker : "");
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    s_upstream (self, &event, case_id);
    s_split_free (body.areas, body.n_areas);
}

void
ah_triage (ah_t *self, const char *case_id, Caseflow__V1__Urgency urgency)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) case_id;
    body.urgency = urgency;
    body.reason = "triaged in a test";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    s_upstream (self, &event, case_id);
}

void
ah_question (ah_t *self, const char *case_id, uint32_t domains)
{
    Caseflow__V1__Intake__QuestionAdded body = CASEFLOW__V1__INTAKE__QUESTION_ADDED__INIT;
    body.case_id = (char *) case_id;
    body.domains = s_domains (domains, &body.n_domains);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_QUESTION_ADDED;
    event.question_added = &body;
    s_upstream (self, &event, case_id);
}

void
ah_close (ah_t *self, const char *case_id)
{
    Caseflow__V1__Intake__CaseClosed body = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    body.case_id = (char *) case_id;
    body.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN;
    body.reason = "withdrawn in a test";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &body;
    s_upstream (self, &event, case_id);
}

void
ah_case (ah_t *self, const char *case_id, uint32_t domains, const char *location,
         Caseflow__V1__Urgency urgency)
{
    ah_register (self, case_id, domains, location, NULL, NULL);
    ah_triage (self, case_id, urgency);
}

//  ------------------------------------------------------------- commands

int
ah_command (ah_t *self, const Caseflow__V1__Assignment__Command *command)
{
    self->step = self->n_journal;
    size_t before = self->n_journal;
    uint64_t seq_before = self->own_seq;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "harness");
    cf_decider_t decider;
    s_decider (self, &decider, &reply);
    assignment_decide (self->state, &decider, command);
    assert_int_equal (decider.rc, 0);
    self->code = (int) cf_api_reply_code (&reply);
    self->field [0] = self->message [0] = 0;
    if (reply.status) {
        snprintf (self->field, sizeof self->field, "%s", reply.status->field);
        snprintf (self->message, sizeof self->message, "%s", reply.status->message);
    }
    if (self->code != 0) {
        //  The runtime's rule: a refused command emitted nothing.
        assert_int_equal (self->n_journal, before);
        assert_int_equal (self->own_seq, seq_before);
    } else {
        //  A successful command answers with a result.
        assert_non_null (reply.command);
        assert_int_equal (reply.command->body_case, CASEFLOW__V1__COMMAND_RESULT__BODY_ASSIGNMENT);
    }
    cf_api_reply_clear (&reply);
    return self->code;
}

int
ah_add_location (ah_t *self, const char *id, const char *districts_csv)
{
    Caseflow__V1__Assignment__AddLocation body = CASEFLOW__V1__ASSIGNMENT__ADD_LOCATION__INIT;
    body.location_id = (char *) id;
    body.name = "Location";
    body.districts = s_split (districts_csv, &body.n_districts);
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_LOCATION;
    command.add_location = &body;
    int code = ah_command (self, &command);
    s_split_free (body.districts, body.n_districts);
    return code;
}

int
ah_add_worker (ah_t *self, const char *id, uint32_t fte_milli, const char *locations_csv,
               uint32_t expertise, uint32_t max_caseload)
{
    Caseflow__V1__Assignment__AddWorker body = CASEFLOW__V1__ASSIGNMENT__ADD_WORKER__INIT;
    body.worker_id = (char *) id;
    body.name = "A. Worker";
    body.fte_milli = fte_milli;
    body.locations = s_split (locations_csv, &body.n_locations);
    body.expertise = s_domains (expertise, &body.n_expertise);
    body.max_caseload = max_caseload;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ADD_WORKER;
    command.add_worker = &body;
    int code = ah_command (self, &command);
    s_split_free (body.locations, body.n_locations);
    return code;
}

int
ah_change_worker (ah_t *self, const char *id, uint32_t fte_milli, uint32_t max_caseload)
{
    Caseflow__V1__Assignment__ChangeWorker body = CASEFLOW__V1__ASSIGNMENT__CHANGE_WORKER__INIT;
    body.worker_id = (char *) id;
    body.fte_milli = fte_milli;
    body.max_caseload = max_caseload;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_CHANGE_WORKER;
    command.change_worker = &body;
    return ah_command (self, &command);
}

int
ah_absent (ah_t *self, const char *id, int64_t from, int64_t until)
{
    Caseflow__V1__Assignment__MarkAbsent body = CASEFLOW__V1__ASSIGNMENT__MARK_ABSENT__INIT;
    body.worker_id = (char *) id;
    body.from = from;
    body.until = until;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_ABSENT;
    command.mark_absent = &body;
    return ah_command (self, &command);
}

int
ah_returned (ah_t *self, const char *id)
{
    Caseflow__V1__Assignment__MarkReturned body = CASEFLOW__V1__ASSIGNMENT__MARK_RETURNED__INIT;
    body.worker_id = (char *) id;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_RETURNED;
    command.mark_returned = &body;
    return ah_command (self, &command);
}

int
ah_left (ah_t *self, const char *id)
{
    Caseflow__V1__Assignment__MarkLeft body = CASEFLOW__V1__ASSIGNMENT__MARK_LEFT__INIT;
    body.worker_id = (char *) id;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_MARK_LEFT;
    command.mark_left = &body;
    return ah_command (self, &command);
}

int
ah_assign (ah_t *self, const char *case_id, const char *worker_id, const char *reason)
{
    Caseflow__V1__Assignment__Assign body = CASEFLOW__V1__ASSIGNMENT__ASSIGN__INIT;
    body.case_id = (char *) case_id;
    body.worker_id = (char *) worker_id;
    body.reason = (char *) (reason ? reason : "");
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_ASSIGN;
    command.assign = &body;
    return ah_command (self, &command);
}

int
ah_start (ah_t *self, const char *case_id)
{
    Caseflow__V1__Assignment__Start body = CASEFLOW__V1__ASSIGNMENT__START__INIT;
    body.case_id = (char *) case_id;
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_START;
    command.start = &body;
    return ah_command (self, &command);
}

int
ah_complete (ah_t *self, const char *case_id, const char *outcome)
{
    Caseflow__V1__Assignment__Complete body = CASEFLOW__V1__ASSIGNMENT__COMPLETE__INIT;
    body.case_id = (char *) case_id;
    body.outcome = (char *) (outcome ? outcome : "");
    Caseflow__V1__Assignment__Command command = CASEFLOW__V1__ASSIGNMENT__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__ASSIGNMENT__COMMAND__BODY_COMPLETE;
    command.complete = &body;
    return ah_command (self, &command);
}

void
ah_clock (ah_t *self, int64_t at)
{
    assert_true (at >= self->now);
    self->now = at;
    self->step = self->n_journal;
    cf_decider_t decider;
    s_decider (self, &decider, NULL);
    assignment_on_clock (self->state, &decider);
    assert_int_equal (decider.rc, 0);
}

//  ---------------------------------------------------------- inspection

assignment_case_t *
ah_case_get (ah_t *self, const char *case_id)
{
    assignment_case_t *kase = assignment_state_case (self->state, case_id);
    assert_non_null (kase);
    return kase;
}

const char *
ah_worker_of (ah_t *self, const char *case_id)
{
    assignment_case_t *kase = assignment_state_case (self->state, case_id);
    return kase && assignment_case_has_worker (kase) ? kase->worker->id : NULL;
}

size_t
ah_step_count (ah_t *self)
{
    size_t count = 0;
    for (size_t i = self->step; i < self->n_journal; i++)
        if (strcmp (self->journal [i]->stream, ASSIGNMENT_STREAM) == 0)
            count++;
    return count;
}

const Caseflow__V1__Event *
ah_step_event (ah_t *self, Caseflow__V1__Event__BodyCase body, size_t nth)
{
    for (size_t i = self->step; i < self->n_journal; i++)
        if (strcmp (self->journal [i]->stream, ASSIGNMENT_STREAM) == 0
            && self->journal [i]->body_case == body && nth-- == 0)
            return self->journal [i];
    return NULL;
}

const Caseflow__V1__Assignment__CaseAssigned *
ah_last_assigned (ah_t *self, const char *case_id)
{
    for (size_t i = self->n_journal; i-- > 0;)
        if (self->journal [i]->body_case == CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED
            && strcmp (self->journal [i]->case_assigned->case_id, case_id) == 0)
            return self->journal [i]->case_assigned;
    return NULL;
}

uint32_t
ah_position (ah_t *self, const char *case_id)
{
    long index = assignment_waiting_index (&self->state->waiting, ah_case_get (self, case_id));
    return index >= 0 ? (uint32_t) index + 1 : 0;
}

static void
s_digest (assignment_state_t *state, unsigned char sum [crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    assignment_state_digest (state, &hash);
    crypto_hash_sha256_final (&hash, sum);
}

void
ah_assert_replay_equal (ah_t *self)
{
    assignment_state_t *replayed = assignment_state_new (&self->state->config);
    for (size_t i = 0; i < self->n_journal; i++)
        assignment_state_apply (replayed, self->journal [i]);
    unsigned char live [crypto_hash_sha256_BYTES], again [crypto_hash_sha256_BYTES];
    s_digest (self->state, live);
    s_digest (replayed, again);
    assert_memory_equal (live, again, sizeof live);
    assignment_state_destroy (&replayed);
}

//  ------------------------------------------------------------ fixtures

int
ah_setup (void **state)
{
    *state = ah_new (NULL);
    return 0;
}

int
ah_teardown (void **state)
{
    ah_t *self = *state;
    ah_assert_replay_equal (self);
    ah_destroy (&self);
    return 0;
}

void
ah_locations (ah_t *self)
{
    assert_int_equal (ah_add_location (self, "L1", "North,East"), 0);
    assert_int_equal (ah_add_location (self, "L2", "South"), 0);
}

const Caseflow__V1__Assignment__CaseAssigned *
ah_step_assigned (ah_t *self, size_t nth)
{
    const Caseflow__V1__Event *event =
        ah_step_event (self, CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED, nth);
    return event ? event->case_assigned : NULL;
}
