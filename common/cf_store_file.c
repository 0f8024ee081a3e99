//  cf_store_file: an LMDB data file checked before it is mapped, and
//  guarded while it is (see cf_store_file.h).
//
//  The walk reads LMDB's on-disk format (data version 1, liblmdb 0.9, a
//  64-bit build) with pread: a page starts with a 16-byte header (its
//  number, flags, and the bounds of its free space, or an overflow run's
//  page count); a meta page holds after it the magic, the version, the two
//  core trees (free pages, main: the named tables) and the last page used;
//  a branch or leaf page holds after it the offsets of its nodes, and each
//  node an 8-byte head, its key, then a child's page number (branch) or the
//  value, an overflow run's first page or a named table's record (leaf).
//  These are LMDB's own definitions (mdb.c: MDB_page, MDB_meta, MDB_db,
//  MDB_node), stable since the format's version 1.
#include "cf_store_file.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static_assert (sizeof (size_t) == 8, "the walk reads LMDB's 64-bit page format");

#define S_HEADER     16  //  page header: pgno 8, pad 2, flags 2, lower 2, upper 2
#define S_NODE       8   //  node head: lo 2, hi 2, flags 2, key size 2
#define S_DB         48  //  MDB_db: pad 4, flags 2, depth 2, 4 counts of 8, root 8
#define S_MAGIC      0xBEEFC0DEu
#define S_VERSION    1u
#define S_NO_PAGE    UINT64_MAX         //  P_INVALID: an empty tree's root
#define S_MAX_DEPTH  16                 //  levels of one tree (LMDB needs 4 for a terabyte)
#define S_BUFFERS    (2 * S_MAX_DEPTH)  //  the main tree's, then a named table's
#define S_P_BRANCH   0x01
#define S_P_LEAF     0x02
#define S_P_OVERFLOW 0x04
#define S_P_META     0x08
#define S_F_BIGDATA  0x01
#define S_F_SUBDATA  0x02
#define S_F_DUPDATA  0x04

typedef struct {
    int fd;
    const char *dir;
    const char *what;
    uint64_t file_size;
    uint64_t psize;
    uint64_t last_page;          //  the newest meta's last page used
    bool whole;                  //  the file must reach last_page
    uint8_t *pages [S_BUFFERS];  //  one buffer per level of the walk
} s_walk_t;

static uint16_t
s_u16 (const uint8_t *p)
{
    uint16_t v;
    memcpy (&v, p, sizeof v);
    return v;
}

static uint32_t
s_u32 (const uint8_t *p)
{
    uint32_t v;
    memcpy (&v, p, sizeof v);
    return v;
}

static uint64_t
s_u64 (const uint8_t *p)
{
    uint64_t v;
    memcpy (&v, p, sizeof v);
    return v;
}

