//  cf_config: a service's configuration table (see cf_config.h).
//
//  Each entry keeps its text value and, for the typed kinds, the number it
//  parses to. Values start as the defaults (checked when added: a bad
//  default is a bug in the table, asserted), then cf_config_parse
//  overlays the environment and the command line. Every value is checked
//  after the overlay, so a bad value is refused whichever way it came in,
//  with one line naming both the flag and its environment twin.
//
//  An environment variable that is set but empty counts as unset: compose
//  files and shells produce `CASEFLOW_X=` by accident far more often than
//  anyone means "empty" by it. An empty value can still be given as a flag.
#include "cf_config.h"

#include "cf_error.h"
#include "cf_time.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum {
    CF_CONFIG_FROM_DEFAULT,
    CF_CONFIG_FROM_ENV,
    CF_CONFIG_FROM_FLAG,
} cf_config_source_t;

typedef struct {
    cf_config_entry_t entry;  //  strings owned (copies)
    char *value;              //  current text, owned; NULL: none yet
    int64_t number;           //  parsed INT/SIZE/DURATION/TIME/BOOL
    cf_config_source_t source;
} s_item_t;

struct _cf_config_t {
    char *program;
    char *summary;
    s_item_t *items;
    size_t count;
    size_t capacity;
};

static char *
s_strdup (const char *text)
{
    if (!text)
        return NULL;
    char *copy = strdup (text);
    if (!copy)
        abort ();
    return copy;
}

//  Replaces an owned string.
static void
s_set_text (char **slot_p, const char *text)
{
    char *copy = s_strdup (text);
    free (*slot_p);
    *slot_p = copy;
}

cf_config_t *
cf_config_new (const char *program, const char *summary)
{
    cf_config_t *self = calloc (1, sizeof *self);
    if (!self)
        abort ();
    self->program = s_strdup (program ? program : "caseflow");
    self->summary = s_strdup (summary ? summary : "");
    return self;
}

void
cf_config_destroy (cf_config_t **self_p)
{
    assert (self_p);
    cf_config_t *self = *self_p;
    if (!self)
        return;
    for (size_t index = 0; index < self->count; index++) {
        s_item_t *item = &self->items [index];
        free ((char *) item->entry.name);
        free ((char *) item->entry.env);
        free ((char *) item->entry.default_value);
        free ((char *) item->entry.help);
        free ((char *) item->entry.choices);
        free (item->value);
    }
    free (self->items);
    free (self->program);
    free (self->summary);
    free (self);
    *self_p = NULL;
}

static s_item_t *
s_find (cf_config_t *self, const char *name, size_t name_len)
{
    for (size_t index = 0; index < self->count; index++) {
        const char *candidate = self->items [index].entry.name;
        if (strlen (candidate) == name_len && memcmp (candidate, name, name_len) == 0)
            return &self->items [index];
    }
    return NULL;
}

//  ------------------------------------------------------------ value parsing

static bool
s_parse_bool (const char *text, bool *value_p)
{
    static const char *yes [] = { "true", "1", "yes", "on" };
    static const char *no [] = { "false", "0", "no", "off" };
    for (size_t index = 0; index < 4; index++) {
        if (strcasecmp (text, yes [index]) == 0) {
            *value_p = true;
            return true;
        }
        if (strcasecmp (text, no [index]) == 0) {
            *value_p = false;
            return true;
        }
    }
    return false;
}

static bool
s_parse_int (const char *text, int64_t *value_p)
{
    //  strtoll would skip leading blanks and accept "0x10"; be exact.
    const char *digits = text + (*text == '-' || *text == '+');
    if (!isdigit ((unsigned char) *digits))
        return false;
    for (const char *c = digits; *c; c++)
        if (!isdigit ((unsigned char) *c))
            return false;
    errno = 0;
    long long value = strtoll (text, NULL, 10);
    if (errno == ERANGE)
        return false;
    *value_p = value;
    return true;
}

