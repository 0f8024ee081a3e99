//  cf_shards: which intake shard serves a resident, by district.
//
//  Intake may run as several shards (cf_streams.h: `intake`,
//  `intake-noord`, …), each minting its own case ids (cf_case_id.h). What
//  arrives is routed by area, the resident's district, with one map that
//  every shard and every client is given alike (`--shards`,
//  CASEFLOW_INTAKE_SHARDS):
//
//      map   = shard *(";" shard)
//      shard = stream "=" district *("," district)
//      e.g.    intake-noord=Noord,Noord-Oost;intake-zuid=Zuid
//
//  A district the map names is served by its shard; every other district,
//  and a resident without one, by the default shard `intake`. Districts
//  are compared without regard to ASCII case ("noord" is "Noord"), never
//  trimmed. The map names shards of intake only, never `intake` itself (it
//  takes the rest), each once, and a district under one shard only: so
//  the route of every district is one shard, the same in every process
//  given the same map. An empty map is no sharding: everything is
//  `intake`'s.
#ifndef CF_SHARDS_H
#define CF_SHARDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_shards_t cf_shards_t;

//  Parses `text` (the grammar above; "" for no sharding). Returns 0 and
//  sets *self_p (free with cf_shards_destroy), or CF_EINVAL with what is
//  wrong, naming the part, in `why` (`size` bytes).
int
cf_shards_parse (const char *text, cf_shards_t **self_p, char *why, size_t size);

//  Frees the map; safe on NULL; nulls *self_p.
void
cf_shards_destroy (cf_shards_t **self_p);

//  The stream of the shard that serves `district` (may be NULL or "":
//  `intake`). Borrowed from the map, or the static "intake". `self` may be
//  NULL (no sharding).
const char *
cf_shards_route (const cf_shards_t *self, const char *district);

//  True when the map names `stream` (`intake` is always named: it serves
//  what the map does not). `self` may be NULL.
bool
cf_shards_has (const cf_shards_t *self, const char *stream);

//  The number of shards besides `intake` (0 with no sharding).
size_t
cf_shards_count (const cf_shards_t *self);

#endif
