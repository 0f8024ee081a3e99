//  gateway_cloudevent: the three modes and the profile (see
//  gateway_cloudevent.h).
//
//  Structured and batch events go through one reader of a JSON object
//  (s_read_object); binary mode builds nothing JSON for its attributes
//  but checks them with the same attribute checks (s_check_*), so the
//  profile is written once for the three modes.
#include "gateway_cloudevent.h"
#include "gateway_validate.h"

#include "cf_case_id.h"
#include "cf_time.h"

#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
gateway_problem (gateway_problem_t *problem, int status, const char *attribute, const char *fmt,
                 ...)
{
    problem->status = status;
    snprintf (problem->attribute, sizeof problem->attribute, "%s", attribute ? attribute : "");
    va_list args;
    va_start (args, fmt);
    vsnprintf (problem->detail, sizeof problem->detail, fmt, args);
    va_end (args);
    return -1;
}

bool
gateway_media_type_is (const char *content_type, const char *type)
{
    if (!content_type)
        return false;
    while (*content_type == ' ' || *content_type == '\t')
        content_type++;
    size_t length = strcspn (content_type, ";");
    while (length > 0 && (content_type [length - 1] == ' ' || content_type [length - 1] == '\t'))
        length--;
    return length == strlen (type) && strncasecmp (content_type, type, length) == 0;
}

gateway_mode_t
gateway_ce_mode (const char *content_type, bool has_ce_specversion)
{
    if (gateway_media_type_is (content_type, "application/cloudevents+json"))
        return GATEWAY_MODE_STRUCTURED;
    if (gateway_media_type_is (content_type, "application/cloudevents-batch+json"))
        return GATEWAY_MODE_BATCH;
    return has_ce_specversion ? GATEWAY_MODE_BINARY : GATEWAY_MODE_NONE;
}

//  ------------------------------------------------------------ RFC 3339

static bool
s_digits (const char *text, int count, int *value_p)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit ((unsigned char) text [i]))
            return false;
        value = value * 10 + (text [i] - '0');
    }
    *value_p = value;
    return true;
}

