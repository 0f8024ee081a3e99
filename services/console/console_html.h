//  console_html: the console's HTML writer. Every page of the web page is
//  written through it, so that no value reaches the page unescaped.
//
//  The format of console_html_printf is trusted markup, written in the
//  source; every `%s` argument is a value and is escaped (& < > " '
//  become entities), so it is safe both as element text and inside a
//  quoted attribute. Numbers (%d, %u, %ld, %lld, %zu, %f with flags,
//  width and precision) are formatted as printf does. There is no way to
//  put an unescaped string argument into a page: markup that is not a
//  literal is built from further printf calls.
//
//  Values that go into a URL (a case id in `href="/case/…"`) are
//  percent-encoded first (console_html_url_part), then escaped.
#ifndef CONSOLE_HTML_H
#define CONSOLE_HTML_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct _console_html_t console_html_t;

//  A new, empty writer. Aborts when out of memory (STYLE.md). Free with
//  console_html_destroy.
console_html_t *
console_html_new (void);

//  Frees the writer and its text, safe on NULL; nulls *self_p.
void
console_html_destroy (console_html_t **self_p);

//  Appends `format` (trusted markup) with its conversions: `%s` takes a
//  const char * (NULL writes nothing) and writes it escaped; the numeric
//  conversions write as printf; `%%` writes '%'. A conversion it does not
//  know is a programming error (assert).
void
console_html_printf (console_html_t *self, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  The same, with a va_list.
void
console_html_vprintf (console_html_t *self, const char *format, va_list args);

//  Appends `text` escaped (NULL writes nothing).
void
console_html_text (console_html_t *self, const char *text);

//  Appends `value` percent-encoded for a URL's path segment or query
//  value: every byte but the unreserved ones (RFC 3986: A-Z a-z 0-9
//  - . _ ~) becomes %XX, so the result needs no HTML escaping.
void
console_html_url_part (console_html_t *self, const char *value);

//  The text written so far (NUL-terminated) and its length in bytes.
//  Borrowed until the next append or the writer's destruction.
const char *
console_html_data (const console_html_t *self, size_t *size_p);

//  Forgets the text written so far (the buffer is kept for reuse).
void
console_html_reset (console_html_t *self);

//  Writes `text` escaped into `out` (`size` bytes, NUL-terminated,
//  truncated at a whole entity or character when it does not fit).
//  Returns the length the whole escaped text needs (without the NUL), so
//  a result >= size means truncated. For the few places that escape
//  outside a page (an SVG title built in pieces).
size_t
console_html_escape (char *out, size_t size, const char *text);

#endif
