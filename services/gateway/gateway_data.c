//  gateway_data: the catalogue's data fields (see gateway_data.h).
#include "gateway_data.h"

#include "cf_api.h"
#include "cf_id.h"
#include "cf_resident.h"
#include "cf_text.h"
#include "cf_time.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_NAME_MAX 200
#define S_TEXT_MAX 2000
//  As intake's limit on a triage reason (docs/cloudevents.md).
#define S_REASON_MAX   1000
#define S_DISTRICT_MAX 100

static void *
s_alloc (size_t size)
{
    void *data = calloc (1, size ? size : 1);
    assert (data);
    return data;
}

//  A text field of `object` (`name`, reported as `path`): *text_p the
//  value (borrowed) or NULL when absent or null. 0, or -1 with `problem`.
static int
s_text (json_t *object, const char *name, const char *path, size_t max, bool required,
        const char **text_p, gateway_problem_t *problem)
{
    json_t *value = json_object_get (object, name);
    *text_p = NULL;
    if (!value || json_is_null (value)) {
        if (required)
            return gateway_problem (problem, 400, path, "%s is required", path);
        return 0;
    }
    if (!json_is_string (value))
        return gateway_problem (problem, 400, path, "%s must be a string", path);
    const char *text = json_string_value (value);
    if (required && cf_text_blank (text))
        return gateway_problem (problem, 400, path, "%s is required", path);
    if (strlen (text) > max)
        return gateway_problem (problem, 400, path, "%s must be at most %zu bytes", path, max);
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        if ((*c < 0x20 && *c != '\n' && *c != '\t' && *c != '\r') || *c == 0x7f)
            return gateway_problem (problem, 400, path, "%s must not hold control characters",
                                    path);
    *text_p = text;
    return 0;
}

//  An id field (cf_id's grammar).
static int
s_id (json_t *object, const char *name, const char *path, bool required, const char **id_p,
      gateway_problem_t *problem)
{
    if (s_text (object, name, path, CF_ID_MAX, required, id_p, problem))
        return -1;
    if (*id_p && !cf_id_valid (*id_p))
        return gateway_problem (problem, 400, path, "%s is not an id: " CF_ID_RULE, path);
    return 0;
}

//  The resident: `need_name_birth` (referral, announcement) or else a BSN
//  or name and birth date (decision).
static int
s_resident (json_t *data, bool need_name_birth, const char *today, Caseflow__V1__Personal *personal,
            gateway_problem_t *problem)
{
    json_t *resident = json_object_get (data, "resident");
    if (!json_is_object (resident))
        return gateway_problem (problem, 400, "data.resident",
                                resident ? "data.resident must be an object"
                                         : "data.resident is required");
    const char *name, *birth, *bsn, *phone, *district;
    if (s_text (resident, "name", "data.resident.name", S_NAME_MAX, need_name_birth, &name, problem)
        || s_text (resident, "birth_date", "data.resident.birth_date", 10, need_name_birth, &birth,
                   problem)
        || s_text (resident, "bsn", "data.resident.bsn", 9, false, &bsn, problem)
        || s_text (resident, "phone", "data.resident.phone", 32, false, &phone, problem)
        || s_text (resident, "district", "data.resident.district", S_DISTRICT_MAX, false, &district,
                   problem))
        return -1;
    if (name && strchr (name, '\n'))
        return gateway_problem (problem, 400, "data.resident.name",
                                "data.resident.name must be one line");
    const char *why = birth ? cf_resident_birth_date_problem (birth, today) : NULL;
    if (why)
        return gateway_problem (problem, 400, "data.resident.birth_date",
                                "data.resident.birth_date %s", why);
    if (bsn && !cf_resident_bsn_valid (bsn))
        return gateway_problem (
            problem, 400, "data.resident.bsn",
            "data.resident.bsn is not a BSN (9 digits passing the eleven-test)");
    if (phone && !cf_resident_phone_valid (phone))
        return gateway_problem (problem, 400, "data.resident.phone",
                                "data.resident.phone is not a phone number");
    if (!need_name_birth && !bsn && !(name && birth))
        return gateway_problem (problem, 400, "data.resident",
                                "data.resident needs a bsn, or a name and a birth_date");
    Caseflow__V1__PersonalData *out = s_alloc (sizeof *out);
    caseflow__v1__personal_data__init (out);
    out->name = cf_strdup (name ? name : "");
    out->birth_date = cf_strdup (birth ? birth : "");
    out->bsn = cf_strdup (bsn ? bsn : "");
    out->phone = cf_strdup (phone ? phone : "");
    out->district = cf_strdup (district ? district : "");
    personal->resident = out;
    return 0;
}

