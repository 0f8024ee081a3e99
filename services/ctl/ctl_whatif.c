//  ctl_whatif: `whatif` and `forecast` (docs/whatif.md, docs/cli.md).
//
//  whatif --from TIME --to TIME [--add-workers N --fte F --location LOC
//         --expertise D[,D...] [--starting TIME]] [--remove-absence W]...
//         [--max-caseload N] [--continuity-margin N]
//  forecast --weeks N [--window M] [the same changes]
//
//  The console answers both (console.WhatIf, console.Forecast): it replays
//  the recorded demand through assignment's own policy code in a sandbox
//  and folds the figures with the report's library. --json prints its
//  document as it is; otherwise tables: the figures side by side and the
//  weekly series (whatif), the weeks ahead (forecast).
#include "ctl.h"
#include "ctl_render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  How the change flags fill console.WhatIfChanges (ctl_bind).
#define S_CHANGES                                                            \
    "changes.add_workers=add-workers:1-100 changes.add_fte_milli=fte:milli " \
    "changes.add_location=location changes.add_expertise=expertise "         \
    "changes.add_starting=starting changes.remove_absences=remove-absence "  \
    "changes.max_caseload=max-caseload:1-1000 changes.continuity_margin=continuity-margin:0-1000"
#define S_CHANGE_FLAGS                                                          \
    "add-workers fte location expertise starting remove-absence* max-caseload " \
    "continuity-margin"
#define S_CHANGE_USAGE                                                                    \
    "[--add-workers N --location LOC --expertise D[,D...] [--fte F] [--starting TIME]]\n" \
    "    [--remove-absence W]... [--max-caseload N] [--continuity-margin N]"

//  The figures shown side by side, in this order.
static const char *const s_figures [] = {
    "waiting",      "wait_days_median", "wait_days_p90",  "urgent_pickup_hours_median",
    "active_cases", "closed_cases",     "workers_active", "workers_absent",
    "fte_active",
};

//  Checks across the change flags and fills what ctl_bind cannot: the
//  default FTE and the continuity margin's switch.
static int
s_changes (const ctl_args_t *args, Caseflow__V1__Console__WhatIfChanges **changes_p)
{
    bool adding = ctl_arg (args, "add-workers") != NULL;
    static const char *const needs_adding [] = { "fte", "location", "expertise", "starting" };
    for (size_t i = 0; i < sizeof needs_adding / sizeof needs_adding [0]; i++)
        if (!adding && ctl_arg (args, needs_adding [i]))
            return ctl_usage_error ("--%s: only with --add-workers", needs_adding [i]);
    if (adding && !ctl_arg (args, "location"))
        return ctl_usage_error ("--location: required with --add-workers");
    if (adding && !ctl_arg (args, "expertise"))
        return ctl_usage_error ("--expertise: required with --add-workers");
    if (ctl_arg (args, "fte") && ctl_arg (args, "fte") [0] == '-')
        return ctl_usage_error ("--fte: %s is negative; an FTE is 0.1 to 1.0",
                                ctl_arg (args, "fte"));
    Caseflow__V1__Console__WhatIfChanges *changes = *changes_p;
    if (!changes)
        *changes_p = changes =
            ctl_message_new (&caseflow__v1__console__what_if_changes__descriptor);
    if (adding && !changes->add_fte_milli)
        changes->add_fte_milli = 1000;
    changes->set_continuity_margin = ctl_arg (args, "continuity-margin") != NULL;
    return CTL_OK;
}

//  A figure's value as text ("-" for null or absent).
static const char *
s_value (json_t *figures, const char *key, char *buf, size_t size)
{
    json_t *value = json_object_get (figures, key);
    if (json_is_integer (value))
        snprintf (buf, size, "%lld", (long long) json_integer_value (value));
    else if (json_is_number (value))
        snprintf (buf, size, "%.1f", json_number_value (value));
    else
        snprintf (buf, size, "-");
    return buf;
}

