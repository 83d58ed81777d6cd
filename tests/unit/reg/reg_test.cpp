// Penalties (L1, L2, elastic net): values and gradients against finite differences (double).
#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

TEST_CASE("L1, L2 and elastic-net penalties and their gradients", "[gradient][reg]") {
  tn::Network<tn::Sequential<tn::Input<4>, tn::Dense<3>, tn::ReLU, tn::Dense<2>>, double> net(1);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
  const auto weights = tn::reg::weights(net.parameters());
  REQUIRE(weights.size() == 2);  // the two weight matrices, no biases
  const std::span<tn::Parameter<double>* const> chosen(weights);

  const tn::reg::ElasticNet elastic{0.3, 0.7};
  double l1 = 0, l2 = 0;
  for (auto* p : weights)
    for (std::size_t i = 0; i < p->size(); ++i) {
      l1 += std::abs(p->value[i]);
      l2 += p->value[i] * p->value[i];
    }
  CHECK(tn::reg::penalty(tn::reg::L1{0.5}, chosen) == Approx(0.5 * l1));
  CHECK(tn::reg::penalty(tn::reg::L2{0.5}, chosen) == Approx(0.5 * l2));
  CHECK(tn::reg::penalty(elastic, chosen) == Approx(0.3 * l1 + 0.7 * l2));

  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->gradient[i] = 0;
  tn::reg::add_gradient(elastic, chosen);
  gradcheck::Worst worst;
  for (auto* p : weights)
    for (std::size_t i = 0; i < p->size(); ++i) {
      const double saved = p->value[i];
      p->value[i] = saved + gradcheck::step;
      const double plus = tn::reg::penalty(elastic, chosen);
      p->value[i] = saved - gradcheck::step;
      const double minus = tn::reg::penalty(elastic, chosen);
      p->value[i] = saved;
      worst.update(p->gradient[i], (plus - minus) / (2 * gradcheck::step), "weight");
    }
  GRADCHECK_REQUIRE(worst);
  // Biases were not chosen: their gradients are untouched.
  for (auto* p : net.parameters())
    if (p->kind == tn::ParameterKind::bias)
      for (std::size_t i = 0; i < p->size(); ++i) REQUIRE(p->gradient[i] == 0);
}
