// The direct convolution's weight gradient (kernel/detail/conv2d_direct_weight.hpp).
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

#include "typenet/shape/geometry.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements the internal header
#include "typenet/kernel/detail/conv2d_direct_packets.hpp"
#include "typenet/kernel/detail/conv2d_direct_weight.hpp"

namespace typenet::kernel::detail {

namespace {

using namespace direct;

// dweight[o, c, kh, kw0 + j] += sum over (oh, ow) of dy[o, oh, ow] * in[c, oh + kh, ow + kw0 + j]
// for OB output channels from o0 and KB taps from kw0.
template <class T, int OB, int KB>
void weight_block(const Correlation& k, const T* in, const T* dy, std::size_t o0, std::size_t c,
                  std::size_t kh, std::size_t kw0, T* dweight) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  const std::size_t packets = packets_for(k.out_width, L), row = packets * L;
  const std::size_t tail = k.out_width - (packets - 1) * L;
  // The input's lanes past the output row's end are zeroed: the product must not see them
  // even where dy's zero would meet an infinity there.
  const P keep =
      Eigen::internal::pcmp_lt(Eigen::internal::plset<P>(T(0)), Eigen::internal::pset1<P>(T(tail)));
  const P zero = Eigen::internal::pset1<P>(T(0));
  P acc[OB][KB];
  for (int o = 0; o < OB; ++o)
    for (int j = 0; j < KB; ++j) acc[o][j] = zero;
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    const T* x = in + (c * k.rows + oh + kh) * k.stride + kw0;
    const T* d = dy + (o0 * k.out_height + oh) * row;
    for (std::size_t v = 0; v < packets; ++v) {
      P dv[OB];
      for (int o = 0; o < OB; ++o)
        dv[o] = Eigen::internal::ploadu<P>(d + o * k.out_height * row + v * L);
      for (int j = 0; j < KB; ++j) {
        P xv = Eigen::internal::ploadu<P>(x + j + v * L);
        if (v + 1 == packets) xv = Eigen::internal::pselect(keep, xv, zero);
        for (int o = 0; o < OB; ++o) acc[o][j] = Eigen::internal::pmadd(dv[o], xv, acc[o][j]);
      }
    }
  }
  const std::size_t taps = k.kernel_h * k.kernel_w;
  for (int o = 0; o < OB; ++o)
    for (int j = 0; j < KB; ++j)
      dweight[((o0 + o) * k.channels + c) * taps + kh * k.kernel_w + kw0 + j] +=
          Eigen::internal::predux(acc[o][j]);
}

constexpr int weight_outputs = 3, weight_taps = 4;  // 12 accumulators

// Blocks of up to OB output channels and KB taps: the largest first, then the remainders.
template <class T, int OB, int KB>
void weight_rest(const Correlation& k, const T* in, const T* dy, std::size_t o0,
                 std::size_t outputs, std::size_t c, std::size_t kh, std::size_t kw0,
                 std::size_t taps, T* dweight) {
  if (outputs == OB && taps == KB)
    return weight_block<T, OB, KB>(k, in, dy, o0, c, kh, kw0, dweight);
  if constexpr (KB > 1)
    if (outputs == OB)
      return weight_rest<T, OB, KB - 1>(k, in, dy, o0, outputs, c, kh, kw0, taps, dweight);
  if constexpr (OB > 1)
    return weight_rest<T, OB - 1, KB>(k, in, dy, o0, outputs, c, kh, kw0, taps, dweight);
}

// The weight gradient with the output channels in the lanes (where channels_in_lanes): dy
// transposed to position-major (dy_t[oh, ow, o]), KB taps of one kernel row times NO packets of
// channels accumulated over every position, then added into dweight lane by lane.
template <class T, int NO, int KB>
void weight_channel_block(const Correlation& k, const T* in, const T* dy_t, std::size_t c,
                          std::size_t kh, std::size_t kw0, T* dweight) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  P acc[KB][NO];
  for (int j = 0; j < KB; ++j)
    for (int q = 0; q < NO; ++q) acc[j][q] = Eigen::internal::pset1<P>(T(0));
  const T* d = dy_t;
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    const T* x = in + (c * k.rows + oh + kh) * k.stride + kw0;
    for (std::size_t ow = 0; ow < k.out_width; ++ow, d += NO * L) {
      P dv[NO];
      for (int q = 0; q < NO; ++q) dv[q] = Eigen::internal::ploadu<P>(d + q * L);
      for (int j = 0; j < KB; ++j) {
        const P b = Eigen::internal::pset1<P>(x[ow + j]);
        for (int q = 0; q < NO; ++q) acc[j][q] = Eigen::internal::pmadd(b, dv[q], acc[j][q]);
      }
    }
  }
  const std::size_t taps = k.kernel_h * k.kernel_w, per_output = k.channels * taps;
  for (int j = 0; j < KB; ++j)
    for (int q = 0; q < NO; ++q) {
      alignas(64) T lane[L];
      Eigen::internal::pstoreu(lane, acc[j][q]);
      T* to = dweight + (q * L) * per_output + c * taps + kh * k.kernel_w + kw0 + j;
      for (std::size_t l = 0; l < L; ++l) to[l * per_output] += lane[l];
    }
}