//  Bytes: digits, then K, M, G or T (powers of 1024, any case), optionally
//  followed by "B" or "iB" ("512M", "1GiB", "4096").
static bool
s_parse_size (const char *text, int64_t *value_p)
{
    const char *c = text;
    if (!isdigit ((unsigned char) *c))
        return false;
    int64_t value = 0;
    for (; isdigit ((unsigned char) *c); c++) {
        if (value > (INT64_MAX - 9) / 10)
            return false;
        value = value * 10 + (*c - '0');
    }
    int shift = 0;
    const char *units = "KMGT";
    const char *unit = *c ? strchr (units, toupper ((unsigned char) *c)) : NULL;
    if (unit) {
        shift = 10 * (int) (unit - units + 1);
        c++;
        if (*c == 'i')
            c++;
        if (*c == 'B')
            c++;
    } else if (*c == 'B')
        c++;
    if (*c)
        return false;
    if (value > (INT64_MAX >> shift))
        return false;
    *value_p = value << shift;
    return true;
}

static bool
s_choice_valid (const char *choices, const char *text)
{
    size_t len = strlen (text);
    const char *word = choices;
    while (word) {
        const char *bar = strchr (word, '|');
        size_t word_len = bar ? (size_t) (bar - word) : strlen (word);
        if (word_len == len && memcmp (word, text, len) == 0)
            return true;
        word = bar ? bar + 1 : NULL;
    }
    return false;
}

//  Writes a size the way a person would type it (1G rather than 1073741824).
static void
s_format_size (int64_t value, char *buf, size_t size)
{
    const char *units = "TGMK";
    for (int index = 0; index < 4; index++) {
        int shift = 10 * (4 - index);
        int64_t unit = INT64_C (1) << shift;
        if (value != 0 && value % unit == 0) {
            snprintf (buf, size, "%lld%c", (long long) (value / unit), units [index]);
            return;
        }
    }
    snprintf (buf, size, "%lld", (long long) value);
}

//  Writes a duration in cf_duration_parse's syntax (`1d12h`, `250ms`).
static void
s_format_duration (int64_t micros, char *buf, size_t size)
{
    static const struct {
        const char *name;
        int64_t micros;
    } units [] = {
        { "d", CF_USEC_PER_DAY }, { "h", CF_USEC_PER_HOUR },
        { "m", CF_USEC_PER_MIN }, { "s", CF_USEC_PER_SEC },
        { "ms", 1000 },
    };
    //  The syntax has nothing below milliseconds: say it in microseconds.
    if (micros <= 0 || micros % 1000 != 0) {
        snprintf (buf, size, "%lld microseconds", (long long) micros);
        return;
    }
    size_t len = 0;
    buf [0] = 0;
    for (size_t index = 0; index < sizeof units / sizeof units [0] && len < size; index++) {
        int64_t count = micros / units [index].micros;
        if (count > 0) {
            len += (size_t) snprintf (buf + len, size - len, "%lld%s", (long long) count,
                                      units [index].name);
            micros -= count * units [index].micros;
        }
    }
}

//  A host of a tcp endpoint: a name or an IPv4 address (letters, digits,
//  '.', '-', '_'), or an IPv6 address in brackets.
static bool
s_host_valid (const char *host, size_t len)
{
    if (len == 0)
        return false;
    if (host [0] == '[') {
        if (len < 3 || host [len - 1] != ']')
            return false;
        for (size_t i = 1; i + 1 < len; i++)
            if (!isxdigit ((unsigned char) host [i]) && host [i] != ':' && host [i] != '.')
                return false;
        return true;
    }
    for (size_t i = 0; i < len; i++)
        if (!isalnum ((unsigned char) host [i]) && !strchr (".-_", host [i]))
            return false;
    return true;
}

