#!/usr/bin/env bash
# Test: caseflow in containers. Builds the image with
# deploy/container/build-image.sh, runs every service the image holds as a
# container with --network=host on free loopback ports, its store on a
# volume of its own, and drives a short scenario through caseflowctl (the
# one in BUILD_DIR/bin, on the host). Then `podman stop` each: SIGTERM to
# PID 1, which must exit 0 within 5 s; each store is verified offline. The
# backups taken of the live stores (mdb_copy) are restored into new volumes
# and must give the same state digests; so must the services started again in
# fresh containers on their own volumes; then the scenario continues.
#
#   deploy/tests/container.sh [BUILD_DIR]     (default: build/test)
#
# Prints the image size and build time. Removes the containers and volumes it
# made; keeps the image (the next build reuses its layers). Exits 77
# (skipped) only when podman cannot run containers on this machine.
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "${1:-$CF_ROOT/build/test}" && pwd)
CTL="$BUILD_DIR/bin/caseflowctl"
WORK="$BUILD_DIR/deploy/container-test"
IMAGE=localhost/caseflow
export CONTAINERS_CONF=${CONTAINERS_CONF:-$CF_ROOT/deploy/container/containers.conf}
# No systemd here to run health-check timers; `podman healthcheck run` is used.
export DISABLE_HC_SYSTEMD=true
PREFIX="caseflow-test-$$"
STOP_LIMIT=5          # seconds from SIGTERM to exit
READY_LIMIT=60        # seconds for a service to become ready
CLOCK_START=2022-03-07T09:00
mkdir -p "$WORK"
rm -f "$WORK"/*.log

trap 'echo "FAIL: line $LINENO: $BASH_COMMAND" >&2' ERR
checks=0
ok() { checks=$((checks + 1)); echo "ok $checks: $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$CTL" ] || die "caseflowctl is not built ($CTL)"

# ------------------------------------------------------------- podman
if ! command -v podman >/dev/null 2>&1 && [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: podman is not installed and installing it needs root"
    exit 77
fi
# build-image.sh installs podman, runc and debootstrap when missing.
started=$SECONDS
if ! "$CF_ROOT/deploy/container/build-image.sh" --quiet --tag "$IMAGE" >"$WORK/build.out" 2>"$WORK/build.log"; then
    if ! podman info >/dev/null 2>&1; then
        echo "SKIP: podman cannot run here:"
        podman info 2>&1 | tail -n 3 || true
        exit 77
    fi
    cat "$WORK/build.log" >&2
    die "the image did not build"
fi
build_seconds=$((SECONDS - started))
tail -n 1 "$WORK/build.out"
size=$(podman image inspect --format '{{.Size}}' "$IMAGE:latest")
echo "image size: $((size / 1000000)) MB ($size bytes); build time: ${build_seconds} s (this run, cache as found)"
if ! out=$(podman run --rm --no-healthcheck --network host "$IMAGE:latest" true 2>&1); then
    echo "SKIP: podman cannot run containers here: $out"
    exit 77
fi

containers=()
volumes=()
cleanup() {
    local status=$?
    set +e
    if [ $status -ne 0 ] && [ $status -ne 77 ]; then
        for name in "${containers[@]}"; do
            echo "--- last log lines of $name" >&2
            podman logs --tail 15 "$name" 2>&1 | sed 's/^/    /' >&2
        done
    fi
    [ ${#containers[@]} -eq 0 ] || podman rm -f "${containers[@]}" >/dev/null 2>&1
    [ ${#volumes[@]} -eq 0 ] || podman volume rm -f "${volumes[@]}" >/dev/null 2>&1
    exit $status
}
trap cleanup EXIT

# ------------------------------------------ what the image holds, and ports
# A service is a caseflow-* binary whose --help has the runtime's
# --events-bind; its upstreams are its --<stream>-events options.
mapfile -t binaries < <(podman run --rm --no-healthcheck --network none --entrypoint /bin/ls \
    "$IMAGE:latest" /usr/local/bin | sed -n 's/^caseflow-\(.*\)$/\1/p' | grep -v '^healthcheck$')
declare -A upstreams can_verify
services=()
streams=()
for svc in "${binaries[@]}"; do
    help=$(podman run --rm --no-healthcheck --network none "$IMAGE:latest" "caseflow-$svc" --help)
    [[ "$help" == *--events-bind* ]] || continue
    services+=("$svc")
    [[ "$help" != *--verify* ]] || can_verify[$svc]=1
    upstreams[$svc]=$(sed -n 's/^  --\([a-z0-9-]*\)-events VALUE$/\1/p' <<<"$help" | tr '\n' ' ')
    read -r -a ups <<<"${upstreams[$svc]}"
    streams+=("$svc" "${ups[@]}")
done
[ ${#services[@]} -gt 0 ] || die "the image holds no caseflow service"
mapfile -t streams < <(printf '%s\n' "${streams[@]}" | sort -u)
echo "services in the image: ${services[*]}"

# Ports in use on this machine (listening TCP sockets, IPv4 and IPv6).
listening() {
    local hex
    awk 'NR > 1 && $4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 \
        2>/dev/null | while read -r hex; do echo $((16#$hex)); done | sort -un
}
# Three ports a stream (events, api, http), below the ephemeral range.
declare -A events_port api_port http_port
for _ in $(seq 1 50); do
    base=$((20000 + (RANDOM % 1000) * 10))
    used=$(listening)
    clash=0
    for ((p = base; p < base + 3 * ${#streams[@]}; p++)); do
        if grep -qx "$p" <<<"$used"; then clash=1; break; fi
    done
    [ $clash = 1 ] || break
done
[ "$clash" = 0 ] || die "found no free block of loopback ports"
i=0
for s in "${streams[@]}"; do
    events_port[$s]=$((base + 3 * i)); api_port[$s]=$((base + 3 * i + 1)); http_port[$s]=$((base + 3 * i + 2))
    i=$((i + 1))
    upper=$(tr 'a-z-' 'A-Z_' <<<"$s")
    # caseflowctl reads the same variables as the services.
    export "CASEFLOW_${upper}_EVENTS=tcp://127.0.0.1:${events_port[$s]}"
    export "CASEFLOW_${upper}_API=tcp://127.0.0.1:${api_port[$s]}"
done
endpoint_env=()
for s in "${streams[@]}"; do
    upper=$(tr 'a-z-' 'A-Z_' <<<"$s")
    endpoint_env+=(-e "CASEFLOW_${upper}_EVENTS" -e "CASEFLOW_${upper}_API")
done
echo "ports from $base (events, api, http per stream: ${streams[*]})"

# ------------------------------------------------------------ services
# Container and volume of a service: $PREFIX-<service>$suffix.
suffix=""
run_service() {
    local svc=$1 name="$PREFIX-$1$suffix"
    # Hardened as in compose.yaml and the StatefulSets: read-only root, no capabilities.
    podman run -d --name "$name" --network host \
        --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges \
        -v "$name:/var/lib/caseflow" \
        -e "CASEFLOW_EVENTS_BIND=tcp://127.0.0.1:${events_port[$svc]}" \
        -e "CASEFLOW_API_BIND=tcp://127.0.0.1:${api_port[$svc]}" \
        -e "CASEFLOW_HTTP_BIND=127.0.0.1:${http_port[$svc]}" \
        -e CASEFLOW_CLOCK=manual -e "CASEFLOW_CLOCK_START=$CLOCK_START" \
        "${endpoint_env[@]}" "$IMAGE:latest" "caseflow-$svc" >/dev/null
}
# Ready when every upstream runs too; otherwise only alive.
wait_up() {
    local svc path=/readyz waited=0 u
    for svc in "${services[@]}"; do
        path=/readyz
        for u in ${upstreams[$svc]}; do
            [[ " ${services[*]} " == *" $u "* ]] || path=/healthz
        done
        while ! curl -fsS -o /dev/null "http://127.0.0.1:${http_port[$svc]}$path" 2>/dev/null; do
            [ "$(podman inspect --format '{{.State.Running}}' "$PREFIX-$svc$suffix")" = true ] \
                || die "$svc exited while starting"
            [ $waited -lt $((READY_LIMIT * 10)) ] || die "$svc not $path after ${READY_LIMIT} s"
            sleep 0.1; waited=$((waited + 1))
        done
        echo "  $svc: ${path#/}"
    done
}
# Digests of every service, once all are caught up and two readings agree.
digests() {
    local previous="" now="" tries=0
    while [ $tries -lt 50 ]; do
        now=$("$CTL" --json digest "${services[@]}")
        [ "$now" = "$previous" ] && { echo "$now"; return 0; }
        previous=$now; tries=$((tries + 1)); sleep 0.3
    done
    die "the digests did not settle: $now"
}

for svc in "${services[@]}"; do
    containers+=("$PREFIX-$svc"); volumes+=("$PREFIX-$svc")
    podman volume create "$PREFIX-$svc" >/dev/null
    run_service "$svc"
done
wait_up
ok "${#services[@]} services started as containers on --network=host, read-only, no capabilities"

for svc in "${services[@]}"; do
    name="$PREFIX-$svc"
    [ "$(podman exec "$name" id -u)" = 10001 ] || die "$svc does not run as the caseflow user"
    [ "$(podman exec "$name" cat /proc/1/cmdline | tr '\0' '\n' | sed -n 1p)" = "caseflow-$svc" ] \
        || die "$svc is not PID 1"
    podman healthcheck run "$name" >/dev/null || die "$svc: the image's health check failed"
    podman exec "$name" test -s /var/lib/caseflow/data.mdb || die "$svc: no store on the volume"
done
podman exec "$PREFIX-${services[0]}" test -f /usr/share/zoneinfo/Europe/Amsterdam \
    || die "the image has no Europe/Amsterdam zone (tzdata)"
ok "each runs as uid 10001, is PID 1, passes the HEALTHCHECK, keeps its store on its volume"

# ------------------------------------------------------------ scenario
has_intake=0
[[ " ${services[*]} " == *" intake "* ]] && has_intake=1
json_field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" | sed -n 1p; }
if [ $has_intake = 1 ]; then
    case1=$("$CTL" --json intake register --name "Container Test One" --channel phone \
        --domain debt,housing --urgency regular --reason "test in containers" | json_field case_id)
    [ -n "$case1" ] || die "intake register gave no case id"
    "$CTL" --json intake show "$case1" | grep -c "\"case_id\": *\"$case1\"" >/dev/null \
        || die "intake show $case1"
    ok "intake register → $case1; intake show finds it"
fi
"$CTL" status >"$WORK/status-before.txt"
before=$(digests)
echo "$before" >"$WORK/digests-before.json"
"$CTL" digest "${services[@]}" | sed 's/^/  /'

# Backups of the live stores, the documented way (docs/operations.md).
for svc in "${services[@]}"; do
    podman exec "$PREFIX-$svc" mdb_copy -c /var/lib/caseflow >"$WORK/backup-$svc.mdb"
    [ -s "$WORK/backup-$svc.mdb" ] || die "$svc: empty backup"
done
ok "backed up each live store: podman exec ... mdb_copy -c /var/lib/caseflow > FILE"

# ---------------------------------------------------- stop: SIGTERM, exit 0
for svc in "${services[@]}"; do
    name="$PREFIX-$svc"
    t0=$(date +%s%N)
    podman stop --time 10 "$name" >/dev/null
    ms=$((($(date +%s%N) - t0) / 1000000))
    code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
    [ "$code" = 0 ] || die "$svc exited $code after SIGTERM"
    [ $ms -lt $((STOP_LIMIT * 1000)) ] || die "$svc took $ms ms to stop"
    podman logs "$name" 2>&1 | grep -c SIGTERM >/dev/null || die "$svc did not log SIGTERM"
    echo "  $svc: stopped by SIGTERM in $ms ms, exit 0"
done
ok "podman stop: every service exited 0 within $STOP_LIMIT s"

for svc in "${services[@]}"; do
    if [ -n "${can_verify[$svc]:-}" ]; then
        podman run --rm --no-healthcheck --network none -v "$PREFIX-$svc:/var/lib/caseflow" \
            "$IMAGE:latest" "caseflow-$svc" --verify >"$WORK/verify-$svc.log" 2>&1 \
            || { cat "$WORK/verify-$svc.log" >&2; die "$svc: store damaged after the stop"; }
        echo "  $svc: store verified"
    fi
done

# ------------------------- restore: the backups on new volumes, same state
suffix=-restored
for svc in "${services[@]}"; do
    volumes+=("$PREFIX-$svc$suffix")
    podman volume create "$PREFIX-$svc$suffix" >/dev/null
    podman run --rm -i --no-healthcheck --network none -v "$PREFIX-$svc$suffix:/var/lib/caseflow" \
        --entrypoint /bin/sh "$IMAGE:latest" -c 'cat >/var/lib/caseflow/data.mdb' \
        <"$WORK/backup-$svc.mdb"
    containers+=("$PREFIX-$svc$suffix")
    run_service "$svc"
done
wait_up
restored=$(digests)
[ "$restored" = "$before" ] || die "restored digests differ: before $before, restored $restored"
for svc in "${services[@]}"; do
    podman stop --time 10 "$PREFIX-$svc$suffix" >/dev/null
    [ "$(podman inspect --format '{{.State.ExitCode}}' "$PREFIX-$svc$suffix")" = 0 ] \
        || die "restored $svc did not exit 0"
done
ok "restored each backup into a new volume: same state digests"
suffix=""

# ------------------------------- start again: fresh containers, same volumes
podman rm "${containers[@]}" >/dev/null
containers=()
for svc in "${services[@]}"; do containers+=("$PREFIX-$svc"); done
for svc in "${services[@]}"; do run_service "$svc"; done
wait_up
after=$(digests)
echo "$after" >"$WORK/digests-after.json"
[ "$after" = "$before" ] || die "digests differ after the restart: before $before, after $after"
ok "restarted in new containers on the same volumes: same state digests"

if [ $has_intake = 1 ]; then
    "$CTL" --json intake show "$case1" | grep -c "\"case_id\": *\"$case1\"" >/dev/null \
        || die "intake show $case1 after the restart"
    case2=$("$CTL" --json intake register --name "Container Test Two" --channel web \
        --domain youth --urgency urgent --reason "after the restart" | json_field case_id)
    if [ -z "$case2" ] || [ "$case2" = "$case1" ]; then die "intake register after the restart"; fi
    "$CTL" --json intake show "$case2" | grep -c "\"case_id\": *\"$case2\"" >/dev/null \
        || die "intake show $case2"
    final=$(digests)
    [ "$final" != "$after" ] || die "the state did not move on after the restart"
    ok "the scenario continues: $case1 still there, $case2 registered"
fi
"$CTL" status | sed 's/^/  /'

echo "container test: $checks checks passed; image ${IMAGE}:latest $((size / 1000000)) MB, build ${build_seconds} s"
