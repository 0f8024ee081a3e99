//  cf_api: the api socket's wire rules, shared by servers and clients.
//
//  A client sends one frame, the encoded caseflow.v1.Request, from a DEALER
//  socket (or two, an empty delimiter and the Request, from a REQ socket);
//  the ROUTER sees [identity]([empty])[Request] and answers with the same
//  envelope and one encoded caseflow.v1.Reply. Anything else is dropped with
//  a log line. See docs/protocol.md.
#ifndef CF_API_H
#define CF_API_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_keys.h"

#include <czmq.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

//  Largest encoded Request or Reply accepted.
#define CF_API_MAX_MESSAGE (4 * 1024 * 1024)
//  Longest request id (printable ASCII, no spaces).
#define CF_API_MAX_REQUEST_ID 64
//  The most items a repeated field of a request may hold (a command's
//  lists are short: domains, locations, documents); more is refused.
#define CF_API_MAX_REPEATED 1024
//  The most fields unknown to this build a query or a replay request may
//  carry (a newer client's additions); a command may carry none.
#define CF_API_MAX_UNKNOWN 16

//  True when `token` may be a request id or an on_behalf_of: 1 to
//  CF_API_MAX_REQUEST_ID printable ASCII characters without spaces.
bool
cf_api_token_valid (const char *token);

//  Decodes and checks a Request: size within CF_API_MAX_MESSAGE, a valid
//  protobuf Request, request_id of 1-64 printable ASCII characters (and
//  on_behalf_of, when given, the same), a body set, and a command/query
//  body with a known oneof case; then its shape: no repeated field with
//  more than CF_API_MAX_REPEATED items (the field is named), and no field
//  this build does not know in a command, at most CF_API_MAX_UNKNOWN in
//  a query or replay (protobuf-c keeps each one it meets: the message
//  holding the first is named, with its field number). On success
//  returns the request (free with caseflow__v1__request__free_unpacked
//  (request, NULL)). On failure returns NULL and fills `reply` (request_id
//  when it could be read, status INVALID_ARGUMENT naming the field).
Caseflow__V1__Request *
cf_api_decode_request (const void *data, size_t size, Caseflow__V1__Reply *reply);

//  The same, decoding with `allocator` (NULL: malloc, as above). Free the
//  request with caseflow__v1__request__free_unpacked (request, allocator),
//  or, for a cf_arena's allocator, by resetting the arena.
Caseflow__V1__Request *
cf_api_decode_request_with (const void *data, size_t size, Caseflow__V1__Reply *reply,
                            ProtobufCAllocator *allocator);

//  The request id of the encoded Request in `data` (`size` bytes), read
//  without decoding the rest: for refusing a request that will not be
//  decoded (too large, over a budget) with a reply its sender can match.
//  Copies the first request_id field found into `id` when it is a valid
//  id (cf_api_token_valid) and returns true; false (id "") otherwise.
//  Only the first few fields are looked at, tag and length, their bodies
//  skipped (encoders write field 1 first): the cost does not grow with
//  the request.
bool
cf_api_peek_request_id (const void *data, size_t size, char id [CF_API_MAX_REQUEST_ID + 1]);

//  Initialises `reply` as an empty OK reply to `request_id` (may be NULL).
//  Everything later attached to the reply must be heap-allocated; release
//  it with cf_api_reply_clear.
void
cf_api_reply_init (Caseflow__V1__Reply *reply, const char *request_id);

//  Frees everything attached to `reply` (with the system allocator, as
//  protobuf-c's free_unpacked does) and leaves it as after init with no id.
void
cf_api_reply_clear (Caseflow__V1__Reply *reply);

//  Sets the reply's status: code, the offending field (dotted path, may be
//  NULL) and a printf-style message. Returns `code` as an int for chaining.
int
cf_api_reply_status (Caseflow__V1__Reply *reply, Caseflow__V1__Status__Code code, const char *field,
                     const char *fmt, ...) __attribute__ ((format (printf, 4, 5)));

