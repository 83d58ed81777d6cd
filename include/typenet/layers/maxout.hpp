// Maxout<N, K>: N units, each the maximum of K affine pieces (Goodfellow et al. 2013); shape
// rule in spec/maxout.hpp. The gradient flows to the winning piece only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "typenet/expr/expr.hpp"
#include "typenet/kernel/gemm.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/maxout.hpp"

namespace typenet {

// Piece k of unit u is row u*K + k of the weight.
template <std::size_t N, std::size_t K, class In, class T>
class Layer<Maxout<N, K>, In, T> : public detail::with_parameters<T, 2> {
  static constexpr std::size_t I = In::dims[0];
  static constexpr std::size_t Z = N * K;

 public:
  explicit Layer(std::size_t capacity = 1)
      : z_(capacity * Z), dz_(capacity * Z), winner_(capacity * N) {
    this->params_[0] = Parameter<T>(ParameterKind::weight, Z * I, I, N);
    this->params_[1] = Parameter<T>(ParameterKind::bias, Z, I, N);
  }
  void forward(const Tensor<T, In>& x, Tensor<T, Shape<N>>& y, Mode) {
    const std::size_t batch = x.batch();
    detail::check_capacity(batch * N, winner_.size(), batch, "Maxout");
    forward_batch_ = batch;
    y.set_batch(batch);
    kernel::dense_forward(x.data(), this->params_[0].value.data(), z_.data(), batch, I, Z);
    expr::evaluate<Shape<Z>>(
        z_.data(), batch,
        expr::ref<Shape<Z>>(z_.data(), batch) + expr::channel<Z>(this->params_[1].value.data()));
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
  AlignedBuffer<T> z_, dz_;
  AlignedBuffer<std::uint32_t> winner_;
  std::size_t forward_batch_ = 0;
};

}  // namespace typenet
