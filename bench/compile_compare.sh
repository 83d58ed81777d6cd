#!/usr/bin/env bash
# Compile time and peak compiler memory of the same programs against two source trees, measured
# in one run and interleaved (before, after) so that load on the machine hits both alike:
#   bench/compile_compare.sh BEFORE_ROOT AFTER_ROOT [compiler...]   (default: g++ clang++)
# Prints a Markdown table of CPU seconds (user + system) and peak resident MiB per compile.
# Programs: the LeNet-5 training example and a ResNet-50 training step (-O3, to an object file,
# as the Release build compiles them), and plain Conv2D/BatchNorm/ReLU Networks of 50 to 800
# layers with forward and backward instantiated (-fsyntax-only). Takes /tmp/typenet-build.lock
# for the whole run when TYPENET_BUILD_LOCK is not already held (set TYPENET_BUILD_LOCK=held).
# Each compiler may use TYPENET_COMPARE_MEMORY_MIB of memory (default 8192): a compile that needs
# more is reported as such instead of taking the machine down. TYPENET_COMPARE_DEPTHS lists the
# network depths (default "50 200 800"); TYPENET_COMPARE_DEEP_ONLY=1 skips the -O3 programs.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_ROOT AFTER_ROOT [compiler...]" >&2; exit 2; }
before=$(cd "$1" && pwd) after=$(cd "$2" && pwd)
shift 2
[ $# -gt 0 ] || set -- g++ clang++
if [ "${TYPENET_BUILD_LOCK:-}" != held ]; then
  exec env TYPENET_BUILD_LOCK=held flock /tmp/typenet-build.lock "$0" "$before" "$after" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
eigen=$(pkg-config --cflags eigen3 2>/dev/null || echo -I/usr/include/eigen3)
release="-O3 -DNDEBUG -mavx2 -mfma -std=gnu++20 -DBOOST_ALL_NO_LIB"

cat >"$work/resnet50_train.cpp" <<'CPP'
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::models::ResNet50<>;
int main() {
  tn::Model<Net> model{tn::init::He{}, 1, 2};
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  tn::Tensor<float, Net::input_type> x(2);
  std::vector<int> labels(2, 0);
  return model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd,
                          0.01) > 0 ? 0 : 1;
}
CPP
. "$(dirname "$0")/deep_net.sh"
deep() {  # depth file: deep_net's network, forward and backward instantiated
  {
    echo '#include <typenet/typenet.hpp>'
    deep_net "$1" 8
    echo 'void run(tn::Network<Net>& net, const tn::Tensor<float, Net::input_type>& x,'
    echo '         const tn::Tensor<float, Net::output_type>& dy) {'
    echo '  net.seed(1); net.forward(x, tn::Mode::train); net.backward(x, dy);'
    echo '  (void)net.parameters(); (void)net.state_buffers();'
    echo '}'
  } >"$2"
}

measure() {  # root compiler file flags... -> "cpu-seconds peak-MiB"
  local root=$1 compiler=$2 file=$3
  shift 3
  if ! (cd "$(dirname "$file")" && ulimit -v $((${TYPENET_COMPARE_MEMORY_MIB:-8192} * 1024)) &&
    /usr/bin/time -f "%U %S %M" -o "$work/time" \
      "$compiler" "$@" -I"$root/include" $eigen "$file" >"$work/log" 2>&1); then
    if grep -q "memory exhausted\|std::bad_alloc\|Cannot allocate\|out of memory\|Killed" "$work/log"; then
      echo "out of memory (> ${TYPENET_COMPARE_MEMORY_MIB:-8192} MiB)"
      return
    fi
    # Main's code may not compile where the new one does (clang's fold-expression limit): say so.
    echo "does not compile: $(grep -m 1 -o 'error: .*' "$work/log" | cut -c 1-100)"
    return
  fi
  tail -n 1 "$work/time" | awk '{ printf "%.1f s, %.0f MiB", $1 + $2, $3 / 1024 }'
}

row() {  # label file-before file-after flags...
  local label=$1 fb=$2 fa=$3
  shift 3
  for compiler in "${COMPILERS[@]}"; do
    local b a
    b=$(measure "$before" "$compiler" "$fb" "$@")
    a=$(measure "$after" "$compiler" "$fa" "$@")
    echo "| $label | $compiler | $b | $a |"
  done
}

COMPILERS=("$@")
echo "| program | compiler | before | after |"
echo "|---|---|---|---|"
[ "${TYPENET_COMPARE_DEEP_ONLY:-0}" = 1 ] ||
  row "LeNet-5 training example (-O3)" "$before/examples/lenet_fashion_mnist.cpp" \
  "$after/examples/lenet_fashion_mnist.cpp" $release -c -o /dev/null
[ "${TYPENET_COMPARE_DEEP_ONLY:-0}" = 1 ] ||
  row "ResNet-50 training step (-O3)" "$work/resnet50_train.cpp" "$work/resnet50_train.cpp" \
  $release -c -o /dev/null
for depth in ${TYPENET_COMPARE_DEPTHS:-50 200 800}; do
  deep "$depth" "$work/deep_$depth.cpp"
  row "${depth}-layer Network, forward + backward (-fsyntax-only)" "$work/deep_$depth.cpp" \
    "$work/deep_$depth.cpp" -std=gnu++20 -fsyntax-only
done
