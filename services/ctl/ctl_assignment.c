//  ctl_assignment: `caseflowctl assignment …`, the assignment service's
//  commands and queries (CLI.md), as rows of the verb table (`waiting`
//  asks the console: ctl_waiting.c); ctl_assignment_output.c shows their results. A verb that
//  changes a worker prints the worker, one that changes a case the case.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/assignment.pb-c.h"

#define S_CHANGE     NULL, CTL_ASSIGNMENT, CTL_COMMAND
#define S_ASK        NULL, CTL_ASSIGNMENT, CTL_QUERY
#define S_BODY(name) &caseflow__v1__assignment__##name##__descriptor
//  The objects of CLI.md, then the rest of each view.
#define S_LOCATION        "location_id? name? districts kind"
#define S_LOCATION_COUNTS "workers workers_present fte=fte_milli:milli waiting assigned active"
#define S_WORKER                                                                               \
    "worker_id? fte=fte_milli:milli locations expertise absent caseload capacity name? "       \
    "max_caseload? utilisation=utilisation_permille:milli absent_from:time absent_until:time " \
    "left joined_at:time left_at:time cases"
#define S_CASE                                                                         \
    "case_id? status urgency worker_id? domains location? channel registered_at:time " \
    "triaged_at:time continuity_worker? position? escalated outcome? "                 \
    "history:{at:time kind worker_id? rule trigger over_limit reason?}"
//  A verb that changes a worker shows the worker, one that changes a case the case.
#define S_WORKER_SHOWN "worker", S_WORKER, NULL, NULL, ctl_assignment_worker_text
#define S_CASE_SHOWN   "case", S_CASE, NULL, NULL, ctl_assignment_changed_text

const ctl_verb_t ctl_assignment_verbs [] = {
    { "assignment", "location add",
      "--id LOC --name NAME [--district NAME]... [--kind neighbourhood|school|partner-site]",
      "id! name! district* kind", NULL, S_CHANGE, S_BODY (add_location),
      "location_id=id name districts=district kind", NULL, "location", S_LOCATION, NULL, NULL,
      ctl_assignment_location_text },
    { "assignment", "location list", "", "", NULL, S_ASK, S_BODY (list_locations), NULL, NULL,
      "locations", "*locations:{" S_LOCATION " " S_LOCATION_COUNTS "}",
      "LOCATION NAME KIND DISTRICTS WORKERS PRESENT FTE WAITING ASSIGNED ACTIVE|locations|"
      "location_id name kind districts " S_LOCATION_COUNTS,
      NULL, NULL },
    { "assignment", "worker add",
      "--id W --name NAME --fte F --location LOC[,LOC...] --expertise D[,D...]\n"
      "             [--max-caseload N]",
      "id! name! fte! location! expertise! max-caseload", NULL, S_CHANGE, S_BODY (add_worker),
      "worker_id=id name fte_milli=fte:milli locations=location:split expertise "
      "max_caseload:1-1000",
      NULL, S_WORKER_SHOWN },
    { "assignment", "worker change",
      "W [--name NAME] [--fte F] [--location LOC[,LOC...]] [--expertise D[,D...]]\n"
      "             [--max-caseload N | --default-max-caseload]",
      "name fte location expertise max-caseload default-max-caseload?", "W", S_CHANGE,
      S_BODY (change_worker),
      "worker_id=$1 name fte_milli=fte:milli locations=location:split expertise "
      "max_caseload:1-1000 default_max_caseload",
      NULL, S_WORKER_SHOWN },
    { "assignment", "worker absent", "W --from TIME|now [--until TIME]", "from! until", "W",
      S_CHANGE, S_BODY (mark_absent), "worker_id=$1 from:now until", NULL, S_WORKER_SHOWN },
    { "assignment", "worker return", "W", "", "W", S_CHANGE, S_BODY (mark_returned), "worker_id=$1",
      NULL, S_WORKER_SHOWN },
    { "assignment", "worker leave", "W", "", "W", S_CHANGE, S_BODY (mark_left), "worker_id=$1",
      NULL, S_WORKER_SHOWN },
    { "assignment", "worker list", "[--all] [--location LOC]", "all? location", NULL, S_ASK,
      S_BODY (list_workers), "include_left=all location", NULL, "workers",
      "*workers:{" S_WORKER "}", NULL, NULL, ctl_assignment_workers_text },
    { "assignment", "assign", "CASE --worker W --reason TEXT", "worker! reason!", "CASE", S_CHANGE,
      S_BODY (assign), "case_id=$1 worker_id=worker reason", NULL, S_CASE_SHOWN },
    { "assignment", "start", "CASE", "", "CASE", S_CHANGE, S_BODY (start), "case_id=$1", NULL,
      S_CASE_SHOWN },
    { "assignment", "complete", "CASE --outcome TEXT", "outcome!", "CASE", S_CHANGE,
      S_BODY (complete), "case_id=$1 outcome", NULL, S_CASE_SHOWN },
    { "assignment", "show", "CASE", "", "CASE", S_ASK, S_BODY (get_assignment), "case_id=$1", NULL,
      "case", S_CASE, NULL, NULL, ctl_assignment_case_text },
    { "assignment", "explain", "CASE", "", "CASE", S_ASK, S_BODY (explain_waiting), "case_id=$1",
      NULL, "explanation",
      "case_id? status position? ahead matching matching_present matching_with_room text? "
      "candidates:{worker_id? caseload capacity absent note?}",
      NULL, NULL, ctl_assignment_explain_text },
    { NULL },
};
