//  intake_decide: the command handlers (see intake_decide.h).
//
//  Each handler follows the same order, so the first error a caller sees is
//  predictable: the fields in message order (INVALID_ARGUMENT naming the
//  field), then the entities they name (NOT_FOUND), then conflicts
//  (CONFLICT), then the lifecycle (FAILED_PRECONDITION naming the case's
//  status). Only then does it emit. Log lines name case and track ids,
//  never personal data.
#include "intake_decide.h"

#include "cf_api.h"
#include "cf_calendar.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_resident.h"
#include "cf_text.h"
#include "cf_time.h"
#include "cf_words.h"
#include "intake_erase.h"
#include "intake_lifecycle.h"
#include "intake_personal.h"
#include "intake_query.h"
#include "intake_validate.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_BAD      CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
#define S_MISSING  CASEFLOW__V1__STATUS__CODE__NOT_FOUND
#define S_CONFLICT CASEFLOW__V1__STATUS__CODE__CONFLICT
#define S_STATE    CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION

//  ------------------------------------------------------------- helpers

//  Sets the reply's status with the field "<prefix>.<field>". Returns false
//  so checks read `return s_refuse (...)`.
static bool
s_refuse (Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code, const char *prefix,
          const char *field, const char *fmt, ...) __attribute__ ((format (printf, 5, 6)));

static bool
s_refuse (Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code, const char *prefix,
          const char *field, const char *fmt, ...)
{
    char path [128], message [256];
    snprintf (path, sizeof path, "%s%s%s", prefix, field ? "." : "", field ? field : "");
    va_list args;
    va_start (args, fmt);
    vsnprintf (message, sizeof message, fmt, args);
    va_end (args);
    cf_api_reply_status (reply, code, path, "%s", message);
    return false;
}

//  Free text (cf_text.h: the rule and refusal of every service).
static bool
s_check_text (Caseflow__V1__Reply *reply, const char *prefix, const char *field, const char *text,
              size_t max, bool required, bool multiline)
{
    char path [128];
    snprintf (path, sizeof path, "%s.%s", prefix, field);
    return cf_text_check (reply, path, text, max, required, multiline);
}

//  An optional or required id (location, track): the one id rule
//  (cf_id.h), with the same refusal as every service's.
static bool
s_check_id (Caseflow__V1__Reply *reply, const char *prefix, const char *field, const char *id,
            bool required)
{
    char path [128];
    snprintf (path, sizeof path, "%s.%s", prefix, field);
    return cf_id_check (reply, path, id, required);
}

//  A case id is an id like any other: one intake never issued is not
//  found, not malformed.
static bool
s_check_case_id (Caseflow__V1__Reply *reply, const char *prefix, const char *case_id)
{
    return s_check_id (reply, prefix, "case_id", case_id, true);
}

static const intake_case_t *
s_lookup_case (const intake_state_t *state, Caseflow__V1__Reply *reply, const char *prefix,
               const char *case_id)
{
    const intake_case_t *kase = intake_state_case (state, case_id);
    if (!kase)
        s_refuse (reply, S_MISSING, prefix, "case_id", "no case %s", case_id);
    return kase;
}

//  The lifecycle check every command on a case goes through: the table's
//  refusal naming the case's status, on the field "<prefix>.case_id".
static bool
s_check_move (Caseflow__V1__Reply *reply, const char *prefix, const intake_case_t *kase,
              intake_action_t action, Caseflow__V1__CaseStatus *to_p)
{
    char field [128];
    snprintf (field, sizeof field, "%s.case_id", prefix);
    return intake_lifecycle_check (kase->id, kase->status, action, to_p, reply, field) == 0;
}

static void *
s_alloc (size_t size)
{
    void *data = calloc (1, size);
    assert (data);
    return data;
}

static Caseflow__V1__Intake__CommandResult *
s_result (Caseflow__V1__Reply *reply)
{
    Caseflow__V1__CommandResult *result = cf_api_reply_command (reply);
    result->body_case = CASEFLOW__V1__COMMAND_RESULT__BODY_INTAKE;
    result->intake = s_alloc (sizeof *result->intake);
    caseflow__v1__intake__command_result__init (result->intake);
    return result->intake;
}

