#!/bin/sh
# Provides the Rust standard library sources that `cargo +nightly ... -Zbuild-std=core`
# compiles `core` from, for targets without a prebuilt `core` (thumbv6m/thumbv7m).
#
#   tools/fetch-rust-src.sh [CACHE_DIR] [TOOLCHAIN]     (defaults: .cache, +nightly)
#
# Prints, on its last line, the `library` folder to hand to cargo through
# __CARGO_TESTS_ONLY_SRC_ROOT (the variable cargo reads instead of
# SYSROOT/lib/rustlib/src/rust/library; nothing outside CACHE_DIR is touched).
#
# If the toolchain already has its rust-src component, that is used. Otherwise
# Debian's `rust-src` package of the same minor version (1.97.x for a
# 1.97.0-nightly) is downloaded from unstable: apt runs against a private
# sources list (the mirror this machine's apt already uses) and state folder
# under the cache, verifies the package against the signed index, and only the
# `library` folder is unpacked. Cached: a second run prints the path at once.
set -eu

toolchain=${2:-+nightly}
cache=$(mkdir -p "${1:-.cache}" && cd "${1:-.cache}" && pwd)
die() { echo "fetch-rust-src: $*" >&2; exit 1; }

sysroot=$(rustc "$toolchain" --print sysroot 2>/dev/null) || die "no rustc $toolchain toolchain"
if [ -f "$sysroot/lib/rustlib/src/rust/library/core/src/lib.rs" ]; then
    echo "$sysroot/lib/rustlib/src/rust/library"
    exit 0
fi
# "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)" -> 1.97
minor=$(rustc "$toolchain" --version | sed -n 's/^rustc \([0-9]*\.[0-9]*\)\..*/\1/p')
[ -n "$minor" ] || die "cannot read the version of rustc $toolchain"

dest="$cache/rust-src-$minor"
if [ -f "$dest/.pyrtos-verified" ]; then
    echo "$dest/library"
    exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found; install rust-src for rustc $toolchain yourself"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found"
. "$(dirname "$0")/apt-lib.sh"
mirror=$(debian_mirror)
[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*"

# Binary package lists live in their own folder: apt-get update removes list
# files its sources list does not name (fetch-micropython.sh keeps deb-src lists).
apt_dir="$cache/apt-rust-src"
# No installed-package status: nothing is installed from these lists.
apt_opts="$(private_apt_opts "$apt_dir") -o Dir::State::status=/dev/null"
echo "deb $(debian_signed_by) $mirror sid main" > "$apt_dir/sources.list"

echo "fetch-rust-src: looking up Debian's rust-src $minor.x (unstable) on $mirror" >&2
# shellcheck disable=SC2086
apt-get $apt_opts update >&2 || die "apt-get update failed"
# shellcheck disable=SC2086
version=$(apt-cache $apt_opts madison rust-src | awk -v m="$minor" '
    { v = $3; sub(/^[0-9]+:/, "", v); if (index(v, m ".") == 1) { print $3; exit } }')
[ -n "$version" ] || die "Debian unstable has no rust-src $minor.x; install rust-src for rustc $toolchain yourself"

work="$cache/download-rust-src"
rm -rf "$work" && mkdir -p "$work"
echo "fetch-rust-src: downloading rust-src $version" >&2
# apt-get download checks the package against the hash in the signed index.
# shellcheck disable=SC2086
(cd "$work" && apt-get $apt_opts download "rust-src=$version" >&2) || die "could not download rust-src=$version"
deb=$(ls "$work"/rust-src_*.deb)
# The package ships the whole rustc source under /usr/src/rustc-VERSION; keep library/.
upstream=$(echo "$version" | sed 's/^[0-9]*://; s/[+~-].*//')
rm -rf "$dest" && mkdir -p "$dest"
dpkg-deb --fsys-tarfile "$deb" |
    tar -x -C "$dest" --strip-components=4 "./usr/src/rustc-$upstream/library" ||
    die "unexpected layout in $deb"
[ -f "$dest/library/core/src/lib.rs" ] || die "no library/core in $deb"
echo "$version" > "$dest/.pyrtos-verified"
rm -rf "$work"
echo "$dest/library"
