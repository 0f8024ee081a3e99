#!/usr/bin/env bash
# Builds caseflow's container image with podman from deploy/container/Containerfile:
# one image for every service (the command chooses the service), tagged
# IMAGE:<version> and IMAGE:latest (IMAGE: --tag, default localhost/caseflow).
#
#   deploy/container/build-image.sh                 build; every unchanged layer is reused
#   deploy/container/build-image.sh --rebuild-base  make the Debian base image anew first
#   deploy/container/build-image.sh --tag NAME      another image name
#   deploy/container/build-image.sh --quiet         only the closing summary on stdout
#
# The Debian 12 base image is CF_BASE_IMAGE when set; else docker.io/library/debian:bookworm
# when podman has it locally; else localhost/caseflow-debian:bookworm, made once on this
# machine with debootstrap from the Debian mirror configured in its apt sources
# (/etc/apt/sources.list, /etc/apt/sources.list.d/) and `podman import`; podman keeps it
# for later builds, so only the first build pays for it. No registry is asked (--pull=never).
# podman reads deploy/container/containers.conf (runtime runc, ulimits) through
# CONTAINERS_CONF. Installs podman, runc and debootstrap when missing (as root).
set -euo pipefail
CF_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=deploy/lib/setup.sh
. "$CF_ROOT/deploy/lib/setup.sh"
HERE="$CF_ROOT/deploy/container"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$HERE/containers.conf}
# No systemd here to run health-check timers: podman would log an error per container.
export DISABLE_HC_SYSTEMD=${DISABLE_HC_SYSTEMD:-true}

SUITE=bookworm
LOCAL_BASE=localhost/caseflow-debian:$SUITE
REGISTRY_BASE=docker.io/library/debian:$SUITE
IMAGE=localhost/caseflow
rebuild_base=0
quiet=0

usage() {
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --rebuild-base) rebuild_base=1 ;;
        --tag) shift; IMAGE=${1:?--tag needs a name} ;;
        --tag=*) IMAGE=${1#--tag=} ;;
        --quiet) quiet=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build-image.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

say() { [ $quiet = 1 ] || echo "$@"; }
# Runs a command, its output on stdout unless --quiet (then only on failure).
run() {
    if [ $quiet = 0 ]; then "$@"; return; fi
    local log rc=0
    log=$(mktemp)
    "$@" >"$log" 2>&1 || rc=$?
    [ $rc = 0 ] || { tail -n 40 "$log" >&2; }
    rm -f "$log"
    return $rc
}

VERSION=$(sed -n 's/^project(caseflow VERSION \([0-9.]*\).*/\1/p' "$CF_ROOT/CMakeLists.txt")
VERSION=${VERSION:-0}

cf_ensure_packages podman runc

# ------------------------------------------------------------ the base image

# Prints "URI SUITE" for every enabled `deb` source of this machine, from the
# one-line format (sources.list, *.list) and the deb822 format (*.sources).
apt_sources() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" {
                 i = 2
                 if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
                 print $i, $(i + 1)
             }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'function flush(   n, m, i, j, u, s) {
                 if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no") {
                     n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
                     for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
                         if (u[i] != "" && s[j] != "") print u[i], s[j]
                 }
                 types = uris = suites = enabled = ""
             }
             /^#/ { next }
             /^[ \t]*$/ { flush(); next }
             /^[A-Za-z-]+:/ {
                 key = tolower(substr($0, 1, index($0, ":") - 1))
                 val = substr($0, index($0, ":") + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
                 if (key == "types") types = val
                 else if (key == "uris") uris = val
                 else if (key == "suites") suites = val
                 else if (key == "enabled") enabled = tolower(val)
             }
             END { flush() }' "$f"
    done
}

# The first http(s) URI this machine uses for SUITE, or nothing.
mirror_for() {
    apt_sources | awk -v suite="$1" '$2 == suite && $1 ~ /^https?:\/\// { print $1; exit }'
}

