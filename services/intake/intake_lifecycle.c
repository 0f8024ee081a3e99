//  intake_lifecycle: the case transition table (see intake_lifecycle.h).
//
//  Why the less obvious rows exist:
//    - registered → assigned: an operator may assign a case manually before
//      intake triaged it; assignment's CaseAssigned is a fact intake follows
//      rather than a request it may refuse.
//    - assigned/active → waiting/urgent: CaseUnassigned (the worker is
//      absent or left) puts the case back; it goes to `urgent` when the
//      case is urgent, so the status keeps telling assignment's priority.
//    - active → assigned: a reassignment to a worker who has not started.
//    - active → active on started: the case started with another worker.
//    - triage of an assigned or active case keeps its status: only the
//      urgency changes (the worker keeps the case).
//    - callbacks and group tracks are the waiting list's: a case a worker
//      has is theirs to call, and only a waiting case joins a track.
#include "intake_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_words.h"

#define S_REG CASEFLOW__V1__CASE_STATUS__CASE_STATUS_REGISTERED
#define S_WAI CASEFLOW__V1__CASE_STATUS__CASE_STATUS_WAITING
#define S_URG CASEFLOW__V1__CASE_STATUS__CASE_STATUS_URGENT
#define S_ASS CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ASSIGNED
#define S_ACT CASEFLOW__V1__CASE_STATUS__CASE_STATUS_ACTIVE
#define S_CLO CASEFLOW__V1__CASE_STATUS__CASE_STATUS_CLOSED

static const cf_lifecycle_move_t s_moves [] = {
    //  Triage: an unassigned case moves by its urgency; a worker's keeps
    //  its status.
    { INTAKE_TRIAGE_REGULAR, S_REG, S_WAI },
    { INTAKE_TRIAGE_REGULAR, S_WAI, S_WAI },
    { INTAKE_TRIAGE_REGULAR, S_URG, S_WAI },
    { INTAKE_TRIAGE_REGULAR, S_ASS, S_ASS },
    { INTAKE_TRIAGE_REGULAR, S_ACT, S_ACT },
    { INTAKE_TRIAGE_URGENT, S_REG, S_URG },
    { INTAKE_TRIAGE_URGENT, S_WAI, S_URG },
    { INTAKE_TRIAGE_URGENT, S_URG, S_URG },
    { INTAKE_TRIAGE_URGENT, S_ASS, S_ASS },
    { INTAKE_TRIAGE_URGENT, S_ACT, S_ACT },
    //  The waiting list's business.
    { INTAKE_RECORD_CALLBACK, S_WAI, S_WAI },
    { INTAKE_RECORD_CALLBACK, S_URG, S_URG },
    { INTAKE_NO_LONGER_NEEDED, S_WAI, S_CLO },
    { INTAKE_NO_LONGER_NEEDED, S_URG, S_CLO },
    { INTAKE_JOIN_TRACK, S_WAI, S_WAI },
    //  Closure, from any open status.
    { INTAKE_ADVISE, S_REG, S_CLO },
    { INTAKE_ADVISE, S_WAI, S_CLO },
    { INTAKE_ADVISE, S_URG, S_CLO },
    { INTAKE_ADVISE, S_ASS, S_CLO },
    { INTAKE_ADVISE, S_ACT, S_CLO },
    { INTAKE_WITHDRAW, S_REG, S_CLO },
    { INTAKE_WITHDRAW, S_WAI, S_CLO },
    { INTAKE_WITHDRAW, S_URG, S_CLO },
    { INTAKE_WITHDRAW, S_ASS, S_CLO },
    { INTAKE_WITHDRAW, S_ACT, S_CLO },
    { INTAKE_CLOSE, S_REG, S_CLO },
    { INTAKE_CLOSE, S_WAI, S_CLO },
    { INTAKE_CLOSE, S_URG, S_CLO },
    { INTAKE_CLOSE, S_ASS, S_CLO },
    { INTAKE_CLOSE, S_ACT, S_CLO },
    { INTAKE_COMPLETED, S_REG, S_CLO },
    { INTAKE_COMPLETED, S_WAI, S_CLO },
    { INTAKE_COMPLETED, S_URG, S_CLO },
    { INTAKE_COMPLETED, S_ASS, S_CLO },
    { INTAKE_COMPLETED, S_ACT, S_CLO },
    //  Assignment's facts.
    { INTAKE_ASSIGNED, S_REG, S_ASS },
    { INTAKE_ASSIGNED, S_WAI, S_ASS },
    { INTAKE_ASSIGNED, S_URG, S_ASS },
    { INTAKE_ASSIGNED, S_ASS, S_ASS },
    { INTAKE_ASSIGNED, S_ACT, S_ASS },
    { INTAKE_STARTED, S_ASS, S_ACT },
    { INTAKE_STARTED, S_ACT, S_ACT },
    { INTAKE_UNASSIGNED_REGULAR, S_ASS, S_WAI },
    { INTAKE_UNASSIGNED_REGULAR, S_ACT, S_WAI },
    { INTAKE_UNASSIGNED_URGENT, S_ASS, S_URG },
    { INTAKE_UNASSIGNED_URGENT, S_ACT, S_URG },
};

//  A case's status in the words of every service (cf_words).
static const char *
s_state_word (int status)
{
    return cf_words_name (&cf_words_case_status, status);
}

static const char *
s_action_word (int action)
{
    return intake_action_name ((intake_action_t) action);
}

static const cf_lifecycle_t s_lifecycle = {
    "case", s_moves, sizeof s_moves / sizeof s_moves [0], s_state_word, s_action_word,
};

