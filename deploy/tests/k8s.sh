#!/usr/bin/env bash
# Test: the Kubernetes manifests of deploy/k8s/ are valid against the
# Kubernetes schemas (the npm package kubernetes-models) and fit together
# (deploy/tests/k8s-validate.mjs says what is checked).
#
#   deploy/tests/k8s.sh [BUILD_DIR]
#
# The npm packages are installed into BUILD_DIR/deploy/k8s-validate (ctest
# passes its build tree; nothing is installed into the source tree). Exits 77
# (skipped) only when npm cannot reach its registry.
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-${TMPDIR:-/tmp}}/deploy/k8s-validate
KUBERNETES_MODELS=5.1.0
YAML=2.9.1

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "installing Debian's nodejs and npm ..."
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm; } \
            >/dev/null 2>&1 || true
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "SKIP: node and npm are not installed and could not be installed"
        exit 77
    fi
fi

mkdir -p "$WORK"
installed() {
    node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
        "$WORK/node_modules/$1/package.json" "$2" 2>/dev/null
}
if ! installed kubernetes-models "$KUBERNETES_MODELS" || ! installed yaml "$YAML"; then
    cat >"$WORK/package.json" <<JSON
{
  "name": "caseflow-k8s-validate",
  "private": true,
  "type": "module",
  "dependencies": { "kubernetes-models": "$KUBERNETES_MODELS", "yaml": "$YAML" }
}
JSON
    echo "installing kubernetes-models@$KUBERNETES_MODELS and yaml@$YAML into $WORK ..."
    if ! (cd "$WORK" && npm install --no-audit --no-fund --loglevel=error >npm-install.log 2>&1); then
        if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH|network' \
                "$WORK/npm-install.log"; then
            echo "SKIP: npm cannot reach its registry:"
            tail -n 5 "$WORK/npm-install.log"
            exit 77
        fi
        echo "npm install failed:" >&2
        tail -n 20 "$WORK/npm-install.log" >&2
        exit 1
    fi
fi
# Run next to its node_modules, so that its imports resolve there.
cp "$CF_ROOT/deploy/tests/k8s-validate.mjs" "$WORK/"
node "$WORK/k8s-validate.mjs" "$CF_ROOT/deploy/k8s"
