//  gateway_keys: the gateway's key store at run time.
//
//  The runtime's hooks that bring the secrets (gateway_secrets.h) along
//  with the state: made with it over the service's key store, gone with
//  it; the start-up check, which erases again every retired token record
//  and every transit key intake's erasures named (a key store restored
//  from an older backup brings nobody back) and finds inbound events with
//  neither a transit key nor an erasure record (the service is then not
//  ready, naming the first); and, after each commit, the erasure of what
//  the batch retired or intake erased.
#ifndef GATEWAY_KEYS_H
#define GATEWAY_KEYS_H

#include "cf_service.h"
#include "gateway_state.h"

//  cf_service_def_t's state_new and state_destroy: the state with the
//  configuration read from `service`, and its secrets. NULL when the key
//  store cannot give the token hashing key (logged).
void *
gateway_state_new_hook (cf_service_t *service);
void
gateway_state_destroy_hook (void **state_p);

//  cf_service_def_t's check_keys and after_commit.
const char *
gateway_keys_check_hook (void *state, cf_service_t *service);
void
gateway_keys_after_commit_hook (void *state, cf_service_t *service);

//  Erases the records of retired tokens that are still in the key store.
//  Returns the number that failed (logged).
size_t
gateway_keys_erase_retired (gateway_state_t *state);

#endif
