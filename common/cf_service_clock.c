//  cf_service_clock: a service's clock as its store remembers it (see
//  cf_service_clock.h).
//
//  Why refuse rather than carry on: a manual store opened under the system
//  clock would stamp its next events years away from the last ones (and a
//  system store under a manual clock would stamp them in the past), and a
//  clock that reads earlier than the last event makes time run backwards
//  in the journal. Either breaks every figure computed over time (waits,
//  callbacks on time, reminders), silently. The operator who means it says
//  so with --clock-force.
#include "cf_service_clock.h"

#include "cf_api.h"
#include "cf_error.h"
#include "cf_log.h"

#include "caseflow/v1/event.pb-c.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  What the store says about time.
typedef struct {
    const char *kind;  //  "system", "manual" or NULL (not recorded, not known)
    bool has_reading;  //  the manual clock's stored reading
    int64_t reading;
    bool has_events;  //  anything journaled, own or consumed
    uint64_t last_seq;
    int64_t last_at;  //  the last own event's time (when last_seq > 0)
} s_store_time_t;

static int
s_note_time (void *ctx, uint64_t position, const void *data, size_t size)
{
    (void) position;
    Caseflow__V1__Event *event = caseflow__v1__event__unpack (NULL, size, data);
    if (!event) {
        cf_log_error ("the store's last own event does not decode");
        return CF_ECORRUPT;
    }
    *(int64_t *) ctx = event->occurred_at;
    caseflow__v1__event__free_unpacked (event, NULL);
    return 0;
}

static int
s_read_store (cf_journal_t *journal, s_store_time_t *store)
{
    memset (store, 0, sizeof *store);
    void *value = NULL;
    size_t size = 0;
    int rc = cf_journal_meta_get (journal, NULL, CF_SERVICE_CLOCK_KIND, &value, &size);
    if (rc == 0) {
        //  Anything else is a kind this build does not write: not known.
        if (strcmp (value, "manual") == 0)
            store->kind = "manual";
        else if (strcmp (value, "system") == 0)
            store->kind = "system";
        free (value);
    } else if (rc != CF_ENOTFOUND)
        return rc;
    rc = cf_journal_meta_get (journal, NULL, CF_SERVICE_CLOCK_READING, &value, &size);
    if (rc == 0) {
        char *end = NULL;
        long long reading = strtoll (value, &end, 10);
        store->has_reading = end != value && *end == 0;
        store->reading = reading;
        free (value);
        if (!store->has_reading) {
            cf_log_error ("the store's clock reading in meta is not a number");
            return CF_ECORRUPT;
        }
    } else if (rc != CF_ENOTFOUND)
        return rc;
    //  A store written before the kind was recorded kept a reading only
    //  under the manual clock.
    if (!store->kind && store->has_reading)
        store->kind = "manual";
    store->has_events = cf_journal_last_position (journal, NULL) > 0;
    store->last_seq = cf_journal_last_seq (journal, NULL);
    if (store->last_seq)
        return cf_journal_read_produced (journal, NULL, store->last_seq, store->last_seq, 1, 0,
                                         s_note_time, &store->last_at);
    return 0;
}

//  Records the kind, and the manual clock's reading when it has one of its
//  own, unless the store says so already.
static int
s_record (cf_journal_t *journal, const s_store_time_t *store, const char *kind, cf_clock_t *clock)
{
    bool kind_new = !store->kind || strcmp (store->kind, kind) != 0;
    bool reading_new = cf_clock_is_manual (clock) && !cf_clock_is_provisional (clock)
                       && (!store->has_reading || store->reading != cf_clock_now (clock));
    if (!kind_new && !reading_new)
        return 0;
    MDB_txn *txn;
    int rc = cf_journal_begin (journal, &txn);
    if (rc)
        return rc;
    if (kind_new)
        rc = cf_journal_meta_put (journal, txn, CF_SERVICE_CLOCK_KIND, kind, strlen (kind));
    if (rc == 0 && reading_new) {
        char text [24];
        size_t size = cf_service_clock_text (cf_clock_now (clock), text, sizeof text);
        rc = cf_journal_meta_put (journal, txn, CF_SERVICE_CLOCK_READING, text, size);
    }
    if (rc) {
        cf_journal_abort (journal, txn);
        return rc;
    }
    return cf_journal_commit (journal, txn);
}

