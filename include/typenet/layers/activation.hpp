// Activations as expressions. Each built-in has a forward expression and a hand-written backward
// (the cheapest form: from the output where it can); Activation<F> derives its backward from F.
// tests/unit/activation_test.cpp checks every hand-written backward against the derived one.
//
// A weight layer followed by an element-wise activation is fused by Network: one pass computes
// act(z + bias), one pass computes dz = act'(x) * dy and the bias gradient (graph/network.hpp).
#pragma once

#include <Eigen/Core>
#include <cstddef>

#include "typenet/expr/expr.hpp"
#include "typenet/layers/layer.hpp"
#include "typenet/spec/activation.hpp"

namespace typenet {

namespace fn {

// forward(x) and backward(x, y, dy) for expression arguments; x may contain the var(...) leaf.
struct relu {
  static auto forward(const auto& x) { return expr::max(x, 0); }
  static auto backward(const auto&, const auto& y, const auto& dy) {
    return expr::select(y > 0, dy, 0);
  }
};
struct sigmoid {
  static auto forward(const auto& x) { return expr::sigmoid(x); }
  static auto backward(const auto&, const auto& y, const auto& dy) { return dy * y * (1 - y); }
};
struct tanh {
  static auto forward(const auto& x) { return expr::tanh(x); }
  static auto backward(const auto&, const auto& y, const auto& dy) { return dy * (1 - y * y); }
};
template <class Slope>
struct leaky_relu {
  static constexpr double slope = detail::ratio_value<Slope>();
  static auto forward(const auto& x) { return expr::select(x > 0, x, slope * x); }
  static auto backward(const auto& x, const auto&, const auto& dy) {
    return expr::select(x > 0, dy, slope * dy);
  }
};
template <class Alpha>
struct elu {
  static constexpr double alpha = detail::ratio_value<Alpha>();
  static auto forward(const auto& x) { return expr::select(x > 0, x, alpha * (expr::exp(x) - 1)); }
  // For x <= 0, d/dx alpha (e^x - 1) = alpha e^x = y + alpha.
  static auto backward(const auto& x, const auto& y, const auto& dy) {
    return expr::select(x > 0, dy, dy * (y + alpha));
  }
};
// Any F: the backward pass is F's derivative, generated from its expression.
template <class F>
struct derived {
  static auto forward(const auto& x) { return F{}(x); }
  static auto backward(const auto& x, const auto&, const auto& dy) {
    return dy * expr::derivative(F{}(x));
  }
};

// Two activations defined only by their expression.
struct swish_fn {
  auto operator()(const auto& x) const { return x * expr::sigmoid(x); }
};
// GELU, tanh approximation (Hendrycks & Gimpel 2016): x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
struct gelu_tanh_fn {
  auto operator()(const auto& x) const {
    return 0.5 * x * (1 + expr::tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
  }
};

}  // namespace fn

using Swish = Activation<fn::swish_fn>;
using GELU = Activation<fn::gelu_tanh_fn>;

namespace detail {
template <class Spec>
struct activation_function {
  using type = void;
};
template <>
struct activation_function<ReLU> {
  using type = fn::relu;
};
template <>
struct activation_function<Sigmoid> {
  using type = fn::sigmoid;
};
template <>
struct activation_function<Tanh> {
  using type = fn::tanh;
};
template <class Slope>
struct activation_function<LeakyReLU<Slope>> {
  using type = fn::leaky_relu<Slope>;
};
template <class Alpha>
struct activation_function<ELU<Alpha>> {
  using type = fn::elu<Alpha>;
};
template <class F>
struct activation_function<Activation<F>> {
  using type = fn::derived<F>;
};
}  // namespace detail

// The element-wise function of an activation spec, or void for any other layer.
template <class Spec>
using activation_function_t = typename detail::activation_function<Spec>::type;

template <class Spec>
concept ElementwiseActivation = !std::is_void_v<activation_function_t<Spec>>;

template <ElementwiseActivation Spec, class In, class T>
class Layer<Spec, In, T> : public detail::without_parameters<T> {
  using F = activation_function_t<Spec>;

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

// PReLU: y = x for x > 0, a_c x otherwise, with one learned slope a_c per channel (0.25 at
// first, as He et al. 2015 and PyTorch start).
template <class In, class T>
class Layer<PReLU, In, T> : public detail::with_parameters<T, 1> {
  static constexpr std::size_t C = In::dims[0];

 public:
  explicit Layer(std::size_t = 1) {
    this->params_[0] = Parameter<T>("slope", C);
    for (std::size_t c = 0; c < C; ++c) this->params_[0].value[c] = T(0.25);
  }
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    y = expr::select(x > 0, x, slope() * x);
  }
  void backward(const Tensor<T, In>& x, const Tensor<T, In>&, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    expr::reduce_channels<expr::Reduce::sum, In>(expr::select(x > 0, 0, dy * x), x.batch(),
                                                 this->params_[0].gradient.data());
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    *dx = expr::select(x > 0, dy, slope() * dy);
  }

 private:
  auto slope() const { return expr::channel<C>(this->params_[0].value.data()); }
};

// Softmax over the channels: the features of a vector, or the C values at each pixel.
template <class In, class T>
class Layer<Softmax, In, T> : public detail::without_parameters<T> {
  static constexpr std::size_t C = In::dims[0];
  static constexpr std::size_t P = In::size / C;
  using Matrix = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Map = Eigen::Map<Matrix>;
  using ConstMap = Eigen::Map<const Matrix>;

 public:
  explicit Layer(std::size_t = 1) {}
  void forward(const Tensor<T, In>& x, Tensor<T, In>& y, Mode) {
    y.set_batch(x.batch());
    for (std::size_t n = 0; n < x.batch(); ++n) {
      ConstMap X(x.sample(n), C, P);
      Map Y(y.sample(n), C, P);
      // Shifting by the maximum keeps exp() finite for logits of any size.
      Y = (X.rowwise() - X.colwise().maxCoeff()).exp();
      Y.rowwise() /= Y.colwise().sum();
    }
  }
  // dx = y * (dy - sum_c(dy * y)), per pixel.
  void backward(const Tensor<T, In>& x, const Tensor<T, In>& y, const Tensor<T, In>& dy,
                Tensor<T, In>* dx) {
    if (dx == nullptr) return;
    dx->set_batch(x.batch());
    for (std::size_t n = 0; n < x.batch(); ++n) {
      ConstMap Y(y.sample(n), C, P);
      ConstMap dY(dy.sample(n), C, P);
      Map dX(dx->sample(n), C, P);
      dX = Y * (dY.rowwise() - (dY * Y).colwise().sum());
    }
  }
};

}  // namespace typenet
