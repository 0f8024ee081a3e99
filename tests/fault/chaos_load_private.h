//  chaos_load_private: what the generator's two halves share: the loop and
//  the model updates (chaos_load.c), and the commands it sends
//  (chaos_ops.c).
#ifndef CHAOS_LOAD_PRIVATE_H
#define CHAOS_LOAD_PRIVATE_H

#include "chaos_load.h"

#include <stdio.h>

//  What a command is, for the model update and the record.
typedef enum {
    CHAOS_OP_LOCATION,
    CHAOS_OP_PROVIDER,
    CHAOS_OP_WORKER_ADD,
    CHAOS_OP_REGISTER,
    CHAOS_OP_TRIAGE,
    CHAOS_OP_CALLBACK,
    CHAOS_OP_CLOSE,
    CHAOS_OP_START,
    CHAOS_OP_COMPLETE,
    CHAOS_OP_WORKER_CHANGE,
    CHAOS_OP_WORKER_ABSENT,
    CHAOS_OP_WORKER_RETURN,
    CHAOS_OP_WORKER_LEAVE,
    CHAOS_OP_HANDOVER,
    CHAOS_OP_ACKNOWLEDGE,
    CHAOS_OP_CLOCK,
    CHAOS_OP_ERASE,
    CHAOS_OP_KINDS
} chaos_op_kind_t;

//  Steps of a handover (chaos_op_t.step).
enum {
    CHAOS_HO_ANNOUNCE = 1,
    CHAOS_HO_PLAN,
    CHAOS_HO_HELD,
    CHAOS_HO_DECIDE,
    CHAOS_HO_FILES,
    CHAOS_HO_COMPLETE,
    CHAOS_HO_CANCEL
};

//  One command in flight: the tag the client hands back with its reply.
typedef struct {
    uint64_t number;
    chaos_op_kind_t kind;
    int service;
    size_t index;  //  the case, worker or handover (model index)
    char request_id [32];
    int urgency;     //  triage / register
    int step;        //  handover step, callback outcome, closure
    int next_step;   //  a handover's decided next step
    char text [64];  //  reason, note
    char reminder_id [80];
    uint32_t fte_milli, max_caseload;
    int64_t until;
    bool load;  //  counts towards the load (not setup, not clock)
} chaos_op_t;

//  A FIFO of work the followers found (cases assigned, reminders due).
typedef struct {
    size_t index;
    char reminder_id [80];
    int64_t due_at;
} chaos_task_t;

typedef struct {
    chaos_task_t *items;
    size_t head, count, cap;
} chaos_queue_t;

void
chaos_queue_push (chaos_queue_t *queue, const chaos_task_t *task);
bool
chaos_queue_pop (chaos_queue_t *queue, chaos_task_t *task);

struct _chaos_load_t {
    chaos_options_t options;
    chaos_procs_t *procs;
    chaos_client_t *client;
    chaos_follower_t *notification, *assignment;
    size_t notification_pos, assignment_pos;
    chaos_faults_t *faults;
    chaos_model_t model;
    chaos_rng_t rng;
    atomic_size_t progress;
    FILE *record;
    uint64_t numbers;         //  request numbering
    size_t names;             //  resident numbering
    chaos_queue_t triage;     //  cases to triage: new, or a callback found them changed
    chaos_queue_t callbacks;  //  callback reminders that fell due, to answer
    chaos_queue_t starts;     //  cases assignment assigned
    chaos_queue_t completes;  //  cases started
    chaos_queue_t acks;       //  other reminders that fell due, to acknowledge
};

//  A fresh command of `kind` about model entity `index` (marked busy by
//  the caller); the request id is set.
chaos_op_t *
chaos_op_new (chaos_load_t *self, chaos_op_kind_t kind, int service, size_t index);

//  Encodes `command` with the op's request id and sends it to its service.
void
chaos_op_send (chaos_load_t *self, chaos_op_t *op, Caseflow__V1__Command *command);

//  The setup commands (chaos_ops.c): one location, provider or worker.
void
chaos_ops_location (chaos_load_t *self, int number);
void
chaos_ops_provider (chaos_load_t *self, int number);
void
chaos_ops_worker_add (chaos_load_t *self);

//  Tries to send one load command of a kind picked at random. Returns
//  false when the kind had nothing to do or its service's window is full.
bool
chaos_ops_send_one (chaos_load_t *self);

//  Moves every service's clock to `at` (five commands).
void
chaos_ops_clock (chaos_load_t *self, int64_t at);

#endif
