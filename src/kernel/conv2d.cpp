// Convolution as im2col + GEMM per sample and group (docs/design.md has the measurements behind
// the choice); a 1x1 stride-1 unpadded convolution multiplies the input directly, with no im2col
// copy; small planes with few channels take the direct convolution of
// kernel/detail/conv2d_direct.hpp. Every size comes from the layer's Conv2DGeometry.
#include "typenet/kernel/conv2d.hpp"

#include <algorithm>

#include "typenet/kernel/gemm.hpp"
#include "typenet/kernel/parallel.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // the direct convolution
#include "typenet/kernel/detail/conv2d_direct.hpp"
#include "typenet/kernel/detail/conv2d_direct_weight.hpp"

namespace typenet::kernel {

namespace {

// Columns per GEMM of the transposed path's blocks (transposed_conv).
constexpr std::size_t transposed_block_columns = 512;

// The outputs o in [first, last) whose input column o * stride + offset lies in [0, size).
struct Range {
  std::size_t first, last;
};
Range valid_outputs(std::size_t outputs, std::size_t stride, std::ptrdiff_t offset,
                    std::size_t size) {
  std::size_t first = 0;
  while (first < outputs && std::ptrdiff_t(first * stride) + offset < 0) ++first;
  std::size_t last = outputs;
  while (last > first && std::ptrdiff_t((last - 1) * stride) + offset >= std::ptrdiff_t(size))
    --last;
  return {first, last};
}

// col[(c, kh, kw), (oh, ow)] = x[c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], zero outside, for
// the output rows oh in [row_begin, row_end) (all of them by default).
template <class T>
void im2col(const Window2D& w, const T* x, T* col, std::size_t row_begin = 0,
            std::size_t row_end = std::size_t(-1)) {
  row_end = std::min(row_end, w.out_height);
  const std::size_t plane = (row_end - row_begin) * w.out_width;
  for (std::size_t c = 0; c < w.channels; ++c) {
    const T* channel = x + c * w.height * w.width;
    for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
      for (std::size_t kw = 0; kw < w.kernel_w; ++kw, col += plane) {
        const std::ptrdiff_t col_offset =
            static_cast<std::ptrdiff_t>(kw * w.dilation_w) - static_cast<std::ptrdiff_t>(w.pad_w);
        // Outputs [first, last) read inside a row; the rest read padding. Splitting the range
        // keeps the inner loop branch-free (a plain copy at stride 1).
        const auto [first, last] = valid_outputs(w.out_width, w.stride_w, col_offset, w.width);
        for (std::size_t oh = row_begin; oh < row_end; ++oh) {
          T* out = col + (oh - row_begin) * w.out_width;
          const std::ptrdiff_t ih =
              static_cast<std::ptrdiff_t>(oh * w.stride_h + kh * w.dilation_h) -
              static_cast<std::ptrdiff_t>(w.pad_h);
          if (ih < 0 || ih >= static_cast<std::ptrdiff_t>(w.height)) {
            std::fill(out, out + w.out_width, T(0));
            continue;
          }
          const T* row = channel + ih * static_cast<std::ptrdiff_t>(w.width);
          std::fill(out, out + first, T(0));
          if (w.stride_w == 1) {
            // A plain loop, not std::copy: rows are short (28 for LeNet) and a memmove call
            // per row cost more than the copy.
            const T* from = row + std::ptrdiff_t(first) + col_offset;
            for (std::size_t ow = first; ow < last; ++ow) out[ow] = from[ow - first];
          } else {
            for (std::size_t ow = first; ow < last; ++ow)
              out[ow] = row[std::ptrdiff_t(ow * w.stride_w) + col_offset];
          }
          std::fill(out + last, out + w.out_width, T(0));
        }
      }
    }
  }
}

// The adjoint of im2col: dx[c, ih, iw] += dcol[...] for every place im2col read it from.
template <class T>
void col2im(const Window2D& w, const T* col, T* dx) {
  const std::size_t plane = w.out_height * w.out_width;
  for (std::size_t c = 0; c < w.channels; ++c) {
    T* channel = dx + c * w.height * w.width;
    // Zeroed channel by channel, just before its taps add to it: the plane is still in cache
    // then (zeroing the whole dx first cost a pass over memory, 7 % of AlexNet conv1's backward).
    std::fill(channel, channel + w.height * w.width, T(0));
    for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
      for (std::size_t kw = 0; kw < w.kernel_w; ++kw, col += plane) {
        const std::ptrdiff_t col_offset =
            static_cast<std::ptrdiff_t>(kw * w.dilation_w) - static_cast<std::ptrdiff_t>(w.pad_w);
        const auto [first, last] = valid_outputs(w.out_width, w.stride_w, col_offset, w.width);
        for (std::size_t oh = 0; oh < w.out_height; ++oh) {
          const std::ptrdiff_t ih =
              static_cast<std::ptrdiff_t>(oh * w.stride_h + kh * w.dilation_h) -
              static_cast<std::ptrdiff_t>(w.pad_h);
          if (ih < 0 || ih >= static_cast<std::ptrdiff_t>(w.height)) continue;
          const T* in = col + oh * w.out_width;
          T* row = channel + ih * static_cast<std::ptrdiff_t>(w.width);
          for (std::size_t ow = first; ow < last; ++ow)
            row[std::ptrdiff_t(ow * w.stride_w) + col_offset] += in[ow];
        }
      }
    }
  }
}

