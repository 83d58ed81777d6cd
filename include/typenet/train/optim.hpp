// Initialisation and optimisers.
//
// Optimisers follow the lectures' update rules, for each parameter w with gradient g:
//   SGD:      g <- g + wd w;  v <- momentum v - lr g;  w <- w + v      (momentum 0: w <- w - lr g)
//             Nesterov: w <- w - momentum v_prev + (1 + momentum) v   (the look-ahead form)
//   AdaGrad:  c <- c + g^2;                      w <- w - lr g / (sqrt(c) + eps)
//   RMSProp:  c <- rho c + (1 - rho) g^2;        w <- w - lr g / (sqrt(c) + eps)
//   Adam:     m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  t <- t + 1
//             w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
//             (weight_decay adds wd w to g, as L2; AdamW instead subtracts lr wd w from w)
// State is allocated on the first step; later steps do not allocate.
#pragma once

#include <cmath>
#include <cstddef>
#include <random>
#include <type_traits>
#include <vector>

#include "typenet/layers/layer.hpp"

namespace typenet {

namespace init {
// Weights drawn with the fan-in/fan-out of each weight tensor (Glorot & Bengio 2010; He et al.
// 2015); biases stay zero and batch-norm scales one, as constructed.
struct XavierUniform {};
struct XavierNormal {};
struct HeUniform {};
struct HeNormal {};
using Xavier = XavierUniform;
using He = HeNormal;
struct Zeros {};
struct Constant {
  double value;
};
// Any callable (Parameter<T>&, std::mt19937_64&) that fills a weight tensor.
template <class F>
struct Function {
  F fill;
};
template <class F>
Function(F) -> Function<F>;  // clang 14 does not deduce aggregates by itself

template <class T, class Init>
void fill(Parameter<T>& p, const Init& init, std::mt19937_64& rng) {
  const double fan_in = double(p.fan_in), fan_out = double(p.fan_out);
  auto draw = [&](auto distribution) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(distribution(rng));
  };
  if constexpr (std::is_same_v<Init, XavierUniform>) {
    const double a = std::sqrt(6.0 / (fan_in + fan_out));
    draw(std::uniform_real_distribution<double>(-a, a));
  } else if constexpr (std::is_same_v<Init, XavierNormal>) {
    draw(std::normal_distribution<double>(0, std::sqrt(2.0 / (fan_in + fan_out))));
  } else if constexpr (std::is_same_v<Init, HeUniform>) {
    const double a = std::sqrt(6.0 / fan_in);
    draw(std::uniform_real_distribution<double>(-a, a));
  } else if constexpr (std::is_same_v<Init, HeNormal>) {
    draw(std::normal_distribution<double>(0, std::sqrt(2.0 / fan_in)));
  } else if constexpr (std::is_same_v<Init, Zeros>) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(0);
  } else if constexpr (std::is_same_v<Init, Constant>) {
    for (std::size_t i = 0; i < p.size(); ++i) p.value[i] = T(init.value);
  } else {
    init.fill(p, rng);
  }
}
}  // namespace init

namespace optim {

namespace detail {
// Slots of state per parameter (velocity, caches), created on the first step.
template <class T>
class State {
 public:
  T* slot(const std::vector<Parameter<T>*>& params, std::size_t parameter, std::size_t k,
          std::size_t count) {
    if (slots_.empty()) {
      for (auto* p : params)
        for (std::size_t s = 0; s < count; ++s) slots_.emplace_back(p->size(), T(0));
    }
    return slots_[parameter * count + k].data();
  }

 private:
  std::vector<std::vector<T>> slots_;
};

// An optimiser's state for both scalar types (a model is float or double).
template <class Derived>
class Stateful {
 protected:
  template <class T>
  State<T>& state() {
    if constexpr (std::is_same_v<T, float>)
      return float_state_;
    else
      return double_state_;
  }

