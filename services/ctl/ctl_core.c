//  ctl_core: calling services and parsing a verb's arguments.
#include "ctl.h"

#include "cf_api.h"
#include "cf_error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *s_service_names [CTL_SERVICE_COUNT] = { "intake", "assignment", "handover",
                                                           "notification" };

const char *
ctl_service_name (ctl_service_t service)
{
    return s_service_names [service];
}

int
ctl_usage_error (const char *fmt, ...)
{
    va_list args;
    va_start (args, fmt);
    fputs ("caseflowctl: ", stderr);
    vfprintf (stderr, fmt, args);
    fputc ('\n', stderr);
    va_end (args);
    return CTL_USAGE;
}

int
ctl_request (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Request *request,
             Caseflow__V1__Reply **reply_p)
{
    *reply_p = NULL;
    ctl->refused_code = CASEFLOW__V1__STATUS__CODE__OK;
    cf_api_client_t *client = cf_api_client_new_secure (ctl->api [service], ctl->timeout_ms, 2,
                                                        ctl->keys, ctl_service_name (service));
    if (!client) {
        if (ctl->keys)
            fprintf (stderr,
                     "caseflowctl: %s: bad api endpoint \"%s\", or no public "
                     "certificate %s/public/%s.cert\n",
                     ctl_service_name (service), ctl->api [service], ctl->keys_dir,
                     ctl_service_name (service));
        else
            fprintf (stderr, "caseflowctl: %s: bad api endpoint \"%s\"\n",
                     ctl_service_name (service), ctl->api [service]);
        return CTL_USAGE;
    }
    if (!*request->client)
        request->client = "caseflowctl";
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, request, &rc);
    cf_api_client_destroy (&client);
    if (!reply) {
        //  A service with CURVE keys says nothing to a client it does not
        //  admit: the handshake fails, so a refusal looks like silence.
        fprintf (stderr, "caseflowctl: %s at %s did not answer (%s)%s\n",
                 ctl_service_name (service), ctl->api [service], cf_strerror (rc),
                 ctl->keys ? "; if it runs with keys, is this key in its public/ folder?"
                           : "; if it runs with CURVE keys, give --keys-dir");
        return CTL_UNREACHABLE;
    }
    if (reply->status && reply->status->code != CASEFLOW__V1__STATUS__CODE__OK) {
        fprintf (stderr, "caseflowctl: %s: %s: %s%s%s\n", ctl_service_name (service),
                 cf_api_code_name (reply->status->code), reply->status->field,
                 *reply->status->field ? ": " : "", reply->status->message);
        ctl->refused_code = reply->status->code;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_REFUSED;
    }
    *reply_p = reply;
    return CTL_OK;
}

int
ctl_command (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Command *command,
             Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = command;
    return ctl_request (ctl, service, &request, reply_p);
}

int
ctl_query (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Query *query,
           Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = query;
    return ctl_request (ctl, service, &request, reply_p);
}

//  A reply without the service's own result is a broken peer: said, not
//  crashed on.
static int
s_require_result (ctl_service_t service, bool present, Caseflow__V1__Reply **reply_p)
{
    if (present)
        return CTL_OK;
    fprintf (stderr, "caseflowctl: %s: the reply carries no %s result\n",
             ctl_service_name (service), ctl_service_name (service));
    caseflow__v1__reply__free_unpacked (*reply_p, NULL);
    *reply_p = NULL;
    return CTL_REFUSED;
}

int
ctl_service_command (ctl_t *ctl, ctl_service_t service, void *inner, Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    Caseflow__V1__CommandResult__BodyCase expected;
    switch (service) {
        case CTL_INTAKE:
            command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
            command.intake = inner;
            expected = CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE;
            break;
        case CTL_ASSIGNMENT:
            command.body_case = CASEFLOW__V1__COMMAND__BODY_ASSIGNMENT;
            command.assignment = inner;
            expected = CASEFLOW__V1__COMMAND_RESULT__BODY_ASSIGNMENT;
            break;
        case CTL_HANDOVER:
            command.body_case = CASEFLOW__V1__COMMAND__BODY_HANDOVER;
            command.handover = inner;
            expected = CASEFLOW__V1__COMMAND_RESULT__BODY_HANDOVER;
            break;
        default:
            command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
            command.notification = inner;
            expected = CASEFLOW__V1__COMMAND_RESULT__BODY_NOTIFICATION;
    }
    int rc = ctl_command (ctl, service, &command, reply_p);
    if (rc == CTL_OK)
        rc = s_require_result (
            service, (*reply_p)->command && (*reply_p)->command->body_case == expected, reply_p);
    return rc;
}

