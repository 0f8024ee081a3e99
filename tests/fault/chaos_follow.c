//  chaos_follow: consumers that follow a service's stream through the
//  whole chaos run, the way any outside consumer does (a cf_bus_subscriber:
//  live events on SUB, gaps and restarts filled through replay).
//
//  Each runs in a thread of its own and keeps what the generator acts on
//  (reminders that fell due, assignment facts) as facts in arrival order,
//  plus how often each reminder id was delivered, so the check can tell a
//  reminder delivered twice from one delivered once.
#include "chaos.h"

#include "cf_bus_subscriber.h"
#include "cf_testactor.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct _chaos_follower_t {
    pthread_mutex_t lock;
    char stream [32], events [64], api [64];
    chaos_fact_t *facts;
    size_t count, cap;
    zhashx_t *reminders;  //  reminder id -> deliveries (as a pointer-sized count)
    uint64_t last_seq;
    uint64_t out_of_order;
    uint64_t delivered;
    zactor_t *actor;
};

static void
s_keep (chaos_follower_t *self, const chaos_fact_t *fact)
{
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 1024;
        self->facts = realloc (self->facts, self->cap * sizeof *self->facts);
        assert (self->facts);
    }
    self->facts [self->count++] = *fact;
}

static void
s_copy (char *out, size_t size, const char *text)
{
    snprintf (out, size, "%s", text ? text : "");
}

//  What the generator needs of one event; false for events it ignores.
static bool
s_fact_of (const Caseflow__V1__Event *event, chaos_fact_t *fact)
{
    memset (fact, 0, sizeof *fact);
    fact->seq = event->seq;
    fact->body = event->body_case;
    switch (event->body_case) {
        case CASEFLOW__V1__EVENT__BODY_REMINDER_DUE: {
            const Caseflow__V1__Notification__Reminder *reminder = event->reminder_due->reminder;
            if (!reminder)
                return false;
            s_copy (fact->reminder_id, sizeof fact->reminder_id, reminder->reminder_id);
            s_copy (fact->case_id, sizeof fact->case_id, reminder->case_id);
            fact->kind = reminder->kind;
            fact->due_at = reminder->due_at;
            return true;
        }
        case CASEFLOW__V1__EVENT__BODY_CASE_ASSIGNED:
            s_copy (fact->case_id, sizeof fact->case_id, event->case_assigned->case_id);
            s_copy (fact->worker_id, sizeof fact->worker_id, event->case_assigned->worker_id);
            return true;
        case CASEFLOW__V1__EVENT__BODY_CASE_UNASSIGNED:
            s_copy (fact->case_id, sizeof fact->case_id, event->case_unassigned->case_id);
            return true;
        default: return false;
    }
}

static int
s_deliver (void *ctx, cf_bus_subscriber_t *subscriber, const Caseflow__V1__Event *event,
           const void *data, size_t size)
{
    (void) subscriber;
    (void) data;
    (void) size;
    chaos_follower_t *self = ctx;
    chaos_fact_t fact;
    bool keep = s_fact_of (event, &fact);
    pthread_mutex_lock (&self->lock);
    if (event->seq != self->last_seq + 1)
        self->out_of_order++;
    self->last_seq = event->seq;
    self->delivered++;
    if (keep)
        s_keep (self, &fact);
    if (keep && fact.body == CASEFLOW__V1__EVENT__BODY_REMINDER_DUE) {
        uintptr_t times = (uintptr_t) zhashx_lookup (self->reminders, fact.reminder_id);
        zhashx_update (self->reminders, fact.reminder_id, (void *) (times + 1));
    }
    pthread_mutex_unlock (&self->lock);
    return 0;
}

static void
s_actor (zsock_t *pipe, void *args)
{
    chaos_follower_t *self = args;
    cf_testactor_follow (
        pipe, cf_bus_subscriber_new (self->stream, self->events, self->api, 0, s_deliver, self));
}

chaos_follower_t *
chaos_follower_new (chaos_procs_t *procs, int service)
{
    chaos_follower_t *self = calloc (1, sizeof *self);
    assert (self);
    pthread_mutex_init (&self->lock, NULL);
    snprintf (self->stream, sizeof self->stream, "%s", chaos_service_name (service));
    snprintf (self->events, sizeof self->events, "%s", procs->proc [service].events);
    snprintf (self->api, sizeof self->api, "%s", procs->proc [service].api);
    self->reminders = zhashx_new ();
    assert (self->reminders);
    self->actor = zactor_new (s_actor, self);
    assert (self->actor);
    return self;
}

void
chaos_follower_destroy (chaos_follower_t **self_p)
{
    chaos_follower_t *self = *self_p;
    if (!self)
        return;
    zactor_destroy (&self->actor);
    zhashx_destroy (&self->reminders);
    free (self->facts);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

size_t
chaos_follower_facts (chaos_follower_t *self, size_t from, chaos_fact_t *out, size_t max)
{
    pthread_mutex_lock (&self->lock);
    size_t count = 0;
    for (size_t i = from; i < self->count && count < max; i++)
        out [count++] = self->facts [i];
    pthread_mutex_unlock (&self->lock);
    return count;
}

static uint64_t
s_read (chaos_follower_t *self, const uint64_t *field)
{
    pthread_mutex_lock (&self->lock);
    uint64_t value = *field;
    pthread_mutex_unlock (&self->lock);
    return value;
}

uint64_t
chaos_follower_last_seq (chaos_follower_t *self)
{
    return s_read (self, &self->last_seq);
}

uint64_t
chaos_follower_out_of_order (chaos_follower_t *self)
{
    return s_read (self, &self->out_of_order);
}

uint64_t
chaos_follower_delivered (chaos_follower_t *self)
{
    return s_read (self, &self->delivered);
}

size_t
chaos_follower_times (chaos_follower_t *self, const char *reminder_id)
{
    pthread_mutex_lock (&self->lock);
    size_t times = (size_t) (uintptr_t) zhashx_lookup (self->reminders, reminder_id);
    pthread_mutex_unlock (&self->lock);
    return times;
}

zlistx_t *
chaos_follower_reminder_ids (chaos_follower_t *self)
{
    zlistx_t *ids = zlistx_new ();
    assert (ids);
    zlistx_set_duplicator (ids, chaos_string_dup);
    zlistx_set_destructor (ids, chaos_item_free);
    pthread_mutex_lock (&self->lock);
    for (void *item = zhashx_first (self->reminders); item; item = zhashx_next (self->reminders))
        zlistx_add_end (ids, (void *) zhashx_cursor (self->reminders));
    pthread_mutex_unlock (&self->lock);
    return ids;
}