 private:
  State<float> float_state_;
  State<double> double_state_;
};
}  // namespace detail

struct SGD : detail::Stateful<SGD> {
  struct Options {
    double lr = 0.01;
    double momentum = 0;
    bool nesterov = false;
    double weight_decay = 0;
  } options;
  SGD() = default;
  explicit SGD(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    const T mu = T(options.momentum), wd = T(options.weight_decay), rate = T(lr);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      const std::size_t n = params[k]->size();
      if (options.momentum == 0) {
        for (std::size_t i = 0; i < n; ++i) w[i] -= rate * (g[i] + wd * w[i]);
        continue;
      }
      T* v = this->template state<T>().slot(params, k, 0, 1);
      for (std::size_t i = 0; i < n; ++i) {
        const T previous = v[i];
        v[i] = mu * v[i] - rate * (g[i] + wd * w[i]);
        w[i] += options.nesterov ? -mu * previous + (1 + mu) * v[i] : v[i];
      }
    }
  }
};

struct AdaGrad : detail::Stateful<AdaGrad> {
  struct Options {
    double lr = 0.01;
    double eps = 1e-10;
  } options;
  AdaGrad() = default;
  explicit AdaGrad(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      T* cache = this->template state<T>().slot(params, k, 0, 1);
      for (std::size_t i = 0; i < params[k]->size(); ++i) {
        cache[i] += g[i] * g[i];
        w[i] -= T(lr) * g[i] / (std::sqrt(cache[i]) + T(options.eps));
      }
    }
  }
};

struct RMSProp : detail::Stateful<RMSProp> {
  struct Options {
    double lr = 0.001;
    double decay = 0.99;
    double eps = 1e-8;
  } options;
  RMSProp() = default;
  explicit RMSProp(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    const T rho = T(options.decay);
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      T* cache = this->template state<T>().slot(params, k, 0, 1);
      for (std::size_t i = 0; i < params[k]->size(); ++i) {
        cache[i] = rho * cache[i] + (1 - rho) * g[i] * g[i];
        w[i] -= T(lr) * g[i] / (std::sqrt(cache[i]) + T(options.eps));
      }
    }
  }
};

struct Adam : detail::Stateful<Adam> {
  struct Options {
    double lr = 0.001;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0;
    bool decoupled = false;  // AdamW (Loshchilov & Hutter 2019)
  } options;
  Adam() = default;
  explicit Adam(Options o) : options(o) {}
  double learning_rate() const { return options.lr; }
  std::size_t steps() const { return t_; }

  template <class T>
  void step(const std::vector<Parameter<T>*>& params, double lr) {
    ++t_;
    const T b1 = T(options.beta1), b2 = T(options.beta2), wd = T(options.weight_decay);
    const T correction1 = T(1 - std::pow(options.beta1, double(t_)));
    const T correction2 = T(1 - std::pow(options.beta2, double(t_)));
    for (std::size_t k = 0; k < params.size(); ++k) {
      T* w = params[k]->value.data();
      const T* g = params[k]->gradient.data();
      T* m = this->template state<T>().slot(params, k, 0, 2);
      T* v = this->template state<T>().slot(params, k, 1, 2);
      for (std::size_t i = 0; i < params[k]->size(); ++i) {
        const T gradient = options.decoupled ? g[i] : g[i] + wd * w[i];
        m[i] = b1 * m[i] + (1 - b1) * gradient;
        v[i] = b2 * v[i] + (1 - b2) * gradient * gradient;
        if (options.decoupled) w[i] -= T(lr) * wd * w[i];
        w[i] -= T(lr) * (m[i] / correction1) / (std::sqrt(v[i] / correction2) + T(options.eps));
      }
    }
  }

 private:
  std::size_t t_ = 0;
};

// AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch).
struct AdamW : Adam {
  AdamW() : Adam(Options{.weight_decay = 0.01, .decoupled = true}) {}
  explicit AdamW(Options o) : Adam(with_decoupled(o)) {}

 private:
  static Options with_decoupled(Options o) {
    o.decoupled = true;
    return o;
  }
};

}  // namespace optim
}  // namespace typenet
