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
