//  ctl_tail: `tail [STREAM...]`: live events, one line each, following
//  gaps through replay exactly as any subscriber does (cf_bus_subscriber),
//  so a busy stream is shown complete and in order.
#include "ctl.h"

#include "cf_bus_subscriber.h"
#include "cf_event.h"
#include "cf_time.h"

#include <czmq.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *s_usage =
    "usage: caseflowctl tail [STREAM...] [--from SEQ] [--count N]\n"
    "\n"
    "Prints the events of the given streams (default: all four) as they are\n"
    "committed, one line each: stream, seq, time, type and case. --from starts at\n"
    "that seq (default: only new events); --count stops after N events.\n"
    "With --json, one JSON object per line.\n"
    "Global options (--json, --timeout, the endpoints) go before the group: see\n"
    "caseflowctl --help.\n";

static volatile sig_atomic_t s_interrupted = 0;

static void
s_on_interrupt (int signum)
{
    (void) signum;
    s_interrupted = 1;
}

typedef struct {
    ctl_t *ctl;
    uint64_t printed;
    uint64_t limit;  //  --count; 0: no limit
} s_tail_t;

static int
s_print_event (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
               const void *data, size_t size)
{
    (void) subscriber;
    (void) data;
    (void) size;
    s_tail_t *tail = ctx;
    //  Past --count tail has all it wants: the subscriber stops quietly
    //  (no retry, no warning) and tail exits.
    if (tail->limit && tail->printed >= tail->limit)
        return CF_BUS_STOP;
    if (tail->ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "stream");
        ctl_json_string (&json, event->stream);
        ctl_json_key (&json, "seq");
        ctl_json_uint (&json, event->seq);
        ctl_json_key (&json, "type");
        ctl_json_string (&json, cf_event_type_name (event));
        ctl_json_key (&json, "occurred_at");
        ctl_json_time (&json, event->occurred_at);
        ctl_json_key (&json, "case_id");
        ctl_json_string_or_null (&json, event->case_id);
        ctl_json_key (&json, "id");
        ctl_json_string (&json, event->id);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
    } else {
        char when [40];
        printf ("%-12s %8llu  %s  %-22s %s\n", event->stream, (unsigned long long) event->seq,
                ctl_time_text (event->occurred_at, when, sizeof when), cf_event_type_name (event),
                *event->case_id ? event->case_id : "");
        fflush (stdout);
    }
    tail->printed++;
    return 0;
}

//  The stream's current head, so tail starts with what comes next.
static int
s_head (ctl_t *ctl, ctl_service_t service, uint64_t *head_p)
{
    Caseflow__V1__StatusQuery status_query = CASEFLOW__V1__STATUS_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_STATUS;
    query.status = &status_query;
    Caseflow__V1__Reply *reply = NULL;
    int rc = ctl_query (ctl, service, &query, &reply);
    if (rc == CTL_OK) {
        *head_p = reply->query && reply->query->status ? reply->query->status->last_seq : 0;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    return rc;
}

int
ctl_tail_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { "from", true, false },
                                         { "count", true, false },
                                         { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    bool wanted [CTL_SERVICE_COUNT] = { 0 };
    for (size_t p = 0; p < args.positional_count; p++) {
        bool known = false;
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (strcmp (args.positional [p], ctl_service_name (s)) == 0)
                wanted [s] = known = true;
        if (!known)
            return ctl_usage_error ("tail: \"%s\" is not a stream (intake, assignment, "
                                    "handover, notification)",
                                    args.positional [p]);
    }
    if (args.positional_count == 0)
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            wanted [s] = true;
    uint64_t from = 0, count = 0;
    if (ctl_arg (&args, "from")
        && ctl_parse_uint ("from", ctl_arg (&args, "from"), 1, UINT64_MAX, &from))
        return CTL_USAGE;
    if (ctl_arg (&args, "count")
        && ctl_parse_uint ("count", ctl_arg (&args, "count"), 1, UINT64_MAX, &count))
        return CTL_USAGE;

    s_tail_t tail = { .ctl = ctl, .limit = count };
    cf_bus_subscriber_t *subscribers [CTL_SERVICE_COUNT] = { 0 };
    zpoller_t *poller = zpoller_new (NULL);
    int rc = CTL_OK;
    for (int s = 0; s < CTL_SERVICE_COUNT && rc == CTL_OK; s++) {
        if (!wanted [s])
            continue;
        uint64_t cursor = from ? from - 1 : 0;
        if (!from && (rc = s_head (ctl, s, &cursor)) != CTL_OK)
            break;
        subscribers [s] =
            cf_bus_subscriber_new_secure (ctl_service_name (s), ctl->events [s], ctl->api [s],
                                          cursor, s_print_event, &tail, ctl->keys);
        if (!subscribers [s]) {
            rc = ctl_usage_error ("tail: cannot follow %s at %s", ctl_service_name (s),
                                  ctl->events [s]);
            break;
        }
        zpoller_add (poller, cf_bus_subscriber_events_socket (subscribers [s]));
        zpoller_add (poller, cf_bus_subscriber_api_socket (subscribers [s]));
    }
    signal (SIGINT, s_on_interrupt);
    signal (SIGTERM, s_on_interrupt);
    while (rc == CTL_OK && !s_interrupted && (!count || tail.printed < count)) {
        zpoller_wait (poller, 100);
        int64_t now = cf_time_monotonic ();
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (subscribers [s])
                cf_bus_subscriber_process (subscribers [s], now, 1000);
    }
    zpoller_destroy (&poller);
    for (int s = 0; s < CTL_SERVICE_COUNT; s++)
        cf_bus_subscriber_destroy (&subscribers [s]);
    return rc;
}