//  Logs the damage and returns CF_ECORRUPT.
static int
s_damaged (const s_walk_t *self, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static int
s_damaged (const s_walk_t *self, const char *fmt, ...)
{
    char problem [600];
    va_list args;
    va_start (args, fmt);
    vsnprintf (problem, sizeof problem, fmt, args);
    va_end (args);
    cf_log_error ("the %s in %s is damaged: %s/data.mdb: %s; nothing was opened: restore it "
                  "from a backup (docs/operations.md, \"A damaged store\")",
                  self->what, self->dir, self->dir, problem);
    return CF_ECORRUPT;
}

//  Reads `size` bytes at `offset`; CF_EIO (logged) if the file cannot be
//  read, CF_ECORRUPT if it ends first (cannot happen after the size
//  checks, unless the file shrinks under the walk).
static int
s_read (const s_walk_t *self, void *buf, size_t size, uint64_t offset)
{
    ssize_t got = pread (self->fd, buf, size, (off_t) offset);
    if (got < 0) {
        cf_log_error ("pread %s/data.mdb: %s", self->dir, strerror (errno));
        return CF_EIO;
    }
    if ((size_t) got < size)
        return s_damaged (self, "it ends at byte %llu, inside a page",
                          (unsigned long long) self->file_size);
    return 0;
}

//  A page number a tree names must be a page in use, and in the file.
static int
s_check_page_number (const s_walk_t *self, uint64_t page, uint64_t count, const char *table,
                     uint64_t from)
{
    if ((page < 2 || page > self->last_page || count > self->last_page - page + 1) && !from)
        return s_damaged (self,
                          "its newest meta page names page %llu as the root of table %s, "
                          "outside the pages in use (2 to %llu)",
                          (unsigned long long) page, table, (unsigned long long) self->last_page);
    if (page < 2 || page > self->last_page || count > self->last_page - page + 1)
        return s_damaged (self,
                          "page %llu of table %s names page %llu, outside the pages in use "
                          "(2 to %llu)",
                          (unsigned long long) from, table, (unsigned long long) page,
                          (unsigned long long) self->last_page);
    uint64_t end = (page + count) * self->psize;
    if (end > self->file_size)
        return s_damaged (self,
                          "truncated: it has %llu bytes, and page %llu of table %s lies past "
                          "its end (the pages in use need %llu bytes)",
                          (unsigned long long) self->file_size, (unsigned long long) page, table,
                          (unsigned long long) ((self->last_page + 1) * self->psize));
    return 0;
}

//  An overflow run (a large value) must start with its header.
static int
s_check_overflow (const s_walk_t *self, uint64_t page, const char *table, uint64_t from)
{
    int rc = s_check_page_number (self, page, 1, table, from);
    uint8_t head [S_HEADER];
    if (rc == 0)
        rc = s_read (self, head, sizeof head, page * self->psize);
    if (rc)
        return rc;
    if (s_u64 (head) != page || !(s_u16 (head + 10) & S_P_OVERFLOW) || s_u32 (head + 12) == 0)
        return s_damaged (self,
                          "page %llu of table %s should start a large value, and does not "
                          "(zeroed or overwritten)",
                          (unsigned long long) page, table);
    return s_check_page_number (self, page, s_u32 (head + 12), table, from);
}

static int
s_walk_tree (s_walk_t *self, uint64_t root, unsigned depth, const char *table, unsigned base,
             uint64_t from);

//  Walks page `page` at `level` (0: the root) of a tree of `depth` levels,
//  reading it into buffer `base + level`. The main tree (`named_tables`)
//  names the others, walked in the buffers past its own.
static int
s_walk_page (s_walk_t *self, uint64_t page, unsigned level, unsigned depth, const char *table,
             bool named_tables, unsigned base, uint64_t from)
{
    if (level >= depth)
        return s_damaged (self, "table %s is deeper than its record says (%u levels)", table,
                          depth);
    int rc = s_check_page_number (self, page, 1, table, from);
    uint8_t *p = self->pages [base + level];
    if (rc == 0)
        rc = s_read (self, p, self->psize, page * self->psize);
    if (rc)
        return rc;
    uint16_t flags = s_u16 (p + 10), lower = s_u16 (p + 12), upper = s_u16 (p + 14);
    if (s_u64 (p) != page)
        return s_damaged (self,
                          "page %llu of table %s says it is page %llu (zeroed or overwritten)",
                          (unsigned long long) page, table, (unsigned long long) s_u64 (p));
    bool leaf = level == depth - 1;
    if ((flags & (S_P_BRANCH | S_P_LEAF)) != (leaf ? S_P_LEAF : S_P_BRANCH))
        return s_damaged (self,
                          "page %llu of table %s is not the %s page its tree needs there "
                          "(flags 0x%x)",
                          (unsigned long long) page, table, leaf ? "leaf" : "branch", flags);
    if (lower < S_HEADER || lower > upper || upper > self->psize || (lower - S_HEADER) % 2)
        return s_damaged (self, "page %llu of table %s has bounds %u-%u outside the page",
                          (unsigned long long) page, table, lower, upper);
    size_t nodes = (size_t) (lower - S_HEADER) / 2;
    for (size_t i = 0; i < nodes; i++) {
        size_t offset = s_u16 (p + S_HEADER + 2 * i);
        if (offset < upper || offset + S_NODE > self->psize)
            return s_damaged (self,
                              "page %llu of table %s: node %zu at offset %zu lies outside "
                              "the page's records",
                              (unsigned long long) page, table, i, offset);
        const uint8_t *node = p + offset;
        size_t key_size = s_u16 (node + 6);
        uint16_t node_flags = s_u16 (node + 4);
        if (offset + S_NODE + key_size > self->psize)
            return s_damaged (self, "page %llu of table %s: node %zu's key runs past the page",
                              (unsigned long long) page, table, i);
        if (!leaf) {
            uint64_t child = (uint64_t) s_u16 (node) | (uint64_t) s_u16 (node + 2) << 16
                             | (uint64_t) node_flags << 32;
            rc = s_walk_page (self, child, level + 1, depth, table, named_tables, base, page);
            //  The child's walk used the buffers below this level only.
            if (rc)
                return rc;
            continue;
        }
        size_t data_size = (size_t) s_u16 (node) | (size_t) s_u16 (node + 2) << 16;
        const uint8_t *data = node + S_NODE + key_size;
        size_t stored = node_flags & S_F_BIGDATA ? 8 : data_size;
        if (offset + S_NODE + key_size + stored > self->psize)
            return s_damaged (self, "page %llu of table %s: node %zu's value runs past the page",
                              (unsigned long long) page, table, i);
        if (node_flags & S_F_DUPDATA)
            return s_damaged (self,
                              "page %llu of table %s: node %zu holds sorted duplicates, "
                              "which no caseflow table has",
                              (unsigned long long) page, table, i);
        if (node_flags & S_F_BIGDATA)
            rc = s_check_overflow (self, s_u64 (data), table, page);
        else if ((node_flags & S_F_SUBDATA) && named_tables && data_size == S_DB) {
            char name [40];
            size_t n = key_size < sizeof name - 1 ? key_size : sizeof name - 1;
            for (size_t c = 0; c < n; c++) {
                char ch = (char) node [S_NODE + c];
                name [c] = ch >= 0x21 && ch < 0x7f ? ch : '?';
            }
            name [n] = 0;
            rc = s_walk_tree (self, s_u64 (data + 40), s_u16 (data + 6), name, S_MAX_DEPTH, page);
        } else if (node_flags & S_F_SUBDATA)
            return s_damaged (self,
                              "page %llu of table %s: node %zu names a table where none "
                              "can be",
                              (unsigned long long) page, table, i);
        if (rc)
            return rc;
    }
    return 0;
}

//  Walks the tree of `table` from `root` (named by page `from`; 0: the
//  meta page).
static int
s_walk_tree (s_walk_t *self, uint64_t root, unsigned depth, const char *table, unsigned base,
             uint64_t from)
{
    if (root == S_NO_PAGE)
        return 0;
    if (depth == 0 || depth > S_MAX_DEPTH)
        return s_damaged (self, "table %s has a depth of %u levels", table, depth);
    return s_walk_page (self, root, 0, depth, table, base == 0 && strcmp (table, "(main)") == 0,
                        base, from);
}

//  Reads meta page `index` into its txnid, last page and core trees'
//  roots and depths; CF_ECORRUPT (logged) when it is not a meta page.
typedef struct {
    uint64_t txnid, last_page;
    uint64_t root [2];
    unsigned depth [2];
} s_meta_t;

static int
s_read_meta (s_walk_t *self, unsigned index, s_meta_t *meta)
{
    uint8_t page [S_HEADER + 136];
    int rc = s_read (self, page, sizeof page, index * self->psize);
    if (rc)
        return rc;
    const uint8_t *m = page + S_HEADER;
    if (!(s_u16 (page + 10) & S_P_META) || s_u32 (m) != S_MAGIC)
        return s_damaged (self, "meta page %u is not an LMDB meta page (zeroed or overwritten)",
                          index);
    if (s_u32 (m + 4) != S_VERSION)
        return s_damaged (self, "meta page %u is of LMDB data version %u, not %u", index,
                          s_u32 (m + 4), S_VERSION);
    if (index == 0) {
        self->psize = s_u32 (m + 24);
        if (self->psize < 512 || self->psize > 65536 || (self->psize & (self->psize - 1)))
            return s_damaged (self, "meta page 0 gives a page size of %llu bytes",
                              (unsigned long long) self->psize);
    }
    for (int t = 0; t < 2; t++) {
        meta->depth [t] = s_u16 (m + 24 + 48 * t + 6);
        meta->root [t] = s_u64 (m + 24 + 48 * t + 40);
    }
    meta->last_page = s_u64 (m + 120);
    meta->txnid = s_u64 (m + 128);
    return 0;
}

static int
s_check_file (s_walk_t *self)
{
    if (self->file_size == 0)
        return s_damaged (self, "it is empty (0 bytes): a store cut to nothing, which LMDB "
                                "would start afresh");
    //  The first meta page gives the page size: read the header first.
    self->psize = 512;
    if (self->file_size < S_HEADER + 136)
        return s_damaged (self, "truncated to %llu bytes, less than a meta page",
                          (unsigned long long) self->file_size);
    s_meta_t metas [2];
    int rc = s_read_meta (self, 0, &metas [0]);
    if (rc)
        return rc;
    if (self->file_size < 2 * self->psize)
        return s_damaged (self, "truncated to %llu bytes, less than its two meta pages",
                          (unsigned long long) self->file_size);
    if ((rc = s_read_meta (self, 1, &metas [1])))
        return rc;
    //  LMDB opens the meta of the newest transaction.
    const s_meta_t *meta = &metas [metas [1].txnid > metas [0].txnid];
    self->last_page = meta->last_page;
    if (self->last_page < 1)
        return s_damaged (self, "its newest meta page gives %llu as the last page in use",
                          (unsigned long long) self->last_page);
    if (self->file_size % self->psize)
        return s_damaged (self, "truncated: %llu bytes is not a whole number of %llu-byte pages",
                          (unsigned long long) self->file_size, (unsigned long long) self->psize);
    uint64_t needed = (self->last_page + 1) * self->psize;
    if (self->whole && self->file_size < needed)
        return s_damaged (self, "truncated: it has %llu bytes, its newest meta page names %llu",
                          (unsigned long long) self->file_size, (unsigned long long) needed);
    for (int level = 0; level < S_BUFFERS; level++) {
        self->pages [level] = malloc (self->psize);
        assert (self->pages [level]);
    }
    rc = s_walk_tree (self, meta->root [0], meta->depth [0], "(free pages)", 0, 0);
    if (rc == 0)
        rc = s_walk_tree (self, meta->root [1], meta->depth [1], "(main)", 0, 0);
    for (int level = 0; level < S_BUFFERS; level++)
        free (self->pages [level]);
    return rc;
}

int
cf_store_file_check (const char *dir, const char *what, bool whole)
{
    assert (dir && what);
    char path [4200];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return 0;
    if (fd < 0) {
        cf_log_error ("open %s: %s", path, strerror (errno));
        return CF_EIO;
    }
    struct stat info;
    if (fstat (fd, &info)) {
        cf_log_error ("fstat %s: %s", path, strerror (errno));
        close (fd);
        return CF_EIO;
    }
    s_walk_t walk = {
        .fd = fd, .dir = dir, .what = what, .file_size = (uint64_t) info.st_size, .whole = whole
    };
    int rc = s_check_file (&walk);
    close (fd);
    return rc;
}

int
cf_store_file_probe_room (const char *dir, size_t bytes)
{
    char path [4200];
    snprintf (path, sizeof path, "%s/caseflow.room", dir);
    int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == ENOSPC || errno == EDQUOT ? CF_ENOSPACE : CF_EIO;
    //  Blocks really allocated, so a quota counts too.
    int rc = posix_fallocate (fd, 0, (off_t) bytes);
    close (fd);
    unlink (path);
    if (rc == ENOSPC || rc == EDQUOT)
        return CF_ENOSPACE;
    return rc ? CF_EIO : 0;
}

//  ---------------------------------------------------------------- guard
//
//  The maps guarded, for the fault handler: process-wide because signal
//  handlers are. Entries are written on the thread that opens or closes a
//  store, read in the handler; `end` is set last and cleared first, so the
//  handler never sees half an entry.

#define S_GUARDS 32
#define S_SLACK  (1 << 16)  //  a damaged 16-bit offset reaches this far past a page

typedef struct {
    _Atomic uintptr_t start, end;
    MDB_env *env;  //  whose map it is (the opener's thread only)
    char line [1200];
} s_guard_t;

static s_guard_t s_guards [S_GUARDS];
static struct sigaction s_previous_bus, s_previous_segv;
static atomic_bool s_installed;

//  Writes `number` in decimal into `out` (signal-safe); returns its length.
static size_t
s_decimal (uintptr_t number, char *out)
{
    char digits [24];
    size_t n = 0;
    do {
        digits [n++] = (char) ('0' + number % 10);
        number /= 10;
    } while (number);
    for (size_t i = 0; i < n; i++)
        out [i] = digits [n - 1 - i];
    return n;
}

static void
s_on_fault (int signum, siginfo_t *info, void *context)
{
    uintptr_t at = (uintptr_t) info->si_addr;
    for (int g = 0; g < S_GUARDS; g++) {
        uintptr_t end = atomic_load (&s_guards [g].end);
        uintptr_t start = atomic_load (&s_guards [g].start);
        if (!end || at < start || at >= end + S_SLACK)
            continue;
        //  line: ...offset <N>, <reason>"}\n with the prefix prepared.
        char tail [200];
        size_t n = s_decimal (at - start, tail);
        const char *reason =
            signum == SIGBUS ? " (SIGBUS: past the end of the file: it was cut while open)\"}\n"
                             : " (SIGSEGV: a page that sends LMDB outside the map: damaged)\"}\n";
        size_t reason_len = strlen (reason);
        memcpy (tail + n, reason, reason_len);
        n += reason_len;
        ssize_t ignored = write (STDERR_FILENO, s_guards [g].line, strlen (s_guards [g].line));
        ignored = write (STDERR_FILENO, tail, n);
        (void) ignored;
        _exit (1);
    }
    //  Not ours: whoever handled it before (a sanitizer), or the default.
    const struct sigaction *previous = signum == SIGBUS ? &s_previous_bus : &s_previous_segv;
    if (previous->sa_flags & SA_SIGINFO)
        previous->sa_sigaction (signum, info, context);
    else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN)
        previous->sa_handler (signum);
    else {
        signal (signum, SIG_DFL);
        raise (signum);
    }
}

