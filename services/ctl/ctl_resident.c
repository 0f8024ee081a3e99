//  ctl_resident: `caseflowctl resident …`, a resident's personal data as
//  the AVG asks (CLI.md, docs/privacy.md): everything held about them
//  (export), erasure everywhere, and holds that keep a resident past
//  retention.
//
//  export is one JSON document, {subject, cases, handovers, reminders,
//  access_log}, gathered from the services that hold the facts: intake
//  names the resident and gives the full view of every case of theirs
//  (ExportResident, recorded there as a read of each case); handover the
//  handovers those cases came from (each shown as `handover show` shows
//  it, and so recorded as read); notification the reminders about those
//  cases and handovers; intake and handover their access logs for that
//  resident and those handovers, read last, so the export's own reads are
//  in it. A handover that never became a case is exported on its own
//  (subject null, no cases). Every service must answer: an export with a
//  part missing would look complete and not be.
#include "ctl.h"
#include "ctl_output.h"

#include "caseflow/v1/intake.pb-c.h"
#include "caseflow/v1/notification.pb-c.h"

#include <stdlib.h>
#include <string.h>

#define S_HANDOVERS_MAX 64

//  The resident is named by exactly one of a case, a handover and a
//  subject.
static int
s_check_named (const ctl_args_t *args)
{
    int named = (args->positional_count > 0) + (ctl_arg (args, "handover") != NULL)
                + (ctl_arg (args, "subject") != NULL);
    if (args->positional_count > 1 || named != 1)
        return ctl_usage_error ("%s: name the resident by one CASE, --handover H or "
                                "--subject S",
                                args->verb->name);
    return CTL_OK;
}

static int
s_build_erase (const ctl_args_t *args, ProtobufCMessage *body)
{
    (void) body;
    return s_check_named (args);
}

//  ---------------------------------------------------------------- export

typedef struct {
    const ctl_args_t *args;
    json_t *document;
    const char *handovers [S_HANDOVERS_MAX];  //  borrowed from the intake reply or args
    size_t handover_count;
} s_export_t;

static void
s_add_handover (s_export_t *self, const char *id)
{
    if (!id || !*id)
        return;
    for (size_t i = 0; i < self->handover_count; i++)
        if (strcmp (self->handovers [i], id) == 0)
            return;
    if (self->handover_count < S_HANDOVERS_MAX)
        self->handovers [self->handover_count++] = id;
}

//  The JSON spec of `handover show`, from its row: the export shows each
//  handover as that verb does.
static const char *
s_handover_spec (void)
{
    for (const ctl_verb_t *verb = ctl_handover_verbs; verb->group; verb++)
        if (strcmp (verb->name, "show") == 0)
            return verb->json;
    abort ();  //  the handover table lost its show verb
}

static int
s_export_handovers (s_export_t *self)
{
    json_t *list = json_array ();
    json_object_set_new (self->document, "handovers", list);
    for (size_t i = 0; i < self->handover_count; i++) {
        Caseflow__V1__Handover__GetHandover *body =
            ctl_message_new (&caseflow__v1__handover__get_handover__descriptor);
        body->handover_id = ctl_strdup (self->handovers [i]);
        Caseflow__V1__Reply *reply = NULL;
        const ProtobufCMessage *result = NULL;
        int rc = ctl_send (self->args->ctl, CTL_HANDOVER, CTL_QUERY, &body->base, "handover",
                           &reply, &result);
        if (rc != CTL_OK)
            return rc;
        json_array_append_new (list, ctl_json_message (result, s_handover_spec ()));
        caseflow__v1__reply__free_unpacked (reply, NULL);
    }
    return CTL_OK;
}

//  hold, release: the resident is named by exactly one of a case and a
//  subject.
static int
s_build_hold (const ctl_args_t *args, ProtobufCMessage *body)
{
    (void) body;
    int named = (args->positional_count > 0) + (ctl_arg (args, "subject") != NULL);
    if (args->positional_count > 1 || named != 1)
        return ctl_usage_error ("%s: name the resident by one CASE or --subject S",
                                args->verb->name);
    return CTL_OK;
}

