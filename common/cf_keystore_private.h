//  cf_keystore_private: the key store's struct and the helpers of
//  cf_keystore.c that cf_keystore_durable.c uses; nothing outside the key
//  store includes it. cf_keystore.c opens a store and keeps its records
//  (keys, hashes); cf_keystore_durable.c makes them durable (on the
//  journal writer's thread or at once), erases, compacts and checks the
//  secret's fingerprint (stored at once). The second calls down into the
//  first, never the other way.
#ifndef CF_KEYSTORE_PRIVATE_H
#define CF_KEYSTORE_PRIVATE_H

#include "cf_keystore.h"
#include "cf_keystore_index.h"
#include "cf_keystore_pending.h"
#include "cf_store_lock.h"

#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  In meta while an erasure's bytes wait for cf_keystore_compact, so a
//  restart in between still compacts.
#define CF_KEYSTORE_COMPACT "compact"
#define CF_KEYSTORE_ID      (CF_SEAL_ID_SIZE - 1)  //  an id's bytes, stored without the NUL

enum {
    CF_KEYSTORE_KEYS,
    CF_KEYSTORE_SUBJECTS,
    CF_KEYSTORE_ERASED,
    CF_KEYSTORE_META,
    CF_KEYSTORE_TABLES
};

//  The tables' names in the environment, by the numbers above.
extern const char *const cf_keystore_table_names [CF_KEYSTORE_TABLES];

//  Where the writes handed to the writer thread are (`staged`).
enum { CF_KEYSTORE_IDLE, CF_KEYSTORE_STAGED, CF_KEYSTORE_STORED };

struct _cf_keystore_t {
    char *dir;
    char *service;
    cf_store_lock_t *writer_lock;  //  one writer per key store, held from open to destroy
    size_t map_size;
    MDB_env *env;
    MDB_dbi dbi [CF_KEYSTORE_TABLES];
    MDB_txn *txn;       //  the loop's open write transaction (erasure, commit), or NULL
    MDB_txn *reader;    //  the loop's reads of what is stored, or NULL
    bool reader_reset;  //  ... reset: renewed before the next read
    bool needs_compaction;
    int lost;                   //  a commit failed since the last cf_keystore_commit returned it
    cf_keystore_index_t index;  //  keyed hash -> subject, built from `subjects` at open
    char unusable [600];        //  why env is NULL after a failed reopen ("" while open)
    //  Writes not stored yet (cf_keystore_pending.h): `open` the batch
    //  being decided, `staged` the one handed to the writer thread. Both
    //  answer the loop's reads until what they hold is stored.
    cf_keystore_pending_t *open;
    cf_keystore_pending_t *staged;
    //  The staged set's state, and its store's result once STORED. The
    //  writer thread moves STAGED to STORED; the loop the others.
    pthread_mutex_t lock;
    pthread_cond_t stored;
    atomic_int state;
    int staged_rc;
};

//  Logs a failed LMDB call; returns CF_ESTOREFULL, CF_ECORRUPT (a damaged
//  file) or CF_ESTORE.
int
cf_keystore_store_error (const char *call, const char *dir, int rc);

//  True for an id of the stored length.
bool
cf_keystore_id_ok (const char *id);

//  (Re)builds the hash index from the `subjects` table as stored.
int
cf_keystore_load_index (cf_keystore_t *self);

//  Opens self->env on self->dir (checked, stamped, index loaded).
int
cf_keystore_open_env (cf_keystore_t *self);

//  Lengthens `dir`'s data.mdb to its last page after a commit on `env`.
void
cf_keystore_fill_tail (MDB_env *env, const char *dir);

//  Ends the loop's reader: reset (renewed at the next read), or aborted
//  when `abort` (the environment is about to close).
void
cf_keystore_reader_drop (cf_keystore_t *self, bool abort);

//  On the loop: once the writer thread has stored the staged writes, lets
//  them go (their reads go to the store from now on); when that failed,
//  the open batch's writes go too (its batch is refused with the staged
//  one) and the index is rebuilt from the store. Returns the failure's
//  code that once, else 0.
int
cf_keystore_settle (cf_keystore_t *self);

//  The loop's write transaction, begun when none is open.
int
cf_keystore_write_txn (cf_keystore_t *self, MDB_txn **txn_p);

//  Reads, writes and deletes one stored record of `table`, through the
//  loop's write transaction when one is open. A read copies the value
//  into `out` (NULL: only whether it is there) and its size into *size_p.
int
cf_keystore_record_get (cf_keystore_t *self, int table, const void *key, size_t key_size, void *out,
                        size_t out_size, size_t *size_p);
int
cf_keystore_record_put (cf_keystore_t *self, int table, const void *key, size_t key_size,
                        const void *value, size_t value_size, unsigned flags);
int
cf_keystore_record_del (cf_keystore_t *self, int table, const void *key, size_t key_size);

#endif
