//  handover_testkit: a small harness for the handover unit tests.
//
//  It stands in for the runtime: its emitter, handed to the decisions in a
//  cf_decider_t as cf_service_emit is in the service, stamps each event
//  (stream, seq, id), keeps an encoded copy (the "journal"), and applies a
//  decoded copy to the state, so apply is tested on what it would read
//  back from the journal. kit_run sends one handover command through
//  handover_decide and asserts the runtime's rule that a refused command
//  emitted nothing. The state's transit keys live in a key store in a
//  fresh temporary directory, as the service's do in its key store;
//  kit_view opens a handover's personal data through it, kit_erase plays
//  intake's ResidentErased as the runtime delivers it.
//  Header-only (static functions): each test program includes it once.
#ifndef HANDOVER_TESTKIT_H
#define HANDOVER_TESTKIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_test.h"
#include "cf_time.h"
#include "handover_decide.h"
#include "handover_keys.h"
#include "handover_query.h"
#include "handover_react.h"
#include "handover_state.h"
#include "handover_transit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIT_MAX_EVENTS 4096

typedef struct {
    handover_state_t *state;
    handover_config_t config;
    char *keydir;                 //  the key store's directory (temporary)
    cf_keystore_t *keystore;      //  the transit keys
    handover_transit_t *transit;  //  the state's, over keystore
    int64_t now;
    uint8_t *journal [KIT_MAX_EVENTS];  //  encoded events, seq N at [N - 1]
    size_t journal_size [KIT_MAX_EVENTS];
    size_t count;
    int fail_at;          //  emit number (1-based) that fails; 0 never
    uint64_t intake_seq;  //  intake's seq of the last ResidentErased kit_erase delivered
    //  The last reply: its code, field, message and handover result.
    Caseflow__V1__Status__Code code;
    char field [256];
    char message [512];
    char handover_id [HANDOVER_ID_SIZE];
    handover_status_t status;
    size_t caseload_count;
    char caseload [16][HANDOVER_ID_SIZE];
} kit_t;

static inline int64_t
kit_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static inline void
kit_init (kit_t *kit)
{
    memset (kit, 0, sizeof *kit);
    cf_time_init ();
    cf_log_init ("handover-test", CF_LOG_WARN);
    kit->config.default_deadline = kit_time ("2022-07-01T00:00:00+02:00");
    kit->config.at_risk_window = 14 * CF_USEC_PER_DAY;
    kit->config.forecast_window = 28 * CF_USEC_PER_DAY;
    kit->state = handover_state_new (&kit->config);
    char *dir = cf_test_tmpdir ("handover-keys");
    size_t size = strlen (dir) + 8;
    kit->keydir = malloc (size);
    assert_non_null (kit->keydir);
    snprintf (kit->keydir, size, "%s/keys", dir);
    free (dir);
    assert_int_equal (cf_keystore_open (kit->keydir, "handover", 0, &kit->keystore), 0);
    kit->transit = handover_transit_new (kit->keystore);
    handover_state_set_transit (kit->state, kit->transit);
    kit->now = kit_time ("2022-03-01T09:00");
}

static inline void
kit_destroy (kit_t *kit)
{
    handover_state_destroy (&kit->state);
    handover_transit_destroy (&kit->transit);
    cf_keystore_destroy (&kit->keystore);
    //  The directory the key store was made in.
    char *slash = strrchr (kit->keydir, '/');
    *slash = 0;
    cf_test_rmtree (kit->keydir);
    free (kit->keydir);
    for (size_t i = 0; i < kit->count; i++)
        free (kit->journal [i]);
}

