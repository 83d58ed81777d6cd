// Shakeout and Whiteout around Conv2D: gradients against central differences with the draw held
// fixed, the papers' rules and moments over many draws (the convolution's indexing redone here,
// from PyTorch's layouts, not taken from the library), seeding, the plain Conv2D's weights and
// summary rows.
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

// Input C x H x W, kernel K x K, stride 1, padding P, G groups: weight [o][c][kh][kw].
struct Conv {
  std::size_t channels, height, width, out, kernel, pad, groups;
  std::size_t out_height() const { return height + 2 * pad - kernel + 1; }
  std::size_t out_width() const { return width + 2 * pad - kernel + 1; }
  std::size_t group_in() const { return channels / groups; }
  std::size_t weight_index(std::size_t o, std::size_t c, std::size_t kh, std::size_t kw) const {
    return ((o * group_in() + c) * kernel + kh) * kernel + kw;
  }
  // The input channel of row o's c-th channel.
  std::size_t input_channel(std::size_t o, std::size_t c) const {
    return o / (out / groups) * group_in() + c;
  }
  // The input position tap (kh, kw) of output (oh, ow) reads, or false on the padding.
  bool reads(std::size_t oh, std::size_t ow, std::size_t kh, std::size_t kw, std::size_t& ih,
             std::size_t& iw) const {
    const long long h = (long long)(oh + kh) - (long long)pad;
    const long long w = (long long)(ow + kw) - (long long)pad;
    if (h < 0 || w < 0 || h >= (long long)height || w >= (long long)width) return false;
    ih = std::size_t(h);
    iw = std::size_t(w);
    return true;
  }
};

}  // namespace

TEST_CASE("Shakeout and Whiteout around Conv2D: gradients with a fixed draw", "[gradient]") {
  GRADCHECK_REQUIRE(
      (check_layer<tn::Shakeout<tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, Half, Quarter>,
                   Shape<2, 5, 5>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<
          tn::Shakeout<tn::Conv2D<4, tn::Kernel<3>, tn::Stride<2>, tn::Groups<2>, tn::Bias<false>>,
                       Quarter, std::ratio<1>>,
          Shape<4, 5, 5>>(2)));
  // Padding, so that border units have fewer connections; dilation and groups; Gamma 1 and 1/2.
  GRADCHECK_REQUIRE(
      (check_layer<tn::Whiteout<tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, Half>, Shape<2, 5, 5>>(
          3)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Whiteout<tn::Conv2D<4, tn::Kernel<2>, tn::Pad<1>, tn::Dilation<2>,
                                           tn::Stride<2>, tn::Groups<2>>,
                                Half, Half, Quarter>,
                   Shape<4, 7, 7>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::Whiteout<tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, Half>, Shape<2, 5, 5>>(
          2, tn::Mode::eval)));
}