bool
cf_config_endpoint_valid (const char *text, bool bind, char *why, size_t why_size)
{
    static const char *shapes [2] = {
        "tcp://HOST:PORT, ipc://PATH or inproc://NAME",
        "tcp://HOST:PORT, tcp://*:PORT, ipc://PATH or inproc://NAME",
    };
    const char *shape = shapes [bind];
    if (strncmp (text, "ipc://", 6) == 0 || strncmp (text, "inproc://", 9) == 0) {
        const char *rest = strstr (text, "://") + 3;
        if (*rest)
            return true;
        snprintf (why, why_size, "names no %s", text [1] == 'p' ? "path" : "name");
        return false;
    }
    if (strncmp (text, "tcp://", 6) != 0) {
        snprintf (why, why_size, "is not a ZeroMQ endpoint (use %s)", shape);
        return false;
    }
    const char *host = text + 6;
    const char *colon = strrchr (host, ':');
    if (!colon || (host [0] == '[' && colon < strchr (host, ']'))) {
        snprintf (why, why_size, "has no port (use %s)", shape);
        return false;
    }
    size_t host_len = (size_t) (colon - host);
    bool any_host = host_len == 1 && host [0] == '*';
    if (any_host && !bind) {
        snprintf (why, why_size,
                  "has host *, which only a bind takes: name the host to connect to");
        return false;
    }
    if (!any_host && !s_host_valid (host, host_len)) {
        snprintf (why, why_size, "has no valid host (use %s)", shape);
        return false;
    }
    const char *port = colon + 1;
    if (bind && strcmp (port, "*") == 0)
        return true;
    size_t digits = strspn (port, "0123456789");
    long number = digits && digits <= 5 && !port [digits] ? strtol (port, NULL, 10) : 0;
    if (number < 1 || number > 65535) {
        snprintf (why, why_size, "has port \"%s\": a port is 1 to 65535%s", port,
                  bind ? ", or * for any free one" : "");
        return false;
    }
    return true;
}

static void
s_format_bound (const cf_config_entry_t *entry, int64_t value, char *buf, size_t size)
{
    if (entry->type == CF_CONFIG_SIZE)
        s_format_size (value, buf, size);
    else if (entry->type == CF_CONFIG_DURATION)
        s_format_duration (value, buf, size);
    else
        snprintf (buf, size, "%lld", (long long) value);
}

//  Checks `text` as a value of `entry`. Returns true and sets *number_p,
//  or false with the reason (after the quoted value) in `why`.
static bool
s_check (const cf_config_entry_t *entry, const char *text, int64_t *number_p, char *why,
         size_t why_size)
{
    int64_t number = 0;
    bool ok = true;
    switch (entry->type) {
        case CF_CONFIG_STRING:
            if (entry->default_value == NULL && *text == 0) {
                snprintf (why, why_size, "is empty (a value is required)");
                return false;
            }
            break;
        case CF_CONFIG_INT:
            ok = s_parse_int (text, &number);
            if (!ok)
                snprintf (why, why_size, "is not an integer");
            break;
        case CF_CONFIG_SIZE:
            ok = s_parse_size (text, &number);
            if (!ok)
                snprintf (why, why_size, "is not a size (use e.g. 1G, 512M)");
            break;
        case CF_CONFIG_DURATION:
            ok = cf_duration_parse (text, &number) == 0;
            if (!ok)
                snprintf (why, why_size, "is not a duration (use e.g. 14d, 3h, 90m, 1d12h)");
            break;
        case CF_CONFIG_TIME:
            //  Empty when the default is: no time given.
            if (!*text && entry->default_value && !*entry->default_value)
                break;
            ok = cf_time_parse (text, &number) == 0;
            if (!ok)
                snprintf (why, why_size,
                          "is not a time (use e.g. 2022-01-03, "
                          "2022-01-03T09:03, 2022-01-03T09:03:00+01:00)");
            break;
        case CF_CONFIG_BOOL: {
            bool value = false;
            ok = s_parse_bool (text, &value);
            number = value;
            if (!ok)
                snprintf (why, why_size, "is not a boolean (use true or false)");
            break;
        }
        case CF_CONFIG_CHOICE:
            ok = s_choice_valid (entry->choices, text);
            if (!ok)
                snprintf (why, why_size, "is not one of %s", entry->choices);
            break;
        case CF_CONFIG_CONNECT:
            if (strcmp (text, CF_CONFIG_NONE) == 0)
                return true;
            return cf_config_endpoint_valid (text, false, why, why_size);
        case CF_CONFIG_BIND: return cf_config_endpoint_valid (text, true, why, why_size);
    }
    if (!ok)
        return false;

    bool bounded = entry->type == CF_CONFIG_INT || entry->type == CF_CONFIG_SIZE
                   || entry->type == CF_CONFIG_DURATION;
    if (bounded && entry->max > entry->min && (number < entry->min || number > entry->max)) {
        char low [32], high [32];
        s_format_bound (entry, entry->min, low, sizeof low);
        s_format_bound (entry, entry->max, high, sizeof high);
        snprintf (why, why_size, "is out of range (%s to %s)", low, high);
        return false;
    }
    *number_p = number;
    return true;
}

