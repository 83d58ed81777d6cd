// Upsample and AdaptiveAvgPool2D computed (kernels in src/kernel/resize.cpp).
#pragma once

#include <cstddef>

#include "typenet/kernel/kernels.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/resize.hpp"

namespace typenet {

namespace detail {
template <class In, class Out>
inline constexpr kernel::Resize resize_of{In::dims[0], In::dims[1], In::dims[2], Out::dims[1],
                                          Out::dims[2]};
}  // namespace detail

template <class... Options, class In, class T>
class Layer<Upsample<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = Upsample<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr kernel::Resize r = detail::resize_of<In, Out>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    y.set_batch(x.batch());
    if constexpr (Spec::bilinear)
      kernel::upsample_bilinear_forward(r, x.data(), y.data(), x.batch());
    else
      kernel::upsample_nearest_forward(r, x.data(), y.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    if constexpr (Spec::bilinear)
      kernel::upsample_bilinear_backward(r, dy.data(), dx->data(), x.batch());
    else
      kernel::upsample_nearest_backward(r, dy.data(), dx->data(), x.batch());
  }
};

template <std::size_t OH, std::size_t OW, class In, class T>
class Layer<AdaptiveAvgPool2D<OH, OW>, In, T> : public detail::without_parameters<T> {
  using Out = Shape<In::dims[0], OH, OW>;
  static constexpr kernel::Resize r = detail::resize_of<In, Out>;

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
