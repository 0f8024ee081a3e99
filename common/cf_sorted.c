//  cf_sorted: a hash table's values in key order (see cf_sorted.h). The
//  keys are sorted beside their values, so no caller needs a comparator
//  of its own type.
#include "cf_sorted.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key;
    void *value;
} s_entry_t;

static int
s_compare_keys (const void *a, const void *b)
{
    return strcmp (((const s_entry_t *) a)->key, ((const s_entry_t *) b)->key);
}

void **
cf_sorted_values (zhashx_t *table, size_t *count_p)
{
    size_t count = zhashx_size (table);
    *count_p = count;
    if (count == 0)
        return NULL;
    s_entry_t *entries = calloc (count, sizeof *entries);
    assert (entries);
    size_t i = 0;
    for (void *value = zhashx_first (table); value; value = zhashx_next (table)) {
        assert (i < count);
        entries [i].key = zhashx_cursor (table);
        entries [i++].value = value;
    }
    qsort (entries, count, sizeof *entries, s_compare_keys);
    void **values = calloc (count, sizeof *values);
    assert (values);
    for (i = 0; i < count; i++)
        values [i] = entries [i].value;
    free (entries);
    return values;
}
