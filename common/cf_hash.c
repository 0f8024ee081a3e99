//  cf_hash: a hash table from text keys to pointers (see cf_hash.h).
//
//  The slots form one power-of-two array; a key's home slot is its hash
//  masked, and a key that finds its home taken goes to the next free slot
//  after it. So every key sits in the run of occupied slots that starts at
//  or before its home, and a lookup walks that run from the home until it
//  finds the key or an empty slot. Keeping the table at most three
//  quarters full keeps the runs short. A delete must not leave a hole in a
//  run (a later lookup would stop there): the slots after it that may
//  move back, because their home is not between the hole and them, are
//  shifted into it one by one.
#include "cf_hash.h"

#include "cf_error.h"
#include "cf_memory.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define S_MIN_CAPACITY 16

typedef struct {
    uint64_t hash;
    const char *key;  //  NULL: the slot is free
    void *value;
} s_slot_t;

struct _cf_hash_t {
    s_slot_t *slots;
    size_t capacity;  //  0 or a power of two
    size_t size;
    size_t cursor;  //  iteration: the slot after the last one given
    cf_hash_free_fn *destructor;
};

static uint64_t s_seed = 0x243f6a8885a308d3;
static pthread_once_t s_seed_once = PTHREAD_ONCE_INIT;

static void
s_seed_init (void)
{
    uint64_t seed;
    //  Without randomness the fixed seed above still works, only predictably.
    if (getrandom (&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t) sizeof seed)
        s_seed = seed;
}

//  A 64-bit hash of `key`: eight bytes at a time folded in by multiplying,
//  then the bits mixed so that the low ones (the home slot) depend on all.
static uint64_t
s_hash (const char *key)
{
    size_t len = strlen (key);
    uint64_t hash = s_seed ^ (len * 0x9e3779b97f4a7c15);
    const unsigned char *bytes = (const unsigned char *) key;
    for (; len >= 8; bytes += 8, len -= 8) {
        uint64_t word;
        memcpy (&word, bytes, 8);
        hash = (hash ^ word) * 0x9fb21c651e98df25;
        hash ^= hash >> 29;
    }
    uint64_t tail = 0;
    memcpy (&tail, bytes, len);
    hash = (hash ^ tail) * 0x9fb21c651e98df25;
    hash ^= hash >> 32;
    hash *= 0xd6e8feb86659fd93;
    hash ^= hash >> 32;
    return hash;
}

//  The slot holding `key`, or the free slot where it would go.
static size_t
s_find (const cf_hash_t *self, const char *key, uint64_t hash)
{
    size_t mask = self->capacity - 1;
    size_t index = (size_t) hash & mask;
    while (self->slots [index].key) {
        const s_slot_t *slot = &self->slots [index];
        if (slot->hash == hash && strcmp (slot->key, key) == 0)
            break;
        index = (index + 1) & mask;
    }
    return index;
}

static void
s_grow (cf_hash_t *self)
{
    size_t capacity = self->capacity ? self->capacity * 2 : S_MIN_CAPACITY;
    //  A big table gets huge pages: its slots are touched at random.
    s_slot_t *slots = cf_memory_zalloc (capacity * sizeof *slots);
    size_t mask = capacity - 1;
    for (size_t i = 0; i < self->capacity; i++) {
        const s_slot_t *slot = &self->slots [i];
        if (!slot->key)
            continue;
        size_t index = (size_t) slot->hash & mask;
        while (slots [index].key)
            index = (index + 1) & mask;
        slots [index] = *slot;
    }
    cf_memory_free (self->slots, self->capacity * sizeof *self->slots);
    self->slots = slots;
    self->capacity = capacity;
}

cf_hash_t *
cf_hash_new (void)
{
    pthread_once (&s_seed_once, s_seed_init);
    cf_hash_t *self = calloc (1, sizeof *self);
    assert (self);
    return self;
}

