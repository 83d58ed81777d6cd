// DropConnect, Shakeout and Whiteout: gradients against central differences with the draw held
// fixed (the layer is reseeded before each forward), the papers' expectations over many draws
// with tolerances from the draws' own variance, seeding, and evaluation with the plain layer.
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <random>
#include <ratio>
#include <vector>

#include "connection_noise.hpp"
#include "typenet/layers/drop_connect.hpp"
#include "typenet/layers/shakeout.hpp"
#include "typenet/layers/whiteout.hpp"

namespace tn = typenet;
using connection_noise::fill;
using connection_noise::Half;
using connection_noise::Quarter;
using gradcheck::check_layer;
using tn::Shape;

namespace {

// The deterministic output of the wrapped layer (evaluation) for one input x.
template <class L, class In, class Out>
std::vector<double> plain_output(L& layer, const tn::Tensor<double, In>& x,
                                 tn::Tensor<double, Out>& y) {
  layer.forward(x, y, tn::Mode::eval);
  return {y.data(), y.data() + Out::size};
}

}  // namespace

TEST_CASE("DropConnect gradients with a fixed mask", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::DropConnect<tn::Dense<5>>, Shape<7>>(3)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::DropConnect<tn::Dense<4, tn::Bias<false>>, Quarter>, Shape<6>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::DropConnect<tn::Conv2D<3, tn::Kernel<3>>, Quarter>, Shape<2, 5, 5>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::DropConnect<tn::Dense<5>>, Shape<7>>(3, tn::Mode::eval)));
}

TEST_CASE("Shakeout gradients with a fixed draw", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::Shakeout<tn::Dense<5>, Half, Quarter>, Shape<7>>(3)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Shakeout<tn::Dense<3, tn::Bias<false>>, Quarter, std::ratio<1>>, Shape<4>>(
          2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Shakeout<tn::Dense<5>, Half, Quarter>, Shape<7>>(3, tn::Mode::eval)));
}

TEST_CASE("Whiteout gradients with fixed noise, through the noise's scale", "[gradient]") {
  // Gamma 1 (lasso-like), 0 (ridge-like) and 1/2, with and without Lambda.
  GRADCHECK_REQUIRE((check_layer<tn::Whiteout<tn::Dense<5>, Half>, Shape<7>>(3)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Whiteout<tn::Dense<4>, Half, std::ratio<0>, Quarter>, Shape<6>>(3)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Whiteout<tn::Dense<3, tn::Bias<false>>, std::ratio<1>, Half, Quarter>,
                   Shape<5>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::Whiteout<tn::Dense<5>, Half>, Shape<7>>(3, tn::Mode::eval)));
}

TEST_CASE("DropConnect is unbiased: the mean output over many masks is the plain output",
          "[layer]") {
  using In = Shape<10>;
  using Out = Shape<6>;
  constexpr double p = 0.25;
  tn::Layer<tn::DropConnect<tn::Dense<6>, Quarter>, In, double> layer(1);
  std::mt19937_64 rng(7);
  fill(layer, rng);
  tn::Tensor<double, In> x(1);
  tn::Tensor<double, Out> y(1);
  gradcheck::randomise(x, rng);
  const auto expected = plain_output(layer, x, y);
  constexpr std::size_t draws = 4000;
  std::vector<double> sum(Out::size, 0.0);
  layer.seed(11);
  for (std::size_t d = 0; d < draws; ++d) {
    layer.forward(x, y, tn::Mode::train);
    for (std::size_t k = 0; k < Out::size; ++k) sum[k] += y[k];
  }
  const auto& w = layer.parameters()[0].value;
  for (std::size_t k = 0; k < Out::size; ++k) {
    // One mask entry m per weight: Var(m) = 1/(1-p) - 1, so Var(y_k) = sum_j x_j^2 w_kj^2 Var(m).
    double variance = 0;
    for (std::size_t j = 0; j < In::size; ++j)
      variance += x[j] * x[j] * w[k * In::size + j] * w[k * In::size + j] * (p / (1 - p));
    const double standard_error = std::sqrt(variance / draws);
    INFO("unit " << k << ": mean " << sum[k] / draws << ", plain " << expected[k]);
    CHECK(std::abs(sum[k] / draws - expected[k]) < 5 * standard_error);
  }
}

