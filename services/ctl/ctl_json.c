//  ctl_json: messages as JSON documents through jansson (ctl_render.h),
//  and the spec items both renderers read. The text renderer (ctl_text.c)
//  is made from these values; nothing here calls it back, so a map's key
//  is made text here.
#include "ctl_render.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  ----------------------------------------------------------------- spec

bool
ctl_item_next (const char **spec_p, ctl_item_t *item)
{
    const char *at = *spec_p + strspn (*spec_p, " ");
    memset (item, 0, sizeof *item);
    if (!*at)
        return false;
    size_t key = strcspn (at, "=?: ");
    snprintf (item->key, sizeof item->key, "%.*s", (int) key, at);
    at += key;
    if (*at == '=') {
        size_t path = strcspn (++at, "?: ");
        snprintf (item->path, sizeof item->path, "%.*s", (int) path, at);
        at += path;
    } else
        snprintf (item->path, sizeof item->path, "%s", item->key);
    if (*at == '?') {
        item->nullable = true;
        at++;
    }
    if (*at == ':' && at [1] == '{') {
        //  To the matching brace.
        int depth = 0;
        const char *start = at + 2;
        for (at++; *at; at++) {
            depth += *at == '{';
            depth -= *at == '}';
            if (depth == 0)
                break;
        }
        assert (*at == '}');  //  an unbalanced spec is a programming error
        item->sub = start;
        item->sub_len = (size_t) (at - start);
        at++;
    } else if (*at == ':') {
        size_t format = strcspn (++at, " ");
        snprintf (item->format, sizeof item->format, "%.*s", (int) format, at);
        at += format;
    }
    *spec_p = at;
    return true;
}

//  --------------------------------------------------------------- values

json_t *
ctl_json_text (const char *text)
{
    return cf_fold_json_text (text);
}

json_t *
ctl_json_text_or_null (const char *text)
{
    return ctl_json_text (text && *text ? text : NULL);
}

//  One element of a field (at `member`) as JSON.
static json_t *
s_element (const ProtobufCFieldDescriptor *field, const void *member, const ctl_item_t *item)
{
    int64_t number = 0;
    switch (field->type) {
        case PROTOBUF_C_TYPE_STRING: {
            const char *text = *(char *const *) member;
            return item->nullable ? ctl_json_text_or_null (text) : ctl_json_text (text);
        }
        case PROTOBUF_C_TYPE_BOOL: return json_boolean (*(const protobuf_c_boolean *) member);
        case PROTOBUF_C_TYPE_ENUM: {
            const char *word = ctl_enum_word (field->descriptor, *(const int *) member);
            return word ? json_string (word) : json_null ();
        }
        case PROTOBUF_C_TYPE_DOUBLE: return cf_fold_json_number (*(const double *) member);
        case PROTOBUF_C_TYPE_MESSAGE: {
            const ProtobufCMessage *inner = *(ProtobufCMessage *const *) member;
            if (!inner)
                return json_null ();
            char *spec = strndup (item->sub ? item->sub : "", item->sub_len);
            json_t *object = ctl_json_message (inner, spec);
            free (spec);
            return object;
        }
        case PROTOBUF_C_TYPE_INT32: number = *(const int32_t *) member; break;
        case PROTOBUF_C_TYPE_UINT32: number = *(const uint32_t *) member; break;
        case PROTOBUF_C_TYPE_INT64: number = *(const int64_t *) member; break;
        case PROTOBUF_C_TYPE_UINT64: number = (int64_t) * (const uint64_t *) member; break;
        default: assert (!"a field type the renderer does not know"); return json_null ();
    }
    if (strcmp (item->format, "time") == 0)
        return cf_fold_json_time (number);
    if (item->nullable && number == 0)
        return json_null ();
    if (strcmp (item->format, "milli") == 0)
        return cf_fold_json_number ((double) number / 1000.0);
    return json_integer (number);
}

//  The size of one element of a repeated field, in its array.
static size_t
s_stride (const ProtobufCFieldDescriptor *field)
{
    switch (field->type) {
        case PROTOBUF_C_TYPE_INT64:
        case PROTOBUF_C_TYPE_UINT64:
        case PROTOBUF_C_TYPE_DOUBLE: return 8;
        case PROTOBUF_C_TYPE_STRING:
        case PROTOBUF_C_TYPE_MESSAGE: return sizeof (void *);
        case PROTOBUF_C_TYPE_BOOL: return sizeof (protobuf_c_boolean);
        default: return 4;
    }
}

//  A map's key as text: a text or word as it is, a number in digits, ""
//  and null as "-" (what the text of the same value reads). Takes `value`
//  and frees it; returns buf.
static char *
s_key (json_t *value, char *buf, size_t size)
{
    const char *text = json_string_value (value);
    if (text && *text)
        snprintf (buf, size, "%s", text);
    else if (json_is_integer (value))
        snprintf (buf, size, "%lld", (long long) json_integer_value (value));
    else
        snprintf (buf, size, "-");
    json_decref (value);
    return buf;
}

json_t *
ctl_json_item (const ProtobufCMessage *message, const ctl_item_t *item)
{
    ProtobufCMessage *owner = NULL;
    const ProtobufCFieldDescriptor *field = ctl_field_at (message, item->path, false, &owner);
    if (!owner)
        return json_null ();
    if (field->label != PROTOBUF_C_LABEL_REPEATED)
        return s_element (field, &CTL_AT (char, owner, field->offset), item);
    size_t count = CTL_AT (size_t, owner, field->quantifier_offset);
    const char *elements = CTL_AT (const char *, owner, field->offset);
    bool map = strcmp (item->format, "map") == 0;
    json_t *list = map ? json_object () : json_array ();
    for (size_t i = 0; i < count; i++) {
        const void *element = elements + i * s_stride (field);
        if (!map) {
            json_array_append_new (list, s_element (field, element, item));
            continue;
        }
        //  A pair: the key's text (or word), the value as JSON.
        const ProtobufCMessage *pair = *(ProtobufCMessage *const *) element;
        const ProtobufCFieldDescriptor *fields = pair->descriptor->fields;
        ctl_item_t part = { .format = "" };
        snprintf (part.path, sizeof part.path, "%s", fields [0].name);
        char key [128];
        s_key (s_element (&fields [0], &CTL_AT (char, pair, fields [0].offset), &part), key,
               sizeof key);
        json_object_set_new (
            list, key, s_element (&fields [1], &CTL_AT (char, pair, fields [1].offset), &part));
    }
    return list;
}

json_t *
ctl_json_value (const ProtobufCMessage *message, const char *item_text)
{
    ctl_item_t item;
    bool found = ctl_item_next (&item_text, &item);
    assert (found);
    return ctl_json_item (message, &item);
}

json_t *
ctl_json_add (json_t *object, const ProtobufCMessage *message, const char *spec)
{
    ctl_item_t item;
    while (ctl_item_next (&spec, &item))
        json_object_set_new (object, item.key, ctl_json_item (message, &item));
    return object;
}

json_t *
ctl_json_message (const ProtobufCMessage *message, const char *spec)
{
    return ctl_json_add (json_object (), message, spec);
}

void
ctl_json_print (json_t *document)
{
    //  Six significant digits, as the figures always had.
    json_dumpf (document, stdout, JSON_COMPACT | JSON_REAL_PRECISION (6) | JSON_ENCODE_ANY);
    fputc ('\n', stdout);
    fflush (stdout);
    json_decref (document);
}
