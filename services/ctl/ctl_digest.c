//  ctl_digest: `digest [SERVICE...]`: the SHA-256 of each service's state
//  (Query.digest) and the number of events applied to build it.
//
//  The same journal replayed gives the same state, so the digest taken
//  before a restart, a restore or a move to another machine must equal the
//  one taken after it, once the service is quiet; operators and the
//  container test compare them.
#include "ctl.h"

#include <string.h>

static const char *s_usage =
    "usage: caseflowctl digest [SERVICE...]\n"
    "\n"
    "Prints the SHA-256 of each named service's state (default: all four) and the\n"
    "events applied to build it. Equal digests mean equal state. Every service is\n"
    "asked; exit status 3 if one did not answer.\n";

int
ctl_digest_main (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = { { NULL } };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    bool wanted [CTL_SERVICE_COUNT] = { false };
    for (size_t p = 0; p < args.positional_count; p++) {
        bool known = false;
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            if (strcmp (args.positional [p], ctl_service_name (s)) == 0)
                wanted [s] = known = true;
        if (!known)
            return ctl_usage_error ("digest: \"%s\" is not a service", args.positional [p]);
    }
    if (args.positional_count == 0)
        for (int s = 0; s < CTL_SERVICE_COUNT; s++)
            wanted [s] = true;

    Caseflow__V1__DigestQuery digest_query = CASEFLOW__V1__DIGEST_QUERY__INIT;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_DIGEST;
    query.digest = &digest_query;
    ctl_json_t json;
    ctl_json_init (&json, stdout);
    ctl_table_t *table = NULL;
    if (ctl->json)
        ctl_json_array_begin (&json);
    else
        table = ctl_table_new (3, (const char *[]){ "SERVICE", "SHA256", "EVENTS" });
    int status = CTL_OK;
    for (int s = 0; s < CTL_SERVICE_COUNT; s++) {
        if (!wanted [s])
            continue;
        Caseflow__V1__Reply *reply = NULL;
        int rc = ctl_query (ctl, s, &query, &reply);
        const Caseflow__V1__StateDigest *digest =
            rc == CTL_OK && reply->query ? reply->query->digest : NULL;
        if (rc == CTL_OK && !digest) {
            fprintf (stderr, "caseflowctl: %s: the reply carries no digest\n",
                     ctl_service_name (s));
            rc = CTL_REFUSED;
        }
        if (ctl->json) {
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "service");
            ctl_json_string (&json, ctl_service_name (s));
            ctl_json_key (&json, "sha256");
            ctl_json_string_or_null (&json, digest ? digest->sha256 : NULL);
            ctl_json_key (&json, "events_applied");
            if (digest)
                ctl_json_uint (&json, digest->events_applied);
            else
                ctl_json_null (&json);
            ctl_json_object_end (&json);
        } else {
            char events [24] = "-";
            if (digest)
                snprintf (events, sizeof events, "%llu",
                          (unsigned long long) digest->events_applied);
            ctl_table_row (table, (const char *[]){ ctl_service_name (s),
                                                    digest ? digest->sha256 : "-", events });
        }
        if (reply)
            caseflow__v1__reply__free_unpacked (reply, NULL);
        if (rc != CTL_OK && (status == CTL_OK || rc == CTL_UNREACHABLE))
            status = rc;
    }
    if (ctl->json) {
        ctl_json_array_end (&json);
        ctl_json_finish (&json);
    } else
        ctl_table_print (&table, stdout);
    return status;
}
