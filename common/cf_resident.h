//  cf_resident: the rules of a resident's personal data that every service
//  applies the same way: the BSN, the birth date, the phone number, and
//  the identity key that finds "the same resident" again.
//
//  - BSN (burgerservicenummer): exactly 9 digits d1..d9, not all zero, with
//    9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11 (the eleven-test).
//  - Birth date: a date (cf_calendar.h: "YYYY-MM-DD", a real day) from
//    1900-01-01 up to today by the service's clock. Nobody receiving
//    social support was born before 1900; a later date is a typing error.
//  - Phone: 1-32 characters of digits, spaces, '+', '-', '(' and ')', with
//    at least 6 digits (the shortest Dutch service numbers, 14 0492).
//  - Identity key of a name and birth date: the name with ASCII letters
//    lower-cased, runs of white space made one space, leading and trailing
//    white space dropped, then "\n" and the birth date. Accented letters
//    are kept as written ("Zoë" is not "Zoe"): folding them would join
//    different people's names. Empty when either part is missing or the
//    name is blank: a name alone never identifies a resident.
//
//  The check functions refuse a bad value with INVALID_ARGUMENT for the
//  field's dotted path and a message naming the field's last part; they
//  never quote the value (it is personal data). docs/vocabulary.md has the
//  decisions.
#ifndef CF_RESIDENT_H
#define CF_RESIDENT_H

#include "caseflow/v1/api.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

//  Size of a buffer that holds any identity key of a name of up to
//  CF_RESIDENT_NAME_MAX bytes (longer names are cut to fit).
#define CF_RESIDENT_NAME_MAX 200
#define CF_RESIDENT_KEY_SIZE (CF_RESIDENT_NAME_MAX + 16)

//  True when `bsn` (may be NULL: false) passes the rule above.
bool
cf_resident_bsn_valid (const char *bsn);

//  True when `phone` (may be NULL: false) passes the rule above.
bool
cf_resident_phone_valid (const char *phone);

//  NULL when `text` is a birth date: a date (from 1900-01-01) up to `today`
//  ("YYYY-MM-DD"; NULL: no upper bound); otherwise a static phrase for a
//  message: "is not a date (YYYY-MM-DD, from 1900-01-01)" or "is in the
//  future".
const char *
cf_resident_birth_date_problem (const char *text, const char *today);

//  The checks of an optional field (empty or NULL passes). Each returns
//  true when the value passes; otherwise sets INVALID_ARGUMENT for
//  `field` and returns false. Messages: "<last part> is not a BSN (9
//  digits passing the eleven-test)"; "<last part> is not a phone number
//  (...)"; "<last part> is not a date (YYYY-MM-DD, from 1900-01-01)",
//  "... is in the future (today is YYYY-MM-DD)".
bool
cf_resident_check_bsn (Caseflow__V1__Reply *reply, const char *field, const char *bsn);
bool
cf_resident_check_phone (Caseflow__V1__Reply *reply, const char *field, const char *phone);
bool
cf_resident_check_birth_date (Caseflow__V1__Reply *reply, const char *field, const char *text,
                              const char *today);

//  Writes the identity key of `name` and `birth_date` (either may be NULL)
//  into `key` (`size` >= 1; CF_RESIDENT_KEY_SIZE holds every key of a
//  checked name; a longer key is cut to fit) and returns its length: 0
//  when there is no key.
size_t
cf_resident_name_key (const char *name, const char *birth_date, char *key, size_t size);

//  The age band (0-17, 18-26, 27-66, 67+) of someone born on
//  `birth_date` on the day `today` (both "YYYY-MM-DD"); UNSPECIFIED when
//  the birth date is empty or not a date.
Caseflow__V1__AgeBand
cf_resident_age_band (const char *birth_date, const char *today);

#endif
