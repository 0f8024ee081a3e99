//  ctl_report_output: the council figures as one JSON document (the keys
//  of CLI.md, then more), as key,value lines (--csv) or as a table, each
//  with handover's progress report (see ctl_report.h).
#include "ctl_output.h"
#include "ctl_report.h"

#include <math.h>
#include <string.h>

//  The keys of CLI.md end at `handovers`; of that progress report CSV
//  shows these, for the totals and for each provider.
#define S_CSV_HANDOVERS                                                        \
    " deadline total completed decided in_progress cancelled overdue at_risk " \
    "forecast_completion_date on_track by_provider "

//  A value as text: numbers in their shortest form (as JSON prints them),
//  text as it is, null as `null_text`. Returns buf.
static const char *
s_text (const json_t *value, const char *null_text, char *buf, size_t size)
{
    if (json_is_string (value))
        snprintf (buf, size, "%s", json_string_value (value));
    else if (json_is_real (value))
        snprintf (buf, size, "%.6g", json_real_value (value));
    else if (json_is_null (value) || !value)
        snprintf (buf, size, "%s", null_text);
    else {
        char *text = json_dumps (value, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf (buf, size, "%s", text);
        free (text);
    }
    return buf;
}

//  key,value lines, nested objects as dotted keys, up to the figures
//  CLI.md names. `filter`: the keys to print (NULL: all; "": all, and
//  S_CSV_HANDOVERS of each: the providers of the progress report).
static void
s_csv (const char *prefix, json_t *object, const char *filter)
{
    const char *key;
    json_t *value;
    json_object_foreach (object, key, value)
    {
        char dotted [256], text [256], word [80];
        snprintf (word, sizeof word, " %s ", key);
        if (filter && *filter && !strstr (filter, word))
            continue;
        snprintf (dotted, sizeof dotted, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_object (value))
            s_csv (dotted, value,
                   strcmp (key, "handovers") == 0 || (filter && !*filter) ? S_CSV_HANDOVERS
                   : strcmp (key, "by_provider") == 0                     ? ""
                                                                          : NULL);
        else
            printf ("%s,%s\n", dotted, s_text (value, "", text, sizeof text));
        if (!*prefix && strcmp (key, "handovers") == 0)
            break;
    }
}

static void
s_table (json_t *figures, const ProtobufCMessage *handovers)
{
    char text [512];
    const char *key, *at = json_string_value (json_object_get (figures, "at"));
    json_t *value;
    //  "2022-03-07T09:00:00+01:00" reads "2022-03-07 09:00".
    printf ("caseflow report as at %.10s %.5s (Europe/Amsterdam)\n\n", at, at + 11);
    ctl_table_t *table = ctl_table_new ("FIGURE VALUE");
    json_object_foreach (figures, key, value)
    {
        if (strcmp (key, "at") == 0 || strcmp (key, "handovers") == 0)
            continue;
        text [0] = 0;
        const char *part;
        json_t *count;
        json_object_foreach (value, part, count)
        {
            size_t len = strlen (text);
            snprintf (text + len, sizeof text - len, "%s%s %lld", len ? ", " : "", part,
                      (long long) json_integer_value (count));
        }
        ctl_table_cell (table, key);
        ctl_table_cell (table,
                        json_is_object (value) ? text : s_text (value, "-", text, sizeof text));
    }
    ctl_table_print (&table);
    char a [64], b [64], c [64];
    printf ("\ndays waiting since triage (%s waiting): median %s, 90th percentile %s\n",
            s_text (json_object_get (figures, "waiting"), "-", a, sizeof a),
            s_text (json_object_get (figures, "wait_days_median"), "-", b, sizeof b),
            s_text (json_object_get (figures, "wait_days_p90"), "-", c, sizeof c));
    printf ("callbacks made on time: %s%%\n\n",
            s_text (json_object_get (figures, "callbacks_on_time_pct"), "-", a, sizeof a));
    if (handovers)
        ctl_handover_progress_text (NULL, handovers);
    else
        printf ("handover progress: unknown (handover is not running)\n");
}

void
ctl_report_print (const ctl_args_t *args, json_t *figures, const ProtobufCMessage *handovers,
                  bool csv)
{
    if (args->ctl->json)
        ctl_json_print (json_incref (figures));
    else if (csv) {
        printf ("key,value\n");
        s_csv ("", figures, NULL);
    } else
        s_table (figures, handovers);
}
