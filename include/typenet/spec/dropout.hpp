// Dropout<P>: during training each unit is zeroed with probability P (and the survivors scaled
// by 1/(1-P)); at evaluation it passes its input through. P is a std::ratio:
// Dropout<std::ratio<1, 2>> or, in per-mille, Dropout<tn::PerMille<500>>. Shape-preserving.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <cstdint>
#include <ratio>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/detail/ratio.hpp"
#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

template <std::intmax_t N>
using PerMille = std::ratio<N, 1000>;

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

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
