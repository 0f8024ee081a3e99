//  cf_frames: one ZeroMQ message received into libzmq's own message
//  structs (see cf_frames.h).
#include "cf_frames.h"

#include <assert.h>

bool
cf_frames_recv (cf_frames_t *self, void *socket)
{
    assert (self);
    assert (socket);
    self->count = 0;
    self->total = 0;
    while (true) {
        //  Frames past the ones kept are received into a scratch message
        //  and dropped, so the next receive starts at a message boundary.
        zmq_msg_t scratch;
        zmq_msg_t *frame = self->count < CF_FRAMES_MAX ? &self->frames [self->count] : &scratch;
        zmq_msg_init (frame);
        //  A message arrives whole: only its first frame can find nothing
        //  waiting.
        if (zmq_msg_recv (frame, socket, ZMQ_DONTWAIT) == -1) {
            zmq_msg_close (frame);
            if (self->total == 0)
                return false;
            break;
        }
        self->total++;
        bool more = zmq_msg_more (frame);
        if (frame == &scratch)
            zmq_msg_close (frame);
        else
            self->count++;
        if (!more)
            break;
    }
    return true;
}

void
cf_frames_close (cf_frames_t *self)
{
    assert (self);
    for (size_t i = 0; i < self->count; i++)
        zmq_msg_close (&self->frames [i]);
    self->count = 0;
    self->total = 0;
}
