//  ctl: caseflowctl's core, what every command group shares.
//
//  A command is a table row. Each verb is a ctl_verb_t in its group's table
//  (ctl_<group>.c): it names its group and says which flags it takes,
//  which service it asks, which command or query message it sends and how
//  the flags fill that message, which result it expects, and how the
//  result is shown as JSON (--json) and as text. ONE runner (ctl_run) does the rest for every verb: it finds
//  the row, parses the flags, builds the message, sends it, checks the
//  reply, prints it and frees it all. A verb that is more than one request
//  (report, case show, tail, the clock sent to every service) names its own
//  procedure (`run`) instead and uses the same pieces.
//
//  Messages are protobuf-c messages handled through their descriptors:
//  ctl_bind fills a message from the flags by field name, ctl_json_add and
//  ctl_text_* show one by field name (ctl_render.h). The little languages
//  that say how are documented where they are defined; the field names are
//  those of proto/, the one source of every name.
//
//  Exit status (CLI.md): 0 done, 1 the service refused (its status code,
//  field and message on stderr), 2 usage error, 3 service unreachable.
#ifndef CTL_H
#define CTL_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_keys.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { CTL_OK = 0, CTL_REFUSED = 1, CTL_USAGE = 2, CTL_UNREACHABLE = 3 };

typedef enum {
    CTL_INTAKE,
    CTL_ASSIGNMENT,
    CTL_HANDOVER,
    CTL_NOTIFICATION,
    CTL_SERVICE_COUNT,
    //  The gateway is asked by its own verbs only: it is not one of the
    //  four streams the verbs that walk every service (clock, digest,
    //  tail) read.
    CTL_GATEWAY = CTL_SERVICE_COUNT,
    //  The console (the read side) answers `report` and `case show`, and
    //  is one more row of `status`; like the gateway, its clock moves with
    //  `clock set --only console`.
    CTL_CONSOLE,
    CTL_ENDPOINT_COUNT
} ctl_service_t;

typedef struct {
    bool json;                                //  --json
    int timeout_ms;                           //  --timeout, per try
    const char *api [CTL_ENDPOINT_COUNT];     //  --intake ... (api endpoints)
    const char *events [CTL_ENDPOINT_COUNT];  //  --intake-events ... (PUB endpoints)
    const char *keys_dir;                     //  --keys-dir, "" for none
    const char *key_name;                     //  --key-name
    cf_keys_t *keys;                          //  loaded from them; NULL: plaintext
    const char *on_behalf_of;                 //  --on-behalf-of, "" for none
    //  --request-id, "" for none: the id of the one command this run sends
    //  to a service (a resend of one that got no answer).
    const char *request_id;
    bool request_id_sent [CTL_ENDPOINT_COUNT];  //  a command went with it
    //  The status code of the last request's refusal (OK unless the last
    //  request returned CTL_REFUSED for a reply's status).
    Caseflow__V1__Status__Code refused_code;
    //  An UNAVAILABLE refusal is not printed (a verb that asks again).
    bool quiet_unavailable;
    //  --stream: the intake shard the intake verbs talk to (NULL for none:
    //  routed by case id and district, ctl_shard_route).
    const char *stream;
} ctl_t;

//  ------------------------------------------------------------ the table

#define CTL_MAX_ARGS 64

typedef struct ctl_verb_s ctl_verb_t;

//  A verb's command line, parsed: flags by name, positional words.
typedef struct {
    ctl_t *ctl;
    const ctl_verb_t *verb;
    const char *names [CTL_MAX_ARGS];
    const char *values [CTL_MAX_ARGS];
    size_t count;
    const char *positional [CTL_MAX_ARGS];
    size_t positional_count;
} ctl_args_t;

typedef enum { CTL_COMMAND = 1, CTL_QUERY = 2 } ctl_kind_t;

//  Completes the message ctl_bind filled from the flags (what a field-name
//  binding cannot say: a check across flags, a file to read). Returns
//  CTL_OK, or CTL_USAGE after printing why.
typedef int (ctl_build_fn) (const ctl_args_t *args, ProtobufCMessage *body);
//  The JSON document for a result (a fresh value the runner prints and
//  frees), when the row's spec cannot say it.
typedef json_t *(ctl_json_fn) (const ctl_args_t *args, const ProtobufCMessage *result);
//  The same result for people, on stdout.
typedef void (ctl_text_fn) (const ctl_args_t *args, const ProtobufCMessage *result);
//  A verb that is more than one request: does it all, returns the exit
//  status.
typedef int (ctl_run_fn) (const ctl_args_t *args);

