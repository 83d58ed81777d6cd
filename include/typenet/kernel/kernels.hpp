// The heavy primitives: contractions (Eigen's GEMM), convolution, pooling, local response
// normalisation. Their sizes are run-time values here, so each is defined and instantiated once, for
// float and double, in libtypenet (src/kernel/); the layers pass their compile-time shapes in.
//
// Layout everywhere: NCHW, samples contiguous (docs/design.md). Weights as PyTorch stores them:
// Dense Out x In, Conv2D Out x C/groups x KH x KW.
#pragma once

#include <cstddef>
#include <cstdint>

namespace typenet::kernel {

// A sliding window over a C x H x W input (convolution and pooling).
struct Window2D {
  std::size_t channels, height, width;                  // input
  std::size_t out_height, out_width;                    // output, as the shape rules computed
  std::size_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
  std::size_t dilation_h = 1, dilation_w = 1;
};

struct Conv2DGeometry {
  Window2D window;
  std::size_t out_channels;
  std::size_t groups = 1;

  bool is_pointwise() const {
    return window.kernel_h == 1 && window.kernel_w == 1 && window.stride_h == 1 &&
           window.stride_w == 1 && window.pad_h == 0 && window.pad_w == 0;
  }
  // Scalars of the im2col buffer for one sample (0 for the 1x1 path, which needs none).
  std::size_t column_size() const {
    return is_pointwise() ? 0
                          : window.channels * window.kernel_h * window.kernel_w *
                                window.out_height * window.out_width;
  }
  std::size_t weight_size() const {
    return out_channels * window.channels / groups * window.kernel_h * window.kernel_w;
  }
};

// Scalars of scratch memory conv2d_forward and conv2d_backward need: per thread (up to
// max_threads()), an im2col buffer and a partial weight gradient.
std::size_t conv2d_workspace_size(const Conv2DGeometry& g);

// Scratch memory for one kernel call, shared by every layer that runs on the calling thread:
// 64-byte aligned, grown to the largest request seen (so after a network's first step it no
// longer allocates) and never shrunk; its contents do not outlive the call that asked for it.
// One buffer instead of one per layer: a 572 x 572 U-Net's im2col buffers alone were
// about 7 GB on 2 threads.
void* scratch(std::size_t bytes);
template <class T>
T* scratch_for(std::size_t count) {
  return static_cast<T*>(scratch(count * sizeof(T)));
}

// --- dense: y = x W^T for a batch (x: batch x in, W: out x in, y: batch x out) -------------------
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out);
// dx = dy W (skipped when dx is null); dweight = dy^T x (overwritten).
template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight,
                    std::size_t batch, std::size_t in, std::size_t out);

// --- convolution, without bias (the bias belongs to the fused epilogue) ------------------------
template <class T>
void conv2d_forward(const Conv2DGeometry& g, const T* x, const T* weight, T* y, T* workspace,
                    std::size_t batch);
// dx (skipped when null) and dweight (overwritten; skipped when null, and then x is not read)
// from dy.
template <class T>
void conv2d_backward(const Conv2DGeometry& g, const T* x, const T* weight, const T* dy, T* dx,
                     T* dweight, T* workspace, std::size_t batch);

// --- pooling; the window may hang over the padded input (ceil mode) ------------------------------
// argmax: for each output, the flat index (h * W + w) of the chosen input in its channel plane.
template <class T>
void max_pool_forward(const Window2D& w, const T* x, T* y, std::int32_t* argmax,
                      std::size_t batch);
template <class T>
void max_pool_backward(const Window2D& w, const T* dy, const std::int32_t* argmax, T* dx,
                       std::size_t batch);
// The average divides by the window's positions inside the padded input, as PyTorch's default
// (count_include_pad) does.
template <class T>
void avg_pool_forward(const Window2D& w, const T* x, T* y, std::size_t batch);
template <class T>
void avg_pool_backward(const Window2D& w, const T* dy, T* dx, std::size_t batch);

// --- local response normalisation across channels -----------------------------------------------
struct LrnParameters {
  std::size_t size;
  double alpha, beta, k;
};
// scale (batch x C x H x W) keeps k + alpha * sum(a^2) for the backward pass.
template <class T>
void lrn_forward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x,
                 T* y, T* scale, std::size_t batch);
template <class T>
void lrn_backward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x,
                  const T* scale, const T* dy, T* dx, std::size_t batch);


// --- resizing: C x H x W planes to C x OH x OW, for up-sampling and adaptive pooling ----------------
struct Resize {
  std::size_t channels, height, width, out_height, out_width;
};
// Nearest neighbour: output (i, j) copies input (i * H / OH, j * W / OW), as PyTorch's 'nearest'.
template <class T>
void upsample_nearest_forward(const Resize& r, const T* x, T* y, std::size_t batch);
template <class T>
void upsample_nearest_backward(const Resize& r, const T* dy, T* dx, std::size_t batch);
// Bilinear with half-pixel centres (PyTorch's align_corners=False): source coordinate
// (i + 0.5) * H / OH - 0.5, clamped at 0.
template <class T>
void upsample_bilinear_forward(const Resize& r, const T* x, T* y, std::size_t batch);
template <class T>
void upsample_bilinear_backward(const Resize& r, const T* dy, T* dx, std::size_t batch);
// Adaptive average pooling: output (i, j) averages rows floor(i*H/OH) .. ceil((i+1)*H/OH) - 1
// (and the same along W), as PyTorch's AdaptiveAvgPool2d.
template <class T>
void adaptive_avg_pool_forward(const Resize& r, const T* x, T* y, std::size_t batch);
template <class T>
void adaptive_avg_pool_backward(const Resize& r, const T* dy, T* dx, std::size_t batch);

}  // namespace typenet::kernel
