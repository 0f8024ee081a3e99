//  cf_keys: CURVE key sets (see cf_keys.h).
//
//  Certificates are czmq's ZPL files, read and written with zcert. A new
//  pair's two files are first created empty with O_EXCL (the secret one
//  0600), so two generators racing for one name cannot both win and no
//  existing key is ever overwritten; zcert then writes into them.
//
//  Roles are looked up per sender key in a zcertstore of our own (zauth's
//  lives in its actor's thread) and remembered in a hash: the store reads
//  the folder on every lookup, which a message path cannot afford. What is
//  remembered follows public/ all the same: at most once a second a
//  request looks at the folder's modification time, and when it moved
//  (a certificate added, removed or renamed there) every remembered key is
//  looked up again. So a key removed while its connection is open is
//  refused from its next request on, under its own name.
#include "cf_keys.h"

#include "cf_error.h"
#include "cf_log.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define S_PATH_MAX 1024
//  A certificate is a few hundred bytes; anything far larger is not one.
#define S_CERT_MAX (64 * 1024)
//  How often, at most, a request looks whether public/ changed.
#define S_PUBLIC_CHECK_MS 1000

typedef struct {
    cf_role_t role;
    char name [CF_KEYS_NAME_MAX + 1];
} s_peer_t;

static void
s_peer_destroy (void **peer_p)
{
    free (*peer_p);
    *peer_p = NULL;
}

struct _cf_keys_t {
    char *dir;
    char *public_dir;
    zcert_t *cert;
    char name [CF_KEYS_NAME_MAX + 1];
    cf_role_t role;
    zactor_t *auth;
    zcertstore_t *store;           //  public/, for senders' roles
    zhashx_t *peers;               //  User-Id (Z85) -> s_peer_t
    int64_t public_checked_at;     //  zclock_mono of the last look at public/
    struct timespec public_mtime;  //  public/'s modification time then
};

