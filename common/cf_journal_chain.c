//  cf_journal_chain: the checksum chain of a store (see cf_journal_chain.h).
//
//  The chain function is SipHash-2-4 with a 128-bit output (libsodium's
//  crypto_shorthash_siphashx24) keyed with the previous record's checksum.
//  SipHash is a pseudo-random function: any change to a record, or to the
//  checksum before it, gives an unrelated value, so damage goes unnoticed
//  with odds of 2^-128. BLAKE2b (crypto_generichash), the first choice,
//  cost as much per record as decoding the event and took the start-up
//  rebuild below its budget of a million events a second; SipHash costs a
//  third of that or less (docs/architecture.md has the figures). Neither
//  would stop a forger who can write the file, and that is not the job:
//  whoever can write it can recompute any unkeyed chain.
//
//  Checking a record needs only its predecessor's stored checksum, so a
//  read from any position, or a read of scattered produced events, can
//  check exactly what it returns.
#include "cf_journal_chain.h"

#include <sodium.h>
#include <string.h>

_Static_assert(crypto_shorthash_siphashx24_BYTES == CF_JOURNAL_SUM
                   && crypto_shorthash_siphashx24_KEYBYTES == CF_JOURNAL_SUM,
               "each record's checksum keys the next one's");

void
cf_journal_chain_sum (const uint8_t *previous, const void *data, size_t size, uint8_t *sum)
{
    static const uint8_t nothing [1];
    crypto_shorthash_siphashx24 (sum, size ? data : (const void *) nothing,
                                 (unsigned long long) size, previous);
}

const char *
cf_journal_chain_check (const MDB_val *record, const uint8_t *previous, uint8_t *sum)
{
    if (record->mv_size < CF_JOURNAL_SUM)
        return "record shorter than its checksum";
    cf_journal_chain_sum (previous, (const uint8_t *) record->mv_data + CF_JOURNAL_SUM,
                          record->mv_size - CF_JOURNAL_SUM, sum);
    if (memcmp (sum, record->mv_data, CF_JOURNAL_SUM) != 0)
        return "checksum mismatch: the record, or the checksum of the record before it, "
               "was changed";
    return NULL;
}

void
cf_journal_chain_head (uint64_t position, const uint8_t *sum, uint8_t *head)
{
    memcpy (head, &position, sizeof position);
    memcpy (head + sizeof position, sum, CF_JOURNAL_SUM);
}

const char *
cf_journal_chain_head_problem (const MDB_val *head, uint64_t position, const uint8_t *sum,
                               uint64_t *at_p)
{
    *at_p = position ? position : 1;
    if (!head)
        return position ? "chain head missing from meta" : NULL;
    uint64_t named;
    if (head->mv_size != CF_JOURNAL_CHAIN_HEAD_SIZE)
        return "chain head in meta malformed";
    memcpy (&named, head->mv_data, sizeof named);
    if (named > position) {
        *at_p = position + 1;
        return "record missing: the journal ends before the last record committed";
    }
    if (named < position
        || memcmp ((const uint8_t *) head->mv_data + sizeof named, sum, CF_JOURNAL_SUM) != 0)
        return "the last record does not match the chain head";
    return NULL;
}
