//  console_form: a submitted form (application/x-www-form-urlencoded), read
//  with limits, for the web page's POST actions.
//
//  Hostile input is refused as a whole, naming what was wrong, never
//  quoting it: a malformed percent escape, a field that is not valid UTF-8
//  or holds control characters (a multi-line note's newlines excepted: the
//  browser sends them as CR LF), more than CONSOLE_FORM_MAX_FIELDS fields,
//  a name or value over CONSOLE_FORM_MAX_VALUE bytes decoded.
#ifndef CONSOLE_FORM_H
#define CONSOLE_FORM_H

#include <stddef.h>

#define CONSOLE_FORM_MAX_FIELDS 16
#define CONSOLE_FORM_MAX_VALUE  2048

typedef struct _console_form_t console_form_t;

//  Reads `size` bytes of `body`. Returns 0 with the form in *form_p (free
//  with console_form_destroy), or CF_EINVAL with a reason (static text)
//  in *why_p.
int
console_form_parse (const char *body, size_t size, console_form_t **form_p, const char **why_p);

//  Frees, safe on NULL; nulls *self_p.
void
console_form_destroy (console_form_t **self_p);

//  The value of the first field named `name`; NULL when absent. Borrowed
//  until the form is destroyed.
const char *
console_form_get (const console_form_t *self, const char *name);

#endif
