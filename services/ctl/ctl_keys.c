//  ctl_keys: `keys generate`, the CURVE key sets services and clients load
//  with --keys-dir (docs/protocol.md, "Security").
//
//  Without --name it makes the whole set a deployment starts with: one
//  service key per caseflow service (named after its stream, which is how
//  clients find a server's public certificate), "operator" and
//  "consumer". With --name and --role it adds one key. It never
//  overwrites: if any key it would make exists, nothing is written.
#include "ctl.h"

#include "cf_error.h"

#include <string.h>

static const char *s_usage =
    "usage: caseflowctl keys generate [--dir DIR] [--name NAME --role ROLE]\n"
    "\n"
    "Makes CURVE key pairs in the key set DIR (default: the global --keys-dir or\n"
    "CASEFLOW_KEYS_DIR):\n"
    "  DIR/public/NAME.cert          public certificate (name, role): every server\n"
    "                                admits exactly the keys in this folder\n"
    "  DIR/secret/NAME.cert_secret   the key pair, mode 0600, for NAME alone\n"
    "\n"
    "Without --name: the whole set, intake, assignment, handover and notification\n"
    "(role service), operator (role operator) and consumer (role consumer).\n"
    "--name NAME --role service|operator|consumer: one more key.\n"
    "Existing keys are never overwritten: the command then writes nothing and\n"
    "exits 1.\n";

typedef struct {
    const char *name;
    cf_role_t role;
} s_key_t;

static const s_key_t s_default_set [] = {
    { "intake", CF_ROLE_SERVICE },    { "assignment", CF_ROLE_SERVICE },
    { "handover", CF_ROLE_SERVICE },  { "notification", CF_ROLE_SERVICE },
    { "operator", CF_ROLE_OPERATOR }, { "consumer", CF_ROLE_CONSUMER },
};

static int
s_generate (ctl_t *ctl, int argc, char **argv)
{
    static const ctl_flag_t flags [] = {
        { "dir", true, false }, { "name", true, false }, { "role", true, false }, { NULL }
    };
    ctl_args_t args;
    CTL_PARSE_ARGS (&args, flags, argc, argv, s_usage);
    int rc = ctl_args_positional (&args, 0, "nothing");
    if (rc)
        return rc;
    const char *dir = ctl_arg (&args, "dir");
    if (!dir || !*dir)
        dir = ctl->keys_dir;
    if (!dir || !*dir)
        return ctl_usage_error ("keys generate: --dir is required (or --keys-dir, "
                                "CASEFLOW_KEYS_DIR)");
    const char *name = ctl_arg (&args, "name");
    const char *role_text = ctl_arg (&args, "role");
    s_key_t one = { 0 };
    const s_key_t *keys = s_default_set;
    size_t count = sizeof s_default_set / sizeof s_default_set [0];
    if (name || role_text) {
        if (!name || !role_text)
            return ctl_usage_error ("keys generate: --name and --role go together");
        if (!cf_keys_name_valid (name))
            return ctl_usage_error ("--name: \"%s\" is not a key name (lower-case letters, "
                                    "digits, '.', '_', '-'; at most %d)",
                                    name, CF_KEYS_NAME_MAX);
        one.name = name;
        one.role = cf_role_parse (role_text);
        if (one.role == CF_ROLE_NONE)
            return ctl_usage_error ("--role: \"%s\" is not service, operator or consumer",
                                    role_text);
        keys = &one;
        count = 1;
    }
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
    char public_keys [sizeof s_default_set / sizeof s_default_set [0]][CF_KEYS_Z85_SIZE];
    for (size_t k = 0; k < count; k++) {
        rc = cf_keys_generate (dir, keys [k].name, keys [k].role, public_keys [k]);
        if (rc) {
            fprintf (stderr,
                     "caseflowctl: keys generate: cannot write the key \"%s\" in %s"
                     "%s\n",
                     keys [k].name, dir, rc == CF_EEXIST ? ": it appeared meanwhile" : "");
            return CTL_REFUSED;
        }
    }
    if (ctl->json) {
        ctl_json_t json;
        ctl_json_init (&json, stdout);
        ctl_json_object_begin (&json);
        ctl_json_key (&json, "dir");
        ctl_json_string (&json, dir);
        ctl_json_key (&json, "keys");
        ctl_json_array_begin (&json);
        for (size_t k = 0; k < count; k++) {
            char path [1024];
            ctl_json_object_begin (&json);
            ctl_json_key (&json, "name");
            ctl_json_string (&json, keys [k].name);
            ctl_json_key (&json, "role");
            ctl_json_string (&json, cf_role_name (keys [k].role));
            ctl_json_key (&json, "public_key");
            ctl_json_string (&json, public_keys [k]);
            snprintf (path, sizeof path, "%s/public/%s.cert", dir, keys [k].name);
            ctl_json_key (&json, "public_cert");
            ctl_json_string (&json, path);
            snprintf (path, sizeof path, "%s/secret/%s.cert_secret", dir, keys [k].name);
            ctl_json_key (&json, "secret_cert");
            ctl_json_string (&json, path);
            ctl_json_object_end (&json);
        }
        ctl_json_array_end (&json);
        ctl_json_object_end (&json);
        ctl_json_finish (&json);
        return CTL_OK;
    }
    static const char *headers [] = { "NAME", "ROLE", "PUBLIC KEY" };
    ctl_table_t *table = ctl_table_new (3, headers);
    for (size_t k = 0; k < count; k++) {
        const char *cells [] = { keys [k].name, cf_role_name (keys [k].role), public_keys [k] };
        ctl_table_row (table, cells);
    }
    ctl_table_print (&table, stdout);
    printf ("\nWritten to %s: give each process its secret/NAME.cert_secret and the whole "
            "public/ folder.\n",
            dir);
    return CTL_OK;
}

int
ctl_keys_main (ctl_t *ctl, int argc, char **argv)
{
    if (argc < 2)
        return ctl_usage_error ("keys: give a verb: generate (see keys --help)");
    if (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0) {
        fputs (s_usage, stdout);
        return CTL_OK;
    }
    if (strcmp (argv [1], "generate") != 0)
        return ctl_usage_error ("keys: unknown verb \"%s\" (generate)", argv [1]);
    return s_generate (ctl, argc - 1, argv + 1);
}