TEST_CASE("Shakeout around Conv2D: the paper's two cases per input channel, mean output plain",
          "[layer]") {
  constexpr Conv conv{4, 4, 4, 4, 3, 1, 2};
  using In = Shape<4, 4, 4>;
  using Out = Shape<4, 4, 4>;
  constexpr double tau = 0.5, c = 0.25;
  tn::Layer<tn::Shakeout<tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>, tn::Groups<2>>, Half, Quarter>,
            In, double>
      layer(1);
  std::mt19937_64 rng(21);
  fill(layer, rng);
  tn::Tensor<double, In> x(1);
  tn::Tensor<double, Out> y(1);
  gradcheck::randomise(x, rng);
  layer.forward(x, y, tn::Mode::eval);
  const std::vector<double> expected(y.data(), y.data() + Out::size);
  const auto& w = layer.parameters()[0].value;
  constexpr std::size_t draws = 4000;
  std::vector<double> sum(Out::size, 0.0);
  std::size_t reversed_count = 0;
  layer.seed(22);
  for (std::size_t d = 0; d < draws; ++d) {
    layer.forward(x, y, tn::Mode::train);
    for (std::size_t k = 0; k < Out::size; ++k) sum[k] += y[k];
    // Every weight reading input channel j is reversed, or every one is enhanced.
    std::vector<int> reversed(conv.channels, -1);
    for (std::size_t o = 0; o < conv.out; ++o)
      for (std::size_t ch = 0; ch < conv.group_in(); ++ch)
        for (std::size_t t = 0; t < conv.kernel * conv.kernel; ++t) {
          const std::size_t i = conv.weight_index(o, ch, 0, 0) + t;
          const std::size_t j = conv.input_channel(o, ch);
          const int is_reversed = layer.factor()[i] == 0 ? 1 : 0;
          if (reversed[j] < 0) reversed[j] = is_reversed;
          REQUIRE(reversed[j] == is_reversed);
          const double s = w[i] > 0 ? 1 : -1;
          const double want = is_reversed ? -c * s : (w[i] + c * tau * s) / (1 - tau);
          REQUIRE(layer.perturbed_weight()[i] == Approx(want));
        }
    for (int r : reversed) reversed_count += std::size_t(r);
  }
  // Tau of the channels' draws are reversals.
  const double share = double(reversed_count) / double(draws * conv.channels);
  CHECK(std::abs(share - tau) < 5 * std::sqrt(tau * (1 - tau) / double(draws * conv.channels)));
  for (std::size_t o = 0; o < conv.out; ++o)
    for (std::size_t oh = 0; oh < conv.out_height(); ++oh)
      for (std::size_t ow = 0; ow < conv.out_width(); ++ow) {
        // y - E[y] = sum_j (a_j - 1) sum_{taps reading j} (w + c s) x, Var(a_j) = tau / (1 - tau).
        double variance = 0;
        for (std::size_t ch = 0; ch < conv.group_in(); ++ch) {
          const std::size_t j = conv.input_channel(o, ch);
          double along = 0;
          for (std::size_t kh = 0; kh < conv.kernel; ++kh)
            for (std::size_t kw = 0; kw < conv.kernel; ++kw) {
              std::size_t ih = 0, iw = 0;
              if (!conv.reads(oh, ow, kh, kw, ih, iw)) continue;
              const double v = w[conv.weight_index(o, ch, kh, kw)];
              along += (v + c * (v > 0 ? 1 : -1)) * x[(j * conv.height + ih) * conv.width + iw];
            }
          variance += along * along * tau / (1 - tau);
        }
        const std::size_t k = (o * conv.out_height() + oh) * conv.out_width() + ow;
        INFO("unit " << k << ": mean " << sum[k] / draws << ", plain " << expected[k]);
        CHECK(std::abs(sum[k] / draws - expected[k]) < 5 * std::sqrt(variance / draws));
      }
}

TEST_CASE("Whiteout around Conv2D: noise of mean 0 and the paper's variance, per output unit",
          "[layer]") {
  constexpr Conv conv{2, 4, 4, 2, 3, 1, 1};
  using In = Shape<2, 4, 4>;
  using Out = Shape<2, 4, 4>;
  constexpr double sigma = 0.5, gamma = 0.5, lambda = 0.25;
  constexpr std::size_t samples = 20000;  // one batch: the noise is drawn per sample
  tn::Layer<tn::Whiteout<tn::Conv2D<2, tn::Kernel<3>, tn::Pad<1>>, Half, Half, Quarter>, In, double>
      layer(samples);
  std::mt19937_64 rng(23);
  fill(layer, rng);
  tn::Tensor<double, In> x(samples);
  tn::Tensor<double, Out> y(samples);
  const auto expected = connection_noise::repeated_input_draw(layer, x, y, rng, 24);
  const auto& w = layer.parameters()[0].value;
  std::vector<double> formula(Out::size, 0.0);
  for (std::size_t o = 0; o < conv.out; ++o)
    for (std::size_t oh = 0; oh < conv.out_height(); ++oh)
      for (std::size_t ow = 0; ow < conv.out_width(); ++ow) {
        // sum over the unit's connections (taps on the input, not the padding) of w e, with
        // Var(e) = sigma^2 |w|^-gamma + lambda.
        double variance = 0;
        for (std::size_t ch = 0; ch < conv.group_in(); ++ch)
          for (std::size_t kh = 0; kh < conv.kernel; ++kh)
            for (std::size_t kw = 0; kw < conv.kernel; ++kw) {
              std::size_t ih = 0, iw = 0;
              if (!conv.reads(oh, ow, kh, kw, ih, iw)) continue;
              const double v = w[conv.weight_index(o, ch, kh, kw)];
              variance += v * v * (sigma * sigma * std::pow(std::abs(v), -gamma) + lambda);
            }
        formula[(o * conv.out_height() + oh) * conv.out_width() + ow] = variance;
      }
  connection_noise::check_noise_moments(y.data(), expected, formula, samples);
  // A corner unit has 4 of the 9 taps per channel, an inner one all 9: the padding is no input.
  CHECK(formula[0] < formula[conv.out_width() + 1]);
}

