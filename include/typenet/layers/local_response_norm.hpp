// LocalResponseNorm: the normalisation across channels of AlexNet (kernel in
// kernel/local_response_norm.hpp); shape rule and formula in spec/local_response_norm.hpp.
#pragma once

#include <cstddef>

#include "typenet/kernel/local_response_norm.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/local_response_norm.hpp"

namespace typenet {

// Keeps each input's scale k + alpha * sum(a^2) from forward for the backward pass.
template <std::size_t Size, class Alpha, class Beta, class K, class In, class T>
class Layer<LocalResponseNorm<Size, Alpha, Beta, K>, In, T> : public detail::without_parameters<T> {
  using Spec = LocalResponseNorm<Size, Alpha, Beta, K>;
  static constexpr kernel::LrnParameters parameters_{Size, Spec::alpha, Spec::beta, Spec::k};
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;

 public:
  explicit Layer(std::size_t capacity = 1) : scale_(capacity * In::size) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    detail::check_capacity(x.size(), scale_.size(), x.batch(), "LocalResponseNorm");
    y.set_batch(x.batch());
    forward_batch_ = x.batch();
    kernel::lrn_forward(parameters_, C, P, x.data(), y.data(), scale_.data(), x.batch());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    detail::check_backward_batch(forward_batch_, x.batch(), "LocalResponseNorm");
    dx->set_batch(x.batch());
    kernel::lrn_backward(parameters_, C, P, x.data(), scale_.data(), dy.data(), dx->data(),
                         x.batch());
  }

 private:
  AlignedBuffer<T> scale_;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet
