//  cf_keys: CURVE key sets, on czmq's zcert, zcertstore and zauth.
//
//  A key set is one directory:
//
//      DIR/public/<name>.cert          a public certificate, with the
//                                      metadata name=<name> and role=<role>
//      DIR/secret/<name>.cert_secret   its key pair (file 0600, folder 0700)
//
//  public/ is the list of keys every server admits: a server loads its own
//  secret certificate (secret/<stream>.cert_secret), makes its sockets
//  CURVE servers, and runs czmq's zauth on public/, which refuses any
//  other key (and any plaintext client) during the handshake. A client
//  loads its own secret certificate and the server's public one
//  (public/<stream>.cert), so it talks only to the real server.
//
//  What a known key may do is its role (cf_roles.h). The server reads the
//  role from its own copy of the certificate, found by the User-Id that
//  zauth attaches to every message (the client's public key): a client
//  cannot claim a role of its own choosing.
//
//  One cf_keys_t serves one thread. A process runs at most one zauth
//  (ZeroMQ's ZAP endpoint is one per context): cf_keys_start_auth once.
#ifndef CF_KEYS_H
#define CF_KEYS_H

#include "cf_roles.h"

#include <czmq.h>
#include <stdbool.h>

//  Longest key name; names are [a-z0-9] then [a-z0-9._-].
#define CF_KEYS_NAME_MAX 63
//  A CURVE key as Z85 text, with its terminating NUL.
#define CF_KEYS_Z85_SIZE 41

typedef struct _cf_keys_t cf_keys_t;

//  True when `name` can name a key: 1 to CF_KEYS_NAME_MAX characters,
//  lower-case letters, digits, '.', '_' and '-', not starting with a dot,
//  underscore or dash.
bool
cf_keys_name_valid (const char *name);

//  True when `dir` already has a public or a secret certificate for `name`.
bool
cf_keys_exists (const char *dir, const char *name);

//  Makes a fresh key pair for `name` with `role` and saves it in the key
//  set `dir` (creating dir, public/ and secret/ when missing). Never
//  overwrites: returns CF_EEXIST, writing nothing, when either file
//  exists. Fills `public_key` (Z85) if not NULL. Returns 0, CF_EINVAL for
//  a bad name or role CF_ROLE_NONE, CF_EEXIST, or CF_EIO (logged).
int
cf_keys_generate (const char *dir, const char *name, cf_role_t role,
                  char public_key [CF_KEYS_Z85_SIZE]);

//  Loads `name`'s key pair from the key set `dir`. Returns the keys
//  (destroy with cf_keys_destroy), or NULL with *rc_p (may be NULL) set to
//  CF_ENOTFOUND (no such directory or certificate) or CF_EINVAL (not a
//  certificate with a secret key, or ZeroMQ without CURVE); logged with
//  the path.
cf_keys_t *
cf_keys_load (const char *dir, const char *name, int *rc_p);

//  Stops the authenticator if it runs and frees; safe on NULL; nulls
//  *self_p. Destroy after the sockets the keys were applied to.
void
cf_keys_destroy (cf_keys_t **self_p);

//  The key's name, its role (from its certificate) and its public key
//  (Z85). Borrowed.
const char *
cf_keys_name (cf_keys_t *self);
cf_role_t
cf_keys_role (cf_keys_t *self);
const char *
cf_keys_public_key (cf_keys_t *self);

//  Starts zauth admitting the keys of DIR/public (read again when the
//  folder changes, so a key added there is admitted without a restart).
//  Call before any server socket binds. Returns 0, or CF_EIO (logged).
int
cf_keys_start_auth (cf_keys_t *self);

//  Makes `socket` a CURVE server with this key pair. Call before bind.
void
cf_keys_set_server (cf_keys_t *self, zsock_t *socket);

//  Reads the public key of server `peer` from DIR/public/<peer>.cert into
//  `key` (Z85). Returns 0, or CF_ENOTFOUND / CF_EINVAL (logged).
int
cf_keys_peer_key (cf_keys_t *self, const char *peer, char key [CF_KEYS_Z85_SIZE]);

//  Makes `socket` a CURVE client with this key pair, of the server whose
//  public key is `server_key` (Z85). Call before connect.
void
cf_keys_set_client (cf_keys_t *self, zsock_t *socket, const char *server_key);

//  The role of the peer that sent `frame`, a message received into
//  libzmq's own zmq_msg_t (cf_frames) on a socket made a server with
//  cf_keys_set_server, from DIR/public's certificate of its
//  key; CF_ROLE_NONE when the frame carries no key or the certificate is
//  gone or has no role. *name_p (if not NULL) is the key's name, or
//  "unknown" for a key whose certificate was never read; borrowed until
//  the keys are destroyed. Certificates are read once per key and
//  remembered, and read again when DIR/public changes (looked at no more
//  than once a second): a certificate removed there makes its key's role
//  CF_ROLE_NONE within a second, on connections already open too.
cf_role_t
cf_keys_message_role (cf_keys_t *self, zmq_msg_t *frame, const char **name_p);

#endif