bool
cf_keys_name_valid (const char *name)
{
    size_t length = name ? strlen (name) : 0;
    if (length == 0 || length > CF_KEYS_NAME_MAX)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = name [i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return true;
}

static void
s_paths (const char *dir, const char *name, char public_path [S_PATH_MAX],
         char secret_path [S_PATH_MAX])
{
    snprintf (public_path, S_PATH_MAX, "%s/public/%s.cert", dir, name);
    snprintf (secret_path, S_PATH_MAX, "%s/secret/%s.cert_secret", dir, name);
}

bool
cf_keys_exists (const char *dir, const char *name)
{
    char public_path [S_PATH_MAX], secret_path [S_PATH_MAX];
    s_paths (dir, name, public_path, secret_path);
    return access (public_path, F_OK) == 0 || access (secret_path, F_OK) == 0;
}

static int
s_make_dir (const char *path, mode_t mode)
{
    if (mkdir (path, mode) == 0 || errno == EEXIST)
        return 0;
    cf_log_error ("mkdir %s: %s", path, strerror (errno));
    return CF_EIO;
}

//  Creates `path` empty with `mode`, failing if it exists.
static int
s_create_new (const char *path, mode_t mode)
{
    int fd = open (path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd == -1) {
        if (errno == EEXIST)
            return CF_EEXIST;
        cf_log_error ("open %s: %s", path, strerror (errno));
        return CF_EIO;
    }
    close (fd);
    return 0;
}

int
cf_keys_generate (const char *dir, const char *name, cf_role_t role,
                  char public_key [CF_KEYS_Z85_SIZE])
{
    assert (dir);
    if (!cf_keys_name_valid (name) || role == CF_ROLE_NONE)
        return CF_EINVAL;
    if (!zsys_has_curve ()) {
        cf_log_error ("this ZeroMQ library has no CURVE support");
        return CF_EIO;
    }
    char path [S_PATH_MAX];
    int rc = s_make_dir (dir, 0755);
    snprintf (path, sizeof path, "%s/public", dir);
    if (rc == 0)
        rc = s_make_dir (path, 0755);
    //  The secret folder is private to its owner; one made by hand with a
    //  looser mode is left as it is (the files in it are 0600 anyway).
    snprintf (path, sizeof path, "%s/secret", dir);
    if (rc == 0)
        rc = s_make_dir (path, 0700);
    if (rc)
        return rc;

    char public_path [S_PATH_MAX], secret_path [S_PATH_MAX];
    s_paths (dir, name, public_path, secret_path);
    rc = s_create_new (secret_path, 0600);
    if (rc)
        return rc;
    rc = s_create_new (public_path, 0644);
    if (rc) {
        unlink (secret_path);
        return rc;
    }
    zcert_t *cert = zcert_new ();
    assert (cert);
    zcert_set_meta (cert, "name", "%s", name);
    zcert_set_meta (cert, "role", "%s", cf_role_name (role));
    if (zcert_save_secret (cert, secret_path) || zcert_save_public (cert, public_path)) {
        cf_log_error ("cannot write the certificates of %s in %s", name, dir);
        unlink (secret_path);
        unlink (public_path);
        zcert_destroy (&cert);
        return CF_EIO;
    }
    if (public_key)
        snprintf (public_key, CF_KEYS_Z85_SIZE, "%s", zcert_public_txt (cert));
    zcert_destroy (&cert);
    return 0;
}

//  Loads a certificate file; `secret` asks for a key pair, not just a
//  public key. Returns it (zcert_destroy) or NULL with *rc_p (logged).
static zcert_t *
s_load_cert (const char *path, bool secret, int *rc_p)
{
    if (access (path, R_OK) != 0) {
        cf_log_error ("keys: %s: %s", path, strerror (errno));
        *rc_p = errno == ENOENT ? CF_ENOTFOUND : CF_EINVAL;
        return NULL;
    }
    //  czmq 4.2.1's zconfig_load leaks its file handle on a syntax error:
    //  parse the text once ourselves before zcert_load reads it.
    zchunk_t *chunk = zchunk_slurp (path, S_CERT_MAX);
    zconfig_t *config = chunk ? zconfig_chunk_load (chunk) : NULL;
    zchunk_destroy (&chunk);
    zcert_t *cert = config ? zcert_load (path) : NULL;
    zconfig_destroy (&config);
    if (!cert) {
        cf_log_error ("keys: %s is not a CURVE certificate", path);
        *rc_p = CF_EINVAL;
        return NULL;
    }
    if (secret) {
        //  zcert leaves the secret key all zeros when the file has none.
        static const byte zeros [32] = { 0 };
        if (memcmp (zcert_secret_key (cert), zeros, sizeof zeros) == 0) {
            cf_log_error ("keys: %s holds no secret key (a public certificate?)", path);
            zcert_destroy (&cert);
            *rc_p = CF_EINVAL;
            return NULL;
        }
        //  Group-readable is how Kubernetes hands a secret to a pod's group
        //  (fsGroup); readable by everyone is a mistake worth a line.
        struct stat info;
        if (stat (path, &info) == 0 && (info.st_mode & 007))
            cf_log_warn ("keys: %s can be read by every user (chmod 600 it)", path);
    }
    *rc_p = 0;
    return cert;
}

cf_keys_t *
cf_keys_load (const char *dir, const char *name, int *rc_p)
{
    assert (dir);
    assert (name);
    int rc = 0;
    cf_keys_t *self = NULL;
    struct stat info;
    char public_dir [S_PATH_MAX];
    snprintf (public_dir, sizeof public_dir, "%s/public", dir);
    if (!zsys_has_curve ()) {
        cf_log_error ("keys: this ZeroMQ library has no CURVE support");
        rc = CF_EINVAL;
    } else if (!cf_keys_name_valid (name)) {
        cf_log_error ("keys: \"%s\" is not a key name", name);
        rc = CF_EINVAL;
    } else if (stat (public_dir, &info) != 0 || !S_ISDIR (info.st_mode)) {
        cf_log_error ("keys: %s is not a key set (no folder %s; caseflowctl keys generate "
                      "--dir %s makes one)",
                      dir, public_dir, dir);
        rc = CF_ENOTFOUND;
    } else {
        char public_path [S_PATH_MAX], secret_path [S_PATH_MAX];
        s_paths (dir, name, public_path, secret_path);
        zcert_t *cert = s_load_cert (secret_path, true, &rc);
        if (cert) {
            self = calloc (1, sizeof *self);
            assert (self);
            self->dir = strdup (dir);
            self->public_dir = strdup (public_dir);
            assert (self->dir && self->public_dir);
            self->cert = cert;
            snprintf (self->name, sizeof self->name, "%s", name);
            self->role = cf_role_parse (zcert_meta (cert, "role"));
        }
    }
    if (rc_p)
        *rc_p = rc;
    return self;
}

void
cf_keys_destroy (cf_keys_t **self_p)
{
    assert (self_p);
    cf_keys_t *self = *self_p;
    if (!self)
        return;
    zactor_destroy (&self->auth);
    zcertstore_destroy (&self->store);
    zhashx_destroy (&self->peers);
    zcert_destroy (&self->cert);
    free (self->dir);
    free (self->public_dir);
    free (self);
    *self_p = NULL;
}

const char *
cf_keys_name (cf_keys_t *self)
{
    assert (self);
    return self->name;
}

cf_role_t
cf_keys_role (cf_keys_t *self)
{
    assert (self);
    return self->role;
}

const char *
cf_keys_public_key (cf_keys_t *self)
{
    assert (self);
    return zcert_public_txt (self->cert);
}

int
cf_keys_start_auth (cf_keys_t *self)
{
    assert (self);
    assert (!self->auth);
    self->auth = zactor_new (zauth, NULL);
    if (!self->auth) {
        cf_log_error ("keys: cannot start the authenticator (zauth)");
        return CF_EIO;
    }
    //  Commands to zauth are synchronous: once answered, every handshake
    //  from here on is checked against public/.
    zstr_sendx (self->auth, "CURVE", self->public_dir, NULL);
    zsock_wait (self->auth);
    self->store = zcertstore_new (self->public_dir);
    assert (self->store);
    self->peers = zhashx_new ();
    assert (self->peers);
    zhashx_set_destructor (self->peers, s_peer_destroy);
    struct stat info;
    if (stat (self->public_dir, &info) == 0)
        self->public_mtime = info.st_mtim;
    self->public_checked_at = zclock_mono ();
    return 0;
}

void
cf_keys_set_server (cf_keys_t *self, zsock_t *socket)
{
    assert (self);
    assert (socket);
    zcert_apply (self->cert, socket);
    zsock_set_curve_server (socket, 1);
    zsock_set_zap_domain (socket, "caseflow");
}

int
cf_keys_peer_key (cf_keys_t *self, const char *peer, char key [CF_KEYS_Z85_SIZE])
{
    assert (self);
    assert (peer);
    if (!cf_keys_name_valid (peer)) {
        cf_log_error ("keys: \"%s\" cannot name a key", peer);
        return CF_EINVAL;
    }
    char path [S_PATH_MAX];
    snprintf (path, sizeof path, "%s/%s.cert", self->public_dir, peer);
    int rc = 0;
    zcert_t *cert = s_load_cert (path, false, &rc);
    if (!cert)
        return rc;
    snprintf (key, CF_KEYS_Z85_SIZE, "%s", zcert_public_txt (cert));
    zcert_destroy (&cert);
    return 0;
}

void
cf_keys_set_client (cf_keys_t *self, zsock_t *socket, const char *server_key)
{
    assert (self);
    assert (socket);
    assert (server_key && strlen (server_key) == CF_KEYS_Z85_SIZE - 1);
    zcert_apply (self->cert, socket);
    zsock_set_curve_serverkey (socket, server_key);
}

//  When public/ changed since the last look (at most once a second), looks
//  every remembered key up again: a removed one keeps its name and gets
//  the role none, a changed certificate's role applies.
static void
s_follow_public (cf_keys_t *self)
{
    int64_t now = zclock_mono ();
    if (now - self->public_checked_at < S_PUBLIC_CHECK_MS)
        return;
    self->public_checked_at = now;
    struct stat info;
    if (stat (self->public_dir, &info) != 0)
        return;  //  Gone or unreadable: zauth and the store keep what they had
    if (info.st_mtim.tv_sec == self->public_mtime.tv_sec
        && info.st_mtim.tv_nsec == self->public_mtime.tv_nsec)
        return;
    self->public_mtime = info.st_mtim;
    for (s_peer_t *peer = zhashx_first (self->peers); peer; peer = zhashx_next (self->peers)) {
        zcert_t *cert = zcertstore_lookup (self->store, zhashx_cursor (self->peers));
        peer->role = cert ? cf_role_parse (zcert_meta (cert, "role")) : CF_ROLE_NONE;
    }
}

//  The role of the key `user_id` (a frame's User-Id property, or NULL).
static cf_role_t
s_user_role (cf_keys_t *self, const char *user_id, const char **name_p)
{
    assert (self->peers);  //  cf_keys_start_auth was called
    s_follow_public (self);
    if (name_p)
        *name_p = "unknown";
    if (!user_id || strlen (user_id) != CF_KEYS_Z85_SIZE - 1)
        return CF_ROLE_NONE;
    s_peer_t *peer = zhashx_lookup (self->peers, user_id);
    if (!peer) {
        zcert_t *cert = zcertstore_lookup (self->store, user_id);
        if (!cert)
            return CF_ROLE_NONE;  //  removed since the handshake; not remembered
        peer = calloc (1, sizeof *peer);
        assert (peer);
        peer->role = cf_role_parse (zcert_meta (cert, "role"));
        const char *name = zcert_meta (cert, "name");
        snprintf (peer->name, sizeof peer->name, "%s",
                  name && cf_keys_name_valid (name) ? name : "unnamed");
        zhashx_insert (self->peers, user_id, peer);
    }
    if (name_p)
        *name_p = peer->name;
    return peer->role;
}

//  zauth's User-Id for CURVE is the client's public key; libzmq puts the
//  authenticator's properties before anything the client sent.
cf_role_t
cf_keys_message_role (cf_keys_t *self, zmq_msg_t *frame, const char **name_p)
{
    assert (self);
    assert (frame);
    return s_user_role (self, zmq_msg_gets (frame, "User-Id"), name_p);
}
