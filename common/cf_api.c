//  cf_api: decoding and checking requests, building replies.
//
//  protobuf-c decodes many random byte strings as valid messages (proto3
//  skips unknown fields), so every decoded Request is checked for meaning
//  before any handler sees it.
#include "cf_api.h"

#include "cf_error.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
cf_strdup (const char *text)
{
    char *copy = strdup (text ? text : "");
    assert (copy);
    return copy;
}

void *
cf_api_copy_message (const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    protobuf_c_message_pack (message, data);
    ProtobufCMessage *copy = protobuf_c_message_unpack (message->descriptor, NULL, size, data);
    free (data);
    assert (copy);
    return copy;
}

bool
cf_api_token_valid (const char *id)
{
    size_t len = strlen (id);
    if (len == 0 || len > CF_API_MAX_REQUEST_ID)
        return false;
    for (size_t i = 0; i < len; i++)
        if (id [i] <= ' ' || id [i] > '~')
            return false;
    return true;
}

//  True when `oneof_case` names a field the generated descriptor knows.
static bool
s_oneof_known (const ProtobufCMessageDescriptor *descriptor, unsigned oneof_case)
{
    return oneof_case != 0
           && protobuf_c_message_descriptor_get_field (descriptor, oneof_case) != NULL;
}

//  Reads a base-128 varint at *at (before end); false when cut short or
//  longer than 64 bits.
static bool
s_read_varint (const uint8_t **at, const uint8_t *end, uint64_t *value_p)
{
    uint64_t value = 0;
    for (int shift = 0; shift < 64 && *at < end; shift += 7) {
        uint8_t byte = *(*at)++;
        value |= (uint64_t) (byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value_p = value;
            return true;
        }
    }
    return false;
}

#define S_PEEK_FIELDS 8  //  fields looked at for the request id

bool
cf_api_peek_request_id (const void *data, size_t size, char id [CF_API_MAX_REQUEST_ID + 1])
{
    *id = 0;
    const uint8_t *at = data, *end = at + size;
    for (int field = 0; field < S_PEEK_FIELDS && at < end; field++) {
        uint64_t tag, value;
        if (!s_read_varint (&at, end, &tag))
            return false;
        switch (tag & 7) {
            case 0:  //  varint
                if (!s_read_varint (&at, end, &value))
                    return false;
                break;
            case 1: value = 8; goto skip;  //  fixed64
            case 5: value = 4; goto skip;  //  fixed32
            case 2:                        //  length-delimited
                if (!s_read_varint (&at, end, &value))
                    return false;
                if (tag >> 3 == 1) {
                    if (value == 0 || value > CF_API_MAX_REQUEST_ID
                        || value > (uint64_t) (end - at))
                        return false;
                    memcpy (id, at, value);
                    id [value] = 0;
                    if (cf_api_token_valid (id))
                        return true;
                    *id = 0;
                    return false;
                }
            skip:
                if (value > (uint64_t) (end - at))
                    return false;
                at += value;
                break;
            default: return false;  //  groups: no caseflow message has them
        }
    }
    return false;
}

//  The shape of a decoded request: repeated fields within
//  CF_API_MAX_REPEATED, unknown fields within `unknown_max`. `path` holds
//  the dotted path of the message being walked ("" for the Request).
typedef struct {
    size_t unknown, unknown_max;
    char path [256];
    char why [160];
} s_shape_t;

//  Appends ".name" (or "name" at the top) to the path at length `at`.
static void
s_shape_enter (s_shape_t *shape, size_t at, const char *name)
{
    snprintf (shape->path + at, sizeof shape->path - at, "%s%s", at ? "." : "", name);
}

