//  test_seal: cf_seal, personal data sealed under a resident's key.
//
//  A sealed value must open only with its own key, for its own field and
//  under the key id it carries; every other box (a changed byte, a cut
//  one, an empty one, one too big to be ours) is CF_ECORRUPT, never a
//  crash or a half-decoded message. Ids are random and have one shape.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cf_error.h"
#include "cf_seal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_FIELD "intake.CaseRegistered"

//  A registration's personal part, as intake seals it.
typedef struct {
    Caseflow__V1__PersonalData resident;
    Caseflow__V1__Personal personal;
    char *texts [2];
} s_personal_t;

static void
s_personal_init (s_personal_t *self)
{
    caseflow__v1__personal_data__init (&self->resident);
    self->resident.name = "Fatima el Amrani";
    self->resident.birth_date = "1987-04-12";
    self->resident.phone = "+31 6 1234 5678";
    self->resident.district = "Oost";
    self->resident.bsn = "111222333";
    caseflow__v1__personal__init (&self->personal);
    self->personal.resident = &self->resident;
    self->personal.text = "Needs help with debts since her husband left; call after 16:00.";
    self->texts [0] = "letter from the housing corporation";
    self->texts [1] = "payment plan";
    self->personal.texts = self->texts;
    self->personal.n_texts = 2;
}

static void
s_assert_same (const Caseflow__V1__Personal *a, const Caseflow__V1__Personal *b)
{
    assert_non_null (a->resident);
    assert_non_null (b->resident);
    assert_string_equal (a->resident->name, b->resident->name);
    assert_string_equal (a->resident->birth_date, b->resident->birth_date);
    assert_string_equal (a->resident->phone, b->resident->phone);
    assert_string_equal (a->resident->district, b->resident->district);
    assert_string_equal (a->resident->bsn, b->resident->bsn);
    assert_string_equal (a->text, b->text);
    assert_int_equal (a->n_texts, b->n_texts);
    for (size_t i = 0; i < a->n_texts; i++)
        assert_string_equal (a->texts [i], b->texts [i]);
}

//  Opening must fail with CF_ECORRUPT and leave no message behind.
static void
s_assert_refused (const uint8_t *key, const Caseflow__V1__Sealed *sealed, const char *field)
{
    Caseflow__V1__Personal *opened = (Caseflow__V1__Personal *) 1;
    assert_int_equal (cf_seal_open (key, sealed, field, &opened), CF_ECORRUPT);
    assert_null (opened);
}

static bool
s_contains (const uint8_t *haystack, size_t size, const void *needle, size_t length)
{
    for (size_t at = 0; at + length <= size; at++)
        if (memcmp (haystack + at, needle, length) == 0)
            return true;
    return false;
}

static void
test_round_trip (void **state)
{
    (void) state;
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');

    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &plain.personal), 0);
    assert_string_equal (sealed.message.key_id, key_id);
    assert_int_equal (sealed.message.nonce.len, CF_SEAL_NONCE_BYTES);
    size_t plain_size = caseflow__v1__personal__get_packed_size (&plain.personal);
    assert_int_equal (sealed.message.box.len, plain_size + CF_SEAL_TAG_BYTES);
    //  Nothing of the resident shows through.
    const char *names [] = { "Fatima", "1987-04-12", "1234", "111222333", "Oost", "debts" };
    for (size_t i = 0; i < sizeof names / sizeof names [0]; i++)
        assert_false (s_contains (sealed.message.box.data, sealed.message.box.len, names [i],
                                  strlen (names [i])));

    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed.message, S_FIELD, &opened), 0);
    assert_non_null (opened);
    s_assert_same (&plain.personal, opened);
    caseflow__v1__personal__free_unpacked (opened, NULL);

    //  As it travels: encoded into an event, decoded by another service.
    size_t size = caseflow__v1__sealed__get_packed_size (&sealed.message);
    uint8_t *wire = malloc (size);
    assert_non_null (wire);
    caseflow__v1__sealed__pack (&sealed.message, wire);
    Caseflow__V1__Sealed *decoded = caseflow__v1__sealed__unpack (NULL, size, wire);
    assert_non_null (decoded);
    assert_int_equal (cf_seal_open (key, decoded, S_FIELD, &opened), 0);
    s_assert_same (&plain.personal, opened);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    caseflow__v1__sealed__free_unpacked (decoded, NULL);
    free (wire);

    //  Release frees the box once; a second release is harmless.
    cf_sealed_release (&sealed);
    assert_null (sealed.box);
    cf_sealed_release (&sealed);

    //  A zeroed struct can be released without a seal.
    cf_sealed_t zeroed = { 0 };
    cf_sealed_release (&zeroed);
}

