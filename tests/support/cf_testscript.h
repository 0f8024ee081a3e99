//  cf_testscript: scripted event streams for the folds' unit tests
//  (cf_report, cf_timeline): events made in memory, in seq order per
//  stream, handed to a fold as a cf_fold_streams_t.
//
//  Every message a script makes (an event, its body, a sub-message) comes
//  from the script's pool, zeroed, and lives until the script is
//  destroyed; texts put into them are borrowed (string literals).
#ifndef CF_TESTSCRIPT_H
#define CF_TESTSCRIPT_H

#include "cf_fold.h"

#include <stddef.h>
#include <stdint.h>

typedef struct _cf_testscript_t cf_testscript_t;

//  A fresh script with every stream unavailable (free with
//  cf_testscript_destroy). Never NULL.
cf_testscript_t *
cf_testscript_new (void);

//  Frees the script and every message it made; safe on NULL; nulls *self_p.
void
cf_testscript_destroy (cf_testscript_t **self_p);

//  `size` zeroed bytes from the script's pool (for a body or a
//  sub-message, to init and fill). A cmocka failure when the pool is full.
void *
cf_testscript_alloc (cf_testscript_t *self, size_t size);

//  Appends an event to `stream` (which becomes available): seq the next
//  one, occurred_at the time `at` (ISO 8601, as cf_time_parse reads it),
//  body_case `body`, its id "<stream>-<seq>". The caller sets the body (and
//  case_id, causation_id when wanted).
Caseflow__V1__Event *
cf_testscript_event (cf_testscript_t *self, cf_fold_stream_id_t stream, const char *at,
                     Caseflow__V1__Event__BodyCase body);

//  Makes `stream` available (with the events it has, none at first) or not.
void
cf_testscript_available (cf_testscript_t *self, cf_fold_stream_id_t stream, bool available);

//  The streams, for a fold (borrowed from the script).
const cf_fold_streams_t *
cf_testscript_streams (const cf_testscript_t *self);

//  The time `text` (cf_time_parse; a cmocka failure when it is not one).
int64_t
cf_testscript_time (const char *text);

#endif
