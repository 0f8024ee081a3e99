//  ctl_resident: `caseflowctl resident …`, a resident's personal data as
//  the AVG asks (CLI.md, docs/privacy.md): erasure everywhere, and holds
//  that keep a resident past retention.
#include "ctl.h"

#include "caseflow/v1/intake.pb-c.h"

#include <string.h>

//  erase: the resident is named by exactly one of a case, a handover and a
//  subject.
static int
s_build_erase (const ctl_args_t *args, ProtobufCMessage *body)
{
    (void) body;
    int named = (args->positional_count > 0) + (ctl_arg (args, "handover") != NULL)
                + (ctl_arg (args, "subject") != NULL);
    if (args->positional_count > 1 || named != 1)
        return ctl_usage_error ("erase: name the resident by one CASE, --handover H or "
                                "--subject S");
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

const ctl_verb_t ctl_resident_verbs [] = {
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
