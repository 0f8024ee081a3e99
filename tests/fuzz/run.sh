#!/usr/bin/env bash
# Builds caseflow's fuzz targets with clang (-fsanitize=fuzzer,address,
# undefined) in a build directory of their own and runs each for a bounded
# time from its committed seed corpus (tests/fuzz/corpus/<target>/),
# printing the executions per target. A crash stops with the crashing
# input saved in the work directory: fix it, then commit the input under
# tests/fuzz/regressions/<target>/ so test_fuzz_corpus replays it for good.
#
#   tests/fuzz/run.sh [--seconds N] [--build-dir DIR] [TARGET...]
#
# --seconds: per target (default $CF_FUZZ_SECONDS or 20); --build-dir:
# default build/fuzz; TARGET: api_request, event, replay_batch, config,
# intake_command, handover_command, assignment_command, seal_open, keystore
# (default all);
# CF_FUZZ_CC: the compiler (default clang-14, else clang). Exit 0 when no
# target crashed, 1 when one did, 77 when clang or its fuzzer runtime is
# missing (ctest counts that as skipped).
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_TARGET=${CF_FUZZ_SECONDS:-20}
BUILD_DIR=$CF_ROOT/build/fuzz
TARGETS=()
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
        --build-dir) BUILD_DIR=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
        *) TARGETS+=("$1"); shift ;;
    esac
done
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(api_request event replay_batch config
                                     intake_command handover_command assignment_command
                                     seal_open keystore)

CC=${CF_FUZZ_CC:-}
for candidate in clang-14 clang; do
    [ -n "$CC" ] && break
    command -v "$candidate" >/dev/null 2>&1 && CC=$(command -v "$candidate")
done
if [ -z "$CC" ] || ! echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long s){return 0;}' \
        | "$CC" -x c -fsanitize=fuzzer,address,undefined -o /dev/null - 2>/dev/null; then
    echo "fuzz: clang with libFuzzer not found (Debian: clang-14 libclang-rt-14-dev); skipped"
    exit 77
fi

FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -g"
cmake -S "$CF_ROOT" -B "$BUILD_DIR" -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCF_FUZZ=ON -DCF_SANITIZE=OFF -DCF_WERROR=OFF -DCMAKE_C_FLAGS="$FLAGS" \
      -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$BUILD_DIR" -j2 --target "${TARGETS[@]/#/fuzz_}" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
total=0
for target in "${TARGETS[@]}"; do
    work=$BUILD_DIR/work/$target
    rm -rf "$work"
    mkdir -p "$work/corpus"
    # New inputs go to the work copy; the committed corpus stays as it is.
    cp "$CF_ROOT/tests/fuzz/corpus/$target/"* "$work/corpus/" 2>/dev/null || true
    log=$work/fuzz.log
    status=0
    (cd "$work" && "$BUILD_DIR/fuzz/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" \
        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        corpus "$CF_ROOT/tests/fuzz/corpus/$target" >"$log" 2>&1) || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    total=$((total + ${execs:-0}))
    if [ $status -ne 0 ]; then
        failed=1
        echo "fuzz_$target: CRASHED after ${execs:-?} executions (log: $log)"
        grep -E "ERROR|SUMMARY|property violated|Test unit written" "$log" | head -8
    else
        echo "fuzz_$target: ${execs:-0} executions in ${SECONDS_PER_TARGET} s (${rate:-0}/s), corpus $(ls "$work/corpus" | wc -l) inputs"
    fi
done
echo "fuzz: $total executions in all; $( [ $failed -eq 0 ] && echo "no crash" || echo "CRASHES above")"
exit $failed
