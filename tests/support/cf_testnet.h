//  cf_testnet: hosts for a test, each its own network namespace.
//
//  A test that needs services on separate machines (a partition between
//  them, delay and loss on a link) gets them as Linux network namespaces:
//  one "switch" namespace holding a bridge, and one namespace per host,
//  joined to the bridge by a veth pair (eth0 in the host, a port named
//  after the host on the switch), each host with its own address on
//  10.77.0.0/24 and its loopback up. Nothing is added to the machine's own
//  interfaces or addresses: the whole network lives in the namespaces,
//  made here and removed by cf_testnet_destroy.
//
//  The namespaces are named cfpt<pid>-<host> after the process that made
//  them, so cf_testnet_sweep can remove those of a test that died before
//  it cleaned up (a crash, a timeout's SIGKILL) without touching those of
//  a test still running.
//
//  Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and iproute2's `ip`;
//  delay and loss (cf_testnet_netem) also `tc` and the kernel's sch_netem,
//  which not every kernel has (the caller then says so and uses another
//  way, such as a delaying relay: cf_testrelay_impair).
#ifndef CF_TESTNET_H
#define CF_TESTNET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct _cf_testnet_t cf_testnet_t;

//  Makes the switch and one host per name in `hosts` (NULL-terminated, at
//  most 16, each at most 12 characters of [a-z0-9]), host i at address
//  10.77.0.(i + 2). Returns NULL when namespaces cannot be made here (not
//  root, no `ip`, a container without CAP_NET_ADMIN), with the reason in
//  `why` (a test skips then); whatever was made is removed again.
cf_testnet_t *
cf_testnet_new (const char *const *hosts, char *why, size_t why_size);

//  Removes every namespace it made (processes still inside keep theirs
//  until they exit, unreachable) and frees; nulls *self_p. Safe on NULL.
void
cf_testnet_destroy (cf_testnet_t **self_p);

//  Removes the namespaces of tests that are gone (cfpt<pid>-* whose pid
//  no longer runs), and with `pid` > 0 those of that process too.
void
cf_testnet_sweep (int pid);

//  The namespace's name ("cfpt123-intake", for `ip netns exec`) and the
//  host's address ("10.77.0.3") of the host `host`. Borrowed; asserted to
//  exist.
const char *
cf_testnet_netns (cf_testnet_t *self, const char *host);
const char *
cf_testnet_address (cf_testnet_t *self, const char *host);

//  Moves the calling thread into the host's namespace (threads it starts
//  afterwards are born there, and so are the sockets it makes). Returns 0
//  or -1 (errno set).
int
cf_testnet_enter (cf_testnet_t *self, const char *host);

//  Runs `fn (ctx)` in a thread of its own inside the host's namespace and
//  waits for it; what it makes there (sockets, threads) stays there.
//  Returns 0, or -1 when the namespace could not be entered (fn not run).
int
cf_testnet_run_in (cf_testnet_t *self, const char *host, void (*fn) (void *ctx), void *ctx);

//  Cuts the host's link (its port on the switch goes down: no carrier, so
//  every packet to or from the host is lost, while the host's own
//  address still works inside it), and heals it. Return 0 or -1.
int
cf_testnet_cut (cf_testnet_t *self, const char *host);
int
cf_testnet_heal (cf_testnet_t *self, const char *host);

//  Delay and loss on the host's eth0 with tc netem (both ways: on the
//  host's side and on its switch port), or none again with delay_ms 0 and
//  loss_percent 0. Returns 0, or -1 with tc's answer in `why` (on a kernel
//  without sch_netem: "Specified qdisc kind is unknown").
int
cf_testnet_netem (cf_testnet_t *self, const char *host, int delay_ms, int loss_percent, char *why,
                  size_t why_size);

//  GET http://`address`:`port``path` from inside the host's namespace (a
//  thread that enters it for the call: the probe runs on the host, as a
//  kubelet's does, so it answers also while the host is cut off). Returns
//  the HTTP status (0 when it could not connect) and, if body_p is not
//  NULL, the body (free with free).
int
cf_testnet_http_get (cf_testnet_t *self, const char *host, int port, const char *path,
                     char **body_p);

#endif
