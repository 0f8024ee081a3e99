//  ctl_args: a verb's flags, and filling a message from them by field name
//  (ctl_args_parse and ctl_bind in ctl.h).
//
//  The binding reads the field's type from the message's protobuf-c
//  descriptor, so a verb row says only which flag feeds which field; the
//  conversions (times, words, lists, numbers) and their error messages are
//  written once, here, for every verb of every group.
#include "ctl.h"

#include "cf_time.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

//  -------------------------------------------------------------- parsing

//  The mode of flag `name` (len bytes) in a flags list: 0 a value, '!'
//  required, '*' repeatable, '?' a switch; -1 when it is not in the list.
//  *item_p: where the list spells it.
static int
s_flag_mode (const char *flags, const char *name, size_t len, const char **item_p)
{
    const char *item = flags ? flags : "";
    while (*item) {
        size_t size = strcspn (item, " ");
        size_t bare = size && strchr ("!*?", item [size - 1]) ? size - 1 : size;
        *item_p = item;
        if (bare == len && strncmp (item, name, len) == 0)
            return bare < size ? item [size - 1] : 0;
        item += size;
        item += strspn (item, " ");
    }
    return -1;
}

//  How many positional words the verb takes (-1: any number).
static int
s_positional_count (const char *positional)
{
    if (!positional)
        return 0;
    if (strstr (positional, "..."))
        return -1;
    int count = 1;
    for (const char *c = positional; *c; c++)
        count += *c == ' ';
    return count;
}

int
ctl_args_parse (ctl_args_t *args, int argc, char **argv)
{
    const char *flags = args->verb->flags;
    args->count = args->positional_count = 0;
    for (int i = 0; i < argc; i++) {
        const char *word = argv [i];
        if (strcmp (word, "--help") == 0 || strcmp (word, "-h") == 0)
            return -1;
        if (strncmp (word, "--", 2) != 0 || word [2] == 0) {
            if (args->positional_count == CTL_MAX_ARGS)
                return ctl_usage_error ("too many arguments");
            args->positional [args->positional_count++] = word;
            continue;
        }
        const char *name = word + 2;
        const char *equals = strchr (name, '=');
        size_t len = equals ? (size_t) (equals - name) : strlen (name);
        const char *spelled = NULL;
        int mode = s_flag_mode (flags, name, len, &spelled);
        if (mode < 0)
            return ctl_usage_error ("unknown option --%.*s (see --help)", (int) len, name);
        const char *value = "";
        if (mode != '?') {
            if (equals)
                value = equals + 1;
            else if (i + 1 < argc)
                value = argv [++i];
            else
                return ctl_usage_error ("--%.*s needs a value", (int) len, name);
        } else if (equals)
            return ctl_usage_error ("--%.*s takes no value", (int) len, name);
        char key [64];
        snprintf (key, sizeof key, "%.*s", (int) len, name);
        if (mode != '*' && ctl_arg (args, key))
            return ctl_usage_error ("--%s given twice", key);
        if (args->count == CTL_MAX_ARGS)
            return ctl_usage_error ("too many options");
        //  The name as spelled in the verb's list, which outlives argv.
        args->names [args->count] = spelled;
        args->values [args->count++] = value;
    }
    //  Required flags, then the positional words.
    for (const char *item = flags ? flags : ""; *item;) {
        size_t size = strcspn (item, " ");
        if (item [size - 1] == '!') {
            char key [64];
            snprintf (key, sizeof key, "%.*s", (int) size - 1, item);
            const char *value = ctl_arg (args, key);
            if (!value || !*value)
                return ctl_usage_error ("--%s is required", key);
        }
        item += size;
        item += strspn (item, " ");
    }
    int wanted = s_positional_count (args->verb->positional);
    if (wanted >= 0 && args->positional_count < (size_t) wanted)
        return ctl_usage_error ("missing %s", args->verb->positional);
    if (wanted >= 0 && args->positional_count > (size_t) wanted)
        return ctl_usage_error ("unexpected argument \"%s\"", args->positional [wanted]);
    return CTL_OK;
}

//  The flag name recorded in args: a pointer into the flags list, so it is
//  compared up to the end of its item.
static bool
s_is (const char *recorded, const char *name)
{
    size_t len = strlen (name);
    return strncmp (recorded, name, len) == 0 && strchr (" !*?", recorded [len]) != NULL;
}

const char *
ctl_arg (const ctl_args_t *args, const char *name)
{
    const char *value = NULL;
    for (size_t i = 0; i < args->count; i++)
        if (s_is (args->names [i], name))
            value = args->values [i];
    return value;
}

