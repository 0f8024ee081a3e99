//  intake_areas: the locations serving each district, as assignment's
//  stream announces them (LocationAdded), so a resident's district resolves
//  to the case's plain `areas` at registration (docs/privacy.md: the
//  district itself is sealed). Part of intake's state: filled by apply
//  only, in the order the locations were added.
#ifndef INTAKE_AREAS_H
#define INTAKE_AREAS_H

#include <stddef.h>

typedef struct _intake_areas_t intake_areas_t;

//  An empty table. Never NULL.
intake_areas_t *
intake_areas_new (void);

//  Frees it; safe on NULL; nulls *self_p.
void
intake_areas_destroy (intake_areas_t **self_p);

//  Location `location_id` serves each of `districts` (empty ones skipped;
//  a location already listed for a district is not listed twice).
void
intake_areas_add (intake_areas_t *self, const char *location_id, char *const *districts,
                  size_t district_count);

//  The locations serving `district`: the count, and the ids in *ids_p
//  (borrowed). 0 for an empty or unknown district.
size_t
intake_areas_of (const intake_areas_t *self, const char *district, char *const **ids_p);

#endif
