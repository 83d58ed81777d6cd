// Reductions of expressions: per sample, per channel, over everything, and an evaluation that
// sums each channel on the way (the fused backward epilogue's bias gradient).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "typenet/expr/evaluate.hpp"
#include "typenet/expr/node.hpp"
#include "typenet/expr/operators.hpp"
#include "typenet/kernel/parallel.hpp"

namespace typenet::expr {

enum class Reduce { sum, mean, max, log_sum_exp };

namespace detail {
template <Reduce R, class T>
struct accumulator {
  T value = R == Reduce::max ? -std::numeric_limits<T>::infinity() : T(0);
  void add(const auto& part) {
    if constexpr (R == Reduce::max)
      value = std::max(value, part.maxCoeff());
    else
      value += part.sum();
  }
};
}  // namespace detail

// out[n] = R over the features of sample n (C*H*W numbers), n < batch.
template <Reduce R, class S, class T, Expression E>
void reduce_samples(const E& e, std::size_t batch, T* out) {
  e.check_size(batch * S::size);
  if constexpr (R == Reduce::log_sum_exp) {
    reduce_samples<Reduce::max, S>(e, batch, out);
    for (std::size_t n = 0; n < batch; ++n) {
      const T m = out[n];
      T sum = 0;
      // One sample at a time: the shift by its own maximum keeps exp() in range.
      auto shifted = e - static_cast<double>(m);
      for_each_chunk<S, T, E>(1, [&](auto b) {
        b.offset += n * S::size;
        sum += shifted.eigen(b).exp().sum();
      });
      out[n] = m + std::log(sum);
    }
  } else {
    for (std::size_t n = 0; n < batch; ++n) {
      detail::accumulator<R, T> acc;
      for_each_chunk<S, T, E>(1, [&](auto b) {
        b.offset += n * S::size;
        acc.add(e.eigen(b));
      });
      out[n] = R == Reduce::mean ? acc.value / T(S::size) : acc.value;
    }
  }
}

// out[c] = R over the batch and the spatial positions of channel c (what batch norm needs).
template <Reduce R, class S, class T, Expression E>
void reduce_channels(const E& e, std::size_t batch, T* out) {
  static_assert(R != Reduce::log_sum_exp, "reduce_channels: use sum, mean or max");
  e.check_size(batch * S::size);
  constexpr std::size_t channels = S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  if constexpr (inner == 1) {
    // Vectors: one chunk per sample, reduced element-wise across the batch.
    MutableMap<T> total(out, channels);
    if constexpr (R == Reduce::max)
      total.setConstant(-std::numeric_limits<T>::infinity());
    else
      total.setZero();
    for (std::size_t n = 0; n < batch; ++n) {
      const Chunk<T, Broadcast::vector> b{n * channels, static_cast<Eigen::Index>(channels), 0};
      if constexpr (R == Reduce::max)
        total = total.max(e.eigen(b));
      else
        total += e.eigen(b);
    }
    if constexpr (R == Reduce::mean) total /= T(batch);
  } else {
    // Split over the channels when the job is large: each channel is still summed by one
    // thread in the same order, so the result is the same for every thread count.
    auto channel_range = [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t c = begin; c < end; ++c) {
        detail::accumulator<R, T> acc;
        for (std::size_t n = 0; n < batch; ++n)
          acc.add(e.eigen(Chunk<T, Broadcast::scalar>{(n * channels + c) * inner,
                                                      static_cast<Eigen::Index>(inner), c}));
        out[c] = R == Reduce::mean ? acc.value / T(batch * inner) : acc.value;
      }
    };
    if (batch * S::size < parallel_elements)
      channel_range(0, channels, 0);
    else
      kernel::parallel_for(channels, channel_range);
  }
}

// dst = e and sums[c] = the sum of dst over the batch and the positions of channel c, in one
// pass: each chunk is reduced while it is still in cache. (A weight layer's fused backward
// epilogue: dz = act'(x) * dy and the bias gradient together.)
template <class S, class T, Expression E>
void evaluate_with_channel_sums(T* dst, std::size_t batch, const E& e, T* sums) {
  static_assert(std::is_void_v<typename E::shape> || std::is_same_v<typename E::shape, S>,
                "typenet expression: the expression's tensors have a different shape than the "
                "tensor it is assigned to");
  e.check_size(batch * S::size);
  constexpr std::size_t channels = S::dims[0];
  constexpr std::size_t inner = S::size / channels;
  MutableMap<T> total(sums, channels);
  total.setZero();
  if constexpr (inner == 1) {
    for (std::size_t n = 0; n < batch; ++n) {
      const Chunk<T, Broadcast::vector> b{n * channels, static_cast<Eigen::Index>(channels), 0};
      MutableMap<T> out(dst + b.offset, b.length);
      out = e.eigen(b);
      total += out;
    }
  } else if (batch * S::size < parallel_elements || threads() == 1) {
    for (std::size_t n = 0; n < batch; ++n)
      for (std::size_t c = 0; c < channels; ++c) {
        const Chunk<T, Broadcast::scalar> b{(n * channels + c) * inner,
                                            static_cast<Eigen::Index>(inner), c};
        MutableMap<T> out(dst + b.offset, b.length);
        out = e.eigen(b);
        sums[c] += out.sum();
      }
  } else {
    // Split over the channels: each channel's planes are still added in sample order, so the
    // sums are the same as above for every thread count.
    kernel::parallel_for(channels, [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t c = begin; c < end; ++c)
        for (std::size_t n = 0; n < batch; ++n) {
          const Chunk<T, Broadcast::scalar> b{(n * channels + c) * inner,
                                              static_cast<Eigen::Index>(inner), c};
          MutableMap<T> out(dst + b.offset, b.length);
          out = e.eigen(b);
          sums[c] += out.sum();
        }
    });
  }
}

// R over everything.
template <Reduce R, class S, class T, Expression E>
T reduce_all(const E& e, std::size_t batch) {
  static_assert(R != Reduce::log_sum_exp, "reduce_all: use sum, mean or max");
  e.check_size(batch * S::size);
  detail::accumulator<R, T> acc;
  for_each_chunk<S, T, E>(batch, [&](const auto& b) { acc.add(e.eigen(b)); });
  return R == Reduce::mean ? acc.value / T(batch * S::size) : acc.value;
}

}  // namespace typenet::expr