static inline int
kit_emit (void *ctx, Caseflow__V1__Event *event)
{
    kit_t *kit = ctx;
    if (kit->fail_at && (int) kit->count + 1 == kit->fail_at)
        return -4;
    assert_true (kit->count < KIT_MAX_EVENTS);
    //  As the runtime before each batch: the keys an event is sealed under
    //  are durable before it.
    assert_int_equal (cf_keystore_commit (kit->keystore), 0);
    char id [32];
    snprintf (id, sizeof id, "01TEST%020zu", kit->count + 1);
    Caseflow__V1__Event stamped = *event;
    stamped.id = id;
    stamped.stream = "handover";
    stamped.seq = kit->count + 1;
    stamped.schema_version = 1;
    if (!stamped.occurred_at)
        stamped.occurred_at = kit->now;
    size_t size = caseflow__v1__event__get_packed_size (&stamped);
    uint8_t *data = malloc (size ? size : 1);
    assert_non_null (data);
    caseflow__v1__event__pack (&stamped, data);
    kit->journal [kit->count] = data;
    kit->journal_size [kit->count] = size;
    kit->count++;
    Caseflow__V1__Event *copy = caseflow__v1__event__unpack (NULL, size, data);
    assert_non_null (copy);
    assert_int_equal (handover_state_apply (kit->state, copy), 0);
    caseflow__v1__event__free_unpacked (copy, NULL);
    return 0;
}

//  The body of journal event `seq` (1-based), decoded (free with
//  caseflow__v1__event__free_unpacked).
static inline Caseflow__V1__Event *
kit_event (kit_t *kit, size_t seq)
{
    assert_true (seq >= 1 && seq <= kit->count);
    Caseflow__V1__Event *event =
        caseflow__v1__event__unpack (NULL, kit->journal_size [seq - 1], kit->journal [seq - 1]);
    assert_non_null (event);
    return event;
}

//  Runs one command; returns the status code and keeps the reply's gist.
static inline Caseflow__V1__Status__Code
kit_run (kit_t *kit, Caseflow__V1__Handover__Command *command)
{
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "test");
    size_t before = kit->count;
    cf_decider_t decider;
    cf_decider_init (&decider, kit->now, &reply, kit_emit, kit);
    handover_decide (kit->state, &decider, command);
    kit->code = cf_api_reply_code (&reply);
    kit->field [0] = kit->message [0] = kit->handover_id [0] = 0;
    kit->status = HANDOVER_NONE;
    kit->caseload_count = 0;
    if (reply.status) {
        snprintf (kit->field, sizeof kit->field, "%s", reply.status->field);
        snprintf (kit->message, sizeof kit->message, "%s", reply.status->message);
    }
    if (kit->code != CASEFLOW__V1__STATUS__CODE__OK) {
        //  Decide, then emit: a refusal leaves no events behind.
        assert_int_equal (kit->count, before);
        assert_int_equal (reply.result_case, CASEFLOW__V1__REPLY__RESULT__NOT_SET);
    } else if (!kit->fail_at) {
        assert_int_equal (reply.result_case, CASEFLOW__V1__REPLY__RESULT_COMMAND);
        Caseflow__V1__Handover__CommandResult *result = reply.command->handover;
        assert_non_null (result);
        if (result->body_case == CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_HANDOVER) {
            snprintf (kit->handover_id, sizeof kit->handover_id, "%s",
                      result->handover->handover_id);
            kit->status = result->handover->state;
        }
        if (result->body_case == CASEFLOW__V1__HANDOVER__COMMAND_RESULT__BODY_CASELOAD) {
            kit->caseload_count = result->caseload->n_handover_ids;
            for (size_t i = 0; i < result->caseload->n_handover_ids && i < 16; i++)
                snprintf (kit->caseload [i], HANDOVER_ID_SIZE, "%s",
                          result->caseload->handover_ids [i]);
        }
    }
    cf_api_reply_clear (&reply);
    return kit->code;
}

//  Asserts the last reply's code and, unless NULL, its field, and that
//  the message holds `fragment` (unless NULL).
static inline void
kit_expect (kit_t *kit, Caseflow__V1__Status__Code code, const char *field, const char *fragment)
{
    if (kit->code != code || (field && strcmp (kit->field, field) != 0)
        || (fragment && !strstr (kit->message, fragment)))
        fail_msg ("expected %s %s '%s', got %s %s '%s'", cf_api_code_name (code),
                  field ? field : "*", fragment ? fragment : "*", cf_api_code_name (kit->code),
                  kit->field, kit->message);
}

//  ---------------------------------------------------- command shortcuts

static inline Caseflow__V1__Status__Code
kit_add_provider (kit_t *kit, const char *id, const char *name)
{
    Caseflow__V1__Handover__AddProvider body = CASEFLOW__V1__HANDOVER__ADD_PROVIDER__INIT;
    body.provider_id = (char *) id;
    body.name = (char *) name;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ADD_PROVIDER;
    command.add_provider = &body;
    return kit_run (kit, &command);
}

