//  cf_bus_identity: the stream identity rule (see cf_bus_identity.h).
#include "cf_bus_identity.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

cf_bus_verdict_t
cf_bus_identity_check (uint64_t epoch, uint64_t seq, const char *id, uint64_t producer_epoch,
                       uint64_t producer_head, const char *producer_id)
{
    if (epoch && producer_epoch && epoch != producer_epoch)
        return CF_BUS_EPOCH_CHANGED;
    if (producer_head < seq)
        return CF_BUS_HEAD_BEHIND;
    //  Ids are compared only when both sides named one: a cursor written
    //  before identities were kept knows none, and an event without an id
    //  (never one of caseflow's) cannot be told apart.
    if (seq && id && *id && producer_id && *producer_id && strcmp (id, producer_id) != 0)
        return CF_BUS_OTHER_EVENT;
    return CF_BUS_AGREES;
}

const char *
cf_bus_verdict_text (cf_bus_verdict_t verdict)
{
    switch (verdict) {
        case CF_BUS_EPOCH_CHANGED: return "epoch changed";
        case CF_BUS_HEAD_BEHIND: return "producer behind cursor";
        case CF_BUS_OTHER_EVENT: return "another event at cursor";
        case CF_BUS_AGREES: break;
    }
    return "agrees";
}

const char *
cf_bus_verdict_word (cf_bus_verdict_t verdict)
{
    switch (verdict) {
        case CF_BUS_EPOCH_CHANGED: return "epoch";
        case CF_BUS_HEAD_BEHIND: return "behind";
        case CF_BUS_OTHER_EVENT: return "other-event";
        case CF_BUS_AGREES: break;
    }
    return "";
}

void
cf_bus_epoch_text (uint64_t epoch, char text [17])
{
    snprintf (text, 17, "%016" PRIx64, epoch);
}