static int
s_domains (json_t *data, Caseflow__V1__Domain **domains_p, size_t *count_p,
           gateway_problem_t *problem)
{
    json_t *list = json_object_get (data, "domains");
    if (!json_is_array (list) || json_array_size (list) == 0)
        return gateway_problem (problem, 400, "data.domains",
                                "data.domains must be a list of one or more domains");
    size_t count = json_array_size (list);
    Caseflow__V1__Domain *domains = s_alloc (count * sizeof *domains);
    for (size_t i = 0; i < count; i++) {
        int domain =
            cf_words_parse (&cf_words_domain, json_string_value (json_array_get (list, i)));
        bool again = false;
        for (size_t j = 0; j < i; j++)
            again = again || (int) domains [j] == domain;
        if (domain < 1 || again) {
            free (domains);
            char path [48];
            snprintf (path, sizeof path, "data.domains[%zu]", i);
            return gateway_problem (problem, 400, path,
                                    again
                                        ? "%s repeats a domain"
                                        : "%s is not a domain (youth, support, work-income, debt, "
                                          "housing, mental-health, other)",
                                    path);
        }
        domains [i] = (Caseflow__V1__Domain) domain;
    }
    *domains_p = domains;
    *count_p = count;
    return 0;
}

//  A time field: RFC 3339, or with `date_ends_day` also a date alone, due
//  by the end of that day in Amsterdam.
static int
s_time (json_t *object, const char *name, const char *path, bool required, bool date_ends_day,
        int64_t *at_p, gateway_problem_t *problem)
{
    const char *text;
    *at_p = 0;
    if (s_text (object, name, path, 40, required, &text, problem))
        return -1;
    if (!text)
        return 0;
    if (gateway_rfc3339_parse (text, at_p))
        return 0;
    int64_t day = 0;
    char next [16];
    if (date_ends_day && strlen (text) == 10 && cf_time_parse (text, &day) == 0) {
        //  The next day's 00:00, whatever the length of this day.
        cf_time_format_date (day + 36 * CF_USEC_PER_HOUR, next, sizeof next);
        if (cf_time_parse (next, at_p) == 0)
            return 0;
    }
    return gateway_problem (problem, 400, path, "%s must be an RFC 3339 date-time%s", path,
                            date_ends_day ? " or a date (YYYY-MM-DD)" : "");
}

static int
s_referral (json_t *data, const char *today, gateway_data_t *out, gateway_problem_t *problem)
{
    Caseflow__V1__Gateway__Referral *referral = s_alloc (sizeof *referral);
    caseflow__v1__gateway__referral__init (referral);
    out->content->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_REFERRAL;
    out->content->referral = referral;
    const char *question, *urgency, *reason, *location;
    if (s_resident (data, true, today, out->personal, problem)
        || s_domains (data, &referral->domains, &referral->n_domains, problem)
        || s_text (data, "question", "data.question", S_TEXT_MAX, false, &question, problem)
        || s_text (data, "urgency", "data.urgency", 16, false, &urgency, problem)
        || s_text (data, "reason", "data.reason", S_REASON_MAX, false, &reason, problem)
        || s_id (data, "location", "data.location", false, &location, problem))
        return -1;
    if (urgency) {
        int value = cf_words_parse (&cf_words_urgency, urgency);
        if (value < 1)
            return gateway_problem (problem, 400, "data.urgency",
                                    "data.urgency must be urgent or regular");
        if (!reason || cf_text_blank (reason))
            return gateway_problem (problem, 400, "data.reason",
                                    "data.reason is required with data.urgency");
        referral->urgency = (Caseflow__V1__Urgency) value;
    } else if (reason)
        return gateway_problem (problem, 400, "data.reason",
                                "data.reason goes with data.urgency, which is missing");
    referral->location = cf_strdup (location ? location : "");
    out->personal->text = cf_strdup (question ? question : "");
    if (reason) {
        out->personal->texts = s_alloc (sizeof (char *));
        out->personal->texts [0] = cf_strdup (reason);
        out->personal->n_texts = 1;
    }
    return 0;
}

static int
s_announcement (json_t *data, const char *today, gateway_data_t *out, gateway_problem_t *problem)
{
    Caseflow__V1__Gateway__Announcement *announcement = s_alloc (sizeof *announcement);
    caseflow__v1__gateway__announcement__init (announcement);
    out->content->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_ANNOUNCEMENT;
    out->content->announcement = announcement;
    const char *support, *worker;
    if (s_resident (data, true, today, out->personal, problem)
        || s_domains (data, &announcement->domains, &announcement->n_domains, problem)
        || s_text (data, "support", "data.support", S_TEXT_MAX, false, &support, problem)
        || s_id (data, "preferred_worker", "data.preferred_worker", false, &worker, problem)
        || s_time (data, "deadline", "data.deadline", false, true, &announcement->deadline,
                   problem))
        return -1;
    announcement->preferred_worker = cf_strdup (worker ? worker : "");
    out->personal->text = cf_strdup (support ? support : "");
    return 0;
}

