//  cf_text: checks of text that arrives from outside.
//
//  proto3 requires string fields to hold valid UTF-8, but protobuf-c does
//  not check it when decoding: a request can carry any bytes in a string.
//  Services check the strings they validate with these, so a malformed
//  name or note is refused naming its field instead of being journaled,
//  published and shown to people.
//
//  Free text people type (names, reasons, notes, districts) follows one
//  rule in every service: at most a field's limit in bytes, valid UTF-8,
//  no control characters (in a multi-line field newline, carriage return
//  and tab are allowed); a required text is not blank (only white space).
//  docs/vocabulary.md has it with the other shared rules.
#ifndef CF_TEXT_H
#define CF_TEXT_H

#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

//  Length of the UTF-8 sequence at the start of `text`, of which `size`
//  bytes are available: 1 to 4, or 0 when it is malformed (a stray
//  continuation byte, an overlong form, a surrogate, a value above
//  U+10FFFF) or cut short.
size_t
cf_text_utf8_char (const char *text, size_t size);

//  True when the `size` bytes at `text` are well-formed UTF-8 (RFC 3629).
bool
cf_text_valid (const char *text, size_t size);

//  True when `text` (may be NULL) is empty or only spaces, tabs, newlines
//  and carriage returns.
bool
cf_text_blank (const char *text);

//  Checks free text (NULL reads as "") in the field with dotted path
//  `field` by the rule above. Returns true when it passes; otherwise sets
//  INVALID_ARGUMENT for `field` (cf_api_reply_invalid: the message starts
//  with the field's last part) and returns false. In order: "is
//  required" (blank and `required`), "must be at most N bytes", "must not
//  hold control characters", "must be valid UTF-8". Never quotes the text.
bool
cf_text_check (Caseflow__V1__Reply *reply, const char *field, const char *text, size_t max,
               bool required, bool multiline);

#endif
