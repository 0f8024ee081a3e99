//  gateway_data: a CloudEvent's `data`, by the catalogue (DESIGN.md,
//  "CloudEvents at the edge"), into what InboundAccepted carries.
//
//  Each kind's fields (at least these; more are kept in extra_data):
//      referral      resident{name, birth_date, bsn?, phone?, district?},
//                    domains[], question?, urgency? with reason, location?
//      announcement  resident{…as above}, domains[], support?,
//                    preferred_worker?, deadline? (RFC 3339, or a date:
//                    due by the end of that day in Europe/Amsterdam)
//      decision      resident{bsn, or name and birth_date}, decision_id,
//                    law (wmo, jeugdwet, participatiewet, other), provider?
//      call          call_id, line, queued_at, answered_at (answered only)
//  The personal values (the resident, the question or support, the
//  reason) go into a Personal (resident, text, texts[0]) for sealing; the
//  plain, non-personal ones into the content message; `extra_data` is the
//  whole `data` minus the personal values, as compact JSON with sorted
//  keys (so equal data gives equal bytes). Fields are checked by the rules
//  every service shares (common/: ids, the BSN's eleven-test, birth
//  dates, phone numbers, free text, domain and urgency words); a refusal
//  names the field ("data.resident.bsn") and never quotes its value. Pure.
#ifndef GATEWAY_DATA_H
#define GATEWAY_DATA_H

#include "caseflow/v1/gateway.pb-c.h"
#include "gateway_cloudevent.h"
#include "gateway_validate.h"

#include <jansson.h>

//  What `data` gave: `content` is a fresh InboundAccepted (free with
//  caseflow__v1__gateway__inbound_accepted__free_unpacked) holding only its
//  content oneof and extra_data; `personal` a fresh Personal (free with
//  caseflow__v1__personal__free_unpacked), NULL when there is none (calls).
typedef struct {
    Caseflow__V1__Gateway__InboundAccepted *content;
    Caseflow__V1__Personal *personal;
} gateway_data_t;

//  Reads `data` of an event of `kind` (not NONE) as of `today`
//  ("YYYY-MM-DD", Amsterdam: birth dates after it are refused) into *out.
//  0, or -1 with `problem` set (400 naming the field).
int
gateway_data_read (gateway_kind_t kind, json_t *data, const char *today, gateway_data_t *out,
                   gateway_problem_t *problem);

//  Frees what *self holds; zeroes it.
void
gateway_data_release (gateway_data_t *self);

#endif
