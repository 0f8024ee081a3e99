//  cf_decider: what every decision of every service is handed.
//
//  A decision is a service's answer to a command (decide), to an upstream
//  event (react) or to the clock (a timer falling due). It reads the
//  state, validates, then emits events; it never changes the state itself.
//  What it needs from outside the state is one small value, the decider:
//
//    - `now`: the service clock's reading for this decision;
//    - `reply`: the reply a command fills (NULL when reacting or firing);
//    - the emitter, a function and its context, which stamps an event's
//      envelope (id, stream, seq, occurred_at unless set, correlation and
//      causation), applies it to the state at once (so the next decision in
//      the same step sees it) and journals it. In a service that is
//      cf_service_emit (cf_decider_init_service); in a service's unit tests
//      it is the test harness's collector, which does the same in memory.
//
//  So decide and react code is the same code with and without the runtime,
//  and a test drives it by building a decider around its own emitter.
//
//  The decider remembers the first emit that failed (the store refused
//  writes: CF_ESTOREFULL). Every later cf_decider_emit returns that code at
//  once without emitting, so a decision that emits many events may check
//  `decider->rc` where it must stop and otherwise carry on: nothing more is
//  recorded, and the runtime answers UNAVAILABLE.
//
//  The helpers at the end are the glue every service's runtime hooks
//  share: picking the service's own command or query out of the api's
//  envelope (refusing one meant for another service in one wording).
#ifndef CF_DECIDER_H
#define CF_DECIDER_H

#include "caseflow/v1/api.pb-c.h"
#include "caseflow/v1/event.pb-c.h"
#include "cf_service.h"

#include <stddef.h>
#include <stdint.h>

//  Records one decided event: stamps its envelope, applies it to the state
//  before returning and journals it. The body and the envelope's case_id
//  are the caller's and stay so (strings are copied where kept). Returns
//  0, or a negative CF_E code when the event could not be recorded.
typedef int (cf_decider_emit_fn) (void *ctx, Caseflow__V1__Event *event);

typedef struct {
    int64_t now;                 //  the service clock for this decision (microseconds)
    Caseflow__V1__Reply *reply;  //  the command's reply; NULL when reacting or firing
    cf_decider_emit_fn *emit;
    void *ctx;
    int rc;          //  first emit failure (0: none); nothing is emitted after it
    size_t emitted;  //  events emitted by this decision
    //  Where cf_decider_log's lines go (with `ctx`): NULL logs at once.
    void (*note) (void *ctx, const char *line);
} cf_decider_t;

//  Prepares a decision at `now` that emits through `emit` (with `ctx`) and
//  fills `reply` (may be NULL). Everything is borrowed for the decision.
void
cf_decider_init (cf_decider_t *self, int64_t now, Caseflow__V1__Reply *reply,
                 cf_decider_emit_fn *emit, void *ctx);

//  Prepares a decision of the running `service` at `now`: events go
//  through cf_service_emit. `reply` as cf_decider_init.
void
cf_decider_init_service (cf_decider_t *self, cf_service_t *service, int64_t now,
                         Caseflow__V1__Reply *reply);

//  Emits `event` unless an earlier emit of this decision failed. Returns
//  0, or the first failure (self->rc), which the decision must not ignore:
//  it stops deciding and leaves the reply to the runtime.
int
cf_decider_emit (cf_decider_t *self, Caseflow__V1__Event *event);

//  Logs what the decision did (printf-style, info level, at most 2,047
//  bytes) once its events are stored, and never if they are not: in a
//  running service through cf_service_note; elsewhere (a unit test's
//  harness) at once.
void
cf_decider_log (cf_decider_t *self, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

//  The service's own command inside the api's Command: the message of the
//  oneof field `body` (e.g. CASEFLOW__V1__COMMAND__BODY_INTAKE, a message
//  field), borrowed from `command`. NULL when `command` carries anything
//  else: then `reply` is refused with INVALID_ARGUMENT, field "command",
//  "not a command of the <service> service".
const ProtobufCMessage *
cf_decider_command_body (const Caseflow__V1__Command *command, Caseflow__V1__Command__BodyCase body,
                         const char *service, Caseflow__V1__Reply *reply);

//  The same for a Query: field "query", "not a query of the <service>
//  service".
const ProtobufCMessage *
cf_decider_query_body (const Caseflow__V1__Query *query, Caseflow__V1__Query__BodyCase body,
                       const char *service, Caseflow__V1__Reply *reply);

#endif