void
cf_hash_destroy (cf_hash_t **self_p)
{
    assert (self_p);
    cf_hash_t *self = *self_p;
    if (!self)
        return;
    if (self->destructor)
        for (size_t i = 0; i < self->capacity; i++)
            if (self->slots [i].key)
                self->destructor (self->slots [i].value);
    cf_memory_free (self->slots, self->capacity * sizeof *self->slots);
    free (self);
    *self_p = NULL;
}

void
cf_hash_set_destructor (cf_hash_t *self, cf_hash_free_fn *destructor)
{
    assert (self);
    self->destructor = destructor;
}

//  The slot for `key`, made ready to take it if it is not there (the
//  table grown first if it would be more than three quarters full).
static s_slot_t *
s_slot_for_insert (cf_hash_t *self, const char *key, uint64_t hash)
{
    if ((self->size + 1) * 4 > self->capacity * 3)
        s_grow (self);
    return &self->slots [s_find (self, key, hash)];
}

int
cf_hash_insert (cf_hash_t *self, const char *key, void *value)
{
    assert (self);
    assert (key);
    assert (value);
    uint64_t hash = s_hash (key);
    s_slot_t *slot = s_slot_for_insert (self, key, hash);
    if (slot->key)
        return CF_EEXIST;
    *slot = (s_slot_t){ .hash = hash, .key = key, .value = value };
    self->size++;
    return 0;
}

void
cf_hash_update (cf_hash_t *self, const char *key, void *value)
{
    assert (self);
    assert (key);
    assert (value);
    uint64_t hash = s_hash (key);
    s_slot_t *slot = s_slot_for_insert (self, key, hash);
    void *old = slot->key ? slot->value : NULL;
    if (!slot->key)
        self->size++;
    *slot = (s_slot_t){ .hash = hash, .key = key, .value = value };
    if (old && old != value && self->destructor)
        self->destructor (old);
}

void *
cf_hash_lookup (const cf_hash_t *self, const char *key)
{
    assert (self);
    assert (key);
    if (self->size == 0)
        return NULL;
    const s_slot_t *slot = &self->slots [s_find (self, key, s_hash (key))];
    return slot->key ? slot->value : NULL;
}

void
cf_hash_prefetch (const cf_hash_t *self, const char *key)
{
    assert (self);
    assert (key);
    if (self->size)
        __builtin_prefetch (&self->slots [(size_t) s_hash (key) & (self->capacity - 1)]);
}

int
cf_hash_delete (cf_hash_t *self, const char *key)
{
    assert (self);
    assert (key);
    if (self->size == 0)
        return CF_ENOTFOUND;
    size_t hole = s_find (self, key, s_hash (key));
    if (!self->slots [hole].key)
        return CF_ENOTFOUND;
    void *value = self->slots [hole].value;
    size_t mask = self->capacity - 1;
    //  Close the hole: a slot further on moves back into it unless its home
    //  lies cyclically after the hole and at or before the slot itself.
    for (size_t next = (hole + 1) & mask; self->slots [next].key; next = (next + 1) & mask) {
        size_t home = (size_t) self->slots [next].hash & mask;
        bool stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
        if (stays)
            continue;
        self->slots [hole] = self->slots [next];
        hole = next;
    }
    self->slots [hole].key = NULL;
    self->slots [hole].value = NULL;
    self->size--;
    if (self->destructor)
        self->destructor (value);
    return 0;
}

void
cf_hash_clear (cf_hash_t *self)
{
    assert (self);
    if (self->size == 0)
        return;
    if (self->destructor)
        for (size_t i = 0; i < self->capacity; i++)
            if (self->slots [i].key)
                self->destructor (self->slots [i].value);
    memset (self->slots, 0, self->capacity * sizeof *self->slots);
    self->size = 0;
}

size_t
cf_hash_size (const cf_hash_t *self)
{
    assert (self);
    return self->size;
}

void *
cf_hash_first (cf_hash_t *self)
{
    assert (self);
    self->cursor = 0;
    return cf_hash_next (self);
}

void *
cf_hash_next (cf_hash_t *self)
{
    assert (self);
    while (self->cursor < self->capacity) {
        const s_slot_t *slot = &self->slots [self->cursor++];
        if (slot->key)
            return slot->value;
    }
    return NULL;
}
