//  test_claims_load: callers sharing the due callbacks while the service
//  crashes (issue 18: "8 callers claiming 1,000 due reminders at once,
//  notification SIGKILLed twice meanwhile").
//
//  1,000 waiting cases of a fake intake fall due at once on the real
//  caseflow-notification (manual clock). 8 caller threads, each its own
//  api client, loop: claim (a Lazy Pirate call: no answer within a second
//  is resent with the same request id, so a claim the service committed
//  before it died is answered from the stored reply); record the call at
//  intake (CallbackRecorded naming the reminder, which completes the
//  claim); claim the next. Meanwhile the main thread kills the service
//  with SIGKILL twice, at a third and at two thirds of the recordings, and
//  restarts it each time.
//
//  Then, from the service's own stream (replay from seq 1): every reminder
//  was claimed and completed exactly once and acknowledged once; at no
//  moment did two callers hold one reminder, or one caller two; and the
//  callers never recorded a reminder twice (no caller was handed one that
//  another held or had completed). The digest of the live state equals the
//  digest after a clean restart (a replay).
//
//  CF_CLAIMS_REMINDERS, CF_CLAIMS_CALLERS and CF_CLAIMS_KILLS make the
//  longer variant (e.g. 20,000 reminders, 16 callers, 6 kills).
#include "test_notification_kit.h"

#include <stdatomic.h>

#define S_MAX_CALLERS 64
#define S_MAX_KILLS   32

typedef struct {
    nk_fake_t *fake;
    nk_service_t service;
    size_t total;
    size_t callers;
    int64_t call_at;              //  when the calls are recorded (after the due time)
    pthread_mutex_t append_lock;  //  the fake's actor pipe is one socket: one thread at a time
    uint8_t *recorded_times;      //  per case index, under append_lock
    atomic_size_t recorded;       //  recordings made
    atomic_size_t failures;       //  what a caller thread saw go wrong
    char failure [256];           //  the first of them, under append_lock
} s_load_t;

typedef struct {
    s_load_t *load;
    int index;
    char name [32];
    size_t claims, empty, retries;
    pthread_t thread;
} s_caller_t;

static size_t
s_env (const char *name, size_t fallback, size_t max)
{
    const char *text = getenv (name);
    long long value = text ? atoll (text) : 0;
    return value > 0 && (size_t) value <= max ? (size_t) value : fallback;
}

static void
s_fail (s_load_t *load, const char *what, const char *detail)
{
    pthread_mutex_lock (&load->append_lock);
    if (atomic_fetch_add (&load->failures, 1) == 0)
        snprintf (load->failure, sizeof load->failure, "%s: %s", what, detail);
    pthread_mutex_unlock (&load->append_lock);
}

//  The case index of "callback/C000123/1", or SIZE_MAX.
static size_t
s_case_index (const char *reminder_id)
{
    unsigned index = 0;
    if (sscanf (reminder_id, "callback/C%u/1", &index) != 1)
        return SIZE_MAX;
    return index;
}

//  One claim, retried with the same request id until the service answers
//  (it may be down while being restarted). Fills `reminder` ("" none).
//  Returns false when the answer was not OK.
static bool
s_claim (s_caller_t *self, cf_api_client_t *client, char reminder [201])
{
    char request_id [64];
    snprintf (request_id, sizeof request_id, "%s-%zu", self->name, self->claims++);
    Caseflow__V1__Notification__Claim claim = CASEFLOW__V1__NOTIFICATION__CLAIM__INIT;
    claim.caller = self->name;
    Caseflow__V1__Notification__Command inner = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    inner.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_CLAIM;
    inner.claim = &claim;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
    command.notification = &inner;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = request_id;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    Caseflow__V1__Reply *reply = NULL;
    int64_t deadline = cf_test_now_ms () + NK_WAIT_MS;
    while (!(reply = cf_api_client_call (client, &request, NULL))) {
        self->retries++;
        if (cf_test_now_ms () > deadline) {
            s_fail (self->load, self->name, "no answer to a claim within 30 s");
            return false;
        }
    }
    bool ok = cf_api_reply_code (reply) == CASEFLOW__V1__STATUS__CODE__OK && reply->command
              && reply->command->notification && reply->command->notification->claim;
    reminder [0] = 0;
    if (ok && reply->command->notification->claim->reminder)
        snprintf (reminder, 201, "%s",
                  reply->command->notification->claim->reminder->reminder->reminder_id);
    else if (!ok)
        s_fail (self->load, self->name,
                reply->status && reply->status->message ? reply->status->message : "not OK");
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return ok;
}

