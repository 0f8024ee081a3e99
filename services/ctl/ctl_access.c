//  ctl_access: `caseflowctl access-log`, who read residents' personal data
//  (CLI.md, docs/privacy.md "Accountability").
//
//  Every service that answers with personal data keeps its own access log
//  (common/cf_access.h); intake and handover are the ones that do. The same
//  AccessLog query goes to both, and their records are merged in time
//  order (reads of one moment by request id, see s_compare), each
//  object naming the service that recorded it. Both must answer: an audit
//  with one half missing would look complete and not be. `resident export`
//  gathers a resident's reads the same way, with a query per case and
//  handover of theirs.
#include "ctl.h"
#include "ctl_render.h"

#include <stdlib.h>
#include <string.h>

//  The services that keep an access log.
static const ctl_service_t s_keepers [] = { CTL_INTAKE, CTL_HANDOVER };
#define S_KEEPERS (sizeof s_keepers / sizeof s_keepers [0])

//  CLI.md's keys, and the ones an audit needs besides: `query` is the
//  request id the read answered (one query that listed several residents
//  made several records with the same id).
#define S_RECORD                                                                              \
    "at:time who role? on_behalf_of? action case_id? handover_id? subject? query=request_id " \
    "service"

//  A copy of `query` (a fresh message to send; the strings are copied).
static Caseflow__V1__AccessLogQuery *
s_copy (const Caseflow__V1__AccessLogQuery *query)
{
    Caseflow__V1__AccessLogQuery *copy =
        ctl_message_new (&caseflow__v1__access_log_query__descriptor);
    copy->case_id = ctl_strdup (query->case_id);
    copy->handover_id = ctl_strdup (query->handover_id);
    copy->subject = ctl_strdup (query->subject);
    copy->by = ctl_strdup (query->by);
    copy->from = query->from;
    copy->to = query->to;
    copy->limit = query->limit;
    return copy;
}

//  One record as the services answered it, with where it came from.
typedef struct {
    const Caseflow__V1__AccessRecord *record;
    size_t service;  //  index in s_keepers
    size_t order;    //  as gathered: each service's own order
} s_found_t;

static int
s_compare (const void *a, const void *b)
{
    const s_found_t *x = a, *y = b;
    if (x->record->at != y->record->at)
        return x->record->at < y->record->at ? -1 : 1;
    //  A manual clock stands still between moves: reads of one moment go
    //  in the order of their request ids, which caseflowctl makes ULIDs
    //  (ordered by the wall clock); the records of one request in order.
    int ids = strcmp (x->record->request_id, y->record->request_id);
    if (ids)
        return ids;
    if (x->service != y->service)
        return x->service < y->service ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

int
ctl_access_fetch (ctl_t *ctl, const Caseflow__V1__AccessLogQuery *const *queries, size_t count,
                  json_t **list_p)
{
    size_t asked = count * S_KEEPERS;
    Caseflow__V1__Reply **replies = calloc (asked ? asked : 1, sizeof *replies);
    const Caseflow__V1__AccessLog **logs = calloc (asked ? asked : 1, sizeof *logs);
    if (!replies || !logs)
        abort ();
    size_t total = 0;
    int rc = CTL_OK;
    for (size_t i = 0; i < asked && rc == CTL_OK; i++) {
        const Caseflow__V1__AccessLogQuery *query = queries [i / S_KEEPERS];
        ctl_service_t service = s_keepers [i % S_KEEPERS];
        rc = ctl_ask (ctl, service, CTL_QUERY, &s_copy (query)->base, "access_log", 0, &replies [i],
                      (const ProtobufCMessage **) &logs [i]);
        if (rc != CTL_OK)
            break;
        total += logs [i]->n_records;
        if (logs [i]->more)
            fprintf (stderr,
                     "caseflowctl: %s has more records than the %zu shown; narrow the period "
                     "(--from, --to) or raise --limit\n",
                     ctl_service_name (service), logs [i]->n_records);
    }
    s_found_t *found = calloc (total ? total : 1, sizeof *found);
    if (!found)
        abort ();
    size_t n = 0;
    for (size_t i = 0; i < asked && rc == CTL_OK; i++)
        for (size_t r = 0; r < logs [i]->n_records; r++, n++)
            found [n] = (s_found_t){ logs [i]->records [r], i % S_KEEPERS, n };
    qsort (found, n, sizeof *found, s_compare);
    json_t *list = json_array ();
    for (size_t i = 0; i < n; i++)
        json_array_append_new (list, ctl_json_message (&found [i].record->base, S_RECORD));
    free (found);
    for (size_t i = 0; i < asked; i++)
        if (replies [i])
            caseflow__v1__reply__free_unpacked (replies [i], NULL);
    free (replies);
    free (logs);
    if (rc != CTL_OK) {
        json_decref (list);
        return rc;
    }
    *list_p = list;
    return CTL_OK;
}

void
ctl_access_print_table (const json_t *list)
{
    static const char *const s_keys [] = { "at",           "service", "who",     "role",
                                           "on_behalf_of", "action",  "case_id", "handover_id",
                                           "subject",      "query" };
    size_t keys = sizeof s_keys / sizeof s_keys [0];
    ctl_table_t *table =
        ctl_table_new ("AT SERVICE WHO ROLE FOR ACTION CASE HANDOVER SUBJECT REQUEST");
    size_t i;
    json_t *record;
    json_array_foreach (list, i, record)
    {
        for (size_t k = 0; k < keys; k++) {
            const json_t *value = json_object_get (record, s_keys [k]);
            ctl_table_cell (table, json_is_string (value) ? json_string_value (value) : NULL);
        }
    }
    ctl_table_print (&table);
    if (json_array_size (list) == 0)
        printf ("(no reads recorded)\n");
}

//  access-log [--case CASE] [--handover H] [--subject S] [--by WHO]
//             [--from TIME] [--to TIME] [--limit N]
static int
s_access_log (const ctl_args_t *args)
{
    Caseflow__V1__AccessLogQuery *query =
        ctl_message_new (&caseflow__v1__access_log_query__descriptor);
    int rc = ctl_bind (args, &query->base,
                       "case_id=case handover_id=handover subject by from to limit:1-10000");
    json_t *list = NULL;
    if (rc == CTL_OK)
        rc = ctl_access_fetch (args->ctl, (const Caseflow__V1__AccessLogQuery *const *) &query, 1,
                               &list);
    protobuf_c_message_free_unpacked (&query->base, NULL);
    if (rc != CTL_OK)
        return rc;
    if (args->ctl->json)
        ctl_json_print (list);
    else {
        ctl_access_print_table (list);
        json_decref (list);
    }
    return CTL_OK;
}

const ctl_verb_t ctl_access_verbs [] = {
    CTL_RUN ("access-log", "",
             "[--case CASE] [--handover H] [--subject S] [--by WHO] [--from TIME] [--to TIME] "
             "[--limit N]",
             "case handover subject by from to limit", NULL, s_access_log),
    { NULL },
};
