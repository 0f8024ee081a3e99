//  gateway_lifecycle: the transition tables of the gateway.
//
//  A publisher:
//
//      (none) ──add──▶ active ──remove──▶ removed ──add──▶ active
//                       │  ▲
//                       └──┘ rotate
//
//  An inbound event, once accepted, is settled by the first outcome its
//  consumer records (InboundOutcome, followed back from intake's or
//  handover's stream):
//
//      accepted ──apply──▶ applied
//          └─────reject──▶ rejected
//
//  Every publisher command asks the publisher table (common/cf_lifecycle.h);
//  an illegal move is refused in one place with one message naming the
//  current state ("publisher front-office is removed; rotate needs it
//  active"). Apply asks both tables: an own event always makes a listed
//  move (asserted); an outcome the inbound table refuses (a second word on
//  a settled event) changes nothing.
#ifndef GATEWAY_LIFECYCLE_H
#define GATEWAY_LIFECYCLE_H

#include "caseflow/v1/api.pb-c.h"
#include "gateway_state.h"

typedef enum {
    GATEWAY_PUBLISHER_ADD,
    GATEWAY_PUBLISHER_ROTATE,
    GATEWAY_PUBLISHER_REMOVE,
    GATEWAY_PUBLISHER_ACTION_COUNT
} gateway_publisher_action_t;

typedef enum {
    GATEWAY_INBOUND_APPLY,
    GATEWAY_INBOUND_REJECT,
    GATEWAY_INBOUND_ACTION_COUNT
} gateway_inbound_action_t;

//  Where `action` takes a publisher in state `from`: 0 with *next_p, or
//  CF_ESTATE when the table has no such move.
int
gateway_lifecycle_publisher_next (gateway_publisher_state_t from, gateway_publisher_action_t action,
                                  gateway_publisher_state_t *next_p);

//  Asks the table for a command on publisher `id` in state `from` (NONE for
//  an unknown one): 0 when allowed; else refuses `reply` with
//  FAILED_PRECONDITION naming `field` and the state, and returns CF_ESTATE.
int
gateway_lifecycle_publisher_check (const char *id, gateway_publisher_state_t from,
                                   gateway_publisher_action_t action, Caseflow__V1__Reply *reply,
                                   const char *field);

//  Where `action` takes an inbound event in state `from`: 0 with *next_p,
//  or CF_ESTATE.
int
gateway_lifecycle_inbound_next (gateway_inbound_state_t from, gateway_inbound_action_t action,
                                gateway_inbound_state_t *next_p);

//  "active", "removed"; "none" for NONE.
const char *
gateway_publisher_state_name (gateway_publisher_state_t state);

#endif
