//  cf_text: checks of text that arrives from outside (see cf_text.h).
#include "cf_text.h"

#include "cf_api.h"

#include <stdint.h>
#include <string.h>

size_t
cf_text_utf8_char (const char *text, size_t size)
{
    const unsigned char *s = (const unsigned char *) text;
    if (size == 0)
        return 0;
    if (s [0] < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if ((s [0] & 0xE0) == 0xC0) {
        len = 2;
        cp = s [0] & 0x1F;
    } else if ((s [0] & 0xF0) == 0xE0) {
        len = 3;
        cp = s [0] & 0x0F;
    } else if ((s [0] & 0xF8) == 0xF0) {
        len = 4;
        cp = s [0] & 0x07;
    } else
        return 0;
    if (len > size)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s [i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s [i] & 0x3F);
    }
    //  The shortest form only, and no UTF-16 surrogates.
    static const uint32_t min [5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (cp < min [len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

bool
cf_text_valid (const char *text, size_t size)
{
    for (size_t i = 0; i < size;) {
        size_t step = cf_text_utf8_char (text + i, size - i);
        if (step == 0)
            return false;
        i += step;
    }
    return true;
}

bool
cf_text_blank (const char *text)
{
    for (; text && *text; text++)
        if (*text != ' ' && *text != '\t' && *text != '\n' && *text != '\r')
            return false;
    return true;
}

bool
cf_text_check (Caseflow__V1__Reply *reply, const char *field, const char *text, size_t max,
               bool required, bool multiline)
{
    if (!text)
        text = "";
    if (required && cf_text_blank (text))
        return cf_api_reply_invalid (reply, field, "is required");
    size_t len = strlen (text);
    if (len > max)
        return cf_api_reply_invalid (reply, field, "must be at most %zu bytes", max);
    const unsigned char *s = (const unsigned char *) text;
    for (size_t i = 0; i < len; i++)
        if ((s [i] < 0x20 || s [i] == 0x7F)
            && !(multiline && (s [i] == '\n' || s [i] == '\r' || s [i] == '\t')))
            return cf_api_reply_invalid (reply, field, "must not hold control characters");
    return cf_text_valid (text, len) || cf_api_reply_invalid (reply, field, "must be valid UTF-8");
}
