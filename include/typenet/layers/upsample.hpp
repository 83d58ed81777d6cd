// Upsample, nearest or bilinear (kernels in kernel/resize.hpp); shape rule in
// spec/upsample.hpp.
#pragma once

#include <cstddef>

#include "typenet/kernel/resize.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/upsample.hpp"

namespace typenet {

template <class... Options, class In, class T>
class Layer<Upsample<Options...>, In, T> : public detail::without_parameters<T> {
  using Spec = Upsample<Options...>;
  using Out = typename bind<Spec, In>::output_type;
  static constexpr kernel::Resize r{In::dims[0], In::dims[1], In::dims[2], Out::dims[1],
                                    Out::dims[2]};

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

}  // namespace typenet
