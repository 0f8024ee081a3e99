//  cf_api_budget: bytes of requests taken in per round (see
//  cf_api_budget.h).
//
//  An identity is binary (libzmq's own start with a zero byte), and
//  cf_hash keys are text, so each is written in hex as its entry's key.
#include "cf_api_budget.h"

#include "cf_commit.h"
#include "cf_hash.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char key [2 * CF_COMMIT_IDENTITY_MAX + 1];
    size_t taken;
} s_share_t;

struct _cf_api_budget_t {
    size_t per_connection, total;
    size_t taken;       //  by all this round
    cf_hash_t *shares;  //  hex identity -> s_share_t, this round's
};

cf_api_budget_t *
cf_api_budget_new (size_t per_connection, size_t total)
{
    assert (per_connection >= 1 && per_connection <= total);
    cf_api_budget_t *self = calloc (1, sizeof *self);
    assert (self);
    self->per_connection = per_connection;
    self->total = total;
    self->shares = cf_hash_new ();
    cf_hash_set_destructor (self->shares, free);
    return self;
}

void
cf_api_budget_destroy (cf_api_budget_t **self_p)
{
    assert (self_p);
    cf_api_budget_t *self = *self_p;
    if (!self)
        return;
    cf_hash_destroy (&self->shares);
    free (self);
    *self_p = NULL;
}

void
cf_api_budget_start_round (cf_api_budget_t *self)
{
    //  Most rounds take nothing: no need to walk the table then.
    if (self->taken)
        cf_hash_clear (self->shares);
    self->taken = 0;
}

cf_api_budget_verdict_t
cf_api_budget_take (cf_api_budget_t *self, const void *identity, size_t identity_size, size_t bytes)
{
    assert (identity_size <= CF_COMMIT_IDENTITY_MAX);
    static const char hex [] = "0123456789abcdef";
    char key [sizeof ((s_share_t *) 0)->key];
    const unsigned char *id = identity;
    for (size_t i = 0; i < identity_size; i++) {
        key [2 * i] = hex [id [i] >> 4];
        key [2 * i + 1] = hex [id [i] & 15];
    }
    key [2 * identity_size] = 0;
    s_share_t *share = cf_hash_lookup (self->shares, key);
    size_t taken = share ? share->taken : 0;
    if (bytes > self->per_connection - taken)
        return CF_API_BUDGET_CONNECTION;
    if (bytes > self->total - self->taken)
        return CF_API_BUDGET_TOTAL;
    if (!share) {
        share = calloc (1, sizeof *share);
        assert (share);
        memcpy (share->key, key, sizeof key);
        cf_hash_insert (self->shares, share->key, share);
    }
    share->taken += bytes;
    self->taken += bytes;
    return CF_API_BUDGET_OK;
}

size_t
cf_api_budget_per_connection (const cf_api_budget_t *self)
{
    return self->per_connection;
}

size_t
cf_api_budget_total (const cf_api_budget_t *self)
{
    return self->total;
}
