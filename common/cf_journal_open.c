//  cf_journal_open: making and opening a store (see cf_journal.h): the
//  directory (made with its parents, mode 0700), the LMDB environment and
//  its seven tables, and the store's identity in meta (the service it
//  belongs to, its format, its stream's epoch), stamped on a fresh store
//  and checked on every other. Part of cf_journal; calls down into
//  cf_journal.c.
//
//  The epoch (DESIGN.md, "Streams have an identity") is 8 random bytes
//  made when the store is made. A store of format "3" written before
//  epochs existed gets one at its first writable open: that is not an
//  upgrade step and the format stays "3", because no record changes and a
//  binary that knows no epoch reads meta by key only and ignores it. Its
//  subscribers, whose cursors carry no epoch yet, adopt the
//  one they meet first, after checking the event at their cursor.
#include "cf_journal_private.h"

#include "cf_error.h"
#include "cf_log.h"
#include "cf_store_file.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CF_JOURNAL_DEFAULT_MAP ((size_t) 1 << 30)

static int
s_open_table (cf_journal_t *self, MDB_txn *txn, const char *name, unsigned flags, MDB_dbi *dbi_p)
{
    int rc = mdb_dbi_open (txn, name, flags | (self->readonly ? 0 : MDB_CREATE), dbi_p);
    if (rc == MDB_NOTFOUND) {
        cf_log_error ("cf_journal_open: %s: no table %s; not a caseflow store", self->dir, name);
        return CF_EMISMATCH;
    }
    if (rc == MDB_INCOMPATIBLE) {
        cf_log_error ("mdb_dbi_open: %s (table %s): not a caseflow store of format %s",
                      mdb_strerror (rc), name, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    return rc ? cf_journal_store_error ("mdb_dbi_open", name, rc) : 0;
}

//  Reads the store's epoch into self->epoch; a writable open stamps one
//  on a store that has none (a fresh store, or one older than epochs).
static int
s_load_epoch (cf_journal_t *self, MDB_txn *txn)
{
    MDB_val value;
    int rc = cf_journal_meta_text (self, txn, CF_JOURNAL_EPOCH_KEY, &value);
    if (rc == 0) {
        if (value.mv_size != sizeof self->epoch)
            return cf_journal_corrupt ("meta epoch");
        memcpy (&self->epoch, value.mv_data, sizeof self->epoch);
        return 0;
    }
    if (rc != CF_ENOTFOUND)
        return rc;
    self->epoch = 0;
    if (self->readonly)
        return 0;
    //  0 means "none" on the wire and in cursors: never made.
    while (self->epoch == 0)
        randombytes_buf (&self->epoch, sizeof self->epoch);
    rc = cf_journal_meta_put (self, txn, CF_JOURNAL_EPOCH_KEY, &self->epoch, sizeof self->epoch);
    if (rc == 0)
        cf_log_info ("cf_journal_open: %s: stream epoch %016" PRIx64 " made", self->dir,
                     self->epoch);
    return rc;
}

static bool
s_meta_is (const MDB_val *value, const char *text)
{
    return value->mv_size == strlen (text) && memcmp (value->mv_data, text, value->mv_size) == 0;
}

//  A fresh store is stamped with its service and format; an existing one
//  must carry ours, or we would replay another service's history as our
//  own.
static int
s_check_meta (cf_journal_t *self, MDB_txn *txn, const char *dir, const char *service)
{
    MDB_val owner, format;
    int owner_rc = cf_journal_meta_text (self, txn, "service", &owner);
    if (owner_rc && owner_rc != CF_ENOTFOUND)
        return owner_rc;
    int format_rc = cf_journal_meta_text (self, txn, "format", &format);
    if (format_rc && format_rc != CF_ENOTFOUND)
        return format_rc;

    if (owner_rc == CF_ENOTFOUND && format_rc == CF_ENOTFOUND && self->readonly) {
        cf_log_error ("cf_journal_open: %s: an empty store, never stamped by a service", dir);
        return CF_EMISMATCH;
    }
    if (owner_rc == CF_ENOTFOUND && format_rc == CF_ENOTFOUND) {
        int rc = cf_journal_meta_put (self, txn, "service", service, strlen (service));
        if (rc == 0)
            rc = cf_journal_meta_put (self, txn, "format", CF_JOURNAL_FORMAT, 1);
        if (rc == 0)
            cf_log_info ("cf_journal_open: %s: new store for service %s, format %s", dir, service,
                         CF_JOURNAL_FORMAT);
        return rc;
    }
    //  The two are written in one transaction, so one without the other
    //  means the store is not ours.
    if (owner_rc || format_rc) {
        cf_log_error ("cf_journal_open: %s: meta has no %s; not a caseflow store", dir,
                      owner_rc ? "service" : "format");
        return CF_EMISMATCH;
    }
    if (!s_meta_is (&owner, service)) {
        int len = owner.mv_size > 64 ? 64 : (int) owner.mv_size;
        cf_log_error ("cf_journal_open: %s: store belongs to service \"%.*s\", not \"%s\"", dir,
                      len, (const char *) owner.mv_data, service);
        return CF_EMISMATCH;
    }
    //  Asked which format the store is of (cf_journal_format_of): any.
    if (!self->format)
        return 0;
    //  The upgrade reads a store of the format before this one, and that
    //  format alone (cf_journal_upgrade.h).
    if (strcmp (self->format, CF_JOURNAL_FORMAT) != 0) {
        if (s_meta_is (&format, self->format))
            return 0;
        int len = format.mv_size > 64 ? 64 : (int) format.mv_size;
        cf_log_error ("cf_journal_open: %s: store format \"%.*s\"; the upgrade reads only "
                      "format \"%s\"",
                      dir, len, (const char *) format.mv_data, self->format);
        return CF_EMISMATCH;
    }
    if (s_meta_is (&format, "1")) {
        cf_log_error ("cf_journal_open: %s: store format \"1\" has no record checksums; this "
                      "build reads only format \"%s\". There is no migration: start the "
                      "service on an empty --data-dir",
                      dir, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    if (s_meta_is (&format, "2")) {
        cf_log_error ("cf_journal_open: %s: store format \"2\" holds residents' personal data "
                      "in plain; this build reads only format \"%s\", where it is sealed per "
                      "resident. Stop every service, back up every store and upgrade them "
                      "together (docs/privacy.md, \"Upgrading a deployment\")",
                      dir, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    if (!s_meta_is (&format, CF_JOURNAL_FORMAT)) {
        int len = format.mv_size > 64 ? 64 : (int) format.mv_size;
        cf_log_error ("cf_journal_open: %s: store format \"%.*s\", this build reads only \"%s\"",
                      dir, len, (const char *) format.mv_data, CF_JOURNAL_FORMAT);
        return CF_EMISMATCH;
    }
    return 0;
}

static int
s_open (cf_journal_t *self, const char *dir, const char *service, size_t map_size)
{
    int rc = mdb_env_create (&self->env);
    if (rc) {
        self->env = NULL;
        return cf_journal_store_error ("mdb_env_create", dir, rc);
    }
    if ((rc = mdb_env_set_maxdbs (self->env, CF_JOURNAL_TABLES)))
        return cf_journal_store_error ("mdb_env_set_maxdbs", dir, rc);
    //  Read-only, the map is as large as the file says.
    if (map_size && (rc = mdb_env_set_mapsize (self->env, map_size)))
        return cf_journal_store_error ("mdb_env_set_mapsize", dir, rc);
    rc = mdb_env_open (self->env, dir, MDB_NOTLS | (self->readonly ? MDB_RDONLY : 0), 0600);
    if (rc == ENOENT && self->readonly) {
        cf_log_error ("cf_journal_open: %s: no store here", dir);
        return CF_ENOTFOUND;
    }
    if (rc)
        return cf_journal_store_error ("mdb_env_open", dir, rc);
    cf_store_file_guard (self->env, dir);
    self->key_max = (size_t) mdb_env_get_maxkeysize (self->env);

    //  A process that died inside a read transaction keeps its reader slot,
    //  and with it every page that transaction could see, until cleared.
    int dead = 0;
    if ((rc = mdb_reader_check (self->env, &dead)))
        return cf_journal_store_error ("mdb_reader_check", dir, rc);
    if (dead)
        cf_log_info ("cf_journal_open: %s: cleared %d stale reader slot(s)", dir, dead);

    MDB_txn *txn;
    if ((rc = mdb_txn_begin (self->env, NULL, self->readonly ? MDB_RDONLY : 0, &txn)))
        return cf_journal_store_error ("mdb_txn_begin", dir, rc);
    //  meta_put checks it writes in the open write transaction.
    self->write_txn = txn;
    rc = s_open_table (self, txn, "journal", MDB_INTEGERKEY, &self->journal);
    if (rc == 0)
        rc = s_open_table (self, txn, "produced", MDB_INTEGERKEY, &self->produced);
    if (rc == 0)
        rc = s_open_table (self, txn, "cursors", 0, &self->cursors);
    if (rc == 0)
        rc = s_open_table (self, txn, "requests", 0, &self->requests);
    if (rc == 0)
        rc = s_open_table (self, txn, "req_times", 0, &self->req_times);
    if (rc == 0)
        rc = s_open_table (self, txn, "meta", 0, &self->meta);
    //  The access log is outside the journal and its checks: a read-only
    //  open (--verify) leaves it alone, so a store written before the
    //  table existed is checked as well.
    if (rc == 0 && !self->readonly)
        rc = s_open_table (self, txn, "access", 0, &self->access);
    if (rc == 0)
        rc = s_check_meta (self, txn, dir, service);
    //  Only a store of today's format has (or gets) an epoch.
    if (rc == 0 && (!self->format || strcmp (self->format, CF_JOURNAL_FORMAT) == 0))
        rc = s_load_epoch (self, txn);
    uint64_t last_position = 0, last_seq = 0;
    if (rc == 0)
        rc = cf_journal_last_key (txn, self->journal, "journal", &last_position);
    if (rc == 0)
        rc = cf_journal_last_key (txn, self->produced, "produced", &last_seq);
    //  The next append chains to the last record.
    if (rc == 0)
        rc = cf_journal_stored_sum (self, txn, last_position, self->last_sum);
    self->write_txn = NULL;
    if (rc) {
        mdb_txn_abort (txn);
        return rc;
    }
    //  Table handles opened in a transaction exist beyond it only once it
    //  commits (a read-only one too).
    if ((rc = mdb_txn_commit (txn)))
        return cf_journal_store_error ("mdb_txn_commit", dir, rc);
    atomic_store (&self->last_position, last_position);
    atomic_store (&self->last_seq, last_seq);
    return 0;
}

//  Makes `dir` and every missing folder above it, as `mkdir -p` does, each
//  with mode 0700: the store holds residents' personal data, and a folder
//  made for it is nobody else's business. Folders that exist are left as
//  they are. Returns 0, or CF_EIO, logged with the folder that could not
//  be made and the system's reason.
int
cf_journal_make_dir (const char *dir)
{
    char *path = strdup (dir);
    assert (path);
    size_t length = strlen (path);
    int rc = 0;
    //  Each '/' past the first character ends a folder above dir (a
    //  repeated '/' ends none); the end of the string ends dir itself.
    for (size_t end = 1; end <= length && rc == 0; end++) {
        if ((path [end] != '/' && path [end] != 0) || path [end - 1] == '/')
            continue;
        char saved = path [end];
        path [end] = 0;
        if (mkdir (path, 0700) && errno != EEXIST) {
            cf_log_error ("mkdir %s: %s (making the store's directory %s)", path, strerror (errno),
                          dir);
            rc = CF_EIO;
        }
        path [end] = saved;
    }
    free (path);
    struct stat info;
    if (rc == 0 && stat (dir, &info)) {
        cf_log_error ("stat %s: %s", dir, strerror (errno));
        rc = CF_EIO;
    } else if (rc == 0 && !S_ISDIR (info.st_mode)) {
        cf_log_error ("%s is not a directory: it cannot hold the store", dir);
        rc = CF_EIO;
    }
    return rc;
}

static cf_journal_t *
s_new (const char *dir, const char *service, size_t map_size, bool readonly, const char *format,
       int *rc_p)
{
    assert (dir);
    assert (service);
    int ignored;
    if (!rc_p)
        rc_p = &ignored;
    if (!*dir || !*service) {
        cf_log_error ("cf_journal_open: empty %s", *dir ? "service name" : "directory");
        *rc_p = CF_EINVAL;
        return NULL;
    }
    if (!readonly && (*rc_p = cf_journal_make_dir (dir)))
        return NULL;
    //  The checksums use libsodium's fastest code for this CPU, picked here.
    if (sodium_init () < 0) {
        cf_log_error ("sodium_init failed");
        *rc_p = CF_ESTORE;
        return NULL;
    }
    cf_journal_t *self = calloc (1, sizeof *self);
    assert (self);
    self->dir = strdup (dir);
    self->service = strdup (service);
    assert (self->dir && self->service);
    self->map_size = map_size;
    self->readonly = readonly;
    self->format = format;
    //  One writer per store (cf_store_lock.h), before LMDB opens anything.
    int rc = 0;
    pid_t holder = 0;
    if (!readonly)
        self->lock = cf_store_lock_new (dir, "store", &rc);
    else {
        self->lock = cf_store_lock_new_shared (dir, &holder);
        if (holder)
            cf_log_info ("cf_journal_open: %s is in use by pid %ld; reading what it has "
                         "committed",
                         dir, (long) holder);
    }
    //  LMDB maps the file and trusts it: it is checked first, by plain
    //  reads (cf_store_file.h), unless a writer may change it under the
    //  walk (--verify beside a running service: LMDB's reads and the
    //  checksum chain check it then, and the guard turns a fault into a
    //  line naming the store).
    if (rc == 0 && !holder)
        rc = cf_store_file_check (dir, "store", false);
    if (rc == 0)
        rc = s_open (self, dir, service, map_size);
    if (rc) {
        cf_journal_destroy (&self);
        *rc_p = rc;
        return NULL;
    }
    *rc_p = 0;
    return self;
}

cf_journal_t *
cf_journal_open (const char *dir, const char *service, size_t map_size, int *rc_p)
{
    return s_new (dir, service, map_size ? map_size : CF_JOURNAL_DEFAULT_MAP, false,
                  CF_JOURNAL_FORMAT, rc_p);
}

cf_journal_t *
cf_journal_open_readonly (const char *dir, const char *service, int *rc_p)
{
    return s_new (dir, service, 0, true, CF_JOURNAL_FORMAT, rc_p);
}

cf_journal_t *
cf_journal_open_format (const char *dir, const char *service, const char *format, int *rc_p)
{
    return s_new (dir, service, 0, true, format, rc_p);
}

int
cf_journal_reopen (cf_journal_t *self)
{
    assert (self && !self->readonly && !self->write_txn);
    //  The lock stays: no other process gets in between.
    cf_store_file_unguard (self->env);
    mdb_env_close (self->env);
    self->env = NULL;
    int rc = s_open (self, self->dir, self->service, self->map_size);
    if (rc == 0)
        cf_log_info ("cf_journal: %s reopened: %llu journal entries", self->dir,
                     (unsigned long long) atomic_load (&self->last_position));
    return rc;
}
