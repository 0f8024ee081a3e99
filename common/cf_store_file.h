//  cf_store_file: an LMDB data file checked before it is mapped, and
//  guarded while it is.
//
//  LMDB maps data.mdb and follows the page numbers it finds there without
//  checking them against the file: a page past the end of a truncated file
//  faults (SIGBUS) on the first read, and a damaged page header can send it
//  to an address outside the map (SIGSEGV). A service or `--verify` on such
//  a file died without a word. So before LMDB opens a store, the file is
//  read with plain reads, never through a map: the two meta pages (LMDB's
//  magic, version, page size, the newest transaction's last page), then
//  every page the newest meta page's trees reach, from the roots down
//  (each page's own number, its kind, its bounds, its nodes' offsets, the
//  pages it names and their overflow runs), each of which must lie inside
//  the file. What is wrong is logged naming the file, the page and what
//  was found.
//
//  Why every reached page and not only the meta's last page: LMDB never
//  writes a page that was allocated and freed again in one transaction, so
//  an intact file may end before its last page number (its tail free); a
//  check of the length alone would refuse intact stores, or need the file
//  lengthened after every commit, which a crash can interrupt. The walk
//  asks what matters: whether each page in use is in the file and looks
//  like a page.
//
//  LMDB keeps no checksums of its pages: a changed byte inside a record is
//  the journal's checksum chain's to find (cf_journal_chain.h). What passes
//  the walk and still faults while mapped (the file cut while the service
//  runs, a page changed under it) is caught by the guard: a fault inside a
//  guarded map ends the process with exit code 1 and a line naming the
//  store and the offset, instead of a bare signal.
#ifndef CF_STORE_FILE_H
#define CF_STORE_FILE_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>

//  Checks data.mdb in `dir` as above, before LMDB maps it; `what` names
//  the store in messages ("store", "key store"). No data.mdb: 0 (LMDB
//  makes a new store, or says there is none). An empty data.mdb is damage
//  (LMDB would take it for a new store and start it afresh, every record
//  gone), and so is a length that is not a whole number of pages (LMDB
//  writes whole pages). With `whole`, for a store whose writer lengthens
//  the file after every commit (the key store: cf_keystore_fill_tail), the
//  file must also reach the newest meta's last page. Returns 0, CF_ECORRUPT (logged: the file, the page, what is
//  wrong) or CF_EIO (the file could not be read; logged). Only while no
//  other process writes the store (cf_store_lock.h): pages a writer
//  rewrites under the walk would read as damage.
int
cf_store_file_check (const char *dir, const char *what, bool whole);

//  Whether the disk holding the store in `dir` has room for `bytes` more,
//  tried by really allocating them in a file beside the store (removed
//  again), so a quota counts too. Returns 0, CF_ENOSPACE (no room) or
//  CF_EIO.
int
cf_store_file_probe_room (const char *dir, size_t bytes);

//  Guards the map of `env` (opened on `dir`) until cf_store_file_unguard:
//  a SIGBUS or SIGSEGV at an address inside it (or just past it: a damaged
//  offset within a page) writes one error line naming the store and the
//  file offset, and exits 1. Faults elsewhere go to the handler that was
//  there before. At most 32 maps at a time (past that, one more is not
//  guarded: logged).
void
cf_store_file_guard (MDB_env *env, const char *dir);

//  Stops guarding the map of `env` (before mdb_env_close). Safe when
//  it was never guarded.
void
cf_store_file_unguard (MDB_env *env);

#endif