//  One verb: a row of its group's table.
struct ctl_verb_s {
    const char *group;       //  "intake"
    const char *name;        //  "triage", "track add"; "" for the group without a verb
    const char *usage;       //  its arguments, for --help
    const char *flags;       //  the flags it takes (see ctl_args_parse)
    const char *positional;  //  "CASE": one word; "[STREAM...]": any number; NULL: none
    ctl_run_fn *run;         //  a verb that is more than one request: the rest stays empty
    ctl_service_t service;
    ctl_kind_t kind;
    const ProtobufCMessageDescriptor *body;  //  the command or query it sends
    const char *bind;                        //  how the flags fill it (ctl_bind)
    ctl_build_fn *build;                     //  then this, when not NULL
    const char *result;  //  the result's oneof member by name ("case"); NULL: all of it
    //  The result as JSON: a spec (ctl_render.h) of an object, or of one
    //  item's value alone after a '*' ("*workers:{worker_id fte:milli}").
    const char *json;
    //  The result for people: "HEADERS|PATH|SPEC", a table with a row per
    //  message of the list PATH; or a spec of "label  value" lines.
    const char *text;
    ctl_json_fn *to_json;  //  instead of the spec, when it cannot say it
    ctl_text_fn *to_text;
};

//  The row of a verb with its own procedure.
#define CTL_RUN(group, name, usage, flags, positional, run)                                   \
    {                                                                                         \
        group, name, usage, flags, positional, run, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, \
            NULL, NULL                                                                        \
    }

//  A group: its name, a line for caseflowctl --help, notes for its own.
typedef struct {
    const char *name, *help, *notes;
} ctl_group_t;

//  The verb tables, each ended by a row with group NULL.
extern const ctl_verb_t ctl_intake_verbs [], ctl_assignment_verbs [], ctl_handover_verbs [],
    ctl_reminders_verbs [], ctl_case_verbs [], ctl_report_verbs [], ctl_whatif_verbs [],
    ctl_ops_verbs [], ctl_batch_verbs [], ctl_keys_verbs [], ctl_resident_verbs [],
    ctl_access_verbs [], ctl_gateway_verbs [], ctl_webhooks_verbs [], ctl_waiting_verbs [],
    ctl_stream_verbs [];

//  Runs one command: argv[0] is the group ("intake", "report", …), the
//  rest its verb and arguments. Returns its exit status.
int
ctl_run (ctl_t *ctl, int argc, char **argv);

//  The records of the access logs of intake and handover (cf_access.h)
//  that each of `count` queries asks for (borrowed; each sent to both),
//  merged in time order: a fresh JSON array of CLI.md's objects {at, who,
//  role, on_behalf_of, action, case_id, handover_id, subject, query (the
//  request id), service} in *list_p. Returns CTL_OK, or the first failure
//  (printed); a service that had more records than a query's limit is
//  named on stderr.
int
ctl_access_fetch (ctl_t *ctl, const Caseflow__V1__AccessLogQuery *const *queries, size_t count,
                  json_t **list_p);

//  Prints the JSON list ctl_access_fetch made as a table (text output).
void
ctl_access_print_table (const json_t *list);

//  Prints a verb's result (borrowed) as its row says: JSON with --json,
//  else text.
void
ctl_show (const ctl_args_t *args, const ProtobufCMessage *result);

//  The groups and their verbs, for caseflowctl --help.
void
ctl_help (FILE *out);

//  ------------------------------------------------------------ arguments

//  Parses argv (the words after the verb) against `flags`, a space-separated
//  list of flag names without dashes, each optionally followed by `!`
//  (required, takes a value), `*` (takes a value, may be repeated) or `?`
//  (a switch, takes no value); a bare name takes one value. Accepts
//  `--name value`, `--name=value` and positional words; requires the
//  verb's positional words. An unknown flag, a missing value, a second
//  value of a flag that does not repeat, a missing required flag or a
//  wrong number of words prints an error naming it and returns CTL_USAGE;
//  `--help` prints the verb's usage and returns -1 (the caller exits 0).
int
ctl_args_parse (ctl_args_t *args, int argc, char **argv);

//  Reads the token of --token-file (the first line, blanks around it
//  dropped; "-" is standard input; never from the command line, where it
//  would stay in the shell's history) into a fresh string (*token_p), or
//  prints why not and returns CTL_USAGE.
int
ctl_read_token (const ctl_args_t *args, char **token_p);

