// Shakeout<Layer, Tau, C>: during training each input unit j of Layer (tn::Dense<N>) is, with
// probability Tau, reversed, and otherwise enhanced (Kang, Li, Tao, "Shakeout: A New Regularized
// Deep Neural Network Training Scheme", AAAI 2016, eq. 1): with r_j ~ Bernoulli(1 - Tau) and
// s = sign(w),
//   r_j = 0:  w' = -C s            r_j = 1:  w' = (w + C Tau s) / (1 - Tau)
// i.e. w' = (r_j / (1 - Tau)) w + C (r_j / (1 - Tau) - 1) s, so E[w'] = w and evaluation uses w.
// C = 0 is DropConnect with one mask per input unit (dropout of the inputs). Tau and C are
// std::ratios. Shape, parameters (and their state_dict names) and MACs are Layer's.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <ratio>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/connection_checks.hpp"
#include "typenet/spec/detail/ratio.hpp"

namespace typenet {

template <class Inner, class Tau = std::ratio<1, 2>, class C = std::ratio<1, 10>>
struct Shakeout : detail::wrapped_shapes<Inner> {
  using inner = Inner;
  static constexpr double tau = detail::ratio_value<Tau>();
  static constexpr double c = detail::ratio_value<C>();

  template <class In, std::size_t I>
  struct check {
   private:
    using rule = std::integral_constant<diag::connection_rule, diag::connection_rule::shakeout>;
    using layer = diag::connection_layer<diag::layer<I>, Shakeout, Inner, rule::value>;
    using tau_check = diag::connection_ratio<diag::layer<I>, Shakeout, Tau, 0, 1, true, rule::value,
                                             0, layer::value>;
    using c_check = diag::connection_ratio<diag::layer<I>, Shakeout, C, 0, detail::unbounded, false,
                                           rule::value, 1, tau_check::value>;
    static_assert(layer::report::reported && tau_check::report::reported &&
                  c_check::report::reported);
    static constexpr bool inner_ok = [] {
      if constexpr (c_check::value)
        return detail::check_t<Inner, In, I>::value;
      else
        return false;
    }();

   public:
    static constexpr bool value = inner_ok;
  };

  static std::string name() {
    return "Shakeout(" + Inner::name() + ", tau " + detail::ratio_name<Tau>() + ", c " +
           detail::ratio_name<C>() + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
