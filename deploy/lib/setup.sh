# Shared set-up of deploy/run-local.sh and tests/run.sh: installs the Debian
# packages caseflow needs when they are missing, and configures and builds
# a build tree. Sourced, not run.

# The Debian 12 packages a build needs (libraries, code generator, tools).
CF_BUILD_PACKAGES=(
    build-essential cmake pkg-config
    libzmq3-dev libczmq-dev libprotobuf-c-dev protobuf-c-compiler
    liblmdb-dev lmdb-utils libuv1-dev libmicrohttpd-dev libsodium-dev libjansson-dev
    libcurl4-openssl-dev
    tzdata curl
)
# What the tests need on top (clang-14 and its libFuzzer runtime: the fuzz
# targets, tests/fuzz/run.sh and the ctest entry fuzz/run; chromium: the
# console's web page in tests/browser, driven headless by puppeteer-core;
# iproute2: ip and tc, the hosts of test_partition).
CF_TEST_PACKAGES=(libcmocka-dev protobuf-compiler python3-zmq python3-protobuf clang-format
                  clang-14 libclang-rt-14-dev chromium iproute2)

# cf_ensure_packages PKG...: installs the missing ones with a
# non-interactive apt-get (as root), or prints the exact command and exits
# 2 when not root.
cf_ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "caseflow needs these Debian packages; install them as root with:" >&2
        echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
        exit 2
    fi
    echo "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# cf_ensure_node: node 20 or later and npm, which the js/ tests run on
# (tests/js/README.md). NodeSource's nodejs package carries npm itself and
# Debian's npm package conflicts with it, while Debian's own nodejs ships
# npm apart: so nodejs is installed only when there is no node, and npm only
# when there is still no npm after that. An older node is reported, not
# replaced (tests/js/install.sh then skips the js/ tests).
cf_ensure_node() {
    command -v node >/dev/null 2>&1 || cf_ensure_packages nodejs
    command -v npm >/dev/null 2>&1 || cf_ensure_packages npm
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -lt 20 ]; then
        echo "note: the js/ tests need node 20 or later, this machine has $(node --version);" \
             "they will be skipped" >&2
    fi
}

# cf_build DIR CMAKE-ARGS...: configures (once) and builds the tree in DIR.
cf_build() {
    local dir=$1
    shift
    cmake -S "$CF_ROOT" -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$(nproc)"
}