TEST_CASE("Shakeout and Whiteout around Conv2D repeat for a seed and differ across seeds",
          "[layer]") {
  using Net = tn::Sequential<tn::Input<2, 6, 6>, tn::Shakeout<tn::Conv2D<4, tn::Kernel<3>>>,
                             tn::Whiteout<tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>>>;
  tn::Network<Net, double> net(2);
  tn::Tensor<double, Shape<2, 6, 6>> x(2);
  std::mt19937_64 rng(3);
  gradcheck::randomise(x, rng);
  const auto draws = [&](std::uint64_t seed) {
    net.seed(seed);
    net.forward(x, tn::Mode::train);
    const auto& factor = net.layer<0>().factor();
    const auto& noise = net.layer<1>().noise();
    return std::vector<std::vector<double>>{{factor.data(), factor.data() + factor.size()},
                                            {noise.data(), noise.data() + noise.size()}};
  };
  const auto first = draws(5);
  CHECK(draws(5) == first);
  const auto other = draws(6);
  CHECK(other[0] != first[0]);
  CHECK(other[1] != first[1]);
  std::vector<tn::io::detail::GeneratorEntry> generators;
  tn::io::detail::walk_network(net, generators);
  REQUIRE(generators.size() == 2);
  CHECK(generators[1].generator == &net.layer<1>().generator());
}

TEST_CASE("Shakeout and Whiteout around Conv2D evaluate, load and summarise as the plain Conv2D",
          "[layer]") {
  using Conv1 = tn::Conv2D<4, tn::Kernel<3>>;
  using Conv2 = tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>;
  using Noisy = tn::Sequential<tn::Input<2, 8, 8>, tn::Shakeout<Conv1>, tn::ReLU,
                               tn::Whiteout<Conv2, Half>, tn::Flatten, tn::Dense<5>>;
  using Plain =
      tn::Sequential<tn::Input<2, 8, 8>, Conv1, tn::ReLU, Conv2, tn::Flatten, tn::Dense<5>>;
  const auto noisy_rows = tn::summary<Noisy>().rows();
  const auto plain_rows = tn::summary<Plain>().rows();
  REQUIRE(noisy_rows.size() == plain_rows.size());
  for (std::size_t r = 0; r < noisy_rows.size(); ++r) {
    INFO("row " << r);
    CHECK(noisy_rows[r].output_shape == plain_rows[r].output_shape);
    CHECK(noisy_rows[r].parameters == plain_rows[r].parameters);
    CHECK(noisy_rows[r].macs == plain_rows[r].macs);
  }
  CHECK(noisy_rows[1].layer == "Shakeout(" + Conv1::name() + ", tau 1/2, c 1/10)");
  CHECK(noisy_rows[3].layer == "Whiteout(" + Conv2::name() + ", sigma 1/2, gamma 1, lambda 0)");

  connection_noise::check_loads_as_plain<Noisy, Plain>(3, 4,
                                                       "typenet_connection_noise_conv.safetensors");
}