// The last `count` (< KB) taps of a kernel row.
template <class T, int NO, int KB>
void weight_channel_rest(const Correlation& k, const T* in, const T* dy_t, std::size_t c,
                         std::size_t kh, std::size_t kw0, std::size_t count, T* dweight) {
  if constexpr (KB > 1) {
    if (count == KB - 1)
      weight_channel_block<T, NO, KB - 1>(k, in, dy_t, c, kh, kw0, dweight);
    else
      weight_channel_rest<T, NO, KB - 1>(k, in, dy_t, c, kh, kw0, count, dweight);
  }
}

template <class T, int NO>
void weight_channels(const Correlation& k, const T* in, const T* dy_t, T* dweight) {
  constexpr int KB = registers / NO;
  for (std::size_t c = 0; c < k.channels; ++c)
    for (std::size_t kh = 0; kh < k.kernel_h; ++kh) {
      std::size_t kw = 0;
      for (; kw + KB <= k.kernel_w; kw += KB)
        weight_channel_block<T, NO, KB>(k, in, dy_t, c, kh, kw, dweight);
      if (kw < k.kernel_w)
        weight_channel_rest<T, NO, KB>(k, in, dy_t, c, kh, kw, k.kernel_w - kw, dweight);
    }
}

}  // namespace

template <class T>
void direct_conv_weight_gradient(const Conv2DGeometry& g, const T* x, const T* dy, T* dweight,
                                 T* buffer) {
  const auto& w = g.window;
  const Correlation k = forward_correlation<T>(g);
  T* padded_x = buffer;
  T* padded_dy = buffer + k.channels * k.rows * k.stride;
  pad_into(x, w.channels, w.height, w.width, w.pad_h, w.pad_w, k.rows, k.stride, padded_x);
  if (channels_in_lanes<T>(k)) {
    // dy transposed (out_height x out_width x out_channels) where the padded dy would go.
    const std::size_t plane = w.out_height * w.out_width;
    for (std::size_t o = 0; o < g.out_channels; ++o)
      for (std::size_t p = 0; p < plane; ++p) padded_dy[p * g.out_channels + o] = dy[o * plane + p];
    switch (g.out_channels / lanes<T>) {
      case 1:
        return weight_channels<T, 1>(k, padded_x, padded_dy, dweight);
      case 2:
        return weight_channels<T, 2>(k, padded_x, padded_dy, dweight);
      case 3:
        return weight_channels<T, 3>(k, padded_x, padded_dy, dweight);
      default:
        return weight_channels<T, 4>(k, padded_x, padded_dy, dweight);
    }
  }
  pad_into(dy, g.out_channels, w.out_height, w.out_width, 0, 0, w.out_height, padded_dy_row<T>(g),
           padded_dy);
  for (std::size_t o = 0; o < g.out_channels; o += weight_outputs) {
    const std::size_t outputs = std::min<std::size_t>(weight_outputs, g.out_channels - o);
    for (std::size_t c = 0; c < w.channels; ++c)
      for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
        for (std::size_t kw = 0; kw < w.kernel_w; kw += weight_taps)
          weight_rest<T, weight_outputs, weight_taps>(
              k, padded_x, padded_dy, o, outputs, c, kh, kw,
              std::min<std::size_t>(weight_taps, w.kernel_w - kw), dweight);
  }
}

template void direct_conv_weight_gradient<float>(const Conv2DGeometry&, const float*, const float*,
                                                 float*, float*);
template void direct_conv_weight_gradient<double>(const Conv2DGeometry&, const double*,
                                                  const double*, double*, double*);

}  // namespace typenet::kernel::detail
