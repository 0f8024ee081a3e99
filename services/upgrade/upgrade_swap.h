//  upgrade_swap: where the upgrade writes and how the new stores take the
//  old ones' place.
//
//  Each new store is written into a staging folder inside the directory of
//  the store it replaces, "<dir>/upgrade-staging", so that swapping it in
//  is a rename within one file system, also when <dir> is a volume's mount
//  point (a container's data volume cannot be renamed). The swap keeps the
//  old store as "<dir>/format2/data.mdb" (a hard link made before the new
//  file is renamed over "<dir>/data.mdb": at every moment <dir> holds one
//  whole store, the old or the new) and drops the old lock file. The key
//  store is staged in "<key-store>/upgrade-staging" the same way and swapped
//  in first, so a deployment whose swap was interrupted can be told apart
//  and finished (upgrade_main.c).
#ifndef UPGRADE_SWAP_H
#define UPGRADE_SWAP_H

#include <stdbool.h>
#include <stddef.h>

#define UPGRADE_STAGING "upgrade-staging"
#define UPGRADE_KEPT    "format2"

//  "<dir>/<sub>" into `out` (`sub` NULL: `dir`).
void
upgrade_swap_path (const char *dir, const char *sub, char *out, size_t size);

//  True when "<dir>/<sub>/data.mdb" (`sub` NULL: "<dir>/data.mdb") exists.
bool
upgrade_swap_has_store (const char *dir, const char *sub);

//  Removes the staging folder of `dir` and the store in it, if any (what
//  an earlier run left). Returns 0, or CF_EIO naming the file on stderr.
int
upgrade_swap_discard (const char *dir);

//  Swaps the store staged in `dir` in, keeping the old one as
//  "<dir>/format2/data.mdb". Returns 0, or CF_EIO (CF_EEXIST when
//  "<dir>/format2/data.mdb" is another file), named on stderr.
int
upgrade_swap_journal (const char *dir);

//  Moves the key store staged in `dir` to "<dir>/data.mdb" (where there is
//  none). Returns 0 or CF_EIO, named on stderr.
int
upgrade_swap_keystore (const char *dir);

#endif