//  The result of most commands: the case as it now is.
static void
s_reply_case (const intake_state_t *state, Caseflow__V1__Reply *reply, const char *case_id)
{
    const intake_case_t *kase = intake_state_case (state, case_id);
    assert (kase);
    Caseflow__V1__Intake__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_CASE;
    //  A stored reply lives in the journal's requests table for a week:
    //  it carries the case's facts, never the resident's data or texts.
    result->case_ = intake_view_case (state, kase, true);
    intake_view_strip_personal (result->case_);
}

//  ------------------------------------------------------------- arrival

//  ------------------------------------------------------------ register

static bool
s_check_resident (const cf_decider_t *decider, Caseflow__V1__Reply *reply,
                  const Caseflow__V1__PersonalData *resident)
{
    const char *prefix = "command.intake.register";
    if (!resident)
        return s_refuse (reply, S_BAD, prefix, "resident", "required");
    prefix = "command.intake.register.resident";
    if (!s_check_text (reply, prefix, "name", resident->name, INTAKE_MAX_NAME, true, false))
        return false;
    char today [32];
    cf_time_format_date (decider->now, today, sizeof today);
    if (!cf_resident_check_birth_date (reply, "command.intake.register.resident.birth_date",
                                       resident->birth_date, today)
        || !cf_resident_check_phone (reply, "command.intake.register.resident.phone",
                                     resident->phone))
        return false;
    return s_check_text (reply, prefix, "district", resident->district, INTAKE_MAX_SHORT, false,
                         false)
           && cf_resident_check_bsn (reply, "command.intake.register.resident.bsn", resident->bsn);
}

static bool
s_check_urgency (Caseflow__V1__Reply *reply, const char *prefix, Caseflow__V1__Urgency urgency,
                 const char *reason, bool required)
{
    if (urgency == CASEFLOW__V1__URGENCY__URGENCY_UNSPECIFIED) {
        if (required)
            return s_refuse (reply, S_BAD, prefix, "urgency", "required: urgent or regular");
        if (!cf_text_blank (reason))
            return s_refuse (reply, S_BAD, prefix, "urgency",
                             "required with a triage reason: urgent or regular");
        return true;
    }
    if (urgency != CASEFLOW__V1__URGENCY__URGENCY_REGULAR
        && urgency != CASEFLOW__V1__URGENCY__URGENCY_URGENT)
        return s_refuse (reply, S_BAD, prefix, "urgency", "must be urgent or regular");
    return s_check_text (reply, prefix, "reason", reason, INTAKE_MAX_REASON, true, true);
}

bool
intake_register_check (const cf_decider_t *decider, const Caseflow__V1__Intake__Register *command,
                       Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.register";
    if (command->channel == CASEFLOW__V1__CHANNEL__CHANNEL_UNSPECIFIED)
        return s_refuse (reply, S_BAD, prefix, "channel", "required");
    if (command->channel == CASEFLOW__V1__CHANNEL__CHANNEL_HANDOVER)
        return s_refuse (reply, S_BAD, prefix, "channel",
                         "handovers arrive from the handover stream, not as registrations");
    if (command->channel < CASEFLOW__V1__CHANNEL__CHANNEL_PHONE
        || command->channel > CASEFLOW__V1__CHANNEL__CHANNEL_MUNICIPALITY)
        return s_refuse (reply, S_BAD, prefix, "channel", "unknown channel");
    if (command->channel == CASEFLOW__V1__CHANNEL__CHANNEL_WALK_IN && !*command->location)
        return s_refuse (reply, S_BAD, prefix, "location", "required for a walk-in registration");
    if (!s_check_id (reply, prefix, "location", command->location, false)
        || !s_check_resident (decider, reply, command->resident))
        return false;
    if (command->n_domains == 0)
        return s_refuse (reply, S_BAD, prefix, "domains", "at least one domain is required");
    for (size_t i = 0; i < command->n_domains; i++)
        if (!intake_domain_bit (command->domains [i]))
            return s_refuse (reply, S_BAD, prefix, "domains", "unknown domain (value %d)",
                             (int) command->domains [i]);
    return s_check_text (reply, prefix, "question", command->question, INTAKE_MAX_TEXT, false, true)
           && s_check_text (reply, prefix, "referred_by", command->referred_by, INTAKE_MAX_SHORT,
                            false, false)
           && s_check_urgency (reply, prefix, command->urgency, command->reason, false);
}

