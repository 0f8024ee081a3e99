#!/usr/bin/env bash
# ctest fixture js/install: installs the npm packages of tests/js/package.json
# (exact versions, from package-lock.json) into BUILD_DIR/js, never into the
# source tree, and copies the scripts of tests/js beside them so that their
# imports resolve there.
#
#   tests/js/install.sh BUILD_DIR/js [SOURCE_DIR]
#
# SOURCE_DIR (default: this folder) holds the package.json, lock file and
# scripts: tests/browser installs its own packages with this same script.
# `npm ci` runs only when the lock file differs from the one last installed,
# so a built tree runs the js/ tests without the network; it tries npm's
# cache alone before the registry and never runs the packages' install
# scripts. Exits 77 (skipped)
# when npm is missing or cannot reach its registry, 1 when the install
# fails for another reason, and 77 too on a node older than 20.
set -euo pipefail
SRC=${2:-$(cd "$(dirname "$0")" && pwd)}
DEST=${1:?usage: install.sh BUILD_DIR/js [SOURCE_DIR]}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: node and npm are needed (deploy/lib/setup.sh cf_ensure_node installs them)"
    exit 77
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "SKIP: the js/ tests need node 20 or later, this is $(node --version)"
    exit 77
fi
mkdir -p "$DEST"
if ! cmp -s "$SRC/package-lock.json" "$DEST/.installed-lock.json" \
        || [ ! -d "$DEST/node_modules" ]; then
    cp "$SRC/package.json" "$SRC/package-lock.json" "$DEST/"
    echo "npm ci into $DEST ..."
    # From npm's cache alone first (no network at all when it holds every
    # package), then from the registry for what it lacks.
    npm_ci() {
        (cd "$DEST" && npm ci "$@" --ignore-scripts --no-audit --no-fund --fetch-retries=2 \
            --loglevel=error >npm-ci.log 2>&1)
    }
    if ! npm_ci --offline && ! npm_ci --prefer-offline; then
        if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH' \
                "$DEST/npm-ci.log"; then
            echo "SKIP: npm cannot reach its registry:"
            tail -n 5 "$DEST/npm-ci.log"
            exit 77
        fi
        echo "npm ci failed:" >&2
        tail -n 20 "$DEST/npm-ci.log" >&2
        exit 1
    fi
    cp "$SRC/package-lock.json" "$DEST/.installed-lock.json"
fi
# The scripts change more often than the packages: copy them every time.
cp "$SRC"/*.mjs "$DEST/"
# The port reservation every node test shares (tests/support/ports.mjs).
cp "$(dirname "$0")/../support/ports.mjs" "$DEST/"
echo "node $(node --version), packages of tests/js/package-lock.json in $DEST"
