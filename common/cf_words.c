//  cf_words: the enum word tables and their two directions (see
//  cf_words.h). Each table is indexed by the generated enum constants, so
//  a word cannot drift from the value it names when a proto file changes
//  order; a value the proto gains shows up as NULL here until it gets a
//  word (test_vocabulary checks every table for holes).
#include "cf_words.h"

#include "caseflow/v1/assignment.pb-c.h"
#include "caseflow/v1/common.pb-c.h"
#include "caseflow/v1/gateway.pb-c.h"
#include "caseflow/v1/handover.pb-c.h"
#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"

#include <stdio.h>
#include <string.h>

#define S_TABLE(array)                                 \
    {                                                  \
        array, (int) (sizeof array / sizeof array [0]) \
    }

//  ------------------------------------------------------------- common.proto

#define S_DOMAIN(name) CASEFLOW__V1__DOMAIN__DOMAIN_##name
static const char *const s_domains [] = {
    [S_DOMAIN (YOUTH)] = "youth",
    [S_DOMAIN (SUPPORT)] = "support",
    [S_DOMAIN (WORK_INCOME)] = "work-income",
    [S_DOMAIN (DEBT)] = "debt",
    [S_DOMAIN (HOUSING)] = "housing",
    [S_DOMAIN (MENTAL_HEALTH)] = "mental-health",
    [S_DOMAIN (OTHER)] = "other",
};
const cf_words_t cf_words_domain = S_TABLE (s_domains);

static const char *const s_urgencies [] = {
    [CASEFLOW__V1__URGENCY__URGENCY_REGULAR] = "regular",
    [CASEFLOW__V1__URGENCY__URGENCY_URGENT] = "urgent",
};
const cf_words_t cf_words_urgency = S_TABLE (s_urgencies);

#define S_CHANNEL(name) CASEFLOW__V1__CHANNEL__CHANNEL_##name
static const char *const s_channels [] = {
    [S_CHANNEL (PHONE)] = "phone",
    [S_CHANNEL (WALK_IN)] = "walk-in",
    [S_CHANNEL (WEB)] = "web",
    [S_CHANNEL (PARTNER)] = "partner",
    [S_CHANNEL (MUNICIPALITY)] = "municipality",
    [S_CHANNEL (HANDOVER)] = "handover",
};
const cf_words_t cf_words_channel = S_TABLE (s_channels);

#define S_STATUS(name) CASEFLOW__V1__CASE_STATUS__CASE_STATUS_##name
static const char *const s_case_statuses [] = {
    [S_STATUS (REGISTERED)] = "registered", [S_STATUS (WAITING)] = "waiting",
    [S_STATUS (URGENT)] = "urgent",         [S_STATUS (ASSIGNED)] = "assigned",
    [S_STATUS (ACTIVE)] = "active",         [S_STATUS (CLOSED)] = "closed",
};
const cf_words_t cf_words_case_status = S_TABLE (s_case_statuses);

//  ------------------------------------------------------------- intake.proto

#define S_OUTCOME(name) CASEFLOW__V1__INTAKE__CALLBACK_OUTCOME__CALLBACK_OUTCOME_##name
static const char *const s_outcomes [] = {
    [S_OUTCOME (REACHED)] = "reached",
    [S_OUTCOME (NOT_REACHED)] = "not-reached",
    [S_OUTCOME (CHANGED)] = "changed",
    [S_OUTCOME (NO_LONGER_NEEDED)] = "no-longer-needed",
};
const cf_words_t cf_words_callback_outcome = S_TABLE (s_outcomes);

#define S_CLOSURE(name) CASEFLOW__V1__INTAKE__CLOSURE__CLOSURE_##name
static const char *const s_closures [] = {
    [S_CLOSURE (ADVISED)] = "advised",     [S_CLOSURE (WITHDRAWN)] = "withdrawn",
    [S_CLOSURE (CLOSED)] = "closed",       [S_CLOSURE (NO_LONGER_NEEDED)] = "no-longer-needed",
    [S_CLOSURE (COMPLETED)] = "completed",
};
const cf_words_t cf_words_closure = S_TABLE (s_closures);

//  --------------------------------------------------------- assignment.proto