//  Appends the reminders of `list` to `all`, each once.
static void
s_add_reminders (json_t *all, json_t *list)
{
    size_t i, j;
    json_t *reminder, *known;
    json_array_foreach (list, i, reminder)
    {
        const char *id = json_string_value (json_object_get (reminder, "reminder_id"));
        bool seen = false;
        json_array_foreach (all, j, known)
        {
            const char *other = json_string_value (json_object_get (known, "reminder_id"));
            seen |= id && other && strcmp (id, other) == 0;
        }
        if (!seen)
            json_array_append (all, reminder);
    }
}

//  The reminders of one case (`case_id`) or one handover, every one of
//  them (handled and cancelled too), as `reminders --all` lists them.
static int
s_export_reminders_of (s_export_t *self, const char *case_id, const char *handover_id)
{
    Caseflow__V1__Notification__ListReminders *body =
        ctl_message_new (&caseflow__v1__notification__list_reminders__descriptor);
    body->case_id = ctl_strdup (case_id);
    body->handover_id = ctl_strdup (handover_id);
    body->include_closed = true;
    body->limit = 10000;
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    int rc = ctl_send (self->args->ctl, CTL_NOTIFICATION, CTL_QUERY, &body->base, "reminders",
                       &reply, &result);
    if (rc != CTL_OK)
        return rc;
    json_t *list = ctl_reminders_list_json (self->args, result);
    s_add_reminders (json_object_get (self->document, "reminders"), list);
    json_decref (list);
    caseflow__v1__reply__free_unpacked (reply, NULL);
    return CTL_OK;
}

static int
s_export_reminders (s_export_t *self, const Caseflow__V1__Intake__ResidentExport *export)
{
    json_object_set_new (self->document, "reminders", json_array ());
    int rc = CTL_OK;
    for (size_t i = 0; export && i < export->n_cases && rc == CTL_OK; i++)
        rc = s_export_reminders_of (self, export->cases [i]->case_id, "");
    for (size_t i = 0; i < self->handover_count && rc == CTL_OK; i++)
        rc = s_export_reminders_of (self, "", self->handovers [i]);
    return rc;
}

//  Who read the resident's data: intake's records of the subject, and
//  handover's of each handover.
static int
s_export_access_log (s_export_t *self, const char *subject)
{
    Caseflow__V1__AccessLogQuery *queries [S_HANDOVERS_MAX + 1];
    size_t count = 0;
    if (subject) {
        queries [count] = ctl_message_new (&caseflow__v1__access_log_query__descriptor);
        queries [count]->subject = ctl_strdup (subject);
        queries [count++]->limit = 10000;
    }
    for (size_t i = 0; i < self->handover_count; i++) {
        queries [count] = ctl_message_new (&caseflow__v1__access_log_query__descriptor);
        queries [count]->handover_id = ctl_strdup (self->handovers [i]);
        queries [count++]->limit = 10000;
    }
    json_t *list = NULL;
    int rc = ctl_access_fetch (self->args->ctl,
                               (const Caseflow__V1__AccessLogQuery *const *) queries, count, &list);
    for (size_t i = 0; i < count; i++)
        protobuf_c_message_free_unpacked (&queries [i]->base, NULL);
    if (rc == CTL_OK)
        json_object_set_new (self->document, "access_log", list);
    return rc;
}

//  For people: what the document holds, in a few lines and tables.
static void
s_print_export (const json_t *document)
{
    const json_t *subject = json_object_get (document, "subject");
    printf ("subject      %s\n", json_is_string (subject) ? json_string_value (subject) : "-");
    const char *parts [] = { "cases", "handovers", "reminders" };
    for (size_t p = 0; p < 3; p++) {
        const json_t *list = json_object_get (document, parts [p]);
        printf ("%-12s %zu", parts [p], json_array_size (list));
        const char *key = p == 0 ? "case_id" : p == 1 ? "handover_id" : "reminder_id";
        size_t i;
        const json_t *item;
        json_array_foreach (list, i, item)
        {
            const json_t *id = json_object_get (item, key);
            printf ("%s%s", i ? ", " : ": ", json_is_string (id) ? json_string_value (id) : "-");
        }
        printf ("\n");
    }
    printf ("\nreads of their data:\n");
    ctl_access_print_table (json_object_get (document, "access_log"));
    printf ("\n(--json gives the whole document: every case, handover and reminder in full)\n");
}

