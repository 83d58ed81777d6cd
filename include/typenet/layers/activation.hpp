// The element-wise activations as expressions. Each built-in has a forward expression and a
// hand-written backward (the cheapest form: from the output where it can); Activation<F> derives
// its backward from F. tests check every hand-written backward against the derived one.
//
// A weight layer followed by an element-wise activation is fused by Network: one pass computes
// act(z + bias), one pass computes dz = act'(x) * dy and the bias gradient (net/network.hpp).
// PReLU and Softmax, which are not element-wise functions of their input alone, have headers of
// their own.
#pragma once

#include <cstddef>

#include "typenet/expr/expr.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/activation.hpp"

namespace typenet {

// The rule of an element-wise activation spec: forward(x) and backward(x, y, dy) for expression
// arguments (x may contain the var(...) leaf). Defined for the specs below; Network fuses a
// weight layer with any spec that has one.
template <class Spec>
struct activation_rule;

template <>
struct activation_rule<ReLU> {
  static auto forward(const auto& x) { return expr::max(x, 0); }
  static auto backward(const auto&, const auto& y, const auto& dy) {
    return expr::select(y > 0, dy, 0);
  }
};
template <>
struct activation_rule<Sigmoid> {
  static auto forward(const auto& x) { return expr::sigmoid(x); }
  static auto backward(const auto&, const auto& y, const auto& dy) { return dy * y * (1 - y); }
};
template <>
struct activation_rule<Tanh> {
  static auto forward(const auto& x) { return expr::tanh(x); }
  static auto backward(const auto&, const auto& y, const auto& dy) { return dy * (1 - y * y); }
};
template <class Slope>
struct activation_rule<LeakyReLU<Slope>> {
  static constexpr double slope = LeakyReLU<Slope>::slope;
  static auto forward(const auto& x) { return expr::select(x > 0, x, slope * x); }
  static auto backward(const auto& x, const auto&, const auto& dy) {
    return expr::select(x > 0, dy, slope * dy);
  }
};
template <class Alpha>
struct activation_rule<ELU<Alpha>> {
  static constexpr double alpha = ELU<Alpha>::alpha;
  static auto forward(const auto& x) { return expr::select(x > 0, x, alpha * (expr::exp(x) - 1)); }
  // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = y + alpha.
  static auto backward(const auto& x, const auto& y, const auto& dy) {
    return expr::select(x > 0, dy, dy * (y + alpha));
  }
};
// Any F: the backward pass is F's derivative, generated from its expression.
template <class F>
struct activation_rule<Activation<F>> {
  static auto forward(const auto& x) { return F{}(x); }
  static auto backward(const auto& x, const auto&, const auto& dy) {
    return dy * expr::derivative(F{}(x));
  }
};

// A spec with an activation_rule: an element-wise function of its input.
template <class Spec>
concept ElementwiseActivation = requires {
  sizeof(activation_rule<Spec>);
};

template <ElementwiseActivation Spec, class In, class T>
class Layer<Spec, In, T> : public detail::without_parameters<T> {
  using F = activation_rule<Spec>;

 public:
  using function = F;
  explicit Layer(std::size_t = 1) {}

  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    y = F::forward(expr::ref(x));
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>& y, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    *dx = F::backward(expr::var(x), expr::ref(y), expr::ref(dy));
  }
};

}  // namespace typenet
