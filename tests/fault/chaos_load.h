//  chaos_load: the load generator of the chaos run and its record of what
//  the services acknowledged (the model the final check compares with).
//
//  The generator drives every service: registrations, triage and
//  re-triage, callbacks answering the reminders that fell due, closures
//  (intake); the roster and worker changes, absences, leaving, starting and
//  completing cases (assignment); provider handovers through their whole
//  lifecycle (handover); acknowledging reminders (notification); and the
//  manual clock of all five. Each entity (case, worker, handover) has at
//  most one command in flight, so its acknowledged commands happened in the
//  order they were acknowledged; many entities are in flight at once.
//
//  Only an OK reply updates the model: a refusal (a case assigned while its
//  callback was on its way, say) changed nothing, by the protocol.
#ifndef CHAOS_LOAD_H
#define CHAOS_LOAD_H

#include "cf_api.h"
#include "chaos.h"

//  A case the generator registered.
typedef struct {
    char id [16];    //  "C000123"; empty until the registration is answered
    char name [64];  //  the resident's name: unique, so no registration joins
    int channel;
    bool registered;      //  the registration was acknowledged
    bool busy;            //  a command about it is in flight
    int urgency;          //  last acknowledged urgency (0: never triaged)
    char reason [64];     //  last acknowledged triage reason
    int status;           //  the status the last reply showed (a hint)
    int callbacks;        //  acknowledged callbacks
    uint64_t notes_hash;  //  their notes, in order (chaos_notes_hash)
    int closure;          //  expected closure (intake Closure), 0 while open
    bool started;         //  Start acknowledged
    bool ever_waiting;    //  a reply showed it waiting: callback/<id>/1 must exist
    bool erased;          //  the resident's erasure was acknowledged
} chaos_case_t;

typedef struct {
    char id [16];  //  "w001"
    bool added;    //  AddWorker acknowledged
    bool busy;
    uint32_t fte_milli;
    uint32_t max_caseload;  //  0: the limit per FTE
    bool absent;
    int64_t absent_until;  //  0: no end date
    bool left;
} chaos_worker_t;

typedef struct {
    char id [16];  //  "H000001"; empty until announced
    char name [64];
    bool busy;
    int state;      //  expected HandoverState (0: not announced)
    int next_step;  //  decided next step
    bool files;     //  files recorded (waived)
} chaos_handover_t;

//  An acknowledged command's last event: seq `seq` of `service`'s stream.
typedef struct {
    uint64_t seq;
    int service;
    char request_id [32];
} chaos_receipt_t;

//  Everything acknowledged, and the counts of the run.
typedef struct {
    chaos_case_t *cases;
    size_t case_count, case_cap;
    zhashx_t *case_index;  //  case id -> index + 1
    chaos_worker_t *workers;
    size_t worker_count, worker_cap;
    chaos_handover_t *handovers;
    size_t handover_count, handover_cap;
    zhashx_t *urgent_alerts;    //  reminder ids that fell due at once (urgent triage)
    zhashx_t *acknowledged;     //  reminder ids that must be acknowledged
    chaos_receipt_t *receipts;  //  every acknowledged command that produced events
    size_t receipt_count, receipt_cap;
    zhashx_t *intake_status;      //  case id -> status + 1 of every intake case at the end
                                  //  (chaos_check_state fills it for chaos_check_streams)
    zhashx_t *inbound_cases;      //  case ids the publishers' referrals made, and
    zhashx_t *inbound_handovers;  //  handover ids their announcements made
                                  //  (chaos_inbound_check fills both for chaos_check_state)
    int locations;                //  L1..Ln
    int64_t clock;                //  the manual clock's reading on every service
    size_t sent;                  //  load commands sent (each answered in the end)
    size_t sent_all;              //  every command: load, setup and clock moves
    size_t acked;                 //  answered OK (every command)
    size_t refused;               //  answered with a refusal
    size_t refused_by_code [9];
    size_t acked_by_service [CHAOS_SERVICES];
    size_t clock_moves;
    uint64_t resends;  //  requests sent again (no answer in time, or UNAVAILABLE)
    uint64_t echoes;   //  requests sent twice on purpose
} chaos_model_t;