int
ctl_service_query (ctl_t *ctl, ctl_service_t service, void *inner, Caseflow__V1__Reply **reply_p)
{
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    Caseflow__V1__QueryResult__BodyCase expected;
    switch (service) {
        case CTL_INTAKE:
            query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
            query.intake = inner;
            expected = CASEFLOW__V1__QUERY_RESULT__BODY_INTAKE;
            break;
        case CTL_ASSIGNMENT:
            query.body_case = CASEFLOW__V1__QUERY__BODY_ASSIGNMENT;
            query.assignment = inner;
            expected = CASEFLOW__V1__QUERY_RESULT__BODY_ASSIGNMENT;
            break;
        case CTL_HANDOVER:
            query.body_case = CASEFLOW__V1__QUERY__BODY_HANDOVER;
            query.handover = inner;
            expected = CASEFLOW__V1__QUERY_RESULT__BODY_HANDOVER;
            break;
        default:
            query.body_case = CASEFLOW__V1__QUERY__BODY_NOTIFICATION;
            query.notification = inner;
            expected = CASEFLOW__V1__QUERY_RESULT__BODY_NOTIFICATION;
    }
    int rc = ctl_query (ctl, service, &query, reply_p);
    if (rc == CTL_OK)
        rc = s_require_result (
            service, (*reply_p)->query && (*reply_p)->query->body_case == expected, reply_p);
    return rc;
}

//  -------------------------------------------------------------- arguments

static const ctl_flag_t *
s_find_flag (const ctl_flag_t *flags, const char *name, size_t len)
{
    for (const ctl_flag_t *flag = flags; flag && flag->name; flag++)
        if (strlen (flag->name) == len && strncmp (flag->name, name, len) == 0)
            return flag;
    return NULL;
}

int
ctl_args_parse (ctl_args_t *args, const ctl_flag_t *flags, int argc, char **argv, const char *usage)
{
    memset (args, 0, sizeof *args);
    args->flags = flags;
    for (int i = 1; i < argc; i++) {
        const char *word = argv [i];
        if (strcmp (word, "--help") == 0 || strcmp (word, "-h") == 0) {
            fputs (usage, stdout);
            return CTL_HELP;
        }
        if (strncmp (word, "--", 2) != 0 || word [2] == 0) {
            if (args->positional_count == CTL_MAX_ARGS)
                return ctl_usage_error ("too many arguments");
            args->positional [args->positional_count++] = word;
            continue;
        }
        const char *name = word + 2;
        const char *equals = strchr (name, '=');
        size_t len = equals ? (size_t) (equals - name) : strlen (name);
        const ctl_flag_t *flag = s_find_flag (flags, name, len);
        if (!flag)
            return ctl_usage_error ("unknown option --%.*s (see %s --help)", (int) len, name,
                                    argv [0]);
        const char *value = "";
        if (flag->value) {
            if (equals)
                value = equals + 1;
            else if (i + 1 < argc)
                value = argv [++i];
            else
                return ctl_usage_error ("--%s needs a value", flag->name);
        } else if (equals)
            return ctl_usage_error ("--%s takes no value", flag->name);
        if (!flag->repeat && ctl_arg (args, flag->name))
            return ctl_usage_error ("--%s given twice", flag->name);
        if (args->count == CTL_MAX_ARGS)
            return ctl_usage_error ("too many options");
        args->names [args->count] = flag->name;
        args->values [args->count++] = value;
    }
    return CTL_OK;
}

const char *
ctl_arg (const ctl_args_t *args, const char *name)
{
    const char *value = NULL;
    for (size_t i = 0; i < args->count; i++)
        if (strcmp (args->names [i], name) == 0)
            value = args->values [i];
    return value;
}

size_t
ctl_arg_all (const ctl_args_t *args, const char *name, const char **out, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < args->count && count < max; i++)
        if (strcmp (args->names [i], name) == 0)
            out [count++] = args->values [i];
    return count;
}

const char *
ctl_arg_required (const ctl_args_t *args, const char *name)
{
    const char *value = ctl_arg (args, name);
    if (!value || !*value) {
        ctl_usage_error ("--%s is required", name);
        return NULL;
    }
    return value;
}

int
ctl_args_positional (const ctl_args_t *args, size_t count, const char *what)
{
    if (args->positional_count < count)
        return ctl_usage_error ("missing %s", what);
    if (args->positional_count > count)
        return ctl_usage_error ("unexpected argument \"%s\"", args->positional [count]);
    return CTL_OK;
}
