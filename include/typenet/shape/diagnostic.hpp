// Carriers for the numbers in a compile error.
//
// C++20 cannot format numbers into a static_assert message, so every check is a class
// template whose arguments are these carriers. The compiler prints the instantiation, e.g.
//   In instantiation of 'struct typenet::diag::conv2d_window<typenet::diag::layer<0>,
//     typenet::Conv2D<8, typenet::Kernel<3>, typenet::Stride<3>>, typenet::diag::axis<'H'>,
//     typenet::diag::input<3, 7, 7>, typenet::diag::pad<0>, typenet::diag::kernel<3>, ...>'
// right above the sentence of the failed static_assert: which layer, which rule, which numbers.
#pragma once

#include <cstddef>
#include <type_traits>

namespace typenet::diag {

// Index of a layer in its Sequential, counted from 0 at the first layer after Input<...>;
// the same index as Net::layer<I> and the first column of tn::summary<Net>().
template <std::size_t I>
struct layer {
  static constexpr std::size_t value = I;
};

// 'H' or 'W'.
template <char A>
struct axis {
  static constexpr char value = A;
  static constexpr std::size_t index = A == 'H' ? 1 : 2;
};

// The shape that reaches the layer, one sample.
template <std::size_t... D>
struct input {};

// The shape a network puts out, one sample.
template <std::size_t... D>
struct output {};

#define TYPENET_DIAG_NUMBER(name)           \
  template <std::size_t V>                  \
  struct name {                             \
    static constexpr std::size_t value = V; \
  };

TYPENET_DIAG_NUMBER(kernel)
TYPENET_DIAG_NUMBER(stride)
TYPENET_DIAG_NUMBER(pad)
TYPENET_DIAG_NUMBER(output_pad)
TYPENET_DIAG_NUMBER(dilation)
TYPENET_DIAG_NUMBER(groups)
TYPENET_DIAG_NUMBER(in_channels)
TYPENET_DIAG_NUMBER(out_channels)
TYPENET_DIAG_NUMBER(units)
TYPENET_DIAG_NUMBER(pieces)
TYPENET_DIAG_NUMBER(size)
TYPENET_DIAG_NUMBER(scale)
TYPENET_DIAG_NUMBER(head)
TYPENET_DIAG_NUMBER(hidden)
TYPENET_DIAG_NUMBER(steps)

#undef TYPENET_DIAG_NUMBER

}  // namespace typenet::diag