//  FNV-1a of `note` chained onto `hash` (0 to start): the fingerprint of a
//  case's callback notes in order.
uint64_t
chaos_notes_hash (uint64_t hash, const char *note);

typedef struct _chaos_load_t chaos_load_t;

//  A generator for `procs`, following `notification` and `assignment`
//  (borrowed) for the reminders and assignments it acts on; records what
//  went wrong in `faults`; the manual clock starts at `clock_start`.
//  Writes every answered command to `record_path`.
chaos_load_t *
chaos_load_new (const chaos_options_t *options, chaos_procs_t *procs,
                chaos_follower_t *notification, chaos_follower_t *assignment,
                chaos_faults_t *faults, int64_t clock_start, const char *record_path);

void
chaos_load_destroy (chaos_load_t **self_p);

//  Locations, workers and providers. Returns 0, or -1 when the services
//  stopped answering.
int
chaos_load_setup (chaos_load_t *self);

//  The load: options->commands commands in rounds, the clock moved on
//  every service between rounds; then waits for every answer and for
//  `kill` to finish its kills. Returns 0, or -1 when the services stopped
//  answering or a fault ended the run.
int
chaos_load_run (chaos_load_t *self, chaos_kill_t *kill);

//  Commands answered so far (the kill driver's measure of progress).
atomic_size_t *
chaos_load_progress (chaos_load_t *self);

//  The record of what was acknowledged. Borrowed.
chaos_model_t *
chaos_load_model (chaos_load_t *self);

//  ---------------------------------------------------------- the checks

//  Waits until every service is ready, every subscriber caught up with its
//  upstreams and both followers with their streams; then, with
//  `journals`, checks each journal's size against the cursors and each
//  clock against `clock` (only once nothing moves any stream: not while
//  the gateway still delivers webhooks and journals its cursors, which
//  intake and handover consume). Returns 0, or -1 when they did not
//  settle.
int
chaos_check_settle (chaos_procs_t *procs, chaos_follower_t *notification,
                    chaos_follower_t *assignment, int64_t clock, bool journals,
                    chaos_faults_t *faults);

//  Checks the services' state against the model (queries). Returns the
//  number of entities checked.
size_t
chaos_check_state (chaos_procs_t *procs, chaos_model_t *model, chaos_faults_t *faults);

//  Reads the five streams from seq 1 and checks them: no decision applied
//  twice, each case assigned once per decision, each reminder due once and
//  delivered once to the follower, every reminder due by the clock fired.
//  Returns the number of events checked.
size_t
chaos_check_streams (chaos_procs_t *procs, chaos_model_t *model, chaos_follower_t *notification,
                     chaos_follower_t *assignment, chaos_faults_t *faults);

//  Checks what the publishers' events answered 202 became downstream
//  (chaos_inbound.c): each referral one case, each announcement one
//  handover, each decision one outcome, none applied twice, and what
//  `GET /events/{source}/{id}` says of each; fills the model's
//  inbound_cases and inbound_handovers and the inbound figures of
//  `figures`. Prints a summary line.
void
chaos_inbound_check (chaos_ingress_t *ingress, chaos_procs_t *procs, chaos_model_t *model,
                     chaos_faults_t *faults, chaos_gateway_figures_t *figures);

//  A blocking client call for the checks: sends `request` (a fresh id) to
//  `endpoint` and returns an OK reply (free with
//  caseflow__v1__reply__free_unpacked), or NULL with *code_p set (-1: no
//  answer).
Caseflow__V1__Reply *
chaos_check_call (cf_api_client_t *client, Caseflow__V1__Request *request, int *code_p);

#endif