static bool
s_shape_check (s_shape_t *shape, const ProtobufCMessage *message)
{
    size_t at = strlen (shape->path);
    if (message->n_unknown_fields) {
        shape->unknown += message->n_unknown_fields;
        if (shape->unknown > shape->unknown_max) {
            if (!at)
                snprintf (shape->path, sizeof shape->path, "request");
            snprintf (shape->why, sizeof shape->why,
                      "carries field %u, which this version of the service does not know%s",
                      (unsigned) message->unknown_fields [0].tag,
                      shape->unknown_max ? " (and too many such fields)" : "");
            return false;
        }
    }
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    for (unsigned f = 0; f < descriptor->n_fields; f++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [f];
        const char *base = (const char *) message;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            if (count > CF_API_MAX_REPEATED) {
                s_shape_enter (shape, at, field->name);
                snprintf (shape->why, sizeof shape->why, "has %zu items; at most %d", count,
                          CF_API_MAX_REPEATED);
                return false;
            }
            if (field->type != PROTOBUF_C_TYPE_MESSAGE)
                continue;
            ProtobufCMessage *const *items =
                *(ProtobufCMessage *const *const *) (base + field->offset);
            for (size_t i = 0; i < count; i++) {
                s_shape_enter (shape, at, field->name);
                if (!s_shape_check (shape, items [i]))
                    return false;
            }
        } else if (field->type == PROTOBUF_C_TYPE_MESSAGE) {
            if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
                && *(const uint32_t *) (base + field->quantifier_offset) != field->id)
                continue;
            const ProtobufCMessage *inner = *(ProtobufCMessage *const *) (base + field->offset);
            if (!inner)
                continue;
            s_shape_enter (shape, at, field->name);
            if (!s_shape_check (shape, inner))
                return false;
        }
    }
    shape->path [at] = 0;
    return true;
}

Caseflow__V1__Request *
cf_api_decode_request (const void *data, size_t size, Caseflow__V1__Reply *reply)
{
    return cf_api_decode_request_with (data, size, reply, NULL);
}

Caseflow__V1__Request *
cf_api_decode_request_with (const void *data, size_t size, Caseflow__V1__Reply *reply,
                            ProtobufCAllocator *allocator)
{
    if (size > CF_API_MAX_MESSAGE) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "request",
                             "request of %zu bytes is over the limit of %d", size,
                             CF_API_MAX_MESSAGE);
        return NULL;
    }
    Caseflow__V1__Request *request = caseflow__v1__request__unpack (allocator, size, data);
    if (!request) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "request",
                             "not a caseflow.v1.Request");
        return NULL;
    }
    const char *field = NULL;
    const char *why = NULL;
    if (!cf_api_token_valid (request->request_id)) {
        field = "request_id";
        why = "must be 1-64 printable ASCII characters without spaces";
    } else {
        //  A reply initialised without an id holds protobuf-c's static
        //  empty string, which must not be freed.
        if (reply->request_id != protobuf_c_empty_string)
            free (reply->request_id);
        reply->request_id = cf_strdup (request->request_id);
        if (*request->on_behalf_of && !cf_api_token_valid (request->on_behalf_of)) {
            field = "on_behalf_of";
            why = "must be 1-64 printable ASCII characters without spaces (a user id)";
        } else
            switch (request->body_case) {
                case CASEFLOW__V1__REQUEST__BODY_COMMAND:
                    if (!s_oneof_known (&caseflow__v1__command__descriptor,
                                        request->command->body_case)) {
                        field = "command";
                        why = "no command, or one this service version does not know";
                    }
                    break;
                case CASEFLOW__V1__REQUEST__BODY_QUERY:
                    if (!s_oneof_known (&caseflow__v1__query__descriptor,
                                        request->query->body_case)) {
                        field = "query";
                        why = "no query, or one this service version does not know";
                    }
                    break;
                case CASEFLOW__V1__REQUEST__BODY_REPLAY:
                    if (request->replay->from_seq == 0) {
                        field = "replay.from_seq";
                        why = "must be at least 1";
                    }
                    break;
                default: field = "body"; why = "must be one of command, query, replay";
            }
    }
    s_shape_t shape = { .unknown_max = request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND
                                           ? 0
                                           : CF_API_MAX_UNKNOWN };
    if (!field && !s_shape_check (&shape, &request->base)) {
        field = shape.path;
        why = shape.why;
    }
    if (field) {
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field, "%s", why);
        caseflow__v1__request__free_unpacked (request, allocator);
        return NULL;
    }
    return request;
}

