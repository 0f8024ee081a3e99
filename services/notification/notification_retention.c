//  notification_retention: the residents retention erases, and when (see
//  notification_retention.h).
//
//  The heap's invariant: after every change, its top entry is current (its
//  generation is its subject's, and the subject is due), or the heap is
//  empty. Entries below the top may be stale; they are dropped when they
//  come up. A subject gets at most one new entry per change that makes it
//  due (a closure of its last open case, a release), so stale entries are
//  bounded by those changes.
#include "notification_retention.h"

#include "cf_error.h"
#include "cf_hash.h"
#include "cf_seal.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t due_at;
    uint32_t generation;
    notification_subject_t *subject;
} s_entry_t;

struct _notification_retention_t {
    cf_retention_t rules;
    cf_hash_t *by_id;               //  id (the subject's own) -> subject
    notification_subject_t **list;  //  in the order first seen (owned)
    size_t count, cap;
    s_entry_t *heap;
    size_t heap_count, heap_cap;
};

notification_retention_t *
notification_retention_new (const cf_retention_t *rules)
{
    notification_retention_t *self = calloc (1, sizeof *self);
    assert (self);
    self->rules = *rules;
    self->by_id = cf_hash_new ();
    return self;
}

void
notification_retention_destroy (notification_retention_t **self_p)
{
    notification_retention_t *self = *self_p;
    if (!self)
        return;
    cf_hash_destroy (&self->by_id);
    for (size_t i = 0; i < self->count; i++)
        free (self->list [i]);
    free (self->list);
    free (self->heap);
    free (self);
    *self_p = NULL;
}

//  ------------------------------------------------------------------ heap

static bool
s_before (const s_entry_t *a, const s_entry_t *b)
{
    if (a->due_at != b->due_at)
        return a->due_at < b->due_at;
    return strcmp (a->subject->id, b->subject->id) < 0;
}

static void
s_push (notification_retention_t *self, s_entry_t entry)
{
    if (self->heap_count == self->heap_cap) {
        self->heap_cap = self->heap_cap ? self->heap_cap * 2 : 64;
        self->heap = realloc (self->heap, self->heap_cap * sizeof *self->heap);
        assert (self->heap);
    }
    size_t at = self->heap_count++;
    while (at > 0 && s_before (&entry, &self->heap [(at - 1) / 2])) {
        self->heap [at] = self->heap [(at - 1) / 2];
        at = (at - 1) / 2;
    }
    self->heap [at] = entry;
}

static void
s_pop (notification_retention_t *self)
{
    assert (self->heap_count);
    s_entry_t last = self->heap [--self->heap_count];
    size_t at = 0;
    while (true) {
        size_t child = 2 * at + 1;
        if (child >= self->heap_count)
            break;
        if (child + 1 < self->heap_count && s_before (&self->heap [child + 1], &self->heap [child]))
            child++;
        if (!s_before (&self->heap [child], &last))
            break;
        self->heap [at] = self->heap [child];
        at = child;
    }
    if (self->heap_count)
        self->heap [at] = last;
}

static bool
s_current (const s_entry_t *entry)
{
    return entry->generation == entry->subject->generation && entry->subject->due_at;
}

//  Keeps the invariant: a stale top leaves.
static void
s_tidy (notification_retention_t *self)
{
    while (self->heap_count && !s_current (&self->heap [0]))
        s_pop (self);
}

//  The subject's facts changed: when it is due now, in a new entry.
static void
s_reckon (notification_retention_t *self, notification_subject_t *subject)
{
    subject->generation++;
    subject->due_at = 0;
    if (subject->cases && !subject->open && subject->last_closed_at && !subject->held
        && !subject->erased && !subject->counted) {
        cf_retention_span_t span = cf_retention_span (&self->rules, subject->domains);
        if (span.keep_years) {
            subject->due_at = cf_retention_until (subject->last_closed_at, span.keep_years);
            s_push (self, (s_entry_t){ subject->due_at, subject->generation, subject });
        }
    }
    s_tidy (self);
}

//  --------------------------------------------------------------- apply

static notification_subject_t *
s_find (const notification_retention_t *self, const char *id)
{
    return id ? cf_hash_lookup (self->by_id, id) : NULL;
}

