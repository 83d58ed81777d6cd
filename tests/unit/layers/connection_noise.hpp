// What the DropConnect/Shakeout/Whiteout tests of Dense and of Conv2D share: weights away from
// the kinks, the moments of Whiteout's noise against a formula, and "evaluates, and loads, as the
// plain network".
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <ratio>
#include <string>
#include <vector>

#include "../gradcheck.hpp"

namespace connection_noise {

namespace tn = typenet;

using Half = std::ratio<1, 2>;
using Quarter = std::ratio<1, 4>;

// Weights and biases of magnitude 0.2 to 1 (Shakeout's sign(w) and Whiteout's |w| have a kink
// at 0).
template <class L>
void fill(L& layer, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> magnitude(0.2, 1.0);
  std::bernoulli_distribution negative(0.5);
  for (auto& p : layer.parameters())
    for (std::size_t i = 0; i < p.size(); ++i)
      p.value[i] = (negative(rng) ? -1 : 1) * magnitude(rng);
}

// One random input in every sample of x; returns the layer's plain (evaluation) output of one
// sample, and leaves its training output, one noise draw per sample after seed(seed), in y.
template <class L, class In, class Out>
std::vector<double> repeated_input_draw(L& layer, tn::Tensor<double, In>& x,
                                        tn::Tensor<double, Out>& y, std::mt19937_64& rng,
                                        std::uint64_t seed) {
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> one(In::size);
  for (auto& v : one) v = u(rng);
  for (std::size_t n = 0; n < x.batch(); ++n)
    for (std::size_t j = 0; j < In::size; ++j) x[n * In::size + j] = one[j];
  layer.forward(x, y, tn::Mode::eval);
  const std::vector<double> expected(y.data(), y.data() + Out::size);
  layer.seed(seed);
  layer.forward(x, y, tn::Mode::train);
  return expected;
}

// y - expected over `samples` samples of `units` output units: mean 0 within five standard
// errors, and the sample variance within five of its standard deviations (variance *
// sqrt(2 / (samples - 1)) for a Gaussian) of formula[k].
inline void check_noise_moments(const double* y, const std::vector<double>& expected,
                                const std::vector<double>& formula, std::size_t samples) {
  const std::size_t units = expected.size();
  for (std::size_t k = 0; k < units; ++k) {
    double mean = 0, square = 0;
    for (std::size_t n = 0; n < samples; ++n) {
      const double d = y[n * units + k] - expected[k];
      mean += d;
      square += d * d;
    }
    mean /= double(samples);
    const double sample_variance = (square - double(samples) * mean * mean) / double(samples - 1);
    INFO("unit " << k << ": mean shift " << mean << ", variance " << sample_variance << ", formula "
                 << formula[k]);
    CHECK(std::abs(mean) < 5 * std::sqrt(formula[k] / double(samples)));
    CHECK(std::abs(sample_variance - formula[k]) <
          5 * formula[k] * std::sqrt(2.0 / double(samples - 1)));
  }
}

// Random weights in Noisy, saved and loaded into Plain: the same state_dict names, the same
// evaluation output, and another output in training.
template <class Noisy, class Plain>
void check_loads_as_plain(std::size_t batch, std::uint64_t seed, const std::string& file) {
  static_assert(Noisy::parameter_count == Plain::parameter_count);
  CHECK(tn::state_dict_names<Noisy>() == tn::state_dict_names<Plain>());
  tn::Network<Noisy> noisy(batch);
  tn::Network<Plain> plain(batch);
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 0.5f);
  for (auto* p : noisy.parameters())
    for (auto& v : p->value.span()) v = normal(rng);
  tn::Tensor<float, typename Noisy::input_type> x(batch);
  for (auto& v : x.span()) v = normal(rng);
  const auto path = std::filesystem::temp_directory_path() / file;
  tn::save_weights(noisy, path);
  tn::load_weights(plain, path);
  std::filesystem::remove(path);
  const std::vector<float> expected = [&] {
    const auto& y = plain.forward(x, tn::Mode::eval);
    return std::vector<float>(y.data(), y.data() + y.size());
  }();
  const auto& y = noisy.forward(x, tn::Mode::eval);
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == expected[i]);
  const auto& trained = noisy.forward(x, tn::Mode::train);
  bool differs = false;
  for (std::size_t i = 0; i < trained.size(); ++i) differs = differs || trained[i] != expected[i];
  CHECK(differs);
}

}  // namespace connection_noise