void
cf_api_reply_init (Caseflow__V1__Reply *reply, const char *request_id)
{
    caseflow__v1__reply__init (reply);
    if (request_id)
        reply->request_id = cf_strdup (request_id);
}

void
cf_api_reply_clear (Caseflow__V1__Reply *reply)
{
    //  free_unpacked frees the message itself too, so free a heap copy of
    //  the struct that owns all the attached pieces.
    Caseflow__V1__Reply *owned = malloc (sizeof *owned);
    assert (owned);
    *owned = *reply;
    caseflow__v1__reply__free_unpacked (owned, NULL);
    caseflow__v1__reply__init (reply);
}

int
cf_api_reply_status (Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code, const char *field,
                     const char *fmt, ...)
{
    if (!reply->status) {
        reply->status = malloc (sizeof *reply->status);
        assert (reply->status);
        caseflow__v1__status__init (reply->status);
    }
    Caseflow__V1__Status *status = reply->status;
    status->code = code;
    if (status->field != protobuf_c_empty_string)
        free (status->field);
    status->field = cf_strdup (field ? field : "");
    if (status->message != protobuf_c_empty_string)
        free (status->message);
    va_list args;
    va_start (args, fmt);
    int rc = vasprintf (&status->message, fmt, args);
    va_end (args);
    assert (rc >= 0);
    return (int) code;
}

bool
cf_api_reply_invalid (Caseflow__V1__Reply *reply, const char *field, const char *fmt, ...)
{
    const char *dot = strrchr (field, '.');
    char why [512];
    va_list args;
    va_start (args, fmt);
    vsnprintf (why, sizeof why, fmt, args);
    va_end (args);
    cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field, "%s %s",
                         dot ? dot + 1 : field, why);
    return false;
}

Caseflow__V1__Status__Code
cf_api_reply_code (const Caseflow__V1__Reply *reply)
{
    return reply->status ? reply->status->code : CASEFLOW__V1__STATUS__CODE__OK;
}

Caseflow__V1__CommandResult *
cf_api_reply_command (Caseflow__V1__Reply *reply)
{
    if (reply->result_case != CASEFLOW__V1__REPLY__RESULT_COMMAND) {
        assert (reply->result_case == CASEFLOW__V1__REPLY__RESULT__NOT_SET);
        reply->command = malloc (sizeof *reply->command);
        assert (reply->command);
        caseflow__v1__command_result__init (reply->command);
        reply->result_case = CASEFLOW__V1__REPLY__RESULT_COMMAND;
    }
    return reply->command;
}

Caseflow__V1__QueryResult *
cf_api_reply_query (Caseflow__V1__Reply *reply)
{
    if (reply->result_case != CASEFLOW__V1__REPLY__RESULT_QUERY) {
        assert (reply->result_case == CASEFLOW__V1__REPLY__RESULT__NOT_SET);
        reply->query = malloc (sizeof *reply->query);
        assert (reply->query);
        caseflow__v1__query_result__init (reply->query);
        reply->result_case = CASEFLOW__V1__REPLY__RESULT_QUERY;
    }
    return reply->query;
}

void *
cf_api_encode_reply (const Caseflow__V1__Reply *reply, size_t *size_p)
{
    size_t size = caseflow__v1__reply__get_packed_size (reply);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    caseflow__v1__reply__pack (reply, data);
    *size_p = size;
    return data;
}

const char *
cf_api_code_name (Caseflow__V1__Status__Code code)
{
    switch (code) {
        case CASEFLOW__V1__STATUS__CODE__OK: return "ok";
        case CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT: return "invalid_argument";
        case CASEFLOW__V1__STATUS__CODE__NOT_FOUND: return "not_found";
        case CASEFLOW__V1__STATUS__CODE__CONFLICT: return "conflict";
        case CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION: return "failed_precondition";
        case CASEFLOW__V1__STATUS__CODE__UNAUTHENTICATED: return "unauthenticated";
        case CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED: return "permission_denied";
        case CASEFLOW__V1__STATUS__CODE__UNAVAILABLE: return "unavailable";
        case CASEFLOW__V1__STATUS__CODE__INTERNAL: return "internal";
        default: return "unknown";
    }
}