bool
gateway_rfc3339_parse (const char *text, int64_t *at_p)
{
    static const int days_in [] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int year, month, day, hour, minute, second;
    if (!text || strlen (text) < 20 || !s_digits (text, 4, &year) || text [4] != '-'
        || !s_digits (text + 5, 2, &month) || text [7] != '-' || !s_digits (text + 8, 2, &day)
        || (text [10] != 'T' && text [10] != 't') || !s_digits (text + 11, 2, &hour)
        || text [13] != ':' || !s_digits (text + 14, 2, &minute) || text [16] != ':'
        || !s_digits (text + 17, 2, &second))
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > days_in [month - 1]
        || (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 60)
        return false;
    const char *rest = text + 19;
    int64_t micros = 0;
    if (*rest == '.') {
        rest++;
        int digits = 0;
        for (; isdigit ((unsigned char) *rest); rest++, digits++)
            if (digits < 6)
                micros = micros * 10 + (*rest - '0');
        if (digits == 0)
            return false;
        for (int i = digits; i < 6; i++)
            micros *= 10;
    }
    int offset = 0;
    if ((*rest == 'Z' || *rest == 'z') && rest [1] == 0)
        offset = 0;
    else if ((*rest == '+' || *rest == '-') && strlen (rest) == 6 && rest [3] == ':') {
        int oh, om;
        if (!s_digits (rest + 1, 2, &oh) || !s_digits (rest + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        offset = (oh * 60 + om) * (*rest == '-' ? -1 : 1);
    } else
        return false;
    //  A leap second reads as the last second of its minute.
    if (second == 60)
        second = 59;
    int64_t days = cf_time_days_from_civil (year, month, day);
    int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - (int64_t) offset * 60;
    *at_p = seconds * CF_USEC_PER_SEC + micros;
    return true;
}

//  ------------------------------------------------------------ attributes

static char *
s_dup (const char *text)
{
    char *copy = strdup (text);
    assert (copy);
    return copy;
}

//  True when `text` holds no control characters (printable UTF-8 is
//  jansson's or the header's business).
static bool
s_printable (const char *text)
{
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return false;
    return true;
}

static bool
s_extension_name (const char *name)
{
    size_t length = strlen (name);
    if (length == 0 || length > 20)
        return false;
    for (size_t i = 0; i < length; i++)
        if (!islower ((unsigned char) name [i]) && !isdigit ((unsigned char) name [i]))
            return false;
    return true;
}

//  The attributes every mode has, as text (NULL: absent), checked into
//  `out` (which owns its copies from here on, also on failure).
typedef struct {
    const char *specversion, *id, *source, *type, *time, *subject, *datacontenttype;
} s_attributes_t;

static int
s_check (const s_attributes_t *a, gateway_ce_t *out, gateway_problem_t *problem)
{
    if (!a->specversion)
        return gateway_problem (problem, 400, "specversion", "specversion is required");
    if (strcmp (a->specversion, "1.0") != 0)
        return gateway_problem (problem, 400, "specversion", "specversion must be \"1.0\"");
    if (!a->id || !*a->id)
        return gateway_problem (problem, 400, "id", "id is required");
    if (strlen (a->id) > GATEWAY_CE_ID_MAX || !s_printable (a->id))
        return gateway_problem (problem, 400, "id",
                                "id must be 1-%d characters without control characters",
                                GATEWAY_CE_ID_MAX);
    if (!a->source || !*a->source)
        return gateway_problem (problem, 400, "source", "source is required");
    if (!gateway_source_valid (a->source))
        return gateway_problem (problem, 400, "source",
                                "source must be an NL GOV URN: \"urn:nld:\" and up to 248 "
                                "printable characters without spaces");
    if (!a->type || !*a->type)
        return gateway_problem (problem, 400, "type", "type is required");
    if (!a->time)
        return gateway_problem (problem, 400, "time", "time is required (NL GOV profile)");
    int64_t at = 0;
    if (!gateway_rfc3339_parse (a->time, &at))
        return gateway_problem (problem, 400, "time",
                                "time must be an RFC 3339 date-time with a zone "
                                "(2022-03-01T09:00:00+01:00)");
    if (a->subject && *a->subject && !cf_case_id_valid (a->subject, NULL, 0))
        return gateway_problem (problem, 400, "subject",
                                "subject must be empty or a case id (C000042, or a shard's "
                                "noord-C000042): never personal data");
    if (a->datacontenttype && !gateway_media_type_is (a->datacontenttype, "application/json"))
        return gateway_problem (problem, 415, "datacontenttype",
                                "datacontenttype must be application/json");
    out->id = s_dup (a->id);
    out->source = s_dup (a->source);
    out->type = s_dup (a->type);
    out->subject = s_dup (a->subject ? a->subject : "");
    out->time = at;
    return 0;
}

//  ------------------------------------------------------ structured, batch

static const char *const s_spec_attributes [] = {
    "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema",
};

static bool
s_spec_attribute (const char *name)
{
    for (size_t i = 0; i < sizeof s_spec_attributes / sizeof s_spec_attributes [0]; i++)
        if (strcmp (name, s_spec_attributes [i]) == 0)
            return true;
    return false;
}

static int
s_read_object (json_t *object, gateway_ce_t *out, gateway_problem_t *problem)
{
    memset (out, 0, sizeof *out);
    if (!json_is_object (object))
        return gateway_problem (problem, 400, "", "a CloudEvent must be a JSON object");
    const char *name;
    json_t *value;
    json_object_foreach (object, name, value)
    {
        if (strcmp (name, "data") == 0)
            continue;
        if (strcmp (name, "data_base64") == 0)
            return gateway_problem (problem, 400, "data_base64",
                                    "data must be JSON (datacontenttype application/json), not "
                                    "data_base64");
        if (s_spec_attribute (name)) {
            if (!json_is_string (value))
                return gateway_problem (problem, 400, name, "%s must be a string", name);
            continue;
        }
        //  The refused name is echoed only when it fits whole: a cut name
        //  could end inside a UTF-8 sequence and spoil the answer's JSON.
        if (!s_extension_name (name))
            return gateway_problem (problem, 400,
                                    strlen (name) < sizeof problem->attribute ? name : "",
                                    "an attribute name must be 1-20 lower-case letters or digits");
        if (!json_is_string (value) && !json_is_integer (value) && !json_is_boolean (value))
            return gateway_problem (problem, 400, name,
                                    "extension %s must be a string, an integer or a boolean", name);
    }
    s_attributes_t a = {
        json_string_value (json_object_get (object, "specversion")),
        json_string_value (json_object_get (object, "id")),
        json_string_value (json_object_get (object, "source")),
        json_string_value (json_object_get (object, "type")),
        json_string_value (json_object_get (object, "time")),
        json_string_value (json_object_get (object, "subject")),
        json_string_value (json_object_get (object, "datacontenttype")),
    };
    if (s_check (&a, out, problem)) {
        gateway_ce_release (out);
        return -1;
    }
    json_t *data = json_object_get (object, "data");
    if (!json_is_object (data)) {
        gateway_ce_release (out);
        return gateway_problem (problem, 400, "data",
                                data ? "data must be a JSON object" : "data is required");
    }
    out->data = json_incref (data);
    return 0;
}

//  Parses `body` as JSON; NULL with `problem` set when it is not.
static json_t *
s_load (const char *body, size_t size, gateway_problem_t *problem)
{
    json_error_t error;
    json_t *root = json_loadb (body, size, JSON_REJECT_DUPLICATES, &error);
    if (!root)
        //  jansson's text names the position and the kind of fault, never
        //  the content.
        gateway_problem (problem, 400, "", "the body is not valid JSON: %s (at byte %d)",
                         error.text, error.position);
    return root;
}

int
gateway_ce_parse_structured (const char *body, size_t size, gateway_ce_t *out,
                             gateway_problem_t *problem)
{
    problem->index = GATEWAY_NO_INDEX;
    memset (out, 0, sizeof *out);
    json_t *root = s_load (body, size, problem);
    if (!root)
        return -1;
    int rc = s_read_object (root, out, problem);
    json_decref (root);
    return rc;
}

int
gateway_ce_parse_batch (const char *body, size_t size, gateway_ce_t **events_p, size_t *count_p,
                        gateway_problem_t *problem)
{
    problem->index = GATEWAY_NO_INDEX;
    *events_p = NULL;
    *count_p = 0;
    json_t *root = s_load (body, size, problem);
    if (!root)
        return -1;
    int rc = 0;
    size_t count = json_is_array (root) ? json_array_size (root) : 0;
    if (!json_is_array (root))
        rc = gateway_problem (problem, 400, "", "a batch must be a JSON array of CloudEvents");
    else if (count == 0 || count > GATEWAY_BATCH_MAX)
        rc =
            gateway_problem (problem, 400, "", "a batch holds 1-%d CloudEvents", GATEWAY_BATCH_MAX);
    gateway_ce_t *events = rc ? NULL : calloc (count, sizeof *events);
    size_t read = 0;
    for (; rc == 0 && read < count; read++)
        if (s_read_object (json_array_get (root, read), &events [read], problem)) {
            problem->index = read;
            rc = -1;
        }
    json_decref (root);
    if (rc) {
        gateway_ce_release_all (events, read);
        return -1;
    }
    *events_p = events;
    *count_p = count;
    return 0;
}

//  ------------------------------------------------------------------ binary

//  Percent-decodes a ce-* header value (HTTP binding 3.1.3.2) into a fresh
//  string; NULL when it is malformed or decodes to invalid UTF-8.
static char *
s_percent_decode (const char *value)
{
    size_t length = strlen (value);
    char *out = malloc (length + 1);
    assert (out);
    size_t used = 0;
    for (size_t i = 0; i < length; i++) {
        if (value [i] != '%') {
            out [used++] = value [i];
            continue;
        }
        if (i + 2 >= length || !isxdigit ((unsigned char) value [i + 1])
            || !isxdigit ((unsigned char) value [i + 2])) {
            free (out);
            return NULL;
        }
        char hex [3] = { value [i + 1], value [i + 2], 0 };
        out [used++] = (char) strtol (hex, NULL, 16);
        i += 2;
    }
    out [used] = 0;
    json_t *check = json_stringn (out, used);  //  jansson's UTF-8 check, NUL refused
    if (!check || strlen (out) != used) {
        json_decref (check);
        free (out);
        return NULL;
    }
    json_decref (check);
    return out;
}

int
gateway_ce_parse_binary (gateway_header_fn *header, const void *ctx, const char *body, size_t size,
                         gateway_ce_t *out, gateway_problem_t *problem)
{
    problem->index = GATEWAY_NO_INDEX;
    memset (out, 0, sizeof *out);
    if (!gateway_media_type_is (header (ctx, "Content-Type"), "application/json"))
        return gateway_problem (problem, 415, "datacontenttype",
                                "in binary mode the Content-Type (the datacontenttype) must be "
                                "application/json");
    static const char *const names [] = { "ce-specversion", "ce-id",   "ce-source",
                                          "ce-type",        "ce-time", "ce-subject" };
    char *values [6] = { NULL };
    int rc = 0;
    for (size_t i = 0; i < 6 && rc == 0; i++) {
        const char *raw = header (ctx, names [i]);
        if (raw && !(values [i] = s_percent_decode (raw)))
            rc = gateway_problem (problem, 400, names [i] + 3,
                                  "the %s header is not percent-encoded UTF-8", names [i]);
    }
    s_attributes_t a = { values [0], values [1], values [2], values [3],
                         values [4], values [5], NULL };
    if (rc == 0)
        rc = s_check (&a, out, problem);
    for (size_t i = 0; i < 6; i++)
        free (values [i]);
    json_t *data = NULL;
    if (rc == 0 && !(data = s_load (body, size, problem)))
        rc = -1;
    else if (rc == 0 && !json_is_object (data))
        rc = gateway_problem (problem, 400, "data", "data must be a JSON object");
    if (rc) {
        json_decref (data);
        gateway_ce_release (out);
        return -1;
    }
    out->data = data;
    return 0;
}

void
gateway_ce_release (gateway_ce_t *self)
{
    free (self->id);
    free (self->source);
    free (self->type);
    free (self->subject);
    json_decref (self->data);
    memset (self, 0, sizeof *self);
}

void
gateway_ce_release_all (gateway_ce_t *events, size_t count)
{
    for (size_t i = 0; events && i < count; i++)
        gateway_ce_release (&events [i]);
    free (events);
}
