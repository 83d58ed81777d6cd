// DropConnect<Layer, P>: during training each weight of Layer (tn::Dense<N> or tn::Conv2D<...>)
// is dropped with probability P and the kept ones scaled by 1/(1-P), so evaluation uses the
// weights as they are (Wan, Zeiler, Zhang, LeCun, Fergus, "Regularization of Neural Networks
// using DropConnect", ICML 2013; inverted scaling as in PyTorch's Dropout). P is a std::ratio.
// Shape, parameters (and their state_dict names) and MACs are Layer's: the weights of a
// DropConnect<Dense<N>> load into a Dense<N>.
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

template <class Inner, class P = std::ratio<1, 2>>
struct DropConnect : detail::wrapped_shapes<Inner> {
  using inner = Inner;
  static constexpr double probability = detail::ratio_value<P>();

  // The wrapped layer, 0 <= P < 1, then the wrapped layer's own rules.
  template <class In, std::size_t I>
  using check =
      diag::connection_check<DropConnect, Inner, In, I, diag::connection_rule::drop_connect,
                             diag::ratio_argument<P, 0, 1, true, 0>>;

  static std::string name() {
    return "DropConnect(" + Inner::name() + ", " + detail::ratio_name<P>() + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
