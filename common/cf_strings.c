//  cf_strings: a pool of interned text (see cf_strings.h).
//
//  The copies are laid out one after another in blocks that are never
//  moved (a string longer than a block gets a block of its own), and a
//  cf_hash keyed by the copies finds them again.
#include "cf_strings.h"

#include "cf_hash.h"

#include <assert.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define S_BLOCK_SIZE (64 * 1024)

typedef struct s_block_t {
    struct s_block_t *next;
    size_t used, size;
    char text [];
} s_block_t;

struct _cf_strings_t {
    cf_hash_t *table;   //  text -> the pool's copy (key and value alike)
    s_block_t *blocks;  //  the one being filled first
};

cf_strings_t *
cf_strings_new (void)
{
    cf_strings_t *self = calloc (1, sizeof *self);
    assert (self);
    self->table = cf_hash_new ();
    return self;
}

void
cf_strings_destroy (cf_strings_t **self_p)
{
    assert (self_p);
    cf_strings_t *self = *self_p;
    if (!self)
        return;
    cf_hash_destroy (&self->table);
    while (self->blocks) {
        s_block_t *next = self->blocks->next;
        free (self->blocks);
        self->blocks = next;
    }
    free (self);
    *self_p = NULL;
}

//  Room for `size` bytes, from the current block or a new one.
static char *
s_room (cf_strings_t *self, size_t size)
{
    s_block_t *block = self->blocks;
    if (!block || block->size - block->used < size) {
        size_t capacity = size > S_BLOCK_SIZE ? size : S_BLOCK_SIZE;
        s_block_t *fresh = malloc (sizeof *fresh + capacity);
        assert (fresh);
        fresh->used = 0;
        fresh->size = capacity;
        //  An oversized string's block goes behind the current one, which
        //  still has room for the next small strings.
        if (block && size > S_BLOCK_SIZE) {
            fresh->next = block->next;
            block->next = fresh;
        } else {
            fresh->next = block;
            self->blocks = fresh;
        }
        block = fresh;
    }
    char *at = block->text + block->used;
    block->used += size;
    return at;
}

const char *
cf_strings_intern (cf_strings_t *self, const char *text)
{
    assert (self);
    if (!text)
        text = "";
    const char *known = cf_hash_lookup (self->table, text);
    if (known)
        return known;
    size_t size = strlen (text) + 1;
    char *copy = s_room (self, size);
    memcpy (copy, text, size);
    cf_hash_insert (self->table, copy, copy);
    return copy;
}

char *
cf_strings_u64 (char room [CF_STRINGS_U64_SIZE], uint64_t value)
{
    char digits [CF_STRINGS_U64_SIZE];
    size_t count = 0;
    do {
        digits [count++] = (char) ('0' + value % 10);
        value /= 10;
    } while (value);
    for (size_t i = 0; i < count; i++)
        room [i] = digits [count - 1 - i];
    room [count] = 0;
    return room;
}

char *
cf_strings_concat (char *buf, size_t size, const char *first, ...)
{
    assert (buf && size);
    size_t len = 0;
    va_list parts;
    va_start (parts, first);
    for (const char *part = first; part; part = va_arg (parts, const char *)) {
        size_t part_len = strlen (part);
        if (part_len > size - 1 - len)
            part_len = size - 1 - len;
        memcpy (buf + len, part, part_len);
        len += part_len;
    }
    va_end (parts);
    buf [len] = 0;
    return buf;
}
