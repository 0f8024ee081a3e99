//  gateway_validate: the gateway's field checks and its catalogue.
//
//  The catalogue (DESIGN.md, "CloudEvents at the edge") is the one list of
//  inbound CloudEvents types: each type's kind (what InboundAccepted's
//  content holds) and the publisher channels that may send it (a
//  telephone platform sends no referrals). A publisher may be allowed a
//  subset of its channel's types; the ingress refuses anything else with
//  403.
//
//  Publisher ids are 1-64 characters of [A-Za-z0-9._-]. A source is an NL
//  GOV profile URN: "urn:nld:" then 1-248 characters, printable ASCII
//  without spaces (RFC 8141's characters are a subset the profile leaves
//  to the organisation; a space or control character is never part of
//  one). Checks that answer a command name the field in the reply
//  (cf_api_reply_status); the ones the HTTP ingress also asks are plain
//  predicates.
#ifndef GATEWAY_VALIDATE_H
#define GATEWAY_VALIDATE_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/gateway.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

#define GATEWAY_PUBLISHER_ID_MAX 64
#define GATEWAY_SOURCE_MAX       256

typedef enum {
    GATEWAY_KIND_NONE = 0,
    GATEWAY_KIND_REFERRAL,
    GATEWAY_KIND_ANNOUNCEMENT,
    GATEWAY_KIND_DECISION_REQUESTED,
    GATEWAY_KIND_DECISION_ISSUED,
    GATEWAY_KIND_CALL_OFFERED,
    GATEWAY_KIND_CALL_ANSWERED,
    GATEWAY_KIND_CALL_ABANDONED,
} gateway_kind_t;

//  The kind of CloudEvents type `type`, GATEWAY_KIND_NONE when the
//  catalogue has no such type.
gateway_kind_t
gateway_catalogue_kind (const char *type);

//  True when a publisher of `channel` may be allowed `type`.
bool
gateway_catalogue_allows (Caseflow__V1__Gateway__PublisherChannel channel, const char *type);

//  The catalogue's types a publisher of `channel` may send, as "a, b or c"
//  into `buf`. Returns buf.
char *
gateway_catalogue_types (Caseflow__V1__Gateway__PublisherChannel channel, char *buf, size_t size);

//  True for a publisher id (1-64 of [A-Za-z0-9._-]).
bool
gateway_publisher_id_valid (const char *id);

//  True for an NL GOV source URN ("urn:nld:…", see above).
bool
gateway_source_valid (const char *source);

//  Checks a publisher id for `field` of a command: 0, or refuses `reply`
//  INVALID_ARGUMENT naming the field and returns CF_EINVAL.
int
gateway_check_publisher_id (Caseflow__V1__Reply *reply, const char *field, const char *id);

//  Checks PublisherAdd's source, types and channel (fields under
//  `prefix`): 0, or refuses `reply` INVALID_ARGUMENT naming the field.
int
gateway_check_publisher (Caseflow__V1__Reply *reply, const char *prefix,
                         const Caseflow__V1__Gateway__PublisherAdd *command);

#endif
