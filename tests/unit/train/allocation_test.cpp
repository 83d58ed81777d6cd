// After the first step, a training step performs zero heap allocations.
//
// Counted at both doors: operator new and the C allocator, which Eigen's GEMM uses for its
// blocking buffers. The test is linked with -Wl,--wrap=malloc,...,--wrap=_Znwm (operator new),
// so every call from this program and libtypenet goes through the counters and then on to the
// real allocator (the sanitizers' too). A separate executable, so the wrapping touches no
// other test.
#define CATCH_CONFIG_MAIN
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <span>
#include <tuple>
#include <typenet/typenet.hpp>
#include <vector>

namespace {
std::atomic<long> allocations{0};
}

extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
void* __real_aligned_alloc(std::size_t, std::size_t);
int __real_posix_memalign(void**, std::size_t, std::size_t);
void* __wrap_malloc(std::size_t n) {
  ++allocations;
  return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t size) {
  ++allocations;
  return __real_calloc(n, size);
}
void* __wrap_realloc(void* p, std::size_t n) {
  ++allocations;
  return __real_realloc(p, n);
}
void* __wrap_aligned_alloc(std::size_t alignment, std::size_t n) {
  ++allocations;
  return __real_aligned_alloc(alignment, n);
}
int __wrap_posix_memalign(void** p, std::size_t alignment, std::size_t n) {
  ++allocations;
  return __real_posix_memalign(p, alignment, n);
}
// operator new(std::size_t) and operator new[](std::size_t)
void* __real__Znwm(std::size_t);
void* __real__Znam(std::size_t);
void* __wrap__Znwm(std::size_t n) {
  ++allocations;
  return __real__Znwm(n);
}
void* __wrap__Znam(std::size_t n) {
  ++allocations;
  return __real__Znam(n);
}
}

namespace tn = typenet;

namespace {
using Net = tn::Sequential<tn::Input<1, 12, 12>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::BatchNorm,
                           tn::Conv2D<6, tn::Kernel<3>, tn::Pad<1>>, tn::ELU<>, tn::Flatten,
                           tn::Dropout<>, tn::Dense<16>, tn::Swish, tn::Dense<5>>;
}

TEST_CASE("A training step allocates nothing after the first", "[allocation]") {
  tn::Model<Net> model{tn::init::He{}, 1, 8};
  tn::optim::Adam adam;
  tn::Tensor<float, tn::Shape<1, 12, 12>> x(8);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 13) / 13.0f;
  std::vector<int> labels{0, 1, 2, 3, 4, 0, 1, 2};
  const tn::reg::ElasticNet penalty{1e-4, 1e-4};
  for (std::size_t threads : {std::size_t{1}, tn::max_threads()}) {
    tn::set_threads(threads);
    model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, adam, 1e-3,
                     0, &penalty);
    const long before = allocations.load();
    for (int step = 1; step <= 5; ++step)
      model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, adam, 1e-3,
                       std::size_t(step), &penalty);
    const long during = allocations.load() - before;  // read before Catch's INFO allocates
    INFO("threads " << threads);
    REQUIRE(during == 0);
  }
}

namespace {
// Two heads of the same shape share MultiTask's per-thread buffers; a third differs.
using ThreeHeads = tn::Sequential<
    tn::Input<6>, tn::Dense<8>, tn::Tanh,
    tn::Heads<tn::Head<tn::Dense<3>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Dense<3>, tn::loss::MSE>, tn::Head<tn::Dense<2>, tn::loss::L1>>>;
}  // namespace

TEST_CASE("A multi-task step allocates nothing after the first", "[allocation][heads]") {
  tn::Model<ThreeHeads> model{tn::init::He{}, 1, 8};
  tn::optim::SGD sgd{{.momentum = 0.9}};
  tn::Tensor<float, tn::Shape<6>> x(8);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 7) / 7.0f;
  const std::vector<int> classes{0, 1, 2, 0, 1, 2, 0, 1};
  tn::Tensor<float, tn::Shape<3>> targets(8);
  tn::Tensor<float, tn::Shape<2>> boxes(8);
  const auto labels = std::tuple{std::span<const int>(classes), targets, boxes};
  const tn::loss::MultiTask<ThreeHeads> loss{1.0, 0.5, 0.25};
  for (std::size_t threads : {std::size_t{1}, tn::max_threads()}) {
    tn::set_threads(threads);
    model.train_step(x, labels, loss, sgd, 1e-2, 0);
    const long before = allocations.load();
    for (int step = 1; step <= 5; ++step)
      model.train_step(x, labels, loss, sgd, 1e-2, std::size_t(step));
    const long during = allocations.load() - before;
    INFO("threads " << threads);
    REQUIRE(during == 0);
  }
}

TEST_CASE("The allocation counters count", "[allocation]") {
  // A vector allocates.
  const long before = allocations.load();
  std::vector<int> v(100);
  REQUIRE(allocations.load() > before);
}
