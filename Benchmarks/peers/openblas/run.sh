#!/usr/bin/env bash
# run.sh — builds syrk_vs_openblas (our CKernels sources, clang -O2 -fopenmp, LLVM libomp, Debian's
# OpenBLAS as the yardstick) and ghost_cost in a temporary folder and runs one; arguments go to it.
# Example: Benchmarks/peers/openblas/run.sh            (both shapes, 1 and 2 threads)
#          Benchmarks/peers/openblas/run.sh --accuracy 100000 256
#          Benchmarks/peers/openblas/run.sh --ghost-cost    (calibration table of the ghost cost model)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kernels="$here/../../../CKernels"
build="$(mktemp -d /tmp/fk-openblas.XXXXXX)"
trap 'rm -rf "$build"' EXIT
cd "$build"
clang -O2 -fopenmp -I"$kernels/include" -I"$kernels/internal" -I/usr/include/x86_64-linux-gnu/openblas-pthread \
    -c "$kernels"/src/*.c "$kernels"/ref/*.c "$kernels"/x86/*.c "$here/syrk_vs_openblas.c" "$here/ghost_cost.c"
objects=$(ls ./*.o | grep -v -e syrk_vs_openblas.o -e ghost_cost.o)
clang $objects syrk_vs_openblas.o -o syrk_vs_openblas -lm -lopenblas -Wl,-l:libomp.so.5
clang $objects ghost_cost.o -o ghost_cost -lm -Wl,-l:libomp.so.5
echo "load: $(uptime)"
if [ "${1:-}" = "--ghost-cost" ]; then ./ghost_cost; else ./syrk_vs_openblas "$@"; fi
