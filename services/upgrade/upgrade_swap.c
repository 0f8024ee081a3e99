//  upgrade_swap: staging folders and the swap (see upgrade_swap.h).
#include "upgrade_swap.h"

#include "cf_error.h"
#include "cf_store_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_PATH 4300

void
upgrade_swap_path (const char *dir, const char *sub, char *out, size_t size)
{
    if (sub)
        snprintf (out, size, "%s/%s", dir, sub);
    else
        snprintf (out, size, "%s", dir);
}

//  "<dir>/<sub>/<file>" (or "<dir>/<file>") into `out` (S_PATH bytes; a
//  longer path is cut, and then names no file of ours).
static void
s_file (const char *dir, const char *sub, const char *file, char *out)
{
    int length = sub ? snprintf (out, S_PATH, "%s/%s/%s", dir, sub, file)
                     : snprintf (out, S_PATH, "%s/%s", dir, file);
    if (length < 0 || length >= S_PATH)
        out [0] = 0;
}

bool
upgrade_swap_has_store (const char *dir, const char *sub)
{
    char path [S_PATH];
    s_file (dir, sub, "data.mdb", path);
    return access (path, F_OK) == 0;
}

static int
s_io (const char *call, const char *path)
{
    fprintf (stderr, "caseflow-upgrade: %s %s: %s\n", call, path, strerror (errno));
    return CF_EIO;
}

static int
s_unlink (const char *path)
{
    return unlink (path) && errno != ENOENT ? s_io ("unlink", path) : 0;
}

//  Makes a rename or link in `dir` durable.
static int
s_sync_dir (const char *dir)
{
    int fd = open (dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return s_io ("open", dir);
    int rc = fsync (fd) ? s_io ("fsync", dir) : 0;
    close (fd);
    return rc;
}

//  Removes the staging folder (its lock files and what it held).
static int
s_remove_staging (const char *dir)
{
    char staging [S_PATH], path [S_PATH];
    upgrade_swap_path (dir, UPGRADE_STAGING, staging, sizeof staging);
    s_file (dir, UPGRADE_STAGING, "data.mdb", path);
    int rc = s_unlink (path);
    s_file (dir, UPGRADE_STAGING, "lock.mdb", path);
    if (rc == 0)
        rc = s_unlink (path);
    s_file (dir, UPGRADE_STAGING, CF_STORE_LOCK_FILE, path);
    if (rc == 0)
        rc = s_unlink (path);
    if (rc == 0 && rmdir (staging) && errno != ENOENT)
        rc = s_io ("rmdir", staging);
    return rc;
}

int
upgrade_swap_discard (const char *dir)
{
    return s_remove_staging (dir);
}

int
upgrade_swap_journal (const char *dir)
{
    char kept_dir [S_PATH], kept [S_PATH], current [S_PATH], staged [S_PATH], lock [S_PATH];
    upgrade_swap_path (dir, UPGRADE_KEPT, kept_dir, sizeof kept_dir);
    s_file (dir, UPGRADE_KEPT, "data.mdb", kept);
    s_file (dir, NULL, "data.mdb", current);
    s_file (dir, UPGRADE_STAGING, "data.mdb", staged);
    s_file (dir, NULL, "lock.mdb", lock);
    if (mkdir (kept_dir, 0700) && errno != EEXIST)
        return s_io ("mkdir", kept_dir);
    if (link (current, kept)) {
        //  Made already by a swap that was interrupted: the same file.
        struct stat a, b;
        if (errno != EEXIST)
            return s_io ("link", kept);
        if (stat (current, &a) || stat (kept, &b))
            return s_io ("stat", kept);
        if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
            fprintf (stderr,
                     "caseflow-upgrade: %s exists and is not the store in %s: move it away "
                     "first\n",
                     kept, dir);
            return CF_EEXIST;
        }
    }
    int rc = s_sync_dir (kept_dir);
    if (rc == 0 && rename (staged, current))
        rc = s_io ("rename", staged);
    //  The old environment's lock file; LMDB makes a new one at the next
    //  open (no process has the store open: checked before).
    if (rc == 0)
        rc = s_unlink (lock);
    if (rc == 0)
        rc = s_sync_dir (dir);
    return rc ? rc : s_remove_staging (dir);
}

int
upgrade_swap_keystore (const char *dir)
{
    char current [S_PATH], staged [S_PATH];
    s_file (dir, NULL, "data.mdb", current);
    s_file (dir, UPGRADE_STAGING, "data.mdb", staged);
    if (access (current, F_OK) == 0) {
        fprintf (stderr, "caseflow-upgrade: %s exists already\n", current);
        return CF_EEXIST;
    }
    if (rename (staged, current))
        return s_io ("rename", staged);
    int rc = s_sync_dir (dir);
    return rc ? rc : s_remove_staging (dir);
}
