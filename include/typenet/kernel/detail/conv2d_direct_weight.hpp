// The direct convolution's weight gradient (kernel/detail/conv2d_direct.hpp has the rest);
// implemented in src/kernel/detail/conv2d_direct_weight.cpp for float and double.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>

#include "typenet/shape/geometry.hpp"

namespace typenet::kernel::detail {

// One sample: dweight (Out x C x KH x KW) += dy (x) x, the weight gradient's share of one sample.
template <class T>
void direct_conv_weight_gradient(const Conv2DGeometry& g, const T* x, const T* dy, T* dweight,
                                 T* buffer);

}  // namespace typenet::kernel::detail
