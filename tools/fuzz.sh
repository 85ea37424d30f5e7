#!/usr/bin/env bash
# Fuzzes the file readers with libFuzzer (Tests/Fuzz/ReaderFuzzer): header parsing, and for valid small
# headers the data path through GradientDataSet and FisherAccumulator; or the training-log CSV parser.
#
#   tools/fuzz.sh [npy|safetensors|csv] [seconds=600] [more libFuzzer flags…]
#
# Seeds: Tests/Fuzz/corpus/<parser>/ (committed). New inputs go to fuzz-corpus-tmp/<parser>/ (ignored);
# a crash leaves crash-* in the current folder: add it to the seeds once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
parser=${1:-npy}
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
FISHERTRACE_FUZZ=1 swift build -c release --product fuzz-readers --scratch-path .build/fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
mkdir -p "fuzz-corpus-tmp/$parser"
FUZZ_PARSER=$parser .build/fuzz/release/fuzz-readers "fuzz-corpus-tmp/$parser" "Tests/Fuzz/corpus/$parser" \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 "$@"
