//  cf_testsearch: looks for personal values where none may be: in bytes
//  (a log, a topic, a wire capture), in a file and in every file of a
//  directory tree (journals, key stores, backups).
//
//  A value is looked for without regard to case, whole, word by word
//  (its words of five characters or more, split at spaces and hyphens),
//  and, when it is a number written with separators (a BSN with dots, a
//  phone number with spaces, a date), also as its bare digits. The bytes
//  searched may be binary (an LMDB file); they are compared as they are,
//  lower-cased.
#ifndef CF_TESTSEARCH_H
#define CF_TESTSEARCH_H

#include <stddef.h>

typedef struct _cf_testsearch_t cf_testsearch_t;

//  What a search of files went through, and what it found.
typedef struct {
    size_t files;  //  regular files read
    size_t bytes;  //  their bytes
    size_t hits;   //  occurrences of a needle (every needle, every place)
} cf_testsearch_tally_t;

//  An empty search (finds nothing). Never NULL (asserted).
cf_testsearch_t *
cf_testsearch_new (void);

//  Frees the search; nulls *self_p. Safe on NULL.
void
cf_testsearch_destroy (cf_testsearch_t **self_p);

//  Adds `value` (copied) to what the search looks for, as described above.
void
cf_testsearch_add (cf_testsearch_t *self, const char *value);

//  The number of needles `value`s became.
size_t
cf_testsearch_size (const cf_testsearch_t *self);

//  The first needle (in the order added) found in `bytes` (`size` of
//  them), lower case, or NULL; *at_p is where it starts. Borrowed.
const char *
cf_testsearch_find (const cf_testsearch_t *self, const char *bytes, size_t size, size_t *at_p);

//  Counts every occurrence of every needle in `bytes` into tally->hits
//  and names each on stderr with `what` (a file's path). Returns the
//  occurrences found here.
size_t
cf_testsearch_count (const cf_testsearch_t *self, const char *what, const char *bytes, size_t size,
                     cf_testsearch_tally_t *tally);

//  Reads every regular file under `path` (a file or a directory, walked
//  without following symbolic links) and counts into `tally` the files,
//  their bytes and the needles' occurrences (each named on stderr). A
//  file that cannot be read is a cmocka failure naming it.
void
cf_testsearch_tree (const cf_testsearch_t *self, const char *path, cf_testsearch_tally_t *tally);

#endif
