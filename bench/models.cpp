// Whole-model benchmarks (Google Benchmark, in typenet_bench beside kernels.cpp): one ResNet-18
// training step, and the memory it takes, matched by name in bench/pytorch_compare.py.
//
// Memory: the peak resident memory from just before the model is built to the end of the steps,
// on Linux: the peak (VmHWM) is reset by writing 5 to /proc/self/clear_refs, and the resident size
// (VmRSS) at that moment is subtracted from the peak read at the end. pytorch_compare.py measures
// PyTorch the same way, so the interpreter and the libraries loaded before are left out of both.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <span>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

// A field of /proc/self/status in MiB ("VmRSS:", "VmHWM:"), or -1 where there is none.
double status_mib(const std::string& key) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(key, 0) == 0) return std::strtod(line.c_str() + key.size(), nullptr) / 1024;
  return -1;
}

// torchvision's resnet18() (1000 classes): one SGD-with-momentum step at 224 x 224, batch 8.
void resnet18_train_batch8(benchmark::State& state) {
  using ResNet18 = tn::models::ResNet18<1000>;
  constexpr std::size_t batch = 8;
  std::ofstream("/proc/self/clear_refs") << "5";
  const double before = status_mib("VmRSS:");
  tn::Model<ResNet18> model{tn::init::He{}, 1, batch};
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  tn::Tensor<float, tn::Shape<3, 224, 224>> x(batch);
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& v : x.span()) v = u(rng);
  std::vector<int> labels(batch);
  for (std::size_t i = 0; i < batch; ++i) labels[i] = int(i * 97 % 1000);
  for (auto _ : state)
    benchmark::DoNotOptimize(model.train_step(x, std::span<const int>(labels),
                                              tn::loss::SoftmaxCrossEntropy{}, sgd, 0.01));
  // Forward and backward: three times the forward's 2 * MACs (input and weight gradients).
  state.counters["flops"] = 3.0 * 2.0 * double(ResNet18::macs) * double(batch);
  state.counters["peak_MiB"] = status_mib("VmHWM:") - before;
  state.counters["images/s"] =
      benchmark::Counter(double(batch), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(resnet18_train_batch8)->Unit(benchmark::kMillisecond);
