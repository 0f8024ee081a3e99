//  ctl_shard: which intake shard an intake verb talks to (see ctl.h and
//  docs/cli.md, "Intake shards").
//
//  The services' own variables say where a shard is
//  (CASEFLOW_INTAKE_NOORD_API), and the same map the shards are given
//  (CASEFLOW_INTAKE_SHARDS) says which shard a district is; a case id
//  carries its shard. So one environment file wires caseflowctl to every
//  shard, and routing needs no table of its own here.
#include "ctl.h"

#include "cf_case_id.h"
#include "cf_config.h"
#include "cf_shards.h"
#include "cf_streams.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  "CASEFLOW_" + the stream upper-cased, '-' as '_', + `suffix`.
static void
s_variable (char *out, size_t size, const char *stream, const char *suffix)
{
    size_t at = (size_t) snprintf (out, size, "CASEFLOW_");
    for (const char *c = stream; *c && at + 1 < size; c++)
        out [at++] = *c == '-' ? '_' : (char) toupper ((unsigned char) *c);
    out [at] = 0;
    snprintf (out + at, size - at, "%s", suffix);
}

int
ctl_shard_select (ctl_t *ctl, const char *stream, const char *why)
{
    if (!cf_stream_name_valid (stream) || !cf_stream_of (stream, "intake"))
        return ctl_usage_error ("%s: \"%s\" is not an intake stream (intake or intake-<shard>)",
                                why, stream);
    if (strcmp (stream, "intake") == 0)
        return CTL_OK;
    char api [96], events [96];
    s_variable (api, sizeof api, stream, "_API");
    s_variable (events, sizeof events, stream, "_EVENTS");
    const char *endpoint = getenv (api);
    if (!endpoint || !*endpoint)
        return ctl_usage_error ("%s: the intake shard %s: set %s to its api endpoint", why, stream,
                                api);
    char bad [160];
    if (!cf_config_endpoint_valid (endpoint, false, bad, sizeof bad))
        return ctl_usage_error ("%s: \"%s\" %s", api, endpoint, bad);
    ctl->api [CTL_INTAKE] = endpoint;
    const char *sub = getenv (events);
    if (sub && *sub)
        ctl->events [CTL_INTAKE] = sub;
    return CTL_OK;
}

int
ctl_shard_route (ctl_args_t *args)
{
    ctl_t *ctl = args->ctl;
    if (ctl->stream)
        return CTL_OK;
    char shard [CF_CASE_ID_SIZE];
    if (args->positional_count && cf_case_id_valid (args->positional [0], shard, sizeof shard)) {
        if (!*shard)
            return CTL_OK;
        char stream [CF_CASE_ID_SIZE + 8];
        snprintf (stream, sizeof stream, "intake-%s", shard);
        return ctl_shard_select (ctl, stream, args->positional [0]);
    }
    const char *district = ctl_arg (args, "district");
    const char *map = getenv ("CASEFLOW_INTAKE_SHARDS");
    if (!district || !map || !*map)
        return CTL_OK;
    char why [300];
    cf_shards_t *shards = NULL;
    if (cf_shards_parse (map, &shards, why, sizeof why))
        return ctl_usage_error ("CASEFLOW_INTAKE_SHARDS: %s", why);
    char stream [CF_STREAM_MAX + 1];
    snprintf (stream, sizeof stream, "%s", cf_shards_route (shards, district));
    cf_shards_destroy (&shards);
    return ctl_shard_select (ctl, stream, "--district (by CASEFLOW_INTAKE_SHARDS)");
}