TEST_CASE("Shakeout's weights have expectation W, and its mean output is the plain output",
          "[layer]") {
  using In = Shape<8>;
  using Out = Shape<5>;
  constexpr double tau = 0.5;
  constexpr double c = 0.25;
  tn::Layer<tn::Shakeout<tn::Dense<5>, Half, Quarter>, In, double> layer(1);
  std::mt19937_64 rng(8);
  fill(layer, rng);
  tn::Tensor<double, In> x(1);
  tn::Tensor<double, Out> y(1);
  gradcheck::randomise(x, rng);
  const auto expected = plain_output(layer, x, y);
  const auto& w = layer.parameters()[0].value;
  constexpr std::size_t draws = 4000;
  std::vector<double> sum(Out::size, 0.0);
  layer.seed(12);
  for (std::size_t d = 0; d < draws; ++d) {
    layer.forward(x, y, tn::Mode::train);
    for (std::size_t k = 0; k < Out::size; ++k) sum[k] += y[k];
    // The paper's two cases, per input unit j (a column): reversed to -c sign(w), or enhanced.
    const auto& perturbed = layer.perturbed_weight();
    for (std::size_t j = 0; j < In::size; ++j) {
      const bool reversed = layer.factor()[j] == 0;
      for (std::size_t k = 0; k < Out::size; ++k) {
        const double v = w[k * In::size + j];
        const double s = v > 0 ? 1 : -1;
        const double want = reversed ? -c * s : (v + c * tau * s) / (1 - tau);
        REQUIRE(perturbed[k * In::size + j] == Approx(want));
      }
    }
  }
  for (std::size_t k = 0; k < Out::size; ++k) {
    // y_k - E[y_k] = sum_j (a_j - 1)(w_kj + c s_kj) x_j, Var(a_j) = tau / (1 - tau).
    double variance = 0;
    for (std::size_t j = 0; j < In::size; ++j) {
      const double v = w[k * In::size + j];
      const double shifted = v + c * (v > 0 ? 1 : -1);
      variance += shifted * shifted * x[j] * x[j] * tau / (1 - tau);
    }
    const double standard_error = std::sqrt(variance / draws);
    INFO("unit " << k << ": mean " << sum[k] / draws << ", plain " << expected[k]);
    CHECK(std::abs(sum[k] / draws - expected[k]) < 5 * standard_error);
  }
}

TEST_CASE("Whiteout's noise has mean 0 and the variance of the paper's formula", "[layer]") {
  using In = Shape<6>;
  using Out = Shape<4>;
  constexpr double sigma = 0.5, gamma = 0.5, lambda = 0.25;
  constexpr std::size_t samples = 20000;  // one batch: the noise is drawn per sample
  tn::Layer<tn::Whiteout<tn::Dense<4>, Half, Half, Quarter>, In, double> layer(samples);
  std::mt19937_64 rng(9);
  fill(layer, rng);
  tn::Tensor<double, In> x(samples);
  tn::Tensor<double, Out> y(samples);
  const auto expected = connection_noise::repeated_input_draw(layer, x, y, rng, 13);
  const auto& w = layer.parameters()[0].value;
  std::vector<double> formula(Out::size, 0.0);
  for (std::size_t k = 0; k < Out::size; ++k)
    // sum_j w_kj e_j with Var(e_j) = sigma^2 |w_kj|^-gamma + lambda.
    for (std::size_t j = 0; j < In::size; ++j) {
      const double v = w[k * In::size + j];
      formula[k] += v * v * (sigma * sigma * std::pow(std::abs(v), -gamma) + lambda);
    }
  connection_noise::check_noise_moments(y.data(), expected, formula, samples);
}

TEST_CASE("Connection noise repeats for a seed and differs across seeds and layers", "[layer]") {
  using Net =
      tn::Sequential<tn::Input<12>, tn::DropConnect<tn::Dense<12>>, tn::Shakeout<tn::Dense<12>>,
                     tn::Whiteout<tn::Dense<12>>, tn::DropConnect<tn::Dense<12>>>;
  tn::Network<Net, double> net(2);
  tn::Tensor<double, Shape<12>> x(2);
  std::mt19937_64 rng(1);
  gradcheck::randomise(x, rng);
  const auto draws = [&](std::uint64_t seed) {
    net.seed(seed);
    net.forward(x, tn::Mode::train);
    std::vector<std::vector<double>> out;
    const auto take = [&](const auto& buffer) {
      out.emplace_back(buffer.data(), buffer.data() + buffer.size());
    };
    take(net.layer<0>().factor());
    take(net.layer<1>().factor());
    take(net.layer<2>().noise());
    take(net.layer<3>().factor());
    return out;
  };
  const auto first = draws(5);
  CHECK(draws(5) == first);
  const auto other = draws(6);
  for (std::size_t k = 0; k < first.size(); ++k) {
    INFO("layer " << k);
    CHECK(other[k] != first[k]);
  }
  // The two DropConnect layers of one network draw different masks.
  CHECK(first[0] != first[3]);
  // Checkpoints save and restore every generator the state walk finds, as Dropout's.
  std::vector<tn::io::detail::GeneratorEntry> generators;
  tn::io::detail::walk_network(net, generators);
  REQUIRE(generators.size() == 4);
  CHECK(generators[0].name == "0");
  CHECK(generators[3].generator == &net.layer<3>().generator());
}

TEST_CASE("In evaluation the wrapped layer runs with its own weights, which load into it",
          "[layer]") {
  using Noisy = tn::Sequential<tn::Input<9>, tn::DropConnect<tn::Dense<7>>, tn::ReLU,
                               tn::Shakeout<tn::Dense<6>>, tn::Tanh, tn::Whiteout<tn::Dense<3>>>;
  using Plain =
      tn::Sequential<tn::Input<9>, tn::Dense<7>, tn::ReLU, tn::Dense<6>, tn::Tanh, tn::Dense<3>>;
  connection_noise::check_loads_as_plain<Noisy, Plain>(4, 2,
                                                       "typenet_connection_noise.safetensors");
}
