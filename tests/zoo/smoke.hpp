// One training step of a zoo model at batch 1 on its real input size: every parameter tensor gets
// a gradient from the loss, and everything stays finite. Then a second step and an inference
// allocate nothing (the program counts allocations: tests/allocation/counter.hpp).
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <span>
#include <typenet/typenet.hpp>

#include "../allocation/counter.hpp"

namespace zoo {

namespace tn = typenet;

template <class Net>
void smoke_step() {
  tn::Model<Net> model{tn::init::He{}, 1, 1};
  std::size_t count = 0;
  for (auto* p : model.all_parameters()) count += p->size();
  REQUIRE(count == Net::parameter_count);

  tn::Tensor<float, typename Net::input_type> x(1);
  std::mt19937_64 rng(2);
  std::normal_distribution<float> g(0, 1);
  for (auto& v : x.span()) v = g(rng);

  tn::optim::SGD sgd{{.lr = 1e-3}};
  tn::Tensor<float, typename Net::output_type> target(1);
  for (auto& v : target.span()) v = g(rng);
  const std::array<int, 1> label{3};
  const auto step = [&] {
    if constexpr (Net::output_type::rank == 1)
      return model.train_step(x, std::span<const int>(label), tn::loss::SoftmaxCrossEntropy{}, sgd,
                              1e-3);
    else
      return model.train_step(x, target, tn::loss::MSE{}, sgd, 1e-3);
  };
  REQUIRE(std::isfinite(step()));
  const auto again = [&] {
    step();
    model.predict(x);
  };
  // One assertion per tensor: per-element assertions would dominate the run time.
  for (auto* p : model.all_parameters()) {
    std::size_t nonfinite = 0, nonzero = 0;
    for (std::size_t i = 0; i < p->size(); ++i) {
      nonfinite += !std::isfinite(p->value[i]) || !std::isfinite(p->gradient[i]);
      nonzero += p->gradient[i] != 0;
    }
    INFO("layer " << p->layer << " " << p->name() << " (" << p->size() << " values)");
    REQUIRE(nonfinite == 0);
    CHECK(nonzero > 0);
  }
  const long allocations = allocation::during(again);
  CHECK(allocations == 0);
}

}  // namespace zoo
