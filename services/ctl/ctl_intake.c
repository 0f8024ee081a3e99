//  ctl_intake: `caseflowctl intake …`, the intake service's commands and
//  queries (CLI.md), as rows of the verb table; ctl_intake_output.c shows
//  their results. Every verb that changes a case prints the case as it now
//  is: one short line for people, the object of `intake show` with --json.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/intake.pb-c.h"

#include <stdlib.h>
#include <string.h>

//  find: a resident is found by BSN, or by name and birth date.
static int
s_build_find (const ctl_args_t *args, ProtobufCMessage *body)
{
    (void) body;
    if (ctl_arg (args, "bsn") || (ctl_arg (args, "name") && ctl_arg (args, "birth-date")))
        return CTL_OK;
    return ctl_usage_error ("find: give --bsn, or --name and --birth-date");
}

//  list: pages through ListCases (at most 1,000 a page) until --limit
//  cases; output starts with the first page, so a refusal prints nothing.
static int
s_list (const ctl_args_t *args)
{
    uint64_t limit = 100;
    if (ctl_arg (args, "limit")
        && ctl_parse_uint ("limit", ctl_arg (args, "limit"), 1, 1000000, &limit))
        return CTL_USAGE;
    char after [64] = "";
    uint64_t shown = 0;
    ctl_intake_list_t list = { .args = args };
    int rc = CTL_OK;
    while (shown < limit && rc == CTL_OK) {
        Caseflow__V1__Intake__ListCases *body =
            ctl_message_new (&caseflow__v1__intake__list_cases__descriptor);
        if ((rc = ctl_bind (args, &body->base, "status channel domain location"))) {
            protobuf_c_message_free_unpacked (&body->base, NULL);
            break;
        }
        body->limit = (uint32_t) (limit - shown < 1000 ? limit - shown : 1000);
        body->after = ctl_strdup (after);
        Caseflow__V1__Reply *reply = NULL;
        const ProtobufCMessage *result = NULL;
        rc = ctl_send (args->ctl, CTL_INTAKE, CTL_QUERY, &body->base, "cases", &reply, &result);
        if (rc != CTL_OK)
            break;
        const Caseflow__V1__Intake__CaseList *page = (const void *) result;
        ctl_intake_list_page (&list, page);
        shown += page->n_cases;
        snprintf (after, sizeof after, "%s", page->next);
        caseflow__v1__reply__free_unpacked (reply, NULL);
        if (!*after)
            break;
    }
    //  A page that failed after others leaves what was shown, and the exit status.
    ctl_intake_list_end (&list);
    return rc;
}

#define S_CHANGE     NULL, CTL_INTAKE, CTL_COMMAND
#define S_ASK        NULL, CTL_INTAKE, CTL_QUERY
#define S_BODY(name) &caseflow__v1__intake__##name##__descriptor
//  A verb that changes a case shows the case.
#define S_CHANGED "case", NULL, NULL, ctl_intake_case_json, ctl_intake_changed_text
#define S_TRACK   "track_id name location capacity starts_on case_ids"

const ctl_verb_t ctl_intake_verbs [] = {
    { "intake", "register",
      "--name NAME --channel phone|walk-in|web|partner|municipality\n"
      "           --domain D[,D...] [--birth-date DATE] [--bsn NUMBER] [--phone PHONE]\n"
      "           [--district NAME] [--location LOC] [--question TEXT] [--referred-by ORG]\n"
      "           [--urgency urgent|regular --reason TEXT]",
      "name! channel! domain! birth-date bsn phone district location question referred-by "
      "urgency reason",
      NULL, S_CHANGE, S_BODY (register),
      "resident.name channel domains=domain resident.birth_date resident.bsn resident.phone "
      "resident.district location question referred_by urgency reason",
      NULL, "registered", "case_id status urgency joined_existing", NULL, NULL,
      ctl_intake_registered_text },
    { "intake", "triage", "CASE --urgency urgent|regular --reason TEXT", "urgency! reason!", "CASE",
      S_CHANGE, S_BODY (triage), "case_id=$1 urgency reason", NULL, S_CHANGED },
    { "intake", "callback",
      "CASE --outcome reached|not-reached|changed|no-longer-needed [--note TEXT]\n"
      "           [--reminder ID] [--due TIME]",
      "outcome! note reminder due", "CASE", S_CHANGE, S_BODY (record_callback),
      "case_id=$1 outcome note reminder_id=reminder due_at=due", NULL, S_CHANGED },
    { "intake", "advise", "CASE --note TEXT", "note!", "CASE", S_CHANGE, S_BODY (advise),
      "case_id=$1 note", NULL, S_CHANGED },
    { "intake", "withdraw", "CASE --reason TEXT", "reason!", "CASE", S_CHANGE, S_BODY (withdraw),
      "case_id=$1 reason", NULL, S_CHANGED },
    { "intake", "close", "CASE --reason TEXT", "reason!", "CASE", S_CHANGE, S_BODY (close),
      "case_id=$1 reason", NULL, S_CHANGED },
    { "intake", "show", "CASE", "", "CASE", S_ASK, S_BODY (get_case), "case_id=$1", NULL, "case",
      NULL, NULL, ctl_intake_case_json, ctl_intake_case_text },
    CTL_RUN ("intake", "list",
             "[--status S] [--location LOC] [--channel C] [--domain D] [--limit N]",
             "status location channel domain limit", NULL, s_list),
    { "intake", "find", "--bsn NUMBER | --name NAME --birth-date DATE", "bsn name birth-date", NULL,
      S_ASK, S_BODY (find_resident), "bsn name birth_date", s_build_find, "case", NULL, NULL,
      ctl_intake_case_json, ctl_intake_case_text },
    { "intake", "counts", "", "", NULL, S_ASK, S_BODY (count_by_status), NULL, NULL, "counts",
      "*counts:map", "STATUS CASES|counts|status count", NULL, NULL },
    { "intake", "track add", "--id TRACK --name NAME --location LOC --capacity N --starts DATE",
      "id! name! location! capacity! starts!", NULL, S_CHANGE, S_BODY (create_track),
      "track_id=id name location capacity:1-4294967295 starts_on=starts", NULL, "track", S_TRACK,
      NULL, NULL, ctl_intake_track_text },
    { "intake", "track join", "CASE --track TRACK", "track!", "CASE", S_CHANGE, S_BODY (join_track),
      "case_id=$1 track_id=track", NULL, S_CHANGED },
    { "intake", "track list", "", "", NULL, S_ASK, S_BODY (list_tracks), NULL, NULL, "tracks",
      "*tracks:{" S_TRACK "}",
      "TRACK NAME LOCATION STARTS PLACES JOINED|tracks|track_id name location starts_on "
      "capacity case_ids",
      NULL, NULL },
    { NULL },
};