//  The caseload per location of `figures` as "L1 12, L2 8".
static const char *
s_by_location (json_t *figures, char *buf, size_t size)
{
    json_t *parts = json_object_get (figures, "caseload_by_location");
    const char *key;
    json_t *value;
    size_t used = 0;
    buf [0] = 0;
    json_object_foreach (parts, key, value)
    {
        int n = snprintf (buf + used, size - used, "%s%s %lld", used ? ", " : "", key,
                          (long long) json_integer_value (value));
        if (n < 0 || (size_t) n >= size - used)
            break;
        used += (size_t) n;
    }
    return buf;
}

static void
s_print_whatif (json_t *answer)
{
    json_t *actual = json_object_get (answer, "actual");
    json_t *whatif = json_object_get (answer, "whatif");
    printf ("what if, %s to %s\n\n", json_string_value (json_object_get (answer, "from")),
            json_string_value (json_object_get (answer, "to")));
    ctl_table_t *table = ctl_table_new ("FIGURE ACTUAL WHAT-IF");
    char a [64], w [64];
    for (size_t i = 0; i < sizeof s_figures / sizeof s_figures [0]; i++) {
        ctl_table_cell (table, s_figures [i]);
        ctl_table_cell (table, s_value (actual, s_figures [i], a, sizeof a));
        ctl_table_cell (table, s_value (whatif, s_figures [i], w, sizeof w));
    }
    ctl_table_print (&table);
    printf ("\n");
    table = ctl_table_new ("WEEK_ENDING WAITING (WHAT-IF) MEAN_WAIT_D (WHAT-IF) MEDIAN_WAIT_D "
                           "(WHAT-IF) URGENT_PICKUP_H (WHAT-IF) CASELOAD_BY_LOCATION (WHAT-IF)");
    static const char *const keys [] = { "waiting", "wait_days_mean", "wait_days_median",
                                         "urgent_pickup_hours_median" };
    json_t *weeks = json_object_get (answer, "weeks");
    size_t index;
    json_t *week;
    json_array_foreach (weeks, index, week)
    {
        json_t *wa = json_object_get (week, "actual"), *ww = json_object_get (week, "whatif");
        ctl_table_cell (table, json_string_value (json_object_get (week, "at")));
        for (size_t k = 0; k < sizeof keys / sizeof keys [0]; k++) {
            ctl_table_cell (table, s_value (wa, keys [k], a, sizeof a));
            ctl_table_cell (table, s_value (ww, keys [k], w, sizeof w));
        }
        char la [512], lw [512];
        ctl_table_cell (table, s_by_location (wa, la, sizeof la));
        ctl_table_cell (table, s_by_location (ww, lw, sizeof lw));
    }
    ctl_table_print (&table);
}