//  The call is made and recorded at intake, naming the reminder.
static void
s_record (s_load_t *load, size_t index, const char *reminder_id)
{
    char case_id [32];
    snprintf (case_id, sizeof case_id, "C%06zu", index);
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = case_id;
    body.outcome = CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED;
    body.reminder_id = (char *) reminder_id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    pthread_mutex_lock (&load->append_lock);
    load->recorded_times [index]++;
    nk_append (load->fake, NK_INTAKE, &event, case_id, load->call_at);
    pthread_mutex_unlock (&load->append_lock);
    atomic_fetch_add (&load->recorded, 1);
}

static void *
s_caller (void *arg)
{
    s_caller_t *self = arg;
    s_load_t *load = self->load;
    cf_api_client_t *client = cf_api_client_new (load->service.proc.api, 1000, 0);
    char last [201] = "", reminder [201];
    while (atomic_load (&load->recorded) < load->total && !atomic_load (&load->failures)) {
        if (!s_claim (self, client, reminder))
            break;
        //  Nothing free right now (the rest are held), or the call just
        //  recorded is not yet applied (the claim handed back is still
        //  ours): look again shortly.
        if (!*reminder || strcmp (reminder, last) == 0) {
            self->empty++;
            cf_test_sleep_ms (5);
            continue;
        }
        size_t index = s_case_index (reminder);
        if (index == SIZE_MAX || index >= load->total) {
            s_fail (load, self->name, reminder);
            break;
        }
        s_record (load, index, reminder);
        snprintf (last, sizeof last, "%s", reminder);
    }
    cf_api_client_destroy (&client);
    return NULL;
}

//  Walks the whole stream: who held what at every moment, and what was
//  completed. Fails the test on a reminder held by two, a caller holding
//  two, or a reminder not claimed, completed and acknowledged exactly once.
static void
s_check_stream (s_load_t *load)
{
    size_t total = load->total;
    char (*holder) [32] = calloc (total, sizeof *holder);
    uint32_t *claimed = calloc (total, sizeof *claimed),
             *completed = calloc (total, sizeof *completed),
             *acknowledged = calloc (total, sizeof *acknowledged);
    assert_true (holder && claimed && completed && acknowledged);
    zhashx_t *holding = zhashx_new ();  //  caller -> their entry of `holder`
    size_t releases = 0, expiries = 0;
    uint64_t from = 1;
    while (true) {
        cf_testreq_t req;
        cf_testreq_replay (&req, "notification", from, 1000, 0);
        Caseflow__V1__Reply *reply = cf_testclient_call (load->service.client, &req);
        cf_testclient_assert_status (reply, CASEFLOW__V1__STATUS__CODE__OK, NULL);
        const Caseflow__V1__ReplayBatch *batch = reply->replay;
        for (size_t i = 0; i < batch->n_events; i++, from++) {
            const Caseflow__V1__Event *event = batch->events [i];
            assert_int_equal (event->seq, from);
            const char *id = NULL, *caller = NULL;
            switch (event->body_case) {
                case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED:
                    id = event->reminder_claimed->reminder_id;
                    caller = event->reminder_claimed->caller;
                    break;
                case CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED:
                    id = event->reminder_released->reminder_id;
                    releases++;
                    break;
                case CASEFLOW__V1__EVENT__BODY_REMINDER_LEASE_EXPIRED:
                    id = event->reminder_lease_expired->reminder_id;
                    expiries++;
                    break;
                case CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED:
                    id = event->reminder_claim_completed->reminder_id;
                    break;
                case CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED:
                    id = event->reminder_acknowledged->reminder_id;
                    break;
                default: continue;
            }
            size_t index = s_case_index (id);
            if (index >= total)
                fail_msg ("seq %" PRIu64 ": an event about %s", event->seq, id);
            if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_ACKNOWLEDGED) {
                acknowledged [index]++;
                continue;
            }
            if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED) {
                if (*holder [index])
                    fail_msg ("seq %" PRIu64 ": %s claimed by %s while %s held it", event->seq, id,
                              caller, holder [index]);
                if (zhashx_lookup (holding, caller))
                    fail_msg ("seq %" PRIu64 ": %s claimed %s while holding another", event->seq,
                              caller, id);
                snprintf (holder [index], sizeof holder [index], "%s", caller);
                zhashx_insert (holding, caller, holder [index]);
                claimed [index]++;
                continue;
            }
            if (!*holder [index])
                fail_msg ("seq %" PRIu64 ": %s let go of by nobody", event->seq, id);
            zhashx_delete (holding, holder [index]);
            holder [index][0] = 0;
            if (event->body_case == CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED)
                completed [index]++;
        }
        bool done = batch->n_events == 0 || from > batch->last_seq;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (done)
            break;
    }
    for (size_t i = 0; i < total; i++) {
        if (completed [i] != 1 || acknowledged [i] != 1 || load->recorded_times [i] != 1)
            fail_msg ("callback/C%06zu/1: claimed %u, completed %u, acknowledged %u, recorded %u "
                      "times",
                      i, claimed [i], completed [i], acknowledged [i], load->recorded_times [i]);
        //  No crash lost a claim: the one that was answered is the one
        //  completed (nothing released or expired meanwhile here).
        assert_int_equal (claimed [i], 1);
    }
    assert_int_equal (releases, 0);
    assert_int_equal (expiries, 0);
    assert_int_equal (zhashx_size (holding), 0);
    zhashx_destroy (&holding);
    free (holder);
    free (claimed);
    free (completed);
    free (acknowledged);
}

