//  ctl_handover_output: the output of `caseflowctl handover …`: the words
//  of the handover enums, a handover as JSON or text, the progress report
//  as JSON (the keys of CLI.md) or as a table. ctl_handover.c has the verbs.
#include "ctl_handover.h"

#include "cf_time.h"

#include <stdio.h>
#include <string.h>

//  ------------------------------------------------------------- the words

const char *
ctl_handover_state_name (Caseflow__V1__Handover__HandoverState state)
{
    const char *word = cf_words_find (&cf_words_handover_state, (int) state);
    return word ? word : "unknown";
}

const char *
ctl_handover_step_name (Caseflow__V1__Handover__NextStep step)
{
    const char *word = cf_words_find (&cf_words_next_step, (int) step);
    return word ? word : "unknown";
}

int
ctl_handover_word_index (const cf_words_t *table, const char *word)
{
    //  "meeting_planned" reads like "meeting-planned".
    char dashed [32];
    snprintf (dashed, sizeof dashed, "%s", word);
    for (char *c = dashed; *c; c++)
        if (*c == '_')
            *c = '-';
    return cf_words_parse (table, dashed);
}

char *
ctl_handover_deadline_text (int64_t deadline, char *buf, size_t size)
{
    char local [40];
    cf_time_format_local (deadline, local, sizeof local);
    if (deadline && strncmp (local + 11, "00:00:00", 8) == 0) {
        //  A date is 10 characters; the bound keeps the compiler sure of it.
        char day [32];
        cf_time_format_date (deadline - 1, day, sizeof day);
        snprintf (buf, size, "%.10s (end of day)", day);
        return buf;
    }
    return ctl_time_text (deadline, buf, size);
}

//  -------------------------------------------------------------- output

static void
s_json_domains (ctl_json_t *json, const Caseflow__V1__Domain *domains, size_t count)
{
    ctl_json_array_begin (json);
    for (size_t i = 0; i < count; i++)
        ctl_json_string (json, ctl_domain_name (domains [i]));
    ctl_json_array_end (json);
}

