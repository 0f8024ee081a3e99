//  ctl_status: `status`: for each service, alive, ready, journal size and
//  upstream lag. Always exits 0 when it could ask: a service that does not
//  answer is reported as not alive.
#include "ctl.h"

#include <string.h>

static const char *s_usage =
    "usage: caseflowctl status\n"
    "\n"
    "For each service: alive (answers its api), ready (replayed and caught up),\n"
    "its stream's last seq, journal events and bytes, and lag behind each upstream.\n";

int
ctl_status_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    Caseflow__V1__StatusQuery status_query = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status_query;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_table_t *table = NULL;
    if (ctl->json)
        ctl_json_array_begin (&json);
    else
        table = ctl_table_new (7, (const char *[]) { "SERVICE", "ALIVE", "READY", "LAST SEQ",
                                                     "EVENTS", "BYTES", "UPSTREAM LAG" });
    //  Status asks quickly: a service that is down should not hold the rest.
    int timeout = ctl->timeout_ms;
    if (timeout > 1000)
        ctl->timeout_ms = 1000;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        Caseflow__V1__Reply *reply = NULL;
        rc = ctl_query (ctl, s, &query, &reply);
        const Caseflow__V1__ServiceStatus *status =
            rc == CTL_OK && reply->query ? reply->query->status : NULL;
        if (ctl->json) {
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "service");
            ctl_json_string (&json, ctl_service_name (s));
            ctl_json_key (&json, "alive");
            ctl_json_bool (&json, status != NULL);
            ctl_json_key (&json, "ready");
            ctl_json_bool (&json, status && status->ready);
            ctl_json_key (&json, "last_seq");
            ctl_json_uint (&json, status ? status->last_seq : 0);
            ctl_json_key (&json, "journal_events");
            ctl_json_uint (&json, status ? status->journal_events : 0);
            ctl_json_key (&json, "journal_bytes");
            ctl_json_uint (&json, status ? status->journal_bytes : 0);
            ctl_json_key (&json, "store_full");
            ctl_json_bool (&json, status && status->store_full);
            ctl_json_key (&json, "upstream_lag");
            ctl_json_object_begin (&json);
            for (size_t u = 0; status && u < status->n_upstreams; u++) {
                ctl_json_key (&json, status->upstreams [u]->stream);
                ctl_json_uint (&json, status->upstreams [u]->lag);
            }
            ctl_json_object_end (&json);
            ctl_json_object_end (&json);
        }
        else {
            char seq [24] = "-", events [24] = "-", bytes [24] = "-", lag [256] = "";
            if (status) {
                snprintf (seq, sizeof seq, "%llu", (unsigned long long) status->last_seq);
                snprintf (events, sizeof events, "%llu",
                          (unsigned long long) status->journal_events);
                snprintf (bytes, sizeof bytes, "%llu",
                          (unsigned long long) status->journal_bytes);
                for (size_t u = 0; u < status->n_upstreams; u++) {
                    size_t len = strlen (lag);
                    snprintf (lag + len, sizeof lag - len, "%s%s=%llu", len ? " " : "",
                              status->upstreams [u]->stream,
                              (unsigned long long) status->upstreams [u]->lag);
                }
            }
            ctl_table_row (table, (const char *[]) {
                                      ctl_service_name (s), status ? "yes" : "no",
                                      status && status->ready ? "yes" : "no", seq, events,
                                      bytes, lag });
        }
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    ctl->timeout_ms = timeout;
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    }
    else
        ctl_table_print (&table, stdout);
    return CTL_OK;
}
