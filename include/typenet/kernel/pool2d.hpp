// Max and average pooling over NCHW planes (src/kernel/pool2d.cpp), sized by the layer's
// Window2D (shape/geometry.hpp); the window may hang over the padded input (ceil mode).
#pragma once

#include <cstddef>
#include <cstdint>

#include "typenet/shape/geometry.hpp"

namespace typenet::kernel {

// argmax: for each output, the flat index (h * W + w) of the chosen input in its channel plane.
template <class T>
void max_pool_forward(const Window2D& w, const T* x, T* y, std::int32_t* argmax, std::size_t batch);
template <class T>
void max_pool_backward(const Window2D& w, const T* dy, const std::int32_t* argmax, T* dx,
                       std::size_t batch);
// The average divides by the window's positions inside the padded input, as PyTorch's default
// (count_include_pad) does.
template <class T>
void avg_pool_forward(const Window2D& w, const T* x, T* y, std::size_t batch);
template <class T>
void avg_pool_backward(const Window2D& w, const T* dy, T* dx, std::size_t batch);

}  // namespace typenet::kernel
