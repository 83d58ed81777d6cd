// What DropConnect and Shakeout share: in training, the wrapped weight layer runs with perturbed
// weights W' = rule(W, draw), and its weight gradient dW' is mapped back through the rule,
// dW = dW' * dW'/dW (element-wise: both rules are W' = a W + b with a random a, b that do not
// depend on W almost everywhere). In evaluation the wrapped layer runs with W as it is.
//
// W' is swapped into the wrapped layer's weight for the length of its forward or backward call
// and swapped out again (an exchange of buffers: nothing is copied or allocated), so the layer's
// parameters, their names and their optimiser state stay the wrapped layer's own.
//
// One draw per forward pass: the papers draw per sample (Wan et al. 2013 sec. 3, Kang et al.
// 2016 eq. 1), which needs a weight matrix per sample; with one per batch each sample still sees
// a W' of the papers' distribution, so the expected loss is the same, the gradient noisier.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>

#include "typenet/layers/layer.hpp"

namespace typenet::detail {

// Derived provides draw(W, W', factor): fills W' and factor = dW'/dW from W and the generator.
template <class Derived, class Inner, class In, class Out, class T>
class perturbed_weights {
 public:
  explicit perturbed_weights(std::size_t capacity)
      : inner_(capacity), perturbed_(inner_.weight().size()), factor_(inner_.weight().size()) {}

  std::span<Parameter<T>> parameters() { return inner_.parameters(); }
  std::span<const Parameter<T>> parameters() const { return inner_.parameters(); }
  Inner& inner() { return inner_; }
  void seed(std::uint64_t value) { generator_.seed(value); }
  // The draws' generator, whose whole state a checkpoint saves and restores (exact resume).
  std::mt19937_64& generator() { return generator_; }
  // dW'/dW of the last training pass: the mask (DropConnect) or r_j / (1 - Tau) (Shakeout).
  const AlignedBuffer<T>& factor() const { return factor_; }
  // W' of the last training pass.
  const AlignedBuffer<T>& perturbed_weight() const { return perturbed_; }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    training_ = mode == Mode::train;
    if (!training_) {
      inner_.forward(x, y, mode);
      return;
    }
    static_cast<Derived&>(*this).draw(inner_.weight().value, perturbed_, factor_, generator_);
    swapped swap(inner_.weight().value, perturbed_);
    inner_.forward(x, y, mode);
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>& y, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (!training_) {
      inner_.backward(x, y, dy, dx);
      return;
    }
    {
      swapped swap(inner_.weight().value, perturbed_);
      inner_.backward(x, y, dy, dx);
    }
    auto& gradient = inner_.weight().gradient;
    for (std::size_t i = 0; i < gradient.size(); ++i) gradient[i] *= factor_[i];
  }

 private:
  // Exchanges two buffers for a scope, also when the wrapped layer throws.
  struct swapped {
    AlignedBuffer<T>& a;
    AlignedBuffer<T>& b;
    swapped(AlignedBuffer<T>& a_, AlignedBuffer<T>& b_) : a(a_), b(b_) { std::swap(a, b); }
    ~swapped() { std::swap(a, b); }
    swapped(const swapped&) = delete;
    swapped& operator=(const swapped&) = delete;
  };

  Inner inner_;
  AlignedBuffer<T> perturbed_;
  AlignedBuffer<T> factor_;
  std::mt19937_64 generator_{0x7970656e6574ULL};
  bool training_ = false;
};

}  // namespace typenet::detail
