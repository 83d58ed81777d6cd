// Dense<N>: y = x W^T + b for a batch of feature vectors (PyTorch's Linear); shape rule in
// spec/dense.hpp. Runs fused with an element-wise activation after it (net/network.hpp).
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>

#include "typenet/kernel/gemm.hpp"
#include "typenet/layers/detail/weight_layer.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/dense.hpp"

namespace typenet {

template <std::size_t N, class... Options, class In, class T>
class Layer<Dense<N, Options...>, In, T>
    : public detail::weight_layer<Layer<Dense<N, Options...>, In, T>, In, Shape<N>, T,
                                  Dense<N, Options...>::bias> {
  static constexpr std::size_t K = In::dims[0];

 public:
  explicit Layer(std::size_t = 1) { this->make_parameters(N * K, K, N); }
  void forward_linear(const Tensor<T, In>& x, Tensor<T, Shape<N>>& z) {
    z.set_batch(x.batch());
    kernel::dense_forward(x.data(), this->weight().value.data(), z.data(), x.batch(), K, N);
  }
  void backward_linear(const Tensor<T, In>& x, const Tensor<T, Shape<N>>& dz, Tensor<T, In>* dx) {
    if (dx != nullptr) dx->set_batch(x.batch());
    kernel::dense_backward(x.data(), this->weight().value.data(), dz.data(),
                           dx != nullptr ? dx->data() : nullptr, this->weight().gradient.data(),
                           x.batch(), K, N);
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
