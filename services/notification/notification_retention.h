//  notification_retention: the residents whose data retention erases, as
//  notification follows them on intake's stream, and when each one's
//  retention period is over (docs/privacy.md, "Retention").
//
//  Per subject (intake's random resident id): the domains of all their
//  cases (CaseRegistered, QuestionAdded), how many cases they have and how
//  many are open, when the last one closed (CaseClosed), whether they are
//  held (ResidentHeld, ResidentReleased) or erased (ResidentErased), and
//  how many RetentionDue fired for them (notification's own). A subject is
//  due at last closure + the longest period of their domains (cf_retention,
//  in calendar years) when every case of theirs is closed, they are
//  neither held nor erased, and no RetentionDue fired since their last
//  closure or release. Each RetentionDue has a stable id,
//  "retention/<subject>/<n>", and fires once: the journal holds it, so a
//  restart neither loses a due subject nor fires one twice. Intake erases
//  the resident when it receives it, unless by then they are held, erased
//  or have an open case again; then the next closure or release counts
//  again.
//
//  The due subjects are a min-heap by (due time, subject id) that is
//  pruned lazily: a subject whose facts change gets a new generation and a
//  new entry when it is due; entries of an old generation leave the heap
//  when they reach its top, which every change tidies. The heap and due
//  times are derived from the facts and the periods in force (the
//  configuration), and are not part of the digest.
//
//  Everything here changes only through notification_state_apply; the
//  module knows nothing of reminders or cases.
#ifndef NOTIFICATION_RETENTION_H
#define NOTIFICATION_RETENTION_H

#include "caseflow/v1/event.pb-c.h"
#include "cf_retention.h"

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Room for a retention id: "retention/" + a subject id + "/" + a number.
#define NOTIFICATION_RETENTION_ID_SIZE 64

typedef struct notification_subject_s {
    char *id;                //  intake's subject id (laid out after the record)
    uint32_t domains;        //  of every case (cf_retention_domain_set bits)
    uint32_t cases, open;    //  cases registered, and of those still open
    int64_t last_closed_at;  //  the latest closure (0: none)
    uint64_t fired;          //  RetentionDue fired for them so far
    bool held, erased;
    bool counted;  //  a RetentionDue fired since the last closure or release
    //  Derived: when due (0: not due), and the heap entry that is current.
    int64_t due_at;
    uint32_t generation;
} notification_subject_t;

typedef struct _notification_retention_t notification_retention_t;

//  A new, empty set of subjects under the periods `rules` (copied). Never
//  NULL.
notification_retention_t *
notification_retention_new (const cf_retention_t *rules);

//  Frees it and every subject; safe on NULL; nulls *self_p.
void
notification_retention_destroy (notification_retention_t **self_p);

//  ---------------------------------------------------- apply's parts

//  A case of subject `id` was registered with `domains` at `at`, open
//  (`open`) or not. Returns the subject (made on first sight), or NULL
//  when `id` is no subject id (an event written before subjects): nothing
//  is kept for it.
notification_subject_t *
notification_retention_registered (notification_retention_t *self, const char *id, uint32_t domains,
                                   bool open);

//  More domains for `subject` (a question joined one of its cases).
void
notification_retention_domains (notification_retention_t *self, notification_subject_t *subject,
                                uint32_t domains);

//  One of `subject`'s open cases closed at `at`.
void
notification_retention_closed (notification_retention_t *self, notification_subject_t *subject,
                               int64_t at);

//  Subject `id` was held (`held`) or released; erased. Unknown ids change
//  nothing.
void
notification_retention_held (notification_retention_t *self, const char *id, bool held);
void
notification_retention_erased (notification_retention_t *self, const char *id);

//  Own RetentionDue `body`: the subject it names is counted. Returns 0, or
//  CF_ESTATE when it does not fit (an unknown subject, not due, or not the
//  id notification_retention_id gives it): decided wrongly.
int
notification_retention_fired (notification_retention_t *self,
                              const Caseflow__V1__Notification__RetentionDue *body);

//  ---------------------------------------------------------- reads

//  The due subject with the earliest due time (ties: smallest id), or
//  NULL.
const notification_subject_t *
notification_retention_next (const notification_retention_t *self);

//  The subject `id`, or NULL.
const notification_subject_t *
notification_retention_subject (const notification_retention_t *self, const char *id);

//  The subject's rule under the periods in force.
cf_retention_span_t
notification_retention_span (const notification_retention_t *self,
                             const notification_subject_t *subject);

//  The id of the subject's next RetentionDue, into `buf`
//  (NOTIFICATION_RETENTION_ID_SIZE). Returns buf.
char *
notification_retention_id (const notification_subject_t *subject, char *buf, size_t size);

//  How many subjects are known.
size_t
notification_retention_count (const notification_retention_t *self);

//  Feeds the subjects' facts in id order into `hash` (nothing when there
//  are none, so a state without subjects hashes as before them).
void
notification_retention_digest (const notification_retention_t *self,
                               crypto_hash_sha256_state *hash);

#endif