void
ctl_handover_json_handover (ctl_json_t *json, const Caseflow__V1__Handover__HandoverView *view,
                            bool personal)
{
    ctl_json_object_begin (json);
    ctl_json_key (json, "handover_id");
    ctl_json_string (json, view->handover_id);
    ctl_json_key (json, "provider_id");
    ctl_json_string (json, view->provider_id);
    ctl_json_key (json, "state");
    ctl_json_string (json, ctl_handover_state_name (view->state));
    if (personal && view->resident) {
        ctl_json_key (json, "resident");
        ctl_json_object_begin (json);
        ctl_json_key (json, "name");
        ctl_json_string (json, view->resident->name);
        ctl_json_key (json, "birth_date");
        ctl_json_string_or_null (json, view->resident->birth_date);
        ctl_json_key (json, "bsn");
        ctl_json_string_or_null (json, view->resident->bsn);
        ctl_json_key (json, "phone");
        ctl_json_string_or_null (json, view->resident->phone);
        ctl_json_key (json, "district");
        ctl_json_string_or_null (json, view->resident->district);
        ctl_json_object_end (json);
        ctl_json_key (json, "support");
        ctl_json_string_or_null (json, view->support);
        ctl_json_key (json, "decision_note");
        ctl_json_string_or_null (json, view->decision_note);
        ctl_json_key (json, "cancel_reason");
        ctl_json_string_or_null (json, view->cancel_reason);
    }
    ctl_json_key (json, "domains");
    s_json_domains (json, view->domains, view->n_domains);
    ctl_json_key (json, "urgency");
    ctl_json_string (json, ctl_urgency_name (view->urgency));
    ctl_json_key (json, "preferred_worker");
    ctl_json_string_or_null (json, view->preferred_worker);
    ctl_json_key (json, "caseload_worker");
    ctl_json_string_or_null (json, view->caseload_worker);
    ctl_json_key (json, "deadline");
    ctl_json_time (json, view->deadline);
    ctl_json_key (json, "announced_at");
    ctl_json_time (json, view->announced_at);
    const Caseflow__V1__Handover__Meeting *meeting =
        view->n_meetings ? view->meetings [view->n_meetings - 1] : NULL;
    ctl_json_key (json, "meeting_at");
    ctl_json_time (json, meeting ? meeting->at : 0);
    ctl_json_key (json, "meeting_location");
    ctl_json_string_or_null (json, meeting ? meeting->location : NULL);
    ctl_json_key (json, "held_at");
    ctl_json_time (json, view->held_at);
    ctl_json_key (json, "next_step");
    ctl_json_string_or_null (json,
                             view->next_step ? ctl_handover_step_name (view->next_step) : NULL);
    ctl_json_key (json, "decided_at");
    ctl_json_time (json, view->decided_at);
    ctl_json_key (json, "documents");
    ctl_json_array_begin (json);
    for (size_t i = 0; i < view->n_documents; i++) {
        ctl_json_object_begin (json);
        ctl_json_key (json, "title");
        ctl_json_string (json, view->documents [i]->title);
        ctl_json_key (json, "type");
        ctl_json_string_or_null (json, view->documents [i]->type);
        ctl_json_key (json, "received_at");
        ctl_json_time (json, view->documents [i]->received_at);
        ctl_json_object_end (json);
    }
    ctl_json_array_end (json);
    ctl_json_key (json, "files_waived");
    ctl_json_bool (json, view->files_waived);
    ctl_json_key (json, "completed_at");
    ctl_json_time (json, view->completed_at);
    ctl_json_key (json, "cancelled_at");
    ctl_json_time (json, view->cancelled_at);
    ctl_json_key (json, "overdue");
    ctl_json_bool (json, view->overdue);
    ctl_json_key (json, "at_risk");
    ctl_json_bool (json, view->at_risk);
    ctl_json_object_end (json);
}

void
ctl_handover_print_handover (ctl_t *ctl, const Caseflow__V1__Handover__HandoverView *view,
                             bool personal)
{
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_handover_json_handover (&json, view, personal);
        ctl_json_finish (&json);
        return;
    }
    char deadline [40], text [40];
    printf ("handover %s (provider %s): %s%s%s\n", view->handover_id, view->provider_id,
            ctl_handover_state_name (view->state), view->overdue ? ", overdue" : "",
            view->at_risk ? ", at risk" : "");
    if (personal && view->resident)
        printf ("  resident   %s%s%s\n", view->resident->name,
                *view->resident->birth_date ? ", born " : "", view->resident->birth_date);
    printf ("  deadline   %s\n",
            ctl_handover_deadline_text (view->deadline, deadline, sizeof deadline));
    printf ("  urgency    %s", ctl_urgency_name (view->urgency));
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
        printf ("  next step  %s\n", ctl_handover_step_name (view->next_step));
    if (view->n_documents || view->files_waived)
        printf ("  files      %zu document%s%s\n", view->n_documents,
                view->n_documents == 1 ? "" : "s", view->files_waived ? ", transfer waived" : "");
    if (view->completed_at)
        printf ("  completed  %s\n", ctl_time_text (view->completed_at, text, sizeof text));
    if (view->cancelled_at)
        printf ("  cancelled  %s\n", ctl_time_text (view->cancelled_at, text, sizeof text));
}

