//  cf_sorted: the values of a czmq hash table in the order of their keys,
//  for what must not depend on the table's order: a state's digest and
//  the lists a query answers (a service's providers, a gateway's
//  publishers), which show and hash the same entities in the same order
//  on every run and after every rebuild.
#ifndef CF_SORTED_H
#define CF_SORTED_H

#include <czmq.h>
#include <stddef.h>

//  The values of `table` (borrowed; its keys text, as zhashx's defaults
//  take them) sorted by key with strcmp, in a fresh array the caller frees
//  with free(); the values stay the table's. Sets *count_p to how many;
//  returns NULL when the table is empty. Aborts when out of memory.
void **
cf_sorted_values (zhashx_t *table, size_t *count_p);

#endif
