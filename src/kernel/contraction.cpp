// Dense and convolution through Eigen's GEMM. Convolution is im2col + GEMM per sample and group
// (docs/design.md has the measurements behind the choice); a 1x1 stride-1 unpadded convolution
// multiplies the input directly, with no im2col copy.
#include <Eigen/Core>
#include <algorithm>

#include "typenet/kernel/kernels.hpp"

namespace typenet::kernel {

namespace {

template <class T>
using RowMajor = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Map = Eigen::Map<RowMajor<T>>;
template <class T>
using ConstMap = Eigen::Map<const RowMajor<T>>;

using Index = Eigen::Index;

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
          for (std::size_t ow = 0; ow < w.out_width; ++ow) {
            const std::ptrdiff_t iw = static_cast<std::ptrdiff_t>(ow * w.stride_w) + col_offset;
            out[ow] = (iw >= 0 && iw < static_cast<std::ptrdiff_t>(w.width)) ? row[iw] : T(0);
          }
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
          for (std::size_t ow = 0; ow < w.out_width; ++ow) {
            const std::ptrdiff_t iw = static_cast<std::ptrdiff_t>(ow * w.stride_w) + col_offset;
            if (iw >= 0 && iw < static_cast<std::ptrdiff_t>(w.width)) row[iw] += in[ow];
          }
        }
      }
    }
  }
}

}  // namespace

template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out) {
  ConstMap<T> X(x, Index(batch), Index(in));
  ConstMap<T> W(weight, Index(out), Index(in));
  Map<T> Y(y, Index(batch), Index(out));
  Y.noalias() = X * W.transpose();
}

template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight,
                    std::size_t batch, std::size_t in, std::size_t out) {
  ConstMap<T> X(x, Index(batch), Index(in));
  ConstMap<T> W(weight, Index(out), Index(in));
  ConstMap<T> dY(dy, Index(batch), Index(out));
  Map<T> dW(dweight, Index(out), Index(in));
  dW.noalias() = dY.transpose() * X;
  if (dx != nullptr) {
    Map<T> dX(dx, Index(batch), Index(in));
    dX.noalias() = dY * W;
  }
}

template <class T>
void conv2d_forward(const Conv2DGeometry& g, const T* x, const T* weight, T* y, T* workspace,
                    std::size_t batch) {
  const Window2D& w = g.window;
  const Index plane = Index(w.out_height * w.out_width);
  const Index group_out = Index(g.out_channels / g.groups);
  const Index group_in = Index(w.channels / g.groups * w.kernel_h * w.kernel_w);
  const std::size_t in_size = w.channels * w.height * w.width;
  const std::size_t out_size = g.out_channels * std::size_t(plane);
  for (std::size_t n = 0; n < batch; ++n) {
    const T* col = x + n * in_size;
    if (!g.is_pointwise()) {
      im2col(w, col, workspace);
      col = workspace;
    }
    for (std::size_t group = 0; group < g.groups; ++group) {
      ConstMap<T> W(weight + group * group_out * group_in, group_out, group_in);
      ConstMap<T> Col(col + group * group_in * plane, group_in, plane);
      Map<T> Y(y + n * out_size + group * group_out * plane, group_out, plane);
      Y.noalias() = W * Col;
    }
  }
}

template <class T>
void conv2d_backward(const Conv2DGeometry& g, const T* x, const T* weight, const T* dy, T* dx,
                     T* dweight, T* workspace, std::size_t batch) {
  const Window2D& w = g.window;
  const Index plane = Index(w.out_height * w.out_width);
  const Index group_out = Index(g.out_channels / g.groups);
  const Index group_in = Index(w.channels / g.groups * w.kernel_h * w.kernel_w);
  const std::size_t in_size = w.channels * w.height * w.width;
  const std::size_t out_size = g.out_channels * std::size_t(plane);
  std::fill(dweight, dweight + g.out_channels * std::size_t(group_in), T(0));
  for (std::size_t n = 0; n < batch; ++n) {
    const T* col = x + n * in_size;
    if (!g.is_pointwise()) {
      im2col(w, col, workspace);
      col = workspace;
    }
    for (std::size_t group = 0; group < g.groups; ++group) {
      ConstMap<T> dY(dy + n * out_size + group * group_out * plane, group_out, plane);
      ConstMap<T> Col(col + group * group_in * plane, group_in, plane);
      Map<T> dW(dweight + group * group_out * group_in, group_out, group_in);
      dW.noalias() += dY * Col.transpose();
    }
    if (dx == nullptr) continue;
    // The im2col buffer is free again: reuse it for the column gradient.
    T* dcol = g.is_pointwise() ? dx + n * in_size : workspace;
    for (std::size_t group = 0; group < g.groups; ++group) {
      ConstMap<T> W(weight + group * group_out * group_in, group_out, group_in);
      ConstMap<T> dY(dy + n * out_size + group * group_out * plane, group_out, plane);
      Map<T> dCol(dcol + group * group_in * plane, group_in, plane);
      dCol.noalias() = W.transpose() * dY;
    }
    if (!g.is_pointwise()) col2im(w, workspace, dx + n * in_size);
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
