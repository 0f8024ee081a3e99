//  intake_areas: the locations serving each district (see intake_areas.h).
#include "intake_areas.h"

#include "cf_api.h"
#include "cf_hash.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *district;  //  the table's key
    char **ids;
    size_t count;
} s_district_t;

struct _intake_areas_t {
    cf_hash_t *districts;  //  district -> s_district_t
};

intake_areas_t *
intake_areas_new (void)
{
    intake_areas_t *self = calloc (1, sizeof *self);
    assert (self);
    self->districts = cf_hash_new ();
    return self;
}

void
intake_areas_destroy (intake_areas_t **self_p)
{
    intake_areas_t *self = *self_p;
    if (!self)
        return;
    for (s_district_t *district = cf_hash_first (self->districts); district;
         district = cf_hash_next (self->districts)) {
        for (size_t k = 0; k < district->count; k++)
            free (district->ids [k]);
        free (district->ids);
        free (district->district);
        free (district);
    }
    cf_hash_destroy (&self->districts);
    free (self);
    *self_p = NULL;
}

void
intake_areas_add (intake_areas_t *self, const char *location_id, char *const *districts,
                  size_t district_count)
{
    if (!location_id || !*location_id)
        return;
    for (size_t i = 0; i < district_count; i++) {
        if (!districts [i] || !*districts [i])
            continue;
        s_district_t *district = cf_hash_lookup (self->districts, districts [i]);
        if (!district) {
            district = calloc (1, sizeof *district);
            assert (district);
            district->district = cf_strdup (districts [i]);
            cf_hash_insert (self->districts, district->district, district);
        }
        bool listed = false;
        for (size_t k = 0; k < district->count && !listed; k++)
            listed = strcmp (district->ids [k], location_id) == 0;
        if (listed)
            continue;
        district->ids = realloc (district->ids, (district->count + 1) * sizeof *district->ids);
        assert (district->ids);
        district->ids [district->count++] = cf_strdup (location_id);
    }
}

size_t
intake_areas_of (const intake_areas_t *self, const char *district, char *const **ids_p)
{
    const s_district_t *found =
        district && *district ? cf_hash_lookup (self->districts, district) : NULL;
    *ids_p = found ? found->ids : NULL;
    return found ? found->count : 0;
}
