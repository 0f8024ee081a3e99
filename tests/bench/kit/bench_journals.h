//  bench_journals: big journals of real, encoded events of each caseflow
//  service, written straight into a store with cf_journal.
//
//  Driving the services to make a journal of 10,000,000 events would take
//  longer than the benchmark itself, so the replay and memory benchmarks
//  write the journal the service would have written: the same tables
//  (cf_journal_append_produced for the service's own events,
//  cf_journal_append_consumed with the cursor for upstream events), the
//  same envelope (ULID ids, seqs without gaps, times moving forward,
//  correlation and causation ids) and bodies shaped as the services'
//  decisions shape them. Appends are committed 10,000 at a time (fsync'd:
//  making the store is not what is measured).
//
//  Each service's journal is made of whole lifecycles, in waves of 1,000
//  cases (or handovers) in flight, each step taken for the whole wave, so
//  the journal interleaves cases as a busy service's would:
//    intake (10 events per case): CaseRegistered, CaseTriaged (waiting),
//      CallbackRecorded x2, then for assignment's CaseAssigned, CaseStarted
//      and CaseCompleted (consumed) its own CaseStatusChanged x2 and
//      CaseClosed;
//    assignment (8 per case, after 20 locations and 500 workers): intake's
//      CaseRegistered and CaseTriaged, CaseAssigned, intake's
//      CaseStatusChanged, CaseStarted, intake's CaseStatusChanged,
//      CaseCompleted, intake's CaseClosed;
//    handover (6 per handover, after 50 providers): HandoverAnnounced,
//      MeetingPlanned, MeetingHeld, NextStepDecided, FilesTransferred,
//      HandoverCompleted;
//    notification (10 per case): intake's CaseRegistered and CaseTriaged,
//      ReminderScheduled (callback 1, waiting-too-long 1), ReminderDue
//      (callback 1), ReminderScheduled (callback 2), intake's
//      CallbackRecorded and CaseStatusChanged (assigned),
//      ReminderCancelled x2.
//    console (10 per case): intake's lifecycle above, every event consumed
//      (intake's from "intake", assignment's from "assignment"), as the
//      console journals what it follows.
//  Every lifecycle ends closed: nothing is due or waiting when the service
//  starts on the journal, so start-up is replay alone. The "open" variant
//  (memory benchmark) writes only the first two steps for intake and
//  assignment: every case open and waiting.
#ifndef BENCH_JOURNALS_H
#define BENCH_JOURNALS_H

#include <stdbool.h>
#include <stdint.h>

//  Writes about `events` events (whole lifecycles) of `service` ("intake",
//  "assignment", "handover", "notification" or "console") into a fresh
//  store in `dir`; with `open_cases`, only the first two steps of each case
//  (intake, assignment and the console: events / 2 open cases). Returns the number of events
//  written and sets *bytes_p (if not NULL) to their encoded size; returns
//  0 after printing why when the store refused a write.
uint64_t
bj_write (const char *dir, const char *service, uint64_t events, bool open_cases,
          uint64_t *bytes_p);

#endif
