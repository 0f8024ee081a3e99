//  cf_journal_check: the offline check of a whole store, for
//  `caseflow-<service> --verify` and the tests: every record against the
//  checksum chain (cf_journal_chain.h), the chain head, and the indexes
//  kept beside the journal (produced seqs, cursors, stored replies and
//  their expiry entries). It reads the store through cf_journal and never
//  writes.
#ifndef CF_JOURNAL_CHECK_H
#define CF_JOURNAL_CHECK_H

#include "cf_journal.h"

#include <stdint.h>
#include <stdio.h>

//  What cf_journal_verify found.
typedef struct {
    uint64_t records;        //  journal records whose checksum matched
    uint64_t last_position;  //  highest journal position
    uint64_t produced;       //  own-stream events indexed (seqs 1..produced)
    uint64_t cursors;        //  upstream streams with a cursor
    uint64_t requests;       //  stored replies
    uint64_t damaged_at;     //  first damaged journal position; 0: none or elsewhere
    char problem [192];      //  what is wrong; "" when the store is intact
} cf_journal_check_t;

//  Checks the whole committed store in one read transaction: every journal
//  record's checksum and the run of positions 1..N, the chain head in
//  meta, the produced index (seqs 1..M without a hole, each pointing at a
//  record, in journal order), cursor values, and that every stored reply
//  has its expiry entry and no more. Fills *check (zeroed first). Returns
//  0 when all is intact, CF_ECORRUPT at the first damage found
//  (check->problem says what; check->damaged_at names the journal
//  position when the damage is in the journal), or CF_ESTORE. Logs
//  nothing about the damage: the caller reports it.
int
cf_journal_verify (cf_journal_t *self, cf_journal_check_t *check);

//  Opens the store of `service` in `dir` read-only, verifies it and prints
//  what it found on `out`, a few lines ending with "verify: OK",
//  "verify: DAMAGED" or "verify: FAILED" (the store could not be opened
//  or read; the log says why). For `caseflow-<service> --verify`. Returns
//  0, CF_ECORRUPT, or the error that kept it from checking.
int
cf_journal_check_store (const char *dir, const char *service, FILE *out);

#endif
