//  ctl_text: messages for people: values, "label  value" lines and aligned
//  tables (ctl_render.h).
#include "ctl_render.h"

#include "cf_time.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

char *
ctl_time_text (int64_t at, char *buf, size_t size)
{
    if (at == 0) {
        snprintf (buf, size, "-");
        return buf;
    }
    char local [40];
    cf_time_format_local (at, local, sizeof local);
    //  "2022-01-03T09:03:00+01:00" -> "2022-01-03 09:03"
    snprintf (buf, size, "%.10s %.5s", local, local + 11);
    return buf;
}

//  Appends the text of one element to buf ("" for null).
static void
s_element (const ProtobufCFieldDescriptor *field, const void *member, const ctl_item_t *item,
           char *buf, size_t size)
{
    int64_t number = 0;
    char text [64] = "";
    switch (field->type) {
        case PROTOBUF_C_TYPE_STRING: snprintf (buf, size, "%s", *(char *const *) member); return;
        case PROTOBUF_C_TYPE_BOOL:
            number = *(const protobuf_c_boolean *) member;
            snprintf (buf, size, "%s", number ? "yes" : item->nullable ? "" : "no");
            return;
        case PROTOBUF_C_TYPE_ENUM: {
            const char *word = ctl_enum_word (field->descriptor, *(const int *) member);
            snprintf (buf, size, "%s", word ? word : "");
            return;
        }
        case PROTOBUF_C_TYPE_DOUBLE: snprintf (buf, size, "%.1f", *(const double *) member); return;
        case PROTOBUF_C_TYPE_INT32: number = *(const int32_t *) member; break;
        case PROTOBUF_C_TYPE_UINT32: number = *(const uint32_t *) member; break;
        case PROTOBUF_C_TYPE_INT64: number = *(const int64_t *) member; break;
        case PROTOBUF_C_TYPE_UINT64: number = (int64_t) * (const uint64_t *) member; break;
        default: snprintf (buf, size, "?"); return;
    }
    if (strcmp (item->format, "time") == 0)
        ctl_time_text (number, text, sizeof text);
    else if (item->nullable && number == 0)
        text [0] = 0;
    else if (strcmp (item->format, "milli") == 0)
        snprintf (text, sizeof text, "%g", (double) number / 1000.0);
    else
        snprintf (text, sizeof text, "%lld", (long long) number);
    snprintf (buf, size, "%s", strcmp (text, "-") == 0 ? "" : text);
}

//  The text of a parsed item into buf ("-" for null).
static char *
s_item_text (const ProtobufCMessage *message, const ctl_item_t *item, char *buf, size_t size)
{
    ProtobufCMessage *owner = NULL;
    const ProtobufCFieldDescriptor *field = ctl_field_at (message, item->path, false, &owner);
    buf [0] = 0;
    if (owner && field->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t count = CTL_AT (size_t, owner, field->quantifier_offset);
        const char *elements = CTL_AT (const char *, owner, field->offset);
        size_t stride = field->type == PROTOBUF_C_TYPE_STRING ? sizeof (char *) : sizeof (int);
        for (size_t i = 0; i < count; i++) {
            size_t len = strlen (buf);
            if (i && len + 1 < size)
                buf [len++] = ',';
            s_element (field, elements + i * stride, item, buf + len, size - len);
        }
    } else if (owner)
        s_element (field, (const char *) owner + field->offset, item, buf, size);
    if (!buf [0])
        snprintf (buf, size, "-");
    return buf;
}

char *
ctl_text_value (const ProtobufCMessage *message, const char *item_text, char *buf, size_t size)
{
    ctl_item_t item;
    bool found = ctl_item_next (&item_text, &item);
    assert (found);
    return s_item_text (message, &item, buf, size);
}

void
ctl_text_lines (const ProtobufCMessage *message, const char *spec, int width)
{
    ctl_item_t item;
    const char *at = spec;
    while (ctl_item_next (&at, &item)) {
        char value [512], label [64];
        s_item_text (message, &item, value, sizeof value);
        if (item.nullable && strcmp (value, "-") == 0)
            continue;
        snprintf (label, sizeof label, "%s", item.key);
        for (char *c = label; *c; c++)
            if (*c == '_')
                *c = ' ';
        printf ("%-*s %s\n", width, label, value);
    }
}