static void
s_register (intake_state_t *state, cf_decider_t *decider,
            const Caseflow__V1__Intake__Register *command, Caseflow__V1__Reply *reply)
{
    if (!intake_register_check (decider, command, reply))
        return;
    //  Sharded by district (cf_shards.h): the resident is another shard's.
    //  The message names the shard, never the district (personal data).
    if (!intake_state_serves (state, command->resident->district)) {
        s_refuse (reply, S_STATE, "command.intake.register", "resident.district",
                  "the resident's district is served by the intake shard %s (--shards): "
                  "register there",
                  intake_state_route (state, command->resident->district));
        return;
    }

    intake_arrival_t arrival = {
        .channel = command->channel,
        .location = command->location,
        .resident = command->resident,
        .domains = intake_domains_of (command->domains, command->n_domains),
        .question = command->question,
        .referred_by = command->referred_by,
        .preferred_worker = "",
        .handover_id = "",
        .provider_id = "",
        .urgency = command->urgency,
        .reason = command->reason,
    };
    const intake_case_t *kase = NULL;
    bool joined = false;
    if (intake_decide_arrival (state, decider, &arrival, &kase, &joined))
        return;
    Caseflow__V1__Intake__CommandResult *result = s_result (reply);
    Caseflow__V1__Intake__RegisterResult *registered = s_alloc (sizeof *registered);
    caseflow__v1__intake__register_result__init (registered);
    registered->case_id = cf_strdup (kase->id);
    registered->status = kase->status;
    registered->urgency = kase->urgency;
    registered->joined_existing = joined;
    result->body_case = CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_REGISTERED;
    result->registered = registered;
}

//  -------------------------------------------------------------- triage

static void
s_triage (intake_state_t *state, cf_decider_t *decider, const Caseflow__V1__Intake__Triage *command,
          Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.triage";
    if (!s_check_case_id (reply, prefix, command->case_id)
        || !s_check_urgency (reply, prefix, command->urgency, command->reason, true))
        return;
    const intake_case_t *kase = s_lookup_case (state, reply, prefix, command->case_id);
    if (!kase
        || !s_check_move (reply, prefix, kase, intake_lifecycle_triage_action (command->urgency),
                          NULL))
        return;
    if (intake_emit_triage (state, decider, kase, command->urgency, command->reason))
        return;
    cf_decider_log (decider, "case %s triaged %s", kase->id,
                    cf_words_name (&cf_words_urgency, command->urgency));
    s_reply_case (state, reply, command->case_id);
}

//  ------------------------------------------------------------ callback

static void
s_record_callback (intake_state_t *state, cf_decider_t *decider,
                   const Caseflow__V1__Intake__RecordCallback *command, Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.record_callback";
    if (!s_check_case_id (reply, prefix, command->case_id))
        return;
    if (command->outcome < CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_REACHED
        || command->outcome
               > CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NO_LONGER_NEEDED) {
        s_refuse (reply, S_BAD, prefix, "outcome",
                  "required: reached, not-reached, changed or no-longer-needed");
        return;
    }
    if (!s_check_text (reply, prefix, "note", command->note, INTAKE_MAX_TEXT, false, true)
        || !cf_id_check_reminder (reply, "command.intake.record_callback.reminder_id",
                                  command->reminder_id, false))
        return;
    if (command->due_at < 0) {
        s_refuse (reply, S_BAD, prefix, "due_at", "must not be negative");
        return;
    }
    const intake_case_t *kase = s_lookup_case (state, reply, prefix, command->case_id);
    if (!kase || !s_check_move (reply, prefix, kase, INTAKE_RECORD_CALLBACK, NULL))
        return;
    //  The table closes from wherever it takes a callback.
    bool closes = command->outcome
                  == CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NO_LONGER_NEEDED;
    assert (!closes || intake_lifecycle_next (kase->status, INTAKE_NO_LONGER_NEEDED, NULL) == 0);

    cf_sealed_t note;
    Caseflow__V1__Intake__CallbackRecorded body = CASEFLOW__V1__INTAKE__CALLBACK_RECORDED__INIT;
    body.case_id = (char *) kase->id;
    body.outcome = command->outcome;
    body.personal =
        intake_personal_seal_text (state, kase, INTAKE_FIELD_CALLBACK, command->note, &note);
    body.reminder_id = command->reminder_id;
    body.due_at = command->due_at;
    //  Only an unanswered call counts; any conversation resets the count.
    body.consecutive_unanswered =
        command->outcome == CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_NOT_REACHED
            ? kase->consecutive_unanswered + 1
            : 0;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CALLBACK_RECORDED;
    event.callback_recorded = &body;
    int rc = intake_emit (decider, &event, kase->id);
    cf_sealed_release (&note);
    if (rc)
        return;
    if (closes) {
        cf_sealed_t reason;
        Caseflow__V1__Intake__CaseClosed closed = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
        closed.case_id = (char *) kase->id;
        closed.closure = CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_NO_LONGER_NEEDED;
        closed.personal = intake_personal_seal_text (
            state, kase, INTAKE_FIELD_CLOSED,
            *command->note ? command->note : "help no longer needed", &reason);
        Caseflow__V1__Event close_event = CASEFLOW__V1__EVENT__INIT;
        close_event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
        close_event.case_closed = &closed;
        rc = intake_emit (decider, &close_event, kase->id);
        cf_sealed_release (&reason);
        if (rc)
            return;
        cf_decider_log (decider, "case %s closed: help no longer needed", kase->id);
    }
    s_reply_case (state, reply, command->case_id);
}

