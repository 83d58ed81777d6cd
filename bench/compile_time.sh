#!/usr/bin/env bash
# Compile time is a feature: times the compiler on typenet's static tests and on generated
# plain networks of growing depth, and reports seconds and peak memory of each.
#   bench/compile_time.sh [compiler...]      (default: g++ clang++)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- g++ clang++
work=$(mktemp -d)
# The zoo and the static tests need only the compile-time half; Eigen for anything that includes more.
eigen=$(pkg-config --cflags eigen3 2>/dev/null || echo -I/usr/include/eigen3)
trap 'rm -rf "$work"' EXIT

# deep_net's network, with its depth, shape and parameter count static_asserted.
. bench/deep_net.sh
generate() {
  local depth=$1 blocks=$(( ($1 - 2) / 3 )) file=$2
  {
    echo '#include <typenet/shapes.hpp>'
    deep_net "$depth" 32
    echo "static_assert(Net::depth == $depth);"
    echo "static_assert(Net::parameter_count == $blocks * (16 * 16 * 9 + 16 + 32) + 16 * 10 + 10);"
    echo 'static_assert(Net::output_shape == tn::Shape<10>{});'
  } > "$file"
}

measure() {  # compiler file -> "seconds peak-MiB"
  /usr/bin/time -f "%e %M" -o "$work/time" "$1" -std=c++20 -fsyntax-only -Iinclude $eigen "$2" > "$work/log" 2>&1 || { echo "failed: $1 $2" >&2; head -c 2000 "$work/log" >&2; exit 1; }
  awk '{ printf "%6.2f s %6.0f MiB", $1, $2 / 1024 }' "$work/time"
}

printf '%-40s' "translation unit"
for compiler in "$@"; do printf '  %-20s' "$compiler"; done
echo
for file in tests/static/*/*.cpp; do
  printf '%-40s' "$file"
  for compiler in "$@"; do printf '  %-20s' "$(measure "$compiler" "$file")"; done
  echo
done
# The issue's budgets: every zoo model's static test in one translation unit (< 2 min, < 3 GB),
# and ResNet-50 alone with its static_asserts (< 15 s).
zoo="$work/zoo_together.cpp"
for file in tests/static/models/zoo_*_test.cpp tests/static/models/resnet_test.cpp; do
  echo "#include \"$PWD/$file\""
done > "$zoo"
resnet50="$work/resnet50.cpp"
cat > "$resnet50" <<'CPP'
#include <typenet/models/resnet.hpp>
#include <typenet/shapes.hpp>
static_assert(typenet::models::ResNet50<>::parameter_count == 25'557'032);
static_assert(typenet::models::ResNet50<>::macs == 4'089'184'256);
static_assert(typenet::models::ResNet50<>::output_shape == typenet::Shape<1000>{});
CPP
for file in "$zoo" "$resnet50"; do
  printf '%-40s' "$(basename "$file" .cpp) (generated)"
  for compiler in "$@"; do printf '  %-20s' "$(measure "$compiler" "$file")"; done
  echo
done
for depth in 50 100 200 400 800; do
  generate "$depth" "$work/deep_$depth.cpp"
  printf '%-40s' "generated ${depth}-layer Sequential"
  for compiler in "$@"; do printf '  %-20s' "$(measure "$compiler" "$work/deep_$depth.cpp")"; done
  echo
done
