// Evaluation: an expression assigned to a tensor (or raw storage) runs as one vectorised loop
// per chunk of the destination; chunks are sized so that every per-channel leaf is one vector or
// one number inside them. Also the definition of Tensor::operator=(expression).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <type_traits>

#include "typenet/expr/node.hpp"
#include "typenet/expr/tensor.hpp"

namespace typenet::expr {

// Calls f(chunk) for each chunk of a batch of `batch` samples of shape S, sized so that every
// per-channel leaf of E is one vector or one number inside it.
template <class S, class T, class E, class F>
void for_each_chunk(std::size_t batch, F&& f) {
  constexpr std::size_t channels = S::rank == 0 ? 1 : S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  if constexpr (!E::has_channel) {
    f(Chunk<T, Broadcast::none>{0, static_cast<Eigen::Index>(batch * S::size), 0});
  } else if constexpr (inner == 1) {
    for (std::size_t n = 0; n < batch; ++n)
      f(Chunk<T, Broadcast::vector>{n * channels, static_cast<Eigen::Index>(channels), 0});
  } else {
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t c = 0; c < channels; ++c)
        f(Chunk<T, Broadcast::scalar>{(n * channels + c) * inner, static_cast<Eigen::Index>(inner),
                                      c});
  }
}

template <class S, class E>
constexpr bool channels_fit() {
  if constexpr (!E::has_channel)
    return true;
  else
    return S::rank >= 1;
}

// dst[0 .. batch * S::size) = e, in one vectorised pass.
template <class S, class T, Expression E>
void evaluate(T* dst, std::size_t batch, const E& e) {
  static_assert(std::is_void_v<typename E::shape> || std::is_same_v<typename E::shape, S>,
                "typenet expression: the expression's tensors have a different shape than the "
                "tensor it is assigned to");
  static_assert(channels_fit<S, E>(),
                "typenet expression: a per-channel vector needs a tensor with a channel axis");
  e.check_size(batch * S::size);
  for_each_chunk<S, T, E>(
      batch, [&](const auto& b) { MutableMap<T>(dst + b.offset, b.length) = e.eigen(b); });
}

template <class T, class S, Expression E>
void assign(Tensor<T, S>& dst, const E& e) {
  evaluate<S>(dst.data(), dst.batch(), e);
}

}  // namespace typenet::expr

namespace typenet {

// Tensors take expressions on assignment: t = max(expr::ref(u) + 1, 0).
template <class T, class S>
template <class E>
requires requires { typename E::is_typenet_expression; }
Tensor<T, S>& Tensor<T, S>::operator=(const E& e) {
  expr::assign(*this, e);
  return *this;
}
}  // namespace typenet
