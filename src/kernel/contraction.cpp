// Dense and convolution through Eigen's GEMM. Convolution is im2col + GEMM per sample and group
// (docs/design.md has the measurements behind the choice); a 1x1 stride-1 unpadded convolution
// multiplies the input directly, with no im2col copy.
#include <Eigen/Core>
#include <algorithm>
#include <cstdlib>
#include <new>

#include "typenet/kernel/kernels.hpp"
#include "typenet/kernel/parallel.hpp"

namespace typenet::kernel {

namespace {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Map = Eigen::Map<RowMajor<T>>;
template <class T>
using ConstMap = Eigen::Map<const RowMajor<T>>;

using Index = Eigen::Index;

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

// col[(c, kh, kw), (oh, ow)] = x[c, oh*sh - ph + kh*dh, ow*sw - pw + kw*dw], zero outside.
template <class T>
void im2col(const Window2D& w, const T* x, T* col) {
  const std::size_t plane = w.out_height * w.out_width;
  for (std::size_t c = 0; c < w.channels; ++c) {
    const T* channel = x + c * w.height * w.width;
    for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
      for (std::size_t kw = 0; kw < w.kernel_w; ++kw, col += plane) {
        const std::ptrdiff_t col_offset =
            static_cast<std::ptrdiff_t>(kw * w.dilation_w) - static_cast<std::ptrdiff_t>(w.pad_w);
        for (std::size_t oh = 0; oh < w.out_height; ++oh) {
          T* out = col + oh * w.out_width;
          const std::ptrdiff_t ih = static_cast<std::ptrdiff_t>(oh * w.stride_h + kh * w.dilation_h) -
                                    static_cast<std::ptrdiff_t>(w.pad_h);
          if (ih < 0 || ih >= static_cast<std::ptrdiff_t>(w.height)) {
            std::fill(out, out + w.out_width, T(0));
            continue;
          }
          const T* row = channel + ih * static_cast<std::ptrdiff_t>(w.width);
          // Outputs [first, last) read inside the row; the rest read padding. Splitting the
          // range keeps the inner loop branch-free (a plain copy at stride 1).
          const auto [first, last] = valid_outputs(w.out_width, w.stride_w, col_offset, w.width);
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
  std::fill(dx, dx + w.channels * w.height * w.width, T(0));
  for (std::size_t c = 0; c < w.channels; ++c) {
    T* channel = dx + c * w.height * w.width;
    for (std::size_t kh = 0; kh < w.kernel_h; ++kh) {
      for (std::size_t kw = 0; kw < w.kernel_w; ++kw, col += plane) {
        const std::ptrdiff_t col_offset =
            static_cast<std::ptrdiff_t>(kw * w.dilation_w) - static_cast<std::ptrdiff_t>(w.pad_w);
        for (std::size_t oh = 0; oh < w.out_height; ++oh) {
          const std::ptrdiff_t ih = static_cast<std::ptrdiff_t>(oh * w.stride_h + kh * w.dilation_h) -
                                    static_cast<std::ptrdiff_t>(w.pad_h);
          if (ih < 0 || ih >= static_cast<std::ptrdiff_t>(w.height)) continue;
          const T* in = col + oh * w.out_width;
          T* row = channel + ih * static_cast<std::ptrdiff_t>(w.width);
          const auto [first, last] = valid_outputs(w.out_width, w.stride_w, col_offset, w.width);
          for (std::size_t ow = first; ow < last; ++ow)
            row[std::ptrdiff_t(ow * w.stride_w) + col_offset] += in[ow];
        }
      }
    }
  }
}

}  // namespace

template <class T>
using OuterMap = Eigen::Map<RowMajor<T>, 0, Eigen::OuterStride<>>;
template <class T>
using ConstOuterMap = Eigen::Map<const RowMajor<T>, 0, Eigen::OuterStride<>>;

// Threads split the output units (forward, weight gradient) or the samples (input gradient):
// each writes its own rows or columns, so no reduction across threads is needed.
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index units = Index(end - begin);
    ConstMap<T> X(x, Index(batch), Index(in));
    ConstMap<T> W(weight + begin * in, units, Index(in));
    OuterMap<T> Y(y + begin, Index(batch), units, Eigen::OuterStride<>(Index(out)));
    Y.noalias() = X * W.transpose();
  });
}

template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight,
                    std::size_t batch, std::size_t in, std::size_t out) {
  const std::size_t work = batch * in * out;
  kernel::parallel_for(out, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index units = Index(end - begin);
    ConstMap<T> X(x, Index(batch), Index(in));
    ConstOuterMap<T> dY(dy + begin, Index(batch), units, Eigen::OuterStride<>(Index(out)));
    Map<T> dW(dweight + begin * in, units, Index(in));
    dW.noalias() = dY.transpose() * X;
  });
  if (dx == nullptr) return;
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t) {
    const Index rows = Index(end - begin);
    ConstMap<T> W(weight, Index(out), Index(in));
    ConstMap<T> dY(dy + begin * out, rows, Index(out));
    Map<T> dX(dx + begin * in, rows, Index(in));
    dX.noalias() = dY * W;
  });
}

