//  cf_service_clock: a service's clock as its store remembers it, and the
//  runtime's clock commands.
//
//  The store's meta keeps the kind of clock it was written under
//  ("clock-kind": "system" or "manual") and the manual clock's reading
//  ("clock", microseconds as decimal text), stored with every move. At
//  start (docs/architecture.md, "Time"):
//
//    - the manual clock reads the stored reading; --clock-start gives the
//      first reading of a store that has none, and moves a stored one
//      forward, never back (with --clock-force it is taken as given);
//    - a store with neither a reading nor own events and no --clock-start
//      gets a provisional clock: it reads the wall clock of the start
//      until the first `clock set`, which may go to any time, or the first
//      event, which keeps that reading (cf_clock_new_provisional);
//    - a store with own events but no reading (written before readings
//      were stored) starts at its last own event;
//    - refused, unless --clock-force: a store that holds events and was
//      written under the other kind of clock, and a clock that would read
//      earlier than the store's last own event (the time its service
//      stamped last). With --clock-force the service starts anyway and
//      records the kind it now runs under.
//
//  Nothing here knows the runtime: it reads and writes the store through
//  cf_journal before the store's writer starts.
#ifndef CF_SERVICE_CLOCK_H
#define CF_SERVICE_CLOCK_H

#include "caseflow/v1/api.pb-c.h"
#include "cf_journal.h"
#include "cf_time.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

//  The meta key of the manual clock's reading.
#define CF_SERVICE_CLOCK_READING "clock"
//  The meta key of the kind of clock a store is written under.
#define CF_SERVICE_CLOCK_KIND "clock-kind"

//  What the configuration says about the clock.
typedef struct {
    bool manual;     //  --clock=manual
    bool has_start;  //  --clock-start given
    int64_t start;   //  its time
    bool force;      //  --clock-force
} cf_service_clock_config_t;

//  Makes the clock service `service` starts with on `journal`, whose
//  writer must not run yet, and records the kind of clock (and the manual
//  clock's first reading) in the store's meta. Returns 0 and sets
//  *clock_p (free with cf_clock_destroy); CF_EMISMATCH after printing to
//  `err` one line saying why the store was refused, naming the flags that
//  decide; or the store's error (logged).
int
cf_service_clock_open (cf_journal_t *journal, const char *service,
                       const cf_service_clock_config_t *config, FILE *err, cf_clock_t **clock_p);

//  Writes `reading` as the meta value of CF_SERVICE_CLOCK_READING into
//  `text` (at least 24 bytes); returns its length.
size_t
cf_service_clock_text (int64_t reading, char *text, size_t size);

//  Moves `clock` as the clock_set or clock_advance `command` says. Returns
//  true when it moved; otherwise sets `reply`'s status: FAILED_PRECONDITION
//  on the system clock, INVALID_ARGUMENT naming the field for a move
//  backwards or by nothing.
bool
cf_service_clock_command (cf_clock_t *clock, const Caseflow__V1__Command *command,
                          Caseflow__V1__Reply *reply);

//  A fresh ClockState of `clock`, freed with the reply that holds it.
Caseflow__V1__ClockState *
cf_service_clock_state (cf_clock_t *clock);

#endif
