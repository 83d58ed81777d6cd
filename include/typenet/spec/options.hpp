// Named optional arguments of layer specs: Conv2D<64, Kernel<3>, Pad<1>, Stride<2>> takes its
// options in any order; each one not given takes the layer's default.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <boost/mp11/set.hpp>
#include <cstddef>
#include <type_traits>

#include "typenet/shape/window.hpp"

namespace typenet {

// Two-axis options take (height, width); one number means the same on both axes.
template <std::size_t H, std::size_t W = H>
struct Kernel {
  using option_kind = struct kernel_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};

template <std::size_t H, std::size_t W = H>
struct Stride {
  using option_kind = struct stride_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};

// Zero padding added on both sides of each axis.
template <std::size_t H, std::size_t W = H>
struct Pad {
  using option_kind = struct pad_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};

// ConvTranspose2D only (PyTorch's output_padding): rows and columns added at the bottom and
// right of the output. A stride-S convolution maps S sizes to one; this picks which of them the
// transposed convolution gives back (ConvTranspose2D<C, Kernel<3>, Stride<2>, Pad<1>,
// OutputPad<1>> exactly doubles the size).
template <std::size_t H, std::size_t W = H>
struct OutputPad {
  using option_kind = struct output_pad_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};

template <std::size_t H, std::size_t W = H>
struct Dilation {
  using option_kind = struct dilation_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};

// Channels are split into G groups convolved separately (G = in channels: depthwise).
template <std::size_t G>
struct Groups {
  using option_kind = struct groups_option;
  static constexpr std::size_t value = G;
};

template <bool B>
struct Bias {
  using option_kind = struct bias_option;
  static constexpr bool value = B;
};

// Up-sampling factors (Upsample<Scale<2>>) and interpolation (tn::Nearest, tn::Bilinear).
template <std::size_t H, std::size_t W = H>
struct Scale {
  using option_kind = struct scale_option;
  static constexpr std::size_t height = H;
  static constexpr std::size_t width = W;
};
struct Nearest {
  using option_kind = struct interpolation_option;
};
struct Bilinear {
  using option_kind = struct interpolation_option;
};

namespace detail {

template <class T>
concept LayerOption = requires {
  typename T::option_kind;
};

// void for a type that is not an option, so that a wrong argument reaches the layer's own
// static_assert instead of failing deep inside the option lookup.
template <class T>
struct option_kind_of {
  using type = void;
};
template <LayerOption T>
struct option_kind_of<T> {
  using type = typename T::option_kind;
};
template <class T>
using option_kind_t = typename option_kind_of<T>::type;

template <class Kind>
struct has_kind {
  template <class T>
  using fn = std::is_same<option_kind_t<T>, Kind>;
};

// The option of Default's kind among Opts, or Default if none is given.
template <class Default, class... Opts>
using option_or = boost::mp11::mp_front<boost::mp11::mp_push_back<
    boost::mp11::mp_copy_if_q<boost::mp11::mp_list<Opts...>, has_kind<option_kind_t<Default>>>,
    Default>>;

template <class Kind, class... Opts>
inline constexpr bool has_option =
    boost::mp11::mp_count_if_q<boost::mp11::mp_list<Opts...>, has_kind<Kind>>::value != 0;

// Every option is a typenet option of a kind in Allowed.
template <class Allowed, class... Opts>
constexpr bool options_are_allowed() {
  return ((LayerOption<Opts> && boost::mp11::mp_contains<Allowed, option_kind_t<Opts>>::value) &&
          ...);
}

// No kind of option is given twice (only meaningful once the options are allowed).
template <class... Opts>
constexpr bool options_are_unique() {
  return boost::mp11::mp_is_set<boost::mp11::mp_list<option_kind_t<Opts>...>>::value;
}

// The option rules every layer shares, each true when an earlier one already failed, so that
// a layer's report states only the first broken rule.
template <class Allowed, class... Opts>
struct option_rules {
  static constexpr bool known = options_are_allowed<Allowed, Opts...>();
  static constexpr bool unique = !known || options_are_unique<Opts...>();
  static constexpr bool kernel = !known || !unique || has_option<kernel_option, Opts...>;
};

}  // namespace detail
}  // namespace typenet
