//  ctl: what every caseflowctl command group shares.
//
//  A group is one file, ctl_<group>.c, with one entry point
//  `int ctl_<group>_main (ctl_t *ctl, int argc, char **argv)` where argv[0]
//  is the group's name and argv[1] the verb, if the group has verbs (a verb
//  handler then gets argv + 1, so its argv[0] is the verb). It parses its
//  flags with ctl_args (CTL_PARSE_ARGS), builds a Command or Query,
//  sends it with ctl_command / ctl_query, and prints the result as a table
//  (default) or as one JSON document (--json) with the keys of CLI.md.
//
//  Exit status (CLI.md): 0 done, 1 the service refused (its status code,
//  field and message on stderr), 2 usage error, 3 service unreachable.
#ifndef CTL_H
#define CTL_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/common.pb-c.h"
#include "cf_keys.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { CTL_OK = 0, CTL_REFUSED = 1, CTL_USAGE = 2, CTL_UNREACHABLE = 3 };
//  Returned by ctl_args_parse after printing help: the caller exits 0.
#define CTL_HELP (-1)
//  Parses a verb's arguments or returns from the calling function with the
//  right exit status (0 after --help).
#define CTL_PARSE_ARGS(args, flags, argc, argv, usage)                             \
    do {                                                                           \
        int parse_rc_ = ctl_args_parse ((args), (flags), (argc), (argv), (usage)); \
        if (parse_rc_)                                                             \
            return parse_rc_ == CTL_HELP ? CTL_OK : parse_rc_;                     \
    } while (0)

typedef enum {
    CTL_INTAKE,
    CTL_ASSIGNMENT,
    CTL_HANDOVER,
    CTL_NOTIFICATION,
    CTL_SERVICE_COUNT
} ctl_service_t;

typedef struct {
    bool json;                               //  --json
    int timeout_ms;                          //  --timeout, per try
    const char *api [CTL_SERVICE_COUNT];     //  --intake ... (api endpoints)
    const char *events [CTL_SERVICE_COUNT];  //  --intake-events ... (PUB endpoints)
    const char *keys_dir;                    //  --keys-dir, "" for none
    const char *key_name;                    //  --key-name
    cf_keys_t *keys;                         //  loaded from them; NULL: plaintext
    //  The status code of the last request's refusal (ctl_request sets it:
    //  OK unless it returned CTL_REFUSED for a reply's status), for the
    //  few callers that treat one refusal differently (status).
    Caseflow__V1__Status__Code refused_code;
} ctl_t;

//  "intake", "assignment", "handover", "notification".
const char *
ctl_service_name (ctl_service_t service);

//  Sends `command` (borrowed) to `service` as a fresh request and waits for
//  the reply (Lazy Pirate: --timeout per try, 2 retries with the same
//  request id). On OK returns CTL_OK with *reply_p set (free with
//  caseflow__v1__reply__free_unpacked (reply, NULL)). On a refusal prints
//  "caseflowctl: <service>: <code>: <field>: <message>" to stderr and
//  returns CTL_REFUSED; when the service does not answer, CTL_UNREACHABLE.
int
ctl_command (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Command *command,
             Caseflow__V1__Reply **reply_p);

//  The same for a query.
int
ctl_query (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Query *query,
           Caseflow__V1__Reply **reply_p);

//  Sends a service's own command or query message (`inner` is, for
//  CTL_INTAKE, a Caseflow__V1__Intake__Command * or __Query *, and so on),
//  wrapped in Command.<service> / Query.<service>, and requires the reply
//  to carry that service's result (else prints why and returns
//  CTL_REFUSED). Otherwise as ctl_command / ctl_query.
int
ctl_service_command (ctl_t *ctl, ctl_service_t service, void *inner, Caseflow__V1__Reply **reply_p);
int
ctl_service_query (ctl_t *ctl, ctl_service_t service, void *inner, Caseflow__V1__Reply **reply_p);

//  The same for any request (its request_id is filled in when empty).
int
ctl_request (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Request *request,
             Caseflow__V1__Reply **reply_p);

