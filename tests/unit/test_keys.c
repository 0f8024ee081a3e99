//  test_keys: the role table (cf_roles) and key sets (cf_keys): names,
//  the layout generate writes, never overwriting, loading errors, and a
//  CURVE handshake in this process that admits a known key with its role
//  and refuses an unknown one and a plaintext client.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_keys.h"
#include "cf_log.h"
#include "cf_roles.h"
#include "cf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_role_table (void **unused)
{
    (void) unused;
    assert_true (cf_role_allows (CF_ROLE_OPERATOR, CF_ACTION_COMMAND));
    assert_true (cf_role_allows (CF_ROLE_SERVICE, CF_ACTION_COMMAND));
    assert_false (cf_role_allows (CF_ROLE_CONSUMER, CF_ACTION_COMMAND));
    assert_true (cf_role_allows (CF_ROLE_OPERATOR, CF_ACTION_QUERY));
    assert_true (cf_role_allows (CF_ROLE_SERVICE, CF_ACTION_QUERY));
    assert_false (cf_role_allows (CF_ROLE_CONSUMER, CF_ACTION_QUERY));
    assert_true (cf_role_allows (CF_ROLE_PROXY, CF_ACTION_COMMAND));
    assert_true (cf_role_allows (CF_ROLE_PROXY, CF_ACTION_QUERY));
    //  Only a proxy names the person it acts for.
    for (cf_role_t role = CF_ROLE_NONE; role <= CF_ROLE_LAST; role++)
        assert_int_equal (cf_role_may_act_for (role), role == CF_ROLE_PROXY);
    for (cf_role_t role = CF_ROLE_SERVICE; role <= CF_ROLE_LAST; role++) {
        assert_true (cf_role_allows (role, CF_ACTION_REPLAY));
        assert_true (cf_role_allows (role, CF_ACTION_SUBSCRIBE));
    }
    //  A key without a role may do nothing at all.
    for (cf_action_t action = 0; action < CF_ACTION_COUNT; action++)
        assert_false (cf_role_allows (CF_ROLE_NONE, action));

    //  The words that explain a refusal agree with the table.
    for (cf_action_t action = 0; action < CF_ACTION_COUNT; action++) {
        const char *roles = cf_action_roles (action);
        for (cf_role_t role = CF_ROLE_SERVICE; role <= CF_ROLE_LAST; role++)
            assert_int_equal (strstr (roles, cf_role_name (role)) != NULL,
                              cf_role_allows (role, action));
    }
    assert_string_equal (cf_action_roles (CF_ACTION_COMMAND), "service, operator or proxy");
    assert_string_equal (cf_action_name (CF_ACTION_REPLAY), "replay");
}

static void
test_role_names (void **unused)
{
    (void) unused;
    for (cf_role_t role = CF_ROLE_SERVICE; role <= CF_ROLE_LAST; role++)
        assert_int_equal (cf_role_parse (cf_role_name (role)), role);
    assert_int_equal (cf_role_parse ("Operator"), CF_ROLE_NONE);
    assert_int_equal (cf_role_parse ("admin"), CF_ROLE_NONE);
    assert_int_equal (cf_role_parse (""), CF_ROLE_NONE);
    assert_int_equal (cf_role_parse (NULL), CF_ROLE_NONE);
    assert_string_equal (cf_role_name (CF_ROLE_NONE), "none");
}

static void
test_key_names (void **unused)
{
    (void) unused;
    assert_true (cf_keys_name_valid ("intake"));
    assert_true (cf_keys_name_valid ("intake-helmond.2"));
    assert_true (cf_keys_name_valid ("front_office"));
    assert_false (cf_keys_name_valid (""));
    assert_false (cf_keys_name_valid (NULL));
    assert_false (cf_keys_name_valid ("-x"));
    assert_false (cf_keys_name_valid (".hidden"));
    assert_false (cf_keys_name_valid ("../etc/passwd"));
    assert_false (cf_keys_name_valid ("a/b"));
    assert_false (cf_keys_name_valid ("Intake"));
    assert_false (cf_keys_name_valid ("two words"));
    char longest [CF_KEYS_NAME_MAX + 2];
    memset (longest, 'a', sizeof longest);
    longest [CF_KEYS_NAME_MAX] = 0;
    assert_true (cf_keys_name_valid (longest));
    longest [CF_KEYS_NAME_MAX] = 'a';
    longest [CF_KEYS_NAME_MAX + 1] = 0;
    assert_false (cf_keys_name_valid (longest));
}

