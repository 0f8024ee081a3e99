//  ctl_report: what the files of `caseflowctl report` share:
//  ctl_report_figures.c computes the council figures from the facts the
//  streams recorded up to a moment, ctl_report.c asks for them,
//  ctl_report_output.c prints them. docs/report.md defines every figure;
//  the comments here are the short form.
#ifndef CTL_REPORT_H
#define CTL_REPORT_H

#include "ctl.h"
#include "ctl_history.h"

#include "caseflow/v1/handover.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  A name and a count (a channel, a location, a worker, a status).
typedef struct {
    char *key;
    uint64_t count;
} ctl_report_count_t;

typedef struct {
    int64_t at;
    //  Streams that could not be read (their figures are unknown).
    bool have [CTL_SERVICE_COUNT];

    //  intake
    uint64_t registrations_total;              //  CaseRegistered by `at`
    ctl_report_count_t by_channel [6];         //  phone … handover, in enum order
    uint64_t questions_added;                  //  QuestionAdded (registrations that joined a case)
    ctl_report_count_t by_status [6];          //  registered … closed at `at`
    uint64_t waiting;                          //  status waiting at `at`
    double wait_days_median;                   //  of the waiting cases, days since first triage;
    double wait_days_p90;                      //  NaN when none waits
    uint64_t urgent_total;                     //  triaged urgent at least once by `at`
    uint64_t urgent_waiting;                   //  status urgent (no worker yet) at `at`
    uint64_t active_cases;                     //  status assigned or active
    uint64_t closed_cases;                     //  status closed
    uint64_t open_cases;                       //  any status but closed
    ctl_report_count_t *caseload_by_location;  //  assigned + active per case location
    size_t location_count;
    ctl_report_count_t *caseload_by_worker;  //  assigned + active per worker
    size_t worker_count;

    //  assignment (unknown without it)
    uint64_t urgent_picked_up;          //  urgent cases assigned after their urgent triage
    double urgent_pickup_hours_median;  //  NaN when none was picked up
    uint64_t workers_active;            //  on the roster and present
    uint64_t workers_absent;            //  on the roster and absent
    uint64_t fte_active_milli;          //  FTE of the present workers, in thousandths

    //  notification (unknown without it): its facts, not re-derived here
    uint64_t callbacks_due;        //  callback reminders that fell due by `at`
    uint64_t callbacks_on_time;    //  answered on time (CallbackAnswered.on_time)
    uint64_t callbacks_late;       //  answered late, or window over unanswered while waiting
    uint64_t callbacks_open;       //  window (ReminderDue.answer_by) not over, unanswered
    double callbacks_on_time_pct;  //  on_time / (on_time + late); NaN when both 0
} ctl_report_figures_t;

//  Computes the figures from `history` (intake's and assignment's streams
//  read up to `at`) and `notification` (notification's whole stream: its
//  facts carry their own times). Streams that are missing leave their
//  figures unknown (have[] false). Free with ctl_report_figures_free.
void
ctl_report_figures_compute (ctl_report_figures_t *figures, const ctl_history_t *history,
                            const ctl_stream_t *notification, int64_t at);

//  Prints the figures and the handover service's progress report
//  (`handovers`, NULL when unknown): one JSON document (--json), key,value
//  lines (`csv`) or a table for people.
void
ctl_report_print (const ctl_args_t *args, const ctl_report_figures_t *figures,
                  const Caseflow__V1__Handover__ProgressReport *handovers, bool csv);

void
ctl_report_figures_free (ctl_report_figures_t *figures);

#endif
