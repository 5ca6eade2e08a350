#!/bin/sh
# Fetch the pinned MicroPython release from Debian's source package, verify it
# and unpack it into the cache folder given as $1 (default: .cache).
#
# The mirror is the one this machine's apt already uses (read from its sources);
# apt runs against a private sources list and state folder under the cache, so
# the system's apt configuration is left untouched and root is not needed.
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

# The first Debian mirror configured on this machine (deb822 or one-line format).
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
         awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
             awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }')
fi
[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources.list*; set MICROPY_DIR instead"

apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$apt_dir/sources.list" <<SRC
deb-src [signed-by=$keyring] $mirror $(echo $SUITES | cut -d' ' -f1) main
deb-src [signed-by=$keyring] $mirror $(echo $SUITES | cut -d' ' -f2) main
SRC
apt_opts="-o Dir::Etc::SourceList=$apt_dir/sources.list -o Dir::Etc::SourceParts=$apt_dir/parts
          -o Dir::State::Lists=$apt_dir/lists -o Dir::Cache::Archives=$apt_dir/archives
          -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq"

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
