//  cf_store_lock: one writer per store directory.
//
//  LMDB lets several processes open one environment, and caseflow's stores
//  must not be: a second service on the same --data-dir would serve stale
//  state from memory and collide with the first on the next append
//  (MDB_KEYEXIST stops whichever writes second, maybe the legitimate one).
//  So whoever writes a store (a service, for its journal and its key store;
//  the upgrade, for the stores it makes) holds an exclusive lock on the file
//  `caseflow.lock` in the store's directory for as long as the store is
//  open; a second writer is refused at once, naming the holder's pid. An
//  offline check (--verify) holds a shared lock while it reads, so no
//  service starts on the store under it, but reads anyway when a service
//  holds the lock: LMDB readers are safe beside a writer.
//
//  The lock is a POSIX record lock (fcntl F_SETLK): the kernel drops it when
//  the process ends, however it ends, so a crash never leaves a store
//  locked; and F_GETLK names the holder's pid. Such a lock belongs to the
//  process and ends when the process closes *any* descriptor of the file:
//  nothing else in a process may open `caseflow.lock` while it holds it.
//  Within one process the lock never conflicts with itself (tests that open
//  a store twice in one process keep working).
#ifndef CF_STORE_LOCK_H
#define CF_STORE_LOCK_H

#include <stdbool.h>
#include <sys/types.h>

#define CF_STORE_LOCK_FILE "caseflow.lock"

typedef struct _cf_store_lock_t cf_store_lock_t;

//  Takes the exclusive lock on the store in `dir` (which must exist),
//  making the lock file (mode 0600) if missing and writing the holder's pid
//  and program into it, for the operator who looks. `what` names the store
//  in messages ("store", "key store"). Returns the lock (release with
//  cf_store_lock_destroy), or NULL with *rc_p set to CF_ELOCKED (another
//  process holds it: logged with its pid) or CF_EIO (the file could not be
//  opened or locked: logged with the system's reason).
cf_store_lock_t *
cf_store_lock_new (const char *dir, const char *what, int *rc_p);

//  Takes a shared lock on the store in `dir` for a reader that must not
//  see a writer start under it (--verify). Never refuses: returns NULL
//  when there is no lock file or a writer holds the lock (then *holder_p,
//  when not NULL, is its pid; 0 otherwise); the caller reads all the same.
cf_store_lock_t *
cf_store_lock_new_shared (const char *dir, pid_t *holder_p);

//  Releases the lock and frees it; safe on NULL; nulls *self_p.
void
cf_store_lock_destroy (cf_store_lock_t **self_p);

#endif