//  ------------------------------------------------------------------ table

void
cf_config_add (cf_config_t *self, const cf_config_entry_t *entries, size_t count)
{
    assert (self);
    assert (entries || count == 0);
    for (size_t index = 0; index < count; index++) {
        const cf_config_entry_t *entry = &entries [index];
        assert (entry->name && *entry->name && entry->name [0] != '-');
        assert (strcmp (entry->name, "help") != 0);
        assert (!s_find (self, entry->name, strlen (entry->name)));
        assert (entry->type != CF_CONFIG_CHOICE || (entry->choices && *entry->choices));

        if (self->count == self->capacity) {
            self->capacity = self->capacity ? self->capacity * 2 : 16;
            self->items = realloc (self->items, self->capacity * sizeof *self->items);
            if (!self->items)
                abort ();
        }
        s_item_t *item = &self->items [self->count++];
        memset (item, 0, sizeof *item);
        item->entry = *entry;
        item->entry.name = s_strdup (entry->name);
        item->entry.env = s_strdup (entry->env);
        item->entry.default_value = s_strdup (entry->default_value);
        item->entry.help = s_strdup (entry->help ? entry->help : "");
        item->entry.choices = s_strdup (entry->choices);
        item->source = CF_CONFIG_FROM_DEFAULT;
        if (entry->default_value) {
            //  A default that does not pass its own checks is a bug in
            //  the table, found the first time the program starts.
            char why [160];
            bool valid =
                s_check (&item->entry, entry->default_value, &item->number, why, sizeof why);
            assert (valid);
            (void) valid;
            item->value = s_strdup (entry->default_value);
        }
    }
}

//  Prints "program: --name (ENV): " as the start of an error line.
static void
s_error_start (cf_config_t *self, const s_item_t *item, FILE *err)
{
    fprintf (err, "%s: --%s", self->program, item->entry.name);
    if (item->entry.env)
        fprintf (err, " (%s)", item->entry.env);
}

int
cf_config_parse (cf_config_t *self, int argc, char **argv, FILE *out, FILE *err)
{
    assert (self);
    assert (argc == 0 || argv);
    if (!out)
        out = stdout;
    if (!err)
        err = stderr;

    //  --help wins wherever it is, so it works even next to a mistake.
    for (int arg = 1; arg < argc; arg++) {
        if (strcmp (argv [arg], "--") == 0)
            break;
        if (strcmp (argv [arg], "--help") == 0 || strcmp (argv [arg], "-h") == 0) {
            cf_config_print_help (self, out);
            return CF_EHELP;
        }
    }

    //  Start again from the defaults, so parsing twice is not cumulative.
    for (size_t index = 0; index < self->count; index++) {
        s_item_t *item = &self->items [index];
        s_set_text (&item->value, item->entry.default_value);
        item->source = CF_CONFIG_FROM_DEFAULT;
    }

    //  Environment first, then flags over it.
    for (size_t index = 0; index < self->count; index++) {
        s_item_t *item = &self->items [index];
        const char *text = item->entry.env ? getenv (item->entry.env) : NULL;
        if (text && *text) {
            s_set_text (&item->value, text);
            item->source = CF_CONFIG_FROM_ENV;
        }
    }
    for (int arg = 1; arg < argc; arg++) {
        const char *word = argv [arg];
        if (strncmp (word, "--", 2) != 0 || word [2] == 0) {
            fprintf (err, "%s: unexpected argument \"%s\" (see --help)\n", self->program, word);
            return CF_EINVAL;
        }
        const char *name = word + 2;
        const char *equals = strchr (name, '=');
        size_t name_len = equals ? (size_t) (equals - name) : strlen (name);
        s_item_t *item = s_find (self, name, name_len);
        if (!item) {
            fprintf (err, "%s: unknown flag --%.*s (see --help)\n", self->program, (int) name_len,
                     name);
            return CF_EINVAL;
        }
        const char *text;
        if (equals)
            text = equals + 1;
        else if (item->entry.type == CF_CONFIG_BOOL)
            //  A bool flag never takes the next word: `--demo x` must not
            //  silently read x.
            text = "true";
        else if (arg + 1 < argc && strncmp (argv [arg + 1], "--", 2) != 0)
            text = argv [++arg];
        else {
            s_error_start (self, item, err);
            fprintf (err, ": needs a value\n");
            return CF_EINVAL;
        }
        s_set_text (&item->value, text);
        item->source = CF_CONFIG_FROM_FLAG;
    }

    for (size_t index = 0; index < self->count; index++) {
        s_item_t *item = &self->items [index];
        if (!item->value) {
            s_error_start (self, item, err);
            fprintf (err, " is required\n");
            return CF_EINVAL;
        }
        char why [160];
        int64_t number;
        if (!s_check (&item->entry, item->value, &number, why, sizeof why)) {
            s_error_start (self, item, err);
            fprintf (err, ": \"%s\" %s\n", item->value, why);
            return CF_EINVAL;
        }
        item->number = number;
    }
    return 0;
}

