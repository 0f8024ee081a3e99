#!/usr/bin/env bash
# Runs caseflow on this machine: every service that is built, on localhost
# with the default ports, journals under $CASEFLOW_VAR/<service>/ (default
# ./var), key stores under $CASEFLOW_VAR/<service>-keys/ (intake, handover,
# gateway; the gateway takes CloudEvents on http://127.0.0.1:8641/events;
# the console, the read side, answers on http://127.0.0.1:8651/),
# intake's matching secret in $CASEFLOW_VAR/secrets/match-secret (made on the
# first run, mode 0600) and JSON logs under $CASEFLOW_VAR/log/. Installs the
# missing Debian packages and builds a release tree first.
#
#   deploy/run-local.sh            run in the foreground; Ctrl-C stops all
#   deploy/run-local.sh --detach   return once all are ready; they keep running
#   deploy/run-local.sh --stop     stop detached services
#   deploy/run-local.sh --demo     play the Helmond demo (deploy/demo/) on a fresh
#                                  $CASEFLOW_VAR (default ./var/demo), manual clock
#                                  from 2022-01-03T08:00; stops the services after
#                                  the report unless --detach is given too
#   deploy/run-local.sh --keys     with CURVE: every socket encrypted, keys and roles
#                                  from $CASEFLOW_VAR/keys (made once by caseflowctl
#                                  keys generate); combines with the others
#
# CASEFLOW_CLOCK=manual starts the services on the manual clock.
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/setup.sh
. "$CF_ROOT/deploy/lib/setup.sh"

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

mode=foreground
demo=0
keys=0
for arg in "$@"; do
    case "$arg" in
        --detach) mode=detach ;;
        --keys) keys=1 ;;
        --stop) mode=stop ;;
        --demo) demo=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-local.sh: unknown option $arg" >&2; usage >&2; exit 2 ;;
    esac
done

if [ $demo = 1 ] && [ "$mode" = stop ]; then
    VAR=${CASEFLOW_VAR:-./var/demo}
elif [ $demo = 1 ]; then
    # The demo plays January - March 2022 on the manual clock, from scratch.
    VAR=${CASEFLOW_VAR:-./var/demo}
    export CASEFLOW_CLOCK=manual CASEFLOW_CLOCK_START=2022-01-03T08:00
    for name in handover intake assignment notification gateway console; do
        if [ -f "$VAR/run/$name.pid" ] && kill -0 "$(cat "$VAR/run/$name.pid")" 2>/dev/null; then
            echo "--demo: $name still runs on $VAR; stop it first: CASEFLOW_VAR=$VAR $0 --stop" >&2
            exit 1
        fi
    done
    # The journals with their key stores; the matching secret stays, as the
    # CURVE key set does.
    rm -rf "$VAR/handover" "$VAR/intake" "$VAR/assignment" "$VAR/notification" \
        "$VAR/gateway" "$VAR/console" "$VAR/handover-keys" "$VAR/intake-keys" "$VAR/gateway-keys" \
        "$VAR/log" "$VAR/run" "$VAR/demo"
else
    VAR=${CASEFLOW_VAR:-./var}
fi
mkdir -p "$VAR/log" "$VAR/run"
VAR=$(cd "$VAR" && pwd)
# The console's web page on a machine without a signing-in proxy: every
# loopback request is this person, a team lead (docs/console.md, "People and
# roles"); set both to change who.
export CASEFLOW_CONSOLE_LOCAL_USER=${CASEFLOW_CONSOLE_LOCAL_USER:-local}
export CASEFLOW_CONSOLE_USERS=${CASEFLOW_CONSOLE_USERS:-$CASEFLOW_CONSOLE_LOCAL_USER:team-lead}
BIN="$CF_ROOT/build/release/bin"
# service:http port, in the order they start (upstreams first; handover
# follows intake too, for ResidentErased, notification the gateway, for its
# parked webhook events, the gateway all four, and the console, the read side,
# all five: all start before any is awaited). Each finds its upstreams on their
# default ports.
SERVICES=(handover:8621 intake:8601 assignment:8611 notification:8631 gateway:8641 console:8651)

stop_all() {
    local entry name pidfile pid status=0
    for entry in "${SERVICES[@]}"; do
        name=${entry%%:*}
        pidfile="$VAR/run/$name.pid"
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            if kill -0 "$pid" 2>/dev/null; then
                echo "$name did not stop in 10 s; killing it" >&2
                kill -KILL "$pid"; status=1
            else
                echo "stopped $name"
            fi
        fi
        rm -f "$pidfile"
    done
    return $status
}

if [ "$mode" = stop ]; then
    stop_all
    exit $?
fi

cf_ensure_packages "${CF_BUILD_PACKAGES[@]}"
# The demo's webhook receiver and its summary are Python (deploy/demo/receiver.py).
if [ "$demo" = 1 ]; then cf_ensure_packages python3; fi
echo "building caseflow (release) ..."
cf_build "$CF_ROOT/build/release" -DCMAKE_BUILD_TYPE=Release -DCF_BUILD_TESTS=OFF >/dev/null

if [ $keys = 1 ]; then
    # One key set per $CASEFLOW_VAR, kept across runs (the demo's reset leaves it).
    if [ ! -d "$VAR/keys/public" ]; then
        "$BIN/caseflowctl" keys generate --dir "$VAR/keys" >/dev/null
        echo "made a CURVE key set in $VAR/keys"
    fi
    export CASEFLOW_KEYS_DIR="$VAR/keys"
fi

