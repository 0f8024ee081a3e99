//  cf_service_keystore: the runtime's watch over a key store that a
//  compaction left closed.
//
//  After an erasure the key store is rewritten into a fresh file that
//  replaces the old one, and opened again on it (cf_keystore_compact).
//  When that open fails the store is closed, never half-open: every key
//  read and write fails with CF_ESTORE (a registration is refused, a
//  personal field reads "unreadable") until it opens. Rather than serve on
//  like that, the service reports not ready with the store's own reason
//  (cf_keystore_unusable, naming the directory and the error) in the log
//  and on /readyz, tries to open it again every S_RETRY, and is ready
//  again once it opens.
#include "cf_service_private.h"

#include "cf_http.h"
#include "cf_keystore.h"
#include "cf_log.h"
#include "cf_time.h"

#define S_RETRY (5 * 1000000)  //  microseconds between tries to open it again

void
cf_service_watch_keystore (cf_service_t *self)
{
    if (!self->keystore)
        return;
    const char *why = cf_keystore_unusable (self->keystore);
    int64_t now = cf_time_monotonic ();
    if (why && self->keystore_down && now - self->keystore_tried >= S_RETRY) {
        self->keystore_tried = now;
        cf_keystore_compact (self->keystore);
        why = cf_keystore_unusable (self->keystore);
    }
    if (why) {
        //  The store's reason goes before any other (it is the one to fix
        //  first); that one comes back once the store is open.
        if (!self->keystore_down) {
            self->keystore_down = true;
            self->keystore_tried = now;
            self->unready_before_keystore = self->unready_reason;
            cf_log_error ("not ready: %s", why);
        }
        //  Set again each time: a service's own hooks may have cleared it.
        self->unready_reason = why;
        cf_http_set_unready_reason (self->http, why);
    } else if (self->keystore_down) {
        self->keystore_down = false;
        cf_log_info ("the key store is open again");
        self->unready_reason = self->unready_before_keystore;
        cf_http_set_unready_reason (self->http, self->unready_reason);
    }
}