int
intake_lifecycle_next (Caseflow__V1__CaseStatus from, intake_action_t action,
                       Caseflow__V1__CaseStatus *to_p)
{
    int to;
    int rc = cf_lifecycle_next (&s_lifecycle, (int) from, (int) action, &to);
    if (rc == 0 && to_p)
        *to_p = (Caseflow__V1__CaseStatus) to;
    return rc;
}

int
intake_lifecycle_check (const char *case_id, Caseflow__V1__CaseStatus from, intake_action_t action,
                        Caseflow__V1__CaseStatus *to_p, Caseflow__V1__Reply *reply,
                        const char *field)
{
    int to;
    int rc =
        cf_lifecycle_check (&s_lifecycle, case_id, (int) from, (int) action, &to, reply, field);
    if (rc == 0 && to_p)
        *to_p = (Caseflow__V1__CaseStatus) to;
    return rc;
}

char *
intake_lifecycle_refusal (const char *case_id, Caseflow__V1__CaseStatus from,
                          intake_action_t action, char *buf, size_t size)
{
    return cf_lifecycle_refusal (&s_lifecycle, case_id, (int) from, (int) action, buf, size);
}

intake_action_t
intake_lifecycle_triage_action (Caseflow__V1__Urgency urgency)
{
    return urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT ? INTAKE_TRIAGE_URGENT
                                                            : INTAKE_TRIAGE_REGULAR;
}

intake_action_t
intake_lifecycle_unassigned_action (Caseflow__V1__Urgency urgency)
{
    return urgency == CASEFLOW__V1__URGENCY__URGENCY_URGENT ? INTAKE_UNASSIGNED_URGENT
                                                            : INTAKE_UNASSIGNED_REGULAR;
}

bool
intake_lifecycle_is_open (Caseflow__V1__CaseStatus status)
{
    return status >= S_REG && status < S_CLO;
}

const char *
intake_action_name (intake_action_t action)
{
    static const char *names [INTAKE_ACTION_COUNT] = {
        [INTAKE_TRIAGE_REGULAR] = "triage",
        [INTAKE_TRIAGE_URGENT] = "triage",
        [INTAKE_RECORD_CALLBACK] = "record_callback",
        [INTAKE_NO_LONGER_NEEDED] = "close as no longer needed",
        [INTAKE_JOIN_TRACK] = "join_track",
        [INTAKE_ADVISE] = "advise",
        [INTAKE_WITHDRAW] = "withdraw",
        [INTAKE_CLOSE] = "close",
        [INTAKE_ASSIGNED] = "assigned",
        [INTAKE_STARTED] = "started",
        [INTAKE_UNASSIGNED_REGULAR] = "unassigned",
        [INTAKE_UNASSIGNED_URGENT] = "unassigned",
        [INTAKE_COMPLETED] = "completed",
    };
    return (unsigned) action < INTAKE_ACTION_COUNT ? names [action] : "unknown";
}

//  ------------------------------------------------- a resident's retention

static const cf_lifecycle_move_t s_resident_moves [] = {
    { INTAKE_HOLD, INTAKE_RESIDENT_KEPT, INTAKE_RESIDENT_HELD },
    { INTAKE_HOLD, INTAKE_RESIDENT_HELD, INTAKE_RESIDENT_HELD },
    { INTAKE_RELEASE, INTAKE_RESIDENT_HELD, INTAKE_RESIDENT_KEPT },
    { INTAKE_ERASE, INTAKE_RESIDENT_KEPT, INTAKE_RESIDENT_ERASED },
    { INTAKE_ERASE, INTAKE_RESIDENT_HELD, INTAKE_RESIDENT_ERASED },
    { INTAKE_ERASE, INTAKE_RESIDENT_ERASED, INTAKE_RESIDENT_ERASED },
    { INTAKE_ERASE_WHEN_DUE, INTAKE_RESIDENT_KEPT, INTAKE_RESIDENT_ERASED },
};

const char *
intake_resident_state_name (intake_resident_state_t state)
{
    switch (state) {
        case INTAKE_RESIDENT_KEPT: return "kept";
        case INTAKE_RESIDENT_HELD: return "held";
        case INTAKE_RESIDENT_ERASED: return "erased";
        default: return "unknown";
    }
}

static const char *
s_resident_state_word (int state)
{
    return intake_resident_state_name ((intake_resident_state_t) state);
}

static const char *
s_resident_action_word (int action)
{
    static const char *names [INTAKE_RESIDENT_ACTION_COUNT] = {
        [INTAKE_HOLD] = "hold",
        [INTAKE_RELEASE] = "release",
        [INTAKE_ERASE] = "erase",
        [INTAKE_ERASE_WHEN_DUE] = "erasure when due",
    };
    return (unsigned) action < INTAKE_RESIDENT_ACTION_COUNT ? names [action] : "unknown";
}

static const cf_lifecycle_t s_resident_lifecycle = {
    "resident",
    s_resident_moves,
    sizeof s_resident_moves / sizeof s_resident_moves [0],
    s_resident_state_word,
    s_resident_action_word,
};

int
intake_resident_next (intake_resident_state_t from, intake_resident_action_t action,
                      intake_resident_state_t *to_p)
{
    int to;
    int rc = cf_lifecycle_next (&s_resident_lifecycle, (int) from, (int) action, &to);
    if (rc == 0 && to_p)
        *to_p = (intake_resident_state_t) to;
    return rc;
}

int
intake_resident_check (const char *subject_id, intake_resident_state_t from,
                       intake_resident_action_t action, Caseflow__V1__Reply *reply,
                       const char *field)
{
    return cf_lifecycle_check (&s_resident_lifecycle, subject_id, (int) from, (int) action, NULL,
                               reply, field);
}