static int
s_decision (json_t *data, bool issued, const char *today, gateway_data_t *out,
            gateway_problem_t *problem)
{
    Caseflow__V1__Gateway__Decision *decision = s_alloc (sizeof *decision);
    caseflow__v1__gateway__decision__init (decision);
    out->content->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_DECISION;
    out->content->decision = decision;
    decision->issued = issued;
    const char *decision_id, *law, *provider;
    if (s_resident (data, false, today, out->personal, problem)
        || s_text (data, "decision_id", "data.decision_id", 64, true, &decision_id, problem)
        || s_text (data, "law", "data.law", 32, true, &law, problem)
        || s_id (data, "provider", "data.provider", false, &provider, problem))
        return -1;
    if (strpbrk (decision_id, "\n\r\t"))
        return gateway_problem (problem, 400, "data.decision_id",
                                "data.decision_id must be one line of printable characters");
    int value = cf_words_parse (&cf_words_law, law);
    if (value < 1)
        return gateway_problem (problem, 400, "data.law",
                                "data.law must be wmo, jeugdwet, participatiewet or other");
    decision->decision_id = cf_strdup (decision_id);
    decision->law = (Caseflow__V1__Gateway__Law) value;
    decision->provider = cf_strdup (provider ? provider : "");
    return 0;
}

static int
s_call (json_t *data, Caseflow__V1__Gateway__CallStage stage, gateway_data_t *out,
        gateway_problem_t *problem)
{
    Caseflow__V1__Gateway__Call *call = s_alloc (sizeof *call);
    caseflow__v1__gateway__call__init (call);
    out->content->content_case = CASEFLOW__V1__GATEWAY__INBOUND_ACCEPTED__CONTENT_CALL;
    out->content->call = call;
    call->stage = stage;
    bool answered = stage == CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ANSWERED;
    const char *call_id, *line;
    if (s_id (data, "call_id", "data.call_id", true, &call_id, problem)
        || s_text (data, "line", "data.line", 64, true, &line, problem)
        || s_time (data, "queued_at", "data.queued_at", true, false, &call->queued_at, problem)
        || s_time (data, "answered_at", "data.answered_at", answered, false, &call->answered_at,
                   problem))
        return -1;
    if (!answered && call->answered_at)
        return gateway_problem (problem, 400, "data.answered_at",
                                "data.answered_at belongs to an answered call only");
    if (answered && call->answered_at < call->queued_at)
        return gateway_problem (problem, 400, "data.answered_at",
                                "data.answered_at is before data.queued_at");
    call->call_id = cf_strdup (call_id);
    call->line = cf_strdup (line);
    return 0;
}

int
gateway_data_read (gateway_kind_t kind, json_t *data, const char *today, gateway_data_t *out,
                   gateway_problem_t *problem)
{
    assert (kind != GATEWAY_KIND_NONE && json_is_object (data));
    out->content = s_alloc (sizeof *out->content);
    caseflow__v1__gateway__inbound_accepted__init (out->content);
    bool call = kind == GATEWAY_KIND_CALL_OFFERED || kind == GATEWAY_KIND_CALL_ANSWERED
                || kind == GATEWAY_KIND_CALL_ABANDONED;
    out->personal = NULL;
    if (!call) {
        out->personal = s_alloc (sizeof *out->personal);
        caseflow__v1__personal__init (out->personal);
    }
    int rc = 0;
    switch (kind) {
        case GATEWAY_KIND_REFERRAL: rc = s_referral (data, today, out, problem); break;
        case GATEWAY_KIND_ANNOUNCEMENT: rc = s_announcement (data, today, out, problem); break;
        case GATEWAY_KIND_DECISION_REQUESTED:
        case GATEWAY_KIND_DECISION_ISSUED:
            rc = s_decision (data, kind == GATEWAY_KIND_DECISION_ISSUED, today, out, problem);
            break;
        case GATEWAY_KIND_CALL_OFFERED:
            rc = s_call (data, CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_OFFERED, out, problem);
            break;
        case GATEWAY_KIND_CALL_ANSWERED:
            rc =
                s_call (data, CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ANSWERED, out, problem);
            break;
        default:
            rc = s_call (data, CASEFLOW__V1__GATEWAY__CALL_STAGE__CALL_STAGE_ABANDONED, out,
                         problem);
    }
    if (rc) {
        gateway_data_release (out);
        return -1;
    }
    //  The rest of data: everything but the personal values.
    json_t *rest = json_copy (data);
    assert (rest);
    json_object_del (rest, "resident");
    json_object_del (rest, "question");
    json_object_del (rest, "support");
    json_object_del (rest, "reason");
    char *text = json_dumps (rest, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref (rest);
    assert (text);
    out->content->extra_data = cf_strdup (text);
    free (text);
    return 0;
}

void
gateway_data_release (gateway_data_t *self)
{
    if (self->content)
        caseflow__v1__gateway__inbound_accepted__free_unpacked (self->content, NULL);
    if (self->personal)
        caseflow__v1__personal__free_unpacked (self->personal, NULL);
    self->content = NULL;
    self->personal = NULL;
}
