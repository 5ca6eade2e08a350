#!/bin/sh
# Installs what the build needs on a Debian-like machine, or says what to install.
#   tools/ensure-deps.sh [TOOL...]    also these commands (package of the same name)
set -eu
missing=""
for tool in gcc make python3 xz valgrind "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
# The Debian archive's keys (.gpg up to bookworm, .pgp from trixie on), which
# the private apt setups of tools/apt-lib.sh check downloads against.
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || [ -f /usr/share/keyrings/debian-archive-keyring.pgp ] ||
    missing="$missing debian-archive-keyring"
if [ -n "$missing" ]; then
    packages=$(echo "$missing" | sed 's/gcc/build-essential/; s/xz/xz-utils/')
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "ensure-deps: installing$packages" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >&2
    else
        echo "ensure-deps: please install:$packages" >&2
        exit 1
    fi
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "ensure-deps: cargo not found; install Rust (https://rustup.rs) and retry" >&2
    exit 1
fi