static void
test_empty_and_transit (void **state)
{
    (void) state;
    //  An empty Personal seals to a bare tag and opens to an empty message.
    Caseflow__V1__Personal empty = CASEFLOW__V1__PERSONAL__INIT;
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, cf_seal_new_id (key_id, 'K'), S_FIELD, &empty), 0);
    assert_int_equal (sealed.message.box.len, CF_SEAL_TAG_BYTES);
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed.message, S_FIELD, &opened), 0);
    assert_non_null (opened);
    assert_null (opened->resident);
    assert_int_equal (opened->n_texts, 0);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    cf_sealed_release (&sealed);

    //  A transit key ("T…", handover and the gateway) seals and opens too.
    s_personal_t plain;
    s_personal_init (&plain);
    assert_int_equal (
        cf_seal (&sealed, key, cf_seal_new_id (key_id, 'T'), "handover.Announced", &plain.personal),
        0);
    assert_int_equal (cf_seal_open (key, &sealed.message, "handover.Announced", &opened), 0);
    s_assert_same (&plain.personal, opened);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    cf_sealed_release (&sealed);
}

static void
test_nonce_fresh (void **state)
{
    (void) state;
    //  The same value sealed twice under the same key: another nonce, so
    //  another box (nobody can tell two events hold the same text).
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    cf_sealed_t one, two;
    assert_int_equal (cf_seal (&one, key, key_id, S_FIELD, &plain.personal), 0);
    assert_int_equal (cf_seal (&two, key, key_id, S_FIELD, &plain.personal), 0);
    assert_memory_not_equal (one.nonce, two.nonce, CF_SEAL_NONCE_BYTES);
    assert_int_equal (one.message.box.len, two.message.box.len);
    assert_memory_not_equal (one.box, two.box, one.message.box.len);
    cf_sealed_release (&one);
    cf_sealed_release (&two);

    //  Two keys differ.
    uint8_t other [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (other);
    assert_memory_not_equal (key, other, CF_SEAL_KEY_BYTES);
}

static void
test_wrong_key_field_or_id (void **state)
{
    (void) state;
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES], other [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    cf_seal_new_key (other);
    char key_id [CF_SEAL_ID_SIZE], other_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    cf_seal_new_id (other_id, 'K');
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &plain.personal), 0);

    //  Another resident's key.
    s_assert_refused (other, &sealed.message, S_FIELD);
    //  A key differing in one bit.
    uint8_t near [CF_SEAL_KEY_BYTES];
    memcpy (near, key, sizeof near);
    near [CF_SEAL_KEY_BYTES - 1] ^= 0x01;
    s_assert_refused (near, &sealed.message, S_FIELD);
    //  Moved to another field (another event body), or a prefix of it.
    s_assert_refused (key, &sealed.message, "intake.CaseTriaged");
    s_assert_refused (key, &sealed.message, "intake.CaseRegistere");
    //  Re-labelled with another key id (even with the right key in hand),
    //  or the same id as a transit key.
    Caseflow__V1__Sealed moved = sealed.message;
    moved.key_id = other_id;
    s_assert_refused (key, &moved, S_FIELD);
    char transit [CF_SEAL_ID_SIZE];
    memcpy (transit, key_id, sizeof transit);
    transit [0] = 'T';
    moved.key_id = transit;
    s_assert_refused (key, &moved, S_FIELD);
    //  Key ids that are not ids at all.
    const char *bad_ids [] = { "",
                               "K",
                               "S0000000000000000000000000",
                               "k0000000000000000000000000",
                               "K000000000000000000000000000",
                               "K00000000000000000000000000 ",
                               "K0000000000000000000000000I" };
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids [0]; i++) {
        moved.key_id = (char *) bad_ids [i];
        s_assert_refused (key, &moved, S_FIELD);
    }
    moved.key_id = NULL;
    s_assert_refused (key, &moved, S_FIELD);
    s_assert_refused (key, NULL, S_FIELD);

    //  The untouched value still opens.
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed.message, S_FIELD, &opened), 0);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    cf_sealed_release (&sealed);
}

