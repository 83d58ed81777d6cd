// Residual and Concat: shapes and counts, forward by hand, gradients against finite differences.
#include <array>
#include <catch2/catch.hpp>
#include <string>
#include <typenet/models/densenet.hpp>
#include <typenet/models/resnet.hpp>
#include <typenet/typenet.hpp>
#include <vector>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

namespace {
// Two ResNet basic blocks on 8x8: identity shortcut, then a strided one with a 1x1 projection.
using Basic = tn::Residual<
    tn::Block<tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm, tn::ReLU,
              tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm>>;
using Down = tn::Residual<
    tn::Block<tn::Conv2D<6, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::Bias<false>, tn::Floor>,
              tn::BatchNorm, tn::ReLU, tn::Conv2D<6, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>,
              tn::BatchNorm>,
    tn::Block<tn::Conv2D<6, tn::Kernel<1>, tn::Stride<2>, tn::Bias<false>, tn::Floor>,
              tn::BatchNorm>>;
using ResNet2 = tn::Sequential<tn::Input<4, 8, 8>, Basic, tn::ReLU, Down, tn::ReLU,
                               tn::GlobalAvgPool, tn::Dense<3>>;

// One Inception-style module: 1x1 || 1x1 > 3x3 || 3x3 max-pool > 1x1.
using Inception = tn::Concat<tn::Block<tn::Conv2D<3, tn::Kernel<1>>, tn::ReLU>,
                             tn::Block<tn::Conv2D<2, tn::Kernel<1>>, tn::ReLU,
                                       tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU>,
                             tn::Block<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>,
                                       tn::Conv2D<2, tn::Kernel<1>>>>;
using InceptionNet = tn::Sequential<tn::Input<3, 5, 5>, Inception, tn::Flatten, tn::Dense<2>>;

// Nesting: a Residual inside a Block inside a Concat.
using Nested = tn::Sequential<
    tn::Input<2, 4, 4>,
    tn::Concat<tn::Block<tn::Residual<tn::Conv2D<2, tn::Kernel<3>, tn::Pad<1>>>, tn::Tanh>,
               tn::Conv2D<3, tn::Kernel<1>>>,
    tn::Flatten, tn::Dense<2>>;

// Pre-activation blocks (ResNet v2, He et al. 2016b): BN > ReLU > conv, twice, on the branch;
// the sum is not followed by an activation.
using PreAct =
    tn::Residual<tn::Block<tn::BatchNorm, tn::ReLU, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>,
                           tn::BatchNorm, tn::ReLU, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>>>;
using PreActNet = tn::Sequential<tn::Input<3, 5, 5>, PreAct, PreAct, tn::BatchNorm, tn::ReLU,
                                 tn::GlobalAvgPool, tn::Dense<2>>;

// A 2-layer dense block (growth 2, bottleneck 2 x 2) and a transition to 3 maps at half the size.
using DenseBlock2 = tn::Sequential<tn::Input<2, 4, 4>, tn::models::densenet::DenseBlock<2, 2>,
                                   tn::models::densenet::Transition<3>, tn::Flatten, tn::Dense<2>>;
}  // namespace

static_assert(DenseBlock2::layer<0>::output_shape == Shape<2 + 2 * 2, 4, 4>{});
static_assert(DenseBlock2::layer<1>::output_shape == Shape<3, 2, 2>{});

static_assert(ResNet2::layer<2>::output_shape == Shape<6, 4, 4>{});
// 3x3 4->4 without bias twice + two batch norms.
static_assert(ResNet2::layer<0>::parameter_count == 2 * 144 + 2 * 8);
// 3x3 4->6, 3x3 6->6, 1x1 4->6 (no biases) and three batch norms.
static_assert(ResNet2::layer<2>::parameter_count == 216 + 324 + 24 + 3 * 12);
static_assert(InceptionNet::layer<0>::output_shape == Shape<3 + 4 + 2, 5, 5>{});
static_assert(InceptionNet::layer<0>::parameter_count == (9 + 3) + (6 + 2) + (72 + 4) + (6 + 2));
static_assert(Nested::layer<0>::output_shape == Shape<5, 4, 4>{});

TEST_CASE("Residual: y = branch(x) + x", "[topology]") {
  using Net = tn::Sequential<tn::Input<2>, tn::Residual<tn::Dense<2>>>;
  tn::Network<Net, double> net(1);
  auto& dense = net.layer<0>().branch().layer<0>();
  dense.weight().value[0] = 1;  // y0 = x0 + (x0 + 2 x1 + 0.5)
  dense.weight().value[1] = 2;
  dense.weight().value[2] = 0;  // y1 = x1 + (-x1 - 1)
  dense.weight().value[3] = -1;
  dense.bias().value[0] = 0.5;
  dense.bias().value[1] = -1;
  tn::Tensor<double, Shape<2>> x(1);
  x[0] = 3;
  x[1] = 4;
  const auto& y = net.forward(x);
  CHECK(y[0] == 3 + 3 + 8 + 0.5);
  CHECK(y[1] == 4 - 4 - 1);
  CHECK(net.parameters().size() == 2);
}