size_t
ctl_arg_all (const ctl_args_t *args, const char *name, const char **out, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < args->count && count < max; i++)
        if (s_is (args->names [i], name))
            out [count++] = args->values [i];
    return count;
}

//  --------------------------------------------------------------- values

int
ctl_parse_time (const char *what, const char *text, int64_t *at_p)
{
    if (cf_time_parse (text, at_p) != 0)
        return ctl_usage_error ("%s: \"%s\" is not a time (use e.g. 2022-01-03, "
                                "2022-01-03T09:03 or 2022-01-03T09:03:00+01:00)",
                                what, text);
    return CTL_OK;
}

int
ctl_parse_duration (const char *what, const char *text, int64_t *micros_p)
{
    if (cf_duration_parse (text, micros_p) != 0)
        return ctl_usage_error ("%s: \"%s\" is not a duration (use e.g. 14d, 2w, 3h, 90m)", what,
                                text);
    return CTL_OK;
}

int
ctl_parse_uint (const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *value_p)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull (text, &end, 10);
    if (!*text || *end || errno || !isdigit ((unsigned char) *text) || value < min || value > max)
        return ctl_usage_error ("--%s: \"%s\" is not a whole number from %llu to %llu", flag, text,
                                (unsigned long long) min, (unsigned long long) max);
    *value_p = value;
    return CTL_OK;
}

//  A deadline: a date alone means the end of that day (the next day's
//  00:00 local), anything else the instant it names.
static int
s_parse_deadline (const char *what, const char *text, int64_t *at_p)
{
    if (ctl_parse_time (what, text, at_p))
        return CTL_USAGE;
    if (strlen (text) == 10 && text [4] == '-' && text [7] == '-') {
        //  From local midnight, 36 hours is always within the next day,
        //  whatever the clocks do; that day's midnight is the deadline.
        char next [32];
        cf_time_format_date (*at_p + 36 * CF_USEC_PER_HOUR, next, sizeof next);
        if (cf_time_parse (next, at_p))
            return ctl_usage_error ("%s: \"%s\" is out of range", what, text);
    }
    return CTL_OK;
}

//  -------------------------------------------------------------- binding

//  The comma-separated items of `text`, trimmed, empty ones dropped: fresh
//  strings in a fresh array (free each, then the array).
static char **
s_split (const char *text, size_t *count_p)
{
    size_t cap = 1, count = 0;
    for (const char *c = text; *c; c++)
        cap += *c == ',';
    char **items = calloc (cap, sizeof *items);
    assert (items);
    for (const char *start = text; start;) {
        const char *comma = strchr (start, ',');
        size_t len = comma ? (size_t) (comma - start) : strlen (start);
        while (len && isspace ((unsigned char) *start)) {
            start++;
            len--;
        }
        while (len && isspace ((unsigned char) start [len - 1]))
            len--;
        if (len)
            items [count++] = strndup (start, len);
        start = comma ? comma + 1 : NULL;
    }
    *count_p = count;
    return items;
}

static int
s_enum (const ProtobufCFieldDescriptor *field, const char *flag, const char *word, int *value_p)
{
    *value_p = ctl_enum_parse (field->descriptor, word);
    if (*value_p > 0)
        return CTL_OK;
    char words [256];
    return ctl_usage_error ("%s: \"%s\" is not one of: %s", flag, word,
                            ctl_enum_words (field->descriptor, words, sizeof words));
}

//  Sets a repeated field from `items` (taken): text as it is, enums by
//  word.
static int
s_set_repeated (ProtobufCMessage *owner, const ProtobufCFieldDescriptor *field, const char *flag,
                char **items, size_t count)
{
    int rc = count ? CTL_OK : ctl_usage_error ("%s: give at least one", flag);
    if (field->type == PROTOBUF_C_TYPE_ENUM && rc == CTL_OK) {
        int *values = calloc (count, sizeof *values);
        assert (values);
        for (size_t i = 0; i < count && rc == CTL_OK; i++)
            rc = s_enum (field, flag, items [i], &values [i]);
        for (size_t i = 0; i < count; i++)
            free (items [i]);
        free (items);
        items = (char **) values;
    }
    if (rc != CTL_OK) {
        free (items);
        return rc;
    }
    CTL_AT (size_t, owner, field->quantifier_offset) = count;
    CTL_AT (void *, owner, field->offset) = items;
    return CTL_OK;
}

