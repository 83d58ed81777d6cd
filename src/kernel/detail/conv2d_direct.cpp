// The direct convolution (see the header): Eigen's SIMD packets, one output row in registers.
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

#include "typenet/shape/geometry.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements the internal header
#include "typenet/kernel/detail/conv2d_direct.hpp"

namespace typenet::kernel::detail {

namespace {

template <class T>
using Packet = typename Eigen::internal::packet_traits<T>::type;
template <class T>
constexpr std::size_t lanes = Eigen::internal::unpacket_traits<Packet<T>>::size;
// The widest output row served, in scalars: 4 AVX registers of float, 8 of double.
constexpr std::size_t max_row = 32;
// Accumulators an output-channel block may hold (of the 16 AVX registers, the rest load and
// broadcast).
constexpr int registers = 12;

std::size_t packets_for(std::size_t width, std::size_t lanes) {
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

// OB output channels, NV packets per output row; `weight` is the block's packed weight (tap
// by tap, the OB channels' values side by side: see pack_weight) and `out` its first plane.
template <class T, int NV, int OB>
void correlate_block(const Correlation& k, const T* in, const T* weight, T* out) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  const std::size_t plane = k.out_height * k.out_width;
  const std::size_t tail = k.out_width - (NV - 1) * L;  // 1 .. L scalars in the last packet
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    P acc[OB][NV];
    for (int o = 0; o < OB; ++o)
      for (int v = 0; v < NV; ++v) acc[o][v] = Eigen::internal::pset1<P>(T(0));
    for (std::size_t c = 0; c < k.channels; ++c)
      for (std::size_t kh = 0; kh < k.kernel_h; ++kh) {
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
void correlate_rest(const Correlation& k, const T* in, const T* weight, T* out, std::size_t count) {
  if constexpr (OB > 1) {
    if (count == OB - 1)
      correlate_block<T, NV, OB - 1>(k, in, weight, out);
    else
      correlate_rest<T, NV, OB - 1>(k, in, weight, out, count);
  }
}

template <class T, int NV>
void correlate_packets(const Correlation& k, const T* in, const T* weight, T* out) {
  constexpr int OB = int(block_outputs(NV));
  const std::size_t per_output = k.channels * k.kernel_h * k.kernel_w;
  const std::size_t plane = k.out_height * k.out_width;
  std::size_t o = 0;
  for (; o + OB <= k.out_channels; o += OB)
    correlate_block<T, NV, OB>(k, in, weight + o * per_output, out + o * plane);
  if (o < k.out_channels)
    correlate_rest<T, NV, OB>(k, in, weight + o * per_output, out + o * plane, k.out_channels - o);
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

// Positions of one output row (PB) times NO packets of output channels (all of them): `weight`
// packed tap by tap, every channel side by side.
template <class T, int NO, int PB>
void channel_block(const Correlation& k, const T* in, const T* weight, T* out, std::size_t oh,
                   std::size_t ow) {
  using P = Packet<T>;
  constexpr std::size_t L = lanes<T>;
  P acc[PB][NO];
  for (int p = 0; p < PB; ++p)
    for (int j = 0; j < NO; ++j) acc[p][j] = Eigen::internal::pset1<P>(T(0));
  const T* w = weight;
  for (std::size_t c = 0; c < k.channels; ++c)
    for (std::size_t kh = 0; kh < k.kernel_h; ++kh) {
      const T* row = in + (c * k.rows + oh + kh) * k.stride + ow;
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
void channel_rest(const Correlation& k, const T* in, const T* weight, T* out, std::size_t oh,
                  std::size_t ow, std::size_t count) {
  if constexpr (PB > 1) {
    if (count == PB - 1)
      channel_block<T, NO, PB - 1>(k, in, weight, out, oh, ow);
    else
      channel_rest<T, NO, PB - 1>(k, in, weight, out, oh, ow, count);
  }
}

template <class T, int NO>
void correlate_channels(const Correlation& k, const T* in, const T* weight, T* out) {
  constexpr int PB = registers / NO;
  for (std::size_t oh = 0; oh < k.out_height; ++oh) {
    std::size_t ow = 0;
    for (; ow + PB <= k.out_width; ow += PB) channel_block<T, NO, PB>(k, in, weight, out, oh, ow);
    if (ow < k.out_width) channel_rest<T, NO, PB>(k, in, weight, out, oh, ow, k.out_width - ow);
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
void correlate(const Correlation& k, const T* in, const T* weight, T* out) {
  constexpr std::size_t L = lanes<T>;
  if (channels_in_lanes<T>(k)) {
    switch (k.out_channels / L) {
      case 1:
        return correlate_channels<T, 1>(k, in, weight, out);
      case 2:
        return correlate_channels<T, 2>(k, in, weight, out);
      case 3:
        return correlate_channels<T, 3>(k, in, weight, out);
      default:
        return correlate_channels<T, 4>(k, in, weight, out);
    }
  }
  const std::size_t packets = packets_for(k.out_width, L);
  // Instantiated up to max_row scalars; direct_conv_serves keeps rows within that.
  auto run = [&]<int NV>() {
    if constexpr (NV * L <= max_row) correlate_packets<T, NV>(k, in, weight, out);
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
  correlate(k, buffer, packed, y);
}

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

template <class T>
void pack_input_gradient_weight(const Conv2DGeometry& g, const T* weight, T* flipped, T* packed) {
  const auto& w = g.window;
  for (std::size_t o = 0; o < g.out_channels; ++o)
    for (std::size_t c = 0; c < w.channels; ++c)
      for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
        for (std::size_t kw = 0; kw < w.kernel_w; ++kw)
          flipped[((c * g.out_channels + o) * w.kernel_h + kh) * w.kernel_w + kw] =
              weight[((o * w.channels + c) * w.kernel_h + (w.kernel_h - 1 - kh)) * w.kernel_w +
                     (w.kernel_w - 1 - kw)];
  pack_weight(input_gradient_correlation<T>(g), flipped, packed);
}

template <class T>
void direct_conv_input_gradient(const Conv2DGeometry& g, const T* packed, const T* dy, T* dx,
                                T* buffer) {
  const auto& w = g.window;
  const Correlation k = input_gradient_correlation<T>(g);
  pad_into(dy, g.out_channels, w.out_height, w.out_width, w.kernel_h - 1 - w.pad_h,
           w.kernel_w - 1 - w.pad_w, k.rows, k.stride, buffer);
  correlate(k, buffer, packed, dx);
}

#define TYPENET_INSTANTIATE(T)                                                                     \
  template bool direct_conv_serves<T>(const Conv2DGeometry&);                                      \
  template void pack_forward_weight<T>(const Conv2DGeometry&, const T*, T*);                       \
  template void direct_conv_forward<T>(const Conv2DGeometry&, const T*, const T*, T*, T*);         \
  template void direct_conv_weight_gradient<T>(const Conv2DGeometry&, const T*, const T*, T*, T*); \
  template void pack_input_gradient_weight<T>(const Conv2DGeometry&, const T*, T*, T*);            \
  template void direct_conv_input_gradient<T>(const Conv2DGeometry&, const T*, const T*, T*, T*);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel::detail
