//  cf_api_budget: how many bytes of requests the api socket takes in per
//  drain round, from each connection and from all of them together.
//
//  The loop handles requests as it receives them, and each costs work in
//  proportion to its size (decoding, checking). Without a bound, a few
//  clients that send large requests as fast as they can keep the loop
//  decoding them while everyone else's requests wait in libzmq's queue,
//  and that queue (up to the socket's high-water mark of messages, each up
//  to the transport's limit) holds the bytes. With a budget per round,
//  whatever a connection sends beyond its share is refused at once,
//  UNAVAILABLE, without being decoded: refusing costs next to nothing, so
//  the loop keeps taking messages off the socket as fast as they come,
//  nothing piles up, and the other connections' requests are handled in
//  the same round. The budgets start again each round.
//
//  Connections are told apart by their ROUTER identity (a few bytes). The
//  accounting is a table from identity to bytes taken this round, emptied
//  at each round's start.
#ifndef CF_API_BUDGET_H
#define CF_API_BUDGET_H

#include <stddef.h>

typedef struct _cf_api_budget_t cf_api_budget_t;

//  What cf_api_budget_take says.
typedef enum {
    CF_API_BUDGET_OK,          //  taken: within both budgets
    CF_API_BUDGET_CONNECTION,  //  over the connection's budget: nothing taken
    CF_API_BUDGET_TOTAL        //  over the budget of all connections: nothing taken
} cf_api_budget_verdict_t;

//  A budget of `per_connection` bytes a round for each connection and
//  `total` for all (both at least 1; per_connection at most total). Never
//  NULL.
cf_api_budget_t *
cf_api_budget_new (size_t per_connection, size_t total);

//  Frees it; safe on NULL; nulls *self_p.
void
cf_api_budget_destroy (cf_api_budget_t **self_p);

//  A new round: every connection's share and the total are whole again.
void
cf_api_budget_start_round (cf_api_budget_t *self);

//  Takes `bytes` for the connection with ROUTER identity `identity`
//  (`identity_size` bytes, borrowed for the call) when both its share and
//  the total have room for them, and says which budget refused otherwise.
cf_api_budget_verdict_t
cf_api_budget_take (cf_api_budget_t *self, const void *identity, size_t identity_size,
                    size_t bytes);

//  The budgets, for the messages that name them.
size_t
cf_api_budget_per_connection (const cf_api_budget_t *self);
size_t
cf_api_budget_total (const cf_api_budget_t *self);

#endif
