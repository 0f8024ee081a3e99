//  ctl_report: what the two files of `caseflowctl report` share:
//  ctl_report_figures.c computes the council figures from the streams as
//  they were at a moment, ctl_report.c asks for them and prints them.
//  docs/report.md defines every figure; the comments here are the short
//  form.
#ifndef CTL_REPORT_H
#define CTL_REPORT_H

#include "ctl.h"
#include "ctl_streams.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Working days after a callback's due time within which the call counts
//  as on time; notification's callback-overdue reminder (default
//  --callback-overdue-days 2) fires at the same moment, and its due time,
//  which knows the public holidays, is used when it is in the stream.
#define CTL_REPORT_ON_TIME_WORKING_DAYS 2

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

    //  notification (unknown without it)
    uint64_t callbacks_due;        //  callback reminders that fell due by `at`
    uint64_t callbacks_on_time;    //  recorded within the on-time window
    uint64_t callbacks_late;       //  window over, not recorded in it, case still waiting
    uint64_t callbacks_open;       //  window not over yet, nothing recorded
    double callbacks_on_time_pct;  //  on_time / (on_time + late); NaN when both 0
} ctl_report_figures_t;

//  Computes the figures from `history` (read up to `at`). Streams that
//  are missing leave their figures unknown (have[] false). Free with
//  ctl_report_figures_free.
void
ctl_report_figures_compute (ctl_report_figures_t *figures, const ctl_history_t *history,
                            int64_t at);

void
ctl_report_figures_free (ctl_report_figures_t *figures);

#endif
