// What the weight layers (Dense, Conv2D, ConvTranspose2D) share: a linear part (the GEMM, in
// libtypenet) and a bias, split so that Network can fuse bias + activation into one pass after
// the GEMM (and act'(x) * dy + the bias gradient into one pass before the backward GEMMs).
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>

#include "typenet/expr/expr.hpp"
#include "typenet/layers/layer.hpp"

namespace typenet::detail {

// forward/backward of a weight layer from its linear part, its bias added in a separate pass.
// Derived provides forward_linear(x, z) and backward_linear(x, dz, dx).
template <class Derived, class In, class Out, class T, bool HasBias>
class weight_layer : public with_parameters<T, HasBias ? 2 : 1> {
  static constexpr std::size_t C = Out::dims[0];

 public:
  static constexpr bool has_bias = HasBias;
  using output_shape = Out;

  Parameter<T>& weight() { return this->params_[0]; }
  const Parameter<T>& weight() const { return this->params_[0]; }
  // Only with a bias (Bias<true>, the default).
  Parameter<T>& bias() requires HasBias { return this->params_[1]; }
  const Parameter<T>& bias() const requires HasBias { return this->params_[1]; }

  void forward(const Tensor<T, In>& x, Tensor<T, Out>& y, Mode) {
    self().forward_linear(x, y);
    if constexpr (HasBias) y = y + expr::channel<C>(bias().value.data());
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Out>&, const Tensor<T, Out>& dy,
                Tensor<T, In>* dx) {
    if constexpr (HasBias)
      expr::reduce_channels<expr::Reduce::sum, Out>(expr::ref(dy), dy.batch(),
                                                    bias().gradient.data());
    self().backward_linear(x, dy, dx);
  }

  // The fused pair with an element-wise activation F: y = F(x W + b) in one pass after the GEMM,
  // z keeping x W (without bias).
  template <class F>
  void forward_fused(const Tensor<T, In>& x, Tensor<T, Out>& z, Tensor<T, Out>& y) {
    self().forward_linear(x, z);
    y.set_batch(x.batch());
    y = F::forward(pre_activation<false>(z));
  }
  // dz = F'(z + b) * dy, and the bias gradient, in one pass; then the backward GEMMs. z and y
  // are left as the forward pass wrote them, so backward can run again.
  template <class F>
  void backward_fused(const Tensor<T, In>& x, const Tensor<T, Out>& z, const Tensor<T, Out>& y,
                      const Tensor<T, Out>& dy, Tensor<T, Out>& dz, Tensor<T, In>* dx) {
    dz.set_batch(dy.batch());
    const auto gradient = F::backward(pre_activation<true>(z), expr::ref(y), expr::ref(dy));
    if constexpr (HasBias)
      expr::evaluate_with_channel_sums<Out>(dz.data(), dy.batch(), gradient,
                                            bias().gradient.data());
    else
      expr::evaluate<Out>(dz.data(), dy.batch(), gradient);
    self().backward_linear(x, dz, dx);
  }

 protected:
  // The weight (weight_size scalars) and, with a bias, the bias (one per output channel); both
  // carry the weight's fans.
  void make_parameters(std::size_t weight_size, std::size_t fan_in, std::size_t fan_out) {
    this->params_[0] = Parameter<T>(ParameterKind::weight, weight_size, fan_in, fan_out);
    if constexpr (HasBias) this->params_[1] = Parameter<T>(ParameterKind::bias, C, fan_in, fan_out);
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  template <bool Variable>
  auto pre_activation(const Tensor<T, Out>& z) const {
    auto leaf = expr::Leaf<T, Out, Variable>{{}, z.data(), z.size()};
    if constexpr (HasBias)
      return leaf + expr::channel<C>(bias().value.data());
    else
      return leaf;
  }
};

}  // namespace typenet::detail
