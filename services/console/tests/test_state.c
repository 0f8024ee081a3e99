//  test_state: the console's projections kept as events are applied: the
//  waiting list in assignment's order (a re-triage keeps its place, an
//  assignment takes the case off, an unassignment puts it back), the
//  callbacks to make today (fired, then answered or cancelled), urgent
//  cases without a worker, caseload per worker and location, the events
//  kept per stream and per case, and the digest: the same events applied
//  to a fresh state give the same digest, a different history another.
#include "console_state.h"
#include "console_view.h"

#include "cf_time.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

static const handover_config_t s_handover = {
    .default_deadline = 1656626400000000LL,
    .at_risk_window = 14 * CF_USEC_PER_DAY,
    .forecast_window = 28 * CF_USEC_PER_DAY,
};

//  Every event the script applies, packed, so it can be applied again.
typedef struct {
    uint8_t *data [64];
    size_t size [64];
    size_t count;
    uint64_t seqs [CONSOLE_STREAM_COUNT];
} s_script_t;

static int64_t
s_time (const char *text)
{
    int64_t at = 0;
    assert_int_equal (cf_time_parse (text, &at), 0);
    return at;
}

static void
s_apply (console_state_t *state, s_script_t *script, Caseflow__V1__Event *event,
         console_stream_t stream, const char *when)
{
    event->stream = (char *) cf_fold_stream_name (stream);
    event->seq = ++script->seqs [stream];
    event->occurred_at = s_time (when);
    event->id = (char *) "01EVENT";
    assert_int_equal (console_state_apply (state, event), 0);
    size_t size = protobuf_c_message_get_packed_size (&event->base);
    script->data [script->count] = malloc (size);
    protobuf_c_message_pack (&event->base, script->data [script->count]);
    script->size [script->count++] = size;
}

static void
s_register (console_state_t *state, s_script_t *script, const char *id, const char *location,
            Caseflow__V1__Domain domain, const char *when)
{
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = (char *) id;
    body.location = (char *) location;
    body.domains = &domain;
    body.n_domains = 1;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;
    s_apply (state, script, &event, CONSOLE_INTAKE, when);
}

static void
s_triage (console_state_t *state, s_script_t *script, const char *id, bool urgent, const char *when)
{
    Caseflow__V1__Intake__CaseTriaged body = CASEFLOW__V1__INTAKE__CASE_TRIAGED__INIT;
    body.case_id = (char *) id;
    body.urgency =
        urgent ? CASEFLOW__V1__URGENCY__URGENCY_URGENT : CASEFLOW__V1__URGENCY__URGENCY_REGULAR;
    body.status = urgent ? CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
                         : CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED;
    event.case_triaged = &body;
    s_apply (state, script, &event, CONSOLE_INTAKE, when);
}

static void
s_assign (console_state_t *state, s_script_t *script, const char *id, const char *worker,
          const char *when)
{
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    Caseflow__V1__Assignment__CaseAssigned assigned = CASEFLOW__V1__ASSIGNMENT__CASE_ASSIGNED__INIT;
    Caseflow__V1__Assignment__CaseUnassigned unassigned =
        CASEFLOW__V1__ASSIGNMENT__CASE_UNASSIGNED__INIT;
    if (worker) {
        assigned.case_id = (char *) id;
        assigned.worker_id = (char *) worker;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED;
        event.case_assigned = &assigned;
    } else {
        unassigned.case_id = (char *) id;
        event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED;
        event.case_unassigned = &unassigned;
    }
    s_apply (state, script, &event, CONSOLE_ASSIGNMENT, when);
}

static void
s_escalate (console_state_t *state, s_script_t *script, const char *id, const char *when)
{
    Caseflow__V1__Assignment__AssignmentEscalated body =
        CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_ESCALATED__INIT;
    body.case_id = (char *) id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_ASSIGNMENT_ESCALATED;
    event.assignment_escalated = &body;
    s_apply (state, script, &event, CONSOLE_ASSIGNMENT, when);
}

static void
s_due (console_state_t *state, s_script_t *script, const char *reminder, const char *id,
       const char *due, const char *when)
{
    Caseflow__V1__Notification__Reminder body = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    body.reminder_id = (char *) reminder;
    body.kind = CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
    body.case_id = (char *) id;
    body.due_at = s_time (due);
    body.number = 1;
    Caseflow__V1__Notification__ReminderDue fired = CASEFLOW__V1__NOTIFICATION__REMINDER_DUE__INIT;
    fired.reminder = &body;
    fired.fired_at = s_time (when);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
    event.reminder_due = &fired;
    s_apply (state, script, &event, CONSOLE_NOTIFICATION, when);
}

