//  cf_waiting: the waiting list's order (see cf_waiting.h).
#include "cf_waiting.h"

#include <assert.h>
#include <string.h>

int
cf_waiting_compare (const cf_waiting_key_t *a, const cf_waiting_key_t *b)
{
    assert (a && b && a->id && b->id);
    if (a->urgent != b->urgent)
        return a->urgent ? -1 : 1;
    if (a->triaged_at != b->triaged_at)
        return a->triaged_at < b->triaged_at ? -1 : 1;
    return strcmp (a->id, b->id);
}
