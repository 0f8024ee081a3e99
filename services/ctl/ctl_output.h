//  ctl_output: the renderers of every group's results, each written in
//  its group's ctl_<group>_output.c and named in its verb rows
//  (ctl_<group>.c). A JSON renderer returns the document with CLI.md's
//  keys; a text renderer prints for people.
#ifndef CTL_OUTPUT_H
#define CTL_OUTPUT_H

#include "ctl.h"
#include "cf_timeline.h"
#include "ctl_render.h"

#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"

//  intake
extern ctl_json_fn ctl_intake_case_json;
extern ctl_text_fn ctl_intake_registered_text, ctl_intake_changed_text, ctl_intake_case_text,
    ctl_intake_track_text;

//  `intake list`, page by page: gathered, printed at the end when at least
//  one page came.
typedef struct {
    const ctl_args_t *args;
    json_t *all;         //  --json
    ctl_table_t *table;  //  text
} ctl_intake_list_t;

void
ctl_intake_list_page (ctl_intake_list_t *list, const Caseflow__V1__Intake__CaseList *page);
void
ctl_intake_list_end (ctl_intake_list_t *list);

//  assignment
extern ctl_text_fn ctl_assignment_location_text, ctl_assignment_worker_text,
    ctl_assignment_workers_text, ctl_assignment_changed_text, ctl_assignment_case_text,
    ctl_assignment_explain_text;

//  handover
extern ctl_json_fn ctl_handover_progress_json;
extern ctl_text_fn ctl_handover_text, ctl_handover_provider_text, ctl_handover_caseload_text,
    ctl_handover_list_text, ctl_handover_progress_text;

//  (ctl_handover_progress_json and _text take a NULL args: `report` shows
//  the progress report as its `handovers`.)

//  reminders
extern ctl_json_fn ctl_reminders_list_json, ctl_reminders_one_json, ctl_reminders_today_json,
    ctl_reminders_compliance_json, ctl_reminders_claim_json;
extern ctl_text_fn ctl_reminders_list_text, ctl_reminders_ack_text, ctl_reminders_today_text,
    ctl_reminders_compliance_text, ctl_reminders_claim_text, ctl_reminders_release_text,
    ctl_reminders_park_text;

//  A reminder as it fires (`reminders follow`): the object of a listed
//  reminder from a ReminderDue event, with the stream seq.
json_t *
ctl_reminders_due_json (const ProtobufCMessage *reminder_due, uint64_t seq);

//  Prints case show's case, its callbacks and its time line (borrowed).
void
ctl_case_print (const ctl_args_t *args, const cf_timeline_t *kase);

#endif