// A sample's im2col matrix: the input itself for a 1x1 stride-1 unpadded convolution, else
// written into `columns`.
template <class T>
const T* sample_columns(const Conv2DGeometry& g, const T* sample, T* columns) {
  if (g.is_pointwise()) return sample;
  im2col(g.window, sample, columns);
  return columns;
}
// dx of a stride-1, undilated, ungrouped convolution is the forward convolution of dy with the
// weight flipped in space and transposed in channels, padded K - 1 - p (the adjoint of a
// correlation). As a GEMM per block of dx rows that is Wf (C x Out*KH*KW) times dy's columns: as
// deep as the forward GEMM, where dCol = W^T dY is only Out deep and leaves a C*KH*KW x OH*OW
// matrix for col2im to scatter-add into a zeroed dx. Measured on conv3x3 64->64 56x56: see
// docs/design.md.
struct TransposedConv {
  Window2D window;   // dy's geometry as the input, dx's plane as the output
  std::size_t rows;  // dx rows per block; 0: this path does not serve the convolution
};
TransposedConv transposed_conv(const Conv2DGeometry& g) {
  const Window2D& w = g.window;
  TransposedConv t{};
  if (g.groups != 1 || g.is_pointwise() || w.stride_h != 1 || w.stride_w != 1 ||
      w.dilation_h != 1 || w.dilation_w != 1 || w.pad_h >= w.kernel_h || w.pad_w >= w.kernel_w ||
      w.out_height + w.kernel_h - 1 != w.height + 2 * w.pad_h ||
      w.out_width + w.kernel_w - 1 != w.width + 2 * w.pad_w)
    return t;
  t.window = Window2D{.channels = g.out_channels,
                      .height = w.out_height,
                      .width = w.out_width,
                      .out_height = w.height,
                      .out_width = w.width,
                      .kernel_h = w.kernel_h,
                      .kernel_w = w.kernel_w,
                      .stride_h = 1,
                      .stride_w = 1,
                      .pad_h = w.kernel_h - 1 - w.pad_h,
                      .pad_w = w.kernel_w - 1 - w.pad_w};
  // The flipped weight sits at the end of the im2col buffer; a block's columns fill the rest, up
  // to about transposed_block_columns of them (Eigen packs them again: they should stay in cache).
  const std::size_t depth = g.out_channels * w.taps();
  const std::size_t room = g.column_size() - std::min(g.column_size(), g.weight_size());
  const std::size_t fit = room / (depth * w.width);
  t.rows = std::min({fit, w.height, std::max<std::size_t>(1, transposed_block_columns / w.width)});
  return t;
}

// One sample's dx (overwritten) from its dy through t, with Wf from detail::flip_weight.
template <class T>
void transposed_input_gradient(const Conv2DGeometry& g, const TransposedConv& t, const T* flipped,
                               const T* dy, T* dx, T* columns) {
  const std::size_t depth = g.out_channels * g.window.taps(), width = g.window.width,
                    plane = g.window.in_plane();
  for (std::size_t row = 0; row < g.window.height; row += t.rows) {
    const std::size_t end = std::min(row + t.rows, g.window.height), n = (end - row) * width;
    im2col(t.window, dy, columns, row, end);
    // dX[:, rows] = Wf Col
    gemm(Op::none, Op::none, g.window.channels, n, depth, flipped, depth, columns, n,
         dx + row * width, plane, false);
  }
}
}  // namespace

namespace detail {
bool transposed_input_gradient_serves(const Conv2DGeometry& g) {
  return transposed_conv(g).rows > 0;
}
}  // namespace detail

std::size_t conv2d_workspace_size(const Conv2DGeometry& g) {
  return max_threads() * g.scratch_size();
}

