//  console_auth: people, roles and form tokens (see console_auth.h).
//
//  Addresses are compared as 16 bytes: IPv4 ones (and the IPv4-mapped
//  IPv6 form a dual-stack socket reports) as ::ffff:a.b.c.d, so a proxy
//  listed as 127.0.0.1 is recognised whichever way the socket saw it.
#include "console_auth.h"

#include "cf_error.h"
#include "cf_log.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_MAX_PROXIES 16
#define S_MAX_USERS   512
#define S_KEY_FILE    "console-web.key"

typedef struct {
    char name [CONSOLE_USER_MAX + 1];
    console_role_t role;
} s_entry_t;

struct _console_auth_t {
    uint8_t proxies [S_MAX_PROXIES][16];
    size_t proxy_count;
    s_entry_t *users;
    size_t user_count;
    char header [65];
    char local_user [CONSOLE_USER_MAX + 1];
    uint8_t secret [CONSOLE_AUTH_SECRET_SIZE];
};

static const char *const s_role_names [] = {
    [CONSOLE_ROLE_NONE] = "none",
    [CONSOLE_ROLE_READ_ONLY] = "read-only",
    [CONSOLE_ROLE_CALLER] = "caller",
    [CONSOLE_ROLE_TEAM_LEAD] = "team-lead",
};

//  Who may do what: one row per action, one column per role.
static const bool s_may [][4] = {
    //                       none   read-only caller team-lead
    [CONSOLE_ACT_VIEW] = { false, true, true, true },
    [CONSOLE_ACT_CALLBACK] = { false, false, true, true },
    [CONSOLE_ACT_PARK] = { false, false, true, true },
    [CONSOLE_ACT_PERSONAL] = { false, false, true, true },
};

const char *
console_role_name (console_role_t role)
{
    assert (role <= CONSOLE_ROLE_TEAM_LEAD);
    return s_role_names [role];
}

bool
console_role_parse (const char *word, console_role_t *role_p)
{
    for (console_role_t role = CONSOLE_ROLE_READ_ONLY; role <= CONSOLE_ROLE_TEAM_LEAD; role++)
        if (word && strcmp (word, s_role_names [role]) == 0) {
            *role_p = role;
            return true;
        }
    return false;
}

bool
console_auth_may (console_role_t role, console_action_t action)
{
    assert (role <= CONSOLE_ROLE_TEAM_LEAD && action <= CONSOLE_ACT_PERSONAL);
    return s_may [action][role];
}

//  A user name: 1 to 64 printable ASCII characters, none of them a
//  space, ',' or ':' (the separators of --web-users). on_behalf_of takes
//  any printable ASCII, so every name that passes here passes there.
static bool
s_name_valid (const char *name, size_t length)
{
    if (length == 0 || length > CONSOLE_USER_MAX)
        return false;
    for (size_t i = 0; i < length; i++)
        if (name [i] <= ' ' || name [i] > '~' || name [i] == ',' || name [i] == ':')
            return false;
    return true;
}

static bool
s_address_parse (const char *text, uint8_t address [16])
{
    struct in_addr v4;
    if (inet_pton (AF_INET, text, &v4) == 1) {
        memset (address, 0, 10);
        address [10] = address [11] = 0xff;
        memcpy (address + 12, &v4, 4);
        return true;
    }
    struct in6_addr v6;
    if (inet_pton (AF_INET6, text, &v6) == 1) {
        memcpy (address, &v6, 16);
        return true;
    }
    return false;
}

static bool
s_loopback (const uint8_t address [16])
{
    static const uint8_t v6 [16] = { [15] = 1 };
    static const uint8_t mapped [12] = { [10] = 0xff, [11] = 0xff };
    return memcmp (address, v6, 16) == 0
           || (memcmp (address, mapped, 12) == 0 && address [12] == 127);
}

//  Calls `fn` with each comma-separated item of `list`, spaces trimmed, as
//  a NUL-terminated copy; stops at the first false.
static bool
s_each_item (const char *list, bool (*fn) (void *ctx, const char *item), void *ctx)
{
    const char *p = list ? list : "";
    while (*p) {
        const char *end = strchr (p, ',');
        size_t length = end ? (size_t) (end - p) : strlen (p);
        while (length && (*p == ' ' || *p == '\t'))
            p++, length--;
        while (length && (p [length - 1] == ' ' || p [length - 1] == '\t'))
            length--;
        char item [256];
        if (length >= sizeof item)
            length = sizeof item - 1;
        memcpy (item, p, length);
        item [length] = 0;
        if (!fn (ctx, item))
            return false;
        p = end ? end + 1 : p + strlen (p);
    }
    return true;
}

