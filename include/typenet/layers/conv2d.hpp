// Conv2D: im2col + GEMM per sample and group (kernel/conv2d.hpp), the bias in the fused epilogue;
// shape rule and geometry in spec/conv2d.hpp. Runs fused with an element-wise activation after
// it (net/network.hpp).
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>

#include "typenet/kernel/conv2d.hpp"
#include "typenet/kernel/scratch.hpp"
#include "typenet/layers/detail/weight_layer.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/conv2d.hpp"

namespace typenet {

template <std::size_t Out, class... Options, class In, class T>
class Layer<Conv2D<Out, Options...>, In, T>
    : public detail::weight_layer<Layer<Conv2D<Out, Options...>, In, T>, In,
                                  typename bind<Conv2D<Out, Options...>, In>::output_type, T,
                                  Conv2D<Out, Options...>::bias> {
  using Spec = Conv2D<Out, Options...>;
  using OutShape = typename bind<Spec, In>::output_type;
  static constexpr Conv2DGeometry geometry = Spec::template geometry<In>;

 public:
  explicit Layer(std::size_t = 1) {
    this->make_parameters(geometry.weight_size(), geometry.fan_in(), geometry.fan_out());
  }
  void forward_linear(const Tensor<T, In>& x, Tensor<T, OutShape>& z) {
    z.set_batch(x.batch());
    kernel::conv2d_forward(geometry, x.data(), this->weight().value.data(), z.data(), workspace(),
                           x.batch());
  }
  void backward_linear(const Tensor<T, In>& x, const Tensor<T, OutShape>& dz, Tensor<T, In>* dx) {
    if (dx != nullptr) dx->set_batch(x.batch());
    kernel::conv2d_backward(geometry, x.data(), this->weight().value.data(), dz.data(),
                            dx != nullptr ? dx->data() : nullptr, this->weight().gradient.data(),
                            workspace(), x.batch());
  }

 private:
  // Per thread: im2col of one sample, a partial weight gradient.
  static T* workspace() { return kernel::scratch_for<T>(kernel::conv2d_workspace_size(geometry)); }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
