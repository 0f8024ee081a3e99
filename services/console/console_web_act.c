//  console_web_act: actions sent as the signed-in person (see
//  console_web_act.h).
#include "console_web_act.h"

#include "cf_api.h"
#include "cf_config.h"
#include "cf_error.h"
#include "cf_log.h"
#include "cf_time.h"
#include "cf_ulid.h"
#include "cf_words.h"

#include <stdlib.h>
#include <string.h>

struct _console_web_act_t {
    cf_service_t *service;
    cf_api_client_t *intake;
    cf_api_client_t *notification;
};

console_web_act_t *
console_web_act_new (cf_service_t *service)
{
    console_web_act_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->service = service;
    return self;
}

void
console_web_act_destroy (console_web_act_t **self_p)
{
    console_web_act_t *self = *self_p;
    if (!self)
        return;
    cf_api_client_destroy (&self->intake);
    cf_api_client_destroy (&self->notification);
    free (self);
    *self_p = NULL;
}

//  The client of `stream`'s api (made at first use), or NULL when the
//  deployment does not run it.
static cf_api_client_t *
s_client (console_web_act_t *self, const char *stream, cf_api_client_t **client_p)
{
    if (*client_p)
        return *client_p;
    char name [64];
    snprintf (name, sizeof name, "%s-api", stream);
    cf_config_t *config = cf_service_config (self->service);
    if (!cf_config_has (config, name))
        return NULL;  //  a stream --follow leaves out
    const char *endpoint = cf_config_string (config, name);
    if (!*endpoint || strcmp (endpoint, CF_CONFIG_NONE) == 0)
        return NULL;
    *client_p =
        cf_api_client_new_secure (endpoint, CONSOLE_WEB_ACT_TIMEOUT_MS, CONSOLE_WEB_ACT_TRIES - 1,
                                  cf_service_keys (self->service), stream);
    return *client_p;
}

