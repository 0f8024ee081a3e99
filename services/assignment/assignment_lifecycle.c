//  assignment_lifecycle: the case and presence tables (see
//  assignment_lifecycle.h).
//
//  Why the less obvious rows exist:
//    - assigned → assigned and active → assigned on assign: a reassignment
//      (an operator's, or an urgent case taken from an absent worker).
//    - triage of an assigned or active case keeps its status: only the
//      urgency changes, the worker keeps the case.
//    - escalate only from urgent: an urgent case nobody can take waits at
//      the head of the list (one taken from an absent worker is unassigned
//      first).
//    - mark_absent from absent: a new absence replaces the one in force
//      (extends it, say); it stays started. plan_absence does not: an
//      absent worker is marked returned before a later absence is planned.
//    - return from absence-planned: the absence is called off before it
//      starts.
#include "assignment_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_words.h"

#define S_REG ASSIGNMENT_ST_REGISTERED
#define S_WAI ASSIGNMENT_ST_WAITING
#define S_URG ASSIGNMENT_ST_URGENT
#define S_ASS ASSIGNMENT_ST_ASSIGNED
#define S_ACT ASSIGNMENT_ST_ACTIVE
#define S_CLO ASSIGNMENT_ST_CLOSED

static const cf_lifecycle_move_t s_case_moves [] = {
    { ASSIGNMENT_TRIAGE_REGULAR, S_REG, S_WAI },
    { ASSIGNMENT_TRIAGE_REGULAR, S_WAI, S_WAI },
    { ASSIGNMENT_TRIAGE_REGULAR, S_URG, S_WAI },
    { ASSIGNMENT_TRIAGE_REGULAR, S_ASS, S_ASS },
    { ASSIGNMENT_TRIAGE_REGULAR, S_ACT, S_ACT },
    { ASSIGNMENT_TRIAGE_URGENT, S_REG, S_URG },
    { ASSIGNMENT_TRIAGE_URGENT, S_WAI, S_URG },
    { ASSIGNMENT_TRIAGE_URGENT, S_URG, S_URG },
    { ASSIGNMENT_TRIAGE_URGENT, S_ASS, S_ASS },
    { ASSIGNMENT_TRIAGE_URGENT, S_ACT, S_ACT },
    { ASSIGNMENT_ASSIGN, S_WAI, S_ASS },
    { ASSIGNMENT_ASSIGN, S_URG, S_ASS },
    { ASSIGNMENT_ASSIGN, S_ASS, S_ASS },
    { ASSIGNMENT_ASSIGN, S_ACT, S_ASS },
    { ASSIGNMENT_UNASSIGN_REGULAR, S_ASS, S_WAI },
    { ASSIGNMENT_UNASSIGN_REGULAR, S_ACT, S_WAI },
    { ASSIGNMENT_UNASSIGN_URGENT, S_ASS, S_URG },
    { ASSIGNMENT_UNASSIGN_URGENT, S_ACT, S_URG },
    { ASSIGNMENT_ESCALATE, S_URG, S_URG },
    { ASSIGNMENT_START, S_ASS, S_ACT },
    { ASSIGNMENT_COMPLETE, S_ACT, S_CLO },
    { ASSIGNMENT_CLOSE, S_REG, S_CLO },
    { ASSIGNMENT_CLOSE, S_WAI, S_CLO },
    { ASSIGNMENT_CLOSE, S_URG, S_CLO },
    { ASSIGNMENT_CLOSE, S_ASS, S_CLO },
    { ASSIGNMENT_CLOSE, S_ACT, S_CLO },
};

//  A case's status in the words of every service (cf_words).
static const char *
s_status_word (int status)
{
    return cf_words_name (&cf_words_case_status, status);
}

static const char *
s_case_action_word (int action)
{
    return assignment_case_action_name ((assignment_case_action_t) action);
}

static const cf_lifecycle_t s_case = {
    "case",        s_case_moves,       sizeof s_case_moves / sizeof s_case_moves [0],
    s_status_word, s_case_action_word,
};

#define S_PRE ASSIGNMENT_PRESENT
#define S_PLA ASSIGNMENT_ABSENCE_PLANNED
#define S_ABS ASSIGNMENT_ABSENT
#define S_LEF ASSIGNMENT_LEFT

static const cf_lifecycle_move_t s_worker_moves [] = {
    { ASSIGNMENT_CHANGE, S_PRE, S_PRE },        { ASSIGNMENT_CHANGE, S_PLA, S_PLA },
    { ASSIGNMENT_CHANGE, S_ABS, S_ABS },        { ASSIGNMENT_PLAN_ABSENCE, S_PRE, S_PLA },
    { ASSIGNMENT_PLAN_ABSENCE, S_PLA, S_PLA },  { ASSIGNMENT_MARK_ABSENT, S_PRE, S_PLA },
    { ASSIGNMENT_MARK_ABSENT, S_PLA, S_PLA },   { ASSIGNMENT_MARK_ABSENT, S_ABS, S_ABS },
    { ASSIGNMENT_START_ABSENCE, S_PLA, S_ABS }, { ASSIGNMENT_START_ABSENCE, S_ABS, S_ABS },
    { ASSIGNMENT_RETURN, S_PLA, S_PRE },        { ASSIGNMENT_RETURN, S_ABS, S_PRE },
    { ASSIGNMENT_LEAVE, S_PRE, S_LEF },         { ASSIGNMENT_LEAVE, S_PLA, S_LEF },
    { ASSIGNMENT_LEAVE, S_ABS, S_LEF },         { ASSIGNMENT_TAKE_CASE, S_PRE, S_PRE },
    { ASSIGNMENT_TAKE_CASE, S_PLA, S_PLA },
};

