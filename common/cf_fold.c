//  cf_fold: the stream set and the readings of an event the folds share
//  (see cf_fold.h).
#include "cf_fold.h"

#include "cf_time.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
cf_fold_stream_name (cf_fold_stream_id_t stream)
{
    static const char *s_names [CF_FOLD_STREAM_COUNT] = { "intake", "assignment", "handover",
                                                          "notification", "gateway" };
    assert (stream < CF_FOLD_STREAM_COUNT);
    return s_names [stream];
}

//  The member of type `type` at `offset` bytes into `message`.
#define S_AT(type, message, offset) (*(type *) ((char *) (message) + (offset)))

const ProtobufCMessage *
cf_fold_event_body (const Caseflow__V1__Event *event)
{
    const ProtobufCFieldDescriptor *body = protobuf_c_message_descriptor_get_field (
        &caseflow__v1__event__descriptor, event->body_case);
    return body && body->type == PROTOBUF_C_TYPE_MESSAGE
               ? S_AT (const ProtobufCMessage *, event, body->offset)
               : NULL;
}

const char *
cf_fold_event_text (const Caseflow__V1__Event *event, const char *name)
{
    const ProtobufCMessage *message = cf_fold_event_body (event);
    const ProtobufCFieldDescriptor *field =
        message ? protobuf_c_message_descriptor_get_field_by_name (message->descriptor, name)
                : NULL;
    const char *text = field && field->type == PROTOBUF_C_TYPE_STRING
                           ? S_AT (const char *, message, field->offset)
                           : NULL;
    return text ? text : "";
}

const char *
cf_fold_event_case_id (const Caseflow__V1__Event *event)
{
    const char *id = cf_fold_event_text (event, "case_id");
    return *id ? id : event->case_id;
}

Caseflow__V1__CaseStatus
cf_fold_status_after (Caseflow__V1__CaseStatus status, const Caseflow__V1__Event *event)
{
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_CASE_REGISTERED:
            return CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED;
        case CASEFLOW__V1__EVENT__BODY_CASE_TRIAGED:
            return event->case_triaged->status ? event->case_triaged->status : status;
        case CASEFLOW__V1__EVENT__BODY_CASE_STATUS_CHANGED:
            return event->case_status_changed->status ? event->case_status_changed->status : status;
        case CASEFLOW__V1__EVENT__BODY_CASE_CLOSED:
            return CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED;
        default: return status;
    }
}

static int
s_compare_doubles (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

double
cf_fold_percentile (double *values, size_t count, unsigned percent)
{
    assert (percent >= 1 && percent <= 100);
    if (count == 0)
        return NAN;
    qsort (values, count, sizeof *values, s_compare_doubles);
    //  Nearest rank: the smallest value with at least percent% of the
    //  values at or below it, in integers (0.9 * 10 is not 9 in floating point).
    size_t rank = (percent * count + 99) / 100;
    return values [rank - 1];
}

json_t *
cf_fold_json_number (double value)
{
    if (isnan (value) || isinf (value))
        return json_null ();
    //  Integral values print as integers, as they always have.
    if (value == floor (value) && fabs (value) < 1e15)
        return json_integer ((json_int_t) value);
    return json_real (value);
}

json_t *
cf_fold_json_round1 (double value)
{
    return cf_fold_json_number (isnan (value) ? value : round (value * 10.0) / 10.0);
}

json_t *
cf_fold_json_time (int64_t at)
{
    if (at == 0)
        return json_null ();
    char text [40];
    return json_string (cf_time_format_local (at, text, sizeof text));
}

json_t *
cf_fold_json_text (const char *text)
{
    if (!text)
        return json_null ();
    json_t *value = json_string (text);
    if (value)
        return value;
    //  Invalid UTF-8: each byte that starts no valid sequence becomes
    //  U+FFFD, so a damaged name still gives a valid document.
    size_t len = strlen (text);
    char *clean = malloc (len * 3 + 1);
    assert (clean);
    size_t out = 0;
    for (size_t i = 0; i < len;) {
        size_t size = 1;
        unsigned char c = (unsigned char) text [i];
        if (c >= 0xc2 && c <= 0xdf)
            size = 2;
        else if (c >= 0xe0 && c <= 0xef)
            size = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            size = 4;
        json_t *probe = c >= 0x80 && i + size <= len ? json_stringn (text + i, size) : NULL;
        if (c < 0x80 || probe) {
            memcpy (clean + out, text + i, c < 0x80 ? 1 : size);
            out += c < 0x80 ? 1 : size;
            i += c < 0x80 ? 1 : size;
        } else {
            memcpy (clean + out, "\xef\xbf\xbd", 3);
            out += 3;
            i++;
        }
        json_decref (probe);
    }
    value = json_stringn (clean, out);
    free (clean);
    assert (value);
    return value;
}
