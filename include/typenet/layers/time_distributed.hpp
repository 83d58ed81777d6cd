// TimeDistributed<Spec>: the inner layer run once over batch*steps samples, its parameters
// shared by every step; shape rule in spec/time_distributed.hpp. A sample's steps are
// contiguous, so batch x steps x F is the inner layer's (batch*steps) x F: the copies in and out
// are plain, in order, and the inner layer's buffers are sized for capacity*steps samples.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "typenet/layers/layer.hpp"
#include "typenet/spec/time_distributed.hpp"

namespace typenet {

template <class Spec, class In, class T>
class Layer<TimeDistributed<Spec>, In, T> {
  static constexpr std::size_t steps = In::dims[0];
  using Step = detail::step_shape<In>;
  using StepOut = typename bind<Spec, Step>::output_type;
  using Out = typename bind<TimeDistributed<Spec>, In>::output_type;
  using Inner = Layer<Spec, Step, T>;

 public:
  explicit Layer(std::size_t capacity = 1)
      : inner_(capacity * steps),
        x_(capacity * steps),
        dx_(capacity * steps),
        y_(capacity * steps),
        dy_(capacity * steps) {}

  auto parameters() { return inner_.parameters(); }
  auto parameters() const { return inner_.parameters(); }
  Inner& inner() { return inner_; }
  void seed(std::uint64_t value) requires requires(Inner& l) { l.seed(value); }
  { inner_.seed(value); }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode mode) {
    x_.set_batch(x.batch() * steps);
    std::copy_n(x.data(), x.size(), x_.data());
    inner_.forward(x_, y_, mode);
    y.set_batch(x.batch());
    std::copy_n(y_.data(), y.size(), y.data());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    dy_.set_batch(dy.batch() * steps);
    std::copy_n(dy.data(), dy.size(), dy_.data());
    inner_.backward(x_, y_, dy_, dx != nullptr ? &dx_ : nullptr);
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    std::copy_n(dx_.data(), dx->size(), dx->data());
  }

 private:
  Inner inner_;
  Tensor<T, Step> x_, dx_;
  Tensor<T, StepOut> y_, dy_;
};

}  // namespace typenet
