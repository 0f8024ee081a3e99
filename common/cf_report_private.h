//  cf_report_private: the case fold's state, shared by the fold
//  (cf_report_fold.c, which alone writes it) and the figures made from it
//  (cf_report.c, which reads it).
//
//  A case is a plain record at a position, in the order the cases were
//  registered (the figures walk them in that order), found by id through
//  an index. The records are kept in chunks of CF_REPORT_CHUNK, shared
//  between a fold and its forks and copied by the first that changes one
//  (a reference count in each), so a fork costs a pointer per chunk and
//  keeps only the chunks it changed: the cases of a long history change
//  near their registration, in the last chunks. A fork borrows the index
//  of the fold it came from, reading there only the positions it started
//  with; what it registers goes into an index of its own. A case's status history is a chain of
//  transitions, newest first, in a pool that only grows: a fork reads the
//  pool it came from and appends to its own, and a reference says which
//  (S_FORKED, the top bit).
#ifndef CF_REPORT_PRIVATE_H
#define CF_REPORT_PRIVATE_H

#include "cf_arena.h"
#include "cf_hash.h"
#include "cf_report.h"
#include "cf_strings.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>

//  No transition: the end of a chain.
#define CF_REPORT_NONE UINT32_MAX
//  Channels 1-6 have a word each (cf_words_channel); 0 counts the others.
#define CF_REPORT_CHANNELS 7

typedef struct {
    int64_t at;
    uint32_t prev;  //  the transition before it, CF_REPORT_NONE for none
    uint8_t status;
} cf_report_transition_t;

typedef struct {
    cf_report_transition_t *items;
    size_t count, cap;
} cf_report_pool_t;

typedef struct {
    const char *location;      //  interned; "" when none
    const char *const *areas;  //  interned, in the fold's arena
    const char *worker;        //  interned; "" until CaseStatusChanged names one
    int64_t first_triaged_at;  //  0: not triaged
    int64_t urgent_at;         //  first triage that made it urgent (no worker yet)
    int64_t picked_up_at;      //  first CaseAssigned at or after urgent_at
    uint32_t last;             //  the newest transition, CF_REPORT_NONE
    uint32_t transition_count;
    uint32_t area_count;
    uint8_t status;    //  Caseflow__V1__CaseStatus
    uint8_t age_band;  //  Caseflow__V1__AgeBand
    bool ever_urgent;
} cf_report_case_t;

#define CF_REPORT_CHUNK 256

typedef struct {
    uint32_t refs;  //  the folds holding it
    cf_report_case_t items [CF_REPORT_CHUNK];
} cf_report_chunk_t;

typedef struct {
    uint32_t fte_milli;
    bool absent, left;
} cf_report_worker_t;

struct _cf_report_fold_t {
    cf_strings_t *strings;  //  borrowed, or owned when own_strings
    bool own_strings;
    cf_arena_t *arena;  //  the areas of the cases this fold registered
    cf_report_chunk_t **chunks;
    size_t count, chunk_cap;  //  cases; room for chunks
    cf_hash_t *index;         //  case id -> position + 1, of the cases registered here
    //  A fork's: the index it reads the first base_count positions in.
    const cf_hash_t *base_index;
    size_t base_count;
    cf_report_pool_t own;               //  transitions appended here
    const cf_report_pool_t *base_pool;  //  a fork's: the pool it came from
    zhashx_t *workers;                  //  cf_report_worker_t by worker id
    zhashx_t *locations;                //  location ids added
    uint64_t registrations, questions;
    uint64_t channels [CF_REPORT_CHANNELS];
    size_t folded;  //  events folded (a fork counts on from its base)
};

//  The case at `position` (< count) of the fold, for reading.
static inline const cf_report_case_t *
cf_report_fold_at (const cf_report_fold_t *self, size_t position)
{
    return &self->chunks [position / CF_REPORT_CHUNK]->items [position % CF_REPORT_CHUNK];
}

//  The case `id` of the fold, or NULL, for reading.
const cf_report_case_t *
cf_report_fold_case (const cf_report_fold_t *self, const char *id);

//  The case's status at `when` (the last transition at or before it, in
//  the order they were folded).
Caseflow__V1__CaseStatus
cf_report_fold_status_at (const cf_report_fold_t *self, const cf_report_case_t *kase, int64_t when);

#endif
