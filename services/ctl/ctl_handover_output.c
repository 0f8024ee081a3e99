//  ctl_handover_output: how `caseflowctl handover …` shows the handover
//  service's views: a handover as JSON or a few lines, lists and the
//  progress report (the keys of CLI.md: deadline, total, completed,
//  decided, in_progress, cancelled, overdue, forecast_completion_date,
//  by_provider {P: {…same…}}, and more) as JSON or tables.
#include "ctl_output.h"

#include "handover_progress_json.h"

#include "cf_time.h"

#include <string.h>

//  A deadline for people: "2022-06-30 (end of day)" when it falls at
//  midnight in Europe/Amsterdam, else "2022-06-30 12:00". Returns buf.
static char *
s_deadline_text (int64_t deadline, char *buf, size_t size)
{
    char local [40], day [32];
    cf_time_format_local (deadline, local, sizeof local);
    if (!deadline || strncmp (local + 11, "00:00:00", 8) != 0)
        return ctl_time_text (deadline, buf, size);
    cf_time_format_date (deadline - 1, day, sizeof day);
    snprintf (buf, size, "%.10s (end of day)", day);
    return buf;
}

//  An enum's word, "-" for none.
static const char *
s_word (const ProtobufCEnumDescriptor *descriptor, int value)
{
    const char *word = ctl_enum_word (descriptor, value);
    return word ? word : "-";
}

//  One handover in a few lines: its state, then one indented line a fact
//  it has (the resident only for `show`).
static void
s_handover_text (const Caseflow__V1__Handover__HandoverView *view, bool personal)
{
    char deadline [40], text [40];
    printf ("handover %s (provider %s): %s%s%s\n", view->handover_id, view->provider_id,
            s_word (&caseflow__v1__handover__handover_state__descriptor, view->state),
            view->overdue ? ", overdue" : "", view->at_risk ? ", at risk" : "");
    if (personal && view->resident)
        printf ("  resident   %s%s%s\n", view->resident->name,
                *view->resident->birth_date ? ", born " : "", view->resident->birth_date);
    printf ("  deadline   %s\n", s_deadline_text (view->deadline, deadline, sizeof deadline));
    printf ("  urgency    %s", s_word (&caseflow__v1__urgency__descriptor, view->urgency));
    if (*view->preferred_worker)
        printf (", preferred worker %s", view->preferred_worker);
    if (*view->caseload_worker)
        printf (" (caseload of %s)", view->caseload_worker);
    printf ("\n");
    if (view->n_meetings) {
        const Caseflow__V1__Handover__Meeting *meeting = view->meetings [view->n_meetings - 1];
        printf ("  meeting    %s%s%s%s\n", ctl_time_text (meeting->at, text, sizeof text),
                *meeting->location ? " at " : "", meeting->location,
                view->held_at ? " (held)" : "");
    }
    if (view->next_step)
        printf ("  next step  %s\n",
                s_word (&caseflow__v1__handover__next_step__descriptor, view->next_step));
    if (view->n_documents || view->files_waived)
        printf ("  files      %zu document%s%s\n", view->n_documents,
                view->n_documents == 1 ? "" : "s", view->files_waived ? ", transfer waived" : "");
    if (view->completed_at)
        printf ("  completed  %s\n", ctl_time_text (view->completed_at, text, sizeof text));
    if (view->cancelled_at)
        printf ("  cancelled  %s\n", ctl_time_text (view->cancelled_at, text, sizeof text));
}

//  The handover a verb changed or showed; `show` adds the resident.
void
ctl_handover_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    s_handover_text ((const void *) result, strcmp (args->verb->name, "show") == 0);
}

//  The cells of a handover that are not fields: its deadline, flags.
static void
s_handover_cells (ctl_table_t *table, const ProtobufCMessage *row)
{
    const Caseflow__V1__Handover__HandoverView *view = (const void *) row;
    char deadline [40];
    ctl_table_cell (table, s_deadline_text (view->deadline, deadline, sizeof deadline));
    ctl_table_cell (table, view->overdue ? "overdue" : view->at_risk ? "at risk" : "");
}

void
ctl_handover_list_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    ctl_table_t *table =
        ctl_table_new ("HANDOVER PROVIDER STATE URGENCY MEETING NEXT DUE_BY FLAGS");
    ctl_table_each (table, result, "handovers",
                    "handover_id provider_id state urgency meetings.last.at:time next_step",
                    s_handover_cells);
    ctl_table_print (&table);
    const char *next = ((const Caseflow__V1__Handover__HandoverList *) result)->next;
    if (*next)
        printf ("more: --after %s\n", next);
}

void
ctl_handover_provider_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    printf ("provider %s added\n",
            ((const Caseflow__V1__Handover__ProviderView *) result)->provider_id);
}

void
ctl_handover_caseload_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    char ids [4096];
    const Caseflow__V1__Handover__HandoverIds *made = (const void *) result;
    printf ("%zu handover%s announced for worker %s: %s\n", made->n_handover_ids,
            made->n_handover_ids == 1 ? "" : "s", ctl_arg (args, "worker"),
            ctl_text_value (result, "handover_ids", ids, sizeof ids));
}

//  ------------------------------------------------------------- progress

json_t *
ctl_handover_progress_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    return handover_progress_json ((const Caseflow__V1__Handover__ProgressReport *) result);
}

//  One row of the progress table. "On track" means nothing for a provider
//  with nothing to hand over: "-" there.
static void
s_progress_row (ctl_table_t *table, const char *name,
                const Caseflow__V1__Handover__ProgressCounts *counts)
{
    ctl_table_cell (table, name);
    ctl_table_cells (table, &counts->base,
                     "total in_progress decided completed cancelled overdue at_risk "
                     "forecast_completion_date");
    ctl_table_cell (table, counts->total == 0 ? "-" : counts->on_track ? "yes" : "no");
}

void
ctl_handover_progress_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Handover__ProgressReport *report = (const void *) result;
    char at [40];
    const Caseflow__V1__Handover__ProgressCounts *totals = report->totals;
    printf ("handover progress at %s; deadline %s (end of day)\n",
            ctl_time_text (report->at, at, sizeof at), report->deadline_date);
    ctl_table_t *table = ctl_table_new (
        "PROVIDER TOTAL IN_PROGRESS DECIDED COMPLETED CANCELLED OVERDUE AT_RISK FORECAST ON_TRACK");
    for (size_t i = 0; i < report->n_by_provider; i++)
        if (report->by_provider [i]->counts)
            s_progress_row (table, report->by_provider [i]->provider_id,
                            report->by_provider [i]->counts);
    s_progress_row (table, "(total)", totals);
    ctl_table_print (&table);
    if (totals->remaining == 0)
        printf ("nothing remains to be handed over\n");
    else if (!*totals->forecast_completion_date)
        printf ("forecast: none; %llu open and none completed in the last %u days\n",
                (unsigned long long) totals->remaining, report->forecast_window_days);
    else
        printf ("forecast: the %llu remaining done by %s at the rate of the last %u days "
                "(%llu completed): %s\n",
                (unsigned long long) totals->remaining, totals->forecast_completion_date,
                report->forecast_window_days, (unsigned long long) totals->completed_in_window,
                totals->on_track ? "on track" : "after the deadline");
}
