//  cf_fold: what the folds of recorded history share: a set of event
//  streams to fold, and the small readings of an event every fold makes.
//
//  A fold (the council report, cf_report.h; a case's timeline,
//  cf_timeline.h) computes figures from facts alone: it is given the
//  streams' events, decoded and in seq order, and a moment, and reads no
//  clock, no socket and no service's current state. Where the events come
//  from is the caller's business: replayed over the api (caseflowctl), a
//  journal read directly (the golden test), or a service's own follow of
//  every stream. Every event is borrowed from the caller for the fold's
//  duration.
#ifndef CF_FOLD_H
#define CF_FOLD_H

#include "caseflow/v1/event.pb-c.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  The five streams a fold may read, in this order (upstreams of cases
//  first; the gateway last).
typedef enum {
    CF_FOLD_INTAKE,
    CF_FOLD_ASSIGNMENT,
    CF_FOLD_HANDOVER,
    CF_FOLD_NOTIFICATION,
    CF_FOLD_GATEWAY,
    CF_FOLD_STREAM_COUNT
} cf_fold_stream_id_t;

//  One stream: its events in seq order (borrowed, decoded), or not
//  available (its service could not be read: the figures it gives are
//  unknown, never zero).
typedef struct {
    bool available;
    const Caseflow__V1__Event *const *events;
    size_t count;
} cf_fold_stream_t;

//  The set of streams a fold reads, by cf_fold_stream_id_t. A zeroed set
//  has every stream unavailable.
typedef struct {
    cf_fold_stream_t streams [CF_FOLD_STREAM_COUNT];
} cf_fold_streams_t;

//  "intake", "assignment", "handover", "notification", "gateway": the
//  stream's name on the bus and in the replay api. Static.
const char *
cf_fold_stream_name (cf_fold_stream_id_t stream);

//  The body of an event (borrowed from it), NULL when it has none.
const ProtobufCMessage *
cf_fold_event_body (const Caseflow__V1__Event *event);

//  The text field `name` of an event's body ("handover_id", borrowed), ""
//  when the body has no such text field.
const char *
cf_fold_event_text (const Caseflow__V1__Event *event, const char *name);

//  The case an event is about: its body's case_id, else the envelope's;
//  "" for events about no case (TrackCreated, a worker joining).
const char *
cf_fold_event_case_id (const Caseflow__V1__Event *event);

//  The status of a case after intake event `event`, given its status
//  before: CaseRegistered makes it registered, CaseTriaged and
//  CaseStatusChanged set the status they carry (when they carry one),
//  CaseClosed closes it; any other event leaves it as it was.
Caseflow__V1__CaseStatus
cf_fold_status_after (Caseflow__V1__CaseStatus status, const Caseflow__V1__Event *event);

//  The nearest-rank percentile (1-100: the smallest value with at least
//  that share of the values at or below it) of `values` (sorted in
//  place); NaN when count is 0. A percent outside 1-100 is a programming
//  error.
double
cf_fold_percentile (double *values, size_t count, unsigned percent);

//  A figure as JSON (fresh): null for NaN and infinities, an integer for
//  an integral value (as the figures have always printed), else a real.
json_t *
cf_fold_json_number (double value);

//  `value` rounded to one decimal as cf_fold_json_number makes it (null
//  for NaN): the figures' medians and percentages.
json_t *
cf_fold_json_round1 (double value);

//  A moment as JSON (fresh): ISO 8601 in Europe/Amsterdam time
//  (cf_time_format_local), null for 0 (never happened).
json_t *
cf_fold_json_time (int64_t at);

//  A text as JSON (fresh): null for NULL; bytes that start no valid UTF-8
//  sequence become U+FFFD, so a damaged name still gives a valid document.
json_t *
cf_fold_json_text (const char *text);

#endif
