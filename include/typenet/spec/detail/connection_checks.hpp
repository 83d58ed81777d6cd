// The rules DropConnect, Shakeout and Whiteout share, and their one check: the wrapped layer must
// be a weight layer whose connections the rule perturbs, and each real-valued argument a
// std::ratio in its range.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <string>

#include "typenet/spec/bind.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/detail/ratio.hpp"

namespace typenet {

namespace detail {
template <class Spec>
inline constexpr bool is_dense = false;
template <std::size_t N, class... Options>
inline constexpr bool is_dense<Dense<N, Options...>> = true;
template <class Spec>
inline constexpr bool is_conv2d = false;
template <std::size_t Out, class... Options>
inline constexpr bool is_conv2d<Conv2D<Out, Options...>> = true;

// A ratio argument's value in [lo, hi] (or [lo, hi) when hi is open); false for a non-ratio.
template <class R, long long Lo, long long Hi, bool HiOpen>
constexpr bool ratio_within() {
  if constexpr (Ratio<R>) {
    const double v = ratio_value<R>();
    return v >= double(Lo) && (HiOpen ? v < double(Hi) : v <= double(Hi));
  } else {
    return false;
  }
}

// The wrapped layer's output, parameters (so its state_dict names) and MACs: the rules change
// what the weights are during training, not what the layer is.
template <class Inner>
struct wrapped_shapes {
  template <class In>
  struct shapes {
    using bound = bind<Inner, In>;
    using output = typename bound::output_type;
    using parameters = typename bound::parameter_shapes;
    static constexpr std::size_t macs = bound::macs;
  };
};

inline constexpr long long unbounded = 1LL << 62;

template <class R>
std::string ratio_name() {
  if constexpr (Ratio<R>)
    return ratio_text(R::num, R::den);
  else
    return "?";
}
}  // namespace detail

namespace diag {

enum class connection_rule { drop_connect, shakeout, whiteout };

// All three take Dense or Conv2D: a convolution's kernel weights are its connections, each
// shared by the positions it slides over.
template <class Layer, class Spec, class Inner, connection_rule Rule>
struct connection_layer {
  static constexpr bool value = detail::is_dense<Inner> || detail::is_conv2d<Inner>;
  struct report {
    static_assert(Rule != connection_rule::drop_connect || value,
                  "DropConnect<Layer, P> requires Layer to be tn::Dense<N> or tn::Conv2D<...>: it "
                  "drops the weights (connections) of a weight layer; to drop a layer's outputs, "
                  "put tn::Dropout<P> after it");
    static_assert(Rule != connection_rule::shakeout || value,
                  "Shakeout<Layer, Tau, C> requires Layer to be tn::Dense<N> or tn::Conv2D<...>: "
                  "it perturbs the weights of a weight layer's input units");
    static_assert(Rule != connection_rule::whiteout || value,
                  "Whiteout<Layer, Sigma, Gamma, Lambda> requires Layer to be tn::Dense<N> or "
                  "tn::Conv2D<...>: it adds noise to the inputs of a weight layer's connections");
    static constexpr bool reported = true;
  };
};

// A std::ratio argument and its range: Lo <= value < Hi (HiOpen) or <= Hi.
template <class Layer, class Spec, class Argument, long long Lo, long long Hi, bool HiOpen,
          connection_rule Rule, int Which, bool Enabled>
struct connection_ratio {
  static constexpr bool ratio = detail::Ratio<Argument>;
  static constexpr bool value = Enabled && detail::ratio_within<Argument, Lo, Hi, HiOpen>();
  static constexpr bool drop_connect = Rule == connection_rule::drop_connect;
  static constexpr bool shakeout = Rule == connection_rule::shakeout;
  static constexpr bool whiteout = Rule == connection_rule::whiteout;
  struct report {
    static_assert(!Enabled || ratio,
                  "DropConnect, Shakeout and Whiteout take their real-valued arguments as "
                  "std::ratio, e.g. DropConnect<tn::Dense<100>, std::ratio<1, 2>>");
    static_assert(!Enabled || !ratio || value || !drop_connect,
                  "DropConnect<Layer, P> requires 0 <= P < 1: P is the probability of dropping "
                  "a weight, and P = 1 would drop them all");
    static_assert(!Enabled || !ratio || value || !shakeout || Which != 0,
                  "Shakeout<Layer, Tau, C> requires 0 <= Tau < 1: Tau is the probability of "
                  "reversing an input unit's weights, and Tau = 1 would reverse them all");
    static_assert(!Enabled || !ratio || value || !shakeout || Which != 1,
                  "Shakeout<Layer, Tau, C> requires C >= 0: C is the magnitude given to the "
                  "reversed weights");
    static_assert(!Enabled || !ratio || value || !whiteout || Which != 1,
                  "Whiteout<Layer, Sigma, Gamma, Lambda> requires 0 <= Gamma <= 1: for larger "
                  "Gamma the noise's standard deviation has no finite gradient at w = 0");
    static_assert(!Enabled || !ratio || value || !whiteout || Which == 1,
                  "Whiteout<Layer, Sigma, Gamma, Lambda> requires Sigma >= 0 and Lambda >= 0");
    static constexpr bool reported = true;
  };
};

// One real-valued argument R of a rule and its range, Lo <= R < Hi (HiOpen) or <= Hi; Which
// is its place among the rule's real-valued arguments (the message to give).
template <class R, long long Lo, long long Hi, bool HiOpen, int Which>
struct ratio_argument {
  using ratio = R;
  static constexpr long long lo = Lo, hi = Hi;
  static constexpr bool hi_open = HiOpen;
  static constexpr int which = Which;
  static constexpr bool valid = detail::ratio_within<R, Lo, Hi, HiOpen>();
};

// Whether the wrapped layer and the arguments before the k-th hold: only then is the k-th
// checked, so that the first wrong one reports, alone.
template <class... Arguments>
constexpr bool arguments_hold(bool layer, int k) {
  const bool valid[] = {Arguments::valid...};
  for (int n = 0; n < k; ++n) layer = layer && valid[n];
  return layer;
}

// The check of DropConnect, Shakeout and Whiteout at layer I: the wrapped layer's kind, the
// arguments in order, then the wrapped layer's own rules at the same index, once the wrapper's
// hold. The reports are expanded here, one level below the binding, so that g++'s chain of
// "required from" lines stays as short as for any other layer.
template <class Spec, class Inner, class In, std::size_t I, connection_rule Rule,
          class... Arguments>
struct connection_check {
 private:
  using layer = connection_layer<diag::layer<I>, Spec, Inner, Rule>;
  static_assert(layer::report::reported &&
                (connection_ratio<diag::layer<I>, Spec, typename Arguments::ratio, Arguments::lo,
                                  Arguments::hi, Arguments::hi_open, Rule, Arguments::which,
                                  arguments_hold<Arguments...>(
                                      layer::value, Arguments::which)>::report::reported &&
                 ...));
  static constexpr bool arguments =
      arguments_hold<Arguments...>(layer::value, int(sizeof...(Arguments)));

 public:
  static constexpr bool value = [] {
    if constexpr (arguments)
      return detail::check_t<Inner, In, I>::value;
    else
      return false;
  }();
};

}  // namespace diag

}  // namespace typenet
