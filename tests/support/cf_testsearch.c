//  cf_testsearch: personal values in bytes, files and trees (see
//  cf_testsearch.h). The needles are kept lower case; the bytes searched
//  are lower-cased into a copy first, so one memmem per needle does.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_testsearch.h"

#include "cf_test.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct _cf_testsearch_t {
    char **needles;
    size_t count, cap;
};

cf_testsearch_t *
cf_testsearch_new (void)
{
    cf_testsearch_t *self = calloc (1, sizeof *self);
    assert (self);
    return self;
}

void
cf_testsearch_destroy (cf_testsearch_t **self_p)
{
    cf_testsearch_t *self = *self_p;
    if (!self)
        return;
    for (size_t i = 0; i < self->count; i++)
        free (self->needles [i]);
    free (self->needles);
    free (self);
    *self_p = NULL;
}

//  Adds `len` bytes of `text`, lower case, unless already there.
static void
s_needle (cf_testsearch_t *self, const char *text, size_t len)
{
    char *lower = strndup (text, len);
    assert (lower);
    for (char *c = lower; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    for (size_t i = 0; i < self->count; i++)
        if (strcmp (self->needles [i], lower) == 0) {
            free (lower);
            return;
        }
    if (self->count == self->cap) {
        self->cap = self->cap ? self->cap * 2 : 32;
        self->needles = realloc (self->needles, self->cap * sizeof *self->needles);
        assert (self->needles);
    }
    self->needles [self->count++] = lower;
}

void
cf_testsearch_add (cf_testsearch_t *self, const char *value)
{
    assert (value && *value);
    s_needle (self, value, strlen (value));
    const char *word = value;
    for (const char *c = value;; c++)
        if (*c == ' ' || *c == '-' || *c == 0) {
            if (c - word >= 5)
                s_needle (self, word, (size_t) (c - word));
            if (*c == 0)
                break;
            word = c + 1;
        }
    char digits [64];
    size_t count = 0, others = 0;
    for (const char *c = value; *c; c++)
        if (isdigit ((unsigned char) *c) && count < sizeof digits - 1)
            digits [count++] = *c;
        else
            others++;
    if (count >= 6 && others > 0)
        s_needle (self, digits, count);
}

size_t
cf_testsearch_size (const cf_testsearch_t *self)
{
    return self->count;
}

//  A lower-case copy of `size` bytes (free with free).
static char *
s_lower (const char *bytes, size_t size)
{
    char *lower = malloc (size + 1);
    assert (lower);
    for (size_t i = 0; i < size; i++)
        lower [i] = (char) tolower ((unsigned char) bytes [i]);
    lower [size] = 0;
    return lower;
}

const char *
cf_testsearch_find (const cf_testsearch_t *self, const char *bytes, size_t size, size_t *at_p)
{
    char *lower = s_lower (bytes, size);
    const char *found = NULL;
    for (size_t i = 0; i < self->count && !found; i++) {
        const char *hit = memmem (lower, size, self->needles [i], strlen (self->needles [i]));
        if (hit) {
            found = self->needles [i];
            *at_p = (size_t) (hit - lower);
        }
    }
    free (lower);
    return found;
}

size_t
cf_testsearch_count (const cf_testsearch_t *self, const char *what, const char *bytes, size_t size,
                     cf_testsearch_tally_t *tally)
{
    char *lower = s_lower (bytes, size);
    size_t hits = 0;
    for (size_t i = 0; i < self->count; i++) {
        size_t len = strlen (self->needles [i]);
        const char *from = lower;
        const char *hit;
        while ((hit = memmem (from, size - (size_t) (from - lower), self->needles [i], len))) {
            fprintf (stderr, "found \"%s\" in %s at byte %zu\n", self->needles [i], what,
                     (size_t) (hit - lower));
            hits++;
            from = hit + len;
        }
    }
    free (lower);
    tally->hits += hits;
    return hits;
}

void
cf_testsearch_tree (const cf_testsearch_t *self, const char *path, cf_testsearch_tally_t *tally)
{
    struct stat info;
    if (lstat (path, &info) != 0)
        fail_msg ("cannot stat %s", path);
    if (S_ISDIR (info.st_mode)) {
        DIR *dir = opendir (path);
        if (!dir)
            fail_msg ("cannot open the directory %s", path);
        struct dirent *entry;
        while ((entry = readdir (dir))) {
            if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
                continue;
            size_t len = strlen (path) + strlen (entry->d_name) + 2;
            char *child = malloc (len);
            assert (child);
            snprintf (child, len, "%s/%s", path, entry->d_name);
            cf_testsearch_tree (self, child, tally);
            free (child);
        }
        closedir (dir);
        return;
    }
    if (!S_ISREG (info.st_mode))
        return;
    size_t size = 0;
    char *bytes = cf_test_read_file (path, &size);
    if (!bytes)
        fail_msg ("cannot read %s", path);
    tally->files++;
    tally->bytes += size;
    cf_testsearch_count (self, path, bytes, size, tally);
    free (bytes);
}
