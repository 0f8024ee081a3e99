//  ctl_intake_output: how `caseflowctl intake …` shows intake's results.
//  JSON keys are CLI.md's (case_id, status, urgency, channel, domains,
//  registered_at, worker_id, location, callbacks [{reminder_id, due_at,
//  outcome}], and case_id, status, urgency, joined_existing for register)
//  plus the rest of the case; absent values are null. List summaries carry
//  no personal data, and then no callbacks, resident or questions either;
//  a command's reply carries the whole case but no personal data.
#include "ctl_output.h"

#include <string.h>

//  The case object, in parts: the personal ones only when the view has
//  the resident.
#define S_CASE_HEAD "case_id status urgency channel domains registered_at:time worker_id? location?"
#define S_CALLBACKS "callbacks:{reminder_id? due_at:time outcome recorded_at:time note?}"
#define S_TRIAGE    "triaged_at:time last_triaged_at:time triage_reason? status_changed_at:time"
#define S_RESIDENT  "resident:{name? birth_date? phone? district? bsn?} question?"
#define S_MIDDLE                                                                      \
    "referred_by? preferred_worker? consecutive_unanswered awaiting_retriage tracks " \
    "questions_added"
#define S_QUESTIONS "questions:{added_at:time channel domains question? referred_by? handover_id?}"
#define S_CASE_TAIL "closed_at:time closure close_reason? handover_id? provider_id?"

json_t *
ctl_intake_case_json (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Intake__CaseView *view = (const void *) result;
    //  A whole case names its subject; the resident's data comes with
    //  `intake show` and `find`, not with a command's reply.
    bool whole = view->subject && *view->subject;
    bool personal = view->resident != NULL;
    json_t *object = ctl_json_message (result, S_CASE_HEAD);
    ctl_json_add (object, result, whole ? S_CALLBACKS " " S_TRIAGE : S_TRIAGE);
    if (personal)
        ctl_json_add (object, result, S_RESIDENT);
    ctl_json_add (object, result, S_MIDDLE);
    if (whole)
        ctl_json_add (object, result, "subject erased age_band? areas " S_QUESTIONS);
    return ctl_json_add (object, result, S_CASE_TAIL);
}

void
ctl_intake_registered_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Intake__RegisterResult *registered = (const void *) result;
    printf ("%s %s: %s, urgency %s\n", registered->case_id,
            registered->joined_existing ? "joined (the resident's open case)" : "registered",
            ctl_status_name (registered->status),
            registered->urgency ? ctl_urgency_name (registered->urgency) : "-");
}

//  "<CASE> <what>: <status>, urgency <urgency>[, worker W]", what the verb did.
void
ctl_intake_changed_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    static const char *const s_done [][2] = {
        { "triage", "triaged" },
        { "callback", "callback recorded" },
        { "advise", "advised and closed" },
        { "withdraw", "withdrawn" },
        { "close", "closed" },
    };
    const Caseflow__V1__Intake__CaseView *view = (const void *) result;
    const char *what = args->verb->name;
    char joined [96];
    for (size_t i = 0; i < sizeof s_done / sizeof s_done [0]; i++)
        if (strcmp (s_done [i][0], what) == 0)
            what = s_done [i][1];
    if (strcmp (what, "track join") == 0) {
        snprintf (joined, sizeof joined, "joined track %s", ctl_arg (args, "track"));
        what = joined;
    }
    printf ("%s %s: %s, urgency %s%s%s\n", view->case_id, what, ctl_status_name (view->status),
            view->urgency ? ctl_urgency_name (view->urgency) : "-",
            *view->worker_id ? ", worker " : "", view->worker_id);
}

//  `show` for people: one "label  value" line per known fact, then the
//  callbacks and the later registrations as tables.
void
ctl_intake_case_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Intake__CaseView *view = (const void *) result;
    ctl_text_lines (result,
                    "case=case_id status urgency channel domains registered=registered_at:time "
                    "triaged=last_triaged_at?:time triage_reason? worker=worker_id location "
                    "name=resident.name? birth_date=resident.birth_date? bsn=resident.bsn? "
                    "phone=resident.phone? district=resident.district? question? referred_by? "
                    "preferred_worker? handover=handover_id? provider=provider_id? tracks? "
                    "awaiting_retriage closed=closed_at?:time closure? close_reason?",
                    18);
    if (view->n_callbacks)
        printf ("\ncallbacks (%u unanswered in a row):\n", view->consecutive_unanswered);
    if (view->n_callbacks)
        ctl_text_show (result, "RECORDED DUE OUTCOME REMINDER NOTE|callbacks|recorded_at:time "
                               "due_at:time outcome reminder_id note");
    if (view->n_questions)
        ctl_text_show (result, "LATER_REGISTRATION CHANNEL DOMAINS QUESTION|questions|"
                               "added_at:time channel domains question");
}

void
ctl_intake_list_page (ctl_intake_list_t *list, const Caseflow__V1__Intake__CaseList *page)
{
    if (list->args->ctl->json) {
        if (!list->all)
            list->all = json_array ();
        for (size_t i = 0; i < page->n_cases; i++)
            json_array_append_new (list->all,
                                   ctl_intake_case_json (list->args, &page->cases [i]->base));
        return;
    }
    if (!list->table)
        list->table =
            ctl_table_new ("CASE STATUS URGENCY CHANNEL DOMAINS LOCATION REGISTERED WORKER");
    ctl_table_each (list->table, &page->base, "cases",
                    "case_id status urgency channel domains location registered_at:time "
                    "worker_id",
                    NULL);
}

void
ctl_intake_list_end (ctl_intake_list_t *list)
{
    if (list->all)
        ctl_json_print (list->all);
    if (list->table)
        ctl_table_print (&list->table);
}

void
ctl_intake_track_text (const ctl_args_t *args, const ProtobufCMessage *result)
{
    (void) args;
    const Caseflow__V1__Intake__TrackView *track = (const void *) result;
    printf ("track %s created: %s at %s, %u places, starts %s\n", track->track_id, track->name,
            track->location, track->capacity, track->starts_on);
}
