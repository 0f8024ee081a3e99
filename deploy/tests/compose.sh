#!/usr/bin/env bash
# Test: deploy/compose.yaml is a valid Compose file (Debian's docker-compose,
# offline: `config -q`, no engine needed) and wires caseflow as documented:
# the four services from one image, each with its own volume on
# /var/lib/caseflow, its own bind addresses on its default ports, every
# stream's endpoint, SIGTERM and a health check on /healthz; the key holders
# (intake, handover) with a second volume of their own for the key store and
# CASEFLOW_KEY_STORE on it; the intake shards alone with the matching
# secret, a file-based compose secret on no volume. Intake runs as two shards
# (intake and intake-noord, CASEFLOW_STREAM), and every service that follows
# intake follows both (CASEFLOW_FOLLOW); both shards and caseflowctl get the
# same map of districts (CASEFLOW_INTAKE_SHARDS).
# Installs docker-compose when missing (as root); exits 77 (skipped) only when
# it cannot be installed.
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
COMPOSE_FILE="$CF_ROOT/deploy/compose.yaml"

if ! command -v docker-compose >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "installing Debian's docker-compose ..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose; } \
            >/dev/null 2>&1 || true
    fi
    if ! command -v docker-compose >/dev/null 2>&1; then
        echo "SKIP: docker-compose is not installed and could not be installed" \
             "(apt-get install docker-compose, as root)"
        exit 77
    fi
fi

# Validation must not depend on the caller's environment.
for var in $(compgen -e | grep '^CASEFLOW_' || true); do unset "$var"; done

docker-compose -f "$COMPOSE_FILE" config -q
echo "ok: docker-compose config -q"

# The resolved file, checked with the YAML library docker-compose itself uses.
python=$(head -n 1 "$(command -v docker-compose)" | sed -n 's/^#! *//p' | awk '{print $1}')
[ -x "$python" ] || python=python3
docker-compose -f "$COMPOSE_FILE" config | "$python" -c '
import sys, yaml
doc = yaml.safe_load(sys.stdin)
ports = {"intake": 5601, "intake-noord": 5601, "assignment": 5611, "handover": 5621,
         "notification": 5631, "gateway": 5641, "console": 5651}
binary = {name: "intake" if name.startswith("intake") else name for name in ports}
key_holders = {"intake", "intake-noord", "handover", "gateway"}
shards = {"intake", "intake-noord"}
# The streams each service follows: every intake shard where it follows intake.
follows = {"assignment": "intake,intake-noord", "handover": "intake,intake-noord,gateway",
           "notification": "intake,intake-noord,assignment,handover,gateway",
           "gateway": "intake,intake-noord,assignment,handover,notification",
           "console": "intake,intake-noord,assignment,handover,notification,gateway"}
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
def under(path, mount):
    return path == mount or path.startswith(mount.rstrip("/") + "/")
services = doc.get("services", {})
secrets = doc.get("secrets", {})
check(set(services) == set(ports), "services are %s" % sorted(services))
volumes_used = []
for name, events in ports.items():
    s = services.get(name)
    if s is None:
        continue
    env = s.get("environment", {})
    check(s.get("command") == ["caseflow-" + binary[name]], name + ": command caseflow-" + binary[name])
    check(env.get("CASEFLOW_STREAM", binary[name]) == name, name + ": writes the stream " + name)
    check(env.get("CASEFLOW_FOLLOW") == follows.get(name), name + ": CASEFLOW_FOLLOW")
    check(env.get("CASEFLOW_INTAKE_SHARDS") == "intake-noord=Noord", name + ": the map of the shards")
    check(env.get("CASEFLOW_EVENTS_BIND") == "tcp://*:%d" % events, name + ": events bind")
    check(env.get("CASEFLOW_API_BIND") == "tcp://*:%d" % (events + 1), name + ": api bind")
    check(env.get("CASEFLOW_HTTP_BIND") == "0.0.0.0:%d" % (events + 3000), name + ": http bind")
    for other, port in ports.items():
        up = other.upper().replace("-", "_")
        check(env.get("CASEFLOW_%s_EVENTS" % up) == "tcp://%s:%d" % (other, port),
              name + ": CASEFLOW_%s_EVENTS" % up)
        check(env.get("CASEFLOW_%s_API" % up) == "tcp://%s:%d" % (other, port + 1),
              name + ": CASEFLOW_%s_API" % up)
    check(s.get("stop_signal") == "SIGTERM", name + ": stop_signal SIGTERM")
    test = s.get("healthcheck", {}).get("test", [])
    check("/healthz" in test, name + ": health check on /healthz")
    # Mounts as "volume:path:rw"; every one a named volume.
    mounts = [v.split(":") for v in s.get("volumes", [])]
    targets = {m[1]: m[0] for m in mounts if len(m) == 3}
    check(len(targets) == len(mounts), name + ": every mount is volume:path")
    check("/var/lib/caseflow" in targets, name + ": one volume on /var/lib/caseflow")
    keys = targets.get("/var/lib/caseflow-keys")
    if name in key_holders:
        # The key store on a volume of its own, not inside the journal volume.
        check(keys is not None, name + ": a volume on /var/lib/caseflow-keys (key store)")
        check(under(env.get("CASEFLOW_KEY_STORE", ""), "/var/lib/caseflow-keys"),
              name + ": CASEFLOW_KEY_STORE on the key volume")
        check(set(targets) == {"/var/lib/caseflow", "/var/lib/caseflow-keys"},
              name + ": journal and key volumes only")
    else:
        check(keys is None and "CASEFLOW_KEY_STORE" not in env,
              name + ": holds no keys: no key volume")
        check(list(targets) == ["/var/lib/caseflow"], name + ": its journal volume only")
    volumes_used += list(targets.values())
    # The matching secret: intake only, a compose secret read from a host
    # file, on no volume (never on a key or journal volume, never in the image).
    given = [x if isinstance(x, str) else x.get("source") for x in s.get("secrets", [])]
    if name in shards:
        path = env.get("CASEFLOW_MATCH_SECRET", "")
        check(len(given) == 1, name + ": one secret (the matching secret)")
        for src in given:
            check(path == "/run/secrets/" + src, name + ": CASEFLOW_MATCH_SECRET is the secret " + src)
            check("file" in secrets.get(src, {}), name + ": secret %s is file-based" % src)
        check(not any(under(path, t) for t in targets),
              name + ": the matching secret is on no volume")
    else:
        check(not given and "CASEFLOW_MATCH_SECRET" not in env,
              name + ": no matching secret")
check(len(set(volumes_used)) == len(volumes_used) == len(ports) + len(key_holders),
      "a volume of its own for each journal and each key store")
check(set(volumes_used) <= set(doc.get("volumes", {})), "volumes declared")
for e in errors:
    print("FAIL: " + e)
print("%d checks of the resolved file failed" % len(errors) if errors else
      "ok: 7 services (two intake shards), 7 journal and 4 key store volumes, the matching "
      "secret for the intake shards only; streams followed, binds, endpoints, SIGTERM and "
      "health checks as documented")
sys.exit(1 if errors else 0)
'
