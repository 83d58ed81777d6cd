// The first guard of "no step allocates after the first": a chain of most layers, with Adam and
// an elastic-net penalty, at 1 and at max_threads() threads.
#include <catch2/catch.hpp>
#include <span>
#include <typenet/typenet.hpp>
#include <vector>

#include "counter.hpp"

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
    const long during = allocation::during([&] {
      for (int step = 1; step <= 5; ++step)
        model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, adam,
                         1e-3, std::size_t(step), &penalty);
    });
    INFO("threads " << threads);
    REQUIRE(during == 0);
  }
}

namespace {
// The two networks of the issue that found per-step allocations (3 x 16 x 16 input): Eigen
// evaluated GlobalAvgPool's replicated quotient into a temporary (one allocation per step) and
// the Softmax layer's per-pixel maximum and sum (three per sample per step).
using AvgPooled = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>,
                                 tn::GlobalAvgPool, tn::Dense<10>>;
using SoftmaxLayer = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>,
                                    tn::Flatten, tn::Dense<10>, tn::Softmax>;

template <class Net>
long allocations_in_20_steps() {
  tn::Model<Net> model{tn::init::He{}, 1, 16};
  tn::optim::SGD sgd{{.momentum = 0.9}};
  tn::Tensor<float, tn::Shape<3, 16, 16>> x(16);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i % 17) / 17.0f;
  std::vector<int> labels(16);
  for (std::size_t n = 0; n < labels.size(); ++n) labels[n] = int(n % 10);
  for (std::size_t s = 0; s < 3; ++s)
    model.train_step(x, std::span<const int>(labels), tn::loss::NLL{}, sgd, 1e-3, s);
  return allocation::during([&] {
    for (std::size_t s = 3; s < 23; ++s)
      model.train_step(x, std::span<const int>(labels), tn::loss::NLL{}, sgd, 1e-3, s);
  });
}
}  // namespace

TEST_CASE("GlobalAvgPool and the Softmax layer: no allocation in 20 steps", "[allocation]") {
  for (std::size_t threads : {std::size_t{1}, tn::max_threads()}) {
    tn::set_threads(threads);
    INFO("threads " << threads);
    CHECK(allocations_in_20_steps<AvgPooled>() == 0);
    CHECK(allocations_in_20_steps<SoftmaxLayer>() == 0);
  }
}
