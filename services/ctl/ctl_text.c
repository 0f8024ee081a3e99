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

//  Appends a value as text to buf: a time as "2022-01-03 09:03" (from its
//  ISO 8601 form), a number in its shortest form, true as "yes" and false
//  as "no" (nothing when the item is nullable), a list joined with ',',
//  null as nothing.
static void
s_append (const json_t *value, const ctl_item_t *item, char *buf, size_t size)
{
    size_t len = strlen (buf);
    const char *text = json_string_value (value);
    if (json_is_array (value))
        for (size_t i = 0; i < json_array_size (value); i++) {
            snprintf (buf + strlen (buf), size - strlen (buf), "%s", i ? "," : "");
            s_append (json_array_get (value, i), item, buf, size);
        }
    else if (text && strcmp (item->format, "time") == 0)
        snprintf (buf + len, size - len, "%.10s %.5s", text, text + 11);
    else if (text)
        snprintf (buf + len, size - len, "%s", text);
    else if (json_is_boolean (value))
        snprintf (buf + len, size - len, "%s",
                  json_is_true (value) ? "yes"
                  : item->nullable     ? ""
                                       : "no");
    else if (json_is_integer (value))
        snprintf (buf + len, size - len, "%lld", (long long) json_integer_value (value));
    else if (json_is_real (value))
        snprintf (buf + len, size - len, "%g", json_real_value (value));
}

//  The text of a parsed item into buf ("-" for null).
static char *
s_item_text (const ProtobufCMessage *message, const ctl_item_t *item, char *buf, size_t size)
{
    json_t *value = ctl_json_item (message, item);
    buf [0] = 0;
    s_append (value, item, buf, size);
    json_decref (value);
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