//  ------------------------------------------------------------------ tables

struct _ctl_table_t {
    size_t columns;
    char **cells;  //  rows * columns, row 0 the headers
    size_t count, cap;
};

ctl_table_t *
ctl_table_new (const char *headers)
{
    ctl_table_t *self = calloc (1, sizeof *self);
    assert (self);
    for (const char *c = headers; *c; c++)
        self->columns += *c != ' ' && (c == headers || c [-1] == ' ');
    for (const char *word = headers; *word;) {
        size_t len = strcspn (word, " ");
        char *header = strndup (word, len);
        for (char *c = header; *c; c++)
            if (*c == '_')
                *c = ' ';
        ctl_table_cell (self, header);
        free (header);
        word += len;
        word += strspn (word, " ");
    }
    return self;
}

void
ctl_table_cell (ctl_table_t *self, const char *text)
{
    if (!self)
        return;
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 64;
        self->cells = realloc (self->cells, self->cap * sizeof *self->cells);
        assert (self->cells);
    }
    self->cells [self->count++] = ctl_strdup (text && *text ? text : "-");
}

void
ctl_table_cells (ctl_table_t *self, const ProtobufCMessage *message, const char *spec)
{
    ctl_item_t item;
    const char *at = spec;
    while (ctl_item_next (&at, &item)) {
        char value [512];
        ctl_table_cell (self, s_item_text (message, &item, value, sizeof value));
    }
}

void
ctl_table_each (ctl_table_t *self, const ProtobufCMessage *message, const char *path,
                const char *spec, ctl_cells_fn *more)
{
    ProtobufCMessage *owner = NULL;
    const ProtobufCFieldDescriptor *field = ctl_field_at (message, path, false, &owner);
    assert (field->type == PROTOBUF_C_TYPE_MESSAGE && field->label == PROTOBUF_C_LABEL_REPEATED);
    size_t count = owner ? CTL_AT (size_t, owner, field->quantifier_offset) : 0;
    for (size_t i = 0; i < count; i++) {
        const ProtobufCMessage *row = CTL_AT (ProtobufCMessage **, owner, field->offset) [i];
        ctl_table_cells (self, row, spec);
        if (more)
            more (self, row);
    }
}

//  Display width in characters (UTF-8 continuation bytes do not count).
static size_t
s_width (const char *text)
{
    size_t width = 0;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        width += (*c & 0xC0) != 0x80;
    return width;
}

void
ctl_table_print (ctl_table_t **self_p)
{
    ctl_table_t *self = *self_p;
    size_t *widths = calloc (self->columns, sizeof *widths);
    assert (widths);
    for (size_t i = 0; i < self->count; i++) {
        size_t width = s_width (self->cells [i]);
        if (width > widths [i % self->columns])
            widths [i % self->columns] = width;
    }
    for (size_t i = 0; i < self->count; i++) {
        size_t column = i % self->columns;
        bool last = column + 1 == self->columns || i + 1 == self->count;
        fputs (self->cells [i], stdout);
        for (size_t pad = s_width (self->cells [i]); !last && pad < widths [column] + 2; pad++)
            fputc (' ', stdout);
        if (last)
            fputc ('\n', stdout);
        free (self->cells [i]);
    }
    free (widths);
    free (self->cells);
    free (self);
    *self_p = NULL;
}

void
ctl_text_show (const ProtobufCMessage *message, const char *spec)
{
    const char *bar = strchr (spec, '|');
    if (!bar) {
        ctl_text_lines (message, spec, 18);
        return;
    }
    char *headers = strndup (spec, (size_t) (bar - spec));
    const char *cells = strchr (bar + 1, '|');
    char *path = strndup (bar + 1, (size_t) (cells - bar - 1));
    ctl_table_t *table = ctl_table_new (headers);
    ctl_table_each (table, message, path, cells + 1, NULL);
    ctl_table_print (&table);
    free (path);
    free (headers);
}
