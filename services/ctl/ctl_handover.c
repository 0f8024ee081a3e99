//  ctl_handover: `caseflowctl handover …` (CLI.md): providers, the
//  handover lifecycle and progress against the deadline, as rows of the
//  verb table; ctl_handover_output.c shows their results.
//
//  A deadline given as a date alone is due by the end of that day (the
//  next day's 00:00 in Europe/Amsterdam), like the cohort's "30 June".
//  Command replies name ids and states only; `show` adds the resident.
#include "ctl.h"
#include "ctl_output.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

//  One caseload resident from "NAME;DOMAINS[;BIRTH-DATE[;BSN]]" (a fresh
//  message), or NULL after printing why.
static Caseflow__V1__Handover__CaseloadResident *
s_resident (const char *spec)
{
    char *fields [4] = { NULL, NULL, NULL, NULL };
    char *copy = ctl_strdup (spec), *part = copy;
    int count = 0;
    for (; part && count < 4; count++) {
        fields [count] = part;
        if ((part = strchr (part, ';')))
            *part++ = 0;
    }
    Caseflow__V1__Handover__CaseloadResident *entry =
        ctl_message_new (&caseflow__v1__handover__caseload_resident__descriptor);
    entry->resident = ctl_message_new (&caseflow__v1__personal_data__descriptor);
    entry->domains = calloc (strlen (spec) + 1, sizeof *entry->domains);
    assert (entry->domains);
    bool ok = count >= 2 && *fields [0];
    for (char *word = ok ? strtok (fields [1], ",") : NULL; word && ok; word = strtok (NULL, ",")) {
        int domain = ctl_domain_parse (word);
        ok = domain > 0;
        entry->domains [entry->n_domains++] = (Caseflow__V1__Domain) domain;
    }
    if (ok && entry->n_domains) {
        entry->resident->name = ctl_strdup (fields [0]);
        if (fields [2])
            entry->resident->birth_date = ctl_strdup (fields [2]);
        if (fields [3])
            entry->resident->bsn = ctl_strdup (fields [3]);
    } else {
        ctl_usage_error ("--resident: \"%s\" is not NAME;DOMAINS[;BIRTH-DATE[;BSN]]", spec);
        protobuf_c_message_free_unpacked (&entry->base, NULL);
        entry = NULL;
    }
    free (copy);
    return entry;
}

//  Adds the resident `spec` describes to the caseload; CTL_USAGE (printed)
//  when it describes none.
static int
s_add_resident (Caseflow__V1__Handover__AnnounceCaseload *caseload, const char *spec)
{
    size_t count = caseload->n_residents;
    caseload->residents = realloc (caseload->residents, (count + 1) * sizeof (void *));
    assert (caseload->residents);
    if (!(caseload->residents [count] = s_resident (spec)))
        return CTL_USAGE;
    caseload->n_residents++;
    return CTL_OK;
}

//  caseload: the residents from --resident, then from --file, one a line
//  (blank lines and lines starting with # left out).
static int
s_build_caseload (const ctl_args_t *args, ProtobufCMessage *body)
{
    const char *given [CTL_MAX_ARGS], *path = ctl_arg (args, "file");
    size_t count = ctl_arg_all (args, "resident", given, CTL_MAX_ARGS);
    int rc = CTL_OK;
    for (size_t i = 0; i < count && rc == CTL_OK; i++)
        rc = s_add_resident ((void *) body, given [i]);
    FILE *file = !path ? NULL : strcmp (path, "-") == 0 ? stdin : fopen (path, "r");
    if (path && !file)
        rc = ctl_usage_error ("--file: cannot read \"%s\"", path);
    char line [1024];
    while (rc == CTL_OK && file && fgets (line, sizeof line, file)) {
        line [strcspn (line, "\r\n")] = 0;
        if (*line && *line != '#')
            rc = s_add_resident ((void *) body, line);
    }
    if (file && file != stdin)
        fclose (file);
    if (rc == CTL_OK && ((Caseflow__V1__Handover__AnnounceCaseload *) body)->n_residents == 0)
        rc = ctl_usage_error ("handover caseload: give --resident or --file");
    return rc;
}

//  files: the documents, all of one type and receipt date, or --waive.
static int
s_build_files (const ctl_args_t *args, ProtobufCMessage *body)
{
    Caseflow__V1__Handover__RecordFiles *files = (void *) body;
    const char *titles [CTL_MAX_ARGS];
    size_t count = ctl_arg_all (args, "document", titles, CTL_MAX_ARGS);
    if (files->waive == (count > 0))
        return ctl_usage_error ("handover files: give --document TITLE (repeatable) or --waive");
    files->documents = calloc (count + 1, sizeof *files->documents);
    assert (files->documents);
    for (size_t i = 0; i < count; i++) {
        files->documents [i] = ctl_message_new (&caseflow__v1__handover__document__descriptor);
        files->n_documents++;
        files->documents [i]->title = ctl_strdup (titles [i]);
        int rc = ctl_bind (args, &files->documents [i]->base, "type received_at=received");
        if (rc != CTL_OK)
            return rc;
    }
    return CTL_OK;
}