//  Prints a usage error ("caseflowctl: <text>") and returns CTL_USAGE.
int
ctl_usage_error (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

//  ------------------------------------------------------------- arguments

//  One flag a verb accepts. `value` false: a switch. `repeat` true: may be
//  given several times (all values kept, in order).
typedef struct {
    const char *name;  //  without dashes: "urgency"
    bool value;
    bool repeat;
} ctl_flag_t;

#define CTL_MAX_ARGS 64

typedef struct {
    const ctl_flag_t *flags;
    const char *names [CTL_MAX_ARGS];
    const char *values [CTL_MAX_ARGS];
    size_t count;
    const char *positional [CTL_MAX_ARGS];
    size_t positional_count;
} ctl_args_t;

//  Parses argv[1..] (argv[0] is the verb) against `flags` (terminated by a
//  {NULL} entry): `--name value`, `--name=value`, switches, positional
//  words. An unknown flag, a missing value, or a second value for a flag
//  that does not repeat prints an error naming the flag and returns
//  CTL_USAGE; `--help` prints `usage` to stdout and returns CTL_HELP.
//  Most verbs use CTL_PARSE_ARGS.
int
ctl_args_parse (ctl_args_t *args, const ctl_flag_t *flags, int argc, char **argv,
                const char *usage);

//  The value of flag `name` (NULL when absent; "" for a given switch).
const char *
ctl_arg (const ctl_args_t *args, const char *name);

//  Every value of a repeatable flag, in order: fills `out` (capacity
//  `max`) and returns the count.
size_t
ctl_arg_all (const ctl_args_t *args, const char *name, const char **out, size_t max);

//  Requires flag `name`: returns its value, or prints "--name is required"
//  and returns NULL.
const char *
ctl_arg_required (const ctl_args_t *args, const char *name);

//  Requires exactly `count` positional words (named in `what`, e.g. "CASE").
//  Returns CTL_OK or CTL_USAGE (printed).
int
ctl_args_positional (const ctl_args_t *args, size_t count, const char *what);

//  ------------------------------------------------ values and their names

//  Parses a time (ISO 8601; a date alone is 00:00 Europe/Amsterdam) or a
//  duration ("14d", "2w", "90m") given for `flag`. Returns CTL_OK or
//  CTL_USAGE (printed, naming the flag).
int
ctl_parse_time (const char *flag, const char *text, int64_t *at_p);
int
ctl_parse_duration (const char *flag, const char *text, int64_t *micros_p);

//  Parses an unsigned integer within [min, max] given for `flag`.
int
ctl_parse_uint (const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *value_p);

//  Parses a comma-separated list of domains ("youth,debt") into a fresh
//  array (free with free). Returns CTL_OK or CTL_USAGE naming the flag.
int
ctl_parse_domains (const char *flag, const char *text, Caseflow__V1__Domain **domains_p,
                   size_t *count_p);

//  Splits a comma-separated list into fresh strings (free with
//  ctl_strings_free). Empty items are dropped.
char **
ctl_split (const char *text, size_t *count_p);
void
ctl_strings_free (char **strings, size_t count);

//  Words of CLI.md for the shared enums, and back (-1 when unknown).
const char *
ctl_domain_name (Caseflow__V1__Domain domain);
int
ctl_domain_parse (const char *word);
const char *
ctl_urgency_name (Caseflow__V1__Urgency urgency);
int
ctl_urgency_parse (const char *word);
const char *
ctl_channel_name (Caseflow__V1__Channel channel);
int
ctl_channel_parse (const char *word);
const char *
ctl_status_name (Caseflow__V1__CaseStatus status);
int
ctl_status_parse (const char *word);

//  Formats a time for people (Amsterdam, "2022-01-03 09:03") or "-" for 0.
//  Returns buf (>= 32 bytes).
char *
ctl_time_text (int64_t at, char *buf, size_t size);

//  ------------------------------------------------------------ JSON output

//  A streaming JSON writer on a FILE: commas and escaping are handled;
//  ctl_json_key precedes each value inside an object.
typedef struct {
    FILE *out;
    int depth;
    bool need_comma [32];
} ctl_json_t;

void
ctl_json_init (ctl_json_t *json, FILE *out);
void
ctl_json_object_begin (ctl_json_t *json);
void
ctl_json_object_end (ctl_json_t *json);
void
ctl_json_array_begin (ctl_json_t *json);
void
ctl_json_array_end (ctl_json_t *json);
void
ctl_json_key (ctl_json_t *json, const char *key);
void
ctl_json_string (ctl_json_t *json, const char *value);  //  NULL: null
void
ctl_json_string_or_null (ctl_json_t *json, const char *value);  //  "" too: null
void
ctl_json_int (ctl_json_t *json, int64_t value);
void
ctl_json_uint (ctl_json_t *json, uint64_t value);
void
ctl_json_double (ctl_json_t *json, double value);  //  NaN: null
void
ctl_json_bool (ctl_json_t *json, bool value);
void
ctl_json_null (ctl_json_t *json);
void
ctl_json_time (ctl_json_t *json, int64_t at);  //  ISO 8601, 0: null
//  Ends the document with a newline.
void
ctl_json_finish (ctl_json_t *json);

//  ---------------------------------------------------------- table output

//  An aligned text table: columns sized to their widest cell.
typedef struct _ctl_table_t ctl_table_t;

//  A table with `columns` headers (copied). Never NULL.
ctl_table_t *
ctl_table_new (size_t columns, const char *const *headers);
//  Adds a row of `columns` cells (copied; NULL prints "-").
void
ctl_table_row (ctl_table_t *self, const char *const *cells);
//  Prints it and frees it; nulls *self_p.
void
ctl_table_print (ctl_table_t **self_p, FILE *out);

//  -------------------------------------------------------- command groups

//  Runs one command: argv[0] is the group ("intake", "report", …), the
//  rest its verb and arguments. Returns its exit status.
int
ctl_run (ctl_t *ctl, int argc, char **argv);

int
ctl_batch_main (ctl_t *ctl, int argc, char **argv);
int
ctl_clock_main (ctl_t *ctl, int argc, char **argv);
int
ctl_status_main (ctl_t *ctl, int argc, char **argv);
int
ctl_digest_main (ctl_t *ctl, int argc, char **argv);
int
ctl_tail_main (ctl_t *ctl, int argc, char **argv);
int
ctl_keys_main (ctl_t *ctl, int argc, char **argv);
#ifdef CTL_HAVE_INTAKE
int
ctl_intake_main (ctl_t *ctl, int argc, char **argv);
#endif
#ifdef CTL_HAVE_ASSIGNMENT
int
ctl_assignment_main (ctl_t *ctl, int argc, char **argv);
int
ctl_waiting_main (ctl_t *ctl, int argc, char **argv);
#endif
#ifdef CTL_HAVE_HANDOVER
int
ctl_handover_main (ctl_t *ctl, int argc, char **argv);
#endif
#ifdef CTL_HAVE_REMINDERS
int
ctl_reminders_main (ctl_t *ctl, int argc, char **argv);
#endif
#ifdef CTL_HAVE_CASE
int
ctl_case_main (ctl_t *ctl, int argc, char **argv);
#endif
#ifdef CTL_HAVE_REPORT
int
ctl_report_main (ctl_t *ctl, int argc, char **argv);
#endif

#endif
