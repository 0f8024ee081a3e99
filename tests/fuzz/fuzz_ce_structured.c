//  fuzz_ce_structured: a structured-mode CloudEvent body (the gateway's
//  POST /events, application/cloudevents+json), then its data read by the
//  catalogue. Whatever the bytes, the parser accepts or refuses with a
//  problem naming a status 400 or 415; an accepted event has the
//  profile's attributes and its data reads or is refused 400.
#include "cf_fuzz.h"
#include "gateway_fuzz.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    gateway_ce_t event;
    gateway_problem_t problem;
    if (gateway_ce_parse_structured ((const char *) data, size, &event, &problem)) {
        CF_FUZZ_CHECK (problem.status == 400 || problem.status == 415,
                       "refused with another status than 400 or 415");
        return 0;
    }
    gateway_fuzz_check_events (&event, 1);
    gateway_ce_release (&event);
    return 0;
}
