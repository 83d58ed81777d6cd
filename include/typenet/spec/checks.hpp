// Rules shared by several layers. Each check is a class template whose arguments carry the
// layer index, the spec and the numbers, so they appear in the compiler's first lines. A check
// is Enabled only when the rules before it passed, so that one mistake gives one error.
#pragma once

#include <cstddef>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"

namespace typenet::diag {

template <class S>
struct input_of;
template <std::size_t... D>
struct input_of<Shape<D...>> {
  using type = input<D...>;
};
template <class S>
using input_t = typename input_of<S>::type;

template <class Input>
inline constexpr std::size_t rank_of = 0;
template <std::size_t... D>
inline constexpr std::size_t rank_of<input<D...>> = sizeof...(D);

// Size of axis K of an input, 0 when it has no such axis (the check reporting that is elsewhere).
template <class Input, std::size_t K>
inline constexpr std::size_t dim_of = 0;
template <std::size_t K, std::size_t... D>
inline constexpr std::size_t dim_of<input<D...>, K> =
    K < sizeof...(D) ? Shape<D...>::dims[K < sizeof...(D) ? K : 0] : 0;

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_image_input {
  static constexpr bool value = Enabled && rank_of<Input> == 3;
  static_assert(!Enabled || rank_of<Input> == 3,
                "this layer (convolution, pooling or LocalResponseNorm) requires a C x H x W "
                "image input; the input shows the shape that reaches it: a Flatten, Dense or "
                "GlobalAvgPool before it made it a vector, or Input<...> has the wrong rank");
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_vector_input {
  static constexpr bool value = Enabled && rank_of<Input> == 1;
  static_assert(!Enabled || rank_of<Input> == 1,
                "Dense<N> and Maxout<N, K> require a 1-D input (a feature vector); typenet does "
                "not flatten implicitly: insert tn::Flatten (or tn::GlobalAvgPool) before this "
                "layer");
};

template <class Layer, class Spec, class Input, bool Enabled>
struct requires_vector_or_image_input {
  static constexpr bool value = Enabled && (rank_of<Input> == 1 || rank_of<Input> == 3);
  static_assert(!Enabled || rank_of<Input> == 1 || rank_of<Input> == 3,
                "this layer (BatchNorm, PReLU) normalises or scales per channel and requires a "
                "feature vector (N) or a C x H x W input");
};

template <class Layer, class Spec, class Units, bool Enabled>
struct requires_units {
  static constexpr bool value = Enabled && Units::value > 0;
  static_assert(!Enabled || Units::value > 0,
                "this layer (Dense, Conv2D, Maxout) requires at least one output unit or "
                "channel: its output would be empty");
};

}  // namespace typenet::diag
