//  cf_store_lock: one writer per store directory (see cf_store_lock.h).
#include "cf_store_lock.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct _cf_store_lock_t {
    int fd;
};

static void
s_path (const char *dir, char *path, size_t size)
{
    snprintf (path, size, "%s/%s", dir, CF_STORE_LOCK_FILE);
}

//  The pid holding a lock on `fd` that conflicts with `type`, 0 if none
//  (or if F_GETLK failed: then the caller's own F_SETLK says more).
static pid_t
s_holder (int fd, short type)
{
    struct flock lock = { .l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl (fd, F_GETLK, &lock) || lock.l_type == F_UNLCK)
        return 0;
    return lock.l_pid;
}

static cf_store_lock_t *
s_wrap (int fd)
{
    cf_store_lock_t *self = calloc (1, sizeof *self);
    assert (self);
    self->fd = fd;
    return self;
}

cf_store_lock_t *
cf_store_lock_new (const char *dir, const char *what, int *rc_p)
{
    assert (dir && what && rc_p);
    char path [4200];
    s_path (dir, path, sizeof path);
    int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        cf_log_error ("open %s: %s (the %s's lock)", path, strerror (errno), what);
        *rc_p = CF_EIO;
        return NULL;
    }
    struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl (fd, F_SETLK, &lock)) {
        int saved = errno;
        if (saved != EAGAIN && saved != EACCES) {
            cf_log_error ("fcntl F_SETLK %s: %s", path, strerror (saved));
            close (fd);
            *rc_p = CF_EIO;
            return NULL;
        }
        //  The holder may have gone between the two calls: then its pid is
        //  unknown, and a retry would succeed; the refusal says so.
        pid_t holder = s_holder (fd, F_WRLCK);
        close (fd);
        if (holder)
            cf_log_error ("the %s in %s is in use by another process (pid %ld): one process "
                          "writes a store; stop that one first, or give this one its own "
                          "directory",
                          what, dir, (long) holder);
        else
            cf_log_error ("the %s in %s was in use by another process, which has just let go; "
                          "start again",
                          what, dir);
        *rc_p = CF_ELOCKED;
        return NULL;
    }
    //  For the operator who looks: who holds it. The lock, not this text,
    //  is what keeps a second writer out.
    char text [300];
    int length =
        snprintf (text, sizeof text, "%ld %s\n", (long) getpid (), program_invocation_short_name);
    if (ftruncate (fd, 0) || pwrite (fd, text, (size_t) length, 0) != length)
        cf_log_warn ("writing the holder's pid into %s: %s", path, strerror (errno));
    *rc_p = 0;
    return s_wrap (fd);
}

cf_store_lock_t *
cf_store_lock_new_shared (const char *dir, pid_t *holder_p)
{
    assert (dir);
    pid_t ignored;
    if (!holder_p)
        holder_p = &ignored;
    *holder_p = 0;
    char path [4200];
    s_path (dir, path, sizeof path);
    //  A reader makes nothing: no lock file, no writer since locks exist.
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct flock lock = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    if (fcntl (fd, F_SETLK, &lock)) {
        *holder_p = s_holder (fd, F_RDLCK);
        close (fd);
        return NULL;
    }
    return s_wrap (fd);
}

void
cf_store_lock_destroy (cf_store_lock_t **self_p)
{
    assert (self_p);
    cf_store_lock_t *self = *self_p;
    if (!self)
        return;
    //  Closing the descriptor releases the lock.
    close (self->fd);
    free (self);
    *self_p = NULL;
}
