//  console_auth: who is using the web page, what they may do, and the
//  token that protects its forms against cross-site request forgery.
//
//  The console does not sign people in. The municipality's authenticating
//  reverse proxy (OIDC) does, and passes the signed-in person's user name
//  in a header (`--web-user-header`, default X-Forwarded-User). The header
//  is believed only from the proxies' addresses (`--web-trusted-proxies`);
//  from anyone else it is ignored, so a browser that reaches the console
//  directly cannot name itself. What a person may do comes from the
//  console's configuration (`--web-users`, "anna:caller,bert:team-lead"),
//  never from the proxy or the request: a signed-in person the console
//  does not list has no role and sees only a page saying so.
//
//  For a machine without a proxy (the demo, a developer's laptop),
//  `--web-local-user NAME` makes every request from a loopback address
//  that names nobody that person. It is off by default.
//
//  Forms (the only way to change anything; always POST) carry a token:
//  "<minute issued, hex>.<HMAC-SHA-256 of the user and that minute under
//  the console's secret, base64url>", valid for CONSOLE_AUTH_TOKEN_TTL
//  seconds. It is bound to the person, so a token taken from one person's
//  page is worthless for another, and it needs no server-side session.
//  The secret (32 random bytes) lives in the data directory, made on the
//  first start (console_auth_secret_load).
#ifndef CONSOLE_AUTH_H
#define CONSOLE_AUTH_H

#include "cf_config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Roles, least first.
typedef enum {
    CONSOLE_ROLE_NONE = 0,  //  signed in, not listed in --web-users
    CONSOLE_ROLE_READ_ONLY,
    CONSOLE_ROLE_CALLER,
    CONSOLE_ROLE_TEAM_LEAD,
} console_role_t;

//  What a page lets a person do; console_auth_may says who may.
typedef enum {
    CONSOLE_ACT_VIEW,      //  read the pages and the JSON API
    CONSOLE_ACT_CALLBACK,  //  claim, release, record a callback's outcome
    CONSOLE_ACT_PARK,      //  set a callback aside for a team lead
    CONSOLE_ACT_PERSONAL,  //  see a resident's personal details (recorded)
} console_action_t;

//  Longest user name (on_behalf_of's limit, cf_api.c).
#define CONSOLE_USER_MAX 64

//  A token's life, in seconds (12 hours: a working day, whatever the
//  proxy's session does).
#define CONSOLE_AUTH_TOKEN_TTL (12 * 3600)

//  Room for a token and its NUL.
#define CONSOLE_AUTH_TOKEN_SIZE 64

//  The secret's size in bytes.
#define CONSOLE_AUTH_SECRET_SIZE 32

typedef struct {
    char name [CONSOLE_USER_MAX + 1];
    console_role_t role;
} console_user_t;

typedef struct _console_auth_t console_auth_t;

//  The configuration entries of the web page's people (the flags above)
//  and of its form bodies' limit, as initialisers for the console's one
//  definition table (console_main.c lists them there).
#define CONSOLE_AUTH_CONFIG_ENTRIES                                                            \
    { "web-trusted-proxies",                                                                   \
      "CASEFLOW_CONSOLE_TRUSTED_PROXIES",                                                      \
      CF_CONFIG_STRING,                                                                        \
      "",                                                                                      \
      "addresses of the authenticating reverse proxies whose user header is believed "         \
      "(comma-separated IPv4/IPv6); empty: none",                                              \
      NULL,                                                                                    \
      0,                                                                                       \
      0 },                                                                                     \
        { "web-user-header",                                                                   \
          "CASEFLOW_CONSOLE_USER_HEADER",                                                      \
          CF_CONFIG_STRING,                                                                    \
          "X-Forwarded-User",                                                                  \
          "the header in which a trusted proxy names the signed-in person",                    \
          NULL,                                                                                \
          0,                                                                                   \
          0 },                                                                                 \
        { "web-users",                                                                         \
          "CASEFLOW_CONSOLE_USERS",                                                            \
          CF_CONFIG_STRING,                                                                    \
          "",                                                                                  \
          "the web page's people and their roles: NAME:caller|team-lead|read-only, "           \
          "comma-separated",                                                                   \
          NULL,                                                                                \
          0,                                                                                   \
          0 },                                                                                 \
        { "web-local-user",                                                                    \
          "CASEFLOW_CONSOLE_LOCAL_USER",                                                       \
          CF_CONFIG_STRING,                                                                    \
          "",                                                                                  \
          "demo and development only: the person every loopback request that names nobody is", \
          NULL,                                                                                \
          0,                                                                                   \
          0 },                                                                                 \
    {                                                                                          \
        "web-max-body", "CASEFLOW_CONSOLE_WEB_MAX_BODY", CF_CONFIG_SIZE, "16K",                \
            "the largest form the web page takes (413 beyond)", NULL, 1024, 1024 * 1024        \
    }

//  Makes the checker from the values of those entries (borrowed; NULL
//  reads as "") and `secret` (copied). Returns NULL when a value is
//  malformed, with one line in `error` (`error_size` bytes) naming the
//  flag and the bad item, never echoing more than the item.
console_auth_t *
console_auth_new (const char *trusted_proxies, const char *users, const char *header,
                  const char *local_user, const uint8_t secret [CONSOLE_AUTH_SECRET_SIZE],
                  char *error, size_t error_size);

//  Frees, safe on NULL; wipes the secret; nulls *self_p.
void
console_auth_destroy (console_auth_t **self_p);

//  The header the user name comes in (borrowed).
const char *
console_auth_header (const console_auth_t *self);

//  Who sent a request that came from `peer` (the connection's address,
//  text form, IPv4 or IPv6; NULL: unknown) with `header_value` (the user
//  header's value, NULL when absent). Returns 0 with the person in *user
//  (role CONSOLE_ROLE_NONE when not listed); CF_ENOTFOUND when the
//  request names nobody (no trusted proxy vouches, no local user);
//  CF_EINVAL when a trusted proxy sent a malformed name.
int
console_auth_identify (const console_auth_t *self, const char *peer, const char *header_value,
                       console_user_t *user);

//  True when `role` may do `action`.
bool
console_auth_may (console_role_t role, console_action_t action);

//  The role's word ("caller", "team-lead", "read-only", "none") and back
//  (false for an unknown word).
const char *
console_role_name (console_role_t role);
bool
console_role_parse (const char *word, console_role_t *role_p);

//  Writes the form token for `user` issued at `now` (Unix seconds, wall
//  clock) into `token` (CONSOLE_AUTH_TOKEN_SIZE bytes).
void
console_auth_token (const console_auth_t *self, const char *user, int64_t now,
                    char token [CONSOLE_AUTH_TOKEN_SIZE]);

//  True when `token` (NULL: false) was issued for `user` by this secret
//  and is neither older than CONSOLE_AUTH_TOKEN_TTL at `now` nor from
//  more than five minutes in its future. Compared in constant time.
bool
console_auth_token_valid (const console_auth_t *self, const char *user, const char *token,
                          int64_t now);

//  True when the browser's own word about the request's origin allows a
//  form post: `sec_fetch_site` (the Sec-Fetch-Site header; NULL when the
//  browser sent none) is absent, "same-origin" or "none". A second wall
//  beside the token, for the browsers that say.
bool
console_auth_same_origin (const char *sec_fetch_site);

//  Reads the secret from `dir`/console-web.key, making it (random, mode
//  0600) when absent. Returns 0, or CF_EIO (logged) when the file cannot
//  be read, made, or has another size.
int
console_auth_secret_load (const char *dir, uint8_t secret [CONSOLE_AUTH_SECRET_SIZE]);

#endif
