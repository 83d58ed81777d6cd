// MaxPool2D and AvgPool2D (kernels in kernel/pool2d.hpp); shape rules and window geometry in
// spec/pool2d.hpp.
#pragma once

#include <cstddef>
#include <cstdint>

#include "typenet/kernel/pool2d.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/pool2d.hpp"

namespace typenet {

// The gradient of each output goes to the input that won its window (the first one on ties).
template <class... Options, class In, class T>
class Layer<MaxPool2D<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = MaxPool2D<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr Window2D window = Spec::template geometry<In>;

 public:
  explicit Layer(std::size_t capacity = 1) : argmax_(capacity * Out::size) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    detail::check_capacity(x.batch() * Out::size, argmax_.size(), x.batch(), "MaxPool2D");
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    kernel::max_pool_forward(window, x.data(), y.data(), argmax_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "MaxPool2D");
    dx->set_batch(x.batch());
    kernel::max_pool_backward(window, dy.data(), argmax_.data(), dx->data(), x.batch());
  }
  // For each output of the last forward pass, the flat index of its winner in its channel plane.
  const AlignedBuffer<std::int32_t>& argmax() const { return argmax_; }

 private:
  AlignedBuffer<std::int32_t> argmax_;
  std::size_t forward_batch_ = 0;
};

template <class... Options, class In, class T>
class Layer<AvgPool2D<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = AvgPool2D<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr Window2D window = Spec::template geometry<In>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    y.set_batch(x.batch());
    kernel::avg_pool_forward(window, x.data(), y.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    kernel::avg_pool_backward(window, dy.data(), dx->data(), x.batch());
  }
};

}  // namespace typenet
