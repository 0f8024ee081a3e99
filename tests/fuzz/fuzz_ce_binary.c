//  fuzz_ce_binary: a binary-mode request. The input, split at NUL bytes,
//  is the values of Content-Type, ce-specversion, ce-id, ce-source,
//  ce-type, ce-time and ce-subject (an empty part: the header is absent),
//  then the body.
#include "cf_fuzz.h"
#include "gateway_fuzz.h"

#include <string.h>

#define S_HEADERS 7

static const char *const s_names [S_HEADERS] = { "Content-Type", "ce-specversion", "ce-id",
                                                 "ce-source",    "ce-type",        "ce-time",
                                                 "ce-subject" };

typedef struct {
    const char *values [S_HEADERS];
} s_headers_t;

static const char *
s_header (const void *ctx, const char *name)
{
    const s_headers_t *headers = ctx;
    for (int i = 0; i < S_HEADERS; i++)
        if (strcmp (s_names [i], name) == 0)
            return headers->values [i];
    return NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    char *copy = malloc (size + 1);
    CF_FUZZ_CHECK (copy, "out of memory");
    memcpy (copy, data, size);
    copy [size] = 0;
    s_headers_t headers = { { NULL } };
    size_t at = 0;
    for (int i = 0; i < S_HEADERS && at <= size; i++) {
        size_t length = strnlen (copy + at, size - at);
        headers.values [i] = length ? copy + at : NULL;
        at += length + 1;
    }
    const char *body = at <= size ? copy + at : "";
    size_t body_size = at <= size ? size - at : 0;
    gateway_ce_t event;
    gateway_problem_t problem;
    if (gateway_ce_parse_binary (s_header, &headers, body, body_size, &event, &problem))
        CF_FUZZ_CHECK (problem.status == 400 || problem.status == 415,
                       "refused with another status than 400 or 415");
    else {
        gateway_fuzz_check_events (&event, 1);
        gateway_ce_release (&event);
    }
    free (copy);
    return 0;
}
