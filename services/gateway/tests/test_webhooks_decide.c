//  test_webhooks_decide: the webhook commands and queries without the
//  runtime: each refusal names its field, the table refuses illegal moves,
//  add starts each stream its types name (or at --from), resend takes the
//  oldest, one or all parked events, and the queries show what the state
//  holds.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_api.h"
#include "cf_decider.h"
#include "gateway_webhooks_decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    gateway_webhooks_t *webhooks;
    uint64_t seq;
} s_world_t;

static int
s_emit (void *ctx, Caseflow__V1__Event *event)
{
    s_world_t *world = ctx;
    char id [32];
    snprintf (id, sizeof id, "G%05llu", (unsigned long long) ++world->seq);
    event->id = id;
    event->stream = "gateway";
    event->seq = world->seq;
    assert_int_equal (gateway_webhooks_apply (world->webhooks, event), 1);
    event->id = NULL;
    event->stream = NULL;
    return 0;
}

//  Runs `command`; returns the reply's code, the reply in `reply` (clear
//  it with cf_api_reply_clear).
static int
s_decide (s_world_t *world, Caseflow__V1__Gateway__Command *command, Caseflow__V1__Reply *reply)
{
    cf_api_reply_init (reply, "r");
    cf_decider_t decider;
    cf_decider_init (&decider, 1641196980000000, reply, s_emit, world);
    gateway_webhooks_decide (world->webhooks, NULL, &decider, command);
    return cf_api_reply_code (reply);
}

static void
s_expect (s_world_t *world, Caseflow__V1__Gateway__Command *command, int code, const char *field)
{
    Caseflow__V1__Reply reply;
    assert_int_equal (s_decide (world, command, &reply), code);
    if (field)
        assert_string_equal (reply.status->field, field);
    cf_api_reply_clear (&reply);
}