TEST_CASE("Concat joins branch outputs along channels", "[topology]") {
  using Net = tn::Sequential<tn::Input<1, 2, 2>, tn::Concat<tn::Identity, tn::ReLU, tn::Identity>>;
  tn::Network<Net, double> net(2);
  tn::Tensor<double, Shape<1, 2, 2>> x(2);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = double(i) - 3.5;
  const auto& y = net.forward(x);
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t i = 0; i < 4; ++i) {
      const double v = x(n, 0, i / 2, i % 2);
      REQUIRE(y(n, 0, i / 2, i % 2) == v);
      REQUIRE(y(n, 1, i / 2, i % 2) == std::max(v, 0.0));
      REQUIRE(y(n, 2, i / 2, i % 2) == v);
    }
}

TEST_CASE("Residual, Concat and nesting: gradients against finite differences",
          "[topology][gradient]") {
  GRADCHECK_REQUIRE(gradcheck::check_network<ResNet2>(2));
  GRADCHECK_REQUIRE(gradcheck::check_network<InceptionNet>(2));
  GRADCHECK_REQUIRE(gradcheck::check_network<Nested>(3));
  GRADCHECK_REQUIRE(gradcheck::check_network<DenseBlock2>(2));
  GRADCHECK_REQUIRE(gradcheck::check_network<PreActNet>(2));
}

TEST_CASE("A dense layer passes its input through and appends its new maps", "[topology]") {
  tn::Network<DenseBlock2, double> net(1);
  tn::Tensor<double, Shape<2, 4, 4>> x(1);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(double(i));
  net.forward(x, tn::Mode::train);
  const auto& block = net.output<0>();
  for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(block[i] == x[i]);  // maps 0-1: the input
  // Maps 2-3 are the first layer's new maps, which the second layer sees and passes on too.
  const auto& first = net.layer<0>().chain().layer<0>().branch<1>().output<5>();
  for (std::size_t i = 0; i < first.size(); ++i) REQUIRE(block[x.size() + i] == first[i]);
}

TEST_CASE("A ResNet block trains: batch-norm state inside branches is snapshotted", "[topology]") {
  tn::Model<ResNet2> model{tn::init::He{}, 1, 8};
  // 5 batch norms, running mean and variance each.
  CHECK(model.network().state_buffers().size() == 10);
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  tn::Tensor<float, Shape<4, 8, 8>> x(8);
  std::mt19937_64 rng(3);
  std::normal_distribution<float> g(0, 1);
  std::vector<int> labels(8);
  for (std::size_t n = 0; n < 8; ++n) {
    labels[n] = int(n % 3);
    for (std::size_t i = 0; i < Shape<4, 8, 8>::size; ++i)
      x.sample(n)[i] = g(rng) + (i % 3 == std::size_t(labels[n]) ? 1.5f : 0.0f);
  }
  double first = 0, last = 0;
  for (int step = 0; step < 30; ++step) {
    const double loss =
        model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd,
                         0.05, std::size_t(step));
    if (step == 0) first = loss;
    last = loss;
  }
  CHECK(last < 0.5 * first);
}

TEST_CASE("ResNet-18 runs forward and backward at batch 1 on 224x224", "[topology][zoo]") {
  using ResNet18 = tn::models::ResNet18<>;
  tn::Model<ResNet18> model{tn::init::He{}, 1, 1};
  std::size_t count = 0;
  for (auto* p : model.all_parameters()) count += p->size();
  REQUIRE(count == 11'689'512);
  tn::Tensor<float, Shape<3, 224, 224>> x(1);
  std::mt19937_64 rng(2);
  std::normal_distribution<float> g(0, 1);
  for (auto& v : x.span()) v = g(rng);
  const std::array<int, 1> label{7};
  tn::optim::SGD sgd{{.lr = 0.01}};
  const double first =
      model.train_step(x, std::span<const int>(label), tn::loss::SoftmaxCrossEntropy{}, sgd, 0.01);
  REQUIRE(std::isfinite(first));
  // Batch statistics of one image: the network can fit it; a few steps lower the loss.
  double last = first;
  for (int step = 1; step < 4; ++step)
    last = model.train_step(x, std::span<const int>(label), tn::loss::SoftmaxCrossEntropy{}, sgd,
                            0.01, std::size_t(step));
  CHECK(last < first);
  for (auto* p : model.all_parameters())
    for (std::size_t i = 0; i < p->size(); i += 997) REQUIRE(std::isfinite(p->value[i]));
}

TEST_CASE("The summary shows composite layers with their layers nested", "[topology][summary]") {
  const auto s = tn::summary<ResNet2>();
  std::vector<std::string> indices;
  for (const auto& row : s.rows()) indices.push_back(row.index);
  // Input, the identity block (5 layers + Identity), ReLU, the projected block (5 + 2), ...
  const std::vector<std::string> expected{"",     "0",    "0.0",  "0.1", "0.2", "0.3", "0.4",
                                          "0.s0", "1",    "2",    "2.0", "2.1", "2.2", "2.3",
                                          "2.4",  "2.s0", "2.s1", "3",   "4",   "5"};
  CHECK(indices == expected);
  CHECK(s.parameter_count() == ResNet2::parameter_count);  // nested rows are not counted twice
  CHECK(s.macs() == ResNet2::macs);
  CHECK(s.rows()[3].layer == "  BatchNorm");
  const auto c = tn::summary<InceptionNet>();
  CHECK(c.rows()[2].index == "0.b0.0");
  CHECK(c.rows()[4].index == "0.b1.0");
}
