#!/bin/sh
# Fetch the pinned MicroPython release from Debian's source package, verify it
# and unpack it into the cache folder given as $1 (default: .cache), through a
# private apt setup (tools/apt-lib.sh).
# Prints the path of the unpacked tree on its last line.
set -eu

VERSION=1.26.1
DEB_VERSION=1.26.1+ds-1
SUITES="sid trixie"
ORIG=micropython_${VERSION}+ds.orig.tar.xz
SHA256=f5ad2ec89d3e921f753d448955af98b6005655f84ba26087dde6ba0e8d062f34

cache=$(mkdir -p "${1:-.cache}" && cd "${1:-.cache}" && pwd)
tree="$cache/micropython-$VERSION"
if [ -f "$tree/.pyrtos-verified" ]; then
    echo "$tree"
    exit 0
fi

die() { echo "fetch-micropython: $*" >&2; exit 1; }
command -v apt-get >/dev/null || die "apt-get not found; set MICROPY_DIR to a MicroPython $VERSION checkout instead"

. "$(dirname "$0")/apt-lib.sh"
mirror=$(debian_mirror)
[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*; set MICROPY_DIR instead"

apt_dir="$cache/apt"
apt_opts=$(private_apt_opts "$apt_dir")
signed_by=$(debian_signed_by)
for suite in $SUITES; do
    echo "deb-src $signed_by $mirror $suite main"
done > "$apt_dir/sources.list"

echo "fetch-micropython: downloading micropython $DEB_VERSION source from $mirror" >&2
# shellcheck disable=SC2086
apt-get $apt_opts update >&2 || die "apt-get update failed"
work="$cache/download"
rm -rf "$work" && mkdir -p "$work"
# shellcheck disable=SC2086
(cd "$work" && apt-get $apt_opts source --download-only "micropython=$DEB_VERSION" >&2) ||
    die "could not download micropython=$DEB_VERSION"

echo "$SHA256  $work/$ORIG" | sha256sum -c - >&2 || die "checksum mismatch for $ORIG"
rm -rf "$tree"
tar -C "$cache" -xJf "$work/$ORIG"
[ -d "$tree/py" ] || die "unexpected layout in $ORIG"
touch "$tree/.pyrtos-verified"
rm -rf "$work"
echo "$tree"
