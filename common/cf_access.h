//  cf_access: the access log, where a service accounts for every read of
//  personal data it answers (docs/privacy.md, "Accountability").
//
//  A read is recorded by the service that answered it, as an AccessRecord
//  (api.proto): who asked (the caller's key name with CURVE keys, "local"
//  without), with which role, for whom (the person a proxy named,
//  on_behalf_of), what (the query's name; the case, handover and subject
//  whose data the answer held), when (the service clock) and in answer to
//  which request. A query that returned several residents makes one record
//  for each.
//
//  Records go into the store's access table (cf_journal.h) with the open
//  batch of group commit, and the reply is queued after them: personal
//  data leaves a service only once the record of its reading is durable,
//  and a batch the store refuses takes the reply with it (UNAVAILABLE).
//  They stay outside the journal: never applied, published, replayed or
//  digested, so the state and every stream are the same whether anyone
//  read or not.
//
//  The runtime brackets each query with cf_access_begin / cf_access_end
//  (who is asking); the service's query handler calls cf_access_record
//  (through cf_service_record_access) for what its answer holds. The
//  AccessLog query is answered here for every service (cf_access_answer).
//  One thread: the service's loop.
#ifndef CF_ACCESS_H
#define CF_ACCESS_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_api_server.h"
#include "cf_commit.h"
#include "cf_journal.h"
#include "cf_time.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct _cf_access_t cf_access_t;

//  Default and largest number of records an AccessLog answer holds.
#define CF_ACCESS_DEFAULT 1000
#define CF_ACCESS_MAX     10000

//  The access log of stream `stream` in `journal`, recorded through
//  `commit` at the time of `clock` (all borrowed; they must outlive it).
//  Numbers records on from the last one stored. Returns NULL when the store
//  cannot be read (logged).
cf_access_t *
cf_access_new (cf_journal_t *journal, cf_commit_t *commit, const char *stream, cf_clock_t *clock);

//  Frees; safe on NULL; nulls *self_p.
void
cf_access_destroy (cf_access_t **self_p);

//  A query from `caller` with request id `request_id` is being answered
//  (both borrowed until cf_access_end).
void
cf_access_begin (cf_access_t *self, const char *request_id, const cf_api_caller_t *caller);

//  The query is answered. Returns false when a read it made could not be
//  recorded (the store refuses writes): its answer must not be sent.
bool
cf_access_end (cf_access_t *self);

//  Records that the answer being made holds the personal data of
//  `case_id`, `handover_id` and/or `subject` (each may be NULL or ""),
//  read by the query `action` ("get_case"). Only between begin and end
//  (asserted). Returns 0, or CF_ESTOREFULL when the store refuses writes
//  (cf_access_end then says so).
int
cf_access_record (cf_access_t *self, const char *action, const char *case_id,
                  const char *handover_id, const char *subject);

//  Answers an AccessLog query into `reply`: QueryResult.access_log, or
//  INVALID_ARGUMENT naming the field ("query.access_log.limit"), or
//  INTERNAL when the store cannot be read (logged). Reads what is
//  committed.
void
cf_access_answer (cf_access_t *self, const Caseflow__V1__AccessLogQuery *query,
                  Caseflow__V1__Reply *reply);

//  True when `record` passes every filter of `query` (a pure function, for
//  the answer and its tests).
bool
cf_access_matches (const Caseflow__V1__AccessLogQuery *query,
                   const Caseflow__V1__AccessRecord *record);

#endif