#define S_CHANGE     NULL, CTL_HANDOVER, CTL_COMMAND
#define S_ASK        NULL, CTL_HANDOVER, CTL_QUERY
#define S_BODY(name) &caseflow__v1__handover__##name##__descriptor
//  A handover: CLI.md's keys, the resident and free texts for `show` only.
#define S_HEAD "handover_id provider_id state"
#define S_PERSONAL \
    "resident:{name birth_date? bsn? phone? district?} support? decision_note? cancel_reason?"
#define S_REST_1                                                                          \
    "domains urgency preferred_worker? caseload_worker? deadline:time announced_at:time " \
    "meeting_at=meetings.last.at:time"
#define S_REST_2 "held_at:time next_step decided_at:time"
#define S_REST_3 "files_waived completed_at:time cancelled_at:time overdue at_risk"
#define S_REST                                                     \
    S_REST_1 " meeting_location=meetings.last.location? " S_REST_2 \
             " documents:{title type? received_at:time} " S_REST_3
//  A verb that changes one handover: the handover as it now is, without
//  what may be personal (a meeting's location, a document's title): a
//  command's reply carries none (services/handover/README.md); `show` has
//  them.
#define S_CHANGED                                                                                 \
    "handover", S_HEAD " " S_REST_1 " " S_REST_2 " documents:{type? received_at:time} " S_REST_3, \
        NULL, NULL, ctl_handover_text

const ctl_verb_t ctl_handover_verbs [] = {
    { "handover", "provider add", "--id P --name NAME", "id! name!", NULL, S_CHANGE,
      S_BODY (add_provider), "provider_id=id name", NULL, "provider", "provider_id name", NULL,
      NULL, ctl_handover_provider_text },
    { "handover", "provider list", "", "", NULL, S_ASK, S_BODY (list_providers), NULL, NULL,
      "providers", "*providers:{provider_id name}", "PROVIDER NAME|providers|provider_id name",
      NULL, NULL },
    { "handover", "announce",
      "--provider P --name NAME --domain D[,D...] [--birth-date DATE]\n"
      "           [--bsn NUMBER] [--phone PHONE] [--district NAME] [--support TEXT]\n"
      "           [--preferred-worker W] [--deadline DATE] [--urgency urgent|regular]",
      "provider! name! domain! birth-date bsn phone district support preferred-worker deadline "
      "urgency",
      NULL, S_CHANGE, S_BODY (announce),
      "provider_id=provider resident.name domains=domain resident.birth_date resident.bsn "
      "resident.phone resident.district support preferred_worker deadline:deadline urgency",
      NULL, S_CHANGED },
    { "handover", "caseload",
      "--provider P --worker W (--resident SPEC... | --file FILE) [--deadline DATE]\n"
      "           (SPEC is NAME;DOMAINS[;BIRTH-DATE[;BSN]], one a line in FILE)",
      "provider! worker! resident* file deadline", NULL, S_CHANGE, S_BODY (announce_caseload),
      "provider_id=provider worker_id=worker deadline:deadline", s_build_caseload, "caseload",
      "handover_ids", NULL, NULL, ctl_handover_caseload_text },
    { "handover", "plan", "H --at TIME [--location LOC] [--participant WHO...]",
      "at! location participant*", "H", S_CHANGE, S_BODY (plan),
      "handover_id=$1 at location participants=participant", NULL, S_CHANGED },
    { "handover", "held", "H", "", "H", S_CHANGE, S_BODY (held), "handover_id=$1", NULL,
      S_CHANGED },
    { "handover", "decide", "H --next continue|stay|end|refer [--note TEXT]", "next! note", "H",
      S_CHANGE, S_BODY (decide), "handover_id=$1 next_step=next note", NULL, S_CHANGED },
    { "handover", "files", "H (--document TITLE... [--type TYPE] [--received DATE] | --waive)",
      "document* type received waive?", "H", S_CHANGE, S_BODY (record_files),
      "handover_id=$1 waive", s_build_files, S_CHANGED },
    { "handover", "complete", "H", "", "H", S_CHANGE, S_BODY (complete), "handover_id=$1", NULL,
      S_CHANGED },
    { "handover", "cancel", "H --reason TEXT", "reason!", "H", S_CHANGE, S_BODY (cancel),
      "handover_id=$1 reason", NULL, S_CHANGED },
    { "handover", "show", "H", "", "H", S_ASK, S_BODY (get_handover), "handover_id=$1", NULL,
      "handover", S_HEAD " " S_PERSONAL " " S_REST, NULL, NULL, ctl_handover_text },
    { "handover", "list", "[--provider P] [--state S] [--overdue] [--limit N] [--after H]",
      "provider state overdue? limit after", NULL, S_ASK, S_BODY (list_handovers),
      "provider_id=provider state overdue_only=overdue limit:1-1000 after", NULL, "handovers",
      "*handovers:{" S_HEAD " " S_REST "}", NULL, NULL, ctl_handover_list_text },
    { "handover", "progress", "[--provider P] [--at TIME]", "provider at", NULL, S_ASK,
      S_BODY (progress), "provider_id=provider at", NULL, "progress", NULL, NULL,
      ctl_handover_progress_json, ctl_handover_progress_text },
    { NULL },
};
