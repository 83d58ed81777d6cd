#!/bin/sh
# The argument checks of typenet_bench, bench/run, bench/check_filter.py and
# bench/pytorch_compare.py that need no timing: each bad argument must give its exit status and a
# message. Not a CTest: typenet_bench is only built with -DTYPENET_BUILD_BENCHMARKS=ON.
#   bench/arguments_test.sh [TYPENET_BENCH]   (default build/bench/bench/typenet_bench, as
#                                              bench/run builds it; bench/run itself is not run)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bench="${1:-$root/build/bench/bench/typenet_bench}"
[ -x "$bench" ] || { echo "arguments_test: no program '$bench' (build it with bench/run)" >&2; exit 2; }
failures=0

# expect STATUS MESSAGE_PATTERN COMMAND...: the command's exit status and a line of its output.
expect() {
  want_status=$1 pattern=$2
  shift 2
  output=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne "$want_status" ] || ! printf '%s\n' "$output" | grep -Eq -- "$pattern"; then
    echo "FAIL: $* -> exit $status (want $want_status, /$pattern/):" >&2
    printf '%s\n' "$output" | tail -3 >&2
    failures=$((failures + 1))
  else
    echo "ok: $* -> exit $status"
  fi
}

range="give a whole number from 1 to [0-9]+"
for value in 0 -1 abc '' 1.5 +1 99999999999999999999999 9999; do
  literal=$(printf '%s' "$value" | sed 's/[+.]/\\&/g')
  expect 2 "^typenet_bench: --threads: '$literal' is not a thread count; $range" \
    "$bench" "--threads=$value"
  expect 2 "^typenet_bench: --threads: '$literal' is not a thread count; $range" \
    "$bench" --threads "$value"
done
expect 2 "^typenet_bench: --threads needs a value" "$bench" --threads
expect 2 "unrecognized command-line flag: --bogus" "$bench" --bogus
expect 2 "unrecognized command-line flag: --bogus" "$bench" --threads 1 --bogus
expect 0 "--threads N" "$bench" --help
expect 0 "^lenet_infer_batch1$" "$bench" --threads 1 --benchmark_list_tests=true
expect 1 "Failed to match any benchmarks" "$bench" --benchmark_filter=zzz_nomatch
expect 1 "Could not compile benchmark re" "$bench" '--benchmark_filter=lenet\d'

check="$root/bench/check_filter.py"
expect 2 "Python's re rejects it" /usr/bin/python3 "$check" '('
expect 2 "Google Benchmark rejects it" /usr/bin/python3 "$check" 'lenet_infer_batch\d' "$bench"
expect 2 "Python's re picks nothing" /usr/bin/python3 "$check" '[[:digit:]]' "$bench"
expect 1 "no benchmark matches it" /usr/bin/python3 "$check" zzz_nomatch "$bench"
expect 1 "no benchmark matches it" /usr/bin/python3 "$check" LENET "$bench"
expect 0 "" /usr/bin/python3 "$check" 'lenet_infer_batch[0-9]$|^conv3x3' "$bench"

expect 0 "^usage: bench/run" "$root/bench/run" --help
expect 2 "unknown argument '--bogus'" "$root/bench/run" --bogus
expect 2 "Python's re rejects it" "$root/bench/run" --filter '('
for value in 0 -1 abc '' 1.5 101 99999999999999999999; do
  expect 2 "--repetitions '$(printf '%s' "$value" | sed 's/[.]/\\./g')' is not a number from 1 to 100" \
    "$root/bench/run" --repetitions "$value"
done
expect 2 "--repetitions needs a number" "$root/bench/run" --repetitions

compare="$root/bench/pytorch_compare.py"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  for value in 0 -1 abc 1.5 9999; do
    expect 2 "argument --threads: '$value' is not a thread count" \
      /usr/bin/python3 "$compare" --threads "$value"
  done
  expect 2 "argument --min-time: '0' is not a positive" /usr/bin/python3 "$compare" --min-time 0
  for value in 0 abc 101; do
    expect 2 "argument --repetitions: '$value' is not a number of repetitions" \
      /usr/bin/python3 "$compare" --repetitions "$value"
  done
  expect 2 "argument --filter: '\(' is not a regular expression" \
    /usr/bin/python3 "$compare" --filter '('
else
  echo "skipped: pytorch_compare.py (no python3-torch)"
fi

report="$root/bench/report.py"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
: >"$scratch/typenet_1.json"
printf '{"benchmarks": [' >"$scratch/typenet_2.json"
printf '{"a": 1}' >"$scratch/pytorch_1.json"
expect 1 "typenet_1.json: is empty or not JSON" /usr/bin/python3 "$report" --check "$scratch/typenet_1.json"
expect 1 "typenet_2.json: is empty or not JSON" /usr/bin/python3 "$report" --check "$scratch/typenet_2.json"
expect 1 "pytorch_1.json: is not pytorch_compare.py's output" \
  /usr/bin/python3 "$report" --check "$scratch/pytorch_1.json"
expect 1 "typenet_1.json: is empty or not JSON" /usr/bin/python3 "$report" "$scratch"

[ "$failures" -eq 0 ] || { echo "arguments_test: $failures failed" >&2; exit 1; }
echo "arguments_test: all passed"
