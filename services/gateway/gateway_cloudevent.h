//  gateway_cloudevent: CloudEvents 1.0 off an HTTP request, in the three
//  modes of the HTTP protocol binding, checked against the NL GOV profile.
//
//      structured  application/cloudevents+json: one JSON object
//      batch       application/cloudevents-batch+json: a JSON array of
//                  such objects (1-1000), all or nothing
//      binary      the attributes in ce-* headers (percent-encoded), the
//                  body the data; its Content-Type is the datacontenttype
//
//  The profile, attribute by attribute: `specversion` "1.0"; `id` 1-256
//  printable characters; `source` an NL GOV URN ("urn:nld:…",
//  gateway_validate); `type` non-empty (the catalogue is the caller's
//  question: unknown 400, not allowed 403); `time` RFC 3339 with a zone
//  (required); `subject` never personal: absent, empty or a case id
//  ("C" and 6-19 digits); `datacontenttype` absent or application/json
//  (parameters allowed); `data` a JSON object (`data_base64` is refused:
//  the catalogue's data is JSON). Extension attributes must be named as
//  the spec says (1-20 of a-z 0-9) and hold a string, a number or a bool;
//  they are read and not kept. Every attribute of the spec must be a
//  string.
//
//  JSON is parsed by jansson, which refuses invalid UTF-8, NUL in strings
//  and duplicate keys here, and bounds nesting. Pure: no state, no I/O;
//  every refusal fills a problem naming the attribute (or the data field,
//  gateway_data.h) and, in a batch, the event's position.
#ifndef GATEWAY_CLOUDEVENT_H
#define GATEWAY_CLOUDEVENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GATEWAY_CE_ID_MAX 256
#define GATEWAY_BATCH_MAX 1000
#define GATEWAY_NO_INDEX  SIZE_MAX

//  Why a request is refused: an HTTP status (400, 403, 415), the attribute
//  or data field at fault ("source", "data.resident.bsn"; "" for the
//  request as a whole), a detail for people (never quoting a value that
//  may be personal) and, in a batch, the position of the event.
typedef struct {
    int status;
    char attribute [96];
    char detail [256];
    size_t index;
} gateway_problem_t;

//  One CloudEvent, its attributes copied. `data` is a reference the event
//  holds (json_decref'd by gateway_ce_release).
typedef struct {
    char *id;
    char *source;
    char *type;
    char *subject;  //  "" when absent
    int64_t time;   //  microseconds since the epoch
    json_t *data;   //  a JSON object
} gateway_ce_t;

typedef enum {
    GATEWAY_MODE_NONE = 0,  //  none of the three: 415
    GATEWAY_MODE_STRUCTURED,
    GATEWAY_MODE_BATCH,
    GATEWAY_MODE_BINARY,
} gateway_mode_t;

//  Sets `problem` (status, attribute, then a printf detail) and returns
//  -1, for `return gateway_problem (…)`.
int
gateway_problem (gateway_problem_t *problem, int status, const char *attribute, const char *fmt,
                 ...) __attribute__ ((format (printf, 4, 5)));

//  The mode of a request from its Content-Type (may be NULL) and whether
//  it has a ce-specversion header.
gateway_mode_t
gateway_ce_mode (const char *content_type, bool has_ce_specversion);

//  True when the media type of `content_type` is `type` (case-insensitive,
//  parameters after ';' ignored).
bool
gateway_media_type_is (const char *content_type, const char *type);

//  Parses a structured-mode body into *out. 0, or -1 with `problem` set
//  (400; 415 for a datacontenttype that is not JSON).
int
gateway_ce_parse_structured (const char *body, size_t size, gateway_ce_t *out,
                             gateway_problem_t *problem);

//  Parses a batch-mode body: a fresh array of *count_p events (free with
//  gateway_ce_release_all). 0, or -1 with `problem` set (its index the
//  event at fault).
int
gateway_ce_parse_batch (const char *body, size_t size, gateway_ce_t **events_p, size_t *count_p,
                        gateway_problem_t *problem);

//  Looks up a request header (case-insensitive); NULL when absent.
typedef const char *(gateway_header_fn) (const void *ctx, const char *name);

//  Parses a binary-mode request: the ce-* headers through `header` (with
//  `ctx`), the Content-Type, and the body as the data. 0, or -1 with
//  `problem` set (415 when the Content-Type is not application/json).
int
gateway_ce_parse_binary (gateway_header_fn *header, const void *ctx, const char *body, size_t size,
                         gateway_ce_t *out, gateway_problem_t *problem);

//  RFC 3339 date-time ("2022-03-01T09:00:00Z", "…+01:00", fractions up to
//  microseconds) into microseconds since the epoch. True when it is one.
bool
gateway_rfc3339_parse (const char *text, int64_t *at_p);

//  Frees what an event holds (not the struct); zeroes it.
void
gateway_ce_release (gateway_ce_t *self);

//  Releases `count` events and frees the array; safe on NULL.
void
gateway_ce_release_all (gateway_ce_t *events, size_t count);

#endif
