//  ctl_status: `status`: for each service, alive, ready, journal size and
//  upstream lag. A service that does not answer is reported as not alive
//  (exit 0: that is what status is for). A service that answers with a
//  refusal (PERMISSION_DENIED: this key may not query) is alive, its
//  readiness and figures unknown, and status exits 1 as any refusal does.
#include "ctl.h"

#include <czmq.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl status [--settle]\n"
    "\n"
    "For each service: alive (answers its api), ready (replayed and caught up),\n"
    "its stream's last seq, journal events and bytes, and lag behind each upstream.\n"
    "--settle first waits (up to 30 s) until every running service has applied all\n"
    "that its running upstreams have committed, twice in a row with nothing new: the\n"
    "system is quiet. Scripts use it before reading what the services decided.\n"
    "A service that refuses the query (a key whose role may not query) is shown\n"
    "alive with its readiness unknown, and status exits 1. Exit status 3 when it\n"
    "did not settle in time; a service that does not answer is not alive (exit 0).\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

//  One round of status queries: the services' replies (NULL: no answer).
static void
s_read_all (ctl_t *ctl, Caseflow__V1__Reply *replies [CTL_SERVICE_COUNT])
{
    Caseflow__V1__StatusQuery status_query = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status_query;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        replies [s] = NULL;
        if (ctl_query (ctl, s, &query, &replies [s]) != CTL_OK || !replies [s]->query
            || !replies [s]->query->status) {
            if (replies [s])
                caseflow__v1__reply__free_unpacked (replies [s], NULL);
            replies [s] = NULL;
        }
    }
}

//  True when every answering service is ready and its cursor on every
//  answering upstream equals that upstream's last seq. *signature_p sums
//  the seqs, to see that nothing moved between two rounds.
static bool
s_settled (Caseflow__V1__Reply *replies [CTL_SERVICE_COUNT], uint64_t *signature_p)
{
    bool settled = true;
    uint64_t signature = 0;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        if (!replies [s])
            continue;
        const Caseflow__V1__ServiceStatus *status = replies [s]->query->status;
        settled &= status->ready;
        signature += status->last_seq;
        for (size_t u = 0; u < status->n_upstreams; u++) {
            const Caseflow__V1__UpstreamStatus *upstream = status->upstreams [u];
            signature += upstream->cursor;
            for (int p = 0; p < CTL_SERVICE_COUNT; p++)
                if (replies [p] && strcmp (ctl_service_name (p), upstream->stream) == 0)
                    settled &= upstream->cursor == replies [p]->query->status->last_seq;
        }
    }
    *signature_p = signature;
    return settled;
}

//  Waits until the services are quiet (see the usage). CTL_OK or
//  CTL_UNREACHABLE (printed) after 30 s.
static int
s_settle (ctl_t *ctl)
{
    int64_t deadline = zclock_mono () + 30000;
    uint64_t previous = UINT64_MAX;
    int quiet = 0;
    while (zclock_mono () < deadline) {
        Caseflow__V1__Reply *replies [CTL_SERVICE_COUNT];
        s_read_all (ctl, replies);
        uint64_t signature = 0;
        bool settled = s_settled (replies, &signature);
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (replies [s])
                caseflow__v1__reply__free_unpacked (replies [s], NULL);
        quiet = settled && signature == previous ? quiet + 1 : 0;
        if (quiet >= 1)
            return CTL_OK;
        previous = settled ? signature : UINT64_MAX;
        zclock_sleep (20);
    }
    fprintf (stderr, "caseflowctl: status: the services did not settle within 30 s\n");
    return CTL_UNREACHABLE;
}

