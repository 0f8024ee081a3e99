//  ctl_assignment_output: how `caseflowctl assignment …` shows the assignment
//  service's views: the words of its enums, JSON objects with CLI.md's keys,
//  and the human form of a case and its history (see ctl_assignment.h).
#include "ctl_assignment.h"

#include "cf_words.h"

#include <stdlib.h>
#include <string.h>

const char *
ctl_assignment_kind_name (int kind)
{
    return cf_words_find (&cf_words_location_kind, kind);
}

int
ctl_assignment_kind_parse (const char *word)
{
    return cf_words_parse (&cf_words_location_kind, word);
}

const char *
ctl_assignment_rule_name (int rule)
{
    return cf_words_find (&cf_words_assignment_rule, rule);
}

const char *
ctl_assignment_trigger_name (int trigger)
{
    return cf_words_find (&cf_words_assignment_trigger, trigger);
}

const char *
ctl_assignment_history_name (int kind)
{
    return cf_words_find (&cf_words_history_kind, kind);
}

const char *
ctl_assignment_or_dash (const char *text)
{
    return text && *text ? text : "-";
}

//  ------------------------------------------------------------ printing

void
ctl_assignment_json_text (ctl_json_t *json, const char *key, const char *text)
{
    ctl_json_key (json, key);
    ctl_json_string_or_null (json, text);
}

void
ctl_assignment_json_time (ctl_json_t *json, const char *key, int64_t at)
{
    ctl_json_key (json, key);
    ctl_json_time (json, at);
}

void
ctl_assignment_json_uint (ctl_json_t *json, const char *key, uint64_t value)
{
    ctl_json_key (json, key);
    ctl_json_uint (json, value);
}

void
ctl_assignment_json_strings (ctl_json_t *json, const char *key, char **strings, size_t count)
{
    ctl_json_key (json, key);
    ctl_json_array_begin (json);
    for (size_t i = 0; i < count; i++)
        ctl_json_string (json, strings [i]);
    ctl_json_array_end (json);
}

void
ctl_assignment_json_domains (ctl_json_t *json, const char *key, const Caseflow__V1__Domain *domains,
                             size_t count)
{
    ctl_json_key (json, key);
    ctl_json_array_begin (json);
    for (size_t i = 0; i < count; i++)
        ctl_json_string (json, ctl_domain_name (domains [i]));
    ctl_json_array_end (json);
}

char *
ctl_assignment_domains_text (const Caseflow__V1__Domain *domains, size_t count, char *buf,
                             size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", i ? "," : "", ctl_domain_name (domains [i]));
    }
    return buf;
}

char *
ctl_assignment_join (char **strings, size_t count, char *buf, size_t size)
{
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s", i ? "," : "", strings [i]);
    }
    return buf;
}

void
ctl_assignment_json_worker (ctl_json_t *json, const Caseflow__V1__Assignment__WorkerView *worker)
{
    ctl_json_object_begin (json);
    ctl_assignment_json_text (json, "worker_id", worker->worker_id);
    ctl_json_key (json, "fte");
    ctl_json_double (json, worker->fte_milli / 1000.0);
    ctl_assignment_json_strings (json, "locations", worker->locations, worker->n_locations);
    ctl_assignment_json_domains (json, "expertise", worker->expertise, worker->n_expertise);
    ctl_json_key (json, "absent");
    ctl_json_bool (json, worker->absent);
    ctl_assignment_json_uint (json, "caseload", worker->caseload);
    ctl_assignment_json_uint (json, "capacity", worker->capacity);
    ctl_assignment_json_text (json, "name", worker->name);
    ctl_json_key (json, "max_caseload");
    if (worker->max_caseload)
        ctl_json_uint (json, worker->max_caseload);
    else
        ctl_json_null (json);
    ctl_json_key (json, "utilisation");
    ctl_json_double (json, worker->utilisation_permille / 1000.0);
    ctl_assignment_json_time (json, "absent_from", worker->absent_from);
    ctl_assignment_json_time (json, "absent_until", worker->absent_until);
    ctl_json_key (json, "left");
    ctl_json_bool (json, worker->left);
    ctl_assignment_json_time (json, "joined_at", worker->joined_at);
    ctl_assignment_json_time (json, "left_at", worker->left_at);
    ctl_assignment_json_strings (json, "cases", worker->cases, worker->n_cases);
    ctl_json_object_end (json);
}

char *
ctl_assignment_availability (const Caseflow__V1__Assignment__WorkerView *worker, char *buf,
                             size_t size)
{
    char from [40], until [40];
    ctl_time_text (worker->absent_from, from, sizeof from);
    ctl_time_text (worker->absent_until, until, sizeof until);
    if (worker->left)
        snprintf (buf, size, "left");
    else if (worker->absent)
        snprintf (buf, size, "absent since %s%s%s", from, worker->absent_until ? " until " : "",
                  worker->absent_until ? until : "");
    else if (worker->absent_from)
        snprintf (buf, size, "absent from %s%s%s", from, worker->absent_until ? " until " : "",
                  worker->absent_until ? until : "");
    else
        snprintf (buf, size, "present");
    return buf;
}

