//  cf_journal_chain: the checksum chain over a store's journal records
//  (the record layout and what the chain detects are in cf_journal.h).
//
//  Pure functions of bytes: no store, no transaction. cf_journal uses them
//  to chain each record it appends and to check each record it reads;
//  cf_journal_check uses them to check a whole store. This module knows
//  nothing of either, so the store depends on the chain and never the
//  other way round.
#ifndef CF_JOURNAL_CHAIN_H
#define CF_JOURNAL_CHAIN_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

//  Checksum bytes in front of each record, and the chain's start (the
//  checksum "before" position 1) is that many zero bytes.
#define CF_JOURNAL_SUM 16

//  Bytes of the chain head kept in meta: [last position, native][its checksum].
#define CF_JOURNAL_CHAIN_HEAD_SIZE (8 + CF_JOURNAL_SUM)

//  Sets `sum` to the checksum of a record holding `data` (`size` bytes,
//  may be 0) after a record whose checksum is `previous`.
void
cf_journal_chain_sum (const uint8_t *previous, const void *data, size_t size, uint8_t *sum);

//  Checks a stored record [checksum][data] against the checksum of the
//  record before it. Returns NULL when it matches (*sum is then its
//  checksum), else what is wrong (static text).
const char *
cf_journal_chain_check (const MDB_val *record, const uint8_t *previous, uint8_t *sum);

//  Writes the chain head naming `position` and its checksum `sum` into
//  `head` (CF_JOURNAL_CHAIN_HEAD_SIZE bytes).
void
cf_journal_chain_head (uint64_t position, const uint8_t *sum, uint8_t *head);

//  Checks a stored chain head (`head`, NULL when meta has none) against
//  the journal's last record, at `position` (0: the journal is empty) with
//  checksum `sum`. Returns NULL when they agree, else what is wrong
//  (static text) with the position of the damage in *at_p.
const char *
cf_journal_chain_head_problem (const MDB_val *head, uint64_t position, const uint8_t *sum,
                               uint64_t *at_p);

#endif