static void
test_changed_bytes (void **state)
{
    (void) state;
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &plain.personal), 0);
    Caseflow__V1__Sealed *message = &sealed.message;

    //  Every byte of the box and of the nonce, each bit in turn.
    for (size_t at = 0; at < message->box.len; at++)
        for (int bit = 0; bit < 8; bit++) {
            message->box.data [at] ^= (uint8_t) (1u << bit);
            s_assert_refused (key, message, S_FIELD);
            message->box.data [at] ^= (uint8_t) (1u << bit);
        }
    for (size_t at = 0; at < message->nonce.len; at++)
        for (int bit = 0; bit < 8; bit++) {
            message->nonce.data [at] ^= (uint8_t) (1u << bit);
            s_assert_refused (key, message, S_FIELD);
            message->nonce.data [at] ^= (uint8_t) (1u << bit);
        }
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, message, S_FIELD, &opened), 0);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    cf_sealed_release (&sealed);
}

static void
test_cut_and_empty (void **state)
{
    (void) state;
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &plain.personal), 0);
    Caseflow__V1__Sealed cut = sealed.message;

    //  Every shorter box: from the front (a lost tail) and from the back.
    for (size_t len = 0; len < sealed.message.box.len; len++) {
        cut.box.len = len;
        cut.box.data = sealed.message.box.data;
        s_assert_refused (key, &cut, S_FIELD);
        cut.box.data = sealed.message.box.data + (sealed.message.box.len - len);
        s_assert_refused (key, &cut, S_FIELD);
    }
    //  An empty box, as an event without one decodes.
    cut.box.len = 0;
    cut.box.data = NULL;
    s_assert_refused (key, &cut, S_FIELD);
    //  A nonce of any other length, or none.
    cut = sealed.message;
    for (size_t len = 0; len <= CF_SEAL_NONCE_BYTES + 8; len++) {
        if (len == CF_SEAL_NONCE_BYTES)
            continue;
        uint8_t nonce [CF_SEAL_NONCE_BYTES + 8] = { 0 };
        memcpy (nonce, sealed.nonce, len < CF_SEAL_NONCE_BYTES ? len : CF_SEAL_NONCE_BYTES);
        cut.nonce.data = len ? nonce : NULL;
        cut.nonce.len = len;
        s_assert_refused (key, &cut, S_FIELD);
    }
    //  An all-default Sealed (a field never set).
    Caseflow__V1__Sealed unset = CASEFLOW__V1__SEALED__INIT;
    s_assert_refused (key, &unset, S_FIELD);
    cf_sealed_release (&sealed);
}

//  A box that opens (right key, nonce and associated data, as the proto
//  documents it) but holds bytes that are not a Personal.
static void
test_opens_but_does_not_decode (void **state)
{
    (void) state;
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    char ad [128];
    snprintf (ad, sizeof ad, "caseflow.v1.Sealed|%s|%s", key_id, S_FIELD);
    //  A length-delimited field 1 that claims more bytes than follow.
    const uint8_t junk [] = { 0x0a, 0x7f, 0x01, 0x02 };
    uint8_t nonce [CF_SEAL_NONCE_BYTES], box [sizeof junk + CF_SEAL_TAG_BYTES];
    randombytes_buf (nonce, sizeof nonce);
    unsigned long long box_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt (
        box, &box_size, junk, sizeof junk, (const uint8_t *) ad, strlen (ad), NULL, nonce, key);
    Caseflow__V1__Sealed sealed = CASEFLOW__V1__SEALED__INIT;
    sealed.key_id = key_id;
    sealed.nonce.data = nonce;
    sealed.nonce.len = sizeof nonce;
    sealed.box.data = box;
    sealed.box.len = (size_t) box_size;
    s_assert_refused (key, &sealed, S_FIELD);

    //  The same construction over a real Personal opens: the associated
    //  data above is the documented one, so the refusal was the decoding.
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = "hello";
    uint8_t plain [16];
    size_t plain_size = caseflow__v1__personal__pack (&personal, plain);
    crypto_aead_xchacha20poly1305_ietf_encrypt (
        box, &box_size, plain, plain_size, (const uint8_t *) ad, strlen (ad), NULL, nonce, key);
    sealed.box.len = (size_t) box_size;
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed, S_FIELD, &opened), 0);
    assert_string_equal (opened->text, "hello");
    caseflow__v1__personal__free_unpacked (opened, NULL);
}

