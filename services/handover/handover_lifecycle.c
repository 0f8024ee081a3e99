//  handover_lifecycle: the transition table and the names of its actions
//  (a state's word is cf_words_handover_state's). Nothing else in the
//  service knows which move is legal.
#include "handover_lifecycle.h"

#include "cf_lifecycle.h"
#include "cf_words.h"

static const cf_lifecycle_move_t s_moves [] = {
    { HANDOVER_PLAN, HANDOVER_ANNOUNCED, HANDOVER_MEETING_PLANNED },
    { HANDOVER_PLAN, HANDOVER_MEETING_PLANNED, HANDOVER_MEETING_PLANNED },
    { HANDOVER_HOLD, HANDOVER_MEETING_PLANNED, HANDOVER_MEETING_HELD },
    { HANDOVER_DECIDE, HANDOVER_MEETING_HELD, HANDOVER_DECIDED },
    { HANDOVER_RECORD_FILES, HANDOVER_ANNOUNCED, HANDOVER_ANNOUNCED },
    { HANDOVER_RECORD_FILES, HANDOVER_MEETING_PLANNED, HANDOVER_MEETING_PLANNED },
    { HANDOVER_RECORD_FILES, HANDOVER_MEETING_HELD, HANDOVER_MEETING_HELD },
    { HANDOVER_RECORD_FILES, HANDOVER_DECIDED, HANDOVER_DECIDED },
    { HANDOVER_COMPLETE, HANDOVER_DECIDED, HANDOVER_COMPLETED },
    { HANDOVER_CANCEL, HANDOVER_ANNOUNCED, HANDOVER_CANCELLED },
    { HANDOVER_CANCEL, HANDOVER_MEETING_PLANNED, HANDOVER_CANCELLED },
    { HANDOVER_CANCEL, HANDOVER_MEETING_HELD, HANDOVER_CANCELLED },
    { HANDOVER_CANCEL, HANDOVER_DECIDED, HANDOVER_CANCELLED },
};

//  A handover's state in the words of every service (cf_words).
static const char *
s_state_word (int state)
{
    return cf_words_name (&cf_words_handover_state, state);
}

static const char *
s_action_word (int action)
{
    return handover_action_name ((handover_action_t) action);
}

static const cf_lifecycle_t s_lifecycle = {
    "handover", s_moves, sizeof s_moves / sizeof s_moves [0], s_state_word, s_action_word,
};

int
handover_lifecycle_next (handover_status_t from, handover_action_t action,
                         handover_status_t *next_p)
{
    int next;
    int rc = cf_lifecycle_next (&s_lifecycle, (int) from, (int) action, &next);
    if (rc == 0 && next_p)
        *next_p = (handover_status_t) next;
    return rc;
}

int
handover_lifecycle_check (const handover_t *handover, handover_action_t action,
                          handover_status_t *next_p, Caseflow__V1__Reply *reply, const char *field)
{
    int next;
    int rc = cf_lifecycle_check (&s_lifecycle, handover->id, (int) handover->status, (int) action,
                                 &next, reply, field);
    if (rc == 0 && next_p)
        *next_p = (handover_status_t) next;
    return rc;
}

char *
handover_lifecycle_allowed_from (handover_action_t action, char *buf, size_t size)
{
    return cf_lifecycle_allowed_from (&s_lifecycle, (int) action, buf, size);
}

bool
handover_status_is_open (handover_status_t status)
{
    return status == HANDOVER_ANNOUNCED || status == HANDOVER_MEETING_PLANNED
           || status == HANDOVER_MEETING_HELD || status == HANDOVER_DECIDED;
}

const char *
handover_action_name (handover_action_t action)
{
    static const char *names [HANDOVER_ACTION_COUNT] = {
        [HANDOVER_PLAN] = "plan",         [HANDOVER_HOLD] = "held",
        [HANDOVER_DECIDE] = "decide",     [HANDOVER_RECORD_FILES] = "record_files",
        [HANDOVER_COMPLETE] = "complete", [HANDOVER_CANCEL] = "cancel",
    };
    return (unsigned) action < HANDOVER_ACTION_COUNT ? names [action] : "unknown";
}
