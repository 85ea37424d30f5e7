#!/usr/bin/env bash
# The test command: set up, build, run every test; then check that the C core still builds and passes
# its kernel tests without OpenMP (FISHERTRACE_OPENMP=0), in a separate build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build --build-tests
swift test --skip-build
FISHERTRACE_OPENMP=0 swift build --build-tests --scratch-path .build/no-openmp
FISHERTRACE_OPENMP=0 swift test --skip-build --scratch-path .build/no-openmp --filter 'KernelTests'
