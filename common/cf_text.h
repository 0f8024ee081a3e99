//  cf_text: checks of text that arrives from outside.
//
//  proto3 requires string fields to hold valid UTF-8, but protobuf-c does
//  not check it when decoding: a request can carry any bytes in a string.
//  Services check the strings they validate with these, so a malformed
//  name or note is refused naming its field instead of being journaled,
//  published and shown to people.
#ifndef CF_TEXT_H
#define CF_TEXT_H

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

#endif