//  Announces a resident `name` (with `bsn`, may be "") at provider with one
//  domain and deadline (0: default). The new id is in kit->handover_id.
static inline Caseflow__V1__Status__Code
kit_announce (kit_t *kit, const char *provider, const char *name, const char *bsn, int64_t deadline)
{
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = (char *) name;
    resident.bsn = (char *) bsn;
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_MENTAL_HEALTH };
    Caseflow__V1__Handover__Announce body = CASEFLOW__V1__HANDOVER__ANNOUNCE__INIT;
    body.provider_id = (char *) provider;
    body.resident = &resident;
    body.domains = domains;
    body.n_domains = 1;
    body.support = "ambulant support, 4 hours a week";
    body.preferred_worker = "w12";
    body.urgency = CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.deadline = deadline;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_ANNOUNCE;
    command.announce = &body;
    return kit_run (kit, &command);
}

static inline Caseflow__V1__Status__Code
kit_plan (kit_t *kit, const char *id, int64_t at)
{
    char *participants [] = { "provider:J. Jansen", "resident", "worker:w12" };
    Caseflow__V1__Handover__Plan body = CASEFLOW__V1__HANDOVER__PLAN__INIT;
    body.handover_id = (char *) id;
    body.at = at;
    body.location = "Centrum";
    body.participants = participants;
    body.n_participants = 3;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_PLAN;
    command.plan = &body;
    return kit_run (kit, &command);
}

static inline Caseflow__V1__Status__Code
kit_held (kit_t *kit, const char *id)
{
    Caseflow__V1__Handover__Held body = CASEFLOW__V1__HANDOVER__HELD__INIT;
    body.handover_id = (char *) id;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_HELD;
    command.held = &body;
    return kit_run (kit, &command);
}

static inline Caseflow__V1__Status__Code
kit_decide (kit_t *kit, const char *id, handover_next_step_t step)
{
    Caseflow__V1__Handover__Decide body = CASEFLOW__V1__HANDOVER__DECIDE__INIT;
    body.handover_id = (char *) id;
    body.next_step = step;
    body.note = "agreed in the meeting";
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_DECIDE;
    command.decide = &body;
    return kit_run (kit, &command);
}

//  Records one document titled `title`, or a waiver when title is NULL.
static inline Caseflow__V1__Status__Code
kit_files (kit_t *kit, const char *id, const char *title)
{
    Caseflow__V1__Handover__Document document = CASEFLOW__V1__HANDOVER__DOCUMENT__INIT;
    document.title = (char *) title;
    document.type = "plan";
    Caseflow__V1__Handover__Document *documents [] = { &document };
    Caseflow__V1__Handover__RecordFiles body = CASEFLOW__V1__HANDOVER__RECORD_FILES__INIT;
    body.handover_id = (char *) id;
    if (title) {
        body.documents = documents;
        body.n_documents = 1;
    } else
        body.waive = true;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_RECORD_FILES;
    command.record_files = &body;
    return kit_run (kit, &command);
}

static inline Caseflow__V1__Status__Code
kit_complete (kit_t *kit, const char *id)
{
    Caseflow__V1__Handover__Complete body = CASEFLOW__V1__HANDOVER__COMPLETE__INIT;
    body.handover_id = (char *) id;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_COMPLETE;
    command.complete = &body;
    return kit_run (kit, &command);
}

static inline Caseflow__V1__Status__Code
kit_cancel (kit_t *kit, const char *id, const char *reason)
{
    Caseflow__V1__Handover__Cancel body = CASEFLOW__V1__HANDOVER__CANCEL__INIT;
    body.handover_id = (char *) id;
    body.reason = (char *) reason;
    Caseflow__V1__Handover__Command command = CASEFLOW__V1__HANDOVER__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__HANDOVER__COMMAND__BODY_CANCEL;
    command.cancel = &body;
    return kit_run (kit, &command);
}

