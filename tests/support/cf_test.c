//  cf_test: helpers shared by caseflow's tests.
#include "cf_test.h"

#include <assert.h>
#include <fcntl.h>
#include <signal.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *
cf_test_tmpdir (const char *label)
{
    const char *base = getenv ("TMPDIR");
    char *path = NULL;
    int rc = asprintf (&path, "%s/cf-%s-XXXXXX", base && *base ? base : "/tmp", label);
    assert (rc > 0);
    char *made = mkdtemp (path);
    assert (made);
    return path;
}

static int
s_remove (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return remove (path);
}

void
cf_test_rmtree (const char *path)
{
    if (path)
        nftw (path, s_remove, 16, FTW_DEPTH | FTW_PHYS);
}

//  In the child: opens `path` with `flags` onto `fd`; exits 126 if it
//  cannot.
static void
s_redirect (const char *path, int flags, int fd)
{
    int opened = open (path, flags, 0600);
    if (opened < 0)
        _exit (126);
    dup2 (opened, fd);
    close (opened);
}

int
cf_test_run (const char *const *argv, const char *stdin_path, const char *stderr_path, char *out,
             size_t out_size)
{
    assert (out && out_size > 0);
    int pipe_fds [2];
    int rc = pipe (pipe_fds);
    assert (rc == 0);
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        dup2 (pipe_fds [1], STDOUT_FILENO);
        close (pipe_fds [0]);
        close (pipe_fds [1]);
        if (stdin_path)
            s_redirect (stdin_path, O_RDONLY, STDIN_FILENO);
        if (stderr_path)
            s_redirect (stderr_path, O_WRONLY | O_CREAT | O_APPEND, STDERR_FILENO);
        execv (argv [0], (char *const *) argv);
        _exit (127);
    }
    close (pipe_fds [1]);
    size_t size = 0;
    ssize_t got;
    while ((got = read (pipe_fds [0], out + size, out_size - 1 - size)) > 0)
        size += (size_t) got;
    close (pipe_fds [0]);
    out [size] = 0;
    int status = 0;
    while (waitpid (pid, &status, 0) < 0)
        ;
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

char *
cf_test_read_file (const char *path, size_t *size_p)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return NULL;
    size_t size = 0, cap = 65536;
    char *data = malloc (cap);
    assert (data);
    size_t got;
    while ((got = fread (data + size, 1, cap - size - 1, file)) > 0) {
        size += got;
        if (size + 1 == cap) {
            cap *= 2;
            data = realloc (data, cap);
            assert (data);
        }
    }
    fclose (file);
    data [size] = 0;
    if (size_p)
        *size_p = size;
    return data;
}

//  Runs `fn (ctx)` in a child process with its stderr on /dev/null;
//  returns the child's wait status.
static int
s_child_status (void (*fn) (void *ctx), void *ctx)
{
    fflush (NULL);
    pid_t pid = fork ();
    assert (pid >= 0);
    if (pid == 0) {
        int null = open ("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2 (null, STDERR_FILENO);
        fn (ctx);
        _exit (0);
    }
    int status = 0;
    while (waitpid (pid, &status, 0) < 0)
        ;
    return status;
}

bool
cf_test_aborts (void (*fn) (void *ctx), void *ctx)
{
    int status = s_child_status (fn, ctx);
    return WIFSIGNALED (status) && WTERMSIG (status) == SIGABRT;
}

bool
cf_test_exits (void (*fn) (void *ctx), void *ctx, int code)
{
    int status = s_child_status (fn, ctx);
    return WIFEXITED (status) && WEXITSTATUS (status) == code;
}

char *
cf_test_allowed_from (const int *row, const int *states, size_t count, const char *(*name) (int),
                      char *buf, size_t size)
{
    size_t allowed = 0, index = 0;
    for (size_t i = 0; i < count; i++)
        allowed += row [i] != 0;
    buf [0] = 0;
    for (size_t i = 0; i < count; i++) {
        if (row [i] == 0)
            continue;
        size_t len = strlen (buf);
        snprintf (buf + len, size - len, "%s%s",
                  index == 0             ? ""
                  : index + 1 == allowed ? " or "
                                         : ", ",
                  name (states [i]));
        index++;
    }
    return buf;
}
