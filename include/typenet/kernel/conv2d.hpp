// Convolution without bias (the bias belongs to the fused epilogue) as im2col + GEMM per sample
// and group, defined once for float and double in libtypenet (src/kernel/conv2d.cpp). Sizes come
// from the layer's Conv2DGeometry (shape/geometry.hpp); layout NCHW, weight
// Out x C/groups x KH x KW. ConvTranspose2D runs the same two functions on its adjoint geometry.
#pragma once

#include <cstddef>

#include "typenet/shape/geometry.hpp"

namespace typenet::kernel {

// Scalars of scratch memory conv2d_forward and conv2d_backward need: per thread (up to
// max_threads()), an im2col buffer and a partial weight gradient.
std::size_t conv2d_workspace_size(const Conv2DGeometry& g);

template <class T>
void conv2d_forward(const Conv2DGeometry& g, const T* x, const T* weight, T* y, T* workspace,
                    std::size_t batch);
// dx (skipped when null) and dweight (overwritten; skipped when null, and then x is not read)
// from dy.
template <class T>
void conv2d_backward(const Conv2DGeometry& g, const T* x, const T* weight, const T* dy, T* dx,
                     T* dweight, T* workspace, std::size_t batch);

}  // namespace typenet::kernel
