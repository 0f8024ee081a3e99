#!/usr/bin/env bash
# Test: caseflow in containers. Builds the image with
# deploy/container/build-image.sh, runs every service the image holds as a
# container with --network=host on free loopback ports, its store on a
# volume of its own, a key-holding service (--key-store in its --help) its
# key store on a second volume of its own, and intake (--match-secret) its
# matching secret as a read-only file mounted from the host, as compose.yaml
# and the StatefulSets do; and drives a short scenario through caseflowctl
# (the one in BUILD_DIR/bin, on the host). Then `podman stop` each: SIGTERM
# to PID 1, which must exit 0 within 5 s; each store is verified offline.
# The backups taken of the live journals and key stores (mdb_copy) are
# restored with a copy of the secret into new volumes and must give the same
# state digests and the same `intake show` (personal data readable); a
# journal restored without its key store leaves intake not ready naming the
# resident's subject; intake refuses to start with another secret, without a
# secret and without a key volume. The services started again in fresh
# containers on their own volumes give the same digests; the scenario
# continues with an erasure, and a key store backup from before the erasure
# restored with the journal from after it does not bring the resident back.
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

# The deployment's matching secret, made as docs/operations.md says; 0444 so
# that uid 10001 reads it through the bind mount (its folder keeps others out).
SECRET="$WORK/secret/match-secret"
rm -rf "$WORK/secret" "$WORK"/backup-*
install -d -m 0700 "$WORK/secret"
head -c 32 /dev/urandom >"$SECRET"
chmod 0444 "$SECRET"

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
    rm -rf "$WORK/secret" "$WORK"/backup-*
    exit $status
}
trap cleanup EXIT

# ------------------------------------------ what the image holds, and ports
# A service is a caseflow-* binary whose --help has the runtime's
# --events-bind; its upstreams are its --<stream>-events options.
mapfile -t binaries < <(podman run --rm --no-healthcheck --network none --entrypoint /bin/ls \
    "$IMAGE:latest" /usr/local/bin | sed -n 's/^caseflow-\(.*\)$/\1/p' | grep -v '^healthcheck$')
declare -A upstreams can_verify has_keys has_secret
services=()
streams=()
for svc in "${binaries[@]}"; do
    help=$(podman run --rm --no-healthcheck --network none "$IMAGE:latest" "caseflow-$svc" --help)
    [[ "$help" == *--events-bind* ]] || continue
    services+=("$svc")
    [[ "$help" != *--verify* ]] || can_verify[$svc]=1
    [[ "$help" != *--key-store* ]] || has_keys[$svc]=1
    [[ "$help" != *--match-secret* ]] || has_secret[$svc]=1
    upstreams[$svc]=$(sed -n 's/^  --\([a-z0-9-]*\)-events VALUE$/\1/p' <<<"$help" | tr '\n' ' ')
    read -r -a ups <<<"${upstreams[$svc]}"
    streams+=("$svc" "${ups[@]}")