//  Sets one field from `value` given for `flag` ("$1" for a positional
//  word), converted by `conversion` ("" when none).
static int
s_set (const ctl_args_t *args, ProtobufCMessage *owner, const ProtobufCFieldDescriptor *field,
       const char *flag, const char *value, const char *conversion)
{
    char what [160];
    snprintf (what, sizeof what, "%s%s", *flag == '$' ? "argument " : "--",
              *flag == '$' ? flag + 1 : flag);
    if (field->label == PROTOBUF_C_LABEL_REPEATED) {
        size_t count = 0;
        char **items;
        if (strcmp (conversion, "split") == 0 || field->type == PROTOBUF_C_TYPE_ENUM)
            items = s_split (value, &count);
        else {
            const char *given [CTL_MAX_ARGS];
            count = ctl_arg_all (args, flag, given, CTL_MAX_ARGS);
            items = calloc (count + 1, sizeof *items);
            assert (items);
            for (size_t i = 0; i < count; i++)
                items [i] = ctl_strdup (given [i]);
        }
        return s_set_repeated (owner, field, what, items, count);
    }
    uint64_t number = 0, min = 0, max = UINT32_MAX;
    int rc = CTL_OK;
    switch (field->type) {
        case PROTOBUF_C_TYPE_STRING: {
            char **slot = &CTL_AT (char *, owner, field->offset);
            if (*slot != protobuf_c_empty_string)
                free (*slot);
            *slot = ctl_strdup (value);
            return CTL_OK;
        }
        case PROTOBUF_C_TYPE_ENUM:
            return s_enum (field, what, value, &CTL_AT (int, owner, field->offset));
        case PROTOBUF_C_TYPE_BOOL:
            CTL_AT (protobuf_c_boolean, owner, field->offset) = 1;
            return CTL_OK;
        case PROTOBUF_C_TYPE_INT64:
            if (strcmp (conversion, "now") == 0 && strcmp (value, "now") == 0)
                return CTL_OK;
            if (strcmp (conversion, "deadline") == 0)
                return s_parse_deadline (what, value, &CTL_AT (int64_t, owner, field->offset));
            return ctl_parse_time (what, value, &CTL_AT (int64_t, owner, field->offset));
        case PROTOBUF_C_TYPE_UINT32:
        case PROTOBUF_C_TYPE_UINT64:
            if (strcmp (conversion, "milli") == 0) {
                char *end = NULL;
                double decimal = strtod (value, &end);
                if (!*value || *end || !(decimal > 0) || decimal > 1e6)
                    return ctl_usage_error ("%s: \"%s\" is not a positive number", what, value);
                number = (uint64_t) llround (decimal * 1000);
            } else {
                if (sscanf (conversion, "%" SCNu64 "-%" SCNu64, &min, &max) != 2)
                    max = field->type == PROTOBUF_C_TYPE_UINT32 ? UINT32_MAX : UINT64_MAX;
                rc = ctl_parse_uint (flag, value, min, max, &number);
            }
            if (field->type == PROTOBUF_C_TYPE_UINT32)
                CTL_AT (uint32_t, owner, field->offset) = (uint32_t) number;
            else
                CTL_AT (uint64_t, owner, field->offset) = number;
            return rc;
        default: assert (!"a field type no flag fills"); return CTL_USAGE;
    }
}

int
ctl_bind (const ctl_args_t *args, ProtobufCMessage *message, const char *spec)
{
    for (const char *item = spec ? spec : ""; *item;) {
        size_t size = strcspn (item, " ");
        char text [128];
        snprintf (text, sizeof text, "%.*s", (int) size, item);
        item += size;
        item += strspn (item, " ");
        char *conversion = strchr (text, ':');
        if (conversion)
            *conversion++ = 0;
        char *source = strchr (text, '=');
        if (source)
            *source++ = 0;
        //  The flag: as given, else the field's own name with '-' for '_'.
        char flag [128];
        const char *last = strrchr (text, '.');
        snprintf (flag, sizeof flag, "%s", source ? source : last ? last + 1 : text);
        for (char *c = flag; !source && *c; c++)
            if (*c == '_')
                *c = '-';
        const char *value = NULL;
        if (flag [0] == '$') {
            size_t index = (size_t) atoi (flag + 1);
            value =
                index >= 1 && index <= args->positional_count ? args->positional [index - 1] : NULL;
        } else
            value = ctl_arg (args, flag);
        if (!value)
            continue;
        ProtobufCMessage *owner = NULL;
        const ProtobufCFieldDescriptor *field = ctl_field_at (message, text, true, &owner);
        int rc = s_set (args, owner, field, flag, value, conversion ? conversion : "");
        if (rc != CTL_OK)
            return rc;
    }
    return CTL_OK;
}
