//  gateway_webhooks_render: the outbound CloudEvent (see the header for every
//  attribute and the rules that keep `data` free of personal data).
#include "gateway_webhooks_render.h"

#include "caseflow/v1/common.pb-c.h"
#include "cf_event.h"
#include "cf_time.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
gateway_webhooks_type (const Caseflow__V1__Event *event, char *buf, size_t size)
{
    buf [0] = '\0';
    if (event->body_case == CASEFLOW__V1__EVENT__BODY__NOT_SET)
        return buf;
    const char *name = cf_event_type_name (event);
    int used = snprintf (buf, size, "nl.sociaal-domein.%s.", event->stream);
    size_t at = used > 0 ? (size_t) used : 0;
    for (const char *c = name; *c && at + 2 < size; c++) {
        if (isupper ((unsigned char) *c)) {
            if (c != name)
                buf [at++] = '-';
            buf [at++] = (char) tolower ((unsigned char) *c);
        } else
            buf [at++] = *c;
    }
    buf [at < size ? at : size - 1] = '\0';
    return buf;
}

static bool
s_ends_with (const char *text, const char *tail)
{
    size_t length = strlen (text), tail_length = strlen (tail);
    return length >= tail_length && strcmp (text + length - tail_length, tail) == 0;
}

static bool
s_is_personal_message (const ProtobufCMessageDescriptor *descriptor)
{
    return descriptor == &caseflow__v1__sealed__descriptor
           || descriptor == &caseflow__v1__personal__descriptor
           || descriptor == &caseflow__v1__personal_data__descriptor;
}

static bool
s_carries_sealed (const ProtobufCMessageDescriptor *descriptor)
{
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (field->type == PROTOBUF_C_TYPE_MESSAGE
            && field->descriptor == &caseflow__v1__sealed__descriptor)
            return true;
    }
    return false;
}

static bool
s_is_identifier (const char *name)
{
    return strcmp (name, "id") == 0 || s_ends_with (name, "_id") || s_ends_with (name, "_ids");
}

//  Whether `field` of a message (that carries a Sealed or not) is written.
static bool
s_field_written (const ProtobufCFieldDescriptor *field, bool sealed_message)
{
    if (field->type == PROTOBUF_C_TYPE_BYTES)
        return false;
    if (field->type == PROTOBUF_C_TYPE_MESSAGE && s_is_personal_message (field->descriptor))
        return false;
    if (strcmp (field->name, "subject") == 0 || s_ends_with (field->name, "_key_id")
        || s_ends_with (field->name, "key_ids"))
        return false;
    if (sealed_message && field->type == PROTOBUF_C_TYPE_STRING)
        return s_is_identifier (field->name);
    return true;
}

bool
gateway_webhooks_is_time (const char *name)
{
    static const char *const exact [] = { "at", "deadline", "from", "until" };
    static const char *const tails [] = { "_at", "_by", "_from", "_until", "_time" };
    for (size_t i = 0; i < sizeof exact / sizeof exact [0]; i++)
        if (strcmp (name, exact [i]) == 0)
            return true;
    for (size_t i = 0; i < sizeof tails / sizeof tails [0]; i++)
        if (s_ends_with (name, tails [i]))
            return true;
    return false;
}

//  "URGENCY_URGENT" of enum Urgency -> "urgent"; "CASE_STATUS_WAITING" of
//  CaseStatus -> "waiting".
static json_t *
s_enum_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const ProtobufCEnumValue *known = protobuf_c_enum_descriptor_get_value (descriptor, value);
    if (!known)
        return json_integer (value);
    char prefix [128];
    size_t at = 0;
    for (const char *c = descriptor->short_name; *c && at + 3 < sizeof prefix; c++) {
        if (isupper ((unsigned char) *c) && c != descriptor->short_name)
            prefix [at++] = '_';
        prefix [at++] = (char) toupper ((unsigned char) *c);
    }
    prefix [at++] = '_';
    prefix [at] = '\0';
    const char *name = known->name;
    if (strncmp (name, prefix, at) == 0)
        name += at;
    char word [128];
    size_t length = 0;
    for (; *name && length + 1 < sizeof word; name++)
        word [length++] = *name == '_' ? '-' : (char) tolower ((unsigned char) *name);
    word [length] = '\0';
    return json_string (word);
}

static json_t *
s_message (const ProtobufCMessage *message);

