//  cf_access: the access log (see cf_access.h).
//
//  A record is encoded once, as the service answers, and copied into the
//  open batch; the store keys it by time and a number counted on from the
//  last record stored (cf_journal_access.c). Answering the AccessLog query
//  reads the committed records of the period in order, decodes each and
//  keeps those that pass the filters; a filter by case or reader scans the
//  period, which is what an audit asks for (a case over its lifetime, a
//  person over a month) and cheap next to the reads it accounts for.
#include "cf_access.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_id.h"
#include "cf_log.h"
#include "cf_seal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct _cf_access_t {
    cf_journal_t *journal;
    cf_commit_t *commit;
    const char *stream;
    cf_clock_t *clock;
    uint64_t last_number;  //  of the last record made (stored or in a batch)
    //  The query being answered.
    bool open;
    const char *request_id;
    const cf_api_caller_t *caller;
    bool refused;  //  a record could not be made: the answer must not leave
};

cf_access_t *
cf_access_new (cf_journal_t *journal, cf_commit_t *commit, const char *stream, cf_clock_t *clock)
{
    assert (journal && commit && stream && clock);
    uint64_t last = 0;
    if (cf_journal_access_last (journal, &last))
        return NULL;
    cf_access_t *self = calloc (1, sizeof *self);
    assert (self);
    self->journal = journal;
    self->commit = commit;
    self->stream = stream;
    self->clock = clock;
    self->last_number = last;
    return self;
}

void
cf_access_destroy (cf_access_t **self_p)
{
    assert (self_p);
    free (*self_p);
    *self_p = NULL;
}

void
cf_access_begin (cf_access_t *self, const char *request_id, const cf_api_caller_t *caller)
{
    assert (self && request_id && caller);
    self->open = true;
    self->request_id = request_id;
    self->caller = caller;
    self->refused = false;
}

bool
cf_access_end (cf_access_t *self)
{
    assert (self->open);
    self->open = false;
    self->request_id = NULL;
    self->caller = NULL;
    return !self->refused;
}

int
cf_access_record (cf_access_t *self, const char *action, const char *case_id,
                  const char *handover_id, const char *subject)
{
    assert (self && action);
    //  A read outside a query (a command's reply, a reaction) has no one
    //  to account it to: a programming error.
    assert (self->open);
    if (cf_commit_store_full (self->commit)) {
        self->refused = true;
        return CF_ESTOREFULL;
    }
    const cf_api_caller_t *caller = self->caller;
    Caseflow__V1__AccessRecord record = CASEFLOW__V1__ACCESS_RECORD__INIT;
    record.at = cf_clock_now (self->clock);
    record.who = (char *) caller->actor;
    record.role = (char *) (caller->keys ? cf_role_name (caller->role) : "");
    record.on_behalf_of = (char *) caller->on_behalf_of;
    record.action = (char *) action;
    record.case_id = (char *) (case_id ? case_id : "");
    record.handover_id = (char *) (handover_id ? handover_id : "");
    record.subject = (char *) (subject ? subject : "");
    record.request_id = (char *) self->request_id;
    record.service = (char *) self->stream;
    uint8_t stack [512];
    size_t size = caseflow__v1__access_record__get_packed_size (&record);
    uint8_t *data = size <= sizeof stack ? stack : malloc (size);
    assert (data);
    caseflow__v1__access_record__pack (&record, data);
    cf_commit_store_access (self->commit, record.at, ++self->last_number, data, size);
    if (data != stack)
        free (data);
    return 0;
}

//  ------------------------------------------------------------ answering

static bool
s_is (const char *wanted, const char *value)
{
    return !*wanted || strcmp (wanted, value) == 0;
}