//  The manual clock from what the store and the flags say (see the header).
static cf_clock_t *
s_manual_clock (const s_store_time_t *store, const cf_service_clock_config_t *config)
{
    if (store->has_reading) {
        int64_t reading = store->reading;
        if (config->has_start && (config->start > reading || config->force))
            reading = config->start;
        return cf_clock_new_manual (reading);
    }
    if (config->has_start)
        return cf_clock_new_manual (config->start);
    if (store->last_seq)
        return cf_clock_new_manual (store->last_at);
    return cf_clock_new_provisional (cf_time_system_now ());
}

int
cf_service_clock_open (cf_journal_t *journal, const char *service,
                       const cf_service_clock_config_t *config, FILE *err, cf_clock_t **clock_p)
{
    assert (journal && service && config && err && clock_p);
    *clock_p = NULL;
    s_store_time_t store;
    int rc = s_read_store (journal, &store);
    if (rc)
        return rc;
    const char *kind = config->manual ? "manual" : "system";
    if (store.has_events && store.kind && strcmp (store.kind, kind) != 0 && !config->force) {
        fprintf (err,
                 "caseflow-%s: --clock (CASEFLOW_CLOCK): the store was written under the %s "
                 "clock, not the %s clock; start with --clock=%s, or add --clock-force "
                 "(CASEFLOW_CLOCK_FORCE) to go on under the %s clock\n",
                 service, store.kind, kind, store.kind, kind);
        return CF_EMISMATCH;
    }
    cf_clock_t *clock = config->manual ? s_manual_clock (&store, config) : cf_clock_new_system ();
    int64_t now = cf_clock_now (clock);
    if (store.last_seq && store.last_at > now && !config->force) {
        char last [40], reading [40];
        cf_time_format_local (store.last_at, last, sizeof last);
        cf_time_format_local (now, reading, sizeof reading);
        fprintf (err,
                 "caseflow-%s: the store's last event (seq %llu) is at %s, later than the %s "
                 "clock's reading %s%s; time would run backwards in the journal. Add "
                 "--clock-force (CASEFLOW_CLOCK_FORCE) to start anyway\n",
                 service, (unsigned long long) store.last_seq, last, kind, reading,
                 config->manual ? " (--clock-start, CASEFLOW_CLOCK_START, may start it later)"
                                : "");
        cf_clock_destroy (&clock);
        return CF_EMISMATCH;
    }
    if (store.has_events && store.kind && strcmp (store.kind, kind) != 0)
        cf_log_warn ("--clock-force: the store was written under the %s clock; it goes on "
                     "under the %s clock",
                     store.kind, kind);
    if (store.last_seq && store.last_at > now)
        cf_log_warn ("--clock-force: the clock reads earlier than the store's last event "
                     "(seq %llu); the next events are stamped before it",
                     (unsigned long long) store.last_seq);
    if (config->manual && config->has_start && store.has_reading && config->start < store.reading
        && !config->force)
        cf_log_info ("--clock-start is before the stored reading of the manual clock, which "
                     "stays where it was");
    if ((rc = s_record (journal, &store, kind, clock))) {
        cf_clock_destroy (&clock);
        return rc;
    }
    *clock_p = clock;
    return 0;
}

size_t
cf_service_clock_text (int64_t reading, char *text, size_t size)
{
    int len = snprintf (text, size, "%lld", (long long) reading);
    assert (len > 0 && (size_t) len < size);
    return (size_t) len;
}

bool
cf_service_clock_command (cf_clock_t *clock, const Caseflow__V1__Command *command,
                          Caseflow__V1__Reply *reply)
{
    int rc;
    const char *field;
    if (command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_SET) {
        field = "command.clock_set.at";
        rc = cf_clock_set (clock, command->clock_set->at);
    } else {
        assert (command->body_case == CASEFLOW__V1__COMMAND__BODY_CLOCK_ADVANCE);
        field = "command.clock_advance.micros";
        rc = cf_clock_advance (clock, command->clock_advance->micros);
    }
    if (rc == CF_ESTATE)
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__FAILED_PRECONDITION, "command",
                             "the clock is the system clock; start with --clock=manual");
    else if (rc) {
        char now [40];
        cf_api_reply_status (reply, CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT, field,
                             "the manual clock only moves forward (it reads %s)",
                             cf_time_format_local (cf_clock_now (clock), now, sizeof now));
    }
    return rc == 0;
}

Caseflow__V1__ClockState *
cf_service_clock_state (cf_clock_t *clock)
{
    Caseflow__V1__ClockState *state = malloc (sizeof *state);
    assert (state);
    caseflow__v1__clock_state__init (state);
    state->now = cf_clock_now (clock);
    state->mode = cf_strdup (cf_clock_is_manual (clock) ? "manual" : "system");
    return state;
}