//  ------------------------------------------------------------------ reads

static s_item_t *
s_item (cf_config_t *self, const char *name)
{
    assert (self);
    assert (name);
    s_item_t *item = s_find (self, name, strlen (name));
    assert (item);
    return item;
}

//  Entries whose value is read as text.
static bool
s_is_text (cf_config_type_t type)
{
    return type == CF_CONFIG_STRING || type == CF_CONFIG_CHOICE || type == CF_CONFIG_BIND
           || type == CF_CONFIG_CONNECT;
}

const char *
cf_config_string (cf_config_t *self, const char *name)
{
    s_item_t *item = s_item (self, name);
    assert (s_is_text (item->entry.type));
    return item->value;
}

int64_t
cf_config_int (cf_config_t *self, const char *name)
{
    s_item_t *item = s_item (self, name);
    assert (!s_is_text (item->entry.type));
    return item->number;
}

bool
cf_config_time (cf_config_t *self, const char *name, int64_t *at_p)
{
    s_item_t *item = s_item (self, name);
    assert (item->entry.type == CF_CONFIG_TIME);
    if (!*item->value)
        return false;
    *at_p = item->number;
    return true;
}

bool
cf_config_bool (cf_config_t *self, const char *name)
{
    s_item_t *item = s_item (self, name);
    assert (item->entry.type == CF_CONFIG_BOOL);
    return item->number != 0;
}

const char *
cf_config_peek (int argc, char **argv, const char *name, const char *env)
{
    const char *text = env ? getenv (env) : NULL;
    if (text && !*text)
        text = NULL;
    size_t name_len = strlen (name);
    for (int arg = 1; arg < argc; arg++) {
        const char *word = argv [arg];
        if (strncmp (word, "--", 2) != 0 || strncmp (word + 2, name, name_len) != 0)
            continue;
        const char *rest = word + 2 + name_len;
        if (*rest == '=')
            text = rest + 1;
        else if (*rest == 0)
            text = arg + 1 < argc && strncmp (argv [arg + 1], "--", 2) != 0 ? argv [++arg] : NULL;
    }
    return text;
}

bool
cf_config_has (cf_config_t *self, const char *name)
{
    return s_find (self, name, strlen (name)) != NULL;
}

bool
cf_config_is_set (cf_config_t *self, const char *name)
{
    return s_item (self, name)->source != CF_CONFIG_FROM_DEFAULT;
}

//  ------------------------------------------------------------------- help

//  What follows the flag in the help: the kind of value it takes.
static const char *
s_metavar (const cf_config_entry_t *entry)
{
    switch (entry->type) {
        case CF_CONFIG_STRING: return "VALUE";
        case CF_CONFIG_INT: return "N";
        case CF_CONFIG_SIZE: return "SIZE";
        case CF_CONFIG_DURATION: return "DURATION";
        case CF_CONFIG_TIME: return "TIME";
        case CF_CONFIG_BOOL: return "[=BOOL]";
        case CF_CONFIG_CHOICE: return entry->choices;
        case CF_CONFIG_BIND:
        case CF_CONFIG_CONNECT: return "ENDPOINT";
    }
    return "VALUE";
}

