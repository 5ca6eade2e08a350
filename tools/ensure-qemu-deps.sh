#!/bin/sh
# Installs what the Cortex-M (qemu) build needs on a Debian-like machine, or
# says what to install: the bare-metal Arm GCC with newlib's headers, and
# qemu-system-arm to run the firmware. Also checks for the nightly Rust
# toolchain that builds `core` for the thumbv*m targets (-Zbuild-std).
#
# Nothing installed is ever removed (apt-get --no-remove). Where qemu-utils is
# already installed (e.g. a newer one from <codename>-backports), qemu-system-arm
# is installed in the same version, from a private sources list that adds the
# backports suite of the machine's own mirror (the system's apt configuration
# is left as it is), since the distribution's older qemu-system would replace it.
set -eu
missing=""
command -v arm-none-eabi-gcc >/dev/null 2>&1 || missing="$missing gcc-arm-none-eabi"
# newlib's libc headers (stdlib.h, alloca.h, ...), which the port includes;
# libnewlib-dev has them (as /usr/lib/arm-none-eabi/include). The firmware
# links with -nostdlib, so the 370 MB of libraries in libnewlib-arm-none-eabi
# are not needed.
[ -f /usr/lib/arm-none-eabi/include/stdlib.h ] || missing="$missing libnewlib-dev"
command -v dpkg-deb >/dev/null 2>&1 || missing="$missing dpkg"
need_qemu=no
command -v qemu-system-arm >/dev/null 2>&1 || need_qemu=yes

if [ -n "$missing" ] || [ $need_qemu = yes ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        [ $need_qemu = yes ] && missing="$missing qemu-system-arm"
        echo "ensure-qemu-deps: please install (Debian/Ubuntu):$missing" >&2
        exit 1
    fi
    . "$(dirname "$0")/apt-lib.sh"
    # APT_OPTS: the private sources and lists of the qemu step below, if any.
    APT_OPTS=""
    apt_install() {
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get $APT_OPTS install -y -qq --no-install-recommends --no-remove "$@" >&2
    }
    # A fresh machine (or container) may have no package lists at all yet.
    # shellcheck disable=SC2086
    apt-get $APT_LEAN_OPTS update -qq >&2 || { echo "ensure-qemu-deps: apt-get update failed" >&2; exit 1; }
    if [ -n "$missing" ]; then
        echo "ensure-qemu-deps: installing$missing" >&2
        # shellcheck disable=SC2086
        apt_install $missing
    fi
    if [ $need_qemu = yes ]; then
        utils=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' qemu-utils 2>/dev/null | awk '$1 == "ii" { print $2 }')
        candidate=$(apt-cache policy qemu-system-arm | awk '/Candidate:/ { print $2 }')
        if [ -z "$utils" ] || [ "$utils" = "$candidate" ]; then
            echo "ensure-qemu-deps: installing qemu-system-arm" >&2
            apt_install qemu-system-arm
        else
            # The machine's own sources plus the backports suite of its Debian
            # mirror, in a private folder with its own package lists (and
            # their caches); the system's apt configuration stays as it is.
            codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
            cache=$(mkdir -p "${1:-.cache}" && cd "${1:-.cache}" && pwd)
            apt_dir="$cache/apt-qemu"
            rm -rf "$apt_dir/parts"
            mkdir -p "$apt_dir/lists/partial" "$apt_dir/parts"
            for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
                [ -f "$f" ] || continue
                case $f in
                    /etc/apt/sources.list) cp "$f" "$apt_dir/parts/system.list" ;;
                    *) cp "$f" "$apt_dir/parts/" ;;
                esac
            done
            mirror=$(debian_mirror)
            if [ -n "$mirror" ] && [ -n "$codename" ]; then
                echo "deb $(debian_signed_by) $mirror $codename-backports main" > "$apt_dir/parts/pyrtos-backports.list"
            fi
            APT_OPTS="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt_dir/parts
                      -o Dir::State::Lists=$apt_dir/lists -o APT::Sandbox::User=root
                      -o Dir::Cache::pkgcache=$apt_dir/pkgcache.bin -o Dir::Cache::srcpkgcache=$apt_dir/srcpkgcache.bin"
            echo "ensure-qemu-deps: installing qemu-system-arm $utils, the version of the installed qemu-utils" >&2
            # shellcheck disable=SC2086
            apt-get $APT_OPTS $APT_LEAN_OPTS update -qq >&2 ||
                { echo "ensure-qemu-deps: apt-get update with $codename-backports failed" >&2; exit 1; }
            apt_install "qemu-system-arm=$utils" "qemu-system-common=$utils" "qemu-system-data=$utils" || {
                echo "ensure-qemu-deps: could not install qemu-system-arm $utils next to qemu-utils $utils;" >&2
                echo "  install qemu-system-arm of the same version as qemu-utils" >&2
                exit 1
            }
        fi
    fi
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "ensure-qemu-deps: no nightly Rust toolchain (cargo +nightly); the Cortex-M build" >&2
    echo "  needs one to build 'core' (rustup toolchain install nightly)" >&2
    exit 1
fi
