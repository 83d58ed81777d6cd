// What the direct convolution's two files share (src/kernel/detail/conv2d_direct.cpp and
// conv2d_direct_weight.cpp): packets, the zero-bordered planes and the choice of kernel.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

#include "typenet/shape/geometry.hpp"

namespace typenet::kernel::detail::direct {

template <class T>
using Packet = typename Eigen::internal::packet_traits<T>::type;
template <class T>
constexpr std::size_t lanes = Eigen::internal::unpacket_traits<Packet<T>>::size;
// The widest output row served, in scalars: 4 AVX registers of float, 8 of double.
constexpr std::size_t max_row = 32;
// Accumulators an output-channel block may hold (of the 16 AVX registers, the rest load and
// broadcast).
constexpr int registers = 12;

inline std::size_t packets_for(std::size_t width, std::size_t lanes) {
  return (width + lanes - 1) / lanes;
}

// out[o, oh, ow] = sum over (c, kh, kw) of weight[o, c, kh, kw] * in[c, oh + kh, ow + kw], for a
// zero-bordered input of `channels` planes of `rows` rows of `stride` scalars, where every
// row read (kernel_w - 1 + packets * lanes scalars) lies inside its row.
struct Correlation {
  std::size_t channels, rows, stride;
  std::size_t kernel_h, kernel_w;
  std::size_t out_channels, out_height, out_width;
};

// Output channels per block for rows of `packets` packets.
constexpr std::size_t block_outputs(std::size_t packets) {
  return std::max<std::size_t>(1, registers / packets);
}

// Rows that leave much of their last packet empty (LeNet-5's second convolution: 10 of 16
// floats) put the output channels in the lanes instead, when they fill whole packets: a block
// of output positions times every channel, each tap one packet of weights per channel packet
// and one broadcast input per position.
template <class T>
bool channels_in_lanes(const Correlation& k) {
  constexpr std::size_t L = lanes<T>;
  const std::size_t row = packets_for(k.out_width, L) * L;
  return k.out_channels % L == 0 && k.out_channels <= 4 * L && 5 * k.out_width < 4 * row;
}

// Copies `channels` planes of height x width into rows x stride planes at (top, left), zero
// around them.
template <class T>
void pad_into(const T* from, std::size_t channels, std::size_t height, std::size_t width,
              std::size_t top, std::size_t left, std::size_t rows, std::size_t stride, T* to) {
  // Plain loops: rows are short, and a memset/memmove call per row cost more than its work.
  for (std::size_t c = 0; c < channels; ++c) {
    T* plane = to + c * rows * stride;
    for (std::size_t i = 0; i < top * stride; ++i) plane[i] = T(0);
    for (std::size_t h = 0; h < height; ++h) {
      const T* row = from + (c * height + h) * width;
      T* out = plane + (top + h) * stride;
      for (std::size_t i = 0; i < left; ++i) out[i] = T(0);
      for (std::size_t i = 0; i < width; ++i) out[left + i] = row[i];
      for (std::size_t i = left + width; i < stride; ++i) out[i] = T(0);
    }
    for (std::size_t i = (top + height) * stride; i < rows * stride; ++i) plane[i] = T(0);
  }
}

// The zero-bordered input of the forward pass and of the weight gradient.
template <class T>
Correlation forward_correlation(const Conv2DGeometry& g) {
  const auto& w = g.window;
  const std::size_t stride = w.kernel_w - 1 + packets_for(w.out_width, lanes<T>) * lanes<T>;
  return {w.channels, w.height + 2 * w.pad_h, stride,       w.kernel_h,
          w.kernel_w, g.out_channels,         w.out_height, w.out_width};
}

// The zero-bordered dy of the input gradient.
template <class T>
Correlation input_gradient_correlation(const Conv2DGeometry& g) {
  const auto& w = g.window;
  const std::size_t stride = w.kernel_w - 1 + packets_for(w.width, lanes<T>) * lanes<T>;
  return {g.out_channels, w.height + w.kernel_h - 1,
          stride,         w.kernel_h,
          w.kernel_w,     w.channels,
          w.height,       w.width};
}

// dy with every row widened to whole packets, zero after out_width.
template <class T>
std::size_t padded_dy_row(const Conv2DGeometry& g) {
  return packets_for(g.window.out_width, lanes<T>) * lanes<T>;
}

}  // namespace typenet::kernel::detail::direct