static const char *
s_presence_word (int presence)
{
    return assignment_presence_name ((assignment_presence_t) presence);
}

static const char *
s_worker_action_word (int action)
{
    return assignment_worker_action_name ((assignment_worker_action_t) action);
}

static const cf_lifecycle_t s_worker = {
    "worker",        s_worker_moves,       sizeof s_worker_moves / sizeof s_worker_moves [0],
    s_presence_word, s_worker_action_word,
};

//  ------------------------------------------------------------- the case

int
assignment_lifecycle_case_next (Caseflow__V1__CaseStatus from, assignment_case_action_t action,
                                Caseflow__V1__CaseStatus *to_p)
{
    int to;
    int rc = cf_lifecycle_next (&s_case, (int) from, (int) action, &to);
    if (rc == 0 && to_p)
        *to_p = (Caseflow__V1__CaseStatus) to;
    return rc;
}

int
assignment_lifecycle_case_check (const assignment_case_t *kase, assignment_case_action_t action,
                                 Caseflow__V1__Reply *reply, const char *field)
{
    return cf_lifecycle_check (&s_case, kase->id, (int) kase->status, (int) action, NULL, reply,
                               field);
}

assignment_case_action_t
assignment_lifecycle_triage_action (Caseflow__V1__Urgency urgency)
{
    return urgency == ASSIGNMENT_URGENT ? ASSIGNMENT_TRIAGE_URGENT : ASSIGNMENT_TRIAGE_REGULAR;
}

assignment_case_action_t
assignment_lifecycle_unassign_action (Caseflow__V1__Urgency urgency)
{
    return urgency == ASSIGNMENT_URGENT ? ASSIGNMENT_UNASSIGN_URGENT : ASSIGNMENT_UNASSIGN_REGULAR;
}

const char *
assignment_case_action_name (assignment_case_action_t action)
{
    static const char *names [ASSIGNMENT_CASE_ACTION_COUNT] = {
        [ASSIGNMENT_TRIAGE_REGULAR] = "triage",
        [ASSIGNMENT_TRIAGE_URGENT] = "triage",
        [ASSIGNMENT_ASSIGN] = "assign",
        [ASSIGNMENT_UNASSIGN_REGULAR] = "unassign",
        [ASSIGNMENT_UNASSIGN_URGENT] = "unassign",
        [ASSIGNMENT_ESCALATE] = "escalate",
        [ASSIGNMENT_START] = "start",
        [ASSIGNMENT_COMPLETE] = "complete",
        [ASSIGNMENT_CLOSE] = "close",
    };
    return (unsigned) action < ASSIGNMENT_CASE_ACTION_COUNT ? names [action] : "unknown";
}

//  ----------------------------------------------------------- the worker

assignment_presence_t
assignment_worker_presence (const assignment_worker_t *worker)
{
    return worker->left              ? ASSIGNMENT_LEFT
           : worker->absent          ? ASSIGNMENT_ABSENT
           : worker->absence_planned ? ASSIGNMENT_ABSENCE_PLANNED
                                     : ASSIGNMENT_PRESENT;
}

int
assignment_lifecycle_worker_next (assignment_presence_t from, assignment_worker_action_t action,
                                  assignment_presence_t *to_p)
{
    int to;
    int rc = cf_lifecycle_next (&s_worker, (int) from, (int) action, &to);
    if (rc == 0 && to_p)
        *to_p = (assignment_presence_t) to;
    return rc;
}

int
assignment_lifecycle_worker_check (const assignment_worker_t *worker,
                                   assignment_worker_action_t action, Caseflow__V1__Reply *reply,
                                   const char *field)
{
    return cf_lifecycle_check (&s_worker, worker->id, (int) assignment_worker_presence (worker),
                               (int) action, NULL, reply, field);
}

const char *
assignment_presence_name (assignment_presence_t presence)
{
    switch (presence) {
        case ASSIGNMENT_PRESENT: return "present";
        case ASSIGNMENT_ABSENCE_PLANNED: return "absence-planned";
        case ASSIGNMENT_ABSENT: return "absent";
        case ASSIGNMENT_LEFT: return "left";
        default: return "unknown";
    }
}

const char *
assignment_worker_action_name (assignment_worker_action_t action)
{
    static const char *names [ASSIGNMENT_WORKER_ACTION_COUNT] = {
        [ASSIGNMENT_CHANGE] = "change",           [ASSIGNMENT_PLAN_ABSENCE] = "plan_absence",
        [ASSIGNMENT_MARK_ABSENT] = "mark_absent", [ASSIGNMENT_START_ABSENCE] = "start_absence",
        [ASSIGNMENT_RETURN] = "return",           [ASSIGNMENT_LEAVE] = "leave",
        [ASSIGNMENT_TAKE_CASE] = "assign",
    };
    return (unsigned) action < ASSIGNMENT_WORKER_ACTION_COUNT ? names [action] : "unknown";
}
