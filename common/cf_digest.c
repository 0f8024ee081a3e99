//  cf_digest: the field encodings of the state digests (see cf_digest.h).
//  The bytes written here are what the stored digests of every service
//  were computed from: change none of them.
#include "cf_digest.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cf_digest_bytes (crypto_hash_sha256_state *hash, const void *data, size_t size)
{
    uint8_t prefix [8];
    for (int i = 0; i < 8; i++)
        prefix [i] = (uint8_t) ((uint64_t) size >> (56 - 8 * i));
    crypto_hash_sha256_update (hash, prefix, sizeof prefix);
    //  Nothing to add for an empty field, whose data may be NULL.
    if (size)
        crypto_hash_sha256_update (hash, data, size);
}

void
cf_digest_text (crypto_hash_sha256_state *hash, const char *text)
{
    cf_digest_bytes (hash, text, text ? strlen (text) : 0);
}

void
cf_digest_message (crypto_hash_sha256_state *hash, const ProtobufCMessage *message)
{
    size_t size = protobuf_c_message_get_packed_size (message);
    uint8_t *data = malloc (size ? size : 1);
    assert (data);
    protobuf_c_message_pack (message, data);
    cf_digest_bytes (hash, data, size);
    free (data);
}

void
cf_digest_counted (crypto_hash_sha256_state *hash, const void *data, size_t size)
{
    char prefix [24];
    int n = snprintf (prefix, sizeof prefix, "%zu:", size);
    crypto_hash_sha256_update (hash, (const unsigned char *) prefix, (size_t) n);
    if (size)
        crypto_hash_sha256_update (hash, data, size);
}

void
cf_digest_counted_text (crypto_hash_sha256_state *hash, const char *text)
{
    cf_digest_counted (hash, text, text ? strlen (text) : 0);
}

void
cf_digest_counted_number (crypto_hash_sha256_state *hash, long long value)
{
    char text [32];
    int n = snprintf (text, sizeof text, "%lld;", value);
    crypto_hash_sha256_update (hash, (const unsigned char *) text, (size_t) n);
}

void
cf_digest_native_u64 (crypto_hash_sha256_state *hash, uint64_t value)
{
    crypto_hash_sha256_update (hash, (const unsigned char *) &value, sizeof value);
}

void
cf_digest_native_text (crypto_hash_sha256_state *hash, const char *text)
{
    uint64_t length = strlen (text);
    cf_digest_native_u64 (hash, length);
    crypto_hash_sha256_update (hash, (const unsigned char *) text, length);
}

void
cf_digest_printf (crypto_hash_sha256_state *hash, const char *format, ...)
{
    //  Most lines fit the stack; a longer one is formatted again on the heap.
    char line [256];
    va_list args;
    va_start (args, format);
    va_list again;
    va_copy (again, args);
    int len = vsnprintf (line, sizeof line, format, args);
    va_end (args);
    assert (len >= 0);
    if ((size_t) len < sizeof line)
        crypto_hash_sha256_update (hash, (const unsigned char *) line, (size_t) len);
    else {
        char *heap = malloc ((size_t) len + 1);
        assert (heap);
        vsnprintf (heap, (size_t) len + 1, format, again);
        crypto_hash_sha256_update (hash, (const unsigned char *) heap, (size_t) len);
        free (heap);
    }
    va_end (again);
}
