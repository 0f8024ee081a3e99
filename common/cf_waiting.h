//  cf_waiting: the order of the waiting list, one rule for the service that
//  keeps the list (assignment) and the one that shows it (the console).
//
//  Urgent cases first (only urgent cases nobody could take wait), then by
//  the time the case was first triaged (a re-triage never sends anyone
//  back), then by case id, so the order is total and the same on every
//  replay.
#ifndef CF_WAITING_H
#define CF_WAITING_H

#include <stdbool.h>
#include <stdint.h>

//  What a case's place on the list depends on. `id` is borrowed.
typedef struct {
    bool urgent;
    int64_t triaged_at;
    const char *id;
} cf_waiting_key_t;

//  Negative when `a` goes before `b`, positive when after, 0 for the same
//  case.
int
cf_waiting_compare (const cf_waiting_key_t *a, const cf_waiting_key_t *b);

#endif