make_base() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "build-image.sh: making the Debian base image needs root (debootstrap)" >&2
        exit 2
    fi
    cf_ensure_packages debootstrap debian-archive-keyring
    local mirror updates security rootfs started=$SECONDS
    mirror=$(mirror_for "$SUITE")
    if [ -z "$mirror" ]; then
        echo "build-image.sh: no Debian mirror for $SUITE in this machine's apt sources" \
             "(/etc/apt/sources.list, /etc/apt/sources.list.d/); cannot make the base image" >&2
        exit 1
    fi
    updates=$(mirror_for "$SUITE-updates")
    security=$(mirror_for "$SUITE-security")
    old_base=$(podman image inspect --format '{{.Id}}' "$LOCAL_BASE" 2>/dev/null || true)
    rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/caseflow-debootstrap.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$rootfs'" EXIT
    say "making the base image $LOCAL_BASE with debootstrap ($SUITE, minbase) from this machine's mirror ..."
    run debootstrap --variant=minbase --components=main "$SUITE" "$rootfs" "$mirror"
    {
        echo "deb $mirror $SUITE main"
        [ -z "$updates" ] || echo "deb $updates $SUITE-updates main"
        [ -z "$security" ] || echo "deb $security $SUITE-security main"
    } >"$rootfs/etc/apt/sources.list"
    # Slim, as Debian's own -slim images: no documentation, manual pages or
    # translations, now or from packages installed later (copyrights stay).
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/caseflow-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/linda/*
EOF
    find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
           "$rootfs"/usr/share/lintian/overrides/* "$rootfs"/usr/share/linda/*
    # What belongs to this machine or to debootstrap's run stays out of the image;
    # podman provides hostname and resolv.conf to each container.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
           "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* \
           "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf" "$rootfs/debootstrap"
    : >"$rootfs/etc/resolv.conf"
    tar --numeric-owner --xattrs -C "$rootfs" -c . \
        | run podman import --change 'CMD ["/bin/bash"]' \
              --message "Debian $SUITE minbase made by caseflow's build-image.sh" - "$LOCAL_BASE"
    rm -rf "$rootfs"
    trap - EXIT
    base_seconds=$((SECONDS - started))
    say "base image $LOCAL_BASE made in $base_seconds s"
}

base=${CF_BASE_IMAGE:-}
base_seconds=
old_base=
if [ -z "$base" ]; then
    if [ $rebuild_base = 0 ] && podman image exists "$REGISTRY_BASE"; then
        base=$REGISTRY_BASE
    else
        base=$LOCAL_BASE
        if [ $rebuild_base = 1 ] || ! podman image exists "$LOCAL_BASE"; then
            make_base
        fi
    fi
elif ! podman image exists "$base"; then
    echo "build-image.sh: CF_BASE_IMAGE=$base is not in podman's local storage" >&2
    exit 1
fi

# ------------------------------------------------------------------ the image

# The build context: the repository without what .gitignore keeps out of it
# (build trees, var/) and .git; a few megabytes instead of every build tree.
context=$(mktemp -d "${TMPDIR:-/tmp}/caseflow-context.XXXXXX")
# shellcheck disable=SC2064
trap "rm -rf '$context'" EXIT
tar -C "$CF_ROOT" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./var \
    --exclude=node_modules -cf - . | tar -C "$context" -xf -

say "building $IMAGE:$VERSION from $base ..."
started=$SECONDS
run podman build --format docker --pull=never --network host --layers --jobs 2 \
    --build-arg "DEBIAN_IMAGE=$base" \
    -t "$IMAGE:$VERSION" -t "$IMAGE:latest" \
    -f "$context/deploy/container/Containerfile" "$context"
# The build stage, all cached now, gets a tag: it is the next build's cache.
run podman build --format docker --pull=never --network host --layers --target build \
    --build-arg "DEBIAN_IMAGE=$base" -t "$IMAGE-build:latest" \
    -f "$context/deploy/container/Containerfile" "$context"
elapsed=$((SECONDS - started))
rm -rf "$context"
trap - EXIT

# What older builds left untagged (their stages and layers) only takes disk
# space: remove those of caseflow's builds (by the stages' label), nothing else.
podman image prune -f --filter label=caseflow.stage >/dev/null 2>&1 || true
[ -z "$old_base" ] || podman rmi "$old_base" >/dev/null 2>&1 || true
new_id=$(podman image inspect --format '{{.Id}}' "$IMAGE:latest")

size=$(podman image inspect --format '{{.Size}}' "$IMAGE:latest")
services=$(podman run --rm --network none --no-healthcheck --entrypoint /bin/ls "$IMAGE:latest" /usr/local/bin \
           | grep -v healthcheck | tr '\n' ' ')
made=${base_seconds:+ (made in $base_seconds s)}
echo "image $IMAGE:$VERSION (${new_id:0:12}): $((size / 1000000)) MB, built in ${elapsed} s from $base$made; binaries: $services"