static void
test_oversize (void **state)
{
    (void) state;
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    //  A text whose encoding is exactly the limit (tag, 3-byte length,
    //  text) seals and opens; one byte more is CF_ETOOBIG.
    size_t text_size = CF_SEAL_MAX_PLAIN - 4;
    char *text = malloc (text_size + 2);
    assert_non_null (text);
    memset (text, 'x', text_size + 1);
    text [text_size] = '\0';
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = text;
    assert_int_equal (caseflow__v1__personal__get_packed_size (&personal), CF_SEAL_MAX_PLAIN);
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &personal), 0);
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed.message, S_FIELD, &opened), 0);
    assert_int_equal (strlen (opened->text), text_size);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    cf_sealed_release (&sealed);

    text [text_size] = 'x';
    text [text_size + 1] = '\0';
    //  Refused before anything is allocated: the struct is left zeroed,
    //  so releasing it is safe even when it held garbage before.
    memset (&sealed, 0xa5, sizeof sealed);
    assert_int_equal (cf_seal (&sealed, key, key_id, S_FIELD, &personal), CF_ETOOBIG);
    assert_null (sealed.box);
    cf_sealed_release (&sealed);

    //  A box over the largest a seal makes is refused without opening.
    uint8_t *big = calloc (1, CF_SEAL_MAX_PLAIN + CF_SEAL_TAG_BYTES + 1);
    assert_non_null (big);
    uint8_t nonce [CF_SEAL_NONCE_BYTES] = { 0 };
    Caseflow__V1__Sealed huge = CASEFLOW__V1__SEALED__INIT;
    huge.key_id = key_id;
    huge.nonce.data = nonce;
    huge.nonce.len = sizeof nonce;
    huge.box.data = big;
    huge.box.len = CF_SEAL_MAX_PLAIN + CF_SEAL_TAG_BYTES + 1;
    s_assert_refused (key, &huge, S_FIELD);
    free (big);
    free (text);
}

static void
test_bad_arguments (void **state)
{
    (void) state;
    s_personal_t plain;
    s_personal_init (&plain);
    uint8_t key [CF_SEAL_KEY_BYTES];
    cf_seal_new_key (key);
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_id (key_id, 'K');
    cf_sealed_t sealed;
    //  A key id that is not one would be cut to fit the message while the
    //  associated data kept it whole: a box nobody could ever open.
    const char *bad_ids [] = { "", "S0000000000000000000000000", "K00000000000000000000000000000",
                               "K0000000000000000000000000" };
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids [0]; i++) {
        memset (&sealed, 0xa5, sizeof sealed);
        assert_int_equal (cf_seal (&sealed, key, bad_ids [i], S_FIELD, &plain.personal), CF_EINVAL);
        cf_sealed_release (&sealed);
    }
    assert_int_equal (cf_seal (&sealed, key, NULL, S_FIELD, &plain.personal), CF_EINVAL);
    //  A field is named, and fits the associated data.
    char long_field [CF_SEAL_FIELD_MAX + 2];
    memset (long_field, 'f', sizeof long_field - 1);
    long_field [sizeof long_field - 1] = '\0';
    assert_int_equal (cf_seal (&sealed, key, key_id, NULL, &plain.personal), CF_EINVAL);
    assert_int_equal (cf_seal (&sealed, key, key_id, "", &plain.personal), CF_EINVAL);
    assert_int_equal (cf_seal (&sealed, key, key_id, long_field, &plain.personal), CF_EINVAL);
    long_field [CF_SEAL_FIELD_MAX] = '\0';
    assert_int_equal (cf_seal (&sealed, key, key_id, long_field, &plain.personal), 0);
    Caseflow__V1__Personal *opened = (Caseflow__V1__Personal *) 1;
    assert_int_equal (cf_seal_open (key, &sealed.message, long_field, &opened), 0);
    caseflow__v1__personal__free_unpacked (opened, NULL);
    long_field [CF_SEAL_FIELD_MAX] = 'f';
    opened = (Caseflow__V1__Personal *) 1;
    assert_int_equal (cf_seal_open (key, &sealed.message, long_field, &opened), CF_EINVAL);
    assert_null (opened);
    assert_int_equal (cf_seal_open (key, &sealed.message, NULL, &opened), CF_EINVAL);
    assert_int_equal (cf_seal_open (key, &sealed.message, "", &opened), CF_EINVAL);
    cf_sealed_release (&sealed);
}

