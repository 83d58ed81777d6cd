// Input<C, H, W> (an image) or Input<N> (a feature vector): the shape of ONE sample. The batch
// size is a run-time value and is never part of a shape.
#pragma once

#include <cstddef>

#include "typenet/shape/shape.hpp"

namespace typenet {

template <std::size_t... D>
struct Input {
  static_assert(sizeof...(D) >= 1 && sizeof...(D) <= 3,
                "Input<D...> takes one sample's shape: Input<N> for a vector, Input<C, H, W> for "
                "an image (Input<C, L> for a sequence)");
  static_assert(((D > 0) && ...), "Input<D...> requires every dimension to be at least 1");
  using shape = Shape<D...>;
  static constexpr bool ok = sizeof...(D) >= 1 && sizeof...(D) <= 3 && ((D > 0) && ...);
};

namespace detail {
template <class T>
inline constexpr bool is_input = false;
template <std::size_t... D>
inline constexpr bool is_input<Input<D...>> = true;
}  // namespace detail

}  // namespace typenet
