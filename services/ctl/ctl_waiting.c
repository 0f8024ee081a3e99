//  ctl_waiting: `waiting [--limit N] [--location LOC] [--csv]`: the
//  waiting list now, in its order (urgent cases nobody could take first,
//  then by first triage, then by case id: common/cf_waiting.h), with the
//  days each case has waited by the services' clock.
//
//  The console answers (console.Waiting: docs/console.md), like `report`
//  and `case show`: it keeps the list from assignment's and intake's
//  streams in assignment's order. A console that has not caught up with
//  the streams it follows answers UNAVAILABLE, never a partial list:
//  caseflowctl asks again every 100 ms for up to 5 s (ctl_ask_console),
//  then exits 1 with the console's message. Exit 2 for a usage error, 3
//  when the console does not answer.
#include "ctl.h"
#include "ctl_output.h"
#include "ctl_render.h"

#include "caseflow/v1/console.pb-c.h"

#include <stdlib.h>
#include <string.h>

//  Entries when --limit is not given, and the most a reply carries (it
//  stays well under the api's 4 MiB).
#define S_LIMIT_DEFAULT 100
#define S_LIMIT_MAX     10000

//  An entry's keys: CLI.md's first, then the rest. The same for --json
//  and --csv.
#define S_ENTRY                                                                          \
    "case_id? position urgency registered_at:time waiting_days triaged_at:time domains " \
    "location? escalated"

static const char *
s_word (const json_t *value)
{
    const char *word = json_string_value (value);
    return word ? word : "";
}

//  One CSV field: quoted (RFC 4180) when it holds a comma, a quote or a
//  line break; a list's items joined by ',', null empty.
static void
s_csv_field (const json_t *value)
{
    char *text = NULL;
    if (json_is_string (value))
        text = strdup (json_string_value (value));
    else if (json_is_array (value)) {
        //  Lists here are of words (domains).
        size_t size = 1;
        for (size_t i = 0; i < json_array_size (value); i++)
            size += strlen (s_word (json_array_get (value, i))) + 1;
        text = calloc (1, size);
        for (size_t i = 0; text && i < json_array_size (value); i++) {
            if (i)
                strcat (text, ",");
            strcat (text, s_word (json_array_get (value, i)));
        }
    } else if (value && !json_is_null (value))
        text = json_dumps (value, JSON_ENCODE_ANY | JSON_COMPACT);
    else
        text = strdup ("");
    if (!text)
        abort ();
    if (strpbrk (text, ",\"\r\n")) {
        putchar ('"');
        for (const char *c = text; *c; c++) {
            if (*c == '"')
                putchar ('"');
            putchar (*c);
        }
        putchar ('"');
    } else
        fputs (text, stdout);
    free (text);
}

//  The list as CSV: a header line of the keys, then a line per entry.
static void
s_print_csv (json_t *entries)
{
    //  The header comes from the spec, so an empty list has one too.
    const char *spec = S_ENTRY;
    ctl_item_t item;
    bool comma = false;
    while (ctl_item_next (&spec, &item)) {
        printf ("%s%s", comma ? "," : "", item.key);
        comma = true;
    }
    putchar ('\n');
    size_t i;
    json_t *entry;
    json_array_foreach (entries, i, entry)
    {
        const char *key;
        json_t *value;
        comma = false;
        json_object_foreach (entry, key, value)
        {
            if (comma)
                putchar (',');
            s_csv_field (value);
            comma = true;
        }
        putchar ('\n');
    }
}

static void
s_print_text (const Caseflow__V1__Console__WaitingList *list)
{
    char now [40];
    ctl_table_t *table =
        ctl_table_new ("POS CASE URGENCY REGISTERED DAYS DOMAINS LOCATION ESCALATED");
    ctl_table_each (table, &list->base, "entries",
                    "position case_id urgency registered_at:time waiting_days domains location "
                    "escalated?",
                    NULL);
    ctl_table_print (&table);
    printf ("%u waiting (%u urgent)%s; as of %s\n", list->total, list->urgent,
            list->n_entries < list->total ? "; use --limit for more" : "",
            ctl_time_text (list->now, now, sizeof now));
}

static int
s_waiting (const ctl_args_t *args)
{
    ctl_t *ctl = args->ctl;
    bool csv = ctl_arg (args, "csv") != NULL;
    if (csv && ctl->json)
        return ctl_usage_error ("waiting: --csv and --json exclude each other");
    uint64_t limit = S_LIMIT_DEFAULT;
    if (ctl_arg (args, "limit")
        && ctl_parse_uint ("limit", ctl_arg (args, "limit"), 1, S_LIMIT_MAX, &limit) != CTL_OK)
        return CTL_USAGE;
    Caseflow__V1__Console__Waiting *query =
        ctl_message_new (&caseflow__v1__console__waiting__descriptor);
    query->limit = (uint32_t) limit;
    if (ctl_arg (args, "location"))
        query->location = ctl_strdup (ctl_arg (args, "location"));
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    int rc = ctl_ask_console (ctl, &query->base, "waiting", &reply, &result);
    if (rc != CTL_OK)
        return rc;
    const Caseflow__V1__Console__WaitingList *list = (const void *) result;
    if (ctl->json)
        ctl_json_print (ctl_json_value (result, "entries:{" S_ENTRY "}"));
    else if (csv) {
        json_t *entries = ctl_json_value (result, "entries:{" S_ENTRY "}");
        s_print_csv (entries);
        json_decref (entries);
    } else
        s_print_text (list);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

const ctl_verb_t ctl_waiting_verbs [] = {
    CTL_RUN ("waiting", "", "[--limit N] [--location LOC] [--csv]", "limit location csv?", NULL,
             s_waiting),
    { NULL },
};