static void
test_callers_share_the_callbacks (void **unused)
{
    (void) unused;
    s_load_t *load = calloc (1, sizeof *load);
    assert_non_null (load);
    load->total = s_env ("CF_CLAIMS_REMINDERS", 1000, 999999);
    load->callers = s_env ("CF_CLAIMS_CALLERS", 8, S_MAX_CALLERS);
    size_t kills = s_env ("CF_CLAIMS_KILLS", 2, S_MAX_KILLS);
    load->recorded_times = calloc (load->total, 1);
    assert_non_null (load->recorded_times);
    pthread_mutex_init (&load->append_lock, NULL);
    load->fake = nk_fake_new (false);
    //  No overdue checks: one due callback per case, the one the callers
    //  share.
    static const char *const more [] = { "--callback-overdue-days=0", NULL };
    nk_service_init (&load->service, load->fake, "claims-load", "2022-01-03T08:00", more);
    nk_service_start (&load->service, true);

    int64_t registered = 0, due = 0;
    assert_int_equal (cf_time_parse ("2022-01-03T09:00", &registered), 0);
    assert_int_equal (cf_time_parse ("2022-01-17T10:00", &due), 0);
    load->call_at = due + NK_HOUR;
    for (size_t i = 0; i < load->total; i++) {
        char case_id [32];
        snprintf (case_id, sizeof case_id, "C%06zu", i);
        nk_register (load->fake, case_id, "L1", registered);
        nk_triage (load->fake, case_id, false, registered);
    }
    nk_wait_applied (&load->service, load->fake);
    nk_clock_set (&load->service, due);

    int64_t started = cf_test_now_ms ();
    s_caller_t callers [S_MAX_CALLERS];
    for (size_t c = 0; c < load->callers; c++) {
        callers [c] = (s_caller_t){ .load = load, .index = (int) c };
        snprintf (callers [c].name, sizeof callers [c].name, "caller-%zu", c + 1);
        assert_int_equal (pthread_create (&callers [c].thread, NULL, s_caller, &callers [c]), 0);
    }
    //  The kills, evenly spread over the recordings.
    for (size_t k = 1; k <= kills; k++) {
        size_t at = load->total * k / (kills + 1);
        int64_t deadline = cf_test_now_ms () + 120000;
        while (atomic_load (&load->recorded) < at && !atomic_load (&load->failures)
               && cf_test_now_ms () < deadline)
            cf_test_sleep_ms (2);
        nk_service_stop (&load->service, SIGKILL);
        nk_service_start (&load->service, false);
    }
    for (size_t c = 0; c < load->callers; c++)
        pthread_join (callers [c].thread, NULL);
    if (atomic_load (&load->failures))
        fail_msg ("%zu caller failures, the first: %s", atomic_load (&load->failures),
                  load->failure);
    assert_int_equal (atomic_load (&load->recorded), load->total);
    //  Every recording applied, then the stream's account of it.
    nk_wait_applied (&load->service, load->fake);
    int64_t elapsed = cf_test_now_ms () - started;
    s_check_stream (load);
    size_t claims = 0, empty = 0, retries = 0;
    for (size_t c = 0; c < load->callers; c++) {
        claims += callers [c].claims;
        empty += callers [c].empty;
        retries += callers [c].retries;
    }
    printf ("%zu reminders, %zu callers, %zu kills: %zu claims (%zu gave nothing new), "
            "%zu resends, %.1f s\n",
            load->total, load->callers, kills, claims, empty, retries, (double) elapsed / 1000.0);

    //  The live state is the replayed state.
    char live [65], replayed [65];
    cf_testclient_digest (load->service.client, live);
    nk_service_stop (&load->service, SIGTERM);
    nk_service_start (&load->service, false);
    cf_testclient_digest (load->service.client, replayed);
    assert_string_equal (live, replayed);

    nk_service_destroy (&load->service);
    nk_fake_destroy (&load->fake);
    pthread_mutex_destroy (&load->append_lock);
    free (load->recorded_times);
    free (load);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_callers_share_the_callbacks),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