static void
s_answered (console_state_t *state, s_script_t *script, const char *reminder, const char *id,
            const char *when)
{
    Caseflow__V1__Notification__CallbackAnswered body =
        CASEFLOW__V1__NOTIFICATION__CALLBACK_ANSWERED__INIT;
    body.reminder_id = (char *) reminder;
    body.case_id = (char *) id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.case_id = (char *) id;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED;
    event.callback_answered = &body;
    s_apply (state, script, &event, CONSOLE_NOTIFICATION, when);
}

//  A claim of reminder `reminder` by `caller` (lease to `until`), or with
//  `what` "parked", "released" or "completed".
static void
s_claim (console_state_t *state, s_script_t *script, const char *reminder, const char *caller,
         const char *what, const char *when)
{
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    Caseflow__V1__Notification__ReminderClaimed claimed =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CLAIMED__INIT;
    Caseflow__V1__Notification__ReminderParked parked =
        CASEFLOW__V1__NOTIFICATION__REMINDER_PARKED__INIT;
    Caseflow__V1__Notification__ReminderReleased released =
        CASEFLOW__V1__NOTIFICATION__REMINDER_RELEASED__INIT;
    Caseflow__V1__Notification__ReminderClaimCompleted completed =
        CASEFLOW__V1__NOTIFICATION__REMINDER_CLAIM_COMPLETED__INIT;
    if (strcmp (what, "claimed") == 0) {
        claimed.reminder_id = (char *) reminder;
        claimed.caller = (char *) caller;
        claimed.lease_until = s_time (when) + 30 * 60 * INT64_C (1000000);
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIMED;
        event.reminder_claimed = &claimed;
    } else if (strcmp (what, "parked") == 0) {
        parked.reminder_id = (char *) reminder;
        parked.caller = (char *) caller;
        parked.reason = (char *) "number unknown";
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_PARKED;
        event.reminder_parked = &parked;
    } else if (strcmp (what, "released") == 0) {
        released.reminder_id = (char *) reminder;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_RELEASED;
        event.reminder_released = &released;
    } else {
        completed.reminder_id = (char *) reminder;
        event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_CLAIM_COMPLETED;
        event.reminder_claim_completed = &completed;
    }
    s_apply (state, script, &event, CONSOLE_NOTIFICATION, when);
}

//  The waiting list's case ids, joined by spaces, into `out`.
static const char *
s_waiting (console_state_t *state, const char *now, char *out, size_t size)
{
    Caseflow__V1__Console__WaitingList *list = console_view_waiting (state, s_time (now), NULL);
    out [0] = '\0';
    for (size_t i = 0; i < list->n_entries; i++) {
        assert_int_equal (list->entries [i]->position, i + 1);
        strncat (out, i ? " " : "", size - strlen (out) - 1);
        strncat (out, list->entries [i]->case_id, size - strlen (out) - 1);
    }
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    return out;
}

static void
s_digest (console_state_t *state, uint8_t out [crypto_hash_sha256_BYTES])
{
    crypto_hash_sha256_state hash;
    crypto_hash_sha256_init (&hash);
    console_state_digest (state, &hash);
    crypto_hash_sha256_final (&hash, out);
}

