//  ctl_call: asking the services (see ctl.h).
//
//  A verb's message is wrapped by descriptor, not by hand: the body goes
//  into the oneof member of the service's Command (or Query) whose type is
//  the body's type, that into the member of the common Command (or Query)
//  named after the service, that into a Request. So a new command in
//  proto/ needs no new wrapping code here, and the whole request is one
//  protobuf-c message freed in one call.
#include "ctl.h"

#include "cf_api.h"
#include "cf_config.h"
#include "cf_error.h"
#include "cf_time.h"
#include "cf_ulid.h"

#include <assert.h>
#include <czmq.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *s_service_names [CTL_ENDPOINT_COUNT] = { "intake",   "assignment",
                                                            "handover", "notification",
                                                            "gateway",  "console" };

const char *
ctl_service_name (ctl_service_t service)
{
    return s_service_names [service];
}

int
ctl_parse_services (const char *what, const char *const *words, size_t count, int accepted,
                    bool *wanted)
{
    assert (accepted == CTL_SERVICE_COUNT || accepted == CTL_ENDPOINT_COUNT);
    for (int s = 0; s < accepted; s++)
        wanted [s] = count == 0 && s < CTL_SERVICE_COUNT;
    for (size_t w = 0; w < count; w++) {
        bool known = false;
        for (int s = 0; s < accepted; s++)
            if (strcmp (words [w], s_service_names [s]) == 0)
                wanted [s] = known = true;
        if (!known)
            return ctl_usage_error ("%s: \"%s\" is not a service (intake, assignment, handover, "
                                    "notification%s)",
                                    what, words [w],
                                    accepted == CTL_ENDPOINT_COUNT ? ", gateway, console" : "");
    }
    return CTL_OK;
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

void *
ctl_message_new (const ProtobufCMessageDescriptor *descriptor)
{
    ProtobufCMessage *message = calloc (1, descriptor->sizeof_message);
    assert (message);
    protobuf_c_message_init (descriptor, message);
    return message;
}

const ProtobufCFieldDescriptor *
ctl_field_at (const ProtobufCMessage *message, const char *path, bool make,
              ProtobufCMessage **owner_p)
{
    const ProtobufCMessageDescriptor *descriptor = message->descriptor;
    ProtobufCMessage *at = (ProtobufCMessage *) message;
    while (true) {
        char name [96];
        size_t len = strcspn (path, ".");
        snprintf (name, sizeof name, "%.*s", (int) len, path);
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field_by_name (descriptor, name);
        assert (field);
        if (!path [len]) {
            *owner_p = at;
            return field;
        }
        path += len + 1;
        assert (field->type == PROTOBUF_C_TYPE_MESSAGE);
        descriptor = field->descriptor;
        if (at && field->label == PROTOBUF_C_LABEL_REPEATED) {
            size_t count = CTL_AT (size_t, at, field->quantifier_offset);
            at = count ? CTL_AT (ProtobufCMessage **, at, field->offset) [count - 1] : NULL;
        } else if (at) {
            ProtobufCMessage **inner = &CTL_AT (ProtobufCMessage *, at, field->offset);
            if (!*inner && make)
                *inner = ctl_message_new (field->descriptor);
            at = *inner;
        }
        if (field->label == PROTOBUF_C_LABEL_REPEATED) {
            assert (strncmp (path, "last.", 5) == 0);
            path += 5;
        }
    }
}

char *
ctl_strdup (const char *text)
{
    char *copy = strdup (text);
    assert (copy);
    return copy;
}

int
ctl_request (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Request *request,
             Caseflow__V1__Reply **reply_p)
{
    const char *name = ctl_service_name (service);
    *reply_p = NULL;
    ctl->refused_code = CASEFLOW__V1__STATUS__CODE__OK;
    //  A service the deployment does not run (as the services' upstream
    //  flags say it): no answer, without waiting for one.
    if (strcmp (ctl->api [service], CF_CONFIG_NONE) == 0)
        return CTL_UNREACHABLE;
    cf_api_client_t *api =
        cf_api_client_new_secure (ctl->api [service], ctl->timeout_ms, 2, ctl->keys, name);
    if (!api) {
        fprintf (stderr, "caseflowctl: %s: bad api endpoint \"%s\"", name, ctl->api [service]);
        if (ctl->keys)
            fprintf (stderr, ", or no public certificate %s/public/%s.cert", ctl->keys_dir, name);
        fputc ('\n', stderr);
        return CTL_USAGE;
    }
    //  A command's id is chosen here, not by the client, so that it can be
    //  shown when no answer comes: resent with the same id, the command
    //  acts at most once (the service keeps its reply for --request-ttl).
    bool command = request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND;
    char fresh [CF_ULID_SIZE];
    if (command && !*request->request_id && *ctl->request_id && ctl->request_id_sent [service]) {
        cf_api_client_destroy (&api);
        return ctl_usage_error ("--request-id %s: names one command, and this sends %s a second "
                                "one (give it to a run of one command, not to batch)",
                                ctl->request_id, name);
    }
    //  Named for the call only: the request stays the caller's to free.
    char *client = request->client, *on_behalf_of = request->on_behalf_of;
    char *given_id = request->request_id;
    if (!*client)
        request->client = (char *) "caseflowctl";
    if (!*on_behalf_of && ctl->on_behalf_of)
        request->on_behalf_of = (char *) ctl->on_behalf_of;
    if (command && !*given_id) {
        if (*ctl->request_id) {
            request->request_id = (char *) ctl->request_id;
            ctl->request_id_sent [service] = true;
        } else
            request->request_id = cf_ulid_new (fresh, cf_time_system_now ());
    }
    char id [CF_API_MAX_REQUEST_ID + 1];
    snprintf (id, sizeof id, "%s", request->request_id);
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (api, request, &rc);
    request->client = client;
    request->on_behalf_of = on_behalf_of;
    request->request_id = given_id;
    cf_api_client_destroy (&api);
    if (!reply) {
        //  A service with CURVE keys says nothing to a client it does not
        //  admit: the handshake fails, so a refusal looks like silence.
        fprintf (stderr, "caseflowctl: %s at %s did not answer (%s)%s\n", name, ctl->api [service],
                 cf_strerror (rc),
                 ctl->keys ? "; if it runs with keys, is this key in its public/ folder?"
                           : "; if it runs with CURVE keys, give --keys-dir");
        //  Silence is not a refusal: the command may be waiting in the
        //  service's queue, or done with its answer lost. A script that
        //  sent it again under a new id could have it applied twice.
        if (command)
            fprintf (stderr,
                     "caseflowctl: the command may or may not have been applied; its request id "
                     "is %s\n"
                     "caseflowctl: to resend it safely (it acts at most once), run the same "
                     "command again with the global option --request-id %s\n",
                     id, id);
        return CTL_UNREACHABLE;
    }
    if (reply->status && reply->status->code != CASEFLOW__V1__STATUS__CODE__OK) {
        if (!ctl->quiet_unavailable
            || reply->status->code != CASEFLOW__V1__STATUS__CODE__UNAVAILABLE)
            fprintf (stderr, "caseflowctl: %s: %s: %s%s%s\n", name,
                     cf_api_code_name (reply->status->code), reply->status->field,
                     *reply->status->field ? ": " : "", reply->status->message);
        ctl->refused_code = reply->status->code;
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return CTL_REFUSED;
    }
    *reply_p = reply;
    return CTL_OK;
}

//  ------------------------------------------------------------- wrapping

//  Puts `member` into the oneof field of `container` that can hold it:
//  the field named `name`, or (name NULL) the one of member's type.
static void
s_wrap (ProtobufCMessage *container, ProtobufCMessage *member, const char *name)
{
    const ProtobufCMessageDescriptor *descriptor = container->descriptor;
    for (unsigned f = 0; f < descriptor->n_fields; f++) {
        const ProtobufCFieldDescriptor *field = &descriptor->fields [f];
        bool fits = name ? strcmp (field->name, name) == 0
                         : field->type == PROTOBUF_C_TYPE_MESSAGE
                               && field->descriptor == member->descriptor;
        if (!fits)
            continue;
        assert (field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF);
        *(uint32_t *) ((char *) container + field->quantifier_offset) = field->id;
        *(ProtobufCMessage **) ((char *) container + field->offset) = member;
        return;
    }
    //  A verb row that names a body its service does not take.
    assert (!"no oneof member for this message");
}

//  The message in `container`'s oneof member `name` when that member is
//  the one set; NULL otherwise.
static const ProtobufCMessage *
s_member (const ProtobufCMessage *container, const char *name)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field_by_name (container->descriptor, name);
    assert (field && field->type == PROTOBUF_C_TYPE_MESSAGE);
    if ((field->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
        && *(const uint32_t *) ((const char *) container + field->quantifier_offset) != field->id)
        return NULL;
    return *(ProtobufCMessage *const *) ((const char *) container + field->offset);
}

//  Wraps `body` (taken) into a fresh request: into the member of the
//  common Command or Query named `outer` (a service), through the
//  service's own Command or Query when `outer` names a service.
static Caseflow__V1__Request *
s_request (ctl_kind_t kind, ProtobufCMessage *body, const char *outer, bool through_service)
{
    Caseflow__V1__Request *request = ctl_message_new (&caseflow__v1__request__descriptor);
    ProtobufCMessage *common;
    if (kind == CTL_COMMAND) {
        request->body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
        common = (ProtobufCMessage *) (request->command =
                                           ctl_message_new (&caseflow__v1__command__descriptor));
    } else {
        request->body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
        common = (ProtobufCMessage *) (request->query =
                                           ctl_message_new (&caseflow__v1__query__descriptor));
    }
    if (through_service) {
        const ProtobufCFieldDescriptor *field =
            protobuf_c_message_descriptor_get_field_by_name (common->descriptor, outer);
        assert (field);
        ProtobufCMessage *service = ctl_message_new (field->descriptor);
        s_wrap (service, body, NULL);
        s_wrap (common, service, outer);
    } else
        s_wrap (common, body, NULL);
    return request;
}

//  Sends `request` (freed here) and finds the result in the reply: the
//  member `outer` of the common result, then `member` of that.
static int
s_exchange (ctl_t *ctl, ctl_service_t service, ctl_kind_t kind, Caseflow__V1__Request *request,
            const char *outer, const char *member, Caseflow__V1__Reply **reply_p,
            const ProtobufCMessage **result_p)
{
    int rc = ctl_request (ctl, service, request, reply_p);
    protobuf_c_message_free_unpacked (&request->base, NULL);
    if (rc != CTL_OK)
        return rc;
    const Caseflow__V1__Reply *reply = *reply_p;
    const ProtobufCMessage *common =
        kind == CTL_COMMAND ? &reply->command->base : &reply->query->base;
    bool has_common = kind == CTL_COMMAND ? reply->command != NULL : reply->query != NULL;
    const ProtobufCMessage *result = has_common ? s_member (common, outer) : NULL;
    if (result && member)
        result = s_member (result, member);
    if (!result) {
        fprintf (stderr, "caseflowctl: %s: the reply carries no %s%s%s\n",
                 ctl_service_name (service), outer, member ? " " : "", member ? member : "");
        caseflow__v1__reply__free_unpacked (*reply_p, NULL);
        *reply_p = NULL;
        return CTL_REFUSED;
    }
    *result_p = result;
    return CTL_OK;
}

int
ctl_send (ctl_t *ctl, ctl_service_t service, ctl_kind_t kind, ProtobufCMessage *body,
          const char *member, Caseflow__V1__Reply **reply_p, const ProtobufCMessage **result_p)
{
    const char *name = ctl_service_name (service);
    Caseflow__V1__Request *request = s_request (kind, body, name, true);
    return s_exchange (ctl, service, kind, request, name, member, reply_p, result_p);
}

int
ctl_ask (ctl_t *ctl, ctl_service_t service, ctl_kind_t kind, ProtobufCMessage *body,
         const char *result, int timeout_ms, Caseflow__V1__Reply **reply_p,
         const ProtobufCMessage **result_p)
{
    Caseflow__V1__Request *request = s_request (kind, body, result, false);
    int timeout = ctl->timeout_ms;
    if (timeout_ms && ctl->timeout_ms > timeout_ms)
        ctl->timeout_ms = timeout_ms;
    int rc = s_exchange (ctl, service, kind, request, result, NULL, reply_p, result_p);
    ctl->timeout_ms = timeout;
    return rc;
}

//  How long a console query waits for the console to catch up, asking
//  every S_RETRY_MS.
#define S_CATCH_UP_MS 5000
#define S_RETRY_MS    100

int
ctl_ask_console (ctl_t *ctl, ProtobufCMessage *body, const char *member,
                 Caseflow__V1__Reply **reply_p, const ProtobufCMessage **result_p)
{
    //  Packed once, a fresh copy sent each time (ctl_send takes its body).
    size_t size = protobuf_c_message_get_packed_size (body);
    uint8_t *packed = malloc (size ? size : 1);
    assert (packed);
    protobuf_c_message_pack (body, packed);
    const ProtobufCMessageDescriptor *descriptor = body->descriptor;
    protobuf_c_message_free_unpacked (body, NULL);
    int64_t deadline = zclock_mono () + S_CATCH_UP_MS;
    int rc;
    for (;;) {
        ProtobufCMessage *copy = protobuf_c_message_unpack (descriptor, NULL, size, packed);
        assert (copy);
        ctl->quiet_unavailable = zclock_mono () < deadline;
        rc = ctl_send (ctl, CTL_CONSOLE, CTL_QUERY, copy, member, reply_p, result_p);
        ctl->quiet_unavailable = false;
        if (rc != CTL_REFUSED || ctl->refused_code != CASEFLOW__V1__STATUS__CODE__UNAVAILABLE
            || zclock_mono () >= deadline)
            break;
        zclock_sleep (S_RETRY_MS);
    }
    free (packed);
    return rc;
}

int
ctl_service_now (ctl_t *ctl, ctl_service_t service, int64_t *now_p)
{
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    int rc =
        ctl_ask (ctl, service, CTL_QUERY, ctl_message_new (&caseflow__v1__clock_query__descriptor),
                 "clock", 0, &reply, &result);
    if (rc == CTL_OK) {
        *now_p = ((const Caseflow__V1__ClockState *) result)->now;
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    return rc;
}
