// Training and inference steps of a network under the allocation counter: a first step (which
// may allocate: the optimiser's state, the convolutions' scratch, Eigen's packing buffers), then
// counted steps at 1 and at max_threads() threads, which must allocate nothing. Eigen's own
// guard is armed around the counted steps too (EIGEN_RUNTIME_NO_MALLOC, set for these tests), so
// in a build with asserts an Eigen temporary in a layer stops at the line that makes it.
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cstddef>
#include <random>
#include <span>
#include <typenet/typenet.hpp>
#include <vector>

#include "counter.hpp"

namespace allocation {

namespace tn = typenet;

// Steps counted after the warm-up, per thread count.
inline constexpr int counted_steps = 3;

template <class T, class S>
void randomise(tn::Tensor<T, S>& t, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> u(-1, 1);
  for (auto& v : t.span()) v = u(rng);
}

// Allocations made by f() with Eigen's guard armed as well.
template <class F>
long guarded(F&& f) {
  return during([&] {
    Eigen::internal::set_is_malloc_allowed(false);
    f();
    Eigen::internal::set_is_malloc_allowed(true);
  });
}

// Allocations of the counted training steps and of inference, at 1 and at max_threads()
// threads, for a network whose output takes class labels (rank 1) or a same-shape target.
template <class Net, class Loss = tn::loss::SoftmaxCrossEntropy, class Optimizer = tn::optim::Adam>
void require_no_allocation(std::size_t batch = 4, Loss loss = {}, Optimizer optimizer = {},
                           const tn::reg::ElasticNet* penalty = nullptr) {
  tn::Model<Net> model{tn::init::He{}, 1, batch};
  tn::Tensor<float, typename Net::input_type> x(batch);
  randomise(x, 7);
  std::vector<int> classes(batch);
  for (std::size_t n = 0; n < batch; ++n) classes[n] = int(n % Net::output_type::dims[0]);
  tn::Tensor<float, typename Net::output_type> target(batch);
  randomise(target, 8);
  // These take targets in [0, 1] only (a binary mask).
  if constexpr (std::is_same_v<Loss, tn::loss::BinaryCrossEntropy> ||
                std::is_same_v<Loss, tn::loss::Dice>)
    for (auto& v : target.span()) v = v < 0 ? 0.0f : 1.0f;
  const auto step = [&](std::size_t s) {
    if constexpr (Loss::labels != tn::loss::detail::Labels::same_shape_target)
      model.train_step(x, std::span<const int>(classes), loss, optimizer, 1e-3, s, penalty);
    else
      model.train_step(x, target, loss, optimizer, 1e-3, s, penalty);
  };
  for (std::size_t threads : {std::size_t{1}, tn::max_threads()}) {
    tn::set_threads(threads);
    step(0);
    model.predict(x);
    const long training = guarded([&] {
      for (int s = 1; s <= counted_steps; ++s) step(std::size_t(s));
    });
    const long inference = guarded([&] { model.predict(x); });
    INFO("threads " << threads);
    CHECK(training == 0);
    CHECK(inference == 0);
  }
  tn::set_threads(tn::max_threads());
}

}  // namespace allocation
