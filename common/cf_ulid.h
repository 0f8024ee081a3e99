//  cf_ulid: unique, time-ordered ids (ULID: 48-bit millisecond time and 80
//  random bits, 26 characters of Crockford base32). Used for event ids and
//  generated entity ids.
#ifndef CF_ULID_H
#define CF_ULID_H

#include <stdint.h>

#define CF_ULID_SIZE 27  //  26 characters and the NUL

//  Writes a new ULID for time `at` (microseconds since the epoch) into
//  `out`. Ids made by one process within the same millisecond still sort
//  in creation order (the random part is incremented). Returns out.
char *
cf_ulid_new (char out [CF_ULID_SIZE], int64_t at);

#endif