//  Sets the reply's status to INVALID_ARGUMENT for `field` (a dotted
//  path), with a message that starts with the path's last part:
//  ("command.intake.register.location", "is not an id") gives "location is
//  not an id". The one form of the refusals of the shared rules (cf_id,
//  cf_resident, cf_text). Returns false, for `return cf_api_reply_invalid`.
bool
cf_api_reply_invalid (Caseflow__V1__Reply *reply, const char *field, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

//  True when `text` is a request id or a person (Request.on_behalf_of):
//  1 to CF_API_MAX_REQUEST_ID printable ASCII characters without spaces.
bool
cf_api_token_valid (const char *text);

//  The reply's status code (OK when no status is attached).
Caseflow__V1__Status__Code
cf_api_reply_code (const Caseflow__V1__Reply *reply);

//  Attaches (if not yet attached) and returns the reply's command or query
//  result. Owned by the reply.
Caseflow__V1__CommandResult *
cf_api_reply_command (Caseflow__V1__Reply *reply);
Caseflow__V1__QueryResult *
cf_api_reply_query (Caseflow__V1__Reply *reply);

//  Encodes `reply` into a fresh buffer (free with free); sets *size_p.
void *
cf_api_encode_reply (const Caseflow__V1__Reply *reply, size_t *size_p);

//  Lower-case names of status codes ("invalid_argument") and back.
const char *
cf_api_code_name (Caseflow__V1__Status__Code code);

//  strdup that aborts on no memory; for filling protobuf-c strings.
char *
cf_strdup (const char *text);

//  A fresh copy of `message` (borrowed), packed and unpacked again with
//  protobuf-c's default allocator, for a reply that hands back what was
//  decided: free it with protobuf_c_message_free_unpacked, or with the
//  reply that holds it. Aborts when out of memory.
void *
cf_api_copy_message (const ProtobufCMessage *message);

//  ------------------------------------------------------------ the client

typedef struct _cf_api_client_t cf_api_client_t;

//  A blocking client of one service's api endpoint (Lazy Pirate: a request
//  with no reply within `timeout_ms` is resent with the same request id, up
//  to `retries` more times; the DEALER is reopened before each resend and
//  replies to other ids are ignored). For tools and tests, not for the
//  service loop. Returns NULL (logged) if the endpoint is malformed.
cf_api_client_t *
cf_api_client_new (const char *endpoint, int timeout_ms, int retries);

//  The same, and with `keys` (borrowed; must outlive the client) a CURVE
//  client of server `server`, whose public certificate is
//  public/<server>.cert in the key set (cf_keys.h). A server that does not
//  admit the key never answers (the handshake fails): calls time out.
//  Returns NULL (logged) also when that certificate cannot be read. NULL
//  keys: plaintext, as cf_api_client_new.
cf_api_client_t *
cf_api_client_new_secure (const char *endpoint, int timeout_ms, int retries, cf_keys_t *keys,
                          const char *server);

//  Closes and frees, safe on NULL; nulls *self_p.
void
cf_api_client_destroy (cf_api_client_t **self_p);

//  Sends `request` (its request_id must be set; a fresh ULID is filled in
//  when empty) and waits for the matching reply. Returns the reply (free
//  with caseflow__v1__reply__free_unpacked (reply, NULL)), or NULL with
//  *rc_p = CF_ETIMEOUT when every try timed out, CF_EPROTO when a reply
//  could not be decoded (returned at once, no retry), CF_EIO when the
//  socket could not be reopened. `rc_p` may be NULL. The request is
//  borrowed and left as it was: a fresh ULID is used for the encoding only
//  (all tries of this call share it) and is the reply's request_id; to
//  retry across calls, set the id yourself.
Caseflow__V1__Reply *
cf_api_client_call (cf_api_client_t *self, Caseflow__V1__Request *request, int *rc_p);

//  Sends raw bytes as one frame and waits `timeout_ms` for any one-frame
//  answer, without retries (for tests that send malformed input). Returns
//  the answer's bytes (free with free) and *size_p, or NULL on timeout.
void *
cf_api_client_call_raw (cf_api_client_t *self, const void *data, size_t size, size_t *size_p);

#endif
