// fold_batchnorm: the folded network computes what the pair computed in evaluation mode.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/typenet.hpp>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

TEST_CASE("Batch norm folds into the convolution before it", "[layer]") {
  using Conv = tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>;
  using Net = tn::Sequential<tn::Input<2, 5, 5>, Conv, tn::BatchNorm>;
  tn::Network<Net, double> net(4);
  std::mt19937_64 rng(11);
  tn::Tensor<double, Shape<2, 5, 5>> x(4);
  gradcheck::randomise(x, rng);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] += u(rng);
  for (int step = 0; step < 3; ++step) net.forward(x, tn::Mode::train);  // running statistics
  const auto reference = net.forward(x, tn::Mode::eval);

  tn::Network<tn::Sequential<tn::Input<2, 5, 5>, Conv>, double> folded(4);
  auto& conv = folded.layer<0>();
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t i = 0; i < conv.parameters()[k].size(); ++i)
      conv.parameters()[k].value[i] = net.layer<0>().parameters()[k].value[i];
  tn::fold_batchnorm(conv, net.layer<1>());
  const auto& y = folded.forward(x, tn::Mode::eval);
  for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == Approx(reference[i]).margin(1e-12));
}
