// Evaluation: an expression assigned to a tensor (or raw storage) runs as one vectorised loop
// per chunk of the destination; chunks are sized so that every per-channel leaf is one vector or
// one number inside them. Large ones are split over the threads. Also the definition of
// Tensor::operator=(expression).
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "typenet/expr/node.hpp"
#include "typenet/expr/tensor.hpp"
#include "typenet/kernel/parallel.hpp"

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

// Below this many elements an element-wise pass stays on the calling thread: waking a worker
// and waiting for it costs ~7 us, and one thread runs max(a + b, 0) over 2^17 cached floats in
// ~15 us, over 2^16 in ~5 us (docs/design.md, "Threads", has the measurement).
inline constexpr std::size_t parallel_elements = std::size_t{1} << 17;

// for_each_chunk, with the chunks split over the threads when the destination has at least
// parallel_elements elements. Every element is computed exactly as by for_each_chunk, whatever
// the thread count: the per-channel chunks are the same ones, and a flat range is cut only at
// 64-byte aligned addresses of `dst`, where Eigen's vectorised loop starts a packet anyway (its
// scalar head and tail, which may round differently from its packets, stay where they were).
template <class S, class T, class E, class F>
void for_each_chunk_parallel(const T* dst, std::size_t batch, F&& f) {
  constexpr std::size_t channels = S::rank == 0 ? 1 : S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  const std::size_t total = batch * S::size;
  if (total < parallel_elements || threads() == 1) {
    for_each_chunk<S, T, E>(batch, f);
    return;
  }
  if constexpr (!E::has_channel) {
    constexpr std::size_t line = 64;
    const auto address = reinterpret_cast<std::uintptr_t>(dst);
    const std::size_t lead = (line - address % line) % line / sizeof(T);
    constexpr std::size_t block = line / sizeof(T);
    const std::size_t blocks = address % sizeof(T) == 0 ? (total - lead) / block : 0;
    if (blocks < 2) {
      for_each_chunk<S, T, E>(batch, f);
      return;
    }
    kernel::parallel_for(blocks, [&](std::size_t begin, std::size_t end, std::size_t) {
      const std::size_t first = begin == 0 ? 0 : lead + begin * block;
      const std::size_t last = end == blocks ? total : lead + end * block;
      f(Chunk<T, Broadcast::none>{first, static_cast<Eigen::Index>(last - first), 0});
    });
  } else if constexpr (inner == 1) {
    kernel::parallel_for(batch, [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t n = begin; n < end; ++n)
        f(Chunk<T, Broadcast::vector>{n * channels, static_cast<Eigen::Index>(channels), 0});
    });
  } else {
    kernel::parallel_for(batch * channels, [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t p = begin; p < end; ++p)
        f(Chunk<T, Broadcast::scalar>{p * inner, static_cast<Eigen::Index>(inner), p % channels});
    });
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
  for_each_chunk_parallel<S, T, E>(
      dst, batch, [&](const auto& b) { MutableMap<T>(dst + b.offset, b.length) = e.eigen(b); });
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
