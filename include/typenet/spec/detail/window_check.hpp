// The compile-time check of a convolution or pooling window along one axis.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/shape/window.hpp"

namespace typenet::diag {

template <class Axis, class Input>
struct axis_size;
template <class Axis, std::size_t... D>
struct axis_size<Axis, input<D...>> {
  static constexpr std::size_t value = sizeof...(D) == 3 ? Shape<D...>::dims[Axis::index] : 0;
};

template <class Pad, class Kernel, class Dilation, class Stride, class Input, class Axis>
inline constexpr detail::Window window_of{axis_size<Axis, Input>::value, Kernel::value,
                                          Stride::value, Pad::value, Dilation::value};

template <class Limit, class Rounding, class Pad, class Kernel, class Dilation, class Stride,
          class Input, class Axis>
inline constexpr detail::WindowRule window_rule = detail::check_window<Rounding>(
    window_of<Pad, Kernel, Dilation, Stride, Input, Axis>, Limit::value);

// How much padding the layer tolerates, named so that it reads well in a diagnostic.
struct conv_padding {
  static constexpr detail::PadLimit value = detail::PadLimit::below_window;
};
struct pool_padding {
  static constexpr detail::PadLimit value = detail::PadLimit::half_window;
};

// Spec is the layer as written (Conv2D<...>, MaxPool2D<...>); Axis is 'H' or 'W'. See
// spec/detail/checks.hpp for why value and report are apart.
template <class Layer, class Spec, class Axis, class Input, class Pad, class Kernel, class Dilation,
          class Stride, class Rounding, class Limit, bool Enabled>
struct window_fits {
 private:
  using Rule = detail::WindowRule;
  static constexpr Rule rule =
      Enabled ? window_rule<Limit, Rounding, Pad, Kernel, Dilation, Stride, Input, Axis> : Rule::ok;
  static constexpr bool pooling = Limit::value == detail::PadLimit::half_window;

 public:
  static constexpr bool value = Enabled && rule == Rule::ok;

  struct report {
    static_assert(rule != Rule::zero_kernel, "a window layer requires Kernel<KH, KW> >= 1");
    static_assert(rule != Rule::zero_stride, "a window layer requires Stride<SH, SW> >= 1");
    static_assert(rule != Rule::zero_dilation, "a window layer requires Dilation<DH, DW> >= 1");
    static_assert(pooling || rule != Rule::pad_too_large,
                  "Conv2D requires pad < dilation*(kernel-1) + 1 (the dilated kernel): with more "
                  "padding, border outputs would see nothing but zeros; reduce Pad<...>");
    static_assert(!pooling || rule != Rule::pad_too_large,
                  "MaxPool2D/AvgPool2D require pad <= kernel/2: with more padding, border "
                  "windows would lie mostly in the padding; reduce Pad<...>");
    static_assert(rule != Rule::window_larger_than_input,
                  "window larger than the padded input: this layer requires "
                  "dilation*(kernel-1) + 1 <= H + 2*pad (and the same along W); the input that "
                  "reaches it is too small: pad it, use a smaller kernel, or remove a "
                  "down-sampling layer before it");
    static_assert(rule != Rule::stride_does_not_tile,
                  "stride does not tile the padded input exactly: this layer requires "
                  "(H + 2*pad - dilation*(kernel-1) - 1) % stride == 0 (and the same along W); "
                  "pad the input or change the stride, or opt in to PyTorch-style rounding with "
                  "tn::Floor (or tn::Ceil for pooling)");
    static constexpr bool reported = true;
  };
};

}  // namespace typenet::diag