typedef struct {
    console_auth_t *self;
    char *error;
    size_t error_size;
} s_parse_t;

static bool
s_add_proxy (void *ctx, const char *item)
{
    s_parse_t *parse = ctx;
    console_auth_t *self = parse->self;
    if (self->proxy_count == S_MAX_PROXIES) {
        snprintf (parse->error, parse->error_size, "--web-trusted-proxies: more than %d addresses",
                  S_MAX_PROXIES);
        return false;
    }
    if (!s_address_parse (item, self->proxies [self->proxy_count])) {
        snprintf (parse->error, parse->error_size,
                  "--web-trusted-proxies: \"%.64s\" is not an IPv4 or IPv6 address", item);
        return false;
    }
    self->proxy_count++;
    return true;
}

static bool
s_add_user (void *ctx, const char *item)
{
    s_parse_t *parse = ctx;
    console_auth_t *self = parse->self;
    const char *colon = strrchr (item, ':');
    console_role_t role;
    if (!colon || !s_name_valid (item, (size_t) (colon - item))) {
        snprintf (parse->error, parse->error_size,
                  "--web-users: \"%.64s\" is not NAME:ROLE with a name of 1 to %d printable "
                  "characters without spaces, ',' or ':'",
                  item, CONSOLE_USER_MAX);
        return false;
    }
    if (!console_role_parse (colon + 1, &role)) {
        snprintf (parse->error, parse->error_size,
                  "--web-users: \"%.64s\": the role must be caller, team-lead or read-only", item);
        return false;
    }
    for (size_t i = 0; i < self->user_count; i++)
        if (strncmp (self->users [i].name, item, (size_t) (colon - item)) == 0
            && self->users [i].name [colon - item] == 0) {
            snprintf (parse->error, parse->error_size, "--web-users: \"%.*s\" is listed twice",
                      (int) (colon - item), item);
            return false;
        }
    if (self->user_count == S_MAX_USERS) {
        snprintf (parse->error, parse->error_size, "--web-users: more than %d people", S_MAX_USERS);
        return false;
    }
    s_entry_t *entry = &self->users [self->user_count++];
    memcpy (entry->name, item, (size_t) (colon - item));
    entry->name [colon - item] = 0;
    entry->role = role;
    return true;
}

console_auth_t *
console_auth_new (const char *trusted_proxies, const char *users, const char *header,
                  const char *local_user, const uint8_t secret [CONSOLE_AUTH_SECRET_SIZE],
                  char *error, size_t error_size)
{
    assert (secret && error && error_size);
    console_auth_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->users = calloc (S_MAX_USERS, sizeof *self->users);
    if (!self->users)
        abort ();
    memcpy (self->secret, secret, CONSOLE_AUTH_SECRET_SIZE);
    s_parse_t parse = { self, error, error_size };
    error [0] = 0;
    header = header ? header : "";
    local_user = local_user ? local_user : "";
    bool header_ok = *header && strlen (header) < sizeof self->header;
    for (const char *p = header; *p; p++)
        if (!strchr ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p))
            header_ok = false;
    if (!header_ok)
        snprintf (error, error_size,
                  "--web-user-header: must be a header name of 1 to 64 letters, digits, '-' "
                  "or '_'");
    else if (*local_user && !s_name_valid (local_user, strlen (local_user)))
        snprintf (error, error_size,
                  "--web-local-user: must be 1 to %d printable characters without spaces, ',' "
                  "or ':'",
                  CONSOLE_USER_MAX);
    else if (s_each_item (trusted_proxies, s_add_proxy, &parse)
             && s_each_item (users, s_add_user, &parse)) {
        strcpy (self->header, header);
        strcpy (self->local_user, local_user);
        return self;
    }
    console_auth_destroy (&self);
    return NULL;
}

void
console_auth_destroy (console_auth_t **self_p)
{
    console_auth_t *self = *self_p;
    if (!self)
        return;
    sodium_memzero (self->secret, sizeof self->secret);
    free (self->users);
    free (self);
    *self_p = NULL;
}

const char *
console_auth_header (const console_auth_t *self)
{
    return self->header;
}

