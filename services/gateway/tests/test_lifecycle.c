//  test_lifecycle: the gateway's transition tables (a publisher, an
//  inbound event), cell by cell against the rules written out here, and a
//  refusal that names the publisher's current state.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_error.h"
#include "gateway_lifecycle.h"

#include <string.h>

static const gateway_publisher_state_t s_publisher_states [] = {
    GATEWAY_PUBLISHER_NONE,
    GATEWAY_PUBLISHER_ACTIVE,
    GATEWAY_PUBLISHER_REMOVED,
};

//  Where `action` takes a publisher in `from`, or -1 when refused.
static int
s_publisher_expected (gateway_publisher_state_t from, gateway_publisher_action_t action)
{
    switch (action) {
        case GATEWAY_PUBLISHER_ADD:
            return from == GATEWAY_PUBLISHER_ACTIVE ? -1 : GATEWAY_PUBLISHER_ACTIVE;
        case GATEWAY_PUBLISHER_ROTATE:
            return from == GATEWAY_PUBLISHER_ACTIVE ? GATEWAY_PUBLISHER_ACTIVE : -1;
        case GATEWAY_PUBLISHER_REMOVE:
            return from == GATEWAY_PUBLISHER_ACTIVE ? GATEWAY_PUBLISHER_REMOVED : -1;
        default: return -1;
    }
}

static void
test_publisher_table (void **unused)
{
    (void) unused;
    for (size_t i = 0; i < 3; i++)
        for (int action = 0; action < GATEWAY_PUBLISHER_ACTION_COUNT; action++) {
            gateway_publisher_state_t next = GATEWAY_PUBLISHER_NONE;
            int rc = gateway_lifecycle_publisher_next (s_publisher_states [i], action, &next);
            int expected = s_publisher_expected (s_publisher_states [i], action);
            if (expected < 0)
                assert_int_equal (rc, CF_ESTATE);
            else {
                assert_int_equal (rc, 0);
                assert_int_equal (next, expected);
            }
        }
}

static void
test_inbound_table (void **unused)
{
    (void) unused;
    const gateway_inbound_state_t states [] = { GATEWAY_INBOUND_NONE, GATEWAY_INBOUND_ACCEPTED,
                                                GATEWAY_INBOUND_APPLIED, GATEWAY_INBOUND_REJECTED };
    for (size_t i = 0; i < 4; i++)
        for (int action = 0; action < GATEWAY_INBOUND_ACTION_COUNT; action++) {
            gateway_inbound_state_t next = GATEWAY_INBOUND_NONE;
            int rc = gateway_lifecycle_inbound_next (states [i], action, &next);
            if (states [i] != GATEWAY_INBOUND_ACCEPTED)
                assert_int_equal (rc, CF_ESTATE);  //  settled once, by the first word
            else {
                assert_int_equal (rc, 0);
                assert_int_equal (next, action == GATEWAY_INBOUND_APPLY ? GATEWAY_INBOUND_APPLIED
                                                                        : GATEWAY_INBOUND_REJECTED);
            }
        }
}

static void
test_refusal (void **unused)
{
    (void) unused;
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, "r");
    assert_int_equal (gateway_lifecycle_publisher_check ("front-office", GATEWAY_PUBLISHER_REMOVED,
                                                         GATEWAY_PUBLISHER_ROTATE, &reply,
                                                         "command.gateway.publisher_rotate"),
                      CF_ESTATE);
    assert_int_equal (reply.status->code, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_string_equal (reply.status->message,
                         "publisher front-office is removed; rotate needs it active");
    cf_api_reply_clear (&reply);
    assert_string_equal (gateway_publisher_state_name (GATEWAY_PUBLISHER_ACTIVE), "active");
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_publisher_table),
        cmocka_unit_test (test_inbound_table),
        cmocka_unit_test (test_refusal),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