static void
test_ids (void **state)
{
    (void) state;
    const char alphabet [] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE];
    assert_ptr_equal (cf_seal_new_id (subject, 'S'), subject);
    cf_seal_new_id (key_id, 'K');
    assert_int_equal (strlen (subject), CF_SEAL_ID_SIZE - 1);
    assert_int_equal (subject [0], 'S');
    assert_int_equal (key_id [0], 'K');
    for (size_t i = 1; i < CF_SEAL_ID_SIZE - 1; i++) {
        assert_non_null (strchr (alphabet, subject [i]));
        assert_non_null (strchr (alphabet, key_id [i]));
    }
    assert_true (cf_seal_id_valid (subject, 'S'));
    assert_true (cf_seal_id_valid (key_id, 'K'));
    assert_false (cf_seal_id_valid (subject, 'K'));
    assert_false (cf_seal_id_valid (key_id, 'S'));

    //  The time part: 10 characters of the wall clock's milliseconds, so
    //  an id made later sorts later.
    struct timespec now;
    clock_gettime (CLOCK_REALTIME, &now);
    uint64_t ms = 0;
    for (size_t i = 1; i <= 10; i++)
        ms = ms * 32 + (uint64_t) (strchr (alphabet, subject [i]) - alphabet);
    uint64_t wall = (uint64_t) now.tv_sec * 1000 + (uint64_t) now.tv_nsec / 1000000;
    assert_true (ms <= wall && wall - ms < 60000);
    char later [CF_SEAL_ID_SIZE];
    struct timespec pause = { 0, 3 * 1000000 };
    nanosleep (&pause, NULL);
    cf_seal_new_id (later, 'S');
    assert_true (strcmp (subject, later) < 0);

    //  The random part: two ids made in the same millisecond differ, and
    //  over many ids each of the 16 random positions takes every character
    //  of the alphabet (80 random bits: nothing from a counter).
    char again [CF_SEAL_ID_SIZE];
    cf_seal_new_id (again, 'S');
    assert_string_not_equal (later, again);
    bool seen [CF_SEAL_ID_SIZE][32] = { { false } };
    for (int n = 0; n < 4000; n++) {
        cf_seal_new_id (again, 'S');
        for (size_t i = 11; i < CF_SEAL_ID_SIZE - 1; i++)
            seen [i][strchr (alphabet, again [i]) - alphabet] = true;
    }
    for (size_t i = 11; i < CF_SEAL_ID_SIZE - 1; i++)
        for (int c = 0; c < 32; c++)
            if (!seen [i][c])
                fail_msg ("position %zu never took '%c' in 4,000 ids", i, alphabet [c]);

    //  Bad shapes.
    char id [CF_SEAL_ID_SIZE + 2];
    assert_false (cf_seal_id_valid (NULL, 'S'));
    assert_false (cf_seal_id_valid ("", 'S'));
    assert_false (cf_seal_id_valid ("S", 'S'));
    memcpy (id, subject, CF_SEAL_ID_SIZE);
    id [CF_SEAL_ID_SIZE - 2] = '\0';  //  one short
    assert_false (cf_seal_id_valid (id, 'S'));
    memcpy (id, subject, CF_SEAL_ID_SIZE);
    id [CF_SEAL_ID_SIZE - 1] = '0';  //  one long
    id [CF_SEAL_ID_SIZE] = '\0';
    assert_false (cf_seal_id_valid (id, 'S'));
    //  Letters Crockford leaves out, lower case, punctuation, a space.
    const char not_ours [] = "ILOUilou-_ z/.\x7f\x80";
    for (size_t c = 0; c < sizeof not_ours - 1; c++)
        for (size_t at = 1; at < CF_SEAL_ID_SIZE - 1; at += 13) {
            memcpy (id, subject, CF_SEAL_ID_SIZE);
            id [at] = not_ours [c];
            if (cf_seal_id_valid (id, 'S'))
                fail_msg ("'%s' accepted", id);
        }
    memcpy (id, subject, CF_SEAL_ID_SIZE);
    id [0] = 's';
    assert_false (cf_seal_id_valid (id, 'S'));
}

