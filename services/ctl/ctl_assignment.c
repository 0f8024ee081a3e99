//  ctl_assignment: `caseflowctl assignment …` and `caseflowctl waiting`,
//  the assignment service's commands and queries (CLI.md), as rows of the
//  verb table; ctl_assignment_output.c shows their results. A verb that
//  changes a worker prints the worker, one that changes a case the case.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/assignment.pb-c.h"

#define S_CHANGE     CTL_ASSIGNMENT, CTL_COMMAND
#define S_ASK        CTL_ASSIGNMENT, CTL_QUERY
#define S_BODY(name) &caseflow__v1__assignment__##name##__descriptor
//  The flags of a worker, and the fields they fill, for add and change.
#define S_WORKER_FLAGS "name fte location expertise max-caseload"
#define S_WORKER_BIND                                                           \
    "worker_id=$1 name fte_milli=fte:milli locations=location:split expertise " \
    "max_caseload:1-1000"

static const ctl_verb_t s_verbs [] = {
    { "location add",
      "--id LOC --name NAME [--district NAME]... [--kind neighbourhood|school|partner-site]",
      "id! name! district* kind", NULL, NULL, S_CHANGE, S_BODY (add_location),
      "location_id=id name districts=district kind", NULL, "location", ctl_assignment_location_json,
      ctl_assignment_location_text },
    { "location list", "", "", NULL, NULL, S_ASK, S_BODY (list_locations), NULL, NULL, "locations",
      ctl_assignment_locations_json, ctl_assignment_locations_text },
    { "worker add",
      "--id W --name NAME --fte F --location LOC[,LOC...] --expertise D[,D...]\n"
      "             [--max-caseload N]",
      "id! name! fte! location! expertise! max-caseload", NULL, NULL, S_CHANGE, S_BODY (add_worker),
      "worker_id=id name fte_milli=fte:milli locations=location:split expertise "
      "max_caseload:1-1000",
      NULL, "worker", ctl_assignment_worker_json, ctl_assignment_worker_text },
    { "worker change",
      "W [--name NAME] [--fte F] [--location LOC[,LOC...]] [--expertise D[,D...]]\n"
      "             [--max-caseload N | --default-max-caseload]",
      S_WORKER_FLAGS " default-max-caseload?", "W", NULL, S_CHANGE, S_BODY (change_worker),
      S_WORKER_BIND " default_max_caseload", NULL, "worker", ctl_assignment_worker_json,
      ctl_assignment_worker_text },
    { "worker absent", "W --from TIME|now [--until TIME]", "from! until", "W", NULL, S_CHANGE,
      S_BODY (mark_absent), "worker_id=$1 from:now until", NULL, "worker",
      ctl_assignment_worker_json, ctl_assignment_worker_text },
    { "worker return", "W", "", "W", NULL, S_CHANGE, S_BODY (mark_returned), "worker_id=$1", NULL,
      "worker", ctl_assignment_worker_json, ctl_assignment_worker_text },
    { "worker leave", "W", "", "W", NULL, S_CHANGE, S_BODY (mark_left), "worker_id=$1", NULL,
      "worker", ctl_assignment_worker_json, ctl_assignment_worker_text },
    { "worker list", "[--all] [--location LOC]", "all? location", NULL, NULL, S_ASK,
      S_BODY (list_workers), "include_left=all location", NULL, "workers",
      ctl_assignment_workers_json, ctl_assignment_workers_text },
    { "assign", "CASE --worker W --reason TEXT", "worker! reason!", "CASE", NULL, S_CHANGE,
      S_BODY (assign), "case_id=$1 worker_id=worker reason", NULL, "case", ctl_assignment_case_json,
      ctl_assignment_changed_text },
    { "start", "CASE", "", "CASE", NULL, S_CHANGE, S_BODY (start), "case_id=$1", NULL, "case",
      ctl_assignment_case_json, ctl_assignment_changed_text },
    { "complete", "CASE --outcome TEXT", "outcome!", "CASE", NULL, S_CHANGE, S_BODY (complete),
      "case_id=$1 outcome", NULL, "case", ctl_assignment_case_json, ctl_assignment_changed_text },
    { "show", "CASE", "", "CASE", NULL, S_ASK, S_BODY (get_assignment), "case_id=$1", NULL, "case",
      ctl_assignment_case_json, ctl_assignment_case_text },
    { "explain", "CASE", "", "CASE", NULL, S_ASK, S_BODY (explain_waiting), "case_id=$1", NULL,
      "explanation", ctl_assignment_explain_json, ctl_assignment_explain_text },
    { NULL },
};

const ctl_group_t ctl_assignment_group = {
    "assignment",
    "locations, workers, absence and the assignment of cases",
    "FTE is 0.1-1.0. Domains: youth, support, work-income, debt, housing, mental-health,\n"
    "other. Times are ISO 8601 (a date alone is 00:00 Europe/Amsterdam).\n",
    s_verbs,
};

//  The list is the assignment service's, in its order and as of its clock.
static const ctl_verb_t s_waiting [] = {
    { "", "[--limit N] [--location LOC]", "limit location", NULL, NULL, S_ASK, S_BODY (waiting),
      "limit:1-10000 location", NULL, "waiting", ctl_waiting_json, ctl_waiting_text },
    { NULL },
};

const ctl_group_t ctl_waiting_group = {
    "waiting",
    "the waiting list, in order, as of the services' clock",
    "Urgent cases nobody could take first, then by the time each case was first\n"
    "triaged, then by case id; days waited by the assignment service's clock.\n",
    s_waiting,
};