static int
s_export (const ctl_args_t *args)
{
    int rc = s_check_named (args);
    if (rc != CTL_OK)
        return rc;
    Caseflow__V1__Intake__ExportResident *body =
        ctl_message_new (&caseflow__v1__intake__export_resident__descriptor);
    if ((rc = ctl_bind (args, &body->base, "case_id=$1 handover_id=handover subject"))) {
        protobuf_c_message_free_unpacked (&body->base, NULL);
        return rc;
    }
    Caseflow__V1__Reply *reply = NULL;
    const ProtobufCMessage *result = NULL;
    rc = ctl_send (args->ctl, CTL_INTAKE, CTL_QUERY, &body->base, "export", &reply, &result);
    const Caseflow__V1__Intake__ResidentExport *export = (const void *) result;
    //  A handover that did not become a case: its resident is known to
    //  handover alone.
    bool handover_only = rc == CTL_REFUSED && ctl_arg (args, "handover")
                         && args->ctl->refused_code == CASEFLOW__V1__STATUS__CODE__NOT_FOUND;
    if (rc != CTL_OK && !handover_only)
        return rc;
    if (handover_only) {
        fprintf (stderr, "caseflowctl: the handover's resident is known to handover only\n");
        export = NULL;
    }
    s_export_t self = { .args = args, .document = json_object () };
    json_object_set_new (self.document, "subject", ctl_json_text (export ? export->subject : NULL));
    json_t *cases = json_array ();
    json_object_set_new (self.document, "cases", cases);
    s_add_handover (&self, ctl_arg (args, "handover"));
    for (size_t i = 0; export && i < export->n_cases; i++) {
        const Caseflow__V1__Intake__CaseView *view = export->cases [i];
        json_array_append_new (cases, ctl_intake_case_json (args, &view->base));
        s_add_handover (&self, view->handover_id);
        for (size_t q = 0; q < view->n_questions; q++)
            s_add_handover (&self, view->questions [q]->handover_id);
    }
    rc = s_export_handovers (&self);
    if (rc == CTL_OK)
        rc = s_export_reminders (&self, export);
    if (rc == CTL_OK)
        rc = s_export_access_log (&self, export ? export->subject : NULL);
    if (rc == CTL_OK && args->ctl->json)
        ctl_json_print (json_incref (self.document));
    else if (rc == CTL_OK)
        s_print_export (self.document);
    json_decref (self.document);
    if (reply)
        caseflow__v1__reply__free_unpacked (reply, NULL);
    return rc;
}

const ctl_verb_t ctl_resident_verbs [] = {
    CTL_RUN ("resident", "export", "CASE | --handover H | --subject S", "handover subject",
             "[CASE...]", s_export),
    { "resident", "erase", "CASE | --handover H | --subject S --reason TEXT [--override-retention]",
      "handover subject reason! override-retention?", "[CASE...]", NULL, CTL_INTAKE, CTL_COMMAND,
      &caseflow__v1__intake__erase__descriptor,
      "case_id=$1 handover_id=handover subject reason override_retention=override-retention",
      s_build_erase, "erased", "subject erased_at:time case_ids",
      "subject erased_at:time cases=case_ids", NULL, NULL },
    { "resident", "hold", "CASE | --subject S --reason TEXT", "subject reason!", "[CASE...]", NULL,
      CTL_INTAKE, CTL_COMMAND, &caseflow__v1__intake__hold__descriptor, "case_id=$1 subject reason",
      s_build_hold, "hold", "subject held", "subject held", NULL, NULL },
    { "resident", "release", "CASE | --subject S", "subject", "[CASE...]", NULL, CTL_INTAKE,
      CTL_COMMAND, &caseflow__v1__intake__release__descriptor, "case_id=$1 subject", s_build_hold,
      "hold", "subject held", "subject held", NULL, NULL },
    { NULL },
};
