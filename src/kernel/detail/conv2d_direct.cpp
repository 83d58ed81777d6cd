// The direct convolution (see the header): Eigen's SIMD packets, one output row in registers.
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

#include "typenet/shape/geometry.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements the internal header
#include "typenet/kernel/detail/conv2d_direct.hpp"
#include "typenet/kernel/detail/conv2d_direct_packets.hpp"

namespace typenet::kernel::detail {

namespace {

using namespace direct;

// The input rows outside [top, rows - bottom) of every plane are zero (the padding): the kernel
// rows that would read only them are skipped. An accumulator starts at +0 and adding a zero
// product to it changes nothing (+0 + -0 is +0), so the results are the same bits as with them.
struct ZeroRows {
  std::size_t top, bottom;
};

// The kernel rows [begin, end) that meet a nonzero input row for output row oh.
struct TapRows {
  std::size_t begin, end;
};
inline TapRows tap_rows(const Correlation& k, ZeroRows z, std::size_t oh) {
  const std::size_t last = k.rows - z.bottom;  // one past the last nonzero row
  const std::size_t begin = z.top > oh ? z.top - oh : 0;
  const std::size_t end = last > oh ? std::min(k.kernel_h, last - oh) : 0;
  return {begin, std::max(begin, end)};
}

// OB output channels, NV packets per output row; `weight` is the block's packed weight (tap
// by tap, the OB channels' values side by side: see pack_weight) and `out` its first plane.
template <class T, int NV, int OB>
void correlate_block(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  const std::size_t plane = k.out_height * k.out_width;
  const std::size_t tail = k.out_width - (NV - 1) * L;  // 1 .. L scalars in the last packet
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    P acc[OB][NV];
    for (int o = 0; o < OB; ++o)
      for (int v = 0; v < NV; ++v) acc[o][v] = Eigen::internal::pset1<P>(T(0));
    const TapRows taps = tap_rows(k, z, oh);
    for (std::size_t c = 0; c < k.channels; ++c)
      for (std::size_t kh = taps.begin; kh < taps.end; ++kh) {
        const T* row = in + (c * k.rows + oh + kh) * k.stride;
        const T* w = weight + (c * k.kernel_h + kh) * k.kernel_w * OB;
        for (std::size_t kw = 0; kw < k.kernel_w; ++kw, w += OB) {
          P x[NV];
          for (int v = 0; v < NV; ++v) x[v] = Eigen::internal::ploadu<P>(row + kw + v * L);
          for (int o = 0; o < OB; ++o) {
            const P b = Eigen::internal::pset1<P>(w[o]);
            for (int v = 0; v < NV; ++v) acc[o][v] = Eigen::internal::pmadd(b, x[v], acc[o][v]);
          }
        }
      }
    for (int o = 0; o < OB; ++o) {
      T* to = out + o * plane + oh * k.out_width;
      for (int v = 0; v + 1 < NV; ++v) Eigen::internal::pstoreu(to + v * L, acc[o][v]);
      alignas(64) T last[L];
      Eigen::internal::pstoreu(last, acc[o][NV - 1]);
      std::copy(last, last + tail, to + (NV - 1) * L);
    }
  }
}

// The last `count` (< OB) output channels, as one block of exactly that many.
template <class T, int NV, int OB>
void correlate_rest(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out,
                    std::size_t count) {
  if constexpr (OB > 1) {
    if (count == OB - 1)
      correlate_block<T, NV, OB - 1>(k, z, in, weight, out);
    else
      correlate_rest<T, NV, OB - 1>(k, z, in, weight, out, count);
  }
}

template <class T, int NV>
void correlate_packets(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out) {
  constexpr int OB = int(block_outputs(NV));
  const std::size_t per_output = k.channels * k.kernel_h * k.kernel_w;
  const std::size_t plane = k.out_height * k.out_width;
  std::size_t o = 0;
  for (; o + OB <= k.out_channels; o += OB)
    correlate_block<T, NV, OB>(k, z, in, weight + o * per_output, out + o * plane);
  if (o < k.out_channels)
    correlate_rest<T, NV, OB>(k, z, in, weight + o * per_output, out + o * plane,
                              k.out_channels - o);
}

// Positions of one output row (PB) times NO packets of output channels (all of them): `weight`
// packed tap by tap, every channel side by side.
template <class T, int NO, int PB>
void channel_block(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out,
                   std::size_t oh, std::size_t ow) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  P acc[PB][NO];
  for (int p = 0; p < PB; ++p)
    for (int j = 0; j < NO; ++j) acc[p][j] = Eigen::internal::pset1<P>(T(0));
  const TapRows taps = tap_rows(k, z, oh);
  for (std::size_t c = 0; c < k.channels; ++c)
    for (std::size_t kh = taps.begin; kh < taps.end; ++kh) {
      const T* row = in + (c * k.rows + oh + kh) * k.stride + ow;
      const T* w = weight + (c * k.kernel_h + kh) * k.kernel_w * NO * L;
      for (std::size_t kw = 0; kw < k.kernel_w; ++kw, w += NO * L) {
        P wv[NO];
        for (int j = 0; j < NO; ++j) wv[j] = Eigen::internal::ploadu<P>(w + j * L);
        for (int p = 0; p < PB; ++p) {
          const P b = Eigen::internal::pset1<P>(row[kw + p]);
          for (int j = 0; j < NO; ++j) acc[p][j] = Eigen::internal::pmadd(b, wv[j], acc[p][j]);
        }
      }
    }
  const std::size_t plane = k.out_height * k.out_width;
  for (int p = 0; p < PB; ++p)
    for (int j = 0; j < NO; ++j) {
      alignas(64) T lane[L];
      Eigen::internal::pstoreu(lane, acc[p][j]);
      for (std::size_t l = 0; l < L; ++l)
        out[(j * L + l) * plane + oh * k.out_width + ow + p] = lane[l];
    }
}

