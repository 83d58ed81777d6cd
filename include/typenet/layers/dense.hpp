// Dense, Conv2D, ConvTranspose2D and Maxout: the contractions. Dense and Conv2D split into a linear part (the GEMM,
// in libtypenet) and a bias, so that Network can fuse bias + activation into one pass after the
// GEMM (and act'(x) * dy + the bias gradient into one pass before the backward GEMMs).
#pragma once

#include <cstddef>
#include <cstdint>

#include "typenet/expr/expr.hpp"
#include "typenet/kernel/kernels.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/conv_transpose.hpp"
#include "typenet/spec/dense.hpp"

namespace typenet {

namespace detail {

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

}  // namespace detail

template <std::size_t N, class... Options, class In, class T>
class Layer<Dense<N, Options...>, In, T>
    : public detail::weight_layer<Layer<Dense<N, Options...>, In, T>, In, Shape<N>, T,
                                  Dense<N, Options...>::bias> {
  static constexpr std::size_t K = In::dims[0];

 public:
  explicit Layer(std::size_t = 1) {
    this->params_[0] = Parameter<T>("weight", N * K, K, N);
    if constexpr (Dense<N, Options...>::bias) this->params_[1] = Parameter<T>("bias", N, K, N);
  }
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

template <std::size_t Out, class... Options, class In, class T>
class Layer<Conv2D<Out, Options...>, In, T>
    : public detail::weight_layer<Layer<Conv2D<Out, Options...>, In, T>, In,
                                  typename bind<Conv2D<Out, Options...>, In>::output_type, T,
                                  Conv2D<Out, Options...>::bias> {
  using Spec = Conv2D<Out, Options...>;
  using OutShape = typename bind<Spec, In>::output_type;
  static constexpr kernel::Conv2DGeometry geometry{
      {In::dims[0], In::dims[1], In::dims[2], OutShape::dims[1], OutShape::dims[2],
       Spec::kernel::height, Spec::kernel::width, Spec::stride::height, Spec::stride::width,
       Spec::pad::height, Spec::pad::width, Spec::dilation::height, Spec::dilation::width},
      Out,
      Spec::groups};
  static constexpr std::size_t fan_in = In::dims[0] / Spec::groups * Spec::kernel::height *
                                        Spec::kernel::width;

 public:
  explicit Layer(std::size_t = 1) {
    this->params_[0] = Parameter<T>("weight", Out * fan_in, fan_in,
                                    Out / Spec::groups * Spec::kernel::height * Spec::kernel::width);
    if constexpr (Spec::bias) this->params_[1] = Parameter<T>("bias", Out, fan_in, Out);
  }
  void forward_linear(const Tensor<T, In>& x, Tensor<T, OutShape>& z) {
    z.set_batch(x.batch());
    kernel::conv2d_forward(geometry, x.data(), this->weight().value.data(), z.data(),
                           workspace(), x.batch());
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

// The transposed convolution is the adjoint of the Conv2D that maps Out x OH x OW back to
// C x H x W with the same weight: its forward pass is that convolution's input gradient, its
// input gradient that convolution's forward pass, and its weight gradient that convolution's
// weight gradient with the roles of input and output gradient swapped.
template <std::size_t Out, class... Options, class In, class T>
class Layer<ConvTranspose2D<Out, Options...>, In, T>
    : public detail::weight_layer<Layer<ConvTranspose2D<Out, Options...>, In, T>, In,
                                  typename bind<ConvTranspose2D<Out, Options...>, In>::output_type,
                                  T, ConvTranspose2D<Out, Options...>::bias> {
  using Spec = ConvTranspose2D<Out, Options...>;
  using OutShape = typename bind<Spec, In>::output_type;
  static constexpr std::size_t C = In::dims[0];
  // The adjoint convolution: Out x OH x OW -> C x H x W.
  static constexpr kernel::Conv2DGeometry adjoint{
      {Out, OutShape::dims[1], OutShape::dims[2], In::dims[1], In::dims[2], Spec::kernel::height,
       Spec::kernel::width, Spec::stride::height, Spec::stride::width, Spec::pad::height,
       Spec::pad::width, Spec::dilation::height, Spec::dilation::width},
      C,
      1};
  static constexpr std::size_t taps = Spec::kernel::height * Spec::kernel::width;

 public:
  explicit Layer(std::size_t = 1) {
    // PyTorch's fans for a C x Out x KH x KW weight: fan_in = Out*KH*KW, fan_out = C*KH*KW.
    this->params_[0] = Parameter<T>("weight", C * Out * taps, Out * taps, C * taps);
    if constexpr (Spec::bias) this->params_[1] = Parameter<T>("bias", Out, Out * taps, C * taps);
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
    kernel::conv2d_forward(adjoint, dz.data(), this->weight().value.data(), dx->data(),
                           workspace(), x.batch());
  }

 private:
  static T* workspace() { return kernel::scratch_for<T>(kernel::conv2d_workspace_size(adjoint)); }
};

// Maxout<N, K>: N units, each the maximum of K affine pieces; piece k of unit u is row u*K + k of
// the weight. The gradient flows to the winning piece only.
template <std::size_t N, std::size_t K, class In, class T>
class Layer<Maxout<N, K>, In, T> : public detail::with_parameters<T, 2> {
  static constexpr std::size_t I = In::dims[0];
  static constexpr std::size_t Z = N * K;

 public:
  explicit Layer(std::size_t capacity = 1) : z_(capacity * Z), dz_(capacity * Z), winner_(capacity * N) {
    this->params_[0] = Parameter<T>("weight", Z * I, I, N);
    this->params_[1] = Parameter<T>("bias", Z, I, N);
  }
  void forward(const Tensor<T, In>& x, Tensor<T, Shape<N>>& y, Mode) {
    const std::size_t batch = x.batch();
    check_capacity(batch);
    forward_batch_ = batch;
    y.set_batch(batch);
    kernel::dense_forward(x.data(), this->params_[0].value.data(), z_.data(), batch, I, Z);
    expr::evaluate<Shape<Z>>(z_.data(), batch,
                             expr::ref<Shape<Z>>(z_.data(), batch) +
                                 expr::channel<Z>(this->params_[1].value.data()));
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t u = 0; u < N; ++u) {
        const T* piece = z_.data() + n * Z + u * K;
        std::size_t best = 0;
        for (std::size_t k = 1; k < K; ++k)
          if (piece[k] > piece[best]) best = k;
        winner_[n * N + u] = static_cast<std::uint32_t>(best);
        y(n, u) = piece[best];
      }
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, Shape<N>>&, const Tensor<T, Shape<N>>& dy,
                Tensor<T, In>* dx) {
    const std::size_t batch = x.batch();
    detail::check_backward_batch(forward_batch_, batch, "Maxout");
    std::fill(dz_.data(), dz_.data() + batch * Z, T(0));
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t u = 0; u < N; ++u) dz_[n * Z + u * K + winner_[n * N + u]] = dy(n, u);
    expr::reduce_channels<expr::Reduce::sum, Shape<Z>>(expr::ref<Shape<Z>>(dz_.data(), batch),
                                                       batch, this->params_[1].gradient.data());
    if (dx != nullptr) dx->set_batch(batch);
    kernel::dense_backward(x.data(), this->params_[0].value.data(), dz_.data(),
                           dx != nullptr ? dx->data() : nullptr, this->params_[0].gradient.data(),
                           batch, I, Z);
  }

 private:
  void check_capacity(std::size_t batch) const {
    if (batch * N > winner_.size())
      throw std::length_error("Maxout: a batch of " + std::to_string(batch) +
                              " exceeds the capacity the layer was built for");
  }
  AlignedBuffer<T> z_, dz_;
  AlignedBuffer<std::uint32_t> winner_;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet
