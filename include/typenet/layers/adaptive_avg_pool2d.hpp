// AdaptiveAvgPool2D (kernel in kernel/resize.hpp); shape rule in spec/adaptive_avg_pool2d.hpp.
#pragma once

#include <cstddef>

#include "typenet/kernel/resize.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/adaptive_avg_pool2d.hpp"

namespace typenet {

template <std::size_t OH, std::size_t OW, class In, class T>
class Layer<AdaptiveAvgPool2D<OH, OW>, In, T> : public detail::without_parameters<T> {
  using Out = Shape<In::dims[0], OH, OW>;
  static constexpr kernel::Resize r{In::dims[0], In::dims[1], In::dims[2], OH, OW};

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    y.set_batch(x.batch());
    kernel::adaptive_avg_pool_forward(r, x.data(), y.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    kernel::adaptive_avg_pool_backward(r, dy.data(), dx->data(), x.batch());
  }
};

}  // namespace typenet