//  -------------------------------------------------------------- tracks

static void
s_create_track (intake_state_t *state, cf_decider_t *decider,
                const Caseflow__V1__Intake__CreateTrack *command, Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.create_track";
    if (!s_check_id (reply, prefix, "track_id", command->track_id, true)
        || !s_check_text (reply, prefix, "name", command->name, INTAKE_MAX_NAME, true, false)
        || !s_check_id (reply, prefix, "location", command->location, true))
        return;
    if (command->capacity < 1 || command->capacity > INTAKE_MAX_CAPACITY) {
        s_refuse (reply, S_BAD, prefix, "capacity", "must be 1-%d", INTAKE_MAX_CAPACITY);
        return;
    }
    if (!*command->starts_on) {
        s_refuse (reply, S_BAD, prefix, "starts_on", "required");
        return;
    }
    if (!cf_calendar_date_valid (command->starts_on)) {
        s_refuse (reply, S_BAD, prefix, "starts_on", "not a date (YYYY-MM-DD)");
        return;
    }
    if (intake_state_track (state, command->track_id)) {
        s_refuse (reply, S_CONFLICT, prefix, "track_id", "track %s already exists",
                  command->track_id);
        return;
    }
    Caseflow__V1__Intake__TrackCreated body = CASEFLOW__V1__INTAKE__TRACK_CREATED__INIT;
    body.track_id = command->track_id;
    body.name = command->name;
    body.location = command->location;
    body.capacity = command->capacity;
    body.starts_on = command->starts_on;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_TRACK_CREATED;
    event.track_created = &body;
    if (intake_emit (decider, &event, NULL))
        return;
    cf_decider_log (decider, "track %s created", command->track_id);
    Caseflow__V1__Intake__CommandResult *result = s_result (reply);
    result->body_case = CASEFLOW__V1__INTAKE__COMMAND_RESULT__BODY_TRACK;
    result->track = intake_view_track (intake_state_track (state, command->track_id));
}

static void
s_join_track (intake_state_t *state, cf_decider_t *decider,
              const Caseflow__V1__Intake__JoinTrack *command, Caseflow__V1__Reply *reply)
{
    const char *prefix = "command.intake.join_track";
    if (!s_check_case_id (reply, prefix, command->case_id)
        || !s_check_id (reply, prefix, "track_id", command->track_id, true))
        return;
    const intake_case_t *kase = s_lookup_case (state, reply, prefix, command->case_id);
    if (!kase)
        return;
    const intake_track_t *track = intake_state_track (state, command->track_id);
    if (!track) {
        s_refuse (reply, S_MISSING, prefix, "track_id", "no track %s", command->track_id);
        return;
    }
    if (intake_case_in_track (kase, track->id)) {
        s_refuse (reply, S_CONFLICT, prefix, "track_id", "case %s already joined track %s",
                  kase->id, track->id);
        return;
    }
    if (!s_check_move (reply, prefix, kase, INTAKE_JOIN_TRACK, NULL))
        return;
    if (track->case_count >= track->capacity) {
        s_refuse (reply, S_STATE, prefix, "track_id", "track %s is full (%u places)", track->id,
                  track->capacity);
        return;
    }
    Caseflow__V1__Intake__TrackJoined body = CASEFLOW__V1__INTAKE__TRACK_JOINED__INIT;
    body.case_id = (char *) kase->id;
    body.track_id = (char *) track->id;
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_TRACK_JOINED;
    event.track_joined = &body;
    if (intake_emit (decider, &event, kase->id))
        return;
    cf_decider_log (decider, "case %s joined track %s", kase->id, track->id);
    s_reply_case (state, reply, command->case_id);
}

