//  intake_index: open cases by a text key (see intake_index.h).
//
//  A table value is either the one case under its key (keyed by the case's
//  own string) or, with the low bit set, a bucket (keyed by the bucket's
//  copy). Records come from malloc, so their low bit is always free.
#include "intake_index.h"

#include "cf_hash.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_BUCKET ((uintptr_t) 1)

//  The cases of a key that more than one open case has, oldest first.
typedef struct {
    size_t count, cap;
    intake_case_t **cases;
    char key [];
} s_bucket_t;

struct _intake_index_t {
    cf_hash_t *table;       //  key -> intake_case_t *, or s_bucket_t * | S_BUCKET
    intake_case_t *single;  //  what intake_index_get hands out for a one-case key
};

static bool
s_is_bucket (const void *value)
{
    return ((uintptr_t) value & S_BUCKET) != 0;
}

static s_bucket_t *
s_bucket (void *value)
{
    return (s_bucket_t *) ((uintptr_t) value & ~S_BUCKET);
}

//  Cases belong to the state; buckets to the index.
static void
s_value_free (void *value)
{
    if (s_is_bucket (value)) {
        s_bucket_t *bucket = s_bucket (value);
        free (bucket->cases);
        free (bucket);
    }
}

intake_index_t *
intake_index_new (void)
{
    intake_index_t *self = calloc (1, sizeof *self);
    assert (self);
    self->table = cf_hash_new ();
    cf_hash_set_destructor (self->table, s_value_free);
    return self;
}

void
intake_index_destroy (intake_index_t **self_p)
{
    assert (self_p);
    intake_index_t *self = *self_p;
    if (!self)
        return;
    cf_hash_destroy (&self->table);
    free (self);
    *self_p = NULL;
}

//  Turns the one-case entry of `key` into a bucket holding that case.
static s_bucket_t *
s_bucket_new (intake_index_t *self, const char *key, intake_case_t *first)
{
    size_t size = strlen (key) + 1;
    s_bucket_t *bucket = malloc (sizeof *bucket + size);
    assert (bucket);
    bucket->count = 1;
    bucket->cap = 4;
    bucket->cases = malloc (bucket->cap * sizeof *bucket->cases);
    assert (bucket->cases);
    bucket->cases [0] = first;
    memcpy (bucket->key, key, size);
    //  From now on the table borrows the bucket's key, not the case's.
    cf_hash_update (self->table, bucket->key, (void *) ((uintptr_t) bucket | S_BUCKET));
    return bucket;
}

void
intake_index_add (intake_index_t *self, const char *key, intake_case_t *kase)
{
    assert (self);
    assert (key);
    assert (((uintptr_t) kase & S_BUCKET) == 0);
    if (!*key)
        return;
    void *value = cf_hash_lookup (self->table, key);
    if (!value) {
        cf_hash_insert (self->table, key, kase);
        return;
    }
    if (value == kase)
        return;
    s_bucket_t *bucket = s_is_bucket (value) ? s_bucket (value) : s_bucket_new (self, key, value);
    for (size_t i = 0; i < bucket->count; i++)
        if (bucket->cases [i] == kase)
            return;
    if (bucket->count == bucket->cap) {
        bucket->cap *= 2;
        bucket->cases = realloc (bucket->cases, bucket->cap * sizeof *bucket->cases);
        assert (bucket->cases);
    }
    //  Oldest first: a case may join late (a BSN learnt from a later
    //  registration).
    size_t at = bucket->count;
    while (at > 0 && bucket->cases [at - 1]->number > kase->number) {
        bucket->cases [at] = bucket->cases [at - 1];
        at--;
    }
    bucket->cases [at] = kase;
    bucket->count++;
}

void
intake_index_remove (intake_index_t *self, const char *key, const intake_case_t *kase)
{
    assert (self);
    assert (key);
    if (!*key)
        return;
    void *value = cf_hash_lookup (self->table, key);
    if (!value)
        return;
    if (!s_is_bucket (value)) {
        if (value == kase)
            cf_hash_delete (self->table, key);
        return;
    }
    s_bucket_t *bucket = s_bucket (value);
    for (size_t i = 0; i < bucket->count; i++)
        if (bucket->cases [i] == kase) {
            memmove (bucket->cases + i, bucket->cases + i + 1,
                     (bucket->count - i - 1) * sizeof *bucket->cases);
            bucket->count--;
            break;
        }
    if (bucket->count == 0)
        cf_hash_delete (self->table, key);
}

void
intake_index_prefetch (const intake_index_t *self, const char *key)
{
    assert (self);
    assert (key);
    if (*key)
        cf_hash_prefetch (self->table, key);
}

size_t
intake_index_get (intake_index_t *self, const char *key, intake_case_t *const **cases_p)
{
    assert (self);
    assert (key);
    assert (cases_p);
    void *value = *key ? cf_hash_lookup (self->table, key) : NULL;
    if (!value)
        return 0;
    if (s_is_bucket (value)) {
        s_bucket_t *bucket = s_bucket (value);
        *cases_p = bucket->cases;
        return bucket->count;
    }
    self->single = value;
    *cases_p = &self->single;
    return 1;
}