#define S_KIND(name) CASEFLOW__V1__ASSIGNMENT__LOCATION_KIND__LOCATION_KIND_##name
static const char *const s_location_kinds [] = {
    [S_KIND (NEIGHBOURHOOD)] = "neighbourhood",
    [S_KIND (SCHOOL)] = "school",
    [S_KIND (PARTNER_SITE)] = "partner-site",
};
const cf_words_t cf_words_location_kind = S_TABLE (s_location_kinds);

#define S_RULE(name) CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_RULE__ASSIGNMENT_RULE_##name
static const char *const s_rules [] = {
    [S_RULE (CONTINUITY)] = "continuity",
    [S_RULE (BEST_MATCH)] = "best-match",
    [S_RULE (MANUAL)] = "manual",
};
const cf_words_t cf_words_assignment_rule = S_TABLE (s_rules);

#define S_TRIGGER(name) CASEFLOW__V1__ASSIGNMENT__ASSIGNMENT_TRIGGER__ASSIGNMENT_TRIGGER_##name
static const char *const s_triggers [] = {
    [S_TRIGGER (URGENT)] = "urgent",   [S_TRIGGER (WAITING_LIST)] = "waiting-list",
    [S_TRIGGER (ABSENCE)] = "absence", [S_TRIGGER (LEAVE)] = "leave",
    [S_TRIGGER (MANUAL)] = "manual",
};
const cf_words_t cf_words_assignment_trigger = S_TABLE (s_triggers);

#define S_HISTORY(name) CASEFLOW__V1__ASSIGNMENT__HISTORY_KIND__HISTORY_KIND_##name
static const char *const s_history_kinds [] = {
    [S_HISTORY (QUEUED)] = "queued",         [S_HISTORY (ASSIGNED)] = "assigned",
    [S_HISTORY (UNASSIGNED)] = "unassigned", [S_HISTORY (ESCALATED)] = "escalated",
    [S_HISTORY (STARTED)] = "started",       [S_HISTORY (COMPLETED)] = "completed",
    [S_HISTORY (CLOSED)] = "closed",
};
const cf_words_t cf_words_history_kind = S_TABLE (s_history_kinds);

//  ----------------------------------------------------------- handover.proto

#define S_STATE(name) CASEFLOW__V1__HANDOVER__HANDOVER_STATE__HANDOVER_STATE_##name
static const char *const s_handover_states [] = {
    [S_STATE (ANNOUNCED)] = "announced",       [S_STATE (MEETING_PLANNED)] = "meeting-planned",
    [S_STATE (MEETING_HELD)] = "meeting-held", [S_STATE (DECIDED)] = "decided",
    [S_STATE (COMPLETED)] = "completed",       [S_STATE (CANCELLED)] = "cancelled",
};
const cf_words_t cf_words_handover_state = S_TABLE (s_handover_states);

#define S_STEP(name) CASEFLOW__V1__HANDOVER__NEXT_STEP__NEXT_STEP_##name
static const char *const s_next_steps [] = {
    [S_STEP (CONTINUE)] = "continue",
    [S_STEP (STAY)] = "stay",
    [S_STEP (END)] = "end",
    [S_STEP (REFER)] = "refer",
};
const cf_words_t cf_words_next_step = S_TABLE (s_next_steps);

#define S_BAND(name) CASEFLOW__V1__AGE_BAND__AGE_BAND_##name
static const char *const s_age_bands [] = {
    [S_BAND (0_17)] = "0-17",
    [S_BAND (18_26)] = "18-26",
    [S_BAND (27_66)] = "27-66",
    [S_BAND (67_PLUS)] = "67+",
};
const cf_words_t cf_words_age_band = S_TABLE (s_age_bands);

#define S_BASIS(name) CASEFLOW__V1__INTAKE__ERASURE_BASIS__ERASURE_BASIS_##name
static const char *const s_erasure_bases [] = {
    [S_BASIS (REQUEST)] = "request",
    [S_BASIS (RETENTION)] = "retention",
};
const cf_words_t cf_words_erasure_basis = S_TABLE (s_erasure_bases);

//  ------------------------------------------------------- notification.proto

#define S_REMINDER(name) CASEFLOW__V1__NOTIFICATION__REMINDER_KIND__REMINDER_KIND_##name
static const char *const s_reminder_kinds [] = {
    [S_REMINDER (CALLBACK)] = "callback",
    [S_REMINDER (CALLBACK_OVERDUE)] = "callback-overdue",
    [S_REMINDER (URGENT)] = "urgent",
    [S_REMINDER (NO_WORKER)] = "no-worker",
    [S_REMINDER (HANDOVER_DEADLINE)] = "handover-deadline",
    [S_REMINDER (WAITING_TOO_LONG)] = "waiting-too-long",
    [S_REMINDER (WEBHOOK_PARKED)] = "webhook-parked",
    [S_REMINDER (STREAM_DIVERGED)] = "stream-diverged",
};
const cf_words_t cf_words_reminder_kind = S_TABLE (s_reminder_kinds);

