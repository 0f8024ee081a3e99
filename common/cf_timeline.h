//  cf_timeline: one case's history across the streams, folded from the
//  facts they recorded up to a moment (`caseflowctl case show`; the
//  console's case page next).
//
//  In: a set of streams (cf_fold.h: intake, assignment, handover and
//  notification are read), a case id and the moment `at`; every event with
//  occurred_at <= at counts, so a caller may pass whole streams or streams
//  already cut at `at`. Out: the case's state at `at` (intake's events
//  alone tell it: intake mirrors assignment's decisions in
//  CaseStatusChanged), its callbacks, and its time line: the events that
//  concern it, merged in time order. Which call answered which callback
//  reminder is notification's fact (CallbackAnswered), never re-derived
//  here; a recorded call that answered no reminder is a callback of its
//  own.
//
//  Which events concern the case: those whose envelope names it; intake's
//  and assignment's events whose body names it; handover's events of the
//  handovers the case came from; notification's about its reminders (and
//  its handovers' reminders). No clock, no socket: the same streams, case
//  and `at` give the same timeline.
#ifndef CF_TIMELINE_H
#define CF_TIMELINE_H

#include "cf_fold.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  A callback reminder of the case (or a recorded call that answered none).
typedef struct {
    const char *reminder_id;  //  "" for a recorded call that answered no reminder
    int64_t due_at;           //  0: unknown
    bool fired;               //  ReminderDue recorded (or a call of its own)
    bool cancelled;           //  ReminderCancelled recorded
    //  The call that answered it (intake's CallbackRecorded), or NULL.
    const Caseflow__V1__Event *answer;
} cf_timeline_callback_t;

//  One event of the time line and the stream it is from.
typedef struct {
    const Caseflow__V1__Event *event;
    cf_fold_stream_id_t stream;
} cf_timeline_entry_t;

//  A case folded up to `at`. Every pointer in it (texts, events) is
//  borrowed from the streams it was folded from: it lives as long as they.
typedef struct {
    const char *case_id;
    int64_t at;
    const cf_fold_streams_t *streams;  //  what it was folded from (which were available)
    Caseflow__V1__CaseStatus status;
    Caseflow__V1__Urgency urgency;  //  0 until triaged
    Caseflow__V1__Channel channel;
    Caseflow__V1__Domain domains [16];  //  first seen first, each once
    size_t domain_count;
    int64_t registered_at, closed_at;  //  0: not (yet)
    const char *worker_id, *location;  //  "" or NULL: none
    const char *handovers [16];        //  the handovers the case came from
    size_t handover_count;
    cf_timeline_callback_t *callbacks;  //  by due time (a call of its own: by its time)
    size_t callback_count;
    cf_timeline_entry_t *entries;  //  the time line (see cf_timeline_fold)
    size_t entry_count;
} cf_timeline_t;

//  Folds case `case_id` from `streams` (borrowed, and kept in the result:
//  they must outlive it) up to `at`. Intake's stream must be available.
//  The time line's order: occurred_at; among events of the same instant,
//  an event comes after the event that caused it (causation_id) when both
//  are in the line, then streams in upstream order (handover, intake,
//  assignment, notification); each stream's events stay in seq order.
//  Returns 0 and sets *self_p (free with cf_timeline_destroy), or
//  CF_ENOTFOUND when intake registered no case `case_id` by `at`
//  (*self_p NULL).
int
cf_timeline_fold (const cf_fold_streams_t *streams, const char *case_id, int64_t at,
                  cf_timeline_t **self_p);

//  Frees the timeline; safe on NULL; nulls *self_p.
void
cf_timeline_destroy (cf_timeline_t **self_p);

#endif