static mode_t
s_mode (const char *dir, const char *relative)
{
    char path [512];
    int written = snprintf (path, sizeof path, "%s/%s", dir, relative);
    assert_true (written > 0 && (size_t) written < sizeof path);
    struct stat info;
    assert_int_equal (stat (path, &info), 0);
    return info.st_mode & 0777;
}

static void
test_generate_layout (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("keys");
    char set [512];
    snprintf (set, sizeof set, "%s/set", dir);
    char key [CF_KEYS_Z85_SIZE];
    assert_false (cf_keys_exists (set, "operator"));
    assert_int_equal (cf_keys_generate (set, "operator", CF_ROLE_OPERATOR, key), 0);
    assert_int_equal (strlen (key), CF_KEYS_Z85_SIZE - 1);
    assert_true (cf_keys_exists (set, "operator"));
    assert_int_equal (s_mode (set, "secret"), 0700);
    assert_int_equal (s_mode (set, "secret/operator.cert_secret"), 0600);
    assert_int_equal (s_mode (set, "public/operator.cert") & 0400, 0400);

    //  The public certificate carries the key, its name and role, and no
    //  secret.
    char path [600];
    snprintf (path, sizeof path, "%s/public/operator.cert", set);
    zcert_t *cert = zcert_load (path);
    assert_non_null (cert);
    assert_string_equal (zcert_public_txt (cert), key);
    assert_string_equal (zcert_meta (cert, "name"), "operator");
    assert_string_equal (zcert_meta (cert, "role"), "operator");
    static const byte zeros [32] = { 0 };
    assert_memory_equal (zcert_secret_key (cert), zeros, 32);
    zcert_destroy (&cert);

    //  Never overwritten, and a refused name or role writes nothing.
    char again [CF_KEYS_Z85_SIZE];
    assert_int_equal (cf_keys_generate (set, "operator", CF_ROLE_OPERATOR, again), CF_EEXIST);
    assert_int_equal (cf_keys_generate (set, "../x", CF_ROLE_OPERATOR, NULL), CF_EINVAL);
    assert_int_equal (cf_keys_generate (set, "nobody", CF_ROLE_NONE, NULL), CF_EINVAL);
    assert_false (cf_keys_exists (set, "nobody"));

    //  The loaded pair is the generated one, with its role.
    int rc = -1;
    cf_keys_t *keys = cf_keys_load (set, "operator", &rc);
    assert_non_null (keys);
    assert_int_equal (rc, 0);
    assert_string_equal (cf_keys_public_key (keys), key);
    assert_string_equal (cf_keys_name (keys), "operator");
    assert_int_equal (cf_keys_role (keys), CF_ROLE_OPERATOR);
    char peer [CF_KEYS_Z85_SIZE];
    assert_int_equal (cf_keys_peer_key (keys, "operator", peer), 0);
    assert_string_equal (peer, key);
    assert_int_equal (cf_keys_peer_key (keys, "intake", peer), CF_ENOTFOUND);
    cf_keys_destroy (&keys);
    assert_null (keys);
    cf_test_rmtree (dir);
    free (dir);
}

static void
test_load_errors (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("keys");
    int rc = 0;
    //  Not a key set at all.
    assert_null (cf_keys_load (dir, "intake", &rc));
    assert_int_equal (rc, CF_ENOTFOUND);
    //  A key set without this key.
    assert_int_equal (cf_keys_generate (dir, "intake", CF_ROLE_SERVICE, NULL), 0);
    assert_null (cf_keys_load (dir, "operator", &rc));
    assert_int_equal (rc, CF_ENOTFOUND);
    assert_null (cf_keys_load (dir, "../intake", &rc));
    assert_int_equal (rc, CF_EINVAL);
    //  A public certificate where the secret one belongs.
    char from [512], to [512];
    snprintf (from, sizeof from, "%s/public/intake.cert", dir);
    snprintf (to, sizeof to, "%s/secret/copy.cert_secret", dir);
    zcert_t *cert = zcert_load (from);
    assert_non_null (cert);
    assert_int_equal (zcert_save_public (cert, to), 0);
    zcert_destroy (&cert);
    assert_null (cf_keys_load (dir, "copy", &rc));
    assert_int_equal (rc, CF_EINVAL);
    //  Something that is no certificate.
    FILE *file = fopen (to, "w");
    assert_non_null (file);
    fputs ("not a certificate\n", file);
    fclose (file);
    assert_null (cf_keys_load (dir, "copy", &rc));
    assert_int_equal (rc, CF_EINVAL);
    cf_test_rmtree (dir);
    free (dir);
}