//  ------------------------------------------------------------- closure

static void
s_close_case (intake_state_t *state, cf_decider_t *decider, Caseflow__V1__Reply *reply,
              const char *prefix, const char *case_id, const char *text_field, const char *text,
              Caseflow__V1__Intake__Closure closure, intake_action_t action)
{
    if (!s_check_case_id (reply, prefix, case_id)
        || !s_check_text (reply, prefix, text_field, text, INTAKE_MAX_REASON, true, true))
        return;
    const intake_case_t *kase = s_lookup_case (state, reply, prefix, case_id);
    if (!kase || !s_check_move (reply, prefix, kase, action, NULL))
        return;
    cf_sealed_t sealed;
    Caseflow__V1__Intake__CaseClosed body = CASEFLOW__V1__INTAKE__CASE_CLOSED__INIT;
    body.case_id = (char *) kase->id;
    body.closure = closure;
    body.personal = intake_personal_seal_text (state, kase, INTAKE_FIELD_CLOSED, text, &sealed);
    Caseflow__V1__Event event = CASEFLOW__V1__EVENT__INIT;
    event.body_case = CASEFLOW__V1__EVENT__BODY_CASE_CLOSED;
    event.case_closed = &body;
    int rc = intake_emit (decider, &event, kase->id);
    cf_sealed_release (&sealed);
    if (rc)
        return;
    cf_decider_log (decider, "case %s closed (%s)", kase->id, intake_action_name (action));
    s_reply_case (state, reply, case_id);
}

void
intake_decide (intake_state_t *state, cf_decider_t *decider,
               const Caseflow__V1__Intake__Command *command)
{
    assert (state && decider && decider->reply && command);
    Caseflow__V1__Reply *reply = decider->reply;
    switch (command->body_case) {
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_REGISTER:
            s_register (state, decider, command->register_, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_TRIAGE:
            s_triage (state, decider, command->triage, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_RECORD_CALLBACK:
            s_record_callback (state, decider, command->record_callback, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_CREATE_TRACK:
            s_create_track (state, decider, command->create_track, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_JOIN_TRACK:
            s_join_track (state, decider, command->join_track, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_ADVISE:
            s_close_case (state, decider, reply, "command.intake.advise", command->advise->case_id,
                          "note", command->advise->note,
                          CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_ADVISED, INTAKE_ADVISE);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_WITHDRAW:
            s_close_case (state, decider, reply, "command.intake.withdraw",
                          command->withdraw->case_id, "reason", command->withdraw->reason,
                          CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_WITHDRAWN, INTAKE_WITHDRAW);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_CLOSE:
            s_close_case (state, decider, reply, "command.intake.close", command->close->case_id,
                          "reason", command->close->reason,
                          CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_CLOSED, INTAKE_CLOSE);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_ERASE:
            intake_decide_erase (state, decider, command->erase, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_HOLD:
            intake_decide_hold (state, decider, command->hold, reply);
            break;
        case CASEFLOW__V1__INTAKE__COMMAND__BODY_RELEASE:
            intake_decide_release (state, decider, command->release, reply);
            break;
        default: cf_api_reply_status (reply, S_BAD, "command.intake", "not an intake command");
    }
}

void
intake_decide_hook (void *state, cf_service_t *service, const Caseflow__V1__Command *command,
                    Caseflow__V1__Reply *reply)
{
    const ProtobufCMessage *own =
        cf_decider_command_body (command, CASEFLOW__V1__COMMAND__BODY_INTAKE, INTAKE_STREAM, reply);
    if (!own)
        return;
    cf_decider_t decider;
    cf_decider_init_service (&decider, service, cf_service_now (service), reply);
    intake_decide (state, &decider, (const Caseflow__V1__Intake__Command *) own);
}