// The last `count` (< PB) positions of a row.
template <class T, int NO, int PB>
void channel_rest(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out,
                  std::size_t oh, std::size_t ow, std::size_t count) {
  if constexpr (PB > 1) {
    if (count == PB - 1)
      channel_block<T, NO, PB - 1>(k, z, in, weight, out, oh, ow);
    else
      channel_rest<T, NO, PB - 1>(k, z, in, weight, out, oh, ow, count);
  }
}

template <class T, int NO>
void correlate_channels(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out) {
  constexpr int PB = registers / NO;
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    std::size_t ow = 0;
    for (; ow + PB <= k.out_width; ow += PB)
      channel_block<T, NO, PB>(k, z, in, weight, out, oh, ow);
    if (ow < k.out_width) channel_rest<T, NO, PB>(k, z, in, weight, out, oh, ow, k.out_width - ow);
  }
}

// weight (out_channels x per-output taps) regrouped for the kernel correlate will run: per block
// of output channels, tap-major, so that one pointer walks every weight the block reads.
template <class T>
void pack_weight(const Correlation& k, const T* weight, T* packed) {
  const std::size_t per_output = k.channels * k.kernel_h * k.kernel_w;
  const std::size_t block =
      channels_in_lanes<T>(k) ? k.out_channels : block_outputs(packets_for(k.out_width, lanes<T>));
  for (std::size_t first = 0; first < k.out_channels; first += block) {
    const std::size_t outputs = std::min(block, k.out_channels - first);
    T* to = packed + first * per_output;
    for (std::size_t t = 0; t < per_output; ++t)
      for (std::size_t o = 0; o < outputs; ++o)
        to[t * outputs + o] = weight[(first + o) * per_output + t];
  }
}

// `weight` packed by pack_weight.
template <class T>
void correlate(const Correlation& k, ZeroRows z, const T* in, const T* weight, T* out) {
  constexpr std::size_t L = lanes<T>;
  if (channels_in_lanes<T>(k)) {
    switch (k.out_channels / L) {
      case 1:
        return correlate_channels<T, 1>(k, z, in, weight, out);
      case 2:
        return correlate_channels<T, 2>(k, z, in, weight, out);
      case 3:
        return correlate_channels<T, 3>(k, z, in, weight, out);
      default:
        return correlate_channels<T, 4>(k, z, in, weight, out);
    }
  }
  const std::size_t packets = packets_for(k.out_width, L);
  // Instantiated up to max_row scalars; direct_conv_serves keeps rows within that.
  auto run = [&]<int NV>() {
    if constexpr (NV * L <= max_row) correlate_packets<T, NV>(k, z, in, weight, out);
  };
  switch (packets) {
    case 1:
      run.template operator()<1>();
      break;
    case 2:
      run.template operator()<2>();
      break;
    case 3:
      run.template operator()<3>();
      break;
    case 4:
      run.template operator()<4>();
      break;
    case 5:
      run.template operator()<5>();
      break;
    case 6:
      run.template operator()<6>();
      break;
    case 7:
      run.template operator()<7>();
      break;
    default:
      run.template operator()<8>();
      break;
  }
}

}  // namespace