//  Longer than the server's once-a-second look at public/.
#define S_LOOK_MS 1200

//  Receives one frame on `router` within 1 s; on arrival fills its sender's
//  role and name as the server sees them and returns true.
static bool
s_receive_role (zsock_t *router, cf_keys_t *server_keys, cf_role_t *role_p,
                char name [CF_KEYS_NAME_MAX + 1])
{
    //  The frames as the runtime receives them: into libzmq's messages,
    //  whose metadata carry the sender's key.
    zsock_set_rcvtimeo (router, 1000);
    zmq_msg_t frames [2];
    size_t count = 0;
    bool more = true;
    while (more && count < 2) {
        zmq_msg_init (&frames [count]);
        if (zmq_msg_recv (&frames [count], zsock_resolve (router), 0) < 0) {
            zmq_msg_close (&frames [count]);
            break;
        }
        more = zmq_msg_more (&frames [count]);
        count++;
    }
    bool received = count == 2 && !more;
    if (received) {
        const char *key_name = NULL;
        *role_p = cf_keys_message_role (server_keys, &frames [1], &key_name);
        snprintf (name, CF_KEYS_NAME_MAX + 1, "%s", key_name);
    }
    for (size_t i = 0; i < count; i++)
        zmq_msg_close (&frames [i]);
    if (count == 0)
        return false;
    assert_true (received);
    return true;
}

//  Starts `server`'s authenticator and binds a CURVE-server ROUTER on a
//  free loopback port; its endpoint goes to `endpoint`.
static zsock_t *
s_bind_server (cf_keys_t *server, char endpoint [64])
{
    assert_int_equal (cf_keys_start_auth (server), 0);
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    assert_non_null (router);
    cf_keys_set_server (server, router);
    int port = zsock_bind (router, "tcp://127.0.0.1:*");
    assert_true (port > 0);
    snprintf (endpoint, 64, "tcp://127.0.0.1:%d", port);
    return router;
}

//  Connects a DEALER to `endpoint` (CURVE client when `keys`), sends one
//  frame and returns whether the ROUTER received it within 1 s; fills
//  the sender's role and name as the server sees them.
static bool
s_reaches (zsock_t *router, cf_keys_t *server_keys, const char *endpoint, cf_keys_t *keys,
           cf_role_t *role_p, char name [CF_KEYS_NAME_MAX + 1])
{
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    assert_non_null (dealer);
    zsock_set_linger (dealer, 0);
    if (keys)
        cf_keys_set_client (keys, dealer, cf_keys_public_key (server_keys));
    assert_int_equal (zsock_connect (dealer, "%s", endpoint), 0);
    zstr_send (dealer, "hello");
    bool received = s_receive_role (router, server_keys, role_p, name);
    zsock_destroy (&dealer);
    return received;
}

static void
test_handshake_and_roles (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("keys");
    char *other = cf_test_tmpdir ("keys-other");
    assert_int_equal (cf_keys_generate (dir, "intake", CF_ROLE_SERVICE, NULL), 0);
    assert_int_equal (cf_keys_generate (dir, "consumer", CF_ROLE_CONSUMER, NULL), 0);
    //  Same name and role, but another key set: unknown to the server.
    assert_int_equal (cf_keys_generate (other, "consumer", CF_ROLE_CONSUMER, NULL), 0);
    cf_keys_t *server = cf_keys_load (dir, "intake", NULL);
    cf_keys_t *consumer = cf_keys_load (dir, "consumer", NULL);
    cf_keys_t *stranger = cf_keys_load (other, "consumer", NULL);
    assert_true (server && consumer && stranger);
    char endpoint [64];
    zsock_t *router = s_bind_server (server, endpoint);

    cf_role_t role = CF_ROLE_NONE;
    char name [CF_KEYS_NAME_MAX + 1] = "";
    assert_true (s_reaches (router, server, endpoint, consumer, &role, name));
    assert_int_equal (role, CF_ROLE_CONSUMER);
    assert_string_equal (name, "consumer");
    //  Remembered, and the same answer the second time.
    assert_true (s_reaches (router, server, endpoint, consumer, &role, name));
    assert_int_equal (role, CF_ROLE_CONSUMER);
    assert_false (s_reaches (router, server, endpoint, stranger, &role, name));
    assert_false (s_reaches (router, server, endpoint, NULL, &role, name));

    zsock_destroy (&router);
    cf_keys_destroy (&stranger);
    cf_keys_destroy (&consumer);
    cf_keys_destroy (&server);
    cf_test_rmtree (dir);
    cf_test_rmtree (other);
    free (dir);
    free (other);
}

