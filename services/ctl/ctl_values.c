//  ctl_values: the words of CLI.md for enum values, and back.
//
//  Every word comes from proto/, the one source of the names: an enum
//  value's name without its enum's prefix, in lower case, '-' for '_'
//  (CHANNEL_WALK_IN is "walk-in", REMINDER_KIND_CALLBACK_OVERDUE
//  "callback-overdue"). The prefix is what the enum's value 0 is named
//  before "UNSPECIFIED". The words of an enum are made once, on first use,
//  and kept for the process.
#include "ctl.h"

#include "caseflow/v1/common.pb-c.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const ProtobufCEnumDescriptor *descriptor;
    char **words;  //  by index into descriptor->values
} s_enum_t;

//  More than caseflow's enums: a table that fills up is a programming error.
#define S_ENUMS 32

static s_enum_t s_enums [S_ENUMS];

static const s_enum_t *
s_words (const ProtobufCEnumDescriptor *descriptor)
{
    size_t e = 0;
    for (; e < S_ENUMS && s_enums [e].descriptor; e++)
        if (s_enums [e].descriptor == descriptor)
            return &s_enums [e];
    assert (e < S_ENUMS);
    s_enum_t *entry = &s_enums [e];
    entry->descriptor = descriptor;
    entry->words = calloc (descriptor->n_values, sizeof *entry->words);
    assert (entry->words);
    //  The prefix: value 0's name up to "UNSPECIFIED".
    const char *zero = descriptor->values [0].name;
    const char *end = strstr (zero, "UNSPECIFIED");
    size_t prefix = end ? (size_t) (end - zero) : 0;
    for (unsigned v = 0; v < descriptor->n_values; v++) {
        const char *name = descriptor->values [v].name;
        if (descriptor->values [v].value == 0 || strncmp (name, zero, prefix) != 0)
            continue;
        char *word = ctl_strdup (name + prefix);
        for (char *c = word; *c; c++)
            *c = *c == '_' ? '-' : (char) tolower ((unsigned char) *c);
        entry->words [v] = word;
    }
    return entry;
}

const char *
ctl_enum_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const ProtobufCEnumValue *known = protobuf_c_enum_descriptor_get_value (descriptor, value);
    if (!known)
        return NULL;
    return s_words (descriptor)->words [known - descriptor->values];
}

int
ctl_enum_parse (const ProtobufCEnumDescriptor *descriptor, const char *word)
{
    char dashed [64];
    snprintf (dashed, sizeof dashed, "%s", word ? word : "");
    for (char *c = dashed; *c; c++)
        if (*c == '_')
            *c = '-';
    const s_enum_t *entry = s_words (descriptor);
    for (unsigned v = 0; v < descriptor->n_values; v++)
        if (entry->words [v] && strcmp (entry->words [v], dashed) == 0)
            return descriptor->values [v].value;
    return -1;
}

char *
ctl_enum_words (const ProtobufCEnumDescriptor *descriptor, char *buf, size_t size)
{
    const s_enum_t *entry = s_words (descriptor);
    buf [0] = 0;
    for (unsigned v = 0; v < descriptor->n_values; v++) {
        size_t len = strlen (buf);
        if (entry->words [v])
            snprintf (buf + len, size - len, "%s%s", len ? ", " : "", entry->words [v]);
    }
    return buf;
}

//  ------------------------------------------------- the shared enums

//  ctl_<word>_name and ctl_<word>_parse over the enum's descriptor.
#define S_ENUM_WORDS(word, type, descriptor)                         \
    const char *ctl_##word##_name (type value)                       \
    {                                                                \
        const char *text = ctl_enum_word (&descriptor, (int) value); \
        return text ? text : "unspecified";                          \
    }                                                                \
    int ctl_##word##_parse (const char *text)                        \
    {                                                                \
        return ctl_enum_parse (&descriptor, text);                   \
    }

S_ENUM_WORDS (domain, Caseflow__V1__Domain, caseflow__v1__domain__descriptor)
S_ENUM_WORDS (urgency, Caseflow__V1__Urgency, caseflow__v1__urgency__descriptor)
S_ENUM_WORDS (channel, Caseflow__V1__Channel, caseflow__v1__channel__descriptor)
S_ENUM_WORDS (status, Caseflow__V1__CaseStatus, caseflow__v1__case_status__descriptor)