//  Help lines end by this column, as a terminal and a man page expect.
#define S_HELP_WIDTH 79

//  Prints `text` in lines of at most S_HELP_WIDTH columns (a word longer
//  than a line gets one of its own), each indented by `indent` spaces.
//  The table keeps one string per entry (the Markdown reference needs it
//  whole), so the breaking happens here.
static void
s_print_wrapped (FILE *out, const char *text, int indent)
{
    assert (indent >= 0 && indent < S_HELP_WIDTH / 2);
    const size_t room = (size_t) (S_HELP_WIDTH - indent);
    while (*text == ' ')
        text++;
    while (*text) {
        size_t length = strlen (text);
        size_t cut = length;
        if (length > room) {
            //  The last space that keeps the line within room, else the
            //  first space after it.
            cut = room;
            while (cut > 0 && text [cut] != ' ')
                cut--;
            if (cut == 0)
                cut = strcspn (text, " ");
        }
        fprintf (out, "%*s%.*s\n", indent, "", (int) cut, text);
        text += cut;
        while (*text == ' ')
            text++;
    }
}

void
cf_config_print_help (cf_config_t *self, FILE *out)
{
    assert (self);
    assert (out);
    fprintf (out, "Usage: %s [options]\n", self->program);
    if (*self->summary) {
        fputc ('\n', out);
        s_print_wrapped (out, self->summary, 0);
    }
    fprintf (out, "\nOptions (a flag overrides its environment variable, which "
                  "overrides\nthe default):\n");
    for (size_t index = 0; index < self->count; index++) {
        const cf_config_entry_t *entry = &self->items [index].entry;
        const char *metavar = s_metavar (entry);
        fprintf (out, "  --%s%s%s\n", entry->name, entry->type == CF_CONFIG_BOOL ? "" : " ",
                 metavar);
        s_print_wrapped (out, entry->help, 6);
        fprintf (out, "      ");
        if (entry->env)
            fprintf (out, "env %s, ", entry->env);
        if (entry->default_value)
            fprintf (out, "default \"%s\"", entry->default_value);
        else
            fprintf (out, "required");
        if (entry->max > entry->min
            && (entry->type == CF_CONFIG_INT || entry->type == CF_CONFIG_SIZE
                || entry->type == CF_CONFIG_DURATION)) {
            char low [32], high [32];
            s_format_bound (entry, entry->min, low, sizeof low);
            s_format_bound (entry, entry->max, high, sizeof high);
            fprintf (out, ", %s to %s", low, high);
        }
        fprintf (out, "\n");
    }
    fprintf (out, "  --help\n      print this help and exit\n");
}

//  Writes text for a Markdown table cell: '|' would end the cell.
static void
s_markdown_cell (FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == '|')
            fputc ('\\', out);
        fputc (*c, out);
    }
}

void
cf_config_print_markdown (cf_config_t *self, FILE *out)
{
    assert (self);
    assert (out);
    fprintf (out, "| Flag | Environment | Default | Description |\n");
    fprintf (out, "|------|-------------|---------|-------------|\n");
    for (size_t index = 0; index < self->count; index++) {
        const cf_config_entry_t *entry = &self->items [index].entry;
        fprintf (out, "| `--%s", entry->name);
        if (entry->type != CF_CONFIG_BOOL) {
            fputc (' ', out);
            s_markdown_cell (out, s_metavar (entry));
        }
        fprintf (out, "` | %s%s%s | ", entry->env ? "`" : "", entry->env ? entry->env : "",
                 entry->env ? "`" : "");
        if (!entry->default_value)
            fprintf (out, "(required)");
        else if (!*entry->default_value)
            fprintf (out, "(empty)");
        else {
            fputc ('`', out);
            s_markdown_cell (out, entry->default_value);
            fputc ('`', out);
        }
        fprintf (out, " | ");
        s_markdown_cell (out, entry->help);
        fprintf (out, " |\n");
    }
}
