//  ctl_batch: `batch`: commands read from standard input, one a line, run
//  by one process: for scripts that send many commands (the demo), where
//  starting a process per command would cost more than the command.
//
//  A line is split into words as a shell would for simple quoting: blanks
//  separate words; '…' is taken literally; "…" allows \" and \\; a
//  backslash outside quotes takes the next character as it is. Blank lines
//  and lines starting with # are skipped. Each command runs with the
//  batch's global options (--json, --timeout, endpoints; a line may start
//  with --json of its own), prints what it
//  would print alone, and is followed on stdout by the line
//  "## exit N" (its exit status), flushed, so a reader can wait for it.
//  Stops at the end of input; exit status 0, or 2 for a line that does not
//  split (an open quote) or a --request-id given to the batch.
#include "ctl.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX_WORDS 96

//  Splits `line` in place into `words` (capacity S_MAX_WORDS). Returns the
//  count, or -1 for an open quote or too many words.
static int
s_split (char *line, char **words)
{
    int count = 0;
    char *in = line, *out = line;
    while (true) {
        while (*in == ' ' || *in == '\t' || *in == '\r' || *in == '\n')
            in++;
        if (!*in)
            return count;
        if (count == S_MAX_WORDS)
            return -1;
        words [count++] = out;
        while (*in && *in != ' ' && *in != '\t' && *in != '\r' && *in != '\n') {
            if (*in == '\'') {
                for (in++; *in && *in != '\'';)
                    *out++ = *in++;
                if (!*in)
                    return -1;
                in++;
            } else if (*in == '"') {
                for (in++; *in && *in != '"';) {
                    if (*in == '\\' && (in [1] == '"' || in [1] == '\\'))
                        in++;
                    *out++ = *in++;
                }
                if (!*in)
                    return -1;
                in++;
            } else if (*in == '\\' && in [1]) {
                in++;
                *out++ = *in++;
            } else
                *out++ = *in++;
        }
        //  `out` never passes `in`: the terminator overwrites a separator
        //  or a quote already read.
        bool end = !*in;
        *out++ = 0;
        if (end)
            return count;
        in++;
        if (out > in)
            return -1;
    }
}

static int
s_batch (const ctl_args_t *args)
{
    ctl_t *ctl = args->ctl;
    //  One id names one command: the lines would share it, and every
    //  command after the first would get the first one's stored reply.
    if (*ctl->request_id)
        return ctl_usage_error ("--request-id %s: names one command; batch runs many (give it "
                                "to a run of one command)",
                                ctl->request_id);
    int rc = CTL_OK;
    char *line = NULL;
    size_t size = 0;
    int status = CTL_OK;
    while (getline (&line, &size, stdin) >= 0) {
        char *words [S_MAX_WORDS + 1];
        int count = s_split (line, words);
        if (count < 0) {
            rc = ctl_usage_error ("batch: cannot split the line into words (open quote?)");
            status = CTL_USAGE;
        } else if (count == 0 || words [0][0] == '#')
            continue;
        else {
            //  A line may start with --json: that command prints JSON.
            ctl_t line_ctl = *ctl;
            int first = 0;
            while (first < count && strcmp (words [first], "--json") == 0) {
                line_ctl.json = true;
                first++;
            }
            words [count] = NULL;
            rc = first < count ? ctl_run (&line_ctl, count - first, words + first)
                               : ctl_usage_error ("batch: a command is missing after --json");
        }
        fflush (stderr);
        printf ("## exit %d\n", rc);
        fflush (stdout);
    }
    free (line);
    return status;
}

const ctl_verb_t ctl_batch_verbs [] = {
    CTL_RUN ("batch", "", "< COMMANDS", "", NULL, s_batch),
    { NULL },
};
