#!/usr/bin/env bash
# Installs what FisherTrace needs beyond the Swift toolchain: LLVM's OpenMP runtime (Debian's libomp-dev).
# Idempotent: does nothing when it is already there.
set -euo pipefail

have_libomp() { [ -e /usr/lib/x86_64-linux-gnu/libomp.so.5 ] || [ -e /usr/lib/aarch64-linux-gnu/libomp.so.5 ] \
    || ldconfig -p 2>/dev/null | grep -q 'libomp\.so\.5'; }

if ! have_libomp; then
    if ! command -v apt-get >/dev/null; then
        echo "setup: libomp.so.5 is missing and apt-get is not available; install LLVM's OpenMP runtime, or build with FISHERTRACE_OPENMP=0" >&2
        exit 1
    fi
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing libomp-dev" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libomp-dev >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (expected Swift 6 or later)" >&2; exit 1; }
