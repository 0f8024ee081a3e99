//  ctl_gateway: `caseflowctl gateway …` (CLI.md): the publishers the
//  gateway takes CloudEvents from, and what became of an event, as rows of
//  the verb table.
//
//  A token is read from a file (--token-file; "-" is standard input), never
//  from the command line, where it would stay in the shell's history and
//  in the process list. The first line is the token; surrounding blanks
//  and the line end are dropped.
#include "ctl.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Reads the token of --token-file into a fresh string (*token_p), or
//  prints why not and returns CTL_USAGE.
static int
s_read_token (const ctl_args_t *args, char **token_p)
{
    const char *path = ctl_arg (args, "token-file");
    FILE *file = !path ? NULL : strcmp (path, "-") == 0 ? stdin : fopen (path, "r");
    if (!file)
        return ctl_usage_error ("--token-file: cannot read \"%s\"", path ? path : "");
    char line [1024] = "";
    bool read = fgets (line, sizeof line, file) != NULL;
    if (file != stdin)
        fclose (file);
    char *start = line;
    while (*start == ' ' || *start == '\t')
        start++;
    size_t length = strcspn (start, "\r\n");
    while (length > 0 && (start [length - 1] == ' ' || start [length - 1] == '\t'))
        length--;
    start [length] = 0;
    if (!read || !*start)
        return ctl_usage_error ("--token-file: \"%s\" holds no token on its first line", path);
    *token_p = ctl_strdup (start);
    memset (line, 0, sizeof line);
    return CTL_OK;
}

static int
s_build_add (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Gateway__PublisherAdd *add = (void *) body;
    return s_read_token (args, &add->token);
}

static int
s_build_rotate (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Gateway__PublisherRotate *rotate = (void *) body;
    const char *grace = ctl_arg (args, "grace");
    if (grace) {
        int64_t micros = 0;
        int rc = ctl_parse_duration ("--grace", grace, &micros);
        if (rc != CTL_OK)
            return rc;
        if (micros < 1000000 || micros > INT64_C (30) * 24 * 3600 * 1000000)
            return ctl_usage_error ("--grace: \"%s\" must be from 1s to 30d", grace);
        rotate->grace_seconds = (uint32_t) (micros / 1000000);
    }
    return s_read_token (args, &rotate->token);
}

#define S_CHANGE     NULL, CTL_GATEWAY, CTL_COMMAND
#define S_ASK        NULL, CTL_GATEWAY, CTL_QUERY
#define S_BODY(name) &caseflow__v1__gateway__##name##__descriptor
#define S_PUBLISHER \
    "publisher_id source types channel added_at:time accepted previous_token_valid_until:time"

const ctl_verb_t ctl_gateway_verbs [] = {
    { "gateway", "publisher add",
      "--id P --source URN --type T[,T...] --channel partner|municipality|provider|telephony\n"
      "           --token-file FILE",
      "id! source! type! channel! token-file!", NULL, S_CHANGE, S_BODY (publisher_add),
      "publisher_id=id source types=type:split channel", s_build_add, "publisher_added",
      "publisher_id source types channel token_id", "publisher_id source types channel token_id",
      NULL, NULL },
    { "gateway", "publisher rotate", "P --token-file FILE [--grace DURATION]", "token-file! grace",
      "P", S_CHANGE, S_BODY (publisher_rotate), "publisher_id=$1", s_build_rotate,
      "publisher_token_rotated",
      "publisher_id token_id previous_token_id previous_valid_until:time",
      "publisher_id token_id previous_valid_until:time", NULL, NULL },
    { "gateway", "publisher remove", "P", "", "P", S_CHANGE, S_BODY (publisher_remove),
      "publisher_id=$1", NULL, "publisher_removed", "publisher_id", "publisher_id", NULL, NULL },
    { "gateway", "publisher list", "", "", NULL, S_ASK, S_BODY (publisher_list_query), NULL, NULL,
      "publishers", "*publishers:{" S_PUBLISHER "}",
      "PUBLISHER SOURCE TYPES CHANNEL ADDED ACCEPTED|publishers|publisher_id source types channel "
      "added_at:time accepted",
      NULL, NULL },
    { "gateway", "event", "SOURCE ID", "", "SOURCE ID", S_ASK, S_BODY (inbound_query),
      "source=$1 ce_id=$2", NULL, "inbound",
      "source id=ce_id type received_at:time state reason? case_id? handover_id? seq",
      "source id=ce_id type received_at:time state reason? case_id? handover_id? seq", NULL, NULL },
    { NULL },
};
