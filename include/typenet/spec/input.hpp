// Input<C, H, W> (an image) or Input<N> (a feature vector): the shape of ONE sample. The batch
// size is a run-time value and is never part of a shape.
#pragma once

#include <cstddef>

#include "typenet/shape/shape.hpp"

namespace typenet {

template <std::size_t... D>
struct Input {
  using shape = Shape<D...>;
};

namespace diag {
template <class InputSpec>
struct input_dims {
  static constexpr bool value = true;
  struct report {
    static constexpr bool reported = true;
  };
};
template <std::size_t... D>
struct input_dims<Input<D...>> {
  static constexpr bool rank = sizeof...(D) >= 1 && sizeof...(D) <= 3;
  static constexpr bool value = rank && ((D > 0) && ...);
  struct report {
    static_assert(rank,
                  "Input<D...> takes one sample's shape: Input<N> for a vector, Input<C, H, W> "
                  "for an image (Input<C, L> for a sequence)");
    static_assert(!rank || value, "Input<D...> requires every dimension to be at least 1");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

namespace detail {
template <class T>
inline constexpr bool is_input = false;
template <std::size_t... D>
inline constexpr bool is_input<Input<D...>> = true;
}  // namespace detail

}  // namespace typenet
