//  cf_frames: one ZeroMQ message received frame by frame into libzmq's own
//  message structs, for the sockets a service reads thousands of times a
//  second (its api, the upstream events and replay replies).
//
//  czmq's zmsg_recv allocates a message, a list and, per frame, a frame
//  object and a list node, and asks the socket for ZMQ_RCVMORE after each
//  frame; here a frame's bytes stay where libzmq put them and nothing is
//  allocated. The frames are read in place until cf_frames_close.
#ifndef CF_FRAMES_H
#define CF_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <zmq.h>

//  Frames kept of one message; the rest of a longer one are received and
//  dropped (every caseflow message has at most three).
#define CF_FRAMES_MAX 4

typedef struct {
    zmq_msg_t frames [CF_FRAMES_MAX];
    size_t count;  //  frames kept (at most CF_FRAMES_MAX)
    size_t total;  //  frames the message had
} cf_frames_t;

//  Receives the next whole message on `socket` (a libzmq socket handle)
//  without waiting. Returns true with the message in `self` (close it with
//  cf_frames_close), or false when none is waiting (or the socket failed;
//  zmq_errno says which) and there is nothing to close.
bool
cf_frames_recv (cf_frames_t *self, void *socket);

//  Releases the frames of a received message.
void
cf_frames_close (cf_frames_t *self);

//  Frame `index` (< count): its bytes (borrowed until cf_frames_close) and
//  size.
static inline const void *
cf_frames_data (cf_frames_t *self, size_t index)
{
    return zmq_msg_data (&self->frames [index]);
}

static inline size_t
cf_frames_size (const cf_frames_t *self, size_t index)
{
    return zmq_msg_size ((zmq_msg_t *) &self->frames [index]);
}

#endif
