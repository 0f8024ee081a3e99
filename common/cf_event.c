//  cf_event: helpers for the Event envelope.
#include "cf_event.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

const char *
cf_event_type_name (const Caseflow__V1__Event *event)
{
    if (event->body_case == CASEFLOW__V1__EVENT__BODY__NOT_SET)
        return "Unknown";
    //  The generated descriptor knows every body field and its message type,
    //  so topics never drift from the .proto files.
    const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field (
        &caseflow__v1__event__descriptor, (unsigned) event->body_case);
    if (!field || field->type != PROTOBUF_C_TYPE_MESSAGE || !field->descriptor)
        return "Unknown";
    return ((const ProtobufCMessageDescriptor *) field->descriptor)->short_name;
}

char *
cf_event_topic (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    //  As snprintf "%s.%s" (cut to fit), without its cost: every published
    //  event needs its topic.
    const char *parts [3] = { event->stream ? event->stream : "(null)", ".",
                              cf_event_type_name (event) };
    size_t len = 0;
    for (int i = 0; i < 3 && size; i++) {
        size_t part = strlen (parts [i]);
        if (part > size - 1 - len)
            part = size - 1 - len;
        memcpy (buf + len, parts [i], part);
        len += part;
    }
    if (size)
        buf [len] = 0;
    return buf;
}

static bool
s_id_valid (const char *id)
{
    size_t len = strlen (id);
    return len >= 1 && len <= 64;
}

Caseflow__V1__Event *
cf_event_decode (const void *data, size_t size, const char *stream, const char **why_p)
{
    return cf_event_decode_with (data, size, stream, why_p, NULL);
}

Caseflow__V1__Event *
cf_event_decode_with (const void *data, size_t size, const char *stream, const char **why_p,
                      ProtobufCAllocator *allocator)
{
    const char *why = NULL;
    Caseflow__V1__Event *event = NULL;
    if (size > CF_EVENT_MAX_SIZE)
        why = "event too large";
    else {
        event = caseflow__v1__event__unpack (allocator, size, data);
        if (!event)
            why = "not a caseflow.v1.Event";
        else if (!s_id_valid (event->id))
            why = "event id missing or too long";
        else if (!*event->stream || strlen (event->stream) > 64)
            why = "event stream missing or too long";
        else if (stream && strcmp (event->stream, stream) != 0)
            why = "event from another stream";
        else if (event->seq == 0)
            why = "event seq missing";
        else if (strcmp (cf_event_type_name (event), "Unknown") == 0)
            why = "event body missing or unknown";
    }
    if (why) {
        if (event)
            caseflow__v1__event__free_unpacked (event, allocator);
        event = NULL;
    }
    if (why_p)
        *why_p = why;
    return event;
}

//  An EventBatch's only field: number 1, wire type 2 (length-delimited).
#define S_BATCH_EVENTS_KEY ((1 << 3) | 2)

//  Reads a protobuf varint at *cursor (before end). Returns false if it
//  does not end in time or is longer than 64 bits.
static bool
s_read_varint (const uint8_t **cursor, const uint8_t *end, uint64_t *value_p)
{
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 64 && *cursor < end; shift += 7) {
        uint8_t byte = *(*cursor)++;
        value |= (uint64_t) (byte & 0x7F) << shift;
        if (!(byte & 0x80)) {
            *value_p = value;
            return true;
        }
    }
    return false;
}

int
cf_event_batch_next (const uint8_t **cursor, const uint8_t *end, const uint8_t **event_p,
                     size_t *size_p)
{
    assert (cursor && *cursor && end && event_p && size_p);
    while (*cursor < end) {
        uint64_t key, length = 0;
        if (!s_read_varint (cursor, end, &key))
            return -1;
        switch (key & 7) {
            case 0:  //  varint
                if (!s_read_varint (cursor, end, &length))
                    return -1;
                length = 0;
                break;
            case 1:  //  64 bits
                length = 8;
                break;
            case 2:  //  length-delimited
                if (!s_read_varint (cursor, end, &length))
                    return -1;
                break;
            case 5:  //  32 bits
                length = 4;
                break;
            default: return -1;
        }
        if (key >> 3 == 0 || length > (uint64_t) (end - *cursor))
            return -1;
        const uint8_t *field = *cursor;
        *cursor += length;
        if (key == S_BATCH_EVENTS_KEY) {
            *event_p = field;
            *size_p = (size_t) length;
            return 1;
        }
    }
    return 0;
}

size_t
cf_event_batch_put (uint8_t *out, const void *data, size_t size)
{
    uint8_t *cursor = out;
    *cursor++ = S_BATCH_EVENTS_KEY;
    for (uint64_t length = size;; length >>= 7) {
        if (length < 0x80) {
            *cursor++ = (uint8_t) length;
            break;
        }
        *cursor++ = (uint8_t) (length | 0x80);
    }
    if (size)
        memcpy (cursor, data, size);
    return (size_t) (cursor - out) + size;
}
