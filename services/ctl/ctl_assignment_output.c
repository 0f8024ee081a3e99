//  ctl_assignment_output: how `caseflowctl assignment …` shows the
//  assignment service's views. JSON keys of CLI.md: `assignment worker
//  list` a list of {worker_id, fte, locations, expertise, absent,
//  caseload, capacity}; each object carries more keys after those.
#include "ctl_output.h"

#include "caseflow/v1/assignment.pb-c.h"

#include <string.h>

//  What the verb did, for people: "added", "marked absent", ...
static const char *
s_done (const ctl_args_t *args)
{
    static const char *const s_words [][2] = {
        { "worker add", "added" },
        { "worker change", "changed" },
        { "worker absent", "marked absent" },
        { "worker return", "returned" },
        { "worker leave", "left" },
        { "assign", "assigned" },
        { "start", "started" },
        { "complete", "completed" },
    };
    for (size_t i = 0; i < sizeof s_words / sizeof s_words [0]; i++)
        if (strcmp (s_words [i][0], args->verb->name) == 0)
            return s_words [i][1];
    return args->verb->name;
}

void
ctl_assignment_location_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    char kind [32];
    const Caseflow__V1__Assignment__LocationView *location = (const void *) result;
    printf ("%s added: %s (%s)\n", location->location_id, location->name,
            ctl_text_value (result, "kind", kind, sizeof kind));
}

//  "present", "absent since …", "absent from … until …" (planned), "left".
static char *
s_availability (const Caseflow__V1__Assignment__WorkerView *worker, char *buf, size_t size)
{
    char from [40], until [40];
    ctl_time_text (worker->absent_from, from, sizeof from);
    ctl_time_text (worker->absent_until, until, sizeof until);
    if (worker->left || (!worker->absent && !worker->absent_from))
        snprintf (buf, size, "%s", worker->left ? "left" : "present");
    else
        snprintf (buf, size, "absent %s %s%s%s", worker->absent ? "since" : "from", from,
                  worker->absent_until ? " until " : "", worker->absent_until ? until : "");
    return buf;
}

void
ctl_assignment_worker_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    const Caseflow__V1__Assignment__WorkerView *worker = (const void *) result;
    char availability [128];
    printf ("%s %s: %.2f FTE, caseload %u of %u, %s\n", worker->worker_id, s_done (args),
            worker->fte_milli / 1000.0, worker->caseload, worker->capacity,
            s_availability (worker, availability, sizeof availability));
}

//  The cells of a worker that are not fields: caseload of capacity,
//  utilisation in percent, availability.
static void
s_worker_cells (ctl_table_t *table, const ProtobufCMessage *row)
{
    const Caseflow__V1__Assignment__WorkerView *worker = (const void *) row;
    char caseload [32], utilisation [16], availability [128];
    snprintf (caseload, sizeof caseload, "%u/%u%s", worker->caseload, worker->capacity,
              worker->caseload > worker->capacity ? " over" : "");
    snprintf (utilisation, sizeof utilisation, "%u%%", (worker->utilisation_permille + 5) / 10);
    ctl_table_cell (table, caseload);
    ctl_table_cell (table, utilisation);
    ctl_table_cell (table, s_availability (worker, availability, sizeof availability));
}

void
ctl_assignment_workers_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    ctl_table_t *table =
        ctl_table_new ("WORKER NAME FTE LOCATIONS EXPERTISE CASELOAD UTILISATION AVAILABILITY");
    ctl_table_each (table, result, "workers", "worker_id name fte_milli:milli locations expertise",
                    s_worker_cells);
    ctl_table_print (&table);
}

void
ctl_assignment_changed_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    const Caseflow__V1__Assignment__AssignmentView *view = (const void *) result;
    printf ("%s %s: %s%s%s\n", view->case_id, s_done (args), ctl_status_name (view->status),
            *view->worker_id ? ", worker " : "", view->worker_id);
}

void
ctl_assignment_case_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    ctl_text_lines (result,
                    "case=case_id status escalated? urgency worker=worker_id position? domains "
                    "location registered=registered_at:time triaged=triaged_at:time "
                    "continuity=continuity_worker? outcome?",
                    18);
    printf ("\nhistory:\n");
    ctl_text_show (result, "AT WHAT WORKER RULE TRIGGER OVER_LIMIT WHY|history|at:time kind "
                           "worker_id rule trigger over_limit reason");
}

void
ctl_assignment_explain_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    printf ("%s\n\n", ((const Caseflow__V1__Assignment__WaitExplanation *) result)->text);
    ctl_text_show (result, "WORKER CASELOAD CAPACITY ABSENT NOTE|candidates|worker_id caseload "
                           "capacity absent note");
}