template <class T>
bool direct_conv_serves(const Conv2DGeometry& g) {
  const auto& w = g.window;
  if (g.groups != 1 || g.is_pointwise() || w.stride_h != 1 || w.stride_w != 1 ||
      w.dilation_h != 1 || w.dilation_w != 1 || w.pad_h >= w.kernel_h || w.pad_w >= w.kernel_w)
    return false;
  if (w.out_width > max_row || w.width > max_row || w.channels * w.taps() > 400 ||
      g.out_channels * w.taps() > 400 || g.out_channels > 64)
    return false;
  const Correlation f = forward_correlation<T>(g), b = input_gradient_correlation<T>(g);
  const std::size_t padded_x = f.channels * f.rows * f.stride;
  const std::size_t padded_dy = g.out_channels * w.out_height * padded_dy_row<T>(g);
  const std::size_t input_gradient = b.channels * b.rows * b.stride;
  return std::max(padded_x + padded_dy, input_gradient) + 2 * g.weight_size() <= g.column_size();
}

template <class T>
void pack_forward_weight(const Conv2DGeometry& g, const T* weight, T* packed) {
  pack_weight(forward_correlation<T>(g), weight, packed);
}

template <class T>
void direct_conv_forward(const Conv2DGeometry& g, const T* x, const T* packed, T* y, T* buffer) {
  const auto& w = g.window;
  const Correlation k = forward_correlation<T>(g);
  pad_into(x, w.channels, w.height, w.width, w.pad_h, w.pad_w, k.rows, k.stride, buffer);
  correlate(k, ZeroRows{w.pad_h, w.pad_h}, buffer, packed, y);
}

template <class T>
void flip_weight(const Conv2DGeometry& g, const T* weight, T* flipped) {
  const auto& w = g.window;
  for (std::size_t o = 0; o < g.out_channels; ++o)
    for (std::size_t c = 0; c < w.channels; ++c)
      for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
        for (std::size_t kw = 0; kw < w.kernel_w; ++kw)
          flipped[((c * g.out_channels + o) * w.kernel_h + kh) * w.kernel_w + kw] =
              weight[((o * w.channels + c) * w.kernel_h + (w.kernel_h - 1 - kh)) * w.kernel_w +
                     (w.kernel_w - 1 - kw)];
}

template <class T>
void pack_input_gradient_weight(const Conv2DGeometry& g, const T* weight, T* flipped, T* packed) {
  flip_weight(g, weight, flipped);
  pack_weight(input_gradient_correlation<T>(g), flipped, packed);
}

template <class T>
void direct_conv_input_gradient(const Conv2DGeometry& g, const T* packed, const T* dy, T* dx,
                                T* buffer) {
  const auto& w = g.window;
  const Correlation k = input_gradient_correlation<T>(g);
  const std::size_t top = w.kernel_h - 1 - w.pad_h;
  pad_into(dy, g.out_channels, w.out_height, w.out_width, top, w.kernel_w - 1 - w.pad_w, k.rows,
           k.stride, buffer);
  correlate(k, ZeroRows{top, k.rows - top - w.out_height}, buffer, packed, dx);
}

#define TYPENET_INSTANTIATE(T)                                                             \
  template bool direct_conv_serves<T>(const Conv2DGeometry&);                              \
  template void pack_forward_weight<T>(const Conv2DGeometry&, const T*, T*);               \
  template void direct_conv_forward<T>(const Conv2DGeometry&, const T*, const T*, T*, T*); \
  template void flip_weight<T>(const Conv2DGeometry&, const T*, T*);                       \
  template void pack_input_gradient_weight<T>(const Conv2DGeometry&, const T*, T*, T*);    \
  template void direct_conv_input_gradient<T>(const Conv2DGeometry&, const T*, const T*, T*, T*);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel::detail
