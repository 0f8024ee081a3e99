#!/usr/bin/env bash
# The Python reminder consumer against real intake and notification services
# on the manual clock: a waiting case's callback is printed once; after the
# consumer restarts with its cursor file, the next callback is printed and
# the first is not repeated. Then all of it again with CURVE keys: the
# services, caseflowctl (operator key) and the consumer (consumer key) get
# CASEFLOW_KEYS_DIR.
#   test_consumer.sh BUILD_DIR
set -euo pipefail
# Keys only when this script asks for them (its second run), whatever the shell exported.
unset CASEFLOW_KEYS_DIR CASEFLOW_KEY_NAME
[ -z "${CF_TEST_KEYS:-}" ] || export CASEFLOW_KEYS_DIR="$CF_TEST_KEYS"
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
BIN="$BUILD/bin"
PY=/usr/bin/python3            # Debian's, where python3-zmq and python3-protobuf live
export CASEFLOW_PYTHON_PROTO="$BUILD/python"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A P
for name in intake_events intake_api intake_http notif_events notif_api notif_http unused1 unused2 unused3 unused4; do
    P[$name]=$(port)
done
CLOCK=(--clock=manual --clock-start=2022-01-03T09:00)
"$BIN/caseflow-intake" --data-dir="$WORK/intake" "${CLOCK[@]}" \
    --events-bind="tcp://127.0.0.1:${P[intake_events]}" --api-bind="tcp://127.0.0.1:${P[intake_api]}" \
    --http-bind="127.0.0.1:${P[intake_http]}" \
    --handover-events="tcp://127.0.0.1:${P[unused1]}" --handover-api="tcp://127.0.0.1:${P[unused2]}" \
    --assignment-events="tcp://127.0.0.1:${P[unused3]}" --assignment-api="tcp://127.0.0.1:${P[unused4]}" \
    --notification-events="tcp://127.0.0.1:${P[notif_events]}" --notification-api="tcp://127.0.0.1:${P[notif_api]}" \
    2>"$WORK/intake.log" &
PIDS+=($!)
"$BIN/caseflow-notification" --data-dir="$WORK/notification" "${CLOCK[@]}" \
    --events-bind="tcp://127.0.0.1:${P[notif_events]}" --api-bind="tcp://127.0.0.1:${P[notif_api]}" \
    --http-bind="127.0.0.1:${P[notif_http]}" \
    --intake-events="tcp://127.0.0.1:${P[intake_events]}" --intake-api="tcp://127.0.0.1:${P[intake_api]}" \
    --assignment-events="tcp://127.0.0.1:${P[unused3]}" --assignment-api="tcp://127.0.0.1:${P[unused4]}" \
    --handover-events="tcp://127.0.0.1:${P[unused1]}" --handover-api="tcp://127.0.0.1:${P[unused2]}" \
    2>"$WORK/notification.log" &
PIDS+=($!)

CTL=("$BIN/caseflowctl" --intake "tcp://127.0.0.1:${P[intake_api]}"
     --notification "tcp://127.0.0.1:${P[notif_api]}")
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:${P[notif_http]}/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
"${CTL[@]}" intake register --name "Test Resident" --channel phone --domain debt \
    --urgency regular --reason "waits" >/dev/null
# Wait until notification has scheduled the callback (it follows intake).
for _ in $(seq 1 100); do
    "${CTL[@]}" --json reminders --kind callback 2>/dev/null | grep -q callback/ && break
    sleep 0.1
done

CONSUMER=("$PY" "$HERE/reminder_consumer.py" --events "tcp://127.0.0.1:${P[notif_events]}"
          --api "tcp://127.0.0.1:${P[notif_api]}" --cursor-file "$WORK/cursor" --kind callback
          --timeout 30)
"${CTL[@]}" clock advance 15d --only intake,notification >/dev/null
first=$("${CONSUMER[@]}" --count 1)
echo "first:  $first"
echo "$first" | grep -q '"reminder_id": "callback/C000001/1"'

"${CTL[@]}" clock advance 14d --only intake,notification >/dev/null
second=$("${CONSUMER[@]}" --count 1)
echo "second: $second"
echo "$second" | grep -q '"reminder_id": "callback/C000001/2"'
if [ -n "${CASEFLOW_KEYS_DIR:-}" ]; then
    echo "with keys: passed"
    exit 0
fi
echo "plaintext: passed"
for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()
"$BIN/caseflowctl" keys generate --dir "$WORK/keys" >/dev/null
CF_TEST_KEYS="$WORK/keys" "$0" "$BUILD"
echo "1 passed, 0 failed"