notification_subject_t *
notification_retention_registered (notification_retention_t *self, const char *id, uint32_t domains,
                                   bool open)
{
    if (!cf_seal_id_valid (id, 'S'))
        return NULL;
    notification_subject_t *subject = s_find (self, id);
    if (!subject) {
        size_t id_size = strlen (id) + 1;
        subject = calloc (1, sizeof *subject + id_size);
        assert (subject);
        subject->id = memcpy ((char *) (subject + 1), id, id_size);
        if (self->count == self->cap) {
            self->cap = self->cap ? self->cap * 2 : 256;
            self->list = realloc (self->list, self->cap * sizeof *self->list);
            assert (self->list);
        }
        self->list [self->count++] = subject;
        cf_hash_insert (self->by_id, subject->id, subject);
    }
    subject->domains |= domains;
    subject->cases++;
    if (open)
        subject->open++;
    s_reckon (self, subject);
    return subject;
}

void
notification_retention_domains (notification_retention_t *self, notification_subject_t *subject,
                                uint32_t domains)
{
    subject->domains |= domains;
    s_reckon (self, subject);
}

void
notification_retention_closed (notification_retention_t *self, notification_subject_t *subject,
                               int64_t at)
{
    if (subject->open)
        subject->open--;
    if (at > subject->last_closed_at)
        subject->last_closed_at = at;
    //  A new period: counted again.
    subject->counted = false;
    s_reckon (self, subject);
}

void
notification_retention_held (notification_retention_t *self, const char *id, bool held)
{
    notification_subject_t *subject = s_find (self, id);
    if (!subject)
        return;
    subject->held = held;
    //  A release counts again (intake let a RetentionDue pass while held).
    if (!held)
        subject->counted = false;
    s_reckon (self, subject);
}

void
notification_retention_erased (notification_retention_t *self, const char *id)
{
    notification_subject_t *subject = s_find (self, id);
    if (!subject)
        return;
    subject->erased = true;
    s_reckon (self, subject);
}

int
notification_retention_fired (notification_retention_t *self,
                              const Caseflow__V1__Notification__RetentionDue *body)
{
    notification_subject_t *subject = s_find (self, body->subject);
    char id [NOTIFICATION_RETENTION_ID_SIZE];
    if (!subject || !subject->due_at
        || strcmp (notification_retention_id (subject, id, sizeof id), body->retention_id) != 0)
        return CF_ESTATE;
    subject->fired++;
    subject->counted = true;
    s_reckon (self, subject);
    return 0;
}

//  --------------------------------------------------------------- reads

const notification_subject_t *
notification_retention_next (const notification_retention_t *self)
{
    return self->heap_count ? self->heap [0].subject : NULL;
}

const notification_subject_t *
notification_retention_subject (const notification_retention_t *self, const char *id)
{
    return s_find (self, id);
}

cf_retention_span_t
notification_retention_span (const notification_retention_t *self,
                             const notification_subject_t *subject)
{
    return cf_retention_span (&self->rules, subject->domains);
}

char *
notification_retention_id (const notification_subject_t *subject, char *buf, size_t size)
{
    snprintf (buf, size, "retention/%s/%" PRIu64, subject->id, subject->fired + 1);
    return buf;
}

size_t
notification_retention_count (const notification_retention_t *self)
{
    return self->count;
}

static int
s_compare (const void *a, const void *b)
{
    return strcmp ((*(notification_subject_t *const *) a)->id,
                   (*(notification_subject_t *const *) b)->id);
}

void
notification_retention_digest (const notification_retention_t *self, crypto_hash_sha256_state *hash)
{
    if (!self->count)
        return;
    notification_subject_t **sorted = malloc (self->count * sizeof *sorted);
    assert (sorted);
    memcpy (sorted, self->list, self->count * sizeof *sorted);
    qsort (sorted, self->count, sizeof *sorted, s_compare);
    for (size_t i = 0; i < self->count; i++) {
        const notification_subject_t *s = sorted [i];
        char line [160];
        int n = snprintf (line, sizeof line,
                          "subject %s %" PRIu32 " %" PRIu32 " %" PRIu32 " %" PRId64 " %" PRIu64
                          " %d%d%d;",
                          s->id, s->domains, s->cases, s->open, s->last_closed_at, s->fired,
                          s->held, s->erased, s->counted);
        crypto_hash_sha256_update (hash, (const unsigned char *) line, (size_t) n);
    }
    free (sorted);
}
