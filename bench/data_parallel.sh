#!/bin/sh
# Data-parallel throughput on this machine: 1 process x 1 thread, 1 process x 2 threads and
# 2 processes x 1 thread at the same global batch (the gradient sums after backward, then
# overlapping it: Distributed::overlap), for LeNet-5 and ResNet-18 (224 x 224), and ResNet-50's
# time per step for the scaling model of docs/distributed.md. Prints a markdown table.
#   bench/data_parallel.sh [BUILD_DIR]     (default build/bench; configured with benchmarks on)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build="${1:-$root/build/bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTYPENET_BUILD_TESTS=OFF \
  -DTYPENET_BUILD_EXAMPLES=OFF -DTYPENET_BUILD_BENCHMARKS=ON -DTYPENET_WITH_MPI=ON >/dev/null
cmake --build "$build" --target typenet_data_parallel_bench >/dev/null
program="$build/bench/typenet_data_parallel_bench"
flags="--oversubscribe"
[ "$(id -u)" -ne 0 ] || flags="$flags --allow-run-as-root"
# --bind-to none: Open MPI binds 1 or 2 processes to one core each, which would put a 2-thread
# process's threads on one core.
run() { mpirun $flags --bind-to none -np "$@"; }

echo "| model | processes x threads | overlap | batch per process | global batch | images/s | ms per step | communication ms per step |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
run 1 "$program" lenet5 64 400 1
run 1 "$program" lenet5 64 400 2
run 2 "$program" lenet5 32 400 1
run 2 "$program" lenet5 32 400 1 overlap
run 1 "$program" resnet18 16 6 1
run 1 "$program" resnet18 16 6 2
run 2 "$program" resnet18 8 6 1
run 2 "$program" resnet18 8 6 1 overlap
run 1 "$program" resnet50 8 3 2