int
console_auth_identify (const console_auth_t *self, const char *peer, const char *header_value,
                       console_user_t *user)
{
    uint8_t address [16];
    bool known = peer && s_address_parse (peer, address);
    bool trusted = false;
    for (size_t i = 0; known && i < self->proxy_count; i++)
        if (memcmp (self->proxies [i], address, 16) == 0)
            trusted = true;
    const char *name = NULL;
    if (trusted && header_value) {
        if (!s_name_valid (header_value, strlen (header_value)))
            return CF_EINVAL;
        name = header_value;
    } else if (*self->local_user && known && s_loopback (address) && !header_value)
        name = self->local_user;
    if (!name)
        return CF_ENOTFOUND;
    memset (user, 0, sizeof *user);
    strcpy (user->name, name);
    user->role = CONSOLE_ROLE_NONE;
    for (size_t i = 0; i < self->user_count; i++)
        if (strcmp (self->users [i].name, name) == 0)
            user->role = self->users [i].role;
    return 0;
}

static void
s_mac (const console_auth_t *self, const char *user, uint64_t minute,
       uint8_t mac [crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init (&state, self->secret, sizeof self->secret);
    static const char purpose [] = "caseflow-console-form";
    crypto_auth_hmacsha256_update (&state, (const uint8_t *) purpose, sizeof purpose);
    crypto_auth_hmacsha256_update (&state, (const uint8_t *) user, strlen (user) + 1);
    char issued [24];
    int length = snprintf (issued, sizeof issued, "%" PRIx64, minute);
    crypto_auth_hmacsha256_update (&state, (const uint8_t *) issued, (size_t) length);
    crypto_auth_hmacsha256_final (&state, mac);
}

void
console_auth_token (const console_auth_t *self, const char *user, int64_t now,
                    char token [CONSOLE_AUTH_TOKEN_SIZE])
{
    uint64_t minute = now > 0 ? (uint64_t) now / 60 : 0;
    uint8_t mac [crypto_auth_hmacsha256_BYTES];
    s_mac (self, user, minute, mac);
    int length = snprintf (token, CONSOLE_AUTH_TOKEN_SIZE, "%" PRIx64 ".", minute);
    assert (length > 0 && length < 20);
    sodium_bin2base64 (token + length, (size_t) (CONSOLE_AUTH_TOKEN_SIZE - length), mac, sizeof mac,
                       sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
console_auth_token_valid (const console_auth_t *self, const char *user, const char *token,
                          int64_t now)
{
    if (!token || !user || strlen (token) >= CONSOLE_AUTH_TOKEN_SIZE)
        return false;
    char *dot;
    errno = 0;
    unsigned long long minute = strtoull (token, &dot, 16);
    if (errno || dot == token || *dot != '.' || !strchr ("0123456789abcdef", *token))
        return false;
    int64_t issued = (int64_t) minute * 60;
    if (minute > (uint64_t) INT64_MAX / 60 || issued > now + 300
        || now - issued > CONSOLE_AUTH_TOKEN_TTL)
        return false;
    char expected [CONSOLE_AUTH_TOKEN_SIZE];
    console_auth_token (self, user, issued, expected);
    size_t length = strlen (expected);
    return strlen (token) == length && sodium_memcmp (token, expected, length) == 0;
}

bool
console_auth_same_origin (const char *sec_fetch_site)
{
    return !sec_fetch_site || strcmp (sec_fetch_site, "same-origin") == 0
           || strcmp (sec_fetch_site, "none") == 0;
}

int
console_auth_secret_load (const char *dir, uint8_t secret [CONSOLE_AUTH_SECRET_SIZE])
{
    char path [4096];
    snprintf (path, sizeof path, "%s/%s", dir, S_KEY_FILE);
    int fd = open (path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        //  O_EXCL: two starts racing cannot both write one.
        uint8_t fresh [CONSOLE_AUTH_SECRET_SIZE];
        randombytes_buf (fresh, sizeof fresh);
        int out = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        bool written = out >= 0 && write (out, fresh, sizeof fresh) == (ssize_t) sizeof fresh
                       && fsync (out) == 0;
        if (out >= 0)
            close (out);
        sodium_memzero (fresh, sizeof fresh);
        if (!written && out >= 0) {
            cf_log_error ("%s: cannot write the web page's form key: %s", path, strerror (errno));
            unlink (path);
            return CF_EIO;
        }
        fd = open (path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        cf_log_error ("%s: cannot open the web page's form key: %s", path, strerror (errno));
        return CF_EIO;
    }
    uint8_t extra;
    ssize_t got = read (fd, secret, CONSOLE_AUTH_SECRET_SIZE);
    bool ok = got == CONSOLE_AUTH_SECRET_SIZE && read (fd, &extra, 1) == 0;
    close (fd);
    if (!ok) {
        cf_log_error ("%s: the web page's form key must be %d bytes", path,
                      CONSOLE_AUTH_SECRET_SIZE);
        return CF_EIO;
    }
    return 0;
}
