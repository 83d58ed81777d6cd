// Dropout<P>: inverted dropout (Srivastava et al. 2014; PyTorch's Dropout); shape rule in
// spec/dropout.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

#include "typenet/expr/expr.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/dropout.hpp"

namespace typenet {

// Inverted dropout: in training each input is kept with probability 1 - P and scaled by
// 1 / (1 - P), so evaluation is the identity. The mask comes from the layer's own generator;
// seed() makes it reproducible.
template <class P, class In, class T>
class Layer<Dropout<P>, In, T> : public detail::without_parameters<T> {
  static constexpr double probability = Dropout<P>::probability;

 public:
  explicit Layer(std::size_t capacity = 1) : mask_(capacity * In::size) {}
  void seed(std::uint64_t value) { generator_.seed(value); }
  // The mask's generator, whose whole state a checkpoint saves and restores (exact resume).
  std::mt19937_64& generator() { return generator_; }

  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode mode) {
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    training_ = mode == Mode::train;
    if (!training_) {
      y = expr::ref(x) * 1;
      return;
    }
    detail::check_capacity(x.size(), mask_.size(), x.batch(), "Dropout");
    std::bernoulli_distribution keep(1.0 - probability);
    const T scale = probability < 1 ? T(1.0 / (1.0 - probability)) : T(0);
    for (std::size_t i = 0; i < x.size(); ++i) mask_[i] = keep(generator_) ? scale : T(0);
    y = x * expr::ref<In>(mask_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "Dropout");
    dx->set_batch(x.batch());
    if (training_)
      *dx = dy * expr::ref<In>(mask_.data(), x.batch());
    else
      *dx = expr::ref(dy) * 1;
  }
  // The scale each input was multiplied by in the last training pass (0 where dropped).
  const AlignedBuffer<T>& mask() const { return mask_; }

 private:
  AlignedBuffer<T> mask_;
  std::mt19937_64 generator_{0x7970656e6574ULL};
  bool training_ = false;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet
