//  console_html: the HTML writer (see console_html.h).
//
//  The formatter walks the format itself instead of handing it to
//  vsnprintf, because `%s` must mean "escaped" and printf has no such
//  conversion; numbers are handed to snprintf one conversion at a time,
//  with the conversion's own flags, width, precision and length, so the
//  compiler's format check (the printf attribute) matches what runs.
#include "console_html.h"

#include <assert.h>
#include <stdint.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct _console_html_t {
    char *data;
    size_t size;
    size_t capacity;
};

console_html_t *
console_html_new (void)
{
    console_html_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->capacity = 4096;
    self->data = malloc (self->capacity);
    if (!self->data)
        abort ();
    self->data [0] = 0;
    return self;
}

void
console_html_destroy (console_html_t **self_p)
{
    console_html_t *self = *self_p;
    if (!self)
        return;
    free (self->data);
    free (self);
    *self_p = NULL;
}

static void
s_reserve (console_html_t *self, size_t more)
{
    if (self->size + more + 1 <= self->capacity)
        return;
    size_t capacity = self->capacity;
    while (capacity < self->size + more + 1)
        capacity *= 2;
    self->data = realloc (self->data, capacity);
    if (!self->data)
        abort ();
    self->capacity = capacity;
}

static void
s_append (console_html_t *self, const char *bytes, size_t size)
{
    s_reserve (self, size);
    memcpy (self->data + self->size, bytes, size);
    self->size += size;
    self->data [self->size] = 0;
}

//  The entity for a byte that must not appear as itself, or NULL.
static const char *
s_entity (char c)
{
    switch (c) {
        case '&': return "&amp;";
        case '<': return "&lt;";
        case '>': return "&gt;";
        case '"': return "&quot;";
        case '\'': return "&#39;";
        default: return NULL;
    }
}

void
console_html_text (console_html_t *self, const char *text)
{
    if (!text)
        return;
    const char *run = text;
    for (const char *p = text; *p; p++) {
        const char *entity = s_entity (*p);
        if (!entity)
            continue;
        s_append (self, run, (size_t) (p - run));
        s_append (self, entity, strlen (entity));
        run = p + 1;
    }
    s_append (self, run, strlen (run));
}

size_t
console_html_escape (char *out, size_t size, const char *text)
{
    assert (out && size > 0);
    size_t need = 0, used = 0;
    bool full = false;
    for (const char *p = text ? text : ""; *p; p++) {
        const char *entity = s_entity (*p);
        size_t length = entity ? strlen (entity) : 1;
        //  A UTF-8 lead byte takes its continuation bytes with it, so a
        //  cut never splits a character.
        if (!entity && ((unsigned char) *p & 0xC0) == 0xC0) {
            length = 1;
            while ((p [length] & 0xC0) == 0x80)
                length++;
        }
        if (!full && used + length < size) {
            memcpy (out + used, entity ? entity : p, length);
            used += length;
        } else
            full = true;
        need += length;
        if (!entity)
            p += length - 1;
    }
    out [used] = 0;
    return need;
}

void
console_html_url_part (console_html_t *self, const char *value)
{
    static const char hex [] = "0123456789ABCDEF";
    for (const char *p = value ? value : ""; *p; p++) {
        unsigned char c = (unsigned char) *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_' || c == '~')
            s_append (self, (const char *) &c, 1);
        else {
            char escaped [3] = { '%', hex [c >> 4], hex [c & 15] };
            s_append (self, escaped, 3);
        }
    }
}

//  Formats one numeric conversion `spec` (e.g. "%-5.1f", "%lld") with the
//  next argument of `args`, typed by its length modifier.
static void
s_number (console_html_t *self, const char *spec, size_t spec_size, va_list *args)
{
    char conversion [32];
    assert (spec_size < sizeof conversion);
    memcpy (conversion, spec, spec_size);
    conversion [spec_size] = 0;
    char letter = spec [spec_size - 1];
    bool is_long = spec_size >= 2 && spec [spec_size - 2] == 'l';
    bool is_long_long = spec_size >= 3 && is_long && spec [spec_size - 3] == 'l';
    bool is_size = spec_size >= 2 && spec [spec_size - 2] == 'z';
    char text [512];
    int length;
    if (letter == 'f' || letter == 'g' || letter == 'e')
        length = snprintf (text, sizeof text, conversion, va_arg (*args, double));
    else if (letter == 'd' || letter == 'i') {
        if (is_long_long)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, long long));
        else if (is_long)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, long));
        else if (is_size)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, ssize_t));
        else
            length = snprintf (text, sizeof text, conversion, va_arg (*args, int));
    } else {
        assert (letter == 'u' || letter == 'x' || letter == 'X');
        if (is_long_long)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, unsigned long long));
        else if (is_long)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, unsigned long));
        else if (is_size)
            length = snprintf (text, sizeof text, conversion, va_arg (*args, size_t));
        else
            length = snprintf (text, sizeof text, conversion, va_arg (*args, unsigned));
    }
    assert (length >= 0 && (size_t) length < sizeof text);
    s_append (self, text, (size_t) length);
}

void
console_html_vprintf (console_html_t *self, const char *format, va_list args)
{
    va_list copy;
    va_copy (copy, args);
    const char *run = format;
    const char *p = format;
    while (*p) {
        if (*p != '%') {
            p++;
            continue;
        }
        s_append (self, run, (size_t) (p - run));
        const char *spec = p++;
        if (*p == '%') {
            s_append (self, "%", 1);
            run = ++p;
            continue;
        }
        //  Flags, width, precision, length, then the conversion letter.
        while (*p && strchr ("-+ #0123456789.", *p))
            p++;
        while (*p == 'l' || *p == 'z')
            p++;
        assert (*p && "console_html_printf: a conversion without its letter");
        if (*p == 's') {
            assert (p == spec + 1 && "console_html_printf: %s takes no flags");
            console_html_text (self, va_arg (copy, const char *));
        } else {
            assert (strchr ("diuxXfge", *p) && "console_html_printf: unknown conversion");
            s_number (self, spec, (size_t) (p - spec + 1), &copy);
        }
        run = ++p;
    }
    s_append (self, run, (size_t) (p - run));
    va_end (copy);
}

void
console_html_printf (console_html_t *self, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    console_html_vprintf (self, format, args);
    va_end (args);
}

const char *
console_html_data (const console_html_t *self, size_t *size_p)
{
    if (size_p)
        *size_p = self->size;
    return self->data;
}

void
console_html_reset (console_html_t *self)
{
    self->size = 0;
    self->data [0] = 0;
}