#define S_REMINDER_STATUS(name) CASEFLOW__V1__NOTIFICATION__REMINDER_STATUS__REMINDER_STATUS_##name
static const char *const s_reminder_statuses [] = {
    [S_REMINDER_STATUS (PENDING)] = "pending",
    [S_REMINDER_STATUS (DUE)] = "due",
    [S_REMINDER_STATUS (ACKNOWLEDGED)] = "acknowledged",
    [S_REMINDER_STATUS (CANCELLED)] = "cancelled",
};
const cf_words_t cf_words_reminder_status = S_TABLE (s_reminder_statuses);

//  ------------------------------------------------------------ gateway.proto

#define S_PUBLISHER(name) CASEFLOW__V1__GATEWAY__PUBLISHER_CHANNEL__PUBLISHER_CHANNEL_##name
static const char *const s_publisher_channels [] = {
    [S_PUBLISHER (PARTNER)] = "partner",
    [S_PUBLISHER (MUNICIPALITY)] = "municipality",
    [S_PUBLISHER (PROVIDER)] = "provider",
    [S_PUBLISHER (TELEPHONY)] = "telephony",
};
const cf_words_t cf_words_publisher_channel = S_TABLE (s_publisher_channels);

#define S_INBOUND(name) CASEFLOW__V1__GATEWAY__INBOUND_STATE__INBOUND_STATE_##name
static const char *const s_inbound_states [] = {
    [S_INBOUND (ACCEPTED)] = "accepted",
    [S_INBOUND (APPLIED)] = "applied",
    [S_INBOUND (REJECTED)] = "rejected",
};
const cf_words_t cf_words_inbound_state = S_TABLE (s_inbound_states);

#define S_LAW(name) CASEFLOW__V1__GATEWAY__LAW__LAW_##name
static const char *const s_laws [] = {
    [S_LAW (WMO)] = "wmo",
    [S_LAW (JEUGDWET)] = "jeugdwet",
    [S_LAW (PARTICIPATIEWET)] = "participatiewet",
    [S_LAW (OTHER)] = "other",
};
const cf_words_t cf_words_law = S_TABLE (s_laws);

//  ------------------------------------------------- gateway.proto: webhooks

#define S_SUBSCRIPTION(name) CASEFLOW__V1__GATEWAY__SUBSCRIPTION_STATE__SUBSCRIPTION_STATE_##name
static const char *const s_subscription_states [] = {
    [S_SUBSCRIPTION (ACTIVE)] = "active",       [S_SUBSCRIPTION (PAUSED)] = "paused",
    [S_SUBSCRIPTION (RETIRED)] = "retired",     [S_SUBSCRIPTION (REMOVED)] = "removed",
    [S_SUBSCRIPTION (VERIFYING)] = "verifying",
};
const cf_words_t cf_words_subscription_state = S_TABLE (s_subscription_states);

//  ---------------------------------------------------------------- lookups

const char *
cf_words_find (const cf_words_t *table, int value)
{
    return value > 0 && value < table->count ? table->words [value] : NULL;
}

const char *
cf_words_name (const cf_words_t *table, int value)
{
    if (value == 0)
        return "unspecified";
    const char *word = cf_words_find (table, value);
    return word ? word : "unknown";
}

int
cf_words_parse (const cf_words_t *table, const char *word)
{
    if (!word)
        return -1;
    for (int value = 1; value < table->count; value++)
        if (table->words [value] && strcmp (table->words [value], word) == 0)
            return value;
    return -1;
}

char *
cf_words_list (const cf_words_t *table, char *buf, size_t size)
{
    size_t len = 0;
    if (size)
        buf [0] = 0;
    for (int value = 1; value < table->count && len < size; value++) {
        if (!table->words [value])
            continue;
        int written =
            snprintf (buf + len, size - len, "%s%s", len ? ", " : "", table->words [value]);
        if (written < 0)
            break;
        len += (size_t) written;
    }
    return buf;
}
