// Shakeout<Layer, Tau, C>: during training each input unit j of Layer (tn::Dense<N>, or
// tn::Conv2D<...> whose input units here are its input channels) is, with
// probability Tau, reversed, and otherwise enhanced (Kang, Li, Tao, "Shakeout: A New Regularized
// Deep Neural Network Training Scheme", AAAI 2016, eq. 1): with r_j ~ Bernoulli(1 - Tau) and
// s = sign(w),
//   r_j = 0:  w' = -C s            r_j = 1:  w' = (w + C Tau s) / (1 - Tau)
// i.e. w' = (r_j / (1 - Tau)) w + C (r_j / (1 - Tau) - 1) s, so E[w'] = w and evaluation uses w.
// C = 0 is DropConnect with one mask per input unit (dropout of the inputs). The paper's rule
// is per input unit and sample; typenet draws once per batch (layers/detail/perturbed_weights.hpp)
// and so, for a Conv2D, per input channel: the kernel slices that read channel j in every output
// channel share r_j. Tau and C are std::ratios. Shape, parameters (and their state_dict names) and
// MACs are Layer's.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <cstddef>
#include <ratio>
#include <string>

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

  // The wrapped layer, 0 <= Tau < 1, C >= 0, then the wrapped layer's own rules.
  template <class In, std::size_t I>
  using check = diag::connection_check<Shakeout, Inner, In, I, diag::connection_rule::shakeout,
                                       diag::ratio_argument<Tau, 0, 1, true, 0>,
                                       diag::ratio_argument<C, 0, detail::unbounded, false, 1>>;

  static std::string name() {
    return "Shakeout(" + Inner::name() + ", tau " + detail::ratio_name<Tau>() + ", c " +
           detail::ratio_name<C>() + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
