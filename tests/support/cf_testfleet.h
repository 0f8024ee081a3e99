//  cf_testfleet: the four caseflow services on loopback, wired to each
//  other as in production, and caseflowctl pointed at them; with
//  cf_testfleet_console, the console too (caseflowctl's report and case
//  show ask it).
//
//  All four service binaries take part: a fleet whose binary is missing
//  fails the test (a build that lacks a service is broken, not a reason to
//  test less). Each runs on fresh loopback ports with its own data
//  directory and log (cf_testproc) under one temporary directory, with the
//  flags the test gives every service plus the endpoints of its upstreams.
//  caseflowctl runs as a child process with every api endpoint; its
//  standard output is kept in `out`. With cf_testfleet_relay, every
//  connection between them goes through a recording relay (cf_testrelay):
//  a capture of all their traffic on the wire.
#ifndef CF_TESTFLEET_H
#define CF_TESTFLEET_H

#include "cf_testproc.h"
#include "cf_testrelay.h"

#include <stdbool.h>
#include <stddef.h>

//  The order the fleet starts them in: upstreams first, but for the two
//  that follow a stream started after them (handover follows intake's
//  ResidentErased; intake follows assignment), which turn ready only once
//  those run.
typedef enum {
    CF_FLEET_HANDOVER,
    CF_FLEET_INTAKE,
    CF_FLEET_ASSIGNMENT,
    CF_FLEET_NOTIFICATION,
    CF_FLEET_COUNT
} cf_fleet_service_t;

#define CF_FLEET_MAX_FLAGS 6

typedef struct {
    char *dir;                             //  the temporary directory of it all
    cf_testproc_t procs [CF_FLEET_COUNT];  //  data in dir/<service>, log in dir/<service>.log
    const char *timeout;                   //  caseflowctl's --timeout (default "3000")
    const char *stdin_path;                //  caseflowctl's standard input (NULL: none)
    const char *stderr_path;               //  its standard error, appended (NULL: ours)
    char out [1 << 20];                    //  caseflowctl's stdout, NUL-terminated
    //  In front of each service's api [0] and events [1] socket after
    //  cf_testfleet_relay (NULL before).
    cf_testrelay_t *relays [CF_FLEET_COUNT][2];
    //  Private: the flags of each service and caseflowctl's endpoints.
    size_t flag_count;
    char wiring [CF_FLEET_COUNT][6][160];
    const char *argv [CF_FLEET_COUNT][CF_FLEET_MAX_FLAGS + 7];
    char endpoints [CF_FLEET_COUNT][160];
    //  The console (cf_testfleet_console): data in dir/console.
    bool with_console;
    cf_testproc_t console;
    char console_wiring [2 * CF_FLEET_COUNT][160];
    const char *console_argv [CF_FLEET_MAX_FLAGS + 2 * CF_FLEET_COUNT + 1];
    char console_endpoint [160];
} cf_testfleet_t;

//  The service's name ("intake").
const char *
cf_testfleet_name (cf_fleet_service_t service);

//  Prepares (does not start) the four services under a fresh temporary
//  directory named after `label`, each to run with `flags` (NULL-terminated,
//  at most CF_FLEET_MAX_FLAGS, borrowed: they must outlive the fleet); a
//  cmocka failure naming the binary when one is not built. Returns a fleet
//  to destroy with cf_testfleet_destroy.
cf_testfleet_t *
cf_testfleet_new (const char *label, const char *const *flags);

//  Puts a recording relay in front of every service's api and events
//  socket (fleet->relays) and wires the services and caseflowctl through
//  them from the next start (or caseflowctl run) on. A service that moves
//  to fresh ports at a first start takes its relays along. Call it before
//  a start; the relays go with the fleet.
void
cf_testfleet_relay (cf_testfleet_t *self);

//  Adds caseflow-console to the fleet (a cmocka failure when it is not
//  built): it runs with the fleet's flags, follows the four (no gateway),
//  starts after them and stops before them, and caseflowctl asks it
//  (--console). A `clock set` or `clock advance` the test sends without
//  --only moves its clock too, as deploy/demo does: the console's clock
//  moves with `--only console` (docs/console.md). Call it before the first
//  start.
void
cf_testfleet_console (cf_testfleet_t *self);

//  Starts every service, upstreams first, and waits until each is
//  ready (a cmocka failure, naming the service and printing its log, if
//  one is not). `first`: see cf_testclient_start.
void
cf_testfleet_start (cf_testfleet_t *self, bool first);

//  SIGTERM to every running service, downstream first; asserts that each
//  exits 0.
void
cf_testfleet_stop (cf_testfleet_t *self);

//  Kills what still runs, removes the directory (kept, and named on
//  stderr, when CF_TEST_KEEP is set) and frees the fleet. Safe on NULL.
void
cf_testfleet_destroy (cf_testfleet_t **self_p);

//  Runs caseflowctl with --timeout, every service's api endpoint and
//  `args` (NULL-terminated); returns its exit status, stdout in self->out.
int
cf_testfleet_ctl (cf_testfleet_t *self, ...);

//  The same with the arguments in an array (NULL-terminated).
int
cf_testfleet_ctlv (cf_testfleet_t *self, const char *const *args);

//  caseflowctl ARGS… must exit 0; otherwise the test fails naming the
//  command, its exit status and its output (and shows its standard error
//  when that went to a file).
#define CF_FLEET_DO(fleet, ...) \
    cf_testfleet_must ((fleet), #__VA_ARGS__, cf_testfleet_ctl ((fleet), __VA_ARGS__, NULL))

//  CF_FLEET_DO, then every service has applied what its upstreams
//  committed (`caseflowctl status --settle`).
#define CF_FLEET_DO_SETTLED(fleet, ...)                                             \
    do {                                                                            \
        CF_FLEET_DO ((fleet), __VA_ARGS__);                                         \
        cf_testfleet_must ((fleet), "status --settle",                              \
                           cf_testfleet_ctl ((fleet), "status", "--settle", NULL)); \
    } while (0)

//  Fails the test unless `status` (the exit status of caseflowctl
//  `command`) is 0. For CF_FLEET_DO.
void
cf_testfleet_must (cf_testfleet_t *self, const char *command, int status);

//  Fails the test, showing the output, unless the last caseflowctl output
//  holds `text`.
void
cf_testfleet_expect (const cf_testfleet_t *self, const char *text);

#endif
