//  cf_journal_upgrade: reading a store of the previous format for the
//  offline upgrade (see cf_journal_upgrade.h). Part of cf_journal; calls
//  down into cf_journal.c and cf_journal_open.c.
#include "cf_journal_upgrade.h"

#include "cf_error.h"
#include "cf_journal_private.h"
#include "cf_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

cf_journal_t *
cf_journal_open_previous (const char *dir, const char *service, int *rc)
{
    return cf_journal_open_format (dir, service, CF_JOURNAL_PREVIOUS_FORMAT, rc);
}

int
cf_journal_format_of (const char *dir, const char *service, char *format, size_t size)
{
    int rc;
    cf_journal_t *self = cf_journal_open_format (dir, service, NULL, &rc);
    if (!self)
        return rc;
    void *value;
    size_t length;
    rc = cf_journal_meta_get (self, NULL, "format", &value, &length);
    if (rc == 0) {
        snprintf (format, size, "%s", (const char *) value);
        free (value);
    }
    cf_journal_destroy (&self);
    return rc;
}

bool
cf_journal_open_elsewhere (const char *dir)
{
    char path [4200];
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    int fd = open (path, O_RDONLY);
    if (fd < 0)
        return false;
    //  LMDB takes a shared lock on the lock file's first byte when it
    //  opens an environment and holds it until the environment is closed.
    //  F_GETLK reports another process's lock that would keep us from
    //  taking an exclusive one (never our own).
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
    int rc = fcntl (fd, F_GETLK, &lock);
    int saved = errno;
    close (fd);
    if (rc) {
        cf_log_warn ("fcntl F_GETLK %s: %s; taking the store for open", path, strerror (saved));
        return true;
    }
    return lock.l_type != F_UNLCK;
}

//  The caller's callback (one of the three) and its context.
typedef struct {
    cf_journal_meta_fn *meta;
    cf_journal_cursor_fn *cursor;
    cf_journal_request_fn *request;
    void *ctx;
} s_caller_t;

//  Walks table `dbi` in key order, calling `step` for each entry, in one
//  read transaction.
typedef int (s_step_fn) (const MDB_val *key, const MDB_val *value, const s_caller_t *caller);

static int
s_walk (cf_journal_t *self, MDB_dbi dbi, const char *what, s_step_fn *step,
        const s_caller_t *caller)
{
    MDB_txn *txn;
    int rc = cf_journal_read_begin (self, NULL, &txn);
    if (rc)
        return rc;
    MDB_cursor *cursor;
    if ((rc = mdb_cursor_open (txn, dbi, &cursor))) {
        cf_journal_read_end (NULL, txn);
        return cf_journal_store_error ("mdb_cursor_open", what, rc);
    }
    MDB_val key, value;
    int result = 0;
    rc = mdb_cursor_get (cursor, &key, &value, MDB_FIRST);
    while (rc == 0 && result == 0) {
        result = step (&key, &value, caller);
        if (result == 0)
            rc = mdb_cursor_get (cursor, &key, &value, MDB_NEXT);
    }
    mdb_cursor_close (cursor);
    cf_journal_read_end (NULL, txn);
    if (result == 0 && rc != MDB_NOTFOUND)
        result = cf_journal_store_error ("mdb_cursor_get", what, rc);
    return result;
}

//  A name key (meta key, stream, request id) as a C string; CF_ECORRUPT
//  when it is empty, too long or holds a NUL.
static int
s_name (const MDB_val *key, char *name, size_t size, const char *what)
{
    if (key->mv_size == 0 || key->mv_size >= size || memchr (key->mv_data, 0, key->mv_size))
        return cf_journal_corrupt (what);
    memcpy (name, key->mv_data, key->mv_size);
    name [key->mv_size] = 0;
    return 0;
}

static int
s_meta_step (const MDB_val *key, const MDB_val *value, const s_caller_t *caller)
{
    char name [512];
    int rc = s_name (key, name, sizeof name, "meta key");
    return rc ? rc : caller->meta (caller->ctx, name, value->mv_data, value->mv_size);
}

static int
s_cursor_step (const MDB_val *key, const MDB_val *value, const s_caller_t *caller)
{
    char stream [512];
    uint64_t seq;
    int rc = s_name (key, stream, sizeof stream, "cursor key");
    if (rc == 0)
        rc = cf_journal_get_u64 (value, &seq, "cursor value");
    return rc ? rc : caller->cursor (caller->ctx, stream, seq);
}

static int
s_request_step (const MDB_val *key, const MDB_val *value, const s_caller_t *caller)
{
    char id [CF_JOURNAL_REQUEST_ID_MAX + 1];
    int rc = s_name (key, id, sizeof id, "request id");
    if (rc)
        return rc;
    if (value->mv_size < sizeof (int64_t))
        return cf_journal_corrupt ("request value");
    int64_t stored_at;
    memcpy (&stored_at, value->mv_data, sizeof stored_at);
    return caller->request (caller->ctx, id, stored_at,
                            (const char *) value->mv_data + sizeof stored_at,
                            value->mv_size - sizeof stored_at);
}

int
cf_journal_each_meta (cf_journal_t *self, cf_journal_meta_fn *fn, void *ctx)
{
    s_caller_t caller = { .meta = fn, .ctx = ctx };
    return s_walk (self, self->meta, "meta", s_meta_step, &caller);
}

int
cf_journal_each_cursor (cf_journal_t *self, cf_journal_cursor_fn *fn, void *ctx)
{
    s_caller_t caller = { .cursor = fn, .ctx = ctx };
    return s_walk (self, self->cursors, "cursors", s_cursor_step, &caller);
}

int
cf_journal_each_request (cf_journal_t *self, cf_journal_request_fn *fn, void *ctx)
{
    s_caller_t caller = { .request = fn, .ctx = ctx };
    return s_walk (self, self->requests, "requests", s_request_step, &caller);
}