//  Where the map of `dir`/data.mdb lies in this process, from
//  /proc/self/maps (LMDB does not tell: mdb_env_info's address is that of
//  a fixed map only). Returns false when it is not found.
static bool
s_map_range (const char *dir, uintptr_t *start_p, uintptr_t *end_p)
{
    char path [4200];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    struct stat file;
    if (stat (path, &file))
        return false;
    FILE *maps = fopen ("/proc/self/maps", "r");
    if (!maps)
        return false;
    char line [4400];
    bool found = false;
    while (!found && fgets (line, sizeof line, maps)) {
        unsigned long start, end, inode;
        unsigned major, minor;
        if (sscanf (line, "%lx-%lx %*s %*x %x:%x %lu", &start, &end, &major, &minor, &inode) == 5
            && inode == (unsigned long) file.st_ino && makedev (major, minor) == file.st_dev) {
            *start_p = start;
            *end_p = end;
            found = true;
        }
    }
    fclose (maps);
    return found;
}

void
cf_store_file_guard (MDB_env *env, const char *dir)
{
    assert (env && dir);
    uintptr_t start, end;
    if (!s_map_range (dir, &start, &end)) {
        cf_log_warn ("the map of %s/data.mdb is not in /proc/self/maps: a fault reading it "
                     "will not be named",
                     dir);
        return;
    }
    if (!atomic_exchange (&s_installed, true)) {
        struct sigaction action = { .sa_sigaction = s_on_fault, .sa_flags = SA_SIGINFO };
        sigemptyset (&action.sa_mask);
        sigaction (SIGBUS, &action, &s_previous_bus);
        sigaction (SIGSEGV, &action, &s_previous_segv);
    }
    for (int g = 0; g < S_GUARDS; g++) {
        if (atomic_load (&s_guards [g].end))
            continue;
        s_guard_t *guard = &s_guards [g];
        snprintf (guard->line, sizeof guard->line,
                  "{\"level\":\"error\",\"service\":\"%.64s\",\"msg\":\"the store in %.480s is "
                  "damaged: reading %.480s/data.mdb faulted at byte offset ",
                  program_invocation_short_name, dir, dir);
        guard->env = env;
        atomic_store (&guard->start, start);
        atomic_store (&guard->end, end);
        return;
    }
    cf_log_warn ("more than %d stores open: a fault reading %s/data.mdb will not be named",
                 S_GUARDS, dir);
}

void
cf_store_file_unguard (MDB_env *env)
{
    //  By the env, not its map: an env that failed to open has no map to
    //  ask LMDB about.
    for (int g = 0; g < S_GUARDS && env; g++)
        if (s_guards [g].env == env && atomic_load (&s_guards [g].end)) {
            atomic_store (&s_guards [g].end, 0);
            s_guards [g].env = NULL;
            return;
        }
}
