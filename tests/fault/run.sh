#!/usr/bin/env bash
# Builds the chaos test and the five services (their own build directory,
# with AddressSanitizer and UBSan) and runs the crash-fault test: a load
# generator drives all five services (publishers post CloudEvents to the
# gateway meanwhile, which intake and handover apply, and the gateway
# delivers webhooks to a sink) while random ones are killed with SIGKILL
# and restarted; then nothing acknowledged may be missing, nothing applied
# twice, every 202'd event applied downstream once, every subscribed
# event delivered, and every state digest must equal a fresh replay's
# (docs/testing.md).
#
#   tests/fault/run.sh [--full] [--seed N] [--keep] [CHAOS-FLAG...]
#
#   (none)     the reduced round CI runs: 3,000 commands, 6 kills
#   --full     50,000 commands, 20 kills (a few minutes on 2 cores); then
#              the partition test with its cut at full length, 60 s
#              (test_partition: needs root, else skipped)
#   --seed N   replay the choices of an earlier run (its first line names
#              the seed)
#   --keep     keep the stores, logs and commands.tsv even when it passes
#   other flags go to the chaos program (`chaos --help`: --commands,
#   --kills, --clients, --window, --days, --timeout-ms)
#   CF_FAULT_BUILD_DIR   build directory (default build/fault)
#
# Sanitized rather than Release: the run exists to find what breaks when a
# process dies mid-commit and replays on restart, and AddressSanitizer turns
# a memory error on those paths into a loud failure instead of a quiet
# wrong digest; the speed of a Release build is not what this test needs.
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../deploy/lib/setup.sh
. "$CF_ROOT/deploy/lib/setup.sh"

ARGS=()
FULL=0
while [ $# -gt 0 ]; do
    case "$1" in
        -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
        --full) ARGS+=("$1"); FULL=1 ;;
        --keep) ARGS+=("$1") ;;
        --*) [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
             ARGS+=("$1" "$2"); shift ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

cf_ensure_packages "${CF_BUILD_PACKAGES[@]}" "${CF_TEST_PACKAGES[@]}"
BUILD_DIR=${CF_FAULT_BUILD_DIR:-$CF_ROOT/build/fault}
cmake -S "$CF_ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DCF_WERROR=ON -DCF_SANITIZE=ON \
      -DCF_BUILD_TESTS=ON >/dev/null
# The chaos program and the five services only (and the partition test
# with --full).
TARGETS=(chaos)
[ "$FULL" = 1 ] && TARGETS+=(test_partition)
cmake --build "$BUILD_DIR" -j"$(nproc)" --target "${TARGETS[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ "$FULL" = 0 ]; then
    exec "$BUILD_DIR/bin/chaos" --bin-dir "$BUILD_DIR/bin" "${ARGS[@]}"
fi
"$BUILD_DIR/bin/chaos" --bin-dir "$BUILD_DIR/bin" "${ARGS[@]}"
# The partition between hosts, its cut at full length (docs/testing.md,
# "Hosts and partitions"); exit 77 is a skip (not root, no namespaces).
rc=0
CF_PARTITION_CUT_SECONDS=60 "$BUILD_DIR/tests/test_partition" || rc=$?
[ "$rc" = 77 ] && rc=0
exit "$rc"