//  One value of `field` at `member` (a pointer to the value's storage).
static json_t *
s_value (const ProtobufCFieldDescriptor *field, const void *member)
{
    char time [40];
    switch (field->type) {
        case PROTOBUF_C_TYPE_STRING: {
            const char *text = *(char *const *) member;
            return text && *text ? json_string (text) : NULL;
        }
        case PROTOBUF_C_TYPE_BOOL: return json_boolean (*(const protobuf_c_boolean *) member);
        case PROTOBUF_C_TYPE_ENUM: {
            int value = *(const int *) member;
            return value ? s_enum_word (field->descriptor, value) : NULL;
        }
        case PROTOBUF_C_TYPE_INT32:
        case PROTOBUF_C_TYPE_SINT32:
        case PROTOBUF_C_TYPE_SFIXED32: return json_integer (*(const int32_t *) member);
        case PROTOBUF_C_TYPE_UINT32:
        case PROTOBUF_C_TYPE_FIXED32: return json_integer (*(const uint32_t *) member);
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64: {
            int64_t value = *(const int64_t *) member;
            if (gateway_webhooks_is_time (field->name))
                return value ? json_string (cf_time_format_utc (value, time, sizeof time)) : NULL;
            return json_integer (value);
        }
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64: {
            uint64_t value = *(const uint64_t *) member;
            return value <= INT64_MAX ? json_integer ((json_int_t) value) : NULL;
        }
        case PROTOBUF_C_TYPE_FLOAT: return json_real (*(const float *) member);
        case PROTOBUF_C_TYPE_DOUBLE: return json_real (*(const double *) member);
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessage *nested = *(const ProtobufCMessage *const *) member;
            return nested ? s_message (nested) : NULL;
        }
        case PROTOBUF_C_TYPE_BYTES: return NULL;
    }
    return NULL;
}

static size_t
s_value_size (const ProtobufCFieldDescriptor *field)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_SINT64:
        case PROTOBUF_C_TYPE_SFIXED64:
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_FIXED64: return 8;
        case PROTOBUF_C_TYPE_DOUBLE: return sizeof (double);
        case PROTOBUF_C_TYPE_STRING:
        case PROTOBUF_C_TYPE_MESSAGE: return sizeof (void *);
        case PROTOBUF_C_TYPE_BOOL: return sizeof (protobuf_c_boolean);
        case PROTOBUF_C_TYPE_BYTES: return sizeof (ProtobufCBinaryData);
        default: return 4;
    }
}

static json_t *
s_message (const ProtobufCMessage *message)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    bool sealed_message = s_carries_sealed (descriptor);
    json_t *object = json_object ();
    assert (object);
    for (unsigned i = 0; i < descriptor->n_fields; i++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [i];
        if (!s_field_written (field, sealed_message))
            continue;
        const char *base = (const char *) message;
        //  A member of a oneof that is not the one set is not written.
        if (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            uint32_t which = *(const uint32_t *) (base + field->quantifier_offset);
            if (which != field->id)
                continue;
        }
        json_t *value = NULL;
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = *(const size_t *) (base + field->quantifier_offset);
            const char *items = *(const char *const *) (base + field->offset);
            if (count == 0)
                continue;
            value = json_array ();
            assert (value);
            for (size_t n = 0; n < count; n++) {
                json_t *item = s_value (field, items + n * s_value_size (field));
                if (item)
                    json_array_append_new (value, item);
            }
        } else
            value = s_value (field, base + field->offset);
        if (value)
            json_object_set_new (object, field->name, value);
    }
    return object;
}

//  The body message of `event`, from the Event descriptor's oneof field.
static const ProtobufCMessage *
s_body (const Caseflow__V1__Event *event)
{
    const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field (
        &caseflow__v1__event__descriptor, (unsigned) event->body_case);
    if (!field || field->type != PROTOBUF_C_TYPE_MESSAGE)
        return NULL;
    return *(const ProtobufCMessage *const *) ((const char *) event + field->offset);
}

char *
gateway_webhooks_render (const Caseflow__V1__Event *event,
                         const gateway_webhooks_render_options_t *options)
{
    const char *prefix =
        options && options->source_prefix ? options->source_prefix : GATEWAY_SOURCE_PREFIX_DEFAULT;
    const char *dataref =
        options && options->dataref_base ? options->dataref_base : GATEWAY_DATAREF_BASE_DEFAULT;
    char type [192], source [256], sequence [24], time [40];
    gateway_webhooks_type (event, type, sizeof type);
    snprintf (source, sizeof source, "%s%s", prefix, event->stream);
    snprintf (sequence, sizeof sequence, "%020" PRIu64, event->seq);
    json_t *root = json_object ();
    assert (root);
    json_object_set_new (root, "specversion", json_string ("1.0"));
    json_object_set_new (root, "id", json_string (event->id));
    json_object_set_new (root, "source", json_string (source));
    json_object_set_new (root, "type", json_string (type));
    if (event->case_id && *event->case_id) {
        json_object_set_new (root, "subject", json_string (event->case_id));
        char *ref = NULL;
        int rc = asprintf (&ref, "%s/cases/%s", dataref, event->case_id);
        assert (rc > 0);
        json_object_set_new (root, "dataref", json_string (ref));
        free (ref);
    }
    json_object_set_new (root, "time",
                         json_string (cf_time_format_utc (event->occurred_at, time, sizeof time)));
    json_object_set_new (root, "sequence", json_string (sequence));
    json_object_set_new (root, "datacontenttype", json_string ("application/json"));
    const ProtobufCMessage *body = s_body (event);
    json_object_set_new (root, "data", body ? s_message (body) : json_object ());
    char *text = json_dumps (root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert (text);
    json_decref (root);
    return text;
}
