#!/usr/bin/env bash
# Shared by scripts/tiered and scripts/test: makes sure what Tiered needs is on the machine,
# installing Debian packages when we may (root, or passwordless sudo), else saying what to do.
set -euo pipefail

need_dotnet() {
    if ! command -v dotnet >/dev/null 2>&1; then
        echo "tiered: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
        exit 2
    fi
}

# apt_install PACKAGE... : installs missing Debian packages or explains how to.
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
            echo "tiered: missing Debian packages: ${missing[*]}" >&2
            echo "        install them with: sudo apt-get install -y ${missing[*]}" >&2
            exit 2
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "tiered: missing packages ${missing[*]} and no apt-get to install them; install them by hand." >&2
        exit 2
    fi
    echo "tiered: installing ${missing[*]} ..." >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