//  Drives a fresh handover of `provider` to `target` (announced ...
//  completed or cancelled) at the kit's clock; returns its id in `id`.
static inline void
kit_drive (kit_t *kit, const char *provider, const char *name, handover_status_t target,
           char id [HANDOVER_ID_SIZE])
{
    assert_int_equal (kit_announce (kit, provider, name, "", 0), CASEFLOW__V1__STATUS__CODE__OK);
    snprintf (id, HANDOVER_ID_SIZE, "%s", kit->handover_id);
    if (target == HANDOVER_CANCELLED) {
        assert_int_equal (kit_cancel (kit, id, "moved away"), 0);
        return;
    }
    if (target == HANDOVER_ANNOUNCED)
        return;
    assert_int_equal (kit_plan (kit, id, kit->now + CF_USEC_PER_DAY), 0);
    if (target == HANDOVER_MEETING_PLANNED)
        return;
    assert_int_equal (kit_held (kit, id), 0);
    if (target == HANDOVER_MEETING_HELD)
        return;
    assert_int_equal (kit_decide (kit, id, HANDOVER_NEXT_CONTINUE), 0);
    if (target == HANDOVER_DECIDED)
        return;
    assert_int_equal (kit_files (kit, id, "care plan 2021"), 0);
    assert_int_equal (kit_complete (kit, id), 0);
}

//  The hex digest of the kit's state.
static inline void
kit_digest (handover_state_t *state, char hex [65])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    handover_state_digest (state, &hash);
    unsigned char sum [crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final (&hash, sum);
    sodium_bin2hex (hex, 65, sum, sizeof sum);
}

//  Replays the kit's journal into a fresh state (free with
//  handover_state_destroy), without transit keys: a replay needs none.
static inline handover_state_t *
kit_replay (kit_t *kit)
{
    handover_state_t *state = handover_state_new (&kit->config);
    for (size_t i = 0; i < kit->count; i++) {
        Caseflow__V1__Event *event = kit_event (kit, i + 1);
        assert_int_equal (handover_state_apply (state, event), 0);
        caseflow__v1__event__free_unpacked (event, NULL);
    }
    return state;
}

//  The view of handover `id` as a query shows it, personal data opened
//  (free with caseflow__v1__handover__handover_view__free_unpacked).
static inline Caseflow__V1__Handover__HandoverView *
kit_view (kit_t *kit, const char *id)
{
    handover_t *handover = handover_state_find (kit->state, id);
    assert_non_null (handover);
    return handover_query_view (kit->state, handover, kit->now, true);
}

//  Opens `sealed` (for `field`) with the kit's transit keys (free with
//  caseflow__v1__personal__free_unpacked).
static inline Caseflow__V1__Personal *
kit_open (kit_t *kit, const Caseflow__V1__Sealed *sealed, const char *field)
{
    assert_non_null (sealed);
    uint8_t key [CF_SEAL_KEY_BYTES];
    assert_int_equal (handover_transit_key (kit->transit, sealed->key_id, key), 0);
    Caseflow__V1__Personal *personal = NULL;
    assert_int_equal (cf_seal_open (key, sealed, field, &personal), 0);
    return personal;
}

//  True when `text` occurs in the bytes of any journaled event.
static inline bool
kit_journal_has (kit_t *kit, const char *text)
{
    for (size_t i = 0; i < kit->count; i++)
        if (memmem (kit->journal [i], kit->journal_size [i], text, strlen (text)))
            return true;
    return false;
}

//  Delivers intake's ResidentErased of `subject` naming `key_ids` as the
//  runtime does (applied, then reacted to), as intake's next seq
//  (kit->intake_seq); returns apply's answer. The keys go at
//  kit_after_commit.
static inline int
kit_erase (kit_t *kit, const char *subject, const char *const *key_ids, size_t count)
{
    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = (char *) subject;
    body.key_ids = (char **) key_ids;
    body.n_key_ids = count;
    body.basis = CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_REQUEST;
    body.reason = "request 2022-17";
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01INTAKEERASURE";
    event.stream = "intake";
    event.seq = ++kit->intake_seq;
    event.occurred_at = kit->now;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    int rc = handover_state_apply (kit->state, &event);
    handover_react (kit->state, &event);
    return rc;
}

//  What the runtime does after a commit that holds every event delivered
//  so far: the queued erasures carried out.
static inline void
kit_after_commit (kit_t *kit)
{
    assert_int_equal (handover_keys_erase_queued (kit->state, kit->intake_seq), 0);
}

#endif