done
[ ${#services[@]} -gt 0 ] || die "the image holds no caseflow service"
mapfile -t streams < <(printf '%s\n' "${streams[@]}" | sort -u)
echo "services in the image: ${services[*]} (key stores: ${!has_keys[*]}; matching secret: ${!has_secret[*]})"

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
# Container and journal volume of a service: $PREFIX-<service>$suffix; its
# key volume: the same name with -keys. The matching secret: $secret.
suffix=""
secret=$SECRET
# The options that give a service its volumes and secret, as compose.yaml does.
store_options() {
    local svc=$1 name="$PREFIX-$1$suffix"
    store_opts=(-v "$name:/var/lib/caseflow")
    if [ -n "${has_keys[$svc]:-}" ]; then
        store_opts+=(-v "$name-keys:/var/lib/caseflow-keys" -e CASEFLOW_KEY_STORE=/var/lib/caseflow-keys)
    fi
    if [ -n "${has_secret[$svc]:-}" ]; then
        store_opts+=(-v "$secret:/run/secrets/match-secret:ro"
                     -e CASEFLOW_MATCH_SECRET=/run/secrets/match-secret)
    fi
}
# The common options of a service's container (ports, clock, endpoints).
run_options() {
    local svc=$1
    # Hardened as in compose.yaml and the StatefulSets: read-only root, no capabilities.
    run_opts=(--network host --read-only --tmpfs /tmp --cap-drop ALL
              --security-opt no-new-privileges
              -e "CASEFLOW_EVENTS_BIND=tcp://127.0.0.1:${events_port[$svc]}"
              -e "CASEFLOW_API_BIND=tcp://127.0.0.1:${api_port[$svc]}"
              -e "CASEFLOW_HTTP_BIND=127.0.0.1:${http_port[$svc]}"
              -e CASEFLOW_CLOCK=manual -e "CASEFLOW_CLOCK_START=$CLOCK_START"
              "${endpoint_env[@]}")
}
run_service() {
    local svc=$1
    store_options "$svc"
    run_options "$svc"
    podman run -d --name "$PREFIX-$svc$suffix" "${run_opts[@]}" "${store_opts[@]}" \
        "$IMAGE:latest" "caseflow-$svc" >/dev/null
}
# New volumes (journal, and key store where the service has one) for $suffix.
make_volumes() {
    local svc=$1 name="$PREFIX-$1$suffix"
    volumes+=("$name"); podman volume create "$name" >/dev/null
    if [ -n "${has_keys[$svc]:-}" ]; then
        volumes+=("$name-keys"); podman volume create "$name-keys" >/dev/null
    fi
}
# Writes FILE as the data.mdb of DIR in VOLUME, the documented restore
# (docs/operations.md): as uid 10001, mode 0600, no stale lock.mdb or
# unfinished compaction.
restore_into() {
    local volume=$1 dir=$2 file=$3
    podman run --rm -i --no-healthcheck --network none -v "$volume:$dir" \
        --entrypoint /bin/sh "$IMAGE:latest" \
        -c "umask 077; cd $dir && rm -rf lock.mdb compacting && cat > data.mdb" <"$file"
}
# Ready on /readyz within READY_LIMIT, or die naming the service.
wait_ready() {
    local svc=$1 waited=0
    while ! curl -fsS -o /dev/null "http://127.0.0.1:${http_port[$svc]}/readyz" 2>/dev/null; do
        [ "$(podman inspect --format '{{.State.Running}}' "$PREFIX-$svc$suffix")" = true ] \
            || die "$svc exited while starting"
        [ $waited -lt $((READY_LIMIT * 10)) ] || die "$svc not ready after ${READY_LIMIT} s"
        sleep 0.1; waited=$((waited + 1))
    done
}
# Stops a container with SIGTERM; it must exit 0.
stop_ok() {
    podman stop --time 10 "$1" >/dev/null
    [ "$(podman inspect --format '{{.State.ExitCode}}' "$1")" = 0 ] || die "$1 did not exit 0"
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
    containers+=("$PREFIX-$svc")
    make_volumes "$svc"
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
    if [ -n "${has_keys[$svc]:-}" ]; then
        # The image's user owns the key volume (0700) and the store is on it,
        # alone: no secret beside it, nothing else.
        [ "$(podman exec "$name" stat -c '%u %a' /var/lib/caseflow-keys)" = "10001 700" ] \
            || die "$svc: the key volume is not owned by 10001 with mode 0700"
        podman exec "$name" test -w /var/lib/caseflow-keys || die "$svc: cannot write its key store"
        [ "$(podman exec "$name" ls -A /var/lib/caseflow-keys | tr '\n' ' ')" = "caseflow.lock data.mdb lock.mdb " ] \
            || die "$svc: the key volume holds more than the key store"
        podman exec "$name" test ! -e /var/lib/caseflow-keys.secret \
            || die "$svc: a secret was made beside the key store"
    fi
done
podman exec "$PREFIX-${services[0]}" test -f /usr/share/zoneinfo/Europe/Amsterdam \
    || die "the image has no Europe/Amsterdam zone (tzdata)"
ok "each runs as uid 10001, is PID 1, passes the HEALTHCHECK, keeps its store on its volume" \
   "(key stores on their own volumes, writable by 10001, mode 0700)"

# ------------------------------------------------------------ scenario
has_intake=0
[[ " ${services[*]} " == *" intake "* ]] && has_intake=1
# Intake with its key store and matching secret: the checks of both.
intake_keys=0
[ $has_intake = 1 ] && [ -n "${has_keys[intake]:-}" ] && [ -n "${has_secret[intake]:-}" ] && intake_keys=1
json_field() { sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" | sed -n 1p; }
NAME1="Container Test One"
if [ $has_intake = 1 ]; then
    case1=$("$CTL" --json intake register --name "$NAME1" --channel phone \
        --domain debt,housing --urgency regular --reason "test in containers" | json_field case_id)
    [ -n "$case1" ] || die "intake register gave no case id"
    "$CTL" --json intake show "$case1" >"$WORK/show-before.json"
    grep -c "\"case_id\": *\"$case1\"" "$WORK/show-before.json" >/dev/null || die "intake show $case1"
    grep -c "\"name\": *\"$NAME1\"" "$WORK/show-before.json" >/dev/null \
        || die "intake show $case1 does not give the resident's name back"
    ok "intake register → $case1; intake show finds it, the resident's name readable"
fi
"$CTL" status >"$WORK/status-before.txt"
before=$(digests)
echo "$before" >"$WORK/digests-before.json"
"$CTL" digest "${services[@]}" | sed 's/^/  /'

# Backups of the live stores, the documented way (docs/operations.md): each
# journal, then its key store (so the key store is never the older of the
# two), and the matching secret copied to a place of its own.
for svc in "${services[@]}"; do
    podman exec "$PREFIX-$svc" mdb_copy -c /var/lib/caseflow >"$WORK/backup-$svc.mdb"
    [ -s "$WORK/backup-$svc.mdb" ] || die "$svc: empty backup"
    if [ -n "${has_keys[$svc]:-}" ]; then
        podman exec "$PREFIX-$svc" mdb_copy -c /var/lib/caseflow-keys >"$WORK/backup-$svc-keys.mdb"
        [ -s "$WORK/backup-$svc-keys.mdb" ] || die "$svc: empty key store backup"
    fi
done
install -d -m 0700 "$WORK/backup-secret"
cp -p "$SECRET" "$WORK/backup-secret/match-secret"
ok "backed up each live journal and key store (podman exec ... mdb_copy -c DIR > FILE)," \
   "the matching secret apart"

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

# ----------- restore: journal, key store and secret on new volumes, same state
suffix=-restored
secret="$WORK/backup-secret/match-secret"
for svc in "${services[@]}"; do
    make_volumes "$svc"
    restore_into "$PREFIX-$svc$suffix" /var/lib/caseflow "$WORK/backup-$svc.mdb"
    if [ -n "${has_keys[$svc]:-}" ]; then
        restore_into "$PREFIX-$svc$suffix-keys" /var/lib/caseflow-keys "$WORK/backup-$svc-keys.mdb"
    fi
    containers+=("$PREFIX-$svc$suffix")
    run_service "$svc"
done
wait_up
restored=$(digests)
[ "$restored" = "$before" ] || die "restored digests differ: before $before, restored $restored"
if [ $has_intake = 1 ]; then
    "$CTL" --json intake show "$case1" >"$WORK/show-restored.json"
    cmp -s "$WORK/show-before.json" "$WORK/show-restored.json" \
        || die "intake show $case1 differs after the restore: $(cat "$WORK/show-restored.json")"
fi
for svc in "${services[@]}"; do stop_ok "$PREFIX-$svc$suffix"; done
shown=""
[ $has_intake = 0 ] || shown=", the same intake show"
ok "restored each journal with its key store and the secret into new volumes:" \
   "same state digests$shown"

# ------------- what the runbook warns of: intake refuses, naming the cause
if [ $intake_keys = 1 ]; then
    # The journal without its key store (an empty one): alive, never ready,
    # the log naming the resident's subject and case.
    suffix=-nokeys
    make_volumes intake
    restore_into "$PREFIX-intake$suffix" /var/lib/caseflow "$WORK/backup-intake.mdb"
    containers+=("$PREFIX-intake$suffix")
    run_service intake
    pattern="not ready: subject S[0-9A-Z]* (case $case1) has neither a key nor an erasure record"
    waited=0
    log="$WORK/intake-without-keys.log"
    until podman logs "$PREFIX-intake$suffix" >"$log" 2>&1 && grep -q "$pattern" "$log"; do
        [ "$(podman inspect --format '{{.State.Running}}' "$PREFIX-intake$suffix")" = true ] \
            || die "intake without its key store exited instead of staying not ready"
        [ $waited -lt $((READY_LIMIT * 10)) ] || die "intake without its key store did not say why"
        sleep 0.1; waited=$((waited + 1))
    done
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${http_port[intake]}/readyz" || true)
    [ "$code" = 503 ] || die "intake without its key store answers /readyz $code, not 503"
    stop_ok "$PREFIX-intake$suffix"

    # The restored journal and key store under conditions that must not start.
    refused() {
        local what=$1 expect=$2 out
        shift 2
        run_options intake
        if out=$(timeout 60 podman run --rm --no-healthcheck "${run_opts[@]}" "$@" \
                 "$IMAGE:latest" caseflow-intake 2>&1); then
            die "intake started $what"
        fi
        grep -q -- "$expect" <<<"$out" || die "intake $what: no \"$expect\" in: $out"
        echo "  intake $what: refused ($expect)"
    }
    suffix=-restored
    other="$WORK/secret/other-secret"
    head -c 32 /dev/urandom >"$other"
    chmod 0444 "$other"
    secret=$other
    store_options intake
    refused "with another matching secret" "is not the secret the key store" "${store_opts[@]}"
    refused "without a matching secret" "is not a usable matching secret" \
        -v "$PREFIX-intake$suffix:/var/lib/caseflow" \
        -v "$PREFIX-intake$suffix-keys:/var/lib/caseflow-keys" \
        -e CASEFLOW_KEY_STORE=/var/lib/caseflow-keys
    secret="$WORK/backup-secret/match-secret"
    store_options intake
    refused "without a key volume" "cannot open the key store in /var/lib/caseflow-keys" \
        -v "$PREFIX-intake$suffix:/var/lib/caseflow" \
        -v "$secret:/run/secrets/match-secret:ro" -e CASEFLOW_MATCH_SECRET=/run/secrets/match-secret
    ok "journal without its key store: not ready, naming the subject of $case1;" \
       "another secret, no secret, no key volume: intake does not start"
fi
suffix=""
secret=$SECRET

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

# ----- erasure: a key store backup older than the erasure brings nobody back
if [ $intake_keys = 1 ]; then
    podman exec "$PREFIX-intake" mdb_copy -c /var/lib/caseflow-keys >"$WORK/backup-intake-keys-before-erasure.mdb"
    subject=$("$CTL" --json resident erase "$case1" --reason "container test: the retention rule overridden on purpose" --override-retention | json_field subject)
    [ -n "$subject" ] || die "resident erase $case1 gave no subject"
    "$CTL" --json intake show "$case1" >"$WORK/show-erased.json"
    grep -c "\"name\": *\"erased\"" "$WORK/show-erased.json" >/dev/null \
        || die "intake show $case1 after the erasure: $(cat "$WORK/show-erased.json")"
    erased=$(digests)
    podman exec "$PREFIX-intake" mdb_copy -c /var/lib/caseflow >"$WORK/backup-intake-after-erasure.mdb"
    stop_ok "$PREFIX-intake"
    suffix=-old-keys
    make_volumes intake
    restore_into "$PREFIX-intake$suffix" /var/lib/caseflow "$WORK/backup-intake-after-erasure.mdb"
    restore_into "$PREFIX-intake$suffix-keys" /var/lib/caseflow-keys \
        "$WORK/backup-intake-keys-before-erasure.mdb"
    containers+=("$PREFIX-intake$suffix")
    run_service intake
    wait_ready intake
    # The line is written before /readyz says ready; podman's log may show it a moment later.
    # The log is read whole into a file before grep looks at it: `podman logs | grep -q`
    # under pipefail fails whenever grep stops at the line before podman has written the rest
    # (podman dies of SIGPIPE), which once made this check fail now and then.
    log="$WORK/intake-old-keys.log"
    for _ in $(seq 50); do
        podman logs "$PREFIX-intake$suffix" >"$log" 2>&1
        grep -q "subject $subject erased: keys destroyed" "$log" && break
        sleep 0.2
    done
    grep -q "subject $subject erased: keys destroyed" "$log" \
        || die "the erasure of $subject was not applied again to the older key store: $(cat "$log")"
    "$CTL" --json intake show "$case1" >"$WORK/show-erased-restored.json"
    cmp -s "$WORK/show-erased.json" "$WORK/show-erased-restored.json" \
        || die "intake show $case1 differs: $(cat "$WORK/show-erased-restored.json")"
    [ "$(digests)" = "$erased" ] || die "digests differ after restoring the older key store"
    ok "resident erase $case1; the journal from after it with the key store from before:" \
       "the erasure applied again at start (keys destroyed), still erased, same digests"
    suffix=""
fi
"$CTL" status | sed 's/^/  /'

echo "container test: $checks checks passed; image ${IMAGE}:latest $((size / 1000000)) MB, build ${build_seconds} s"
