// The built-in activations' hand-written backward passes against the ones the expression
// derivative rules derive from their forward expressions.
#include <catch2/catch.hpp>
#include <random>
#include <ratio>
#include <typenet/typenet.hpp>

#include "../gradcheck.hpp"

namespace tn = typenet;
namespace ex = typenet::expr;
using tn::Shape;

TEST_CASE("Built-in activations' hand-written backward equals the derived one", "[expr]") {
  tn::Tensor<double, Shape<3, 4, 4>> x(2), y(2), dy(2), hand(2), derived(2);
  std::mt19937_64 rng(5);
  gradcheck::randomise(x, rng, -3, 3);
  gradcheck::randomise(dy, rng);
  const auto compare = [&]<class F>(F) {
    y = F::forward(ex::ref(x));
    hand = F::backward(ex::var(x), ex::ref(y), ex::ref(dy));
    derived = dy * ex::derivative(F::forward(ex::var(x)));
    for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(hand[i] == Approx(derived[i]).margin(1e-12));
  };
  compare(tn::activation_rule<tn::ReLU>{});
  compare(tn::activation_rule<tn::Sigmoid>{});
  compare(tn::activation_rule<tn::Tanh>{});
  compare(tn::activation_rule<tn::LeakyReLU<std::ratio<1, 100>>>{});
  compare(tn::activation_rule<tn::ELU<std::ratio<1>>>{});
  compare(tn::activation_rule<tn::ELU<std::ratio<3, 2>>>{});
}
