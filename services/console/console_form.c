//  console_form: urlencoded forms (see console_form.h).
#include "console_form.h"

#include "cf_error.h"
#include "cf_text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct _console_form_t {
    char *names [CONSOLE_FORM_MAX_FIELDS];
    char *values [CONSOLE_FORM_MAX_FIELDS];
    size_t count;
};

static int
s_hex (char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

//  Decodes `size` bytes at `text` ('+' is a space, %XX a byte) into a new
//  string; NULL with *why_p on a bad escape, too long a result, or text
//  that is not UTF-8 or holds control characters.
static char *
s_decode (const char *text, size_t size, const char **why_p)
{
    char *out = malloc (size + 1);
    if (!out)
        abort ();
    size_t length = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text [i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            if (i + 2 >= size) {
                free (out);
                *why_p = "a percent escape is cut short";
                return NULL;
            }
            int hi = s_hex (text [i + 1]), lo = s_hex (text [i + 2]);
            if (hi < 0 || lo < 0) {
                free (out);
                *why_p = "a percent escape is not two hexadecimal digits";
                return NULL;
            }
            c = (char) (hi * 16 + lo);
            i += 2;
        }
        out [length++] = c;
    }
    out [length] = 0;
    if (length > CONSOLE_FORM_MAX_VALUE) {
        *why_p = "a field is too long";
        free (out);
        return NULL;
    }
    if (!cf_text_valid (out, length)) {
        *why_p = "a field is not valid UTF-8";
        free (out);
        return NULL;
    }
    for (size_t i = 0; i < length; i++)
        if (((unsigned char) out [i] < 0x20 && out [i] != '\r' && out [i] != '\n'
             && out [i] != '\t')
            || out [i] == 0x7f) {
            *why_p = "a field holds control characters";
            free (out);
            return NULL;
        }
    return out;
}

int
console_form_parse (const char *body, size_t size, console_form_t **form_p, const char **why_p)
{
    console_form_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    *form_p = NULL;
    size_t start = 0;
    while (start < size) {
        size_t end = start;
        while (end < size && body [end] != '&')
            end++;
        if (end > start) {
            if (self->count == CONSOLE_FORM_MAX_FIELDS) {
                *why_p = "the form has too many fields";
                console_form_destroy (&self);
                return CF_EINVAL;
            }
            size_t equals = start;
            while (equals < end && body [equals] != '=')
                equals++;
            char *name = s_decode (body + start, equals - start, why_p);
            char *value = name ? s_decode (body + equals + (equals < end),
                                           end - equals - (equals < end), why_p)
                               : NULL;
            if (!value) {
                free (name);
                console_form_destroy (&self);
                return CF_EINVAL;
            }
            self->names [self->count] = name;
            self->values [self->count] = value;
            self->count++;
        }
        start = end + 1;
    }
    *form_p = self;
    return 0;
}

void
console_form_destroy (console_form_t **self_p)
{
    console_form_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++) {
        free (self->names [i]);
        free (self->values [i]);
    }
    free (self);
    *self_p = NULL;
}

const char *
console_form_get (const console_form_t *self, const char *name)
{
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->names [i], name) == 0)
            return self->values [i];
    return NULL;
}