//  The value of flag `name` (NULL when absent; "" for a given switch).
const char *
ctl_arg (const ctl_args_t *args, const char *name);

//  Every value of a repeatable flag, in order: fills `out` (capacity
//  `max`) and returns the count.
size_t
ctl_arg_all (const ctl_args_t *args, const char *name, const char **out, size_t max);

//  Points the intake verbs at the intake shard `stream` (`intake` or
//  `intake-<shard>`, cf_streams.h): its api and events endpoints from
//  CASEFLOW_<STREAM>_API / _EVENTS (CASEFLOW_INTAKE_NOORD_API), the
//  variables the services read; `intake` keeps the intake endpoints
//  (--intake is the default shard's). Returns CTL_OK, or CTL_USAGE
//  (printed) for a stream that is no intake shard or a shard whose api
//  variable is unset.
int
ctl_shard_select (ctl_t *ctl, const char *stream, const char *why);

//  Before an intake or resident verb is sent, without --stream: routes it
//  to the shard that owns it (docs/cli.md, "Intake shards"): a CASE
//  argument of a shard (`noord-C000007`, cf_case_id.h) goes to intake-noord; `intake
//  register --district D` to the shard CASEFLOW_INTAKE_SHARDS names for D
//  (cf_shards.h). Returns CTL_OK (the endpoint set, or left as it was) or
//  CTL_USAGE (printed).
int
ctl_shard_route (ctl_args_t *args);

