//  cf_config: a service's configuration as one table.
//
//  Each entry has a flag (`--data-dir`), an environment twin
//  (`CASEFLOW_DATA_DIR`), a type, a default and a help text; from the table
//  come `--help`, parsing and the docs. Precedence: flag, then environment,
//  then default. Flags are `--name=value` or `--name value`; a bool flag
//  alone means true (and never takes the next word: `--name=false`). An
//  environment variable set to the empty string counts as unset. Bad
//  values, unknown flags and missing required values are refused with one
//  line naming the flag and its environment variable.
#ifndef CF_CONFIG_H
#define CF_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    CF_CONFIG_STRING,    //  any text (empty allowed unless required)
    CF_CONFIG_INT,       //  decimal integer within [min, max] when max > min
    CF_CONFIG_SIZE,      //  bytes, with optional K, M, G, T suffix (powers of 1024)
    CF_CONFIG_DURATION,  //  cf_duration_parse text; read as microseconds
    CF_CONFIG_TIME,      //  cf_time_parse text; read with cf_config_time (may be empty
                         //  when the default is: no time)
    CF_CONFIG_BOOL,      //  true/false/1/0/yes/no/on/off
    CF_CONFIG_CHOICE,    //  one of the words in `choices`, separated by '|'
    CF_CONFIG_BIND,      //  ZeroMQ endpoint to bind: tcp://HOST:PORT, tcp://*:PORT (PORT
                         //  1-65535, or * for any free one), ipc://PATH, inproc://NAME
    CF_CONFIG_CONNECT,   //  ZeroMQ endpoint to connect to: tcp://HOST:PORT (PORT 1-65535),
                         //  ipc://PATH, inproc://NAME, or CF_CONFIG_NONE: connect nowhere
} cf_config_type_t;

//  The value of a CF_CONFIG_CONNECT entry that connects nowhere (an
//  upstream stream a deployment does not run: cf_upstreams.h).
#define CF_CONFIG_NONE "none"

typedef struct {
    const char *name;  //  flag name without dashes, e.g. "data-dir"
    const char *env;   //  environment variable, e.g. "CASEFLOW_DATA_DIR"; may be NULL
    cf_config_type_t type;
    const char *default_value;  //  text, parsed like user input; NULL: required
    const char *help;           //  one line
    const char *choices;        //  CF_CONFIG_CHOICE only: "system|manual"
    int64_t min, max;           //  INT/SIZE/DURATION bounds, used when max > min
} cf_config_entry_t;

typedef struct _cf_config_t cf_config_t;

//  A new, empty table for `program` (used in --help), with a one-line
//  `summary`. Never NULL.
cf_config_t *
cf_config_new (const char *program, const char *summary);

//  Frees the table, safe on NULL; nulls *self_p.
void
cf_config_destroy (cf_config_t **self_p);

//  Adds `count` entries (copied, strings included). A name already present
//  is a programming error (asserted).
void
cf_config_add (cf_config_t *self, const cf_config_entry_t *entries, size_t count);

//  Parses argv (argv[0] is the program) and the environment. On `--help`
//  prints the help to `out` and returns CF_EHELP. On a bad value, unknown
//  flag or missing value prints one line to `err` naming the flag and the
//  environment variable, and returns CF_EINVAL. Returns 0 when every entry
//  has a valid value.
int
cf_config_parse (cf_config_t *self, int argc, char **argv, FILE *out, FILE *err);

//  The text `argv` or the environment gives the entry `name` (flag without
//  dashes) with variable `env` (may be NULL), by the rules of
//  cf_config_parse (the last flag wins over the variable; an empty
//  variable is unset), before any table exists: for the few values that
//  decide which entries the table gets (cf_streams.h). NULL when neither
//  gives one, or the flag lacks its value (the parse then says so).
//  Borrowed from argv or the environment.
const char *
cf_config_peek (int argc, char **argv, const char *name, const char *env);

//  Typed reads of parsed values; asking for an unknown name or the wrong
//  type is a programming error (asserted). Strings (STRING, CHOICE and the
//  endpoints) are borrowed from the table. INT, SIZE, DURATION, TIME and
//  BOOL read with cf_config_int (an empty TIME reads 0); cf_config_time
//  tells an empty TIME apart.
const char *
cf_config_string (cf_config_t *self, const char *name);
int64_t
cf_config_int (cf_config_t *self, const char *name);
bool
cf_config_bool (cf_config_t *self, const char *name);

//  A TIME entry: true with the time in *at_p, or false when it is empty
//  (not given, and its default is empty).
bool
cf_config_time (cf_config_t *self, const char *name, int64_t *at_p);

//  Checks `text` as a ZeroMQ endpoint, to bind (`bind` true) or to connect
//  to. Returns true, or false with the reason (to follow the quoted value
//  in an error line) in `why`. cf_config_parse checks BIND and CONNECT
//  entries with it; exposed for tools that take endpoints from elsewhere.
bool
cf_config_endpoint_valid (const char *text, bool bind, char *why, size_t why_size);

//  True when the table has the entry `name` (one of the entries that only
//  some configurations add: a followed stream's endpoints).
bool
cf_config_has (cf_config_t *self, const char *name);

//  True when the value came from a flag or the environment, not the default.
bool
cf_config_is_set (cf_config_t *self, const char *name);

//  Prints the help: usage line, summary, then one block per entry with
//  flag, help text (wrapped to lines of at most 79 columns), environment
//  variable and default.
void
cf_config_print_help (cf_config_t *self, FILE *out);

//  Prints the table as a Markdown table (for docs/operations.md).
void
cf_config_print_markdown (cf_config_t *self, FILE *out);

#endif
