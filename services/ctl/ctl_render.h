//  ctl_render: showing protobuf-c messages as JSON (jansson) and as text,
//  by field name.
//
//  A SPEC is a space-separated list of items, each one key of a JSON
//  object, one cell of a table row or one "label  value" line:
//
//      key[=path][?][:format]
//
//  `path` is a field name of the message (default: the key), dotted to
//  reach into sub-messages (`reminder.due_at`); a missing sub-message
//  gives null. The value follows the field's type: text, number, bool; an
//  enum as its word (ctl_enum_word; 0 is null); a repeated field as a
//  list. `?` makes "" and 0 null (JSON) or leave the line out (lines).
//  Formats: `time` (microseconds since the epoch: ISO 8601 in JSON,
//  "2022-01-03 09:03" in text, 0 is null), `milli` (thousandths: 800 is
//  0.8), `{SPEC}` for a sub-message or a list of them, and `map` for a
//  list of pairs as one JSON object (the first field of each the key, its
//  text or word; the second the value). In text a list
//  is joined with ',' and null is "-"; a label is the key with ' ' for '_'.
//
//  JSON numbers are printed as before jansson: the shortest form of six
//  significant digits, integral values without ".0" (`"fte_active":2`).
//  Text is checked by jansson: a name with invalid UTF-8 becomes U+FFFD
//  where it is invalid, so the document is always valid JSON.
#ifndef CTL_RENDER_H
#define CTL_RENDER_H

#include "ctl.h"
#include "cf_fold.h"

//  --------------------------------------------------------------- JSON

//  Adds the keys of `spec` about `message` to `object` (in order, after
//  the keys it has). Returns object.
json_t *
ctl_json_add (json_t *object, const ProtobufCMessage *message, const char *spec);

//  A fresh object with the keys of `spec` about `message`.
json_t *
ctl_json_message (const ProtobufCMessage *message, const char *spec);

//  The value of one spec item about `message` (its key is ignored): e.g.
//  "workers:{worker_id fte:milli}" is the list of workers.
json_t *
ctl_json_value (const ProtobufCMessage *message, const char *item);

//  Values for computed keys: text (NULL is null; see above for invalid
//  UTF-8), text with "" as null too. A time (0 is null) and a number (NaN
//  is null) are cf_fold_json_time and cf_fold_json_number (cf_fold.h), the
//  figures' own.
json_t *
ctl_json_text (const char *text);
json_t *
ctl_json_text_or_null (const char *text);

//  Prints `document` as one line of compact JSON on stdout and frees it.
void
ctl_json_print (json_t *document);

//  ---------------------------------------------------------------- text

//  Formats a time for people (Amsterdam, "2022-01-03 09:03") or "-" for 0.
//  Returns buf (>= 32 bytes).
char *
ctl_time_text (int64_t at, char *buf, size_t size);

//  The text of one spec item about `message` into buf ("-" for null).
//  Returns buf.
char *
ctl_text_value (const ProtobufCMessage *message, const char *item, char *buf, size_t size);

//  Prints "label  value" lines, one per item of `spec`, labels padded to
//  `width`.
void
ctl_text_lines (const ProtobufCMessage *message, const char *spec, int width);

//  Prints `message` as a verb row's text spec says: "HEADERS|PATH|SPEC" a
//  table with a row per message of the list PATH, else "label  value"
//  lines of the spec.
void
ctl_text_show (const ProtobufCMessage *message, const char *spec);

//  An aligned text table: columns sized to their widest cell.
typedef struct _ctl_table_t ctl_table_t;

//  A table whose headers are the words of `headers` ('_' prints as ' ').
//  Never NULL.
ctl_table_t *
ctl_table_new (const char *headers);

//  Appends one cell (copied; NULL or "" prints "-"); a row is complete
//  when it has a cell per header. A NULL table takes nothing (a verb that
//  prints JSON instead).
void
ctl_table_cell (ctl_table_t *self, const char *text);

//  Appends the cells of `spec` about `message`.
void
ctl_table_cells (ctl_table_t *self, const ProtobufCMessage *message, const char *spec);

//  Appends cells computed from a row's message (borrowed).
typedef void (ctl_cells_fn) (ctl_table_t *table, const ProtobufCMessage *row);

//  Appends a row for every message of the repeated field `path` of
//  `message`: the cells of `spec`, then those `more` adds (may be NULL).
void
ctl_table_each (ctl_table_t *self, const ProtobufCMessage *message, const char *path,
                const char *spec, ctl_cells_fn *more);

//  Prints it on stdout and frees it; nulls *self_p.
void
ctl_table_print (ctl_table_t **self_p);

//  ------------------------------------------------ the spec, for both

//  One item of a spec, split up.
typedef struct {
    char key [64];
    char path [96];
    bool nullable;     //  `?`
    char format [16];  //  "time", "milli" or ""
    const char *sub;   //  the SPEC between braces, or NULL
    size_t sub_len;
} ctl_item_t;

//  The value of a parsed item about `message` (fresh; json_decref it).
json_t *
ctl_json_item (const ProtobufCMessage *message, const ctl_item_t *item);

//  Reads the item at *spec_p into `item` and moves *spec_p past it.
//  Returns false at the end of the spec.
bool
ctl_item_next (const char **spec_p, ctl_item_t *item);

#endif