bool
cf_access_matches (const Caseflow__V1__AccessLogQuery *query,
                   const Caseflow__V1__AccessRecord *record)
{
    //  A reader is the key that asked or the person it asked for: an
    //  audit of a person finds their reads through the console too.
    bool by = !*query->by || strcmp (query->by, record->who) == 0
              || strcmp (query->by, record->on_behalf_of) == 0;
    return by && s_is (query->case_id, record->case_id)
           && s_is (query->handover_id, record->handover_id)
           && s_is (query->subject, record->subject) && (!query->from || record->at >= query->from)
           && (!query->to || record->at <= query->to);
}

typedef struct {
    const Caseflow__V1__AccessLogQuery *query;
    Caseflow__V1__AccessLog *log;
    size_t limit;
} s_reading_t;

static int
s_read_one (void *ctx, int64_t at, uint64_t number, const void *data, size_t size)
{
    (void) at;
    s_reading_t *reading = ctx;
    Caseflow__V1__AccessRecord *record = caseflow__v1__access_record__unpack (NULL, size, data);
    if (!record) {
        cf_log_error ("access log: record %llu cannot be decoded", (unsigned long long) number);
        return CF_ECORRUPT;
    }
    if (!cf_access_matches (reading->query, record)) {
        caseflow__v1__access_record__free_unpacked (record, NULL);
        return 0;
    }
    Caseflow__V1__AccessLog *log = reading->log;
    if (log->n_records == reading->limit) {
        caseflow__v1__access_record__free_unpacked (record, NULL);
        log->more = true;
        return 1;  //  stop: one more than fits was found
    }
    log->records [log->n_records++] = record;
    return 0;
}

//  The filters that name something must name it well.
static bool
s_check (const Caseflow__V1__AccessLogQuery *query, Caseflow__V1__Reply *reply)
{
    const char *bad = NULL, *why = NULL;
    size_t by = strlen (query->by);
    bool by_ok = by <= CF_API_MAX_REQUEST_ID;
    for (size_t i = 0; i < by && by_ok; i++)
        by_ok = query->by [i] > ' ' && query->by [i] <= '~';
    if (!cf_id_check (reply, "query.access_log.case_id", query->case_id, false)
        || !cf_id_check (reply, "query.access_log.handover_id", query->handover_id, false))
        return false;
    if (*query->subject && !cf_seal_id_valid (query->subject, 'S'))
        bad = "subject", why = "is not a subject id";
    else if (!by_ok)
        bad = "by", why = "must be a key name or a user id (1-64 printable characters, no spaces)";
    else if (query->from < 0 || query->to < 0)
        bad = query->from < 0 ? "from" : "to", why = "must not be before 1970";
    else if (query->to && query->from > query->to)
        bad = "to", why = "must not be before from";
    else if (query->limit > CF_ACCESS_MAX)
        bad = "limit", why = "must be at most 10000";
    if (!bad)
        return true;
    char field [64];
    snprintf (field, sizeof field, "query.access_log.%s", bad);
    cf_api_reply_invalid (reply, field, "%s", why);
    return false;
}

void
cf_access_answer (cf_access_t *self, const Caseflow__V1__AccessLogQuery *query,
                  Caseflow__V1__Reply *reply)
{
    if (!s_check (query, reply))
        return;
    s_reading_t reading = { .query = query,
                            .limit = query->limit ? query->limit : CF_ACCESS_DEFAULT };
    Caseflow__V1__AccessLog *log = malloc (sizeof *log);
    assert (log);
    caseflow__v1__access_log__init (log);
    log->records = calloc (reading.limit, sizeof *log->records);
    assert (log->records);
    reading.log = log;
    int rc = cf_journal_access_read (self->journal, query->from, query->to ? query->to : INT64_MAX,
                                     s_read_one, &reading);
    if (rc < 0) {
        caseflow__v1__access_log__free_unpacked (log, NULL);
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INTERNAL, "query.access_log",
                             "the access log cannot be read: %s", cf_strerror (rc));
        return;
    }
    Caseflow__V1__QueryResult *result = cf_api_reply_query (reply);
    result->body_case = CASEFLOW__V1__QUERY_RESULT__BODY_ACCESS_LOG;
    result->access_log = log;
}
