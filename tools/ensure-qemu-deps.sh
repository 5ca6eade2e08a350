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
# newlib provides the libc headers (stdlib.h, alloca.h, ...) the port includes.
[ -f /usr/lib/arm-none-eabi/include/stdlib.h ] || missing="$missing libnewlib-arm-none-eabi"
command -v dpkg-deb >/dev/null 2>&1 || missing="$missing dpkg"
need_qemu=no
command -v qemu-system-arm >/dev/null 2>&1 || need_qemu=yes

if [ -n "$missing" ] || [ $need_qemu = yes ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        [ $need_qemu = yes ] && missing="$missing qemu-system-arm"
        echo "ensure-qemu-deps: please install (Debian/Ubuntu):$missing" >&2
        exit 1
    fi
    install() {
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-remove "$@" >&2
    }
    apt-get update -qq >&2
    if [ -n "$missing" ]; then
        echo "ensure-qemu-deps: installing$missing" >&2
        # shellcheck disable=SC2086
        install $missing
    fi
    if [ $need_qemu = yes ]; then
        utils=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' qemu-utils 2>/dev/null | awk '$1 == "ii" { print $2 }')
        candidate=$(apt-cache policy qemu-system-arm | awk '/Candidate:/ { print $2 }')
        if [ -z "$utils" ] || [ "$utils" = "$candidate" ]; then
            echo "ensure-qemu-deps: installing qemu-system-arm" >&2
            install qemu-system-arm
        else
            # The machine's sources plus the backports suite, in a private
            # folder; package lists go there too.
            . /etc/os-release
            cache=$(mkdir -p "${1:-.cache}" && cd "${1:-.cache}" && pwd)
            apt_dir="$cache/apt-qemu"
            mkdir -p "$apt_dir/lists/partial" "$apt_dir/parts"
            rm -f "$apt_dir/parts/"*
            for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
                [ -f "$f" ] && cp "$f" "$apt_dir/parts/"
            done
            [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$apt_dir/parts/main.list"
            . "$(dirname "$0")/apt-lib.sh"
            mirror=$(debian_mirror)
            if [ "${ID:-}" = debian ] && [ -n "$mirror" ] && [ -n "${VERSION_CODENAME:-}" ]; then
                echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror ${VERSION_CODENAME}-backports main" \
                    > "$apt_dir/parts/backports.list"
            fi
            opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt_dir/parts
                  -o Dir::State::Lists=$apt_dir/lists
                  -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
            echo "ensure-qemu-deps: installing qemu-system-arm $utils, the version of the installed qemu-utils" >&2
            # shellcheck disable=SC2086
            apt-get $opts update -qq >&2
            # shellcheck disable=SC2086
            DEBIAN_FRONTEND=noninteractive apt-get $opts install -y -qq --no-install-recommends --no-remove \
                "qemu-system-arm=$utils" "qemu-system-common=$utils" "qemu-system-data=$utils" >&2 || {
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
