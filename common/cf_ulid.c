//  cf_ulid: ULIDs (see cf_ulid.h and https://github.com/ulid/spec).
//
//  The 128 bits are 48 bits of milliseconds since the epoch, big-endian,
//  then 80 random bits from libsodium. Within one millisecond the process
//  does not draw new randomness but adds one to the last random part, so
//  ids made in the same millisecond sort in the order they were made. If
//  that 80-bit counter ever overflows, the carry goes into the time part:
//  the id is then stamped one millisecond late, which keeps the order and
//  is harmless (it is an id, not a clock).
#include "cf_ulid.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CF_ULID_RANDOM_SIZE 10
#define CF_ULID_TIME_MAX    ((INT64_C (1) << 48) - 1)

//  Crockford's base32: no I, L, O or U, so ids read aloud survive.
static const char s_alphabet [] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

//  The last id's time and random part; ids may be made on any thread.
static pthread_mutex_t s_mutex = PTHREAD_MUTEX_INITIALIZER;
static bool s_sodium_ready = false;
static int64_t s_last_ms = -1;   //  the time asked for
static int64_t s_stamp_ms = -1;  //  the time written (later after a carry)
static unsigned char s_last_random [CF_ULID_RANDOM_SIZE];

//  Adds one to the big-endian random part; returns true on overflow.
static bool
s_increment (unsigned char *random)
{
    for (int index = CF_ULID_RANDOM_SIZE - 1; index >= 0; index--)
        if (++random [index] != 0)
            return false;
    return true;
}

//  Writes the 16 bytes as 26 base32 characters, most significant first;
//  the first character carries only 3 bits (26 * 5 = 130 = 128 + 2). Read
//  that way, the first 10 characters are exactly the 48-bit time (with the
//  2 zero bits on top) and the other 16 are the two 40-bit halves of the
//  random part, 8 characters each: three integers encoded five bits at a
//  time from the bottom (a bit-by-bit loop cost ten times as much, and ids
//  are made for every event).
static void
s_encode (const unsigned char bytes [16], char out [CF_ULID_SIZE])
{
    static const int first [3] = { 0, 6, 11 };  //  byte where each part starts
    static const int end [3] = { 10, 18, 26 };  //  character after each part
    static const int chars [3] = { 10, 8, 8 };
    for (int part = 0; part < 3; part++) {
        uint64_t value = 0;
        for (int index = first [part]; index < (part < 2 ? first [part + 1] : 16); index++)
            value = value << 8 | bytes [index];
        for (int index = end [part] - 1; index >= end [part] - chars [part]; index--) {
            out [index] = s_alphabet [value & 31];
            value >>= 5;
        }
    }
    out [26] = 0;
}

char *
cf_ulid_new (char out [CF_ULID_SIZE], int64_t at)
{
    assert (out);
    //  ULIDs cannot hold times before 1970 or after 10889; such times are
    //  never real event times, so clamp rather than fail.
    int64_t ms = at < 0 ? 0 : at / 1000;
    if (ms > CF_ULID_TIME_MAX)
        ms = CF_ULID_TIME_MAX;

    unsigned char bytes [16];
    pthread_mutex_lock (&s_mutex);
    if (!s_sodium_ready) {
        //  Without a random source no id is safe to make.
        if (sodium_init () < 0)
            abort ();
        s_sodium_ready = true;
    }
    if (ms == s_last_ms) {
        if (s_increment (s_last_random) && s_stamp_ms < CF_ULID_TIME_MAX)
            s_stamp_ms++;
    } else {
        randombytes_buf (s_last_random, sizeof s_last_random);
        s_last_ms = ms;
        s_stamp_ms = ms;
    }
    for (int index = 0; index < 6; index++)
        bytes [index] = (unsigned char) (s_stamp_ms >> (8 * (5 - index)));
    memcpy (bytes + 6, s_last_random, CF_ULID_RANDOM_SIZE);
    pthread_mutex_unlock (&s_mutex);

    s_encode (bytes, out);
    return out;
}