//  Prints a usage error ("caseflowctl: <text>") and returns CTL_USAGE.
int
ctl_usage_error (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

//  Fills `message` from the verb's flags and positional words, following
//  `spec`: space-separated items `field[=source][:conversion]`, where
//  `field` is a field name of the message (`resident.name` reaches into a
//  sub-message, made when needed), `source` is a flag name or `$1`, `$2`
//  for the positional words (default: the field's name with '-' for '_'),
//  and the value is converted by the field's type: text as given; an enum
//  from its word (ctl_enum_parse); a repeated enum from a comma-separated
//  list; a repeated text from every value of a repeated flag, or with
//  `:split` from a comma-separated list; an int64 as a time (ISO 8601;
//  `:deadline` makes a date alone the end of that day, `:now` also takes
//  "now" for 0); an unsigned number within `:MIN-MAX`, or with `:milli`
//  a decimal in thousandths; a bool is a given switch. An absent flag
//  leaves its field as it is. Returns CTL_OK, or CTL_USAGE after printing
//  an error that names the flag.
int
ctl_bind (const ctl_args_t *args, ProtobufCMessage *message, const char *spec);

//  A fresh, initialised message of type `descriptor` (free with
//  protobuf_c_message_free_unpacked (message, NULL): every string and
//  array put into it must be malloc'd). Never NULL.
void *
ctl_message_new (const ProtobufCMessageDescriptor *descriptor);

//  The member of type `type` at `offset` bytes into `message`.
#define CTL_AT(type, message, offset) (*(type *) ((char *) (message) + (offset)))

//  Where `path` leads in `message`: a field name, dotted to reach into
//  sub-messages ("resident.name"; "meetings.last.at" reaches into the last
//  of a list). Returns the field's descriptor, and in *owner_p the message
//  that holds it: NULL when a sub-message on the way is missing, unless
//  `make`, which makes it. A path the message lacks is a programming error.
const ProtobufCFieldDescriptor *
ctl_field_at (const ProtobufCMessage *message, const char *path, bool make,
              ProtobufCMessage **owner_p);

//  A malloc'd copy of `text` for a message field.
char *
ctl_strdup (const char *text);

//  Parses a time (ISO 8601; a date alone is 00:00 Europe/Amsterdam) or a
//  duration ("14d", "2w", "90m") given for `what` (a flag or word).
//  Returns CTL_OK or CTL_USAGE (printed, naming it).
int
ctl_parse_time (const char *what, const char *text, int64_t *at_p);
int
ctl_parse_duration (const char *what, const char *text, int64_t *micros_p);

//  Parses an unsigned integer within [min, max] given for `flag`.
int
ctl_parse_uint (const char *flag, const char *text, uint64_t min, uint64_t max, uint64_t *value_p);

//  Services named by words ("intake", "notification"): sets wanted[0 ..
//  accepted-1] for each of `count` words (the four stream services when
//  count is 0). `accepted` is CTL_SERVICE_COUNT, or CTL_ENDPOINT_COUNT where
//  the gateway may be named too (never wanted unless named). CTL_OK, or
//  CTL_USAGE naming the word that is not a service (`what` says where it
//  came from).
int
ctl_parse_services (const char *what, const char *const *words, size_t count, int accepted,
                    bool *wanted);

//  ------------------------------------------------------------- calling

//  "intake", "assignment", "handover", "notification".
const char *
ctl_service_name (ctl_service_t service);

//  Sends `request` (borrowed; its request_id is filled in when empty: for a
//  command --request-id or a fresh ULID, left to the client otherwise) to
//  `service` and waits for the reply (Lazy Pirate: --timeout per try, 2
//  retries with the same request id). On OK returns CTL_OK with *reply_p
//  set (free with caseflow__v1__reply__free_unpacked). On a refusal prints
//  "caseflowctl: <service>: <code>: <field>: <message>" to stderr and
//  returns CTL_REFUSED; when the service does not answer, CTL_UNREACHABLE,
//  and for a command the lines saying it may or may not have been applied,
//  its request id and how to resend it. CTL_USAGE when --request-id would
//  name a second command to the same service (a batch).
int
ctl_request (ctl_t *ctl, ctl_service_t service, Caseflow__V1__Request *request,
             Caseflow__V1__Reply **reply_p);

//  Sends `body` as a command or query of `service`: wrapped into the
//  service's Command or Query, into the common one, into a request. Takes
//  `body` (freed here). On CTL_OK *reply_p is the reply and *result_p its
//  result for `service` (borrowed from the reply): the service's own
//  CommandResult / QueryResult, or, with `member` ("case"), that oneof
//  member of it. A reply without it is printed and CTL_REFUSED.
int
ctl_send (ctl_t *ctl, ctl_service_t service, ctl_kind_t kind, ProtobufCMessage *body,
          const char *member, Caseflow__V1__Reply **reply_p, const ProtobufCMessage **result_p);

//  A command or query every service takes (ClockSet, StatusQuery, ...):
//  `body` (taken) goes into the common Command or Query, and on CTL_OK
//  *result_p is the member `result` ("clock", "status", "digest") of the
//  common result, borrowed from *reply_p. Asked with at most `timeout_ms`
//  per try when that is not 0 (a service that is down should not hold a
//  command that asks them all).
int
ctl_ask (ctl_t *ctl, ctl_service_t service, ctl_kind_t kind, ProtobufCMessage *body,
         const char *result, int timeout_ms, Caseflow__V1__Reply **reply_p,
         const ProtobufCMessage **result_p);

//  Sends `body` (taken) as a query of the console's (console.Query) as
//  ctl_send does. The console answers a moment it has not caught up to
//  UNAVAILABLE (docs/console.md): such an answer is asked again every
//  100 ms for up to 5 s, unprinted, before the last one counts.
int
ctl_ask_console (ctl_t *ctl, ProtobufCMessage *body, const char *member,
                 Caseflow__V1__Reply **reply_p, const ProtobufCMessage **result_p);

//  The clock of `service` (ClockQuery). Returns CTL_OK with *now_p set,
//  or what ctl_ask returned (printed).
int
ctl_service_now (ctl_t *ctl, ctl_service_t service, int64_t *now_p);

//  --------------------------------------------------------------- values

//  The word of an enum value of proto/ from its cf_words table
//  (common/cf_words.h: "walk-in" for CHANNEL_WALK_IN). NULL for 0
//  (unspecified) and unknown values. Static.
const char *
ctl_enum_word (const ProtobufCEnumDescriptor *descriptor, int value);

//  The value of an enum word ('_' reads as '-'), or -1 when it is none of
//  them (0, unspecified, is never a word).
int
ctl_enum_parse (const ProtobufCEnumDescriptor *descriptor, const char *word);

//  The words of an enum, comma-separated ("regular, urgent"), for errors.
//  Returns buf.
char *
ctl_enum_words (const ProtobufCEnumDescriptor *descriptor, char *buf, size_t size);

//  Words of CLI.md for the shared enums, and back (-1 when unknown):
//  ctl_domain_name / ctl_domain_parse, and the same for urgency, channel
//  and status; "unspecified" for 0 and unknown values.
#define CTL_ENUM_WORDS(word, type)              \
    const char *ctl_##word##_name (type value); \
    int ctl_##word##_parse (const char *text)
CTL_ENUM_WORDS (domain, Caseflow__V1__Domain);
CTL_ENUM_WORDS (urgency, Caseflow__V1__Urgency);
CTL_ENUM_WORDS (channel, Caseflow__V1__Channel);
CTL_ENUM_WORDS (status, Caseflow__V1__CaseStatus);

#endif
