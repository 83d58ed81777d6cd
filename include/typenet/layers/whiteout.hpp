// Whiteout<Layer, Sigma, Gamma, Lambda>: the wrapped Dense or Conv2D with Gaussian noise on the
// input of each connection in training (Li & Liu, arXiv:1612.01490, additive form); spec in
// spec/whiteout.hpp.
//
// Output unit i of sample n receives sum_j w_ij (x_nj + e_nij) = (plain output)_ni +
// sum_j w_ij e_nij, and with independent e_nij ~ N(0, Sigma^2 |w_ij|^-Gamma + Lambda) that sum
// is exactly
//   N(0, v_i),  v_i = sum_j Sigma^2 |w_ij|^(2-Gamma) + Lambda w_ij^2,
// so it is drawn as sqrt(v_i) z_ni with z_ni ~ N(0, 1) per sample and unit: the paper's noise,
// without drawing one number per connection and sample (the local reparameterisation of
// Kingma, Salimans, Welling 2015). A Conv2D is the fully connected layer with tied weights whose
// connections are its kernel taps that land on the input (not on its zero padding): output unit
// (o, p) sums over the taps of row o that reach the input from position p, so v depends on p at
// the border (layers/detail/connections.hpp). Backward differentiates that draw with z fixed,
// through sqrt(v_i) too: dw_ij gets (sum_n dy_ni z_ni) dv_i/dw_ij / (2 sqrt(v_i)), where
// dv_i/dw_ij = Sigma^2 (2-Gamma) |w|^(1-Gamma) sign(w) + 2 Lambda w, finite for Gamma <= 1 (the
// spec's limit); a tied weight sums that over the units it connects. The input gradient is the
// plain layer's: the noise does not depend on x.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>

#include "typenet/layers/conv2d.hpp"
#include "typenet/layers/dense.hpp"
#include "typenet/layers/detail/connections.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/whiteout.hpp"

namespace typenet {

template <class Inner, class Sigma, class Gamma, class Lambda, class In, class T>
class Layer<Whiteout<Inner, Sigma, Gamma, Lambda>, In, T> {
  using Spec = Whiteout<Inner, Sigma, Gamma, Lambda>;
  using Out = typename bind<Inner, In>::output_type;
  using wiring = detail::connections<Inner, In>;
  static constexpr std::size_t rows = wiring::rows;
  static constexpr std::size_t taps = wiring::taps;
  static constexpr std::size_t positions = wiring::positions;
  static constexpr std::size_t units = Out::size;  // rows x positions

 public:
  explicit Layer(std::size_t capacity = 1)
      : inner_(capacity),
        noise_(capacity * units),
        deviation_(units),
        tap_variance_(rows * taps),
        along_(units) {}

  std::span<Parameter<T>> parameters() { return inner_.parameters(); }
  std::span<const Parameter<T>> parameters() const { return inner_.parameters(); }
  Layer<Inner, In, T>& inner() { return inner_; }
  void seed(std::uint64_t value) { generator_.seed(value); }
  // The noise's generator, whose whole state a checkpoint saves and restores (exact resume).
  std::mt19937_64& generator() { return generator_; }
  // z of the last training pass (batch x output units) and each output unit's sqrt(v_i).
  const AlignedBuffer<T>& noise() const { return noise_; }
  const AlignedBuffer<T>& deviation() const { return deviation_; }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    inner_.forward(x, y, mode);
    training_ = mode == Mode::train;
    forward_batch_ = x.batch();
    if (!training_) return;
    detail::check_capacity(x.batch() * units, noise_.size(), x.batch(), "Whiteout");
    const T* w = inner_.weight().value.data();
    // Per row and tap, the variance its connections add from one position.
    for (std::size_t o = 0; o < rows; ++o)
      for (std::size_t k = 0; k < taps; ++k) {
        double variance = 0;
        for (std::size_t c = 0; c < wiring::channels; ++c) {
          const double a = std::abs(double(w[(o * wiring::channels + c) * taps + k]));
          variance +=
              Spec::sigma * Spec::sigma * std::pow(a, 2 - Spec::gamma) + Spec::lambda * a * a;
        }
        tap_variance_[o * taps + k] = variance;
      }
    for (std::size_t o = 0; o < rows; ++o)
      for (std::size_t p = 0; p < positions; ++p) {
        double variance = 0;
        for (std::size_t k = 0; k < taps; ++k)
          if (wiring::reaches(p, k)) variance += tap_variance_[o * taps + k];
        deviation_[o * positions + p] = T(std::sqrt(variance));
      }
    std::normal_distribution<double> normal;
    for (std::size_t n = 0; n < x.batch(); ++n)
      for (std::size_t i = 0; i < units; ++i) {
        const T z = T(normal(generator_));
        noise_[n * units + i] = z;
        y[n * units + i] += deviation_[i] * z;
      }
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>& y, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    inner_.backward(x, y, dy, dx);
    if (!training_) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "Whiteout");
    // (sum_n dy_ni z_ni) / (2 sqrt(v_i)) per output unit; 0 without noise (sqrt has no
    // derivative at 0).
    for (std::size_t i = 0; i < units; ++i) {
      along_[i] = 0;
      if (deviation_[i] == 0) continue;
      double along = 0;
      for (std::size_t n = 0; n < x.batch(); ++n)
        along += dy[n * units + i] * noise_[n * units + i];
      along_[i] = along / (2 * double(deviation_[i]));
    }
    const T* w = inner_.weight().value.data();
    T* dw = inner_.weight().gradient.data();
    const double s2 = Spec::sigma * Spec::sigma;
    for (std::size_t o = 0; o < rows; ++o)
      for (std::size_t k = 0; k < taps; ++k) {
        double outer = 0;  // over the units tap k of row o connects
        for (std::size_t p = 0; p < positions; ++p)
          if (wiring::reaches(p, k)) outer += along_[o * positions + p];
        for (std::size_t c = 0; c < wiring::channels; ++c) {
          const std::size_t i = (o * wiring::channels + c) * taps + k;
          const double v = double(w[i]);
          const double sign = double((v > 0) - (v < 0));
          const double dv = s2 * (2 - Spec::gamma) * std::pow(std::abs(v), 1 - Spec::gamma) * sign +
                            2 * Spec::lambda * v;
          dw[i] += T(outer * dv);
        }
      }
  }

 private:
  Layer<Inner, In, T> inner_;
  AlignedBuffer<T> noise_;
  AlignedBuffer<T> deviation_;
  AlignedBuffer<double> tap_variance_;  // rows x taps
  AlignedBuffer<double> along_;         // per output unit
  std::mt19937_64 generator_{0x7970656e6574ULL};
  bool training_ = false;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
