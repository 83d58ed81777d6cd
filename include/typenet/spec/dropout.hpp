// Dropout<P>: during training each unit is zeroed with probability P (and the survivors scaled
// by 1/(1-P)); at evaluation it passes its input through. P is a std::ratio:
// Dropout<std::ratio<1, 2>> or, in per-mille, Dropout<tn::PerMille<500>>. Shape-preserving.
#pragma once

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/checks.hpp"
#include "typenet/spec/describe.hpp"

namespace typenet {

template <std::intmax_t N>
using PerMille = std::ratio<N, 1000>;

namespace detail {
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

// Shape-preserving layers without parameters: activations, dropout, LRN.
struct same_shape {
  template <class In>
  struct shapes {
    using output = In;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };
};
}  // namespace detail

namespace diag {
template <class Layer, class Spec, class P>
struct dropout_probability {
  static constexpr bool ratio = detail::Ratio<P>;
  static constexpr bool value = [] {
    if constexpr (detail::Ratio<P>)
      return P::num >= 0 && P::num < P::den;
    else
      return false;
  }();
  struct report {
    static_assert(ratio,
                  "Dropout<P> takes the drop probability as a std::ratio, e.g. "
                  "Dropout<std::ratio<1, 2>> or Dropout<tn::PerMille<500>>");
    static_assert(!ratio || value,
                  "Dropout<P> requires 0 <= P < 1: P is the probability of dropping a unit, and "
                  "P = 1 would drop them all");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <class P = std::ratio<1, 2>>
struct Dropout : detail::same_shape {
  template <class In, std::size_t I>
  using check = diag::single_check<diag::dropout_probability<diag::layer<I>, Dropout, P>>;

  static constexpr double probability = detail::ratio_value<P>();

  static std::string name() {
    if constexpr (detail::Ratio<P>)
      return "Dropout(" + detail::ratio_text(P::num, P::den) + ")";
    else
      return "Dropout";
  }
};

}  // namespace typenet
