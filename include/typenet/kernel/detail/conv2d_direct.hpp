// A direct convolution for small planes and few channels (LeNet-5's 1 -> 6 and 6 -> 16 5x5
// convolutions), where im2col + GEMM spends more time copying columns than multiplying: each
// output row is a few SIMD registers and every kernel tap one broadcast FMA into them. Stride 1,
// no dilation, one group; the padding goes into a zero-bordered copy of the sample. Used by
// src/kernel/conv2d.cpp for the geometries direct_conv_serves accepts (docs/design.md has the
// measurements); implemented in src/kernel/detail/conv2d_direct.cpp for float and double.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>

#include "typenet/shape/geometry.hpp"

namespace typenet::kernel::detail {

// Whether the direct kernels below take g: stride 1, dilation 1, one group, padding below the
// kernel, output (and, for the input gradient, input) rows of at most 32 scalars, at most 400
// multiply-adds per output element and 64 output channels, and their buffers (padded planes and
// two weight_size copies of the weight) within the im2col buffer of g (column_size scalars).
template <class T>
bool direct_conv_serves(const Conv2DGeometry& g);

// The weight (Out x C x KH x KW) regrouped for direct_conv_forward into packed (weight_size
// scalars): once per call, not per sample.
template <class T>
void pack_forward_weight(const Conv2DGeometry& g, const T* weight, T* packed);
// One sample: y (out_channels x OH x OW) = the convolution of x (C x H x W) with the weight,
// packed by pack_forward_weight. `buffer`: column_size - 2 weight_size scalars of scratch.
template <class T>
void direct_conv_forward(const Conv2DGeometry& g, const T* x, const T* packed, T* y, T* buffer);

// weight (Out x C x KH x KW) flipped in both spatial axes, its two channel axes swapped, into
// flipped (C x Out x KH x KW, weight_size scalars): the input gradient of a stride-1 convolution
// is the forward convolution of dy with it, zero-bordered by kernel - 1 - pad.
template <class T>
void flip_weight(const Conv2DGeometry& g, const T* weight, T* flipped);

// Whether conv2d_backward computes the input gradient of g outside the direct path as that
// forward convolution (im2col of dy + one GEMM per block of dx rows) instead of
// dCol = W^T dY + col2im: stride 1, dilation 1, one group, padding below the kernel, not 1x1,
// and a block of dx rows and the flipped weight fit in the im2col buffer. In src/kernel/conv2d.cpp.
bool transposed_input_gradient_serves(const Conv2DGeometry& g);

// The input gradient runs as a forward convolution of dy, zero-bordered by kernel - 1 - pad,
// with the weight flipped in both axes and its two channel axes swapped: flipped (weight_size
// scalars) receives that weight (C x Out x KH x KW), packed the same regrouped for the kernel.
template <class T>
void pack_input_gradient_weight(const Conv2DGeometry& g, const T* weight, T* flipped, T* packed);
// One sample: dx (C x H x W, overwritten) from dy. `buffer`: column_size - 2 weight_size
// scalars, `packed` from pack_input_gradient_weight.
template <class T>
void direct_conv_input_gradient(const Conv2DGeometry& g, const T* packed, const T* dy, T* dx,
                                T* buffer);

}  // namespace typenet::kernel::detail
