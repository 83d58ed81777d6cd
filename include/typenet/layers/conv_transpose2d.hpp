// ConvTranspose2D: the adjoint of the Conv2D that maps Out x OH x OW back to C x H x W with the
// same weight (spec/conv_transpose2d.hpp derives that geometry). Its forward pass is that
// convolution's input gradient, its input gradient that convolution's forward pass, and its
// weight gradient that convolution's weight gradient with the roles of input and output
// gradient swapped.
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
#include "typenet/spec/conv_transpose2d.hpp"

namespace typenet {

template <std::size_t Out, class... Options, class In, class T>
class Layer<ConvTranspose2D<Out, Options...>, In, T>
    : public detail::weight_layer<Layer<ConvTranspose2D<Out, Options...>, In, T>, In,
                                  typename bind<ConvTranspose2D<Out, Options...>, In>::output_type,
                                  T, ConvTranspose2D<Out, Options...>::bias> {
  using Spec = ConvTranspose2D<Out, Options...>;
  using OutShape = typename bind<Spec, In>::output_type;
  static constexpr Conv2DGeometry adjoint = Spec::template adjoint<In>;

 public:
  // The weight is C x Out x KH x KW, the adjoint convolution's; so are PyTorch's fans
  // (fan_in = Out*KH*KW, fan_out = C*KH*KW).
  explicit Layer(std::size_t = 1) {
    this->make_parameters(adjoint.weight_size(), adjoint.fan_in(), adjoint.fan_out());
  }
  void forward_linear(const Tensor<T, In>& x, Tensor<T, OutShape>& z) {
    z.set_batch(x.batch());
    kernel::conv2d_backward<T>(adjoint, nullptr, this->weight().value.data(), x.data(), z.data(),
                               nullptr, workspace(), x.batch());
  }
  void backward_linear(const Tensor<T, In>& x, const Tensor<T, OutShape>& dz, Tensor<T, In>* dx) {
    kernel::conv2d_backward<T>(adjoint, dz.data(), this->weight().value.data(), x.data(), nullptr,
                               this->weight().gradient.data(), workspace(), x.batch());
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    kernel::conv2d_forward(adjoint, dz.data(), this->weight().value.data(), dx->data(), workspace(),
                           x.batch());
  }

 private:
  static T* workspace() { return kernel::scratch_for<T>(kernel::conv2d_workspace_size(adjoint)); }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
