//  test_webhooks_render: the outbound CloudEvent of events of several
//  streams, parsed back with jansson: every attribute of the NL GOV
//  profile, the type from the descriptor, and `data` without a single
//  personal value (a resident's data, a sealed box, a pseudonym, key ids,
//  format-2 plain texts), while the plain facts are there.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway_webhooks_render.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

//  2022-01-03T08:03:00Z
#define S_AT 1641196980000000

static json_t *
s_parse (const char *text)
{
    json_error_t error;
    json_t *root = json_loads (text, 0, &error);
    assert_non_null (root);
    return root;
}

static const char *
s_text (json_t *object, const char *key)
{
    json_t *value = json_object_get (object, key);
    return value && json_is_string (value) ? json_string_value (value) : NULL;
}

static void
test_case_registered (void **state)
{
    (void) state;
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Jan Jansen";
    resident.bsn = "111222333";
    resident.phone = "0612345678";
    resident.birth_date = "1990-05-01";
    resident.district = "Noord";
    uint8_t box [] = "opaque-sealed-box";
    Caseflow__V1__Sealed sealed = CASEFLOW__V1__SEALED__INIT;
    sealed.key_id = "KAAAAAAAAAAAAAAAAAAAAAAAAAA";
    sealed.box.data = box;
    sealed.box.len = sizeof box - 1;
    Caseflow__V1__Domain domains [] = { CASEFLOW__V1__DOMAIN__DOMAIN_DEBT,
                                        CASEFLOW__V1__DOMAIN__DOMAIN_WORK_INCOME };
    Caseflow__V1__Intake__CaseRegistered body = CASEFLOW__V1__INTAKE__CASE_REGISTERED__INIT;
    body.case_id = "C000042";
    body.channel = CASEFLOW__V1__CHANNEL__CHANNEL_PHONE;
    body.location = "L-NOORD";
    body.resident = &resident;  //  as a store of format 2 held it
    body.domains = domains;
    body.n_domains = 2;
    body.question = "Ik heb schulden bij de woningcorporatie";
    body.referred_by = "Wijkteam Noord";
    body.subject = "SUBJECTPSEUDONYM00000000000";
    body.personal = &sealed;
    body.subject_key_id = "KSUBJECTKEY0000000000000000";
    body.transit_key_id = "TTRANSITKEY0000000000000000";
    body.age_band = CASEFLOW__V1__AGE_BAND__AGE_BAND_18_26;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01HZX0000000000000000000AB";
    event.stream = "intake";
    event.seq = 42;
    event.occurred_at = S_AT;
    event.case_id = "C000042";
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED;
    event.case_registered = &body;

    char type [192];
    assert_string_equal (gateway_webhooks_type (&event, type, sizeof type),
                         "nl.sociaal-domein.intake.case-registered");
    char *text = gateway_webhooks_render (&event, NULL);
    const char *never [] = { "Jan Jansen",  "111222333",   "0612345678", "1990-05-01",
                             "Noord\"",     "schulden",    "Wijkteam",   "SUBJECTPSEUDONYM",
                             "KSUBJECTKEY", "TTRANSITKEY", "KAAAA",      "opaque",
                             "b3BhcXVl" };
    for (size_t i = 0; i < sizeof never / sizeof never [0]; i++)
        if (strstr (text, never [i]))
            fail_msg ("\"%s\" is in %s", never [i], text);

    json_t *root = s_parse (text);
    assert_string_equal (s_text (root, "specversion"), "1.0");
    assert_string_equal (s_text (root, "id"), "01HZX0000000000000000000AB");
    assert_string_equal (s_text (root, "source"), "urn:nld:caseflow:intake");
    assert_string_equal (s_text (root, "type"), "nl.sociaal-domein.intake.case-registered");
    assert_string_equal (s_text (root, "subject"), "C000042");
    assert_string_equal (s_text (root, "time"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_text (root, "sequence"), "00000000000000000042");
    assert_int_equal (strlen (s_text (root, "sequence")), 20);
    assert_string_equal (s_text (root, "datacontenttype"), "application/json");
    assert_string_equal (s_text (root, "dataref"), "http://127.0.0.1:8651/api/cases/C000042");
    json_t *data = json_object_get (root, "data");
    assert_true (json_is_object (data));
    assert_string_equal (s_text (data, "case_id"), "C000042");
    assert_string_equal (s_text (data, "channel"), "phone");
    assert_string_equal (s_text (data, "age_band"), "18-26");
    json_t *words = json_object_get (data, "domains");
    assert_int_equal (json_array_size (words), 2);
    assert_string_equal (json_string_value (json_array_get (words, 0)), "debt");
    assert_string_equal (json_string_value (json_array_get (words, 1)), "work-income");
    //  Only identifiers of a message that carries a Sealed: location (a
    //  plain string but not named as an id) stays out, with the rest.
    assert_null (json_object_get (data, "location"));
    assert_null (json_object_get (data, "resident"));
    assert_null (json_object_get (data, "personal"));
    json_decref (root);
    free (text);
}

static void
test_reminder_due_and_options (void **state)
{
    (void) state;
    Caseflow__V1__Notification__Reminder reminder = CASEFLOW__V1__NOTIFICATION__REMINDER__INIT;
    reminder.reminder_id = "callback/C000007/2";
    reminder.kind = CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_CALLBACK;
    reminder.case_id = "C000007";
    reminder.due_at = S_AT;
    reminder.summary = "callback 2 for C000007";
    reminder.number = 2;
    Caseflow__V1__Notification__ReminderDue body = CASEFLOW__V1__NOTIFICATION__REMINDER_DUE__INIT;
    body.reminder = &reminder;
    body.fired_at = S_AT + 60000000;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01HZX0000000000000000000CD";
    event.stream = "notification";
    event.seq = 12345678901234567ULL;
    event.occurred_at = S_AT + 60000000;
    event.case_id = "C000007";
    event.body_case = CASEFLOW__V1__EVENT__BODY_REMINDER_DUE;
    event.reminder_due = &body;
    gateway_webhooks_render_options_t options = {
        "urn:nld:oin:00000001234567890000:systeem:caseflow:", "https://console.example/api"
    };
    char *text = gateway_webhooks_render (&event, &options);
    json_t *root = s_parse (text);
    assert_string_equal (s_text (root, "type"), "nl.sociaal-domein.notification.reminder-due");
    assert_string_equal (s_text (root, "source"),
                         "urn:nld:oin:00000001234567890000:systeem:caseflow:notification");
    assert_string_equal (s_text (root, "sequence"), "00012345678901234567");
    assert_string_equal (s_text (root, "dataref"), "https://console.example/api/cases/C000007");
    json_t *data = json_object_get (root, "data");
    assert_string_equal (s_text (data, "fired_at"), "2022-01-03T08:04:00Z");
    json_t *nested = json_object_get (data, "reminder");
    assert_string_equal (s_text (nested, "reminder_id"), "callback/C000007/2");
    assert_string_equal (s_text (nested, "kind"), "callback");
    assert_string_equal (s_text (nested, "due_at"), "2022-01-03T08:03:00Z");
    //  A message without a Sealed keeps its plain texts.
    assert_string_equal (s_text (nested, "summary"), "callback 2 for C000007");
    assert_int_equal (json_integer_value (json_object_get (nested, "number")), 2);
    //  Empty strings and unspecified values are left out.
    assert_null (json_object_get (nested, "handover_id"));
    assert_null (json_object_get (data, "answer_by"));
    json_decref (root);
    free (text);
}

static void
test_no_case_and_erasure (void **state)
{
    (void) state;
    char *keys [] = { "KAAAAAAAAAAAAAAAAAAAAAAAAAA", "TBBBBBBBBBBBBBBBBBBBBBBBBBB" };
    char *cases [] = { "C000001", "C000009" };
    Caseflow__V1__Intake__ResidentErased body = CASEFLOW__V1__INTAKE__RESIDENT_ERASED__INIT;
    body.subject = "SUBJECTPSEUDONYM00000000000";
    body.key_ids = keys;
    body.n_key_ids = 2;
    body.reason = "request 2022-17";
    body.case_ids = cases;
    body.n_case_ids = 2;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01HZX0000000000000000000EF";
    event.stream = "intake";
    event.seq = 7;
    event.occurred_at = S_AT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_RESIDENT_ERASED;
    event.resident_erased = &body;
    char *text = gateway_webhooks_render (&event, NULL);
    assert_null (strstr (text, "SUBJECTPSEUDONYM"));
    assert_null (strstr (text, "KAAAA"));
    assert_null (strstr (text, "TBBBB"));
    json_t *root = s_parse (text);
    assert_string_equal (s_text (root, "type"), "nl.sociaal-domein.intake.resident-erased");
    assert_null (json_object_get (root, "subject"));
    assert_null (json_object_get (root, "dataref"));
    json_t *data = json_object_get (root, "data");
    assert_int_equal (json_array_size (json_object_get (data, "case_ids")), 2);
    assert_string_equal (s_text (data, "reason"), "request 2022-17");
    json_decref (root);
    free (text);

    //  No body: an empty type, data {}.
    Caseflow__V1__Event empty = CASEFLOW__V1__EVENT__INIT;
    empty.id = "X";
    empty.stream = "intake";
    char type [64];
    assert_string_equal (gateway_webhooks_type (&empty, type, sizeof type), "");
}

//  The publisher's `time` of an InboundAccepted and an absence's `from` /
//  `until` are microseconds since the epoch: RFC 3339 like `*_at`.
static void
test_times_by_name (void **state)
{
    (void) state;
    Caseflow__V1__Gateway__InboundAccepted accepted = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__INIT;
    accepted.publisher_id = "frontoffice";
    accepted.source = "urn:nld:gemeente:frontoffice";
    accepted.ce_id = "ref-1";
    accepted.type = "nl.sociaal-domein.aanmelding-ontvangen";
    accepted.ce_time = S_AT;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.id = "01HZX0000000000000000000GH";
    event.stream = "gateway";
    event.seq = 3;
    event.occurred_at = S_AT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_INBOUND_ACCEPTED;
    event.inbound_accepted = &accepted;
    char *text = gateway_webhooks_render (&event, NULL);
    json_t *root = s_parse (text);
    json_t *data = json_object_get (root, "data");
    assert_string_equal (s_text (data, "ce_time"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_text (data, "ce_id"), "ref-1");
    json_decref (root);
    free (text);

    Caseflow__V1__Assignment__WorkerAbsent absent = CASEFLOW__V1__ASSIGNMENT__WORKER_ABSENT__INIT;
    absent.worker_id = "W1";
    absent.from = S_AT;
    absent.until = S_AT + 86400000000LL;
    event.stream = "assignment";
    event.body_case = CASEFLOW__V1__EVENT__BODY_WORKER_ABSENT;
    event.worker_absent = &absent;
    text = gateway_webhooks_render (&event, NULL);
    root = s_parse (text);
    data = json_object_get (root, "data");
    assert_string_equal (s_text (data, "from"), "2022-01-03T08:03:00Z");
    assert_string_equal (s_text (data, "until"), "2022-01-04T08:03:00Z");
    json_decref (root);
    free (text);
}

//  The int64 fields of event bodies that are counts or amounts, not
//  times. A new int64 field is either named as a time or listed here,
//  so a timestamp can never reach a receiver as a bare number.
static const char *const s_not_times [] = { "amount", "value" };

static void
s_walk (const ProtobufCMessageDescriptor *descriptor, const ProtobufCMessageDescriptor **seen,
        size_t *n_seen, int *unclassified)
{
    for (size_t i = 0; i < *n_seen; i++)
        if (seen [i] == descriptor)
            return;
    assert_true (*n_seen < 512);
    seen [(*n_seen)++] = descriptor;
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (field->type == PROTOBUF_C_TYPE_MESSAGE)
            s_walk (field->descriptor, seen, n_seen, unclassified);
        if (field->type != PROTOBUF_C_TYPE_INT64 && field->type != PROTOBUF_C_TYPE_SINT64
            && field->type != PROTOBUF_C_TYPE_SFIXED64)
            continue;
        if (gateway_webhooks_is_time (field->name))
            continue;
        bool known = false;
        for (size_t k = 0; k < sizeof s_not_times / sizeof s_not_times [0]; k++)
            known = known || strcmp (field->name, s_not_times [k]) == 0;
        if (!known) {
            print_error ("%s.%s: int64, neither a time by name nor listed\n", descriptor->name,
                         field->name);
            (*unclassified)++;
        }
    }
}

static void
test_every_int64_classified (void **state)
{
    (void) state;
    const ProtobufCMessageDescriptor *seen [512];
    size_t n_seen = 0;
    int unclassified = 0;
    s_walk (&caseflow__v1__event__descriptor, seen, &n_seen, &unclassified);
    assert_int_equal (unclassified, 0);
    assert_true (gateway_webhooks_is_time ("ce_time"));
    assert_true (gateway_webhooks_is_time ("absent_from"));
    assert_false (gateway_webhooks_is_time ("amount"));
    assert_false (gateway_webhooks_is_time ("fromage"));
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_case_registered),
        cmocka_unit_test (test_reminder_due_and_options),
        cmocka_unit_test (test_no_case_and_erasure),
        cmocka_unit_test (test_times_by_name),
        cmocka_unit_test (test_every_int64_classified),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
