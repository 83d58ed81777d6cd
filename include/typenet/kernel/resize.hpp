// Resizing C x H x W planes to C x OH x OW: up-sampling and adaptive average pooling
// (src/kernel/resize.cpp).
#pragma once

#include <cstddef>

namespace typenet::kernel {

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