//  Asks the console (`body`, taken) and prints its JSON answer (member
//  `member` of the result, whose answer_json is read), or the tables.
static int
s_ask (const ctl_args_t *args, ProtobufCMessage *body, const char *member,
       void (*print) (json_t *answer))
{
    ctl_t *ctl = args->ctl;
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    int rc = ctl_ask_console (ctl, body, member, &reply, &result);
    if (rc != CTL_OK)
        return rc;
    //  WhatIfResult and ForecastResult: answer_json is the first field.
    const char *text = strcmp (member, "what_if") == 0
                           ? ((const Caseflow__V1__Console__WhatIfResult *) result)->answer_json
                           : ((const Caseflow__V1__Console__ForecastResult *) result)->answer_json;
    json_error_t error;
    json_t *answer = json_loads (text, 0, &error);
    if (!json_is_object (answer)) {
        fprintf (stderr, "caseflowctl: console: the answer is not a JSON object (%s)\n",
                 error.text);
        json_decref (answer);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_REFUSED;
    }
    if (ctl->json)
        ctl_json_print (answer);
    else {
        print (answer);
        json_decref (answer);
    }
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_whatif (const ctl_args_t *args)
{
    int64_t now = 0, to = 0;
    if (ctl_parse_time ("--to", ctl_arg (args, "to"), &to))
        return CTL_USAGE;
    int rc = ctl_service_now (args->ctl, CTL_CONSOLE, &now);
    if (rc != CTL_OK)
        return rc;
    if (to > now) {
        char text [40];
        return ctl_usage_error ("--to: %s is after the services' clock (%s): a what-if replays "
                                "what was recorded (forecast looks ahead)",
                                ctl_arg (args, "to"), ctl_time_text (now, text, sizeof text));
    }
    Caseflow__V1__Console__WhatIf *query =
        ctl_message_new (&caseflow__v1__console__what_if__descriptor);
    if (ctl_bind (args, &query->base, "changes.from=from changes.to=to " S_CHANGES) != CTL_OK
        || s_changes (args, &query->changes) != CTL_OK) {
        protobuf_c_message_free_unpacked (&query->base, NULL);
        return CTL_USAGE;
    }
    if (query->changes->to < query->changes->from) {
        protobuf_c_message_free_unpacked (&query->base, NULL);
        return ctl_usage_error ("--to: %s is before --from %s", ctl_arg (args, "to"),
                                ctl_arg (args, "from"));
    }
    return s_ask (args, &query->base, "what_if", s_print_whatif);
}

static void
s_print_forecast (json_t *answer)
{
    json_t *points = json_object_get (answer, "points");
    json_t *whatif = json_object_get (answer, "whatif");
    printf ("forecast from %s: %lld weeks at the inflow of the last %lld\n\n",
            json_string_value (json_object_get (answer, "at")),
            (long long) json_integer_value (json_object_get (answer, "weeks")),
            (long long) json_integer_value (json_object_get (answer, "window")));
    ctl_table_t *table = ctl_table_new (whatif ? "WEEK AT WAITING MEDIAN_WAIT_D WHAT-IF_WAITING "
                                                 "WHAT-IF_MEDIAN_WAIT_D"
                                               : "WEEK AT WAITING MEDIAN_WAIT_D");
    size_t index;
    json_t *point;
    char buf [64];
    json_array_foreach (points, index, point)
    {
        snprintf (buf, sizeof buf, "%zu", index);
        ctl_table_cell (table, buf);
        ctl_table_cell (table, json_string_value (json_object_get (point, "at")));
        ctl_table_cell (table, s_value (point, "waiting", buf, sizeof buf));
        ctl_table_cell (table, s_value (point, "wait_days_median", buf, sizeof buf));
        if (whatif) {
            json_t *other = json_array_get (whatif, index);
            ctl_table_cell (table, s_value (other, "waiting", buf, sizeof buf));
            ctl_table_cell (table, s_value (other, "wait_days_median", buf, sizeof buf));
        }
    }
    ctl_table_print (&table);
}

static int
s_forecast (const ctl_args_t *args)
{
    Caseflow__V1__Console__Forecast *query =
        ctl_message_new (&caseflow__v1__console__forecast__descriptor);
    query->window = 4;
    if (ctl_bind (args, &query->base, "weeks:1-104 window:1-104 " S_CHANGES) != CTL_OK
        || ((ctl_arg (args, "add-workers") || ctl_arg (args, "remove-absence")
             || ctl_arg (args, "max-caseload") || ctl_arg (args, "continuity-margin")
             || ctl_arg (args, "fte") || ctl_arg (args, "location") || ctl_arg (args, "expertise")
             || ctl_arg (args, "starting"))
            && s_changes (args, &query->changes) != CTL_OK)) {
        protobuf_c_message_free_unpacked (&query->base, NULL);
        return CTL_USAGE;
    }
    return s_ask (args, &query->base, "forecast", s_print_forecast);
}

const ctl_verb_t ctl_whatif_verbs [] = {
    CTL_RUN ("whatif", "", "--from TIME --to TIME " S_CHANGE_USAGE, "from! to! " S_CHANGE_FLAGS,
             NULL, s_whatif),
    CTL_RUN ("forecast", "", "--weeks N [--window M] " S_CHANGE_USAGE,
             "weeks! window " S_CHANGE_FLAGS, NULL, s_forecast),
    { NULL },
};