static void
test_projections (void **unused)
{
    (void) unused;
    console_state_t *state = console_state_new (&s_handover);
    s_script_t script = { 0 };
    char text [200];
    s_register (state, &script, "C000001", "L1", CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                "2022-01-03T09:00");
    s_triage (state, &script, "C000001", false, "2022-01-03T09:00");
    s_register (state, &script, "C000002", "L2", CASEFLOW__V1__DOMAIN__DOMAIN_HOUSING,
                "2022-01-03T10:00");
    s_triage (state, &script, "C000002", false, "2022-01-03T10:00");
    s_register (state, &script, "C000003", "L1", CASEFLOW__V1__DOMAIN__DOMAIN_YOUTH,
                "2022-01-04T09:00");
    s_triage (state, &script, "C000003", false, "2022-01-04T09:00");
    assert_string_equal (s_waiting (state, "2022-01-10", text, sizeof text),
                         "C000001 C000002 C000003");

    //  Urgent goes first; a re-triage to regular returns to the first
    //  triage's place; the waiting days count from registration.
    s_triage (state, &script, "C000003", true, "2022-01-05T09:00");
    s_escalate (state, &script, "C000003", "2022-01-05T09:00");
    assert_string_equal (s_waiting (state, "2022-01-10", text, sizeof text),
                         "C000003 C000001 C000002");
    Caseflow__V1__Console__UrgentList *urgent =
        console_view_urgent_unassigned (state, s_time ("2022-01-10"));
    assert_int_equal (urgent->n_entries, 1);
    assert_string_equal (urgent->entries [0]->case_id, "C000003");
    assert_true (urgent->entries [0]->escalated);
    assert_int_equal (urgent->entries [0]->urgent_since, s_time ("2022-01-05T09:00"));
    caseflow__v1__console__urgent_list__free_unpacked (urgent, NULL);
    s_triage (state, &script, "C000003", false, "2022-01-06T09:00");
    assert_string_equal (s_waiting (state, "2022-01-10", text, sizeof text),
                         "C000001 C000002 C000003");
    Caseflow__V1__Console__Waiting filter = CASEFLOW__V1__CONSOLE__WAITING__INIT;
    filter.location = (char *) "L1";
    Caseflow__V1__Console__WaitingList *list =
        console_view_waiting (state, s_time ("2022-01-13T09:30"), &filter);
    assert_int_equal (list->total, 3);
    assert_int_equal (list->n_entries, 2);
    assert_string_equal (list->entries [1]->case_id, "C000003");
    assert_int_equal (list->entries [1]->position, 3);
    assert_int_equal (list->entries [0]->waiting_days, 10);
    assert_int_equal (list->entries [0]->n_domains, 1);
    assert_int_equal (list->entries [0]->domains [0], CASEFLOW__V1__DOMAIN__DOMAIN_DEBT);
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    //  A page of it: the second of L1's entries, one a page; the count is
    //  of every entry the filters keep, the positions the whole list's.
    filter.limit = 1;
    size_t matched = 0;
    list = console_view_waiting_page (state, s_time ("2022-01-13T09:30"), &filter, 0, 1, &matched);
    assert_int_equal (matched, 2);
    assert_int_equal (list->total, 3);
    assert_int_equal (list->n_entries, 1);
    assert_string_equal (list->entries [0]->case_id, "C000003");
    assert_int_equal (list->entries [0]->position, 3);
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    //  Past the last page: no entries, the same count; urgency keeps only
    //  its own (none is urgent now).
    list = console_view_waiting_page (state, s_time ("2022-01-13T09:30"), &filter, 0, 2, &matched);
    assert_int_equal (list->n_entries, 0);
    assert_int_equal (matched, 2);
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    filter.location = (char *) "";
    list = console_view_waiting_page (state, s_time ("2022-01-13T09:30"), &filter,
                                      CASEFLOW__V1__URGENCY__URGENCY_URGENT, 0, &matched);
    assert_int_equal (list->n_entries, 0);
    assert_int_equal (matched, 0);
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);
    list = console_view_waiting_page (state, s_time ("2022-01-13T09:30"), &filter,
                                      CASEFLOW__V1__URGENCY__URGENCY_REGULAR, 2, &matched);
    assert_int_equal (matched, 3);
    assert_int_equal (list->n_entries, 1);
    assert_string_equal (list->entries [0]->case_id, "C000003");
    caseflow__v1__console__waiting_list__free_unpacked (list, NULL);

    //  Assigned: off the list and on the caseload; unassigned: back at its
    //  place, off the caseload.
    s_assign (state, &script, "C000001", "w1", "2022-01-07T09:00");
    s_assign (state, &script, "C000002", "w1", "2022-01-07T09:00");
    assert_string_equal (s_waiting (state, "2022-01-10", text, sizeof text), "C000003");
    Caseflow__V1__Console__CaseloadReport *load =
        console_view_caseload (state, s_time ("2022-01-10"));
    assert_int_equal (load->n_by_worker, 1);
    assert_string_equal (load->by_worker [0]->id, "w1");
    assert_int_equal (load->by_worker [0]->open, 2);
    assert_int_equal (load->n_by_location, 2);
    assert_string_equal (load->by_location [0]->id, "L1");
    assert_int_equal (load->by_location [0]->open, 1);
    caseflow__v1__console__caseload_report__free_unpacked (load, NULL);
    s_assign (state, &script, "C000001", NULL, "2022-01-08T09:00");
    assert_string_equal (s_waiting (state, "2022-01-10", text, sizeof text), "C000001 C000003");

    //  Callbacks: due today (or before) and not answered.
    s_due (state, &script, "callback/C000003/1", "C000003", "2022-01-18T09:00", "2022-01-18T09:00");
    s_due (state, &script, "callback/C000001/1", "C000001", "2022-01-17T09:00", "2022-01-17T09:00");
    Caseflow__V1__Console__CallbackList *today =
        console_view_callbacks_today (state, s_time ("2022-01-18T08:00"), NULL);
    assert_int_equal (today->n_entries, 2);
    assert_string_equal (today->entries [0]->case_id, "C000001");
    assert_int_equal (today->until, s_time ("2022-01-19"));
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);
    today = console_view_callbacks_today (state, s_time ("2022-01-17T08:00"), "L2");
    assert_int_equal (today->n_entries, 0);
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);
    s_answered (state, &script, "callback/C000001/1", "C000001", "2022-01-18T10:00");
    today = console_view_callbacks_today (state, s_time ("2022-01-18T11:00"), "L1");
    assert_int_equal (today->n_entries, 1);
    assert_string_equal (today->entries [0]->reminder_id, "callback/C000003/1");
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);

    //  Claims: who holds a callback, parked for a team lead, open again;
    //  a completed claim takes it off the list.
    s_claim (state, &script, "callback/C000003/1", "anna", "claimed", "2022-01-18T11:00");
    today = console_view_callbacks_today (state, s_time ("2022-01-18T11:01"), NULL);
    assert_string_equal (today->entries [0]->claimed_by, "anna");
    assert_int_equal (today->entries [0]->lease_until, s_time ("2022-01-18T11:30"));
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);
    s_claim (state, &script, "callback/C000003/1", "anna", "parked", "2022-01-18T11:05");
    today = console_view_callbacks_today (state, s_time ("2022-01-18T11:06"), NULL);
    assert_string_equal (today->entries [0]->claimed_by, "");
    assert_true (today->entries [0]->parked);
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);
    s_claim (state, &script, "callback/C000003/1", "", "released", "2022-01-18T11:10");
    today = console_view_callbacks_today (state, s_time ("2022-01-18T11:11"), NULL);
    assert_false (today->entries [0]->parked);
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);
    s_claim (state, &script, "callback/C000003/1", "", "completed", "2022-01-18T11:20");
    today = console_view_callbacks_today (state, s_time ("2022-01-18T11:21"), NULL);
    assert_int_equal (today->n_entries, 0);
    caseflow__v1__console__callback_list__free_unpacked (today, NULL);

    //  Every event kept, per stream and per case.
    assert_int_equal (console_log_count (state->logs [CONSOLE_INTAKE]), 8);
    assert_int_equal (console_log_count (state->logs [CONSOLE_ASSIGNMENT]), 4);
    assert_int_equal (console_log_count (state->logs [CONSOLE_NOTIFICATION]), 7);
    const console_case_t *kase = console_state_case (state, "C000001");
    assert_non_null (kase);
    assert_int_equal (kase->events.count, 6);
    Caseflow__V1__Event *last =
        console_log_decode (state->logs [CONSOLE_REF_STREAM (kase->events.refs [5])],
                            CONSOLE_REF_INDEX (kase->events.refs [5]), NULL);
    assert_int_equal (last->body_case, CASEFLOW__V1__EVENT__BODY_CALLBACK_ANSWERED);
    caseflow__v1__event__free_unpacked (last, NULL);

    //  The same events again: the same digest; one fewer: another.
    uint8_t first [crypto_hash_sha256_BYTES], again [crypto_hash_sha256_BYTES];
    s_digest (state, first);
    console_state_t *copy = console_state_new (&s_handover);
    console_state_t *shorter = console_state_new (&s_handover);
    for (size_t i = 0; i < script.count; i++) {
        Caseflow__V1__Event *event =
            caseflow__v1__event__unpack (NULL, script.size [i], script.data [i]);
        assert_non_null (event);
        console_state_apply (copy, event);
        if (i + 1 < script.count)
            console_state_apply (shorter, event);
        caseflow__v1__event__free_unpacked (event, NULL);
        free (script.data [i]);
    }
    s_digest (copy, again);
    assert_memory_equal (first, again, sizeof first);
    s_digest (shorter, again);
    assert_memory_not_equal (first, again, sizeof first);
    console_state_destroy (&copy);
    console_state_destroy (&shorter);
    console_state_destroy (&state);
    assert_null (state);
}

//  An event of a stream the console does not follow changes nothing.
static void
test_foreign_stream (void **unused)
{
    (void) unused;
    console_state_t *state = console_state_new (&s_handover);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.stream = (char *) "elsewhere";
    event.seq = 1;
    assert_int_equal (console_state_apply (state, &event), 1);
    assert_int_equal (state->applied, 0);
    assert_int_equal (console_stream_of ("gateway"), CONSOLE_GATEWAY);
    assert_int_equal (console_stream_of ("elsewhere"), CONSOLE_STREAM_COUNT);
    console_state_destroy (&state);
}

int
main (void)
{
    cf_time_init ();
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_projections),
        cmocka_unit_test (test_foreign_stream),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