//  Sends `request` as `user`; on an answer that is not OK, calls `done`
//  with the status in CF_E terms and the service's message (which names
//  the field, never personal data) and returns NULL.
static Caseflow__V1__Reply *
s_call (cf_api_client_t *client, Caseflow__V1__Request *request, const char *user,
        console_web_done_fn *done, void *done_ctx)
{
    char request_id [CF_ULID_SIZE];
    cf_ulid_new (request_id, cf_time_system_now ());
    request->request_id = request_id;
    request->client = (char *) "caseflow-console web";
    request->on_behalf_of = (char *) user;
    int rc = 0;
    Caseflow__V1__Reply *reply = cf_api_client_call (client, request, &rc);
    if (!reply) {
        cf_log_warn ("web: a request on behalf of a person got no answer: %s", cf_strerror (rc));
        done (done_ctx, CF_EUNAVAILABLE, NULL, NULL);
        return NULL;
    }
    Caseflow__V1__Status__Code code = cf_api_reply_code (reply);
    if (code == CASEFLOW__V1__STATUS__CODE__OK)
        return reply;
    int status = code == CASEFLOW__V1__STATUS__CODE__NOT_FOUND          ? CF_ENOTFOUND
                 : code == CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT ? CF_EINVAL
                 : code == CASEFLOW__V1__STATUS__CODE__UNAVAILABLE      ? CF_EUNAVAILABLE
                                                                        : CF_ESTATE;
    done (done_ctx, status, reply->status ? reply->status->message : NULL, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return NULL;
}

static json_t *
s_time (int64_t at)
{
    char text [40];
    return at ? json_string (cf_time_format_local (at, text, sizeof text)) : json_null ();
}

static void
s_notification (console_web_act_t *self, cf_api_client_t *client,
                const console_web_action_t *action, console_web_done_fn *done, void *done_ctx)
{
    (void) self;
    Caseflow__V1__Notification__Claim claim = CASEFLOW__V1__NOTIFICATION__CLAIM__INIT;
    Caseflow__V1__Notification__Release release = CASEFLOW__V1__NOTIFICATION__RELEASE__INIT;
    Caseflow__V1__Notification__Park park = CASEFLOW__V1__NOTIFICATION__PARK__INIT;
    Caseflow__V1__Notification__Command body = CASEFLOW__V1__NOTIFICATION__COMMAND__INIT;
    if (action->kind == CONSOLE_WEB_CLAIM) {
        claim.location = (char *) action->location;
        body.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_CLAIM;
        body.claim = &claim;
    } else if (action->kind == CONSOLE_WEB_RELEASE) {
        release.reminder_id = (char *) action->reminder_id;
        release.team_lead = action->team_lead;
        body.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_RELEASE;
        body.release = &release;
    } else {
        park.reminder_id = (char *) action->reminder_id;
        park.reason = (char *) action->note;
        park.team_lead = action->team_lead;
        body.body_case = CASEFLOW__V1__NOTIFICATION__COMMAND__BODY_PARK;
        body.park = &park;
    }
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_NOTIFICATION;
    command.notification = &body;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    Caseflow__V1__Reply *reply = s_call (client, &request, action->user, done, done_ctx);
    if (!reply)
        return;
    if (action->kind != CONSOLE_WEB_CLAIM) {
        done (done_ctx, 0, NULL, NULL);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return;
    }
    //  The claimed reminder, or none due for this caller.
    const Caseflow__V1__Notification__CommandResult *result =
        reply->result_case == CASEFLOW__V1__REPLY__RESULT_COMMAND
                && reply->command->body_case == CASEFLOW__V1__COMMAND_RESULT__BODY_NOTIFICATION
            ? reply->command->notification
            : NULL;
    const Caseflow__V1__Notification__ReminderView *view =
        result && result->body_case == CASEFLOW__V1__NOTIFICATION__COMMAND_RESULT__BODY_CLAIM
                && result->claim
            ? result->claim->reminder
            : NULL;
    if (!view || !view->reminder) {
        done (done_ctx, CF_ENOTFOUND, NULL, NULL);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        return;
    }
    json_t *claimed =
        json_pack ("{s:s, s:s, s:s, s:o, s:s, s:o}", "reminder_id", view->reminder->reminder_id,
                   "case_id", view->reminder->case_id, "kind",
                   cf_words_name (&cf_words_reminder_kind, view->reminder->kind), "due_at",
                   s_time (view->reminder->due_at), "claimed_by", view->claimed_by, "lease_until",
                   s_time (view->lease_until));
    done (done_ctx, 0, NULL, claimed);
    json_decref (claimed);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

static void
s_record (cf_api_client_t *client, const console_web_action_t *action, console_web_done_fn *done,
          void *done_ctx)
{
    Caseflow__V1__Intake__RecordCallback record = CASEFLOW__V1__INTAKE__RECORD_CALLBACK__INIT;
    record.case_id = (char *) action->case_id;
    record.outcome = cf_words_parse (&cf_words_callback_outcome, action->outcome);
    record.note = (char *) action->note;
    record.reminder_id = (char *) action->reminder_id;
    Caseflow__V1__Intake__Command body = CASEFLOW__V1__INTAKE__COMMAND__INIT;
    body.body_case = CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK;
    body.record_callback = &record;
    Caseflow__V1__Command command = CASEFLOW__V1__COMMAND__INIT;
    command.body_case = CASEFLOW__V1__COMMAND__BODY_INTAKE;
    command.intake = &body;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_COMMAND;
    request.command = &command;
    Caseflow__V1__Reply *reply = s_call (client, &request, action->user, done, done_ctx);
    if (!reply)
        return;
    done (done_ctx, 0, NULL, NULL);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

//  A resident's details: intake's get_case, read on the person's behalf
//  (intake records it in its access log). The details go to `done` and
//  nowhere else: not logged, not kept.
static void
s_personal (cf_api_client_t *client, const console_web_action_t *action, console_web_done_fn *done,
            void *done_ctx)
{
    Caseflow__V1__Intake__GetCase get = CASEFLOW__V1__INTAKE__GET_CASE__INIT;
    get.case_id = (char *) action->case_id;
    Caseflow__V1__Intake__Query body = CASEFLOW__V1__INTAKE__QUERY__INIT;
    body.body_case = CASEFLOW__V1__INTAKE__QUERY__BODY_GET_CASE;
    body.get_case = &get;
    Caseflow__V1__Query query = CASEFLOW__V1__QUERY__INIT;
    query.body_case = CASEFLOW__V1__QUERY__BODY_INTAKE;
    query.intake = &body;
    Caseflow__V1__Request request = CASEFLOW__V1__REQUEST__INIT;
    request.body_case = CASEFLOW__V1__REQUEST__BODY_QUERY;
    request.query = &query;
    Caseflow__V1__Reply *reply = s_call (client, &request, action->user, done, done_ctx);
    if (!reply)
        return;
    const Caseflow__V1__Intake__CaseView *view =
        reply->result_case == CASEFLOW__V1__REPLY__RESULT_QUERY
                && reply->query->body_case == CASEFLOW__V1__QUERY_RESULT__BODY_INTAKE
                && reply->query->intake->body_case == CASEFLOW__V1__INTAKE__QUERY_RESULT__BODY_CASE
            ? reply->query->intake->case_
            : NULL;
    json_t *details = json_object ();
    if (view && view->resident) {
        const Caseflow__V1__PersonalData *resident = view->resident;
        const struct {
            const char *key, *value;
        } fields [] = {
            { "name", resident->name },         { "birth_date", resident->birth_date },
            { "bsn", resident->bsn },           { "phone", resident->phone },
            { "district", resident->district }, { "question", view->question },
        };
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            if (fields [i].value && *fields [i].value)
                json_object_set_new (details, fields [i].key, json_string (fields [i].value));
    }
    done (done_ctx, view ? 0 : CF_ENOTFOUND, NULL, details);
    json_decref (details);
    caseflow__v1__reply__free_unpacked (reply, NULL);
}

int
console_web_act (void *ctx, const console_web_action_t *action, console_web_done_fn *done,
                 void *done_ctx)
{
    console_web_act_t *self = ctx;
    bool at_intake = action->kind == CONSOLE_WEB_RECORD || action->kind == CONSOLE_WEB_PERSONAL;
    cf_api_client_t *client = at_intake ? s_client (self, "intake", &self->intake)
                                        : s_client (self, "notification", &self->notification);
    if (!client)
        return CF_EUNAVAILABLE;
    if (action->kind == CONSOLE_WEB_RECORD)
        s_record (client, action, done, done_ctx);
    else if (action->kind == CONSOLE_WEB_PERSONAL)
        s_personal (client, action, done, done_ctx);
    else
        s_notification (self, client, action, done, done_ctx);
    return 0;
}