//  A new subject's key and ids from one draw: ids of the right kinds and
//  shape, made now; the key, the subject's and the key id's random parts
//  unlike each other and unlike the next subject's; the key seals.
static void
test_new_subject (void **state)
{
    (void) state;
    const char alphabet [] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    uint8_t key [CF_SEAL_KEY_BYTES], next_key [CF_SEAL_KEY_BYTES];
    char subject [CF_SEAL_ID_SIZE], key_id [CF_SEAL_ID_SIZE];
    char next_subject [CF_SEAL_ID_SIZE], next_key_id [CF_SEAL_ID_SIZE];
    char made_before [CF_SEAL_ID_SIZE];
    cf_seal_new_id (made_before, 'S');
    cf_seal_new_subject (key, subject, key_id, 'T');
    cf_seal_new_subject (next_key, next_subject, next_key_id, 'K');
    assert_true (cf_seal_id_valid (subject, 'S'));
    assert_true (cf_seal_id_valid (key_id, 'T'));
    assert_true (cf_seal_id_valid (next_key_id, 'K'));
    assert_true (strncmp (made_before, subject, 11) <= 0);  //  the same clock
    assert_memory_not_equal (subject + 11, key_id + 11, 16);
    assert_memory_not_equal (subject + 11, next_subject + 11, 16);
    assert_memory_not_equal (key, next_key, sizeof key);
    uint8_t zeros [CF_SEAL_KEY_BYTES] = { 0 };
    assert_memory_not_equal (key, zeros, sizeof key);
    for (size_t i = 1; i < CF_SEAL_ID_SIZE - 1; i++)
        assert_non_null (strchr (alphabet, key_id [i]));
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = "a question";
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, "intake.QuestionAdded", &personal), 0);
    Caseflow__V1__Personal *opened = NULL;
    assert_int_equal (cf_seal_open (key, &sealed.message, "intake.QuestionAdded", &opened), 0);
    assert_string_equal (opened->text, "a question");
    cf_seal_personal_free (opened);
    cf_sealed_release (&sealed);
}

//  Nonces come from a pool of random bytes (cf_seal.c): a forked child
//  must not hand out the nonces its parent hands out next.
static void
test_nonces_after_fork (void **state)
{
    (void) state;
    uint8_t key [CF_SEAL_KEY_BYTES];
    char key_id [CF_SEAL_ID_SIZE];
    cf_seal_new_key (key);
    cf_seal_new_id (key_id, 'K');
    Caseflow__V1__Personal personal = CASEFLOW__V1__PERSONAL__INIT;
    personal.text = "x";
    cf_sealed_t sealed;
    assert_int_equal (cf_seal (&sealed, key, key_id, "f", &personal), 0);  //  fills the pool
    cf_sealed_release (&sealed);
    int pipe_fds [2];
    assert_int_equal (pipe (pipe_fds), 0);
    pid_t child = fork ();
    assert_true (child >= 0);
    if (child == 0) {
        cf_sealed_t mine;
        int rc = cf_seal (&mine, key, key_id, "f", &personal);
        ssize_t sent = rc == 0 ? write (pipe_fds [1], mine.nonce, sizeof mine.nonce) : -1;
        _exit (sent == (ssize_t) sizeof mine.nonce ? 0 : 1);
    }
    assert_int_equal (cf_seal (&sealed, key, key_id, "f", &personal), 0);
    uint8_t theirs [CF_SEAL_NONCE_BYTES];
    assert_int_equal (read (pipe_fds [0], theirs, sizeof theirs), (ssize_t) sizeof theirs);
    int status = 0;
    assert_int_equal (waitpid (child, &status, 0), child);
    assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    assert_memory_not_equal (theirs, sealed.nonce, sizeof theirs);
    cf_sealed_release (&sealed);
    close (pipe_fds [0]);
    close (pipe_fds [1]);
}

int
main (void)
{
    if (sodium_init () < 0)
        return 1;
    const struct CMUnitTest tests [] = {
        cmocka_unit_test (test_round_trip),
        cmocka_unit_test (test_empty_and_transit),
        cmocka_unit_test (test_nonce_fresh),
        cmocka_unit_test (test_wrong_key_field_or_id),
        cmocka_unit_test (test_changed_bytes),
        cmocka_unit_test (test_cut_and_empty),
        cmocka_unit_test (test_opens_but_does_not_decode),
        cmocka_unit_test (test_oversize),
        cmocka_unit_test (test_bad_arguments),
        cmocka_unit_test (test_ids),
        cmocka_unit_test (test_new_subject),
        cmocka_unit_test (test_nonces_after_fork),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
