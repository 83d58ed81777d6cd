// Shape<D...>: the per-sample shape of a tensor, carried in the type.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

namespace typenet {

template <std::size_t... D>
struct Shape {
  static constexpr std::size_t rank = sizeof...(D);
  static constexpr std::array<std::size_t, sizeof...(D)> dims{D...};
  // Number of scalars in one sample; the empty product is 1 (a scalar).
  static constexpr std::size_t size = (std::size_t{1} * ... * D);

  static constexpr std::size_t dim(std::size_t axis) { return dims[axis]; }

  template <std::size_t... E>
  friend constexpr bool operator==(Shape, Shape<E...>) {
    if constexpr (sizeof...(D) != sizeof...(E)) {
      return false;
    } else {
      return ((D == E) && ...);
    }
  }
};

// What a layer outputs when its own checks failed: the layers after it see this and stay
// silent, so the user reads one error (at the faulty layer) instead of a cascade.
struct InvalidShape {
  static constexpr std::size_t rank = 0;
  static constexpr std::size_t size = 0;
  static constexpr std::array<std::size_t, 0> dims{};
  template <class Other>
  friend constexpr bool operator==(InvalidShape, Other) {
    return false;
  }
};

namespace detail {
template <class T>
struct is_shape : std::false_type {};
template <std::size_t... D>
struct is_shape<Shape<D...>> : std::true_type {};
}  // namespace detail

template <class T>
concept ShapeType = detail::is_shape<T>::value;

}  // namespace typenet
