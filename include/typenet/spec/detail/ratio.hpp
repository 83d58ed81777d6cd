// std::ratio template arguments (dropout probabilities, activation slopes, LRN constants) as
// values.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <concepts>
#include <cstdint>

namespace typenet::detail {

template <class T>
concept Ratio = requires {
  { T::num } -> std::convertible_to<std::intmax_t>;
  { T::den } -> std::convertible_to<std::intmax_t>;
};

// The value of a std::ratio parameter; 0 for a non-ratio, which the layer's check reports.
template <class R>
constexpr double ratio_value() {
  if constexpr (Ratio<R>)
    return static_cast<double>(R::num) / static_cast<double>(R::den);
  else
    return 0.0;
}

}  // namespace typenet::detail
