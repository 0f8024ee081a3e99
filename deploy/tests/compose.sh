#!/usr/bin/env bash
# Test: deploy/compose.yaml is a valid Compose file (Debian's docker-compose,
# offline: `config -q`, no engine needed) and wires caseflow as documented:
# the four services from one image, each with its own volume on
# /var/lib/caseflow, its own bind addresses on its default ports, every
# stream's endpoint, SIGTERM and a health check on /healthz.
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
ports = {"intake": 5601, "assignment": 5611, "handover": 5621, "notification": 5631}
errors = []
def check(ok, what):
    if not ok:
        errors.append(what)
services = doc.get("services", {})
check(set(services) == set(ports), "services are %s" % sorted(services))
volumes_used = []
for name, events in ports.items():
    s = services.get(name)
    if s is None:
        continue
    env = s.get("environment", {})
    check(s.get("command") == ["caseflow-" + name], name + ": command caseflow-" + name)
    check(env.get("CASEFLOW_EVENTS_BIND") == "tcp://*:%d" % events, name + ": events bind")
    check(env.get("CASEFLOW_API_BIND") == "tcp://*:%d" % (events + 1), name + ": api bind")
    check(env.get("CASEFLOW_HTTP_BIND") == "0.0.0.0:%d" % (events + 3000), name + ": http bind")
    for other, port in ports.items():
        up = other.upper()
        check(env.get("CASEFLOW_%s_EVENTS" % up) == "tcp://%s:%d" % (other, port),
              name + ": CASEFLOW_%s_EVENTS" % up)
        check(env.get("CASEFLOW_%s_API" % up) == "tcp://%s:%d" % (other, port + 1),
              name + ": CASEFLOW_%s_API" % up)
    check(s.get("stop_signal") == "SIGTERM", name + ": stop_signal SIGTERM")
    test = s.get("healthcheck", {}).get("test", [])
    check("/healthz" in test, name + ": health check on /healthz")
    mounts = [v for v in s.get("volumes", []) if v.endswith(":/var/lib/caseflow:rw")]
    check(len(mounts) == 1, name + ": one volume on /var/lib/caseflow")
    volumes_used += [m.split(":")[0] for m in mounts]
check(len(set(volumes_used)) == len(volumes_used) == 4, "a volume of its own for each service")
check(set(volumes_used) <= set(doc.get("volumes", {})), "volumes declared")
for e in errors:
    print("FAIL: " + e)
print("%d checks of the resolved file failed" % len(errors) if errors else
      "ok: 4 services, 4 volumes, binds, endpoints, SIGTERM and health checks as documented")
sys.exit(1 if errors else 0)
'
