//  cf_digest: writing a service's canonical state into the SHA-256 of its
//  state digest (the `digest` query, which proves that replaying the
//  journal rebuilds the very state the service had).
//
//  A digest is the hash of a sequence of fields, and two different
//  sequences must never hash the same bytes, so every variable-length
//  field carries its length. Two encodings are in use, and each service's
//  digests are pinned by its tests and by the stored fixtures of
//  tests/fixtures, so neither may change: the binary one (an 8-byte
//  big-endian length, then the bytes; gateway, handover) and the counted
//  text one (the length in decimal and ':', then the bytes; intake,
//  notification). The gateway's webhook subscriptions use a third, the
//  native one (lengths and numbers as 8 bytes in the machine's own byte
//  order), which makes their digest differ between little- and big-endian
//  machines; it stays as it is, since every digest stored so far was made
//  with it. cf_digest_printf adds text with no length, for lines whose
//  shape already fixes where each field ends.
//
//  Every call takes the caller's open hash state (crypto_hash_sha256_init
//  done, _final not yet) and only updates it; nothing is kept.
#ifndef CF_DIGEST_H
#define CF_DIGEST_H

#include <protobuf-c/protobuf-c.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

//  Binary encoding: `size` as 8 bytes, most significant first, then the
//  `size` bytes at `data` (borrowed; may be NULL when size is 0).
void
cf_digest_bytes (crypto_hash_sha256_state *hash, const void *data, size_t size);

//  cf_digest_bytes of a C string without its terminator; NULL hashes as
//  the empty string.
void
cf_digest_text (crypto_hash_sha256_state *hash, const char *text);

//  cf_digest_bytes of the message packed by protobuf-c (borrowed). A
//  view built for the digest fixes the fields it hashes in one place.
void
cf_digest_message (crypto_hash_sha256_state *hash, const ProtobufCMessage *message);

//  Counted text encoding: `size` in decimal and ':', then the `size` bytes
//  at `data` (borrowed; may be NULL when size is 0).
void
cf_digest_counted (crypto_hash_sha256_state *hash, const void *data, size_t size);

//  cf_digest_counted of a C string without its terminator; NULL hashes as
//  the empty string ("0:").
void
cf_digest_counted_text (crypto_hash_sha256_state *hash, const char *text);

//  A number in the counted text encoding: its decimal digits (and '-')
//  and ';'.
void
cf_digest_counted_number (crypto_hash_sha256_state *hash, long long value);

//  Native encoding: `value` as the 8 bytes of a uint64_t in memory.
void
cf_digest_native_u64 (crypto_hash_sha256_state *hash, uint64_t value);

//  Native encoding of a C string (not NULL): its length as
//  cf_digest_native_u64, then its bytes without the terminator.
void
cf_digest_native_text (crypto_hash_sha256_state *hash, const char *text);

//  The text printf makes of `format` and its arguments, as it is (no
//  length, no terminator). Any length; aborts when out of memory.
void
cf_digest_printf (crypto_hash_sha256_state *hash, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

#endif