void
ctl_assignment_json_case (ctl_json_t *json, const Caseflow__V1__Assignment__AssignmentView *view)
{
    ctl_json_object_begin (json);
    ctl_assignment_json_text (json, "case_id", view->case_id);
    ctl_json_key (json, "status");
    ctl_json_string (json, ctl_status_name (view->status));
    ctl_json_key (json, "urgency");
    ctl_json_string (json, view->urgency ? ctl_urgency_name (view->urgency) : NULL);
    ctl_assignment_json_text (json, "worker_id", view->worker_id);
    ctl_assignment_json_domains (json, "domains", view->domains, view->n_domains);
    ctl_assignment_json_text (json, "location", view->location);
    ctl_json_key (json, "channel");
    ctl_json_string (json, view->channel ? ctl_channel_name (view->channel) : NULL);
    ctl_assignment_json_time (json, "registered_at", view->registered_at);
    ctl_assignment_json_time (json, "triaged_at", view->triaged_at);
    ctl_assignment_json_text (json, "continuity_worker", view->continuity_worker);
    ctl_json_key (json, "position");
    if (view->position)
        ctl_json_uint (json, view->position);
    else
        ctl_json_null (json);
    ctl_json_key (json, "escalated");
    ctl_json_bool (json, view->escalated);
    ctl_assignment_json_text (json, "outcome", view->outcome);
    ctl_json_key (json, "history");
    ctl_json_array_begin (json);
    for (size_t i = 0; i < view->n_history; i++) {
        const Caseflow__V1__Assignment__HistoryEntry *entry = view->history [i];
        ctl_json_object_begin (json);
        ctl_assignment_json_time (json, "at", entry->at);
        ctl_json_key (json, "kind");
        ctl_json_string (json, ctl_assignment_history_name (entry->kind));
        ctl_assignment_json_text (json, "worker_id", entry->worker_id);
        ctl_json_key (json, "rule");
        ctl_json_string (json, ctl_assignment_rule_name (entry->rule));
        ctl_json_key (json, "trigger");
        ctl_json_string (json, ctl_assignment_trigger_name (entry->trigger));
        ctl_json_key (json, "over_limit");
        ctl_json_bool (json, entry->over_limit);
        ctl_assignment_json_text (json, "reason", entry->reason);
        ctl_json_object_end (json);
    }
    ctl_json_array_end (json);
    ctl_json_object_end (json);
}

void
ctl_assignment_print_case (const Caseflow__V1__Assignment__AssignmentView *view)
{
    char domains [160], at [40];
    printf ("%-18s %s\n", "case", view->case_id);
    printf ("%-18s %s%s\n", "status", ctl_status_name (view->status),
            view->escalated ? " (escalated: nobody could take it)" : "");
    printf ("%-18s %s\n", "urgency", view->urgency ? ctl_urgency_name (view->urgency) : "-");
    printf ("%-18s %s\n", "worker", ctl_assignment_or_dash (view->worker_id));
    if (view->position)
        printf ("%-18s %u\n", "position", view->position);
    printf ("%-18s %s\n", "domains",
            ctl_assignment_domains_text (view->domains, view->n_domains, domains, sizeof domains));
    printf ("%-18s %s\n", "location", ctl_assignment_or_dash (view->location));
    printf ("%-18s %s\n", "registered", ctl_time_text (view->registered_at, at, sizeof at));
    printf ("%-18s %s\n", "triaged", ctl_time_text (view->triaged_at, at, sizeof at));
    if (*view->continuity_worker)
        printf ("%-18s %s\n", "continuity", view->continuity_worker);
    if (*view->outcome)
        printf ("%-18s %s\n", "outcome", view->outcome);
    if (view->n_history) {
        printf ("\nhistory:\n");
        ctl_table_t *table =
            ctl_table_new (5, (const char *[]){ "AT", "WHAT", "WORKER", "RULE", "WHY" });
        for (size_t i = 0; i < view->n_history; i++) {
            const Caseflow__V1__Assignment__HistoryEntry *entry = view->history [i];
            char when [40], what [64];
            snprintf (what, sizeof what, "%s%s",
                      ctl_assignment_or_dash (ctl_assignment_history_name (entry->kind)),
                      entry->over_limit ? " (over limit)" : "");
            ctl_time_text (entry->at, when, sizeof when);
            const char *rule = ctl_assignment_or_dash (ctl_assignment_rule_name (entry->rule));
            ctl_table_row (table,
                           (const char *[]){ when, what, ctl_assignment_or_dash (entry->worker_id),
                                             rule, ctl_assignment_or_dash (entry->reason) });
        }
        ctl_table_print (&table, stdout);
    }
}
