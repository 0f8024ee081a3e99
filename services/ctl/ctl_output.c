//  ctl_output: JSON documents and aligned tables on stdout.
#include "ctl.h"

#include "cf_log.h"
#include "cf_time.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void
ctl_json_init (ctl_json_t *json, FILE *out)
{
    memset (json, 0, sizeof *json);
    json->out = out;
}

//  Writes the comma that separates this value from the previous one,
//  unless the value follows its key.
static void
s_before_value (ctl_json_t *json)
{
    if (json->need_comma [json->depth])
        fputc (',', json->out);
    json->need_comma [json->depth] = true;
}

void
ctl_json_key (ctl_json_t *json, const char *key)
{
    s_before_value (json);
    char escaped [256];
    size_t len = 0;
    escaped [0] = 0;
    cf_json_escape (escaped, sizeof escaped, &len, key);
    fprintf (json->out, "\"%s\":", escaped);
    //  The value that follows needs no comma of its own.
    json->need_comma [json->depth] = false;
}

static void
s_open (ctl_json_t *json, char bracket)
{
    s_before_value (json);
    fputc (bracket, json->out);
    assert (json->depth + 1 < 32);
    json->depth++;
    json->need_comma [json->depth] = false;
}

static void
s_close (ctl_json_t *json, char bracket)
{
    assert (json->depth > 0);
    json->depth--;
    fputc (bracket, json->out);
    json->need_comma [json->depth] = true;
}

void
ctl_json_object_begin (ctl_json_t *json)
{
    s_open (json, '{');
}
void
ctl_json_object_end (ctl_json_t *json)
{
    s_close (json, '}');
}
void
ctl_json_array_begin (ctl_json_t *json)
{
    s_open (json, '[');
}
void
ctl_json_array_end (ctl_json_t *json)
{
    s_close (json, ']');
}

void
ctl_json_string (ctl_json_t *json, const char *value)
{
    if (!value) {
        ctl_json_null (json);
        return;
    }
    s_before_value (json);
    size_t cap = strlen (value) * 6 + 1, len = 0;
    char *escaped = malloc (cap);
    assert (escaped);
    escaped [0] = 0;
    cf_json_escape (escaped, cap, &len, value);
    fprintf (json->out, "\"%s\"", escaped);
    free (escaped);
}

void
ctl_json_string_or_null (ctl_json_t *json, const char *value)
{
    ctl_json_string (json, value && *value ? value : NULL);
}

void
ctl_json_int (ctl_json_t *json, int64_t value)
{
    s_before_value (json);
    fprintf (json->out, "%lld", (long long) value);
}

void
ctl_json_uint (ctl_json_t *json, uint64_t value)
{
    s_before_value (json);
    fprintf (json->out, "%llu", (unsigned long long) value);
}

void
ctl_json_double (ctl_json_t *json, double value)
{
    if (isnan (value) || isinf (value)) {
        ctl_json_null (json);
        return;
    }
    s_before_value (json);
    fprintf (json->out, "%.6g", value);
}

void
ctl_json_bool (ctl_json_t *json, bool value)
{
    s_before_value (json);
    fputs (value ? "true" : "false", json->out);
}

void
ctl_json_null (ctl_json_t *json)
{
    s_before_value (json);
    fputs ("null", json->out);
}

void
ctl_json_time (ctl_json_t *json, int64_t at)
{
    if (at == 0) {
        ctl_json_null (json);
        return;
    }
    char text [40];
    ctl_json_string (json, cf_time_format_local (at, text, sizeof text));
}

void
ctl_json_finish (ctl_json_t *json)
{
    fputc ('\n', json->out);
    fflush (json->out);
}

//  ------------------------------------------------------------------ tables

struct _ctl_table_t {
    size_t columns;
    char **cells;  //  rows * columns, row 0 the headers
    size_t rows, cap;
};

static void
s_table_add (ctl_table_t *self, const char *const *cells)
{
    if (self->rows == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 16;
        self->cells = realloc (self->cells, self->cap * self->columns * sizeof *self->cells);
        assert (self->cells);
    }
    for (size_t c = 0; c < self->columns; c++)
        self->cells [self->rows * self->columns + c] =
            strdup (cells [c] && *cells [c] ? cells [c] : "-");
    self->rows++;
}

ctl_table_t *
ctl_table_new (size_t columns, const char *const *headers)
{
    ctl_table_t *self = calloc (1, sizeof *self);
    assert (self);
    self->columns = columns;
    s_table_add (self, headers);
    return self;
}

void
ctl_table_row (ctl_table_t *self, const char *const *cells)
{
    s_table_add (self, cells);
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
ctl_table_print (ctl_table_t **self_p, FILE *out)
{
    ctl_table_t *self = *self_p;
    size_t *widths = calloc (self->columns, sizeof *widths);
    assert (widths);
    for (size_t r = 0; r < self->rows; r++)
        for (size_t c = 0; c < self->columns; c++) {
            size_t width = s_width (self->cells [r * self->columns + c]);
            if (width > widths [c])
                widths [c] = width;
        }
    for (size_t r = 0; r < self->rows; r++) {
        for (size_t c = 0; c < self->columns; c++) {
            const char *cell = self->cells [r * self->columns + c];
            bool last = c + 1 == self->columns;
            fputs (cell, out);
            for (size_t pad = s_width (cell); !last && pad < widths [c] + 2; pad++)
                fputc (' ', out);
            free (self->cells [r * self->columns + c]);
        }
        fputc ('\n', out);
    }
    free (widths);
    free (self->cells);
    free (self);
    *self_p = NULL;
}
