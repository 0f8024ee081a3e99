//  ctl_run: the one runner every verb goes through (see ctl.h): find the
//  row, parse its flags, build its message, send it, print the result
//  (text or --json) and free it all.
#include "ctl.h"
#include "ctl_render.h"

#include <stdlib.h>
#include <string.h>

//  Every group, in the order of caseflowctl --help.
static const ctl_group_t *const s_groups [] = {
    &ctl_intake_group,    &ctl_assignment_group, &ctl_waiting_group, &ctl_handover_group,
    &ctl_reminders_group, &ctl_case_group,       &ctl_report_group,  &ctl_tail_group,
    &ctl_clock_group,     &ctl_status_group,     &ctl_digest_group,  &ctl_batch_group,
    &ctl_keys_group,
};
#define S_GROUPS (sizeof s_groups / sizeof s_groups [0])

static bool
s_is_help (const char *word)
{
    return strcmp (word, "--help") == 0 || strcmp (word, "-h") == 0 || strcmp (word, "help") == 0;
}

//  The verbs of a group, each with its arguments; then its notes.
static void
s_group_help (const ctl_group_t *group, FILE *out)
{
    fprintf (out, "usage: caseflowctl %s%s [args]\n\n%s.\n\n", group->name,
             group->verbs [0].name && *group->verbs [0].name ? " <verb>" : "", group->help);
    for (const ctl_verb_t *verb = group->verbs; verb->name; verb++)
        fprintf (out, "  %s%s%s%s%s\n", group->name, *verb->name ? " " : "", verb->name,
                 *verb->usage ? " " : "", verb->usage);
    if (group->notes)
        fprintf (out, "\n%s", group->notes);
    fprintf (out, "\nGlobal options (--json, --timeout, the endpoints) go before the group: see\n"
                  "caseflowctl --help.\n");
}

void
ctl_help (FILE *out)
{
    fprintf (out, "usage: caseflowctl [global options] <group> [<verb>] [args]\n"
                  "\n"
                  "The command line of caseflow's services (docs/cli.md documents every command).\n"
                  "\n"
                  "groups, and their verbs:\n");
    for (size_t g = 0; g < S_GROUPS; g++) {
        fprintf (out, "  %-11s %s\n", s_groups [g]->name, s_groups [g]->help);
        char line [1024] = "";
        for (const ctl_verb_t *verb = s_groups [g]->verbs; verb->name; verb++) {
            size_t len = strlen (line);
            //  The first word of each verb once: "track add|join|list" reads as "track".
            const char *shown = *verb->name ? verb->name : "(no verb)";
            size_t word = strcspn (shown, " ");
            if (verb != s_groups [g]->verbs && strncmp (verb [-1].name, shown, word) == 0
                && verb [-1].name [word] == shown [word])
                continue;
            snprintf (line + len, sizeof line - len, "%s%.*s", len ? ", " : "", (int) word, shown);
        }
        fprintf (out, "  %-11s   %s\n", "", line);
    }
}

//  The verb `argv` names in `group` (*used_p: how many words its name
//  took), or its verb without a name, or NULL.
static const ctl_verb_t *
s_verb (const ctl_group_t *group, int argc, char **argv, int *used_p)
{
    const ctl_verb_t *found = NULL, *unnamed = NULL;
    *used_p = 0;
    for (const ctl_verb_t *verb = group->verbs; verb->name; verb++) {
        if (!*verb->name) {
            unnamed = verb;
            continue;
        }
        //  Each word of the name in turn.
        int words = 0;
        const char *name = verb->name;
        bool match = true;
        while (*name && match) {
            size_t len = strcspn (name, " ");
            match = words < argc && strlen (argv [words]) == len
                    && strncmp (argv [words], name, len) == 0;
            words++;
            name += len;
            name += strspn (name, " ");
        }
        if (match && words > *used_p) {
            found = verb;
            *used_p = words;
        }
    }
    return found ? found : unnamed;
}

void
ctl_show (const ctl_args_t *args, const ProtobufCMessage *result)
{
    if (args->ctl->json && args->verb->json)
        ctl_json_print (args->verb->json (args, result));
    else if (args->verb->text)
        args->verb->text (args, result);
}

int
ctl_run (ctl_t *ctl, int argc, char **argv)
{
    const ctl_group_t *group = NULL;
    for (size_t g = 0; g < S_GROUPS && !group; g++)
        if (strcmp (argv [0], s_groups [g]->name) == 0)
            group = s_groups [g];
    if (!group)
        return ctl_usage_error ("unknown command \"%s\" (see caseflowctl --help)", argv [0]);
    if (argc >= 2 && s_is_help (argv [1])) {
        s_group_help (group, stdout);
        return CTL_OK;
    }
    int used = 0;
    const ctl_verb_t *verb = s_verb (group, argc - 1, argv + 1, &used);
    if (!verb && argc < 2)
        return ctl_usage_error ("%s: give a verb (see caseflowctl %s --help)", group->name,
                                group->name);
    if (!verb)
        return ctl_usage_error ("%s: unknown verb \"%s\" (see caseflowctl %s --help)", group->name,
                                argv [1], group->name);
    ctl_args_t args = { .ctl = ctl, .verb = verb };
    int rc = ctl_args_parse (&args, argc - 1 - used, argv + 1 + used);
    if (rc < 0) {
        printf ("usage: caseflowctl %s%s%s %s\n", group->name, *verb->name ? " " : "", verb->name,
                verb->usage);
        if (group->notes)
            printf ("\n%s", group->notes);
        return CTL_OK;
    }
    if (rc != CTL_OK)
        return rc;
    if (verb->run)
        return verb->run (&args);
    ProtobufCMessage *body = ctl_message_new (verb->body);
    rc = ctl_bind (&args, body, verb->bind);
    if (rc == CTL_OK && verb->build)
        rc = verb->build (&args, body);
    if (rc != CTL_OK) {
        protobuf_c_message_free_unpacked (body, NULL);
        return rc;
    }
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    rc = ctl_send (ctl, verb->service, verb->kind, body, verb->result, &reply, &result);
    if (rc != CTL_OK)
        return rc;
    ctl_show (&args, result);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}
