// Activations. All keep the shape; only PReLU has parameters (one slope per channel: C of
// C x H x W, or each feature of a vector).
//   Sigmoid, Tanh, ReLU, LeakyReLU<Slope = 1/100>, PReLU, ELU<Alpha = 1>,
//   Softmax (over the features of a vector, or over the channels at each pixel),
//   Activation<F> (any element-wise function written as an expression; see below).
#pragma once

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <ratio>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/checks.hpp"
#include "typenet/spec/describe.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/normalization.hpp"

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
struct Softmax : detail::activation {
  static std::string name() { return "Softmax"; }
};

// An activation written as an element-wise expression: F is a default-constructible callable
// (a struct or a captureless lambda) mapping an expression x to an expression, for example
//   struct SwishFn { auto operator()(const auto& x) const { return x * sigmoid(x); } };
// Its backward pass is derived from F by the expression derivative rules (typenet/expr/).
template <class F>
struct Activation : detail::activation {
  static std::string name() { return "Activation"; }
};

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

struct PReLU : detail::per_channel_parameters<1> {
  template <class In, std::size_t I>
  using check = diag::single_check<
      diag::requires_vector_or_image_input<diag::layer<I>, PReLU, diag::input_t<In>, true>>;
  static std::string name() { return "PReLU"; }
};

}  // namespace typenet
