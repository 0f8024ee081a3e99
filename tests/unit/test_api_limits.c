//  test_api_limits: what the api socket checks before it decodes a request
//  (issue 19, "bounded memory under hostile load").
//
//  cf_api_budget: bytes taken per round, per connection and in all, and
//  which budget refuses; a new round makes both whole again.
//  cf_api_peek_request_id: the request id read from a request's first
//  bytes, without decoding it, for the refusal's reply; nothing for bytes
//  that are no request or whose id is not a valid one.
//  cf_api_decode_request's shape checks: unknown and repeated fields.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_api_budget.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t s_alice [] = { 0x00, 0x6b, 0x8b, 0x45, 0x67 };  //  libzmq-made identities
static const uint8_t s_bob [] = { 0x00, 0x6b, 0x8b, 0x45, 0x68 };
static const uint8_t s_carol [] = { 0x00, 0x00, 0x00, 0x00, 0x01 };

static void
test_budget_per_connection (void **state)
{
    (void) state;
    cf_api_budget_t *budget = cf_api_budget_new (1000, 2500);
    cf_api_budget_start_round (budget);
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 600), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 400), CF_API_BUDGET_OK);
    //  Alice's share is spent: one byte more is refused, and takes nothing.
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 1), CF_API_BUDGET_CONNECTION);
    //  Bob (one byte apart) has his own.
    assert_int_equal (cf_api_budget_take (budget, s_bob, 5, 1000), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, s_bob, 5, 1), CF_API_BUDGET_CONNECTION);
    //  A new round: whole again.
    cf_api_budget_start_round (budget);
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 1000), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_per_connection (budget), 1000);
    assert_int_equal (cf_api_budget_total (budget), 2500);
    cf_api_budget_destroy (&budget);
    assert_null (budget);
    cf_api_budget_destroy (&budget);
}

static void
test_budget_total (void **state)
{
    (void) state;
    cf_api_budget_t *budget = cf_api_budget_new (1000, 2500);
    cf_api_budget_start_round (budget);
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 1000), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, s_bob, 5, 1000), CF_API_BUDGET_OK);
    //  Carol's share has room, the total has 500 left.
    assert_int_equal (cf_api_budget_take (budget, s_carol, 5, 501), CF_API_BUDGET_TOTAL);
    assert_int_equal (cf_api_budget_take (budget, s_carol, 5, 500), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, s_carol, 5, 1), CF_API_BUDGET_TOTAL);
    //  The connection's budget is named first when both are spent.
    assert_int_equal (cf_api_budget_take (budget, s_alice, 5, 1), CF_API_BUDGET_CONNECTION);
    cf_api_budget_start_round (budget);
    assert_int_equal (cf_api_budget_take (budget, s_carol, 5, 1000), CF_API_BUDGET_OK);
    //  Identities of any length the ROUTER allows; the empty one too.
    uint8_t long_id [255];
    memset (long_id, 0xff, sizeof long_id);
    assert_int_equal (cf_api_budget_take (budget, long_id, sizeof long_id, 1000), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, long_id, 254, 500), CF_API_BUDGET_OK);
    assert_int_equal (cf_api_budget_take (budget, "", 0, 1), CF_API_BUDGET_TOTAL);
    cf_api_budget_destroy (&budget);
}

//  A status query with `id`, packed (free with free); its size in *size_p.
static uint8_t *
s_pack (const char *id, size_t *size_p)
{
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = (char *) id;
    request.client = "test";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    *size_p = caseflow__v1__request__get_packed_size (&request);
    uint8_t *data = malloc (*size_p);
    assert_non_null (data);
    caseflow__v1__request__pack (&request, data);
    return data;
}

static void
test_peek_request_id (void **state)
{
    (void) state;
    char id [CF_API_MAX_REQUEST_ID + 1];
    size_t size;
    uint8_t *data = s_pack ("01HZX3-peek", &size);
    assert_true (cf_api_peek_request_id (data, size, id));
    assert_string_equal (id, "01HZX3-peek");
    //  Cut short anywhere inside the id: nothing.
    for (size_t cut = 0; cut < 13; cut++) {
        assert_false (cf_api_peek_request_id (data, cut, id));
        assert_string_equal (id, "");
    }
    free (data);
    //  An id outside the grammar is not echoed.
    data = s_pack ("has space", &size);
    assert_false (cf_api_peek_request_id (data, size, id));
    free (data);
    data = s_pack ("", &size);
    assert_false (cf_api_peek_request_id (data, size, id));
    free (data);
    //  The id after a few other fields (a varint, a fixed64, a fixed32, a
    //  string): found; after more than the peek looks at: not.
    uint8_t buffer [256];
    size_t at = 0;
    buffer [at++] = 0x18;  //  field 3, varint
    buffer [at++] = 0x96;
    buffer [at++] = 0x01;
    buffer [at++] = 0x21;  //  field 4, fixed64
    memset (buffer + at, 7, 8);
    at += 8;
    buffer [at++] = 0x2d;  //  field 5, fixed32
    memset (buffer + at, 7, 4);
    at += 4;
    buffer [at++] = 0x12;  //  field 2, 3 bytes
    buffer [at++] = 3;
    memcpy (buffer + at, "abc", 3);
    at += 3;
    buffer [at++] = 0x0a;  //  field 1, the id
    buffer [at++] = 5;
    memcpy (buffer + at, "r-123", 5);
    assert_true (cf_api_peek_request_id (buffer, at + 5, id));
    assert_string_equal (id, "r-123");
    at = 0;
    for (int i = 0; i < 20; i++) {
        buffer [at++] = 0x18;
        buffer [at++] = 1;
    }
    buffer [at++] = 0x0a;
    buffer [at++] = 5;
    memcpy (buffer + at, "r-123", 5);
    assert_false (cf_api_peek_request_id (buffer, at + 5, id));
    //  A length past the end, a group, random bytes: nothing, no overrun.
    static const uint8_t past [] = { 0x12, 0x7f, 'a' };
    assert_false (cf_api_peek_request_id (past, sizeof past, id));
    static const uint8_t group [] = { 0x0b, 0x0c };
    assert_false (cf_api_peek_request_id (group, sizeof group, id));
    unsigned seed = 5;
    for (int round = 0; round < 2000; round++) {
        uint8_t noise [64];
        size_t n = (size_t) (rand_r (&seed) % 64);
        for (size_t i = 0; i < n; i++)
            noise [i] = (uint8_t) rand_r (&seed);
        if (cf_api_peek_request_id (noise, n, id))
            assert_true (cf_api_token_valid (id));
    }
}