# Intake's matching secret, the key of the hashes it finds residents by: made
# once per $CASEFLOW_VAR (32 random bytes, mode 0600, in a 0700 folder) and
# kept apart from the key stores, whose backups must not travel with it
# (docs/operations.md, "Backups of journals, key stores and the matching
# secret"). A secret intake made itself beside its key store (its default
# when not given one) moves here: intake refuses its key store with another.
MATCH_SECRET="$VAR/secrets/match-secret"
if [ ! -s "$MATCH_SECRET" ]; then
    (
        umask 077
        mkdir -p "$VAR/secrets"
        if [ -s "$VAR/intake-keys.secret" ]; then
            mv "$VAR/intake-keys.secret" "$MATCH_SECRET"
            echo "moved intake's matching secret to $MATCH_SECRET"
        else
            head -c 32 /dev/urandom >"$MATCH_SECRET.new"
            mv "$MATCH_SECRET.new" "$MATCH_SECRET"
            echo "made intake's matching secret $MATCH_SECRET (keep a copy apart from the key stores)"
        fi
    )
fi

# Every service follows its upstreams on these (the defaults, said
# explicitly): intake and handover follow the gateway's stream (referrals,
# decisions, announcements; its api hands over transit keys), the gateway
# follows all four streams (for its webhooks and the outcomes of what it
# took in), the console follows all five. caseflowctl reads the same
# variables (the console's: for report and case show).
ENDPOINTS=()
for entry in intake:560 assignment:561 handover:562 notification:563 gateway:564 console:565; do
    upper=$(tr '[:lower:]' '[:upper:]' <<<"${entry%%:*}")
    ENDPOINTS+=("CASEFLOW_${upper}_EVENTS=tcp://127.0.0.1:${entry##*:}1"
                "CASEFLOW_${upper}_API=tcp://127.0.0.1:${entry##*:}2")
done

started=()
for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    binary="$BIN/caseflow-$name"
    [ -x "$binary" ] || continue
    if [ -f "$VAR/run/$name.pid" ] && kill -0 "$(cat "$VAR/run/$name.pid")" 2>/dev/null; then
        echo "$name is already running (pid $(cat "$VAR/run/$name.pid")); stop it with --stop" >&2
        exit 1
    fi
    # Per process, like the data directory: the key store (used by the key
    # holders, its default said explicitly) and intake's secret.
    settings=(CASEFLOW_DATA_DIR="$VAR/$name" CASEFLOW_KEY_STORE="$VAR/$name-keys"
              "${ENDPOINTS[@]}")
    [ "$name" != intake ] || settings+=(CASEFLOW_MATCH_SECRET="$MATCH_SECRET")
    env "${settings[@]}" "$binary" >>"$VAR/log/$name.log" 2>&1 &
    echo $! >"$VAR/run/$name.pid"
    started+=("$entry")
done
if [ ${#started[@]} -eq 0 ]; then
    echo "no caseflow service is built yet (looked in $BIN)" >&2
    exit 1
fi

trap 'echo; stop_all; exit 0' INT TERM

# Wait until each is ready (replayed and caught up with its upstreams).
for entry in "${started[@]}"; do
    name=${entry%%:*}
    port=${entry##*:}
    ready=0
    for _ in $(seq 1 300); do
        if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
        if ! kill -0 "$(cat "$VAR/run/$name.pid")" 2>/dev/null; then
            echo "$name exited while starting; its log:" >&2
            tail -n 20 "$VAR/log/$name.log" >&2
            stop_all; exit 1
        fi
        sleep 0.1
    done
    if [ $ready = 1 ]; then
        echo "$name ready: http://127.0.0.1:$port/metrics, log $VAR/log/$name.log"
    else
        echo "$name alive but not ready after 30 s (an upstream may be missing); log $VAR/log/$name.log"
    fi
done
for entry in "${started[@]}"; do
    [ "${entry%%:*}" != console ] || echo "console: http://127.0.0.1:${entry##*:}/"
done
echo "data under $VAR (journals, key stores, secrets/); clock: ${CASEFLOW_CLOCK:-system}"
if [ $keys = 1 ]; then
    echo "CURVE keys on: run caseflowctl --keys-dir $VAR/keys ... (operator key), or"
    echo "export CASEFLOW_KEYS_DIR=$VAR/keys; --key-name consumer follows streams only"
fi

if [ $demo = 1 ]; then
    if [ ! -x "$CF_ROOT/deploy/demo/play.sh" ]; then
        echo "--demo: the demo scenario (deploy/demo/play.sh) is not part of this version" >&2
        stop_all; exit 2
    fi
    echo "playing the demo (every command's output: $VAR/log/demo.log) ..."
    play=0
    mkdir -p "$VAR/demo"
    env "${ENDPOINTS[@]}" CASEFLOWCTL="$BIN/caseflowctl" DEMO_LOG="$VAR/log/demo.log" \
        DEMO_VAR="$VAR/demo" \
        "$CF_ROOT/deploy/demo/play.sh" || play=$?
    if [ "$mode" != detach ]; then
        echo
        stop_all
        exit $play
    fi
    [ $play = 0 ] || { stop_all; exit $play; }
    echo
    echo "the services keep running on the demo's clock; use caseflowctl as shown above"
    echo "(it is $BIN/caseflowctl), and stop them with: CASEFLOW_VAR=$VAR $0 --stop"
    exit 0
fi

if [ "$mode" = detach ]; then
    echo "running detached; stop with: deploy/run-local.sh --stop"
    exit 0
fi
echo "running; Ctrl-C stops all services"
while true; do
    for entry in "${started[@]}"; do
        name=${entry%%:*}
        if ! kill -0 "$(cat "$VAR/run/$name.pid" 2>/dev/null || echo 0)" 2>/dev/null; then
            echo "$name stopped unexpectedly; its log:" >&2
            tail -n 20 "$VAR/log/$name.log" >&2
            stop_all; exit 1
        fi
    done
    sleep 1 &
    wait $! || true
done
