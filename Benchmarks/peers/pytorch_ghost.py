#!/usr/bin/env python3
"""Ghost norms of a linear layer: our fk_ghost_f32 against PyTorch, side by side in one process.

PyTorch's Gram form is the einsum the issue names: ‖Gᵢ‖² = ⟨AᵢAᵢᵀ, ΔᵢΔᵢᵀ⟩ with two batched einsums
(full T×T products), plus ‖Σ_t δ_t‖² for the bias.  Ours is called through ctypes on a shared library
built here from CKernels/ (clang -O2 -fopenmp, LLVM libomp).  Both get the same float32 arrays and the
same thread count; repetitions alternate; medians of ≥ 5 after a warm-up.  At T = 1 the script also
reports our read bandwidth (bytes of A and Δ per second) beside a PyTorch `sum` over the same bytes.

Usage:  python3 Benchmarks/peers/pytorch_ghost.py [--reps 7] [--threads 1,2]
Needs torch and numpy (Benchmarks only, never the library): a CPU wheel installs with
`python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch numpy` where pip's
configured wheel folder has one.
"""
import argparse
import ctypes
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FK_OK = 0


class Config(ctypes.Structure):
    _fields_ = [("threads", ctypes.c_int), ("isa", ctypes.c_int)]


def build_library(folder):
    """Compiles CKernels into a shared library the way the package does (function-level dispatch)."""
    kernels = os.path.join(ROOT, "CKernels")
    sources = [s for d in ("src", "ref", "x86") for s in sorted(glob.glob(os.path.join(kernels, d, "*.c")))]
    library = os.path.join(folder, "libfisherkernels.so")
    # -fopenmp when compiling only: as a link flag it asks for libomp.so, which Debian names libomp.so.5.
    subprocess.run(["clang", "-O2", "-fopenmp", "-fPIC", "-c", "-I", os.path.join(kernels, "include"),
                    "-I", os.path.join(kernels, "internal"), *sources], check=True, cwd=folder)
    objects = sorted(glob.glob(os.path.join(folder, "*.o")))
    subprocess.run(["clang", "-shared", *objects, "-o", library, "-lm", "-Wl,-l:libomp.so.5"], check=True)
    lib = ctypes.CDLL(library)
    p, d, f = ctypes.c_ssize_t, ctypes.POINTER(ctypes.c_double), ctypes.POINTER(ctypes.c_float)
    lib.fk_ghost_f32.argtypes = [p, p, p, p, f, p, p, f, p, p, d, d, ctypes.POINTER(p), ctypes.c_int,
                                 ctypes.POINTER(Config)]
    lib.fk_ghost_f32.restype = ctypes.c_int
    lib.fk_isa_name.restype = ctypes.c_char_p
    lib.fk_default_isa.restype = ctypes.c_int
    return lib


def ours(lib, a, g, threads, bias=True):
    """Times one fk_ghost_f32 call (automatic algorithm); returns seconds and the weight+bias norms."""
    n, t, din = a.shape
    dout = g.shape[2]
    weight, bias_sq = np.empty(n), np.empty(n)
    cfg = Config(threads, 0)
    fptr = ctypes.POINTER(ctypes.c_float)
    dptr = ctypes.POINTER(ctypes.c_double)
    start = time.perf_counter()
    status = lib.fk_ghost_f32(n, t, din, dout, a.ctypes.data_as(fptr), t * din, din, g.ctypes.data_as(fptr),
                              t * dout, dout, weight.ctypes.data_as(dptr),
                              bias_sq.ctypes.data_as(dptr) if bias else None, None, 0, ctypes.byref(cfg))
    elapsed = time.perf_counter() - start
    if status != FK_OK:
        sys.exit(f"pytorch_ghost: fk_ghost_f32 returned {status}")
    return elapsed, weight + (bias_sq if bias else 0)


def theirs(a, g, bias=True):
    """PyTorch einsum Gram form: ⟨A Aᵀ, Δ Δᵀ⟩ per sample, plus ‖Σ_t δ_t‖²."""
    start = time.perf_counter()
    with torch.no_grad():
        aa = torch.einsum("ntd,nsd->nts", a, a)
        gg = torch.einsum("ntd,nsd->nts", g, g)
        norms = (aa * gg).sum(dim=(1, 2))
        if bias:
            norms = norms + g.sum(dim=1).pow(2).sum(dim=1)
    elapsed = time.perf_counter() - start
    return elapsed, norms.double().numpy()


def compare(lib, n, t, din, dout, threads, reps):
    rng = np.random.default_rng(n * 1_000_003 + t)
    a = rng.standard_normal((n, t, din), dtype=np.float32)
    g = rng.standard_normal((n, t, dout), dtype=np.float32)
    ta, tg = torch.from_numpy(a), torch.from_numpy(g)
    torch.set_num_threads(threads)
    mine, peer = [], []
    for rep in range(reps + 1):  # rep 0: warm-up
        t_ours, norms_ours = ours(lib, a, g, threads)
        t_theirs, norms_theirs = theirs(ta, tg)
        if rep:
            mine.append(t_ours)
            peer.append(t_theirs)
    difference = np.max(np.abs(norms_ours - norms_theirs) / np.abs(norms_theirs))
    mo, mt = statistics.median(mine), statistics.median(peer)
    print(f"N={n:<6} T={t:<4} {din}->{dout} +bias threads={threads}  fk_ghost {mo * 1e3:8.2f} ms  "
          f"torch einsum {mt * 1e3:8.2f} ms  speed-up {mt / mo:5.2f}x  [max rel. difference {difference:.1e}]")
    return mo


def bandwidth(lib, n, d, threads, reps):
    """T = 1 at large N: our bytes read per second beside torch's sum over the same bytes."""
    rng = np.random.default_rng(7)
    a = rng.standard_normal((n, 1, d), dtype=np.float32)
    g = rng.standard_normal((n, 1, d), dtype=np.float32)
    ta, tg = torch.from_numpy(a), torch.from_numpy(g)
    torch.set_num_threads(threads)
    mine, summed = [], []
    for rep in range(reps + 1):
        t_ours, _ = ours(lib, a, g, threads)
        start = time.perf_counter()
        (ta.sum() + tg.sum()).item()
        t_sum = time.perf_counter() - start
        if rep:
            mine.append(t_ours)
            summed.append(t_sum)
    gigabytes = (a.nbytes + g.nbytes) / 1e9
    mo, ms = statistics.median(mine), statistics.median(summed)
    print(f"N={n:<7} T=1    {d}->{d} +bias threads={threads}  fk_ghost {gigabytes / mo:6.1f} GB/s ({mo * 1e3:.1f} ms)  "
          f"torch sum {gigabytes / ms:6.1f} GB/s  ratio {ms / mo:5.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    if args.reps < 5:
        parser.error(f"--reps must be at least 5 (got {args.reps})")
    threads = [int(x) for x in args.threads.split(",")]
    with tempfile.TemporaryDirectory(prefix="fk-pytorch-") as folder:
        lib = build_library(folder)
        print(f"load: {os.getloadavg()}; fk variant {lib.fk_isa_name(lib.fk_default_isa()).decode()}; "
              f"torch {torch.__version__}; medians of {args.reps} after a warm-up")
        for th in threads:
            compare(lib, 256, 128, 1024, 1024, th, args.reps)
        for th in threads:
            compare(lib, 256, 1, 1024, 1024, th, args.reps)
        for th in threads:
            bandwidth(lib, 131072, 1024, th, args.reps)


if __name__ == "__main__":
    main()
