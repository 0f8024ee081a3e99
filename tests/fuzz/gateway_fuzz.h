//  gateway_fuzz: what the gateway's parser targets check of every event
//  they accept (fuzz_ce_structured, fuzz_ce_batch, fuzz_ce_binary): the
//  profile's attributes hold, and the catalogue's data reading accepts or
//  refuses with 400 naming a data field, leaking nothing.
#ifndef GATEWAY_FUZZ_H
#define GATEWAY_FUZZ_H

#include "cf_fuzz.h"
#include "gateway_cloudevent.h"
#include "gateway_data.h"
#include "gateway_validate.h"

#include <stdlib.h>
#include <string.h>

static inline void
gateway_fuzz_check_events (gateway_ce_t *events, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        gateway_ce_t *event = &events [i];
        CF_FUZZ_CHECK (event->id && *event->id && strlen (event->id) <= GATEWAY_CE_ID_MAX,
                       "an accepted event without a proper id");
        CF_FUZZ_CHECK (gateway_source_valid (event->source), "an accepted event's source");
        CF_FUZZ_CHECK (event->type && *event->type, "an accepted event without a type");
        CF_FUZZ_CHECK (json_is_object (event->data), "an accepted event's data");
        gateway_kind_t kind = gateway_catalogue_kind (event->type);
        if (kind == GATEWAY_KIND_NONE)
            continue;
        gateway_data_t data = { 0 };
        gateway_problem_t problem;
        if (gateway_data_read (kind, event->data, "2022-03-01", &data, &problem) == 0) {
            CF_FUZZ_CHECK (data.content && data.content->extra_data, "data read without content");
            gateway_data_release (&data);
        } else
            CF_FUZZ_CHECK (problem.status == 400 && strncmp (problem.attribute, "data", 4) == 0,
                           "data refused without 400 naming a data field");
    }
}

#endif