// Threads split the batch; each has its own im2col buffer (and, backward, its own partial
// weight gradient, summed in thread order at the end).
template <class T>
void conv2d_forward(const Conv2DGeometry& g, const T* x, const T* weight, T* y, T* workspace,
                    std::size_t batch) {
  // Per sample and group: W (group_out x group_in) times the columns (group_in x plane).
  const std::size_t plane = g.window.out_plane(), group_out = g.group_out(),
                    group_in = g.group_in();
  const std::size_t in_size = g.in_size(), out_size = g.out_size(), per_thread = g.scratch_size();
  const std::size_t work = batch * out_size * group_in;
  const bool direct = detail::direct_conv_serves<T>(g);
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t thread) {
    T* columns = workspace + thread * per_thread;
    if (direct) {
      // The packed weight at the end of the im2col buffer, the padded sample before it.
      T* packed = columns + g.column_size() - g.weight_size();
      detail::pack_forward_weight(g, weight, packed);
      for (std::size_t n = begin; n < end; ++n)
        detail::direct_conv_forward(g, x + n * in_size, packed, y + n * out_size, columns);
      return;
    }
    for (std::size_t n = begin; n < end; ++n) {
      const T* col = sample_columns(g, x + n * in_size, columns);
      for (std::size_t group = 0; group < g.groups; ++group) {
        // Y = W Col
        gemm(Op::none, Op::none, group_out, plane, group_in, weight + group * group_out * group_in,
             group_in, col + group * group_in * plane, plane,
             y + n * out_size + group * group_out * plane, plane, false);
      }
    }
  });
}

template <class T>
void conv2d_backward(const Conv2DGeometry& g, const T* x, const T* weight, const T* dy, T* dx,
                     T* dweight, T* workspace, std::size_t batch) {
  // Per sample and group: W (group_out x group_in) times the columns (group_in x plane).
  const std::size_t plane = g.window.out_plane(), group_out = g.group_out(),
                    group_in = g.group_in();
  const std::size_t in_size = g.in_size(), out_size = g.out_size(), per_thread = g.scratch_size();
  const bool weights = dweight != nullptr;  // ConvTranspose2D's forward wants dx alone
  // Every thread's partial sum starts at zero, used or not, and all are added in thread order.
  if (weights)
    for (std::size_t thread = 0; thread < max_threads(); ++thread) {
      T* partial = workspace + thread * per_thread + g.column_size();
      std::fill(partial, partial + g.weight_size(), T(0));
    }
  const std::size_t work = batch * out_size * group_in;
  const bool direct = detail::direct_conv_serves<T>(g);
  const TransposedConv transposed = transposed_conv(g);
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t thread) {
    T* columns = workspace + thread * per_thread;
    T* partial = columns + g.column_size();
    if (!direct && dx != nullptr && transposed.rows > 0) {
      // dx first, while the flipped weight may occupy the end of the im2col buffer.
      T* flipped = columns + g.column_size() - g.weight_size();
      detail::flip_weight(g, weight, flipped);
      for (std::size_t n = begin; n < end; ++n)
        transposed_input_gradient(g, transposed, flipped, dy + n * out_size, dx + n * in_size,
                                  columns);
    }
    if (direct) {
      // The flipped and packed weights at the end of the im2col buffer, the padded planes
      // before them.
      T* packed = partial - g.weight_size();
      if (dx != nullptr)
        detail::pack_input_gradient_weight(g, weight, packed - g.weight_size(), packed);
      for (std::size_t n = begin; n < end; ++n) {
        if (weights)
          detail::direct_conv_weight_gradient(g, x + n * in_size, dy + n * out_size, partial,
                                              columns);
        if (dx != nullptr)
          detail::direct_conv_input_gradient(g, packed, dy + n * out_size, dx + n * in_size,
                                             columns);
      }
      return;
    }
    for (std::size_t n = begin; n < end; ++n) {
      if (weights) {
        const T* col = sample_columns(g, x + n * in_size, columns);
        for (std::size_t group = 0; group < g.groups; ++group) {
          // dW += dY Col^T
          gemm(Op::none, Op::transpose, group_out, group_in, plane,
               dy + n * out_size + group * group_out * plane, plane, col + group * group_in * plane,
               plane, partial + group * group_out * group_in, group_in, true);
        }
      }
      if (dx == nullptr || transposed.rows > 0) continue;
      // The im2col buffer is free again: reuse it for the column gradient.
      T* dcol = g.is_pointwise() ? dx + n * in_size : columns;
      for (std::size_t group = 0; group < g.groups; ++group) {
        // dCol = W^T dY
        gemm(Op::transpose, Op::none, group_in, plane, group_out,
             weight + group * group_out * group_in, group_in,
             dy + n * out_size + group * group_out * plane, plane, dcol + group * group_in * plane,
             plane, false);
      }
      if (!g.is_pointwise()) col2im(g.window, columns, dx + n * in_size);
    }
  });
  if (!weights) return;
  std::fill(dweight, dweight + g.weight_size(), T(0));
  for (std::size_t thread = 0; thread < max_threads(); ++thread) {
    const T* partial = workspace + thread * per_thread + g.column_size();
    for (std::size_t i = 0; i < g.weight_size(); ++i) dweight[i] += partial[i];
  }
}

#define TYPENET_INSTANTIATE(T)                                                                     \
  template void conv2d_forward<T>(const Conv2DGeometry&, const T*, const T*, T*, T*, std::size_t); \
  template void conv2d_backward<T>(const Conv2DGeometry&, const T*, const T*, const T*, T*, T*,    \
                                   T*, std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
