//  fuzz_api_request: the api socket's request decoder, cf_api_decode_request,
//  fed any bytes. A request it accepts must be one the runtime can act on
//  (a valid request id, a body, known command and query cases); a refusal
//  must encode as a reply naming the field.
#include "cf_api.h"
#include "cf_fuzz.h"

#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    cf_fuzz_init ();
    Caseflow__V1__Reply reply;
    cf_api_reply_init (&reply, NULL);
    Caseflow__V1__Request *request = cf_api_decode_request (data, size, &reply);
    if (request) {
        size_t id = strlen (request->request_id);
        CF_FUZZ_CHECK (id >= 1 && id <= CF_API_MAX_REQUEST_ID, "request id out of bounds");
        CF_FUZZ_CHECK (request->body_case != CASEFLOW__V1__REQUEST__BODY__NOT_SET,
                       "request without a body accepted");
        if (request->body_case == CASEFLOW__V1__REQUEST__BODY_COMMAND)
            CF_FUZZ_CHECK (request->command
                               && request->command->body_case
                                      != CASEFLOW__V1__COMMAND__BODY__NOT_SET,
                           "command without a body accepted");
        if (request->body_case == CASEFLOW__V1__REQUEST__BODY_REPLAY)
            CF_FUZZ_CHECK (request->replay && request->replay->from_seq >= 1,
                           "replay from seq 0 accepted");
        caseflow__v1__request__free_unpacked (request, NULL);
    } else {
        CF_FUZZ_CHECK (cf_api_reply_code (&reply) == CASEFLOW__V1__STATUS__CODE__INVALID_ARGUMENT
                           && *reply.status->field,
                       "a refused request's reply does not name the field");
    }
    size_t reply_size = 0;
    free (cf_api_encode_reply (&reply, &reply_size));
    cf_api_reply_clear (&reply);
    return 0;
}