//  Decodes `request` packed; returns the refusal's field ("" when it
//  decoded, and frees it).
static void
s_decode (Caseflow__V1__Request *request, char field [256])
{
    size_t size = caseflow__v1__request__get_packed_size (request);
    uint8_t *data = malloc (size);
    assert_non_null (data);
    caseflow__v1__request__pack (request, data);
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, NULL);
    Caseflow__V1__Request *decoded = cf_api_decode_request (data, size, &reply);
    free (data);
    *field = 0;
    if (decoded)
        caseflow__v1__request__free_unpacked (decoded, NULL);
    else
        snprintf (field, 256, "%s", reply.status->field);
    cf_api_reply_clear (&reply);
}

//  cf_api_decode_request's shape checks: unknown fields (none in a
//  command, CF_API_MAX_UNKNOWN in a query) and lists of at most
//  CF_API_MAX_REPEATED items, the refusal naming where.
static void
test_decode_shape (void **state)
{
    (void) state;
    uint8_t one = 1;
    ProtobufCMessageUnknownField unknown [CF_API_MAX_UNKNOWN + 1];
    for (int i = 0; i <= CF_API_MAX_UNKNOWN; i++)
        unknown [i] = (ProtobufCMessageUnknownField){ .tag = 4000 + (uint32_t) i,
                                                      .wire_type = PROTOBUF_C_WIRE_TYPE_VARINT,
                                                      .len = 1,
                                                      .data = &one };
    Caseflow__V1__PersonalData resident = CASEFLOW__V1__PERSONAL_DATA__INIT;
    resident.name = "Shape Test";
    Caseflow__V1__Domain *domains = calloc (CF_API_MAX_REPEATED + 1, sizeof *domains);
    assert_non_null (domains);
    Caseflow__V1__Intake__Register reg = CASEFLOW__V1__INTAKE__REGISTER__INIT;
    reg.resident = &resident;
    reg.domains = domains;
    reg.n_domains = CF_API_MAX_REPEATED;
    Caseflow__V1__Intake__Command intake = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    intake.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER;
    intake.register_ = &reg;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &intake;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.request_id = "shape-1";
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    char field [256];
    s_decode (&request, field);
    assert_string_equal (field, "");
    reg.n_domains = CF_API_MAX_REPEATED + 1;
    s_decode (&request, field);
    assert_string_equal (field, "command.intake.register.domains");
    reg.n_domains = 1;
    resident.base.n_unknown_fields = 1;
    resident.base.unknown_fields = unknown;
    s_decode (&request, field);
    assert_string_equal (field, "command.intake.register.resident");
    resident.base.n_unknown_fields = 0;
    intake.base.n_unknown_fields = 1;
    intake.base.unknown_fields = unknown;
    s_decode (&request, field);
    assert_string_equal (field, "command.intake");
    intake.base.n_unknown_fields = 0;
    request.base.n_unknown_fields = 1;
    request.base.unknown_fields = unknown;
    s_decode (&request, field);
    assert_string_equal (field, "request");
    request.base.n_unknown_fields = 0;
    free (domains);

    //  A query: up to CF_API_MAX_UNKNOWN, counted over the whole request.
    Caseflow__V1__StatusQuery status = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    status.base.n_unknown_fields = CF_API_MAX_UNKNOWN;
    status.base.unknown_fields = unknown;
    s_decode (&request, field);
    assert_string_equal (field, "");
    request.base.n_unknown_fields = 1;
    request.base.unknown_fields = unknown + CF_API_MAX_UNKNOWN;
    s_decode (&request, field);
    assert_string_equal (field, "query.status");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_budget_per_connection),
        cmocka_unit_test (test_budget_total),
        cmocka_unit_test (test_peek_request_id),
        cmocka_unit_test (test_decode_shape),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
