//  cf_strings: a pool of interned text for a service's state: one copy of
//  each distinct string, kept as long as the pool.
//
//  Much of what a state records is one of a few values repeated over
//  millions of records (a provider, a worker, a location, "continue at the
//  social team"). A pool keeps one copy of each, packed into large blocks,
//  instead of a malloc'd copy per record (at least 32 bytes each with
//  malloc's overhead, and a call to malloc and to free). Strings are never
//  taken out: use it for values that repeat, not for text that is unique
//  to a record and may be replaced.
#ifndef CF_STRINGS_H
#define CF_STRINGS_H

#include <stddef.h>
#include <stdint.h>

typedef struct _cf_strings_t cf_strings_t;

//  A new, empty pool. Never NULL.
cf_strings_t *
cf_strings_new (void);

//  Frees the pool and every string in it; safe on NULL; nulls *self_p.
void
cf_strings_destroy (cf_strings_t **self_p);

//  The pool's copy of `text` (NULL reads as ""), made on first use.
//  Borrowed: valid, and the same pointer for equal text, as long as the
//  pool lives.
const char *
cf_strings_intern (cf_strings_t *self, const char *text);

//  Room for a uint64_t in decimal with its terminating NUL.
#define CF_STRINGS_U64_SIZE 21

//  `value` in decimal, written into `room`; returns `room`. For texts
//  built on every event, where snprintf's format parsing costs more than
//  the rest of the work.
char *
cf_strings_u64 (char room [CF_STRINGS_U64_SIZE], uint64_t value);

//  Writes the texts from `first` up to a NULL one after another into
//  `buf` (`size` bytes, at least 1) and returns `buf`; what does not fit is
//  cut off as snprintf would, and the result is always terminated.
char *
cf_strings_concat (char *buf, size_t size, const char *first, ...);

#endif
