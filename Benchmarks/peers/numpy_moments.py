#!/usr/bin/env python3
"""NumPy next to fisher-bench's moments kernel, on the same shapes.

Times, for each (shape, dtype) of the `moments` results in a fisher-bench JSON report:
  - row norms ||g_i||^2 by np.vecdot(x, x) and by np.einsum('ij,ij->i', x, x)  (one pass);
  - row norms + column mean: np.vecdot(x, x) then x.mean(axis=0)               (two passes),
    the same outputs as fisher-bench's `moments` (row norms and column sums) in one pass.
Rates are N*D*itemsize bytes per call over the median time (fisher-bench counts the same way, plus its
small outputs), so a ratio of rates is a ratio of times. These NumPy operations run on one thread whatever
OMP_NUM_THREADS says; they are compared with fisher-bench at each thread count it measured.

  python3 numpy_moments.py bench.json                      # a saved `fisher-bench --json` report
  python3 numpy_moments.py --runs 5 --run .build/release/fisher-bench --shapes 65536x4096   # run it first

Only for comparisons: never needed by the build or the tests. bfloat16 shapes are skipped (NumPy has no
bfloat16 arithmetic).
"""
import argparse
import json
import subprocess
import sys
import time

import numpy as np


def median_seconds(call, runs, warmups):
    for _ in range(warmups):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return float(np.median(samples)), (max(samples) - min(samples)) / float(np.median(samples))


def load_report(args):
    if args.run:
        command = [args.run, "--json", "--kernels", "moments"] + args.bench_args
        print("running:", " ".join(command), file=sys.stderr)
        done = subprocess.run(command, stdout=subprocess.PIPE, check=False)
        if done.returncode != 0:
            sys.exit(f"numpy_moments.py: error: fisher-bench exited with status {done.returncode}")
        return json.loads(done.stdout)
    with open(args.report) as f:
        return json.load(f)


def main():
    argv = sys.argv[1:]
    bench = []
    if "--run" in argv:  # everything after --run is the fisher-bench binary and its options
        bench = argv[argv.index("--run") + 1:]
        argv = argv[:argv.index("--run")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="--run FISHER_BENCH [options]: run that binary first; the rest goes to it")
    parser.add_argument("report", nargs="?", help="fisher-bench --json output")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per NumPy operation (default 5)")
    args = parser.parse_args(argv)
    args.run = bench[0] if bench else None
    args.bench_args = bench[1:]
    if bool(args.report) == bool(args.run):
        parser.error("give a report file, or --run FISHER_BENCH [its options] (last)")
    report = load_report(args)
    if report.get("tool") != "fisher-bench" or report.get("schema_version") != 1:
        sys.exit("numpy_moments.py: error: not a fisher-bench JSON report (expected schema_version 1)")

    # fisher-bench `moments` rates by (shape, dtype) and thread count (optimized variant only).
    ours = {}
    for r in report["results"]:
        if r["kernel"] == "moments" and r["variant"] != "reference":
            ours.setdefault((tuple(r["shape"]), r["dtype"]), {})[r["threads"]] = r["bytes_per_second"]
    if not ours:
        sys.exit("numpy_moments.py: error: the report has no `moments` results (expected --kernels moments)")

    rng = np.random.default_rng(1)
    print(f"NumPy {np.__version__}; fisher-bench {report['version']} ({report['build']} build, {report['machine']['cpu']}); "
          f"medians of {args.runs} runs; ratio = fisher-bench GB/s / NumPy GB/s")
    header = f"{'shape':<14}{'dtype':<9}{'NumPy operation':<34}{'NumPy GB/s':>11}{'spread':>8}   fisher-bench moments GB/s (ratio) by threads"
    print(header)
    print("-" * len(header))
    for (shape, dtype), by_threads in sorted(ours.items()):
        if dtype == "bfloat16":
            continue
        n, d = shape
        x = rng.uniform(-1, 1, size=(n, d)).astype(dtype)
        nbytes = x.nbytes
        operations = [
            ("vecdot(x, x)", lambda: np.vecdot(x, x)),
            ("einsum('ij,ij->i', x, x)", lambda: np.einsum("ij,ij->i", x, x)),
            ("vecdot(x, x) + x.mean(axis=0)", lambda: (np.vecdot(x, x), x.mean(axis=0))),
        ]
        for name, call in operations:
            seconds, spread = median_seconds(call, args.runs, warmups=1)
            rate = nbytes / seconds
            cells = "  ".join(f"{t}: {by_threads[t] / 1e9:.1f} ({by_threads[t] / rate:.2f}x)" for t in sorted(by_threads))
            print(f"{'x'.join(map(str, shape)):<14}{dtype:<9}{name:<34}{rate / 1e9:>11.1f}{spread * 100:>7.0f}%   {cells}")
        del x


if __name__ == "__main__":
    main()
