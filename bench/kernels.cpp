// Layer benchmarks (Google Benchmark). bench/run runs them beside bench/pytorch_compare.py and
// prints the ratio table; the names here are the keys that script matches.
//
// Each benchmark reports `flops` (per iteration) so that GFLOP/s can be derived: a contraction's
// forward is 2 * MACs * batch, forward + backward three times that (input and weight gradients).
#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <Eigen/Core>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

template <class T, class S>
void randomise(tn::Tensor<T, S>& t, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& v : t.span()) v = u(rng);
}

template <class Network>
void randomise_parameters(Network& net) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-0.05f, 0.05f);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
}

// One weight layer as a network, with the input gradient computed too (as PyTorch does for an
// input with requires_grad, which the comparison script sets).
template <class Net, tn::Fusion F = tn::Fusion::on>
void run_layer(benchmark::State& state, std::size_t batch, bool backward) {
  tn::Network<Net, float, F> net(batch);
  randomise_parameters(net);
  tn::Tensor<float, typename Net::input_type> x(batch), dx(batch);
  tn::Tensor<float, typename Net::output_type> dy(batch);
  randomise(x, 2);
  randomise(dy, 3);
  for (auto _ : state) {
    const auto& y = net.forward(x, tn::Mode::train);
    benchmark::DoNotOptimize(y.data());
    if (backward) {
      net.backward(x, dy, &dx);
      benchmark::DoNotOptimize(dx.data());
    }
    benchmark::ClobberMemory();
  }
  const double flops = 2.0 * double(Net::macs) * double(batch) * (backward ? 3 : 1);
  state.counters["flops"] = flops;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

using Dense784 = tn::Sequential<tn::Input<784>, tn::Dense<1024>>;
using Conv3x3 = tn::Sequential<tn::Input<64, 56, 56>, tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>>>;
using AlexConv1 =
    tn::Sequential<tn::Input<3, 227, 227>, tn::Conv2D<96, tn::Kernel<11>, tn::Stride<4>>>;
using DenseReLU = tn::Sequential<tn::Input<784>, tn::Dense<1024>, tn::ReLU>;
using ConvReLU =
    tn::Sequential<tn::Input<64, 56, 56>, tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU>;

void dense_forward(benchmark::State& s) { run_layer<Dense784>(s, 64, false); }
void dense_train(benchmark::State& s) { run_layer<Dense784>(s, 64, true); }
void conv3x3_forward(benchmark::State& s) { run_layer<Conv3x3>(s, 8, false); }
void conv3x3_train(benchmark::State& s) { run_layer<Conv3x3>(s, 8, true); }
void alexnet_conv1_forward(benchmark::State& s) { run_layer<AlexConv1>(s, 8, false); }
void alexnet_conv1_train(benchmark::State& s) { run_layer<AlexConv1>(s, 8, true); }
void dense_relu_fused_train(benchmark::State& s) { run_layer<DenseReLU>(s, 64, true); }
void dense_relu_unfused_train(benchmark::State& s) {
  run_layer<DenseReLU, tn::Fusion::off>(s, 64, true);
}
// The recurrent case: LSTM(128) over 28 steps of 28 features, a batch of 64, the last
// state as output (PyTorch: nn.LSTM(28, 128, batch_first=True), its h_n).
using Lstm128 = tn::Sequential<tn::Input<28, 28>, tn::LSTM<128>>;
void lstm128_forward(benchmark::State& s) { run_layer<Lstm128>(s, 64, false); }
void lstm128_train(benchmark::State& s) { run_layer<Lstm128>(s, 64, true); }
using Gru128 = tn::Sequential<tn::Input<28, 28>, tn::GRU<128>>;
void gru128_train(benchmark::State& s) { run_layer<Gru128>(s, 64, true); }
void conv_relu_fused_train(benchmark::State& s) { run_layer<ConvReLU>(s, 8, true); }
void conv_relu_unfused_train(benchmark::State& s) {
  run_layer<ConvReLU, tn::Fusion::off>(s, 8, true);
}

// The element-wise part alone: bias + ReLU over a 64 x 1024 GEMM output, and its backward
// (ReLU derivative * upstream gradient, bias gradient), fused into one pass each versus the
// layer-by-layer passes.
void epilogue(benchmark::State& state, bool fused) {
  constexpr std::size_t batch = 64;
  using S = tn::Shape<1024>;
  tn::Tensor<float, S> z(batch), y(batch), dy(batch), dz(batch), a(batch);
  randomise(z, 4);
  randomise(dy, 5);
  tn::AlignedBuffer<float> bias(1024), dbias(1024);
  namespace ex = tn::expr;
  for (auto _ : state) {
    if (fused) {
      y = ex::max(z + ex::channel<1024>(bias.data()), 0);
      ex::evaluate_with_channel_sums<S>(dz.data(), batch, ex::select(y > 0, dy, 0), dbias.data());
    } else {
      a = z + ex::channel<1024>(bias.data());
      y = ex::max(a, 0);
      dz = ex::select(y > 0, dy, 0);
      ex::reduce_channels<ex::Reduce::sum, S>(ex::ref(dz), batch, dbias.data());
    }
    benchmark::DoNotOptimize(dz.data());
    benchmark::DoNotOptimize(dbias.data());
    benchmark::ClobberMemory();
  }
}
void bias_relu_fused(benchmark::State& s) { epilogue(s, true); }
void bias_relu_unfused(benchmark::State& s) { epilogue(s, false); }

// The layout question (docs/design.md): the same 3x3 64->64 convolution forward, im2col + one
// Eigen GEMM per sample, in NHWC. Rows of the im2col matrix are output pixels, each a run of
// C contiguous channels per kernel tap; the GEMM's result is already NHWC.
void layout_nhwc_conv3x3_forward(benchmark::State& state) {
  constexpr int batch = 8, C = 64, H = 56, W = 56, K = 3, Out = 64;
  using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  tn::AlignedBuffer<float> x(std::size_t(batch) * H * W * C), y(std::size_t(batch) * H * W * Out);
  tn::AlignedBuffer<float> weight(std::size_t(K) * K * C * Out),
      col(std::size_t(H) * W * K * K * C);
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> u(-1, 1);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = u(rng);
  for (std::size_t i = 0; i < weight.size(); ++i) weight[i] = u(rng);
  for (auto _ : state) {
    for (int n = 0; n < batch; ++n) {
      const float* image = x.data() + std::size_t(n) * H * W * C;
      float* row = col.data();
      for (int oh = 0; oh < H; ++oh)
        for (int ow = 0; ow < W; ++ow)
          for (int kh = 0; kh < K; ++kh)
            for (int kw = 0; kw < K; ++kw, row += C) {
              const int ih = oh + kh - 1, iw = ow + kw - 1;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                std::fill(row, row + C, 0.0f);
              else
                std::copy_n(image + (std::size_t(ih) * W + iw) * C, C, row);
            }
      Eigen::Map<const Matrix> Col(col.data(), H * W, K * K * C);
      Eigen::Map<const Matrix> Wt(weight.data(), K * K * C, Out);
      Eigen::Map<Matrix> Y(y.data() + std::size_t(n) * H * W * Out, H * W, Out);
      Y.noalias() = Col * Wt;
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double flops = 2.0 * batch * H * W * Out * K * K * C;
  state.counters["flops"] = flops;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// LeNet-5 (the main job's network): a training step (forward, softmax cross-entropy, backward,
// SGD with momentum) at batch 64, and inference at batch 1 (latency) and 256 (throughput).
using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;

void lenet_train_batch64(benchmark::State& state) {
  constexpr std::size_t batch = 64;
  tn::Model<LeNet5> model{tn::init::He{}, 1, batch};
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  tn::Tensor<float, tn::Shape<1, 32, 32>> x(batch);
  randomise(x, 7);
  std::vector<int> labels(batch);
  for (std::size_t i = 0; i < batch; ++i) labels[i] = int(i % 10);
  for (auto _ : state)
    benchmark::DoNotOptimize(model.train_step(x, std::span<const int>(labels),
                                              tn::loss::SoftmaxCrossEntropy{}, sgd, 0.01));
  state.counters["images/s"] =
      benchmark::Counter(double(batch), benchmark::Counter::kIsIterationInvariantRate);
}

void lenet_infer(benchmark::State& state, std::size_t batch) {
  tn::Model<LeNet5> model{tn::init::He{}, 1, batch};
  tn::Tensor<float, tn::Shape<1, 32, 32>> x(batch);
  randomise(x, 8);
  for (auto _ : state) {
    const auto& y = model.predict(x);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.counters["images/s"] =
      benchmark::Counter(double(batch), benchmark::Counter::kIsIterationInvariantRate);
}
void lenet_infer_batch1(benchmark::State& s) { lenet_infer(s, 1); }
void lenet_infer_batch256(benchmark::State& s) { lenet_infer(s, 256); }

// This core's FP32 peak with the instructions typenet is built for (AVX2 FMA: 8 floats, two
// flops each), measured with 12 independent FMA chains to cover latency on both FMA ports.
void fp32_peak(benchmark::State& state) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i));
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  constexpr int rounds = 1000;
  for (auto _ : state) {
    for (int r = 0; r < rounds; ++r)
      for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    benchmark::DoNotOptimize(acc);
  }
  const double flops = 12.0 * 8 * 2 * rounds;
  state.counters["flops"] = flops;
  state.counters["GFLOP/s"] = benchmark::Counter(
      flops, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

}  // namespace

BENCHMARK(fp32_peak);
BENCHMARK(dense_forward)->Unit(benchmark::kMicrosecond);
BENCHMARK(dense_train)->Unit(benchmark::kMicrosecond);
BENCHMARK(conv3x3_forward)->Unit(benchmark::kMillisecond);
BENCHMARK(conv3x3_train)->Unit(benchmark::kMillisecond);
BENCHMARK(alexnet_conv1_forward)->Unit(benchmark::kMillisecond);
BENCHMARK(alexnet_conv1_train)->Unit(benchmark::kMillisecond);
BENCHMARK(dense_relu_fused_train)->Unit(benchmark::kMicrosecond);
BENCHMARK(dense_relu_unfused_train)->Unit(benchmark::kMicrosecond);
BENCHMARK(conv_relu_fused_train)->Unit(benchmark::kMillisecond);
BENCHMARK(conv_relu_unfused_train)->Unit(benchmark::kMillisecond);
BENCHMARK(bias_relu_fused)->Unit(benchmark::kMicrosecond);
BENCHMARK(bias_relu_unfused)->Unit(benchmark::kMicrosecond);
BENCHMARK(layout_nhwc_conv3x3_forward)->Unit(benchmark::kMillisecond);
BENCHMARK(lstm128_forward)->Unit(benchmark::kMillisecond);
BENCHMARK(lstm128_train)->Unit(benchmark::kMillisecond);
BENCHMARK(gru128_train)->Unit(benchmark::kMillisecond);
BENCHMARK(lenet_train_batch64)->Unit(benchmark::kMicrosecond);
BENCHMARK(lenet_infer_batch1)->Unit(benchmark::kMicrosecond);
BENCHMARK(lenet_infer_batch256)->Unit(benchmark::kMicrosecond);

namespace {

// Prints this program's own flag, then Google Benchmark's (`--help`).
void print_usage() {
  std::printf(
      "typenet_bench [--threads=N | --threads N] [Google Benchmark flags]\n"
      "  --threads N   threads typenet's kernels use, a whole number 1..%zu (max_threads(), the\n"
      "                hardware threads); default: all of them\n",
      tn::max_threads());
  benchmark::PrintDefaultHelp();
}

// The value of --threads, or exit status 2 with a message naming the argument and the range.
std::size_t parse_threads(const std::string& argument, const std::string& value) {
  const std::size_t most = tn::max_threads();
  std::size_t count = 0;
  const char* end = value.data() + value.size();
  const auto [stop, error] = std::from_chars(value.data(), end, count);
  // from_chars alone would take "1.5" as 1 and "-1" never, but "+1" neither: digits only.
  if (value.empty() || error != std::errc{} || stop != end || count < 1 || count > most) {
    std::fprintf(stderr,
                 "typenet_bench: %s: '%s' is not a thread count; give a whole number from 1 to "
                 "%zu (max_threads(), the hardware threads)\n",
                 argument.c_str(), value.c_str(), most);
    std::exit(2);
  }
  return count;
}

}  // namespace

// typenet_bench [--threads=N | --threads N] [Google Benchmark flags]. Exit status: 0 when at least
// one benchmark ran (or was listed), 1 when the filter selects none or is not a regular
// expression Google Benchmark accepts (its message says which), 2 for a bad argument.
int main(int argc, char** argv) {
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--threads=", 0) == 0) {
      tn::set_threads(parse_threads("--threads", argument.substr(10)));
    } else if (argument == "--threads") {
      if (i + 1 == argc) {
        std::fprintf(stderr, "typenet_bench: --threads needs a value, 1 to %zu\n",
                     tn::max_threads());
        return 2;
      }
      ++i;
      tn::set_threads(parse_threads("--threads", argv[i]));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int count = int(rest.size());
  rest.push_back(nullptr);  // argv[argc] is null, as Initialize may expect
  benchmark::Initialize(&count, rest.data(), print_usage);
  // Initialize removes the flags it knows; anything left is a mistake (a typo would otherwise
  // run every benchmark with the default settings).
  if (benchmark::ReportUnrecognizedArguments(count, rest.data())) {
    std::fprintf(stderr, "typenet_bench: see --help for the flags\n");
    return 2;
  }
  benchmark::AddCustomContext("typenet threads", std::to_string(tn::threads()));
  const std::size_t ran = benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return ran == 0 ? 1 : 0;
}
