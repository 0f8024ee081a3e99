//  handover_lifecycle: the transition table and the names of its actions
//  (a state's word is cf_words_handover_state's). Nothing else in the
//  service knows which move is legal.
#include "handover_lifecycle.h"

#include "cf_error.h"
#include "cf_words.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    handover_action_t action;
    handover_status_t from;
    handover_status_t to;
} s_move_t;

static const s_move_t s_moves [] = {
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
#define S_MOVE_COUNT (sizeof s_moves / sizeof s_moves [0])

int
handover_lifecycle_next (handover_status_t from, handover_action_t action,
                         handover_status_t *next_p)
{
    for (size_t i = 0; i < S_MOVE_COUNT; i++)
        if (s_moves [i].action == action && s_moves [i].from == from) {
            *next_p = s_moves [i].to;
            return 0;
        }
    return CF_ESTATE;
}

handover_status_t
handover_lifecycle_target (handover_action_t action, handover_status_t from)
{
    handover_status_t next = from;
    if (handover_lifecycle_next (from, action, &next) == 0)
        return next;
    //  The last listed move of the action names its usual target.
    for (size_t i = 0; i < S_MOVE_COUNT; i++)
        if (s_moves [i].action == action)
            next = s_moves [i].to;
    return action == HANDOVER_RECORD_FILES ? from : next;
}

char *
handover_lifecycle_allowed_from (handover_action_t action, char *buf, size_t size)
{
    assert (size > 0);
    const char *names [S_MOVE_COUNT];
    size_t count = 0;
    for (size_t i = 0; i < S_MOVE_COUNT; i++)
        if (s_moves [i].action == action)
            names [count++] = cf_words_name (&cf_words_handover_state, s_moves [i].from);
    size_t len = 0;
    buf [0] = 0;
    for (size_t i = 0; i < count && len < size; i++) {
        const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
        int n = snprintf (buf + len, size - len, "%s%s", sep, names [i]);
        if (n < 0)
            break;
        len += (size_t) n;
    }
    return buf;
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