namespace {
// The matrix sizes of one sample's GEMMs, and the per-thread scratch.
struct ConvSizes {
  Index plane, group_out, group_in;  // output positions; output channels and column rows per group
  std::size_t in_size, out_size;     // scalars per sample
  std::size_t scratch;               // per thread: im2col buffer, then partial weight gradient
  explicit ConvSizes(const Conv2DGeometry& g)
      : plane(Index(g.window.out_height * g.window.out_width)),
        group_out(Index(g.out_channels / g.groups)),
        group_in(Index(g.window.channels / g.groups * g.window.kernel_h * g.window.kernel_w)),
        in_size(g.window.channels * g.window.height * g.window.width),
        out_size(g.out_channels * std::size_t(plane)),
        scratch(g.column_size() + g.weight_size()) {}
};

// A sample's im2col matrix: the input itself for a 1x1 stride-1 unpadded convolution, else
// written into `columns`.
template <class T>
const T* sample_columns(const Conv2DGeometry& g, const T* sample, T* columns) {
  if (g.is_pointwise()) return sample;
  im2col(g.window, sample, columns);
  return columns;
}
}  // namespace

std::size_t conv2d_workspace_size(const Conv2DGeometry& g) {
  return max_threads() * ConvSizes(g).scratch;
}

namespace {
struct ScratchArena {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~ScratchArena() { std::free(data); }
};
}  // namespace

void* scratch(std::size_t bytes) {
  thread_local ScratchArena arena;
  if (bytes > arena.bytes) {
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    std::free(arena.data);
    arena.data = nullptr;
    arena.bytes = 0;
    arena.data = std::aligned_alloc(64, rounded);
    if (arena.data == nullptr) throw std::bad_alloc();
    arena.bytes = rounded;
  }
  return arena.data;
}

// Threads split the batch; each has its own im2col buffer (and, backward, its own partial
// weight gradient, summed in thread order at the end).
template <class T>
void conv2d_forward(const Conv2DGeometry& g, const T* x, const T* weight, T* y, T* workspace,
                    std::size_t batch) {
  const ConvSizes s(g);
  const std::size_t work = batch * s.out_size * std::size_t(s.group_in);
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t thread) {
    T* columns = workspace + thread * s.scratch;
    for (std::size_t n = begin; n < end; ++n) {
      const T* col = sample_columns(g, x + n * s.in_size, columns);
      for (std::size_t group = 0; group < g.groups; ++group) {
        ConstMap<T> W(weight + group * s.group_out * s.group_in, s.group_out, s.group_in);
        ConstMap<T> Col(col + group * s.group_in * s.plane, s.group_in, s.plane);
        Map<T> Y(y + n * s.out_size + group * s.group_out * s.plane, s.group_out, s.plane);
        Y.noalias() = W * Col;
      }
    }
  });
}

template <class T>
void conv2d_backward(const Conv2DGeometry& g, const T* x, const T* weight, const T* dy, T* dx,
                     T* dweight, T* workspace, std::size_t batch) {
  const ConvSizes s(g);
  const bool weights = dweight != nullptr;  // ConvTranspose2D's forward wants dx alone
  // Every thread's partial sum starts at zero, used or not, and all are added in thread order.
  if (weights)
    for (std::size_t thread = 0; thread < max_threads(); ++thread) {
      T* partial = workspace + thread * s.scratch + g.column_size();
      std::fill(partial, partial + g.weight_size(), T(0));
    }
  const std::size_t work = batch * s.out_size * std::size_t(s.group_in);
  kernel::parallel_for(batch, work, [&](std::size_t begin, std::size_t end, std::size_t thread) {
    T* columns = workspace + thread * s.scratch;
    T* partial = columns + g.column_size();
    for (std::size_t n = begin; n < end; ++n) {
      if (weights) {
        const T* col = sample_columns(g, x + n * s.in_size, columns);
        for (std::size_t group = 0; group < g.groups; ++group) {
          ConstMap<T> dY(dy + n * s.out_size + group * s.group_out * s.plane, s.group_out, s.plane);
          ConstMap<T> Col(col + group * s.group_in * s.plane, s.group_in, s.plane);
          Map<T> dW(partial + group * s.group_out * s.group_in, s.group_out, s.group_in);
          dW.noalias() += dY * Col.transpose();
        }
      }
      if (dx == nullptr) continue;
      // The im2col buffer is free again: reuse it for the column gradient.
      T* dcol = g.is_pointwise() ? dx + n * s.in_size : columns;
      for (std::size_t group = 0; group < g.groups; ++group) {
        ConstMap<T> W(weight + group * s.group_out * s.group_in, s.group_out, s.group_in);
        ConstMap<T> dY(dy + n * s.out_size + group * s.group_out * s.plane, s.group_out, s.plane);
        Map<T> dCol(dcol + group * s.group_in * s.plane, s.group_in, s.plane);
        dCol.noalias() = W.transpose() * dY;
      }
      if (!g.is_pointwise()) col2im(g.window, columns, dx + n * s.in_size);
    }
  });
  if (!weights) return;
  std::fill(dweight, dweight + g.weight_size(), T(0));
  for (std::size_t thread = 0; thread < max_threads(); ++thread) {
    const T* partial = workspace + thread * s.scratch + g.column_size();
    for (std::size_t i = 0; i < g.weight_size(); ++i) dweight[i] += partial[i];
  }
}

#define TYPENET_INSTANTIATE(T)                                                                 \
  template void dense_forward<T>(const T*, const T*, T*, std::size_t, std::size_t,            \
                                 std::size_t);                                                 \
  template void dense_backward<T>(const T*, const T*, const T*, T*, T*, std::size_t,          \
                                  std::size_t, std::size_t);                                   \
  template void conv2d_forward<T>(const Conv2DGeometry&, const T*, const T*, T*, T*,          \
                                  std::size_t);                                                \
  template void conv2d_backward<T>(const Conv2DGeometry&, const T*, const T*, const T*, T*,   \
                                   T*, T*, std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
