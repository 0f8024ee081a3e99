//  ctl_values: the words of CLI.md for enum values, and back.
//
//  The words are cf_words' (common/cf_words.h: one table per enum for the
//  services, the logs and the command line); here each protobuf enum is
//  paired with its table, so a verb row that names a message field finds
//  the words of the field's enum through its descriptor. An enum without a
//  table is a programming error: add its table to cf_words.
#include "ctl.h"

#include "caseflow/v1/event.pb-c.h"
#include "cf_words.h"

#include <assert.h>
#include <string.h>

static const struct {
    const ProtobufCEnumDescriptor *descriptor;
    const cf_words_t *words;
} s_enums [] = {
    { &caseflow__v1__domain__descriptor, &cf_words_domain },
    { &caseflow__v1__urgency__descriptor, &cf_words_urgency },
    { &caseflow__v1__channel__descriptor, &cf_words_channel },
    { &caseflow__v1__case_status__descriptor, &cf_words_case_status },
    { &caseflow__v1__intake__callback_outcome__descriptor, &cf_words_callback_outcome },
    { &caseflow__v1__intake__closure__descriptor, &cf_words_closure },
    { &caseflow__v1__assignment__location_kind__descriptor, &cf_words_location_kind },
    { &caseflow__v1__assignment__assignment_rule__descriptor, &cf_words_assignment_rule },
    { &caseflow__v1__assignment__assignment_trigger__descriptor, &cf_words_assignment_trigger },
    { &caseflow__v1__assignment__history_kind__descriptor, &cf_words_history_kind },
    { &caseflow__v1__handover__handover_state__descriptor, &cf_words_handover_state },
    { &caseflow__v1__handover__next_step__descriptor, &cf_words_next_step },
    { &caseflow__v1__notification__reminder_kind__descriptor, &cf_words_reminder_kind },
    { &caseflow__v1__age_band__descriptor, &cf_words_age_band },
    { &caseflow__v1__intake__erasure_basis__descriptor, &cf_words_erasure_basis },
    { &caseflow__v1__notification__reminder_status__descriptor, &cf_words_reminder_status },
    { &caseflow__v1__gateway__publisher_channel__descriptor, &cf_words_publisher_channel },
    { &caseflow__v1__gateway__inbound_state__descriptor, &cf_words_inbound_state },
    { &caseflow__v1__gateway__law__descriptor, &cf_words_law },
};

static const cf_words_t *
s_words (const ProtobufCEnumDescriptor *descriptor)
{
    for (size_t i = 0; i < sizeof s_enums / sizeof s_enums [0]; i++)
        if (s_enums [i].descriptor == descriptor)
            return s_enums [i].words;
    assert (!"an enum without a cf_words table");
    return NULL;
}

const char *
ctl_enum_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    return cf_words_find (s_words (descriptor), value);
}

int
ctl_enum_parse (const ProtobufCEnumDescriptor *descriptor, const char *word)
{
    //  "meeting_planned" reads as "meeting-planned".
    char dashed [64];
    snprintf (dashed, sizeof dashed, "%s", word ? word : "");
    for (char *c = dashed; *c; c++)
        if (*c == '_')
            *c = '-';
    return cf_words_parse (s_words (descriptor), dashed);
}

char *
ctl_enum_words (const ProtobufCEnumDescriptor *descriptor, char *buf, size_t size)
{
    return cf_words_list (s_words (descriptor), buf, size);
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
