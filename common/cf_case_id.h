//  cf_case_id: the one grammar of intake's case ids, for every shard of
//  the intake stream (cf_streams.h).
//
//      case id (stream intake)          = "C" number
//      case id (stream intake-<shard>)  = <shard> "-C" number
//      number = at least 6 digits, zero-padded to 6, no leading zero
//               beyond that, 1 to 10^19 - 1 ("C000042", "C1234567")
//
//  The default shard's ids are those intake always minted, so its store,
//  the demo's report and every digest stay as they were; a shard's ids
//  carry its name, so no two shards mint the same id, and a client tells
//  from an id alone which shard owns the case ("noord-C000007" is
//  intake-noord's). Every such id is a cf_id (at most 64 characters: a
//  shard's name is at most CF_STREAM_MAX - 7). Intake mints and reads them;
//  the gateway checks a CloudEvent's case id with them; caseflowctl routes
//  a case's commands by them.
#ifndef CF_CASE_ID_H
#define CF_CASE_ID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Room for any case id and its NUL.
#define CF_CASE_ID_SIZE 72

//  The shard part of the intake stream `stream`: "" for "intake", "noord"
//  for "intake-noord". Borrowed from `stream`; NULL when it is not an
//  intake stream.
const char *
cf_case_id_shard_of (const char *stream);

//  Writes the id of case `number` (>= 1) of `shard` ("" for the default)
//  into `buf` (cut to `size`, as snprintf would) and returns buf.
char *
cf_case_id_format (const char *shard, uint64_t number, char *buf, size_t size);

//  Parses `id` as a case id of `shard` ("" for the default) in exactly the
//  form cf_case_id_format writes: true with *number_p (>= 1), else false
//  (another shard's id included).
bool
cf_case_id_parse (const char *id, const char *shard, uint64_t *number_p);

//  True when `id` (may be NULL: false) is a case id of any shard; then the
//  shard ("" for the default) is written to `shard` (size bytes; may be
//  NULL).
bool
cf_case_id_valid (const char *id, char *shard, size_t size);

#endif