//  Sends one frame on `dealer` and returns the role the server gives its
//  sender (asserting it arrived within 1 s), its name in `name`.
static cf_role_t
s_role_on (zsock_t *dealer, zsock_t *router, cf_keys_t *server_keys,
           char name [CF_KEYS_NAME_MAX + 1])
{
    zstr_send (dealer, "again");
    cf_role_t role = CF_ROLE_NONE;
    assert_true (s_receive_role (router, server_keys, &role, name));
    return role;
}

//  A key removed from public/ while its connection is open: its next
//  requests (after the once-a-second look at the folder) get the role
//  none under its own name, and a new connection with it is refused.
static void
test_removed_key_loses_its_role (void **unused)
{
    (void) unused;
    char *dir = cf_test_tmpdir ("keys");
    assert_int_equal (cf_keys_generate (dir, "intake", CF_ROLE_SERVICE, NULL), 0);
    assert_int_equal (cf_keys_generate (dir, "consumer", CF_ROLE_CONSUMER, NULL), 0);
    assert_int_equal (cf_keys_generate (dir, "operator", CF_ROLE_OPERATOR, NULL), 0);
    cf_keys_t *server = cf_keys_load (dir, "intake", NULL);
    cf_keys_t *consumer = cf_keys_load (dir, "consumer", NULL);
    cf_keys_t *operator= cf_keys_load (dir, "operator", NULL);
    assert_true (server && consumer && operator);
    char endpoint [64];
    zsock_t *router = s_bind_server (server, endpoint);

    //  Two open connections; the consumer's role is read and remembered.
    zsock_t *dealers [2];
    cf_keys_t *clients [2] = { consumer, operator};
    for (int i = 0; i < 2; i++) {
        dealers [i] = zsock_new (ZMQ_DEALER);
        assert_non_null (dealers [i]);
        zsock_set_linger (dealers [i], 0);
        cf_keys_set_client (clients [i], dealers [i], cf_keys_public_key (server));
        assert_int_equal (zsock_connect (dealers [i], "%s", endpoint), 0);
    }
    char name [CF_KEYS_NAME_MAX + 1] = "";
    assert_int_equal (s_role_on (dealers [0], router, server, name), CF_ROLE_CONSUMER);
    assert_string_equal (name, "consumer");
    assert_int_equal (s_role_on (dealers [1], router, server, name), CF_ROLE_OPERATOR);

    char path [512];
    snprintf (path, sizeof path, "%s/public/consumer.cert", dir);
    assert_int_equal (unlink (path), 0);
    zclock_sleep (S_LOOK_MS);
    assert_int_equal (s_role_on (dealers [0], router, server, name), CF_ROLE_NONE);
    assert_string_equal (name, "consumer");
    //  The keys still there keep theirs.
    assert_int_equal (s_role_on (dealers [1], router, server, name), CF_ROLE_OPERATOR);
    assert_string_equal (name, "operator");
    cf_role_t role = CF_ROLE_NONE;
    assert_false (s_reaches (router, server, endpoint, consumer, &role, name));

    for (int i = 0; i < 2; i++)
        zsock_destroy (&dealers [i]);
    zsock_destroy (&router);
    cf_keys_destroy (&operator);
    cf_keys_destroy (&consumer);
    cf_keys_destroy (&server);
    cf_test_rmtree (dir);
    free (dir);
}

int
main (void)
{
    zsys_handler_set (NULL);
    cf_log_init ("test_keys", getenv ("CF_TEST_DEBUG") ? CF_LOG_DEBUG : CF_LOG_ERROR);
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_role_table),
        cmocka_unit_test (test_role_names),
        cmocka_unit_test (test_key_names),
        cmocka_unit_test (test_generate_layout),
        cmocka_unit_test (test_load_errors),
        cmocka_unit_test (test_handshake_and_roles),
        cmocka_unit_test (test_removed_key_loses_its_role),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
