//  cf_decider: the decider every decision is handed (see cf_decider.h).
#include "cf_decider.h"

#include "cf_api.h"
#include "cf_log.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
cf_decider_init (cf_decider_t *self, int64_t now, Caseflow__V1__Reply *reply,
                 cf_decider_emit_fn *emit, void *ctx)
{
    assert (self && emit);
    memset (self, 0, sizeof *self);
    self->now = now;
    self->reply = reply;
    self->emit = emit;
    self->ctx = ctx;
}

//  cf_service_emit has the emitter's shape but a typed context.
static int
s_service_emit (void *ctx, Caseflow__V1__Event *event)
{
    return cf_service_emit (ctx, event);
}

static void
s_service_note (void *ctx, const char *line)
{
    cf_service_note (ctx, line);
}

void
cf_decider_init_service (cf_decider_t *self, cf_service_t *service, int64_t now,
                         Caseflow__V1__Reply *reply)
{
    assert (service);
    cf_decider_init (self, now, reply, s_service_emit, service);
    self->note = s_service_note;
}

void
cf_decider_log (cf_decider_t *self, const char *fmt, ...)
{
    char line [2048];
    va_list args;
    va_start (args, fmt);
    vsnprintf (line, sizeof line, fmt, args);
    va_end (args);
    if (self->note)
        self->note (self->ctx, line);
    else
        cf_log_info ("%s", line);
}

int
cf_decider_emit (cf_decider_t *self, Caseflow__V1__Event *event)
{
    if (self->rc)
        return self->rc;
    self->rc = self->emit (self->ctx, event);
    if (self->rc == 0)
        self->emitted++;
    return self->rc;
}

//  The message the oneof field numbered `body` of `message` holds, when
//  that is the case set (`body_case`). The generated structs keep a oneof
//  in a union, so the field's offset, from the descriptor, finds it.
static const ProtobufCMessage *
s_oneof_message (const ProtobufCMessage *message, int body_case, int body)
{
    const ProtobufCFieldDescriptor *field =
        protobuf_c_message_descriptor_get_field (message->descriptor, (unsigned) body);
    assert (field && field->type == PROTOBUF_C_TYPE_MESSAGE);
    if (body_case != body)
        return NULL;
    return *(const ProtobufCMessage *const *) ((const char *) message + field->offset);
}

const ProtobufCMessage *
cf_decider_command_body (const Caseflow__V1__Command *command, Caseflow__V1__Command__BodyCase body,
                         const char *service, Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own = s_oneof_message (&command->base, command->body_case, body);
    if (!own)
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "command",
                             "not a command of the %s service", service);
    return own;
}

const ProtobufCMessage *
cf_decider_query_body (const Caseflow__V1__Query *query, Caseflow__V1__Query__BodyCase body,
                       const char *service, Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own = s_oneof_message (&query->base, query->body_case, body);
    if (!own)
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, "query",
                             "not a query of the %s service", service);
    return own;
}
