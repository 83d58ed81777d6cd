// Element-wise activations, shape-preserving and without parameters:
//   Sigmoid, Tanh, ReLU, LeakyReLU<Slope = 1/100>, ELU<Alpha = 1>,
//   Activation<F> (any element-wise function written as an expression; see below).
// PReLU (learned slopes) and Softmax (over channels) have headers of their own.
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
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/detail/ratio.hpp"
#include "typenet/spec/detail/shape_rules.hpp"

namespace typenet {

namespace detail {
struct activation : same_shape {
  template <class In, std::size_t I>
  using check = std::true_type;
};
}  // namespace detail

struct Sigmoid : detail::activation {
  static std::string name() { return "Sigmoid"; }
};
struct Tanh : detail::activation {
  static std::string name() { return "Tanh"; }
};
struct ReLU : detail::activation {
  static std::string name() { return "ReLU"; }
};
// An activation written as an element-wise expression: F is a default-constructible callable
// (a struct or a captureless lambda) mapping an expression x to an expression, for example
//   struct SwishFn { auto operator()(const auto& x) const { return x * sigmoid(x); } };
// Its backward pass is derived from F by the expression derivative rules (typenet/expr/).
template <class F>
struct Activation : detail::activation {
  static std::string name() { return "Activation"; }
};

// Function objects for Activation<F>, and the two activations defined by them. Each is called
// with an expression x (typenet/expr/), whose sigmoid and tanh argument-dependent lookup finds.
namespace fn {
// Swish (Ramachandran et al. 2017; PyTorch's SiLU): x sigmoid(x).
struct swish {
  auto operator()(const auto& x) const { return x * sigmoid(x); }
};
// GELU, tanh approximation (Hendrycks & Gimpel 2016; PyTorch's GELU(approximate='tanh')):
// x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
struct gelu_tanh {
  auto operator()(const auto& x) const {
    return 0.5 * x * (1 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
  }
};
}  // namespace fn

using Swish = Activation<fn::swish>;
using GELU = Activation<fn::gelu_tanh>;

namespace diag {
template <class Layer, class Spec, class Value>
struct activation_ratio {
  static constexpr bool value = detail::Ratio<Value>;
  struct report {
    static_assert(value,
                  "LeakyReLU<Slope> and ELU<Alpha> take their parameter as a std::ratio, e.g. "
                  "LeakyReLU<std::ratio<1, 10>> for a slope of 0.1");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

template <class Slope = std::ratio<1, 100>>
struct LeakyReLU : detail::same_shape {
  template <class In, std::size_t I>
  using check = diag::single_check<diag::activation_ratio<diag::layer<I>, LeakyReLU, Slope>>;
  static constexpr double slope = detail::ratio_value<Slope>();
  static std::string name() {
    return "LeakyReLU(" + detail::ratio_text(Slope::num, Slope::den) + ")";
  }
};

template <class Alpha = std::ratio<1>>
struct ELU : detail::same_shape {
  template <class In, std::size_t I>
  using check = diag::single_check<diag::activation_ratio<diag::layer<I>, ELU, Alpha>>;
  static constexpr double alpha = detail::ratio_value<Alpha>();
  static std::string name() { return "ELU(" + detail::ratio_text(Alpha::num, Alpha::den) + ")"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