static void
s_json_counts (ctl_json_t *json, const Caseflow__V1__Handover__ProgressCounts *counts,
               const char *deadline_date)
{
    static const char *keys [] = { "total",        "completed",      "decided",
                                   "in_progress",  "cancelled",      "overdue",
                                   "at_risk",      "announced",      "meeting_planned",
                                   "meeting_held", "completed_late", "completed_in_window",
                                   "remaining" };
    uint64_t values [] = { counts->total,           counts->completed,
                           counts->decided,         counts->in_progress,
                           counts->cancelled,       counts->overdue,
                           counts->at_risk,         counts->announced,
                           counts->meeting_planned, counts->meeting_held,
                           counts->completed_late,  counts->completed_in_window,
                           counts->remaining };
    ctl_json_key (json, "deadline");
    ctl_json_string (json, deadline_date);
    for (size_t i = 0; i < sizeof keys / sizeof keys [0]; i++) {
        ctl_json_key (json, keys [i]);
        ctl_json_uint (json, values [i]);
    }
    ctl_json_key (json, "forecast_completion_date");
    ctl_json_string_or_null (json, counts->forecast_completion_date);
    ctl_json_key (json, "on_track");
    ctl_json_bool (json, counts->on_track);
}

static void
s_counts_row (ctl_table_t *table, const char *name,
              const Caseflow__V1__Handover__ProgressCounts *counts)
{
    char cells [9][24];
    uint64_t values [] = { counts->total,     counts->in_progress, counts->decided,
                           counts->completed, counts->cancelled,   counts->overdue,
                           counts->at_risk };
    for (int i = 0; i < 7; i++)
        snprintf (cells [i], sizeof cells [i], "%llu", (unsigned long long) values [i]);
    snprintf (cells [7], sizeof cells [7], "%s",
              *counts->forecast_completion_date ? counts->forecast_completion_date : "-");
    snprintf (cells [8], sizeof cells [8], "%s",
              counts->total == 0 ? "-"
              : counts->on_track ? "yes"
                                 : "no");
    const char *row [] = { name,      cells [0], cells [1], cells [2], cells [3],
                           cells [4], cells [5], cells [6], cells [7], cells [8] };
    ctl_table_row (table, row);
}

void
ctl_handover_json_progress (ctl_json_t *json, const Caseflow__V1__Handover__ProgressReport *report)
{
    ctl_json_object_begin (json);
    ctl_json_key (json, "at");
    ctl_json_time (json, report->at);
    ctl_json_key (json, "deadline_at");
    ctl_json_time (json, report->deadline);
    ctl_json_key (json, "forecast_window_days");
    ctl_json_uint (json, report->forecast_window_days);
    s_json_counts (json, report->totals, report->deadline_date);
    ctl_json_key (json, "by_provider");
    ctl_json_object_begin (json);
    for (size_t i = 0; i < report->n_by_provider; i++) {
        const Caseflow__V1__Handover__ProviderProgress *provider = report->by_provider [i];
        ctl_json_key (json, provider->provider_id);
        ctl_json_object_begin (json);
        ctl_json_key (json, "name");
        ctl_json_string (json, provider->name);
        if (provider->counts)
            s_json_counts (json, provider->counts, report->deadline_date);
        ctl_json_object_end (json);
    }
    ctl_json_object_end (json);
    ctl_json_object_end (json);
}

void
ctl_handover_print_progress (ctl_t *ctl, const Caseflow__V1__Handover__ProgressReport *report)
{
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_handover_json_progress (&json, report);
        ctl_json_finish (&json);
    } else {
        char at [40];
        const Caseflow__V1__Handover__ProgressCounts *totals = report->totals;
        printf ("handover progress at %s; deadline %s (end of day)\n",
                ctl_time_text (report->at, at, sizeof at), report->deadline_date);
        const char *headers [] = { "PROVIDER",  "TOTAL",   "IN PROGRESS", "DECIDED",  "COMPLETED",
                                   "CANCELLED", "OVERDUE", "AT RISK",     "FORECAST", "ON TRACK" };
        ctl_table_t *table = ctl_table_new (10, headers);
        for (size_t i = 0; i < report->n_by_provider; i++)
            if (report->by_provider [i]->counts)
                s_counts_row (table, report->by_provider [i]->provider_id,
                              report->by_provider [i]->counts);
        s_counts_row (table, "(total)", totals);
        ctl_table_print (&table, stdout);
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
}
