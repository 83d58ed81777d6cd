// Whiteout<Layer, Sigma, Gamma, Lambda>: during training the input x_j of each connection
// (i, j) of Layer (tn::Dense<N> or tn::Conv2D<...>) gets its own Gaussian noise, per sample,
//   x_j + e_ij,   e_ij ~ N(0, Sigma^2 |w_ij|^-Gamma + Lambda)
// (the additive form of Li & Liu, "Whiteout: Gaussian Adaptive Noise Regularization in Deep
// Neural Networks", arXiv:1612.01490, sec. 2); evaluation uses the plain layer. Its expected
// penalty on a GLM is Sigma^2 sum |w|^(2-Gamma) + Lambda sum w^2: Gamma = 1 is lasso-like,
// Gamma = 0 ridge-like. A Conv2D's connections are its kernel taps from each output position
// that land on the input (layers/whiteout.hpp). Gamma is limited to [0, 1] here (see
// layers/whiteout.hpp). The arguments are std::ratios. Shape, parameters (and their state_dict
// names) and MACs are Layer's.
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

template <class Inner, class Sigma = std::ratio<1, 10>, class Gamma = std::ratio<1>,
          class Lambda = std::ratio<0>>
struct Whiteout : detail::wrapped_shapes<Inner> {
  using inner = Inner;
  static constexpr double sigma = detail::ratio_value<Sigma>();
  static constexpr double gamma = detail::ratio_value<Gamma>();
  static constexpr double lambda = detail::ratio_value<Lambda>();

  // The wrapped layer, Sigma >= 0, 0 <= Gamma <= 1, Lambda >= 0, then the wrapped layer's own
  // rules.
  template <class In, std::size_t I>
  using check =
      diag::connection_check<Whiteout, Inner, In, I, diag::connection_rule::whiteout,
                             diag::ratio_argument<Sigma, 0, detail::unbounded, false, 0>,
                             diag::ratio_argument<Gamma, 0, 1, false, 1>,
                             diag::ratio_argument<Lambda, 0, detail::unbounded, false, 2>>;

  static std::string name() {
    return "Whiteout(" + Inner::name() + ", sigma " + detail::ratio_name<Sigma>() + ", gamma " +
           detail::ratio_name<Gamma>() + ", lambda " + detail::ratio_name<Lambda>() + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