int
ctl_status_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "settle", false, false }, { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "");
    if (rc)
        return rc;
    //  Status asks quickly: a service that is down should not hold the rest.
    int timeout = ctl->timeout_ms;
    if (timeout > 1000)
        ctl->timeout_ms = 1000;
    if (ctl_arg (&args, "settle") && (rc = s_settle (ctl)) != CTL_OK) {
        ctl->timeout_ms = timeout;
        return rc;
    }
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
        table = ctl_table_new (7, (const char *[]){ "SERVICE", "ALIVE", "READY", "LAST SEQ",
                                                    "EVENTS", "BYTES", "UPSTREAM LAG" });
    //  Why each service that answered with a refusal gave no figures.
    const char *notes [CTL_SERVICE_COUNT] = { NULL };
    bool refused = false;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        Caseflow__V1__Reply *reply = NULL;
        rc = ctl_query (ctl, s, &query, &reply);
        const Caseflow__V1__ServiceStatus *status =
            rc == CTL_OK && reply->query ? reply->query->status : NULL;
        //  A refusal is an answer: the service is up, but what it knows
        //  (ready, figures) stays unknown to this key.
        if (rc == CTL_REFUSED) {
            refused = true;
            notes [s] = ctl->refused_code == CASEFLOW__V1__STATUS__CODE__PERMISSION_DENIED
                            ? "this key may not query it"
                            : "it refused the status query";
        }
        bool alive = status || notes [s];
        if (ctl->json) {
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "service");
            ctl_json_string (&json, ctl_service_name (s));
            ctl_json_key (&json, "alive");
            ctl_json_bool (&json, alive);
            ctl_json_key (&json, "ready");
            if (notes [s])
                ctl_json_null (&json);
            else
                ctl_json_bool (&json, status && status->ready);
            const uint64_t figures [] = { status ? status->last_seq : 0,
                                          status ? status->journal_events : 0,
                                          status ? status->journal_bytes : 0 };
            const char *keys [] = { "last_seq", "journal_events", "journal_bytes" };
            for (size_t f = 0; f < 3; f++) {
                ctl_json_key (&json, keys [f]);
                if (notes [s])
                    ctl_json_null (&json);
                else
                    ctl_json_uint (&json, figures [f]);
            }
            ctl_json_key (&json, "store_full");
            if (notes [s])
                ctl_json_null (&json);
            else
                ctl_json_bool (&json, status && status->store_full);
            ctl_json_key (&json, "upstream_lag");
            ctl_json_object_begin (&json);
            for (size_t u = 0; status && u < status->n_upstreams; u++) {
                ctl_json_key (&json, status->upstreams [u]->stream);
                ctl_json_uint (&json, status->upstreams [u]->lag);
            }
            ctl_json_object_end (&json);
            ctl_json_key (&json, "note");
            ctl_json_string (&json, notes [s]);
            ctl_json_object_end (&json);
        } else {
            char seq [24] = "-", events [24] = "-", bytes [24] = "-", lag [256] = "";
            if (status) {
                snprintf (seq, sizeof seq, "%llu", (unsigned long long) status->last_seq);
                snprintf (events, sizeof events, "%llu",
                          (unsigned long long) status->journal_events);
                snprintf (bytes, sizeof bytes, "%llu", (unsigned long long) status->journal_bytes);
                for (size_t u = 0; u < status->n_upstreams; u++) {
                    size_t len = strlen (lag);
                    snprintf (lag + len, sizeof lag - len, "%s%s=%llu", len ? " " : "",
                              status->upstreams [u]->stream,
                              (unsigned long long) status->upstreams [u]->lag);
                }
            }
            const char *ready = notes [s] ? "-" : status && status->ready ? "yes" : "no";
            ctl_table_row (table, (const char *[]){ ctl_service_name (s), alive ? "yes" : "no",
                                                    ready, seq, events, bytes, lag });
        }
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    ctl->timeout_ms = timeout;
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else {
        ctl_table_print (&table, stdout);
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (notes [s])
                printf ("%s answered, but %s: ready and figures unknown\n", ctl_service_name (s),
                        notes [s]);
    }
    //  Exit status of CLI.md: a refusal is 1, even where others answered.
    return refused ? CTL_REFUSED : CTL_OK;
}
