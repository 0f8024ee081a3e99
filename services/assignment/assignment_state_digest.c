//  assignment_state_digest: the canonical serialisation of the state,
//  hashed; and the runtime's hooks of the state room.
//
//  Two states are equal when their digests are: the service proves with it
//  that replaying its journal rebuilds the very state it had (the digest
//  query before and after a restart). Everything is written as text, every
//  entity in id order (never in hash-table or memory order), strings with
//  their length so that no two different states can write the same text.
#include "assignment_state.h"

#include "cf_digest.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
s_text (const char *text)
{
    return text ? text : "";
}

static int
s_compare_cases (const void *a, const void *b)
{
    const assignment_case_t *x = *(assignment_case_t *const *) a;
    const assignment_case_t *y = *(assignment_case_t *const *) b;
    return strcmp (x->id, y->id);
}

//  Every field of every entity, entities in id order, then the waiting
//  list in its order. Strings are written with their length so that no
//  two states hash the same text.
void
assignment_state_digest (assignment_state_t *self, crypto_hash_sha256_state *hash)
{
    for (size_t i = 0; i < self->n_locations; i++) {
        assignment_location_t *location = self->locations [i];
        cf_digest_printf (hash, "location %zu:%s %zu:%s %d", strlen (location->id), location->id,
                          strlen (location->name), location->name, (int) location->kind);
        for (size_t k = 0; k < location->n_districts; k++)
            cf_digest_printf (hash, " %zu:%s", strlen (location->districts [k]),
                              location->districts [k]);
        cf_digest_printf (hash, "\n");
    }
    for (size_t i = 0; i < self->n_workers; i++) {
        assignment_worker_t *worker = self->workers [i];
        cf_digest_printf (hash,
                          "worker %zu:%s %zu:%s fte %u max %u expertise %u joined %" PRId64
                          " left %d %" PRId64 " absence %d %d %d %" PRId64 " %" PRId64 " cases %zu",
                          strlen (worker->id), worker->id, strlen (worker->name), worker->name,
                          worker->fte_milli, worker->max_caseload, worker->expertise_mask,
                          worker->joined_at, worker->left, worker->left_at, worker->absence_planned,
                          worker->absent, worker->long_absence, worker->absent_from,
                          worker->absent_until, worker->n_cases);
        for (size_t k = 0; k < worker->n_locations; k++)
            cf_digest_printf (hash, " %zu:%s", strlen (worker->locations [k]),
                              worker->locations [k]);
        cf_digest_printf (hash, "\n");
    }
    size_t count = cf_hash_size (self->cases);
    assignment_case_t **cases = calloc (count + 1, sizeof *cases);
    assert (cases);
    size_t n = 0;
    for (assignment_case_t *kase = cf_hash_first (self->cases); kase;
         kase = cf_hash_next (self->cases))
        cases [n++] = kase;
    qsort (cases, n, sizeof *cases, s_compare_cases);
    for (size_t i = 0; i < n; i++) {
        assignment_case_t *kase = cases [i];
        cf_digest_printf (hash,
                          "case %zu:%s status %d urgency %d channel %d domains %u location %s"
                          " preferred %s previous %s worker %s registered %" PRId64
                          " triaged %" PRId64 " waiting %d escalated %d outcome %zu:%s\n",
                          strlen (kase->id), kase->id, kase->status, kase->urgency, kase->channel,
                          kase->domain_mask, s_text (kase->location),
                          s_text (kase->preferred_worker), s_text (kase->previous_worker),
                          kase->worker ? kase->worker->id : "", kase->registered_at,
                          kase->triaged_at, kase->waiting, kase->escalated,
                          strlen (s_text (kase->outcome)), s_text (kase->outcome));
        //  Areas in the order intake gave them: that order is a fact of
        //  the event, the same on every replay.
        cf_digest_printf (hash, " areas %u", kase->n_areas);
        for (uint32_t k = 0; k < kase->n_areas; k++) {
            const char *area = self->location_ids [kase->area_ids [k]];
            cf_digest_printf (hash, " %zu:%s", strlen (area), area);
        }
        cf_digest_printf (hash, "\n");
        for (size_t k = 0; k < kase->n_history; k++) {
            const assignment_history_t *entry = &kase->history [k];
            cf_digest_printf (hash, " history %" PRId64 " %" PRIu64 " %d %s %d %d %d %zu:%s\n",
                              entry->at, entry->seq, entry->kind, s_text (entry->worker_id),
                              entry->rule, entry->trigger, entry->over_limit,
                              strlen (s_text (entry->reason)), s_text (entry->reason));
        }
    }
    free (cases);
    for (size_t i = 0; i < self->waiting.count; i++)
        cf_digest_printf (hash, "waiting %zu %s\n", i + 1, self->waiting.items [i]->id);
    cf_digest_printf (hash, "events %" PRIu64 " %" PRIu64 "\n", self->own_events,
                      self->upstream_events);
}

//  ------------------------------------------------------ the runtime's hooks

void *
assignment_state_new_hook (cf_service_t *service)
{
    assignment_config_t settings = assignment_config_read (cf_service_config (service), "");
    return assignment_state_new (&settings);
}

assignment_config_t
assignment_config_read (cf_config_t *config, const char *prefix)
{
    char key [3][64];
    snprintf (key [0], sizeof key [0], "%scaseload-per-fte", prefix);
    snprintf (key [1], sizeof key [1], "%scontinuity-margin", prefix);
    snprintf (key [2], sizeof key [2], "%slong-absence", prefix);
    return (assignment_config_t){
        .caseload_per_fte = (uint32_t) cf_config_int (config, key [0]),
        .continuity_margin = (uint32_t) cf_config_int (config, key [1]),
        .long_absence = cf_config_int (config, key [2]),
    };
}

void
assignment_state_destroy_hook (void **state_p)
{
    assignment_state_t *state = *state_p;
    assignment_state_destroy (&state);
    *state_p = NULL;
}

int
assignment_state_apply_hook (void *state, const Caseflow__V1__Event *event)
{
    return assignment_state_apply (state, event);
}

void
assignment_state_digest_hook (void *state, crypto_hash_sha256_state *hash)
{
    assignment_state_digest (state, hash);
}
