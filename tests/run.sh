#!/usr/bin/env bash
# Builds caseflow with AddressSanitizer, UBSan and -Werror and runs every
# test with ctest, ending with ctest's summary (docs/testing.md). Installs
# the missing Debian packages first (as root; otherwise prints the apt-get
# line and exits 2).
#
#   tests/run.sh [CTEST-ARG...]     e.g. tests/run.sh -R integration/
#
#   CF_TEST_BUILD_DIR   build directory (default build/test)
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#' | cut -c3-; exit 0 ;;
esac
CF_ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../deploy/lib/setup.sh
. "$CF_ROOT/deploy/lib/setup.sh"

cf_ensure_packages "${CF_BUILD_PACKAGES[@]}" "${CF_TEST_PACKAGES[@]}"
cf_ensure_node
BUILD_DIR=${CF_TEST_BUILD_DIR:-$CF_ROOT/build/test}
build_started=$(date +%s)
cf_build "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DCF_WERROR=ON -DCF_SANITIZE=ON
echo "configured and built in $(( $(date +%s) - build_started )) s"

# Leaks fail the tests; czmq's own at-exit report stays quiet.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD_DIR"
ctest --output-on-failure -j2 "$@"