static void
test_add_and_moves (void **state)
{
    (void) state;
    s_world_t world = { gateway_webhooks_new (), 0 };
    char *types [] = { "nl.sociaal-domein.intake.case-registered",
                       "nl.sociaal-domein.notification.*", "nl.sociaal-domein.intake.case-closed" };
    Caseflow__V1__Gateway__StreamCursor from = CASEFLOW__V1__GATEWAY__STREAM_CURSOR__INIT;
    from.stream = "notification";
    from.seq = 40;
    Caseflow__V1__Gateway__StreamCursor *froms [] = { &from };
    Caseflow__V1__Gateway__WebhookAdd add = CASEFLOW__V1__GATEWAY__WEBHOOK_ADD__INIT;
    add.sink = "https://sink.example/hook";
    add.types = types;
    add.n_types = 3;
    add.from = froms;
    add.n_from = 1;
    Caseflow__V1__Gateway__Command command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_ADD;
    command.webhook_add = &add;

    //  Refusals, each naming its field.
    add.sink = "ftp://sink.example/";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.sink");
    add.sink = "https://";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.sink");
    add.sink = "https://sink.example/a b";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.sink");
    add.sink = "https://sink.example/hook";
    types [1] = "nl.sociaal-domein.Notification.*";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.types");
    types [1] = "nl.sociaal-domein.notification.*";
    add.token = "short";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.token");
    //  A token needs the key store: without the runtime, none can be kept.
    add.token = "a-long-enough-token-0123456789";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__UNAVAILABLE,
              "command.gateway.webhook_add.token");
    add.token = NULL;
    from.stream = "handover";
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.from");
    from.stream = "notification";
    from.seq = 0;
    s_expect (&world, &command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_add.from");
    from.seq = 40;
    assert_int_equal (world.seq, 0);  //  nothing recorded

    Caseflow__V1__Reply reply;
    assert_int_equal (s_decide (&world, &command, &reply), CASEFLOW__V1__STATUS__CODE__OK);
    const Caseflow__V1__Gateway__SubscriptionAdded *added =
        reply.command->gateway->subscription_added;
    char id [64];
    snprintf (id, sizeof id, "%s", added->subscription_id);
    assert_int_equal (strlen (id), 27);
    assert_int_equal (id [0], 'W');
    //  Two streams, in the order named: intake at its head, notification
    //  just before --from.
    assert_int_equal (added->n_cursors, 2);
    assert_string_equal (added->cursors [0]->stream, "intake");
    assert_int_equal (added->cursors [0]->seq, 0);
    assert_string_equal (added->cursors [1]->stream, "notification");
    assert_int_equal (added->cursors [1]->seq, 39);
    assert_null (added->token);
    cf_api_reply_clear (&reply);
    gateway_subscription_t *subscription = gateway_webhooks_find (world.webhooks, id);
    assert_int_equal (subscription->state, GATEWAY_SUBSCRIPTION_VERIFYING);

    //  Pause while verifying: refused by the table.
    Caseflow__V1__Gateway__WebhookPause pause = CASEFLOW__V1__GATEWAY__WEBHOOK_PAUSE__INIT;
    pause.subscription_id = id;
    Caseflow__V1__Gateway__Command pause_command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    pause_command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_PAUSE;
    pause_command.webhook_pause = &pause;
    assert_int_equal (s_decide (&world, &pause_command, &reply),
                      CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION);
    assert_non_null (strstr (reply.status->message, "is verifying; pause needs it active"));
    cf_api_reply_clear (&reply);
    //  Verified (what the handshake journals), then pause and remove.
    Caseflow__V1__Gateway__SubscriptionVerified verified =
        CASEFLOW__V1__GATEWAY__SUBSCRIPTION_VERIFIED__INIT;
    verified.subscription_id = id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_SUBSCRIPTION_VERIFIED;
    event.subscription_verified = &verified;
    s_emit (&world, &event);
    s_expect (&world, &pause_command, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    assert_int_equal (subscription->state, GATEWAY_SUBSCRIPTION_PAUSED);
    s_expect (&world, &pause_command, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
              "command.gateway.webhook_pause.subscription_id");
    pause.subscription_id = "WNOSUCH";
    s_expect (&world, &pause_command, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
              "command.gateway.webhook_pause.subscription_id");
    pause.subscription_id = "";
    s_expect (&world, &pause_command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_pause.subscription_id");

    //  Parked events (as the delivery journals them), then resend.
    for (uint64_t seq = 5; seq <= 7; seq++) {
        Caseflow__V1__Gateway__EventParked parked = CASEFLOW__V1__GATEWAY__EVENT_PARKED__INIT;
        parked.subscription_id = id;
        parked.stream = "intake";
        parked.seq = seq;
        parked.event_id = "E";
        parked.reason = "HTTP 500";
        parked.attempts = 12;
        Caseflow__V1__Event park = CASEFLOW__V1__EVENT__INIT;
        park.body_case = CASEFLOW__V1__EVENT__BODY_EVENT_PARKED;
        park.event_parked = &parked;
        s_emit (&world, &park);
    }
    Caseflow__V1__Gateway__WebhookResend resend = CASEFLOW__V1__GATEWAY__WEBHOOK_RESEND__INIT;
    resend.subscription_id = id;
    Caseflow__V1__Gateway__Command resend_command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    resend_command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_RESEND;
    resend_command.webhook_resend = &resend;
    //  Neither: the oldest.
    assert_int_equal (s_decide (&world, &resend_command, &reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (reply.command->gateway->parked_resent->n_events, 1);
    assert_int_equal (reply.command->gateway->parked_resent->events [0]->seq, 5);
    cf_api_reply_clear (&reply);
    assert_true (subscription->parked [0].resending);
    //  One that is not parked; a seq without a stream.
    resend.stream = "intake";
    resend.seq = 9;
    s_expect (&world, &resend_command, CASEFLOW__V1__STATUS__CODE__NOT_FOUND,
              "command.gateway.webhook_resend.seq");
    resend.stream = NULL;
    s_expect (&world, &resend_command, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT,
              "command.gateway.webhook_resend.stream");
    resend.stream = "intake";
    resend.seq = 7;
    assert_int_equal (s_decide (&world, &resend_command, &reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (reply.command->gateway->parked_resent->n_events, 1);
    cf_api_reply_clear (&reply);
    //  All: those not already on their way (6).
    resend.stream = NULL;
    resend.seq = 0;
    resend.all = true;
    assert_int_equal (s_decide (&world, &resend_command, &reply), CASEFLOW__V1__STATUS__CODE__OK);
    assert_int_equal (reply.command->gateway->parked_resent->n_events, 1);
    assert_int_equal (reply.command->gateway->parked_resent->events [0]->seq, 6);
    cf_api_reply_clear (&reply);

    //  Queries: the list, one status, the parked list.
    Caseflow__V1__Gateway__WebhookListQuery list = CASEFLOW__V1__GATEWAY__WEBHOOK_LIST_QUERY__INIT;
    Caseflow__V1__Gateway__Query query = CASEFLOW__V1__GATEWAY__QUERY__INIT;
    query.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOKS;
    query.webhooks = &list;
    cf_api_reply_init (&reply, "q");
    gateway_webhooks_query (world.webhooks, NULL, &query, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__OK);
    const Caseflow__V1__Gateway__WebhookList *listed = reply.query->gateway->webhooks;
    assert_int_equal (listed->n_subscriptions, 1);
    assert_string_equal (listed->subscriptions [0]->subscription_id, id);
    assert_int_equal (listed->subscriptions [0]->state,
                      CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_PAUSED);
    assert_int_equal (listed->subscriptions [0]->parked, 0);  //  all three on their way
    assert_int_equal (listed->subscriptions [0]->n_cursors, 2);
    assert_int_equal (listed->subscriptions [0]->cursors [0]->seq, 7);
    cf_api_reply_clear (&reply);
    Caseflow__V1__Gateway__WebhookParkedQuery parked_query =
        CASEFLOW__V1__GATEWAY__WEBHOOK_PARKED_QUERY__INIT;
    query.body_case = CASEFLOW__V1__GATEWAY__QUERY__BODY_WEBHOOK_PARKED;
    query.webhook_parked = &parked_query;
    cf_api_reply_init (&reply, "q");
    gateway_webhooks_query (world.webhooks, NULL, &query, &reply);
    assert_int_equal (reply.query->gateway->parked->n_parked, 3);
    assert_string_equal (reply.query->gateway->parked->parked [0]->reason, "HTTP 500");
    cf_api_reply_clear (&reply);
    parked_query.subscription_id = "WNOSUCH";
    cf_api_reply_init (&reply, "q");
    gateway_webhooks_query (world.webhooks, NULL, &query, &reply);
    assert_int_equal (cf_api_reply_code (&reply), CASEFLOW__V1__STATUS__CODE__NOT_FOUND);
    cf_api_reply_clear (&reply);

    //  Remove: final.
    Caseflow__V1__Gateway__WebhookRemove remove = CASEFLOW__V1__GATEWAY__WEBHOOK_REMOVE__INIT;
    remove.subscription_id = id;
    Caseflow__V1__Gateway__Command remove_command = CASEFLOW__V1__GATEWAY__COMMAND__INIT;
    remove_command.body_case = CASEFLOW__V1__GATEWAY__COMMAND__BODY_WEBHOOK_REMOVE;
    remove_command.webhook_remove = &remove;
    s_expect (&world, &remove_command, CASEFLOW__V1__STATUS__CODE__OK, NULL);
    s_expect (&world, &remove_command, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
              "command.gateway.webhook_remove.subscription_id");
    resend.all = true;
    s_expect (&world, &resend_command, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION,
              "command.gateway.webhook_resend.subscription_id");
    gateway_webhooks_destroy (&world.webhooks);
}

int
main (void)
{
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_add_and_moves),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
