//  ctl_keys: `keys generate`, the CURVE key sets services and clients load
//  with --keys-dir (docs/protocol.md, "Security").
//
//  Without --name it makes the whole set a deployment starts with: one
//  service key per caseflow service (named after its stream, which is how
//  clients find a server's public certificate; the console's with the
//  proxy role), "operator" and "consumer". With --name and --role it adds one key. It never
//  overwrites: if any key it would make exists, nothing is written.
#include "ctl.h"
#include "ctl_render.h"

#include "cf_error.h"

#include <string.h>

typedef struct {
    const char *name;
    cf_role_t role;
} s_key_t;

static const s_key_t s_default_set [] = {
    { "intake", CF_ROLE_SERVICE },
    { "assignment", CF_ROLE_SERVICE },
    { "handover", CF_ROLE_SERVICE },
    { "notification", CF_ROLE_SERVICE },
    { "gateway", CF_ROLE_SERVICE },
    { "operator", CF_ROLE_OPERATOR },
    { "consumer", CF_ROLE_CONSUMER },
    //  The console follows every stream and asks on behalf of the signed-in
    //  person (DESIGN.md, "Accountability"): a proxy.
    { "console", CF_ROLE_PROXY },
};
#define S_SET_SIZE (sizeof s_default_set / sizeof s_default_set [0])

//  The keys to make: the default set, or the one --name --role says.
static int
s_keys (const ctl_args_t *args, s_key_t *one, const s_key_t **keys_p, size_t *count_p)
{
    const char *name = ctl_arg (args, "name"), *role = ctl_arg (args, "role");
    *keys_p = s_default_set;
    *count_p = S_SET_SIZE;
    if (!name && !role)
        return CTL_OK;
    if (!name || !role)
        return ctl_usage_error ("keys generate: --name and --role go together");
    if (!cf_keys_name_valid (name))
        return ctl_usage_error ("--name: \"%s\" is not a key name (lower-case letters, digits, "
                                "'.', '_', '-'; at most %d)",
                                name, CF_KEYS_NAME_MAX);
    *one = (s_key_t){ name, cf_role_parse (role) };
    if (one->role == CF_ROLE_NONE)
        return ctl_usage_error ("--role: \"%s\" is not service, operator, consumer or proxy", role);
    *keys_p = one;
    *count_p = 1;
    return CTL_OK;
}

static int
s_generate (const ctl_args_t *args)
{
    const char *dir = ctl_arg (args, "dir");
    if (!dir || !*dir)
        dir = args->ctl->keys_dir;
    if (!dir || !*dir)
        return ctl_usage_error ("keys generate: --dir is required (or --keys-dir, "
                                "CASEFLOW_KEYS_DIR)");
    s_key_t one;
    const s_key_t *keys;
    size_t count;
    int rc = s_keys (args, &one, &keys, &count);
    if (rc != CTL_OK)
        return rc;
    //  All or nothing: a half-made set would hide which keys are new.
    size_t present = 0;
    for (size_t k = 0; k < count; k++)
        if (cf_keys_exists (dir, keys [k].name)) {
            fprintf (stderr, "caseflowctl: keys generate: %s already has a key \"%s\"\n", dir,
                     keys [k].name);
            present++;
        }
    if (present) {
        fprintf (stderr, "caseflowctl: keys generate: nothing written (existing keys are "
                         "never overwritten)\n");
        return CTL_REFUSED;
    }
    json_t *made = json_array ();
    ctl_table_t *table = args->ctl->json ? NULL : ctl_table_new ("NAME ROLE PUBLIC_KEY");
    for (size_t k = 0; k < count && rc == CTL_OK; k++) {
        char public_key [CF_KEYS_Z85_SIZE], path [1024];
        if (cf_keys_generate (dir, keys [k].name, keys [k].role, public_key)) {
            fprintf (stderr, "caseflowctl: keys generate: cannot write the key \"%s\" in %s\n",
                     keys [k].name, dir);
            rc = CTL_REFUSED;
            break;
        }
        json_t *key = json_object ();
        json_object_set_new (key, "name", json_string (keys [k].name));
        json_object_set_new (key, "role", json_string (cf_role_name (keys [k].role)));
        json_object_set_new (key, "public_key", json_string (public_key));
        snprintf (path, sizeof path, "%s/public/%s.cert", dir, keys [k].name);
        json_object_set_new (key, "public_cert", ctl_json_text (path));
        snprintf (path, sizeof path, "%s/secret/%s.cert_secret", dir, keys [k].name);
        json_object_set_new (key, "secret_cert", ctl_json_text (path));
        json_array_append_new (made, key);
        ctl_table_cell (table, keys [k].name);
        ctl_table_cell (table, cf_role_name (keys [k].role));
        ctl_table_cell (table, public_key);
    }
    if (table) {
        json_decref (made);
        ctl_table_print (&table);
        printf ("\nWritten to %s: give each process its secret/NAME.cert_secret and the whole "
                "public/ folder.\n",
                dir);
    } else {
        json_t *document = json_object ();
        json_object_set_new (document, "dir", ctl_json_text (dir));
        json_object_set_new (document, "keys", made);
        ctl_json_print (document);
    }
    return rc;
}

const ctl_verb_t ctl_keys_verbs [] = {
    CTL_RUN ("keys", "generate", "[--dir DIR] [--name NAME --role service|operator|consumer|proxy]",
             "dir name role", NULL, s_generate),
    { NULL },
};
