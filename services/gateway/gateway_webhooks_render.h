//  gateway_webhooks_render: an event of any stream as the CloudEvent a webhook
//  sink receives (NL GOV profile for CloudEvents; docs/cloudevents.md
//  "Outbound").
//
//      specversion      "1.0"
//      id               the event's id (a ULID: stable across every resend)
//      source           <source prefix><stream>, a URN: "urn:nld:caseflow:intake"
//                       by default; a deployment with an OIN sets the prefix
//                       ("urn:nld:oin:<OIN>:systeem:caseflow:")
//      type             "nl.sociaal-domein.<stream>.<event-in-kebab-case>",
//                       the kebab case of the body's message name, from the
//                       generated descriptor (CaseRegistered: case-registered)
//      subject          the case id; absent when the event concerns no case
//      time             occurred_at, RFC 3339 in UTC
//      sequence         the stream's seq, zero-padded to 20 digits (orders as text)
//      datacontenttype  "application/json"
//      dataref          <dataref base>/cases/<case id>: the console's case
//                       API, behind its sign-in, where an authorised reader
//                       gets the details; absent without a case id
//      data             the body's plain fields (below)
//
//  `data` is written generically from the body's descriptor, never from a
//  list of events, so a new event is rendered without a change here. It is
//  data-poor by rule:
//    - a Sealed, a Personal or a PersonalData is never written, nor any
//      bytes field;
//    - nor a field that names a resident's pseudonym or keys (`subject`,
//      `*_key_id`, `*key_ids`): they link one resident's cases together;
//    - in a message that carries a Sealed (its personal values travel
//      there), only identifiers (`id`, `*_id`, `*_ids`) of its strings are
//      written: its other strings are exactly the ones a store of format 2
//      held in plain (a question, a reason, a note), never sent even when
//      a replayed old event still has them;
//    - enums as lower-case words (the value name less the enum's prefix,
//      "URGENCY_URGENT" -> "urgent", '_' -> '-'); int64 fields that hold
//      microseconds since the epoch as RFC 3339 times, known by their
//      name (gateway_webhooks_is_time); repeated fields as arrays; nested
//      messages by the same rules; empty strings and unspecified enums
//      left out.
#ifndef GATEWAY_WEBHOOKS_RENDER_H
#define GATEWAY_WEBHOOKS_RENDER_H

#include "caseflow/v1/event.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

#define GATEWAY_SOURCE_PREFIX_DEFAULT "urn:nld:caseflow:"
#define GATEWAY_DATAREF_BASE_DEFAULT  "http://127.0.0.1:8651/api"

typedef struct {
    const char *source_prefix;  //  NULL: GATEWAY_SOURCE_PREFIX_DEFAULT
    const char *dataref_base;   //  NULL: GATEWAY_DATAREF_BASE_DEFAULT
} gateway_webhooks_render_options_t;

//  Writes the event's CloudEvents type into `buf` (160 bytes are enough
//  for every stream and message name caseflow has). Returns buf; "" when
//  the body is not set.
char *
gateway_webhooks_type (const Caseflow__V1__Event *event, char *buf, size_t size);

//  Whether an int64 field of an event body named `name` holds microseconds
//  since the epoch (and is rendered as RFC 3339): `at`, `deadline`, `from`,
//  `until`, or a name ending in `_at`, `_by`, `_from`, `_until` or `_time`.
//  caseflow's protos name every such field so; test_webhooks_render walks
//  every event body and fails on an int64 field this does not classify.
bool
gateway_webhooks_is_time (const char *name);

//  The structured-mode CloudEvent of `event` as compact JSON text (free
//  with free). Never NULL (out of memory aborts).
char *
gateway_webhooks_render (const Caseflow__V1__Event *event,
                         const gateway_webhooks_render_options_t *options);

#endif
